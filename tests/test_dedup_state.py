"""Persistent dedup state: reopening, settings, real concurrent processes, kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wireingest._dedup import DedupConfig, Deduplicator
from wireingest.types import Article

ROOT = Path(__file__).resolve().parent.parent
BBC = Path(__file__).parent / "data" / "dedup" / "bbc"

# Shared by the child processes: a deterministic list of articles (BBC stories and copies).
CHILD_PRELUDE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from wireingest._dedup import Deduplicator, DedupConfig
    from wireingest.types import Article

    BBC = Path(sys.argv[1])

    def load(p):
        title, _, body = p.read_text("utf-8").partition("\\n")
        return Article(id=str(p.relative_to(BBC)), title=title, body=body.strip())

    def wrapped(a, k):
        paras = [f"Outlet {k} staff report", *a.body.split("\\n\\n"),
                 f"Copyright Outlet {k}. Follow us for more."]
        return Article(id=f"{a.id}#w{k}", body="\\n\\n".join(paras))

    def stream():
        base = [load(p) for p in sorted(BBC.glob("*/*.txt"))][:160]
        out = []
        for i, a in enumerate(base):
            out.append(a)
            if i % 3 == 0:
                out.append(wrapped(base[i // 2], i))
        return out
    """
)


def load(name: str) -> Article:
    title, _, body = (BBC / name).read_text("utf-8").partition("\n")
    return Article(id=name, title=title, body=body.strip(), language="en")


