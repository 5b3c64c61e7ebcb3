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


def run_child(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD_PRELUDE + textwrap.dedent(script), str(BBC), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_state_survives_reopen_and_keeps_blobs(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    arts = [load(f"entertainment/0{i:02d}.txt") for i in range(10, 40)]
    with Deduplicator(state=path) as d:
        assert all(x.emit for x in d.check_many(arts[:20]))
        d.commit(meta={"boilerplate-model": b"\x00model"})
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


def test_state_refuses_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    Deduplicator(DedupConfig(num_perm=128), state=path).close()
    with pytest.raises(ValueError, match="other settings") as err:
        Deduplicator(DedupConfig(num_perm=256), state=path)
    assert "num_perm=128" in str(err.value) and "num_perm=256" in str(err.value)
    with pytest.raises(ValueError, match="other settings"):
        Deduplicator(DedupConfig(shingle_size=3), state=path)
    # window, policy and threshold with explicit bands may change between runs
    Deduplicator(DedupConfig(window=3600, policy="best", threshold=0.7, params=(16, 8)),
                 state=path).close()  # fmt: skip


def test_window_purges_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    arts = [load(f"sport/0{i:02d}.txt") for i in range(1, 41)]
    cfg = DedupConfig(window=100.0)
    with Deduplicator(cfg, state=path) as d:
        for k, a in enumerate(arts):
            d.check(a, now=10.0 * k)  # no publication time: arrival time counts
        assert len(d) <= 12
    rows = sqlite3.connect(path).execute("SELECT COUNT(*), MIN(ts) FROM articles").fetchone()
    assert rows[0] <= 16 and rows[1] >= 390.0 - 100.0 - 100.0 / 32 - 10.0
    with Deduplicator(cfg, state=path) as d:
        assert len(d) <= 12
        assert d.check(arts[-1], now=400.0).reason == "exact-duplicate"
        assert d.check(arts[0], now=400.0).emit  # forgotten


def test_processes_racing_on_one_state_emit_each_story_once(tmp_path: Path) -> None:
    """Four real processes get the same stories (each its own outlet's copy) at the same
    moment; check-and-insert is atomic, so each story is emitted by exactly one of them."""
    path = tmp_path / "shared.db"
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
    procs = [run_child(script, str(path), str(k), str(tmp_path)) for k in range(4)]
    deadline = time.time() + 60
    while len(list(tmp_path.glob("ready-*"))) < 4 and time.time() < deadline:
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


def test_kill_9_loses_nothing_and_repeats_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
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
    ref = run_child(script, str(tmp_path / "ref.db"))
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