@pytest.fixture(params=["sqlite", "redis"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh persistent state of each kind: a SQLite file, a Redis key prefix (on a real
    redis-server; a short lease so that a killed writer's lock goes quickly)."""
    if request.param == "sqlite":
        return str(tmp_path / "state.db")
    server = request.getfixturevalue("redis_server")
    return str(server.state(lease=3))


def run_child(script: str, *args: str, **env_vars: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_vars}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD_PRELUDE + textwrap.dedent(script), str(BBC), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_state_survives_reopen_and_keeps_blobs(state: str) -> None:
    path = state
    arts = [load(f"entertainment/0{i:02d}.txt") for i in range(10, 40)]
    with Deduplicator(state=path) as d:
        assert all(x.emit for x in d.check_many(arts[:20]))
        d.commit(meta={"boilerplate-model": b"\x00model"})
    if not state.startswith("redis://"):
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Deduplicator(state=path) as d:
        assert len(d) == 20
        assert d.load_meta("boilerplate-model") == b"\x00model"
        again = d.check_many(arts)
        assert [x.reason for x in again[:20]] == ["exact-duplicate"] * 20
        assert [x.duplicate_of for x in again[:20]] == [a.id for a in arts[:20]]
        assert all(x.emit for x in again[20:])
        # near-duplicates are found against reloaded signatures too
        wrap = replace(arts[3], id="wrapped", body="Staff report\n\n" + arts[3].body)
        assert d.check(wrap).duplicate_of == arts[3].id
    with Deduplicator(state=path) as d:
        assert len(d) == 30


def test_state_refuses_other_settings(state: str) -> None:
    path = state
    Deduplicator(DedupConfig(num_perm=128), state=path).close()
    with pytest.raises(ValueError, match="other settings") as err:
        Deduplicator(DedupConfig(num_perm=256), state=path)
    assert "num_perm=128" in str(err.value) and "num_perm=256" in str(err.value)
    with pytest.raises(ValueError, match="other settings"):
        Deduplicator(DedupConfig(shingle_size=3), state=path)
    # window, policy and threshold with explicit bands may change between runs
    Deduplicator(DedupConfig(window=3600, policy="best", threshold=0.7, params=(16, 8)),
                 state=path).close()  # fmt: skip


def test_window_purges_the_state(state: str) -> None:
    path = state
    arts = [load(f"sport/0{i:02d}.txt") for i in range(1, 41)]
    cfg = DedupConfig(window=100.0)
    with Deduplicator(cfg, state=path) as d:
        for k, a in enumerate(arts):
            d.check(a, now=10.0 * k)  # no publication time: arrival time counts
        assert len(d) <= 12
    if state.startswith("redis://"):
        import redis

        prefix = state.split("prefix=")[1].split("&")[0]
        r = redis.Redis.from_url(state.split("?")[0])
        ts = [float(f[b"t"]) for _, f in r.xrange(f"{{{prefix}}}:log")]
        rows = (len(ts), min(ts))
    else:
        rows = sqlite3.connect(path).execute("SELECT COUNT(*), MIN(ts) FROM articles").fetchone()
    assert rows[0] <= 16 and rows[1] >= 390.0 - 100.0 - 100.0 / 32 - 10.0
    with Deduplicator(cfg, state=path) as d:
        assert len(d) <= 12
        assert d.check(arts[-1], now=400.0).reason == "exact-duplicate"
        assert d.check(arts[0], now=400.0).emit  # forgotten


def test_processes_racing_on_one_state_emit_each_story_once(state: str, tmp_path: Path) -> None:
    """Four real processes get the same stories (each its own outlet's copy) at the same
    moment; check-and-insert is atomic, so each story is emitted by exactly one of them."""
    _race(state, tmp_path, 4)


def test_16_processes_racing_on_redis_emit_each_story_once(
    redis_server: Any, tmp_path: Path
) -> None:
    # the numpy kernels: the same decisions, and 16 interpreters start faster without numba
    _race(redis_server.state(lease=3), tmp_path, 16, WIREINGEST_NO_NUMBA="1")


def _race(state: str, tmp_path: Path, n_procs: int, **env: str) -> None:
    path = state
    Deduplicator(state=path).close()
    script = """
        path, k, sync = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
        base = [load(p) for p in sorted(BBC.glob("*/*.txt"))][:40:2]
        arts = [a if k == 0 else wrapped(a, k) for a in base]
        d = Deduplicator(state=path, timeout=60)
        (sync / f"ready-{k}").touch()
        while not (sync / "go").exists():  # start together
            pass
        for a in arts:
            dec = d.check(a)
            d.flush()
            if dec.emit:
                print(a.id.split("#")[0], flush=True)
        d.close()
    """
    procs = [run_child(script, str(path), str(k), str(tmp_path), **env) for k in range(n_procs)]
    deadline = time.time() + 60
    while len(list(tmp_path.glob("ready-*"))) < n_procs and time.time() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    emitted: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        emitted += out.split()
    assert len(emitted) == 20
    assert len(set(emitted)) == 20  # every story once, across all processes
    with Deduplicator(state=path) as d:
        assert len(d) == 20


def test_kill_9_loses_nothing_and_repeats_nothing_committed(state: str, tmp_path: Path) -> None:
    path = state
    script = """
        path = sys.argv[2]
        arts = stream()
        d = Deduplicator(state=path)
        for i in range(0, len(arts), 8):
            for a, dec in zip(arts[i : i + 8], d.check_many(arts[i : i + 8])):
                if dec.emit:
                    print("E", a.id)
            sys.stdout.flush()  # outputs first ...
            d.flush()  # ... then the commit
            print("C", flush=True)
            time.sleep(0.01)
        d.close()
        print("DONE", flush=True)
    """
    # what one uninterrupted run emits
    ref = run_child(script, str(tmp_path / "ref.db"))  # the reference run: in SQLite
    out, err = ref.communicate(timeout=120)
    assert ref.returncode == 0, err
    expected = [line.split()[1] for line in out.splitlines() if line.startswith("E ")]
    assert 150 < len(expected) < 214

    first = run_child(script, str(path))
    assert first.stdout is not None
    lines: list[str] = []
    while sum(1 for x in lines if x == "C") < 6:
        line = first.stdout.readline()
        assert line, first.stderr.read() if first.stderr else ""
        lines.append(line.strip())
    os.kill(first.pid, signal.SIGKILL)
    rest, _ = first.communicate(timeout=30)
    lines += [x.strip() for x in rest.splitlines()]
    assert first.returncode == -signal.SIGKILL
    assert "DONE" not in lines
    last_commit = max(i for i, x in enumerate(lines) if x == "C")
    committed = {x.split()[1] for x in lines[:last_commit] if x.startswith("E ")}
    assert committed

    second = run_child(script, str(path))
    out2, err2 = second.communicate(timeout=120)
    assert second.returncode == 0, err2
    again = [line.split()[1] for line in out2.splitlines() if line.startswith("E ")]
    assert not committed & set(again)  # nothing committed is emitted twice
    assert committed | set(again) == set(expected)  # nothing is lost
    with Deduplicator(state=path) as d:
        assert len(d) == len(expected)


# -- a state that cannot be opened or written: StateError with a cause a user can act on ---------
def test_sqlite_state_errors_name_the_cause(tmp_path: Path) -> None:
    from wireingest.errors import StateError

    missing = tmp_path / "no-such-dir" / "state.db"
    with pytest.raises(StateError) as err:
        Deduplicator(state=missing)
    assert err.value.location == str(missing) and "does not exist" in err.value.cause

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database, just some bytes " * 200)
    with pytest.raises(StateError) as err:
        Deduplicator(state=corrupt)
    assert "corrupt" in err.value.cause


def test_sqlite_disk_full_is_reported_as_such(tmp_path: Path) -> None:
    """SQLITE_FULL (here from a page limit) reaches the caller as "the disk is full", not as
    the "cannot commit - no transaction is active" a failed COMMIT would leave behind; the
    decisions of the failed batch are rolled back and the state stays usable."""
    from wireingest.errors import StateError

    arts = [load(p) for p in sorted(str(q.relative_to(BBC)) for q in BBC.glob("*/*.txt"))][:200]
    path = tmp_path / "full.db"
    with Deduplicator(state=path) as d:
        d.check_many(arts[:20])
        d.flush()
        pages = d.store.conn.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        d.store.conn.execute(f"PRAGMA max_page_count={pages + 2}")  # type: ignore[attr-defined]
        with pytest.raises(StateError) as err:
            d.check_many(arts[20:])
            d.flush()
        assert "disk is full" in err.value.cause
        assert len(d) == 20  # the failed batch is not in the index
        d.store.conn.execute("PRAGMA max_page_count=1073741823")  # type: ignore[attr-defined]
        assert all(x.emit for x in d.check_many(arts[20:40]))
    with Deduplicator(state=path) as d:
        assert len(d) == 40


def test_sqlite_error_causes() -> None:
    """The mapping from sqlite3 messages (read-only needs a non-root user to provoke)."""
    from wireingest._dedup.store.sqlite import _cause

    assert "read-only" in _cause(
        sqlite3.OperationalError("attempt to write a readonly database"), "x"
    )
    assert "disk is full" in _cause(sqlite3.OperationalError("database or disk is full"), "x")
    assert "locked" in _cause(sqlite3.OperationalError("database is locked"), "x")
    assert "corrupt" in _cause(sqlite3.DatabaseError("database disk image is malformed"), "x")


def test_sqlite_insert_in_flight_is_settled_before_anything_else(tmp_path: Path) -> None:
    """SqliteStore.append numbers a batch at once and inserts it in a writer thread: the next
    use of the store waits for it, and an insert that failed is raised by the commit, which
    then commits nothing of it; the store stays usable."""
    import numpy as np

    from wireingest._dedup.store import Entry
    from wireingest._dedup.store.sqlite import SqliteStore
    from wireingest.errors import StateError

    def entry(i: int) -> Entry:
        z = np.zeros(4, dtype=np.uint32)
        return Entry(f"a{i}", float(i), i, 10, 0, z, np.arange(8, dtype=np.uint32), z, z, ())

    path = str(tmp_path / "s.db")
    store = SqliteStore(path, "fp", 5.0)
    store.begin()
    assert store.append([entry(i) for i in range(500)]) == list(range(1, 501))
    assert [e.seq for e in store.catch_up()] == []  # (its own rows are not caught up)
    assert store.append([entry(500)]) == [501]
    store.commit()
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone() == (501,)
    # a row that SQLite refuses (an id of the wrong type): reported by the commit
    store.begin()
    bad = replace(entry(501), id=object())  # type: ignore[arg-type]
    assert store.append([entry(502), bad]) == [502, 503]
    with pytest.raises(StateError):
        store.commit()
    assert not store.in_txn
    assert len(store.reload()) == 501  # (what the engine does after a failure)
    store.begin()
    assert store.append([entry(504)]) == [502]  # the failed batch's numbers are free again
    store.close()
    reopened = SqliteStore(path, "fp", 5.0)
    assert [e.id for e in reopened.reload()][-2:] == ["a500", "a504"]
    reopened.close()
