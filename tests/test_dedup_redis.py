"""The Redis state against a real redis-server (started by the ``redis_server`` fixtures).

Guarantees of issue #9: (a) the same output as in memory, byte for byte; (d) a Redis restart
with AOF keeps what was committed, and an unreachable server is a clear error naming the URL
with a non-zero exit; (e) ``window`` bounds Redis memory; (f) other settings are refused. The
races (b) and ``kill -9`` (c) run on every store in ``test_dedup_state.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
import redis

from wireingest import Pipeline, Reject
from wireingest._dedup import DedupConfig, Deduplicator
from wireingest._dedup.store.redis import redis_location
from wireingest.errors import StateError
from wireingest.types import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "syndication" / "articles.jsonl"


def _head(n: int) -> bytes:
    with CORPUS.open("rb") as f:
        return b"".join(islice(f, n))


def _run(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "wireingest", "run", *args],
        input=stdin, capture_output=True, env=env, timeout=120,
    )  # fmt: skip


def test_cli_output_on_redis_is_the_in_memory_output_byte_for_byte(redis_server: Any) -> None:
    data = _head(1500)
    memory = _run("--policy", "best", stdin=data)
    assert memory.returncode == 0, memory.stderr
    on_redis = _run("--policy", "best", "--state", redis_server.state(), stdin=data)
    assert on_redis.returncode == 0, on_redis.stderr
    assert on_redis.stdout == memory.stdout
    assert memory.stdout.count(b"\n") < 1400  # duplicates were dropped


def test_pipeline_and_deduplicator_take_a_redis_url(redis_server: Any) -> None:
    url = redis_server.state()
    rec = _head(1)
    with Pipeline(state=url) as p:
        (first,) = p.push(rec, content_type="application/json")
        assert isinstance(first, Article)
    with Pipeline(state=url) as p:
        (again,) = p.push(rec, content_type="application/json")
        assert isinstance(again, Reject) and again.reason == "exact-duplicate"
    with Deduplicator(state=url) as d:  # the pipeline's boilerplate model went with it
        assert d.load_meta("boilerplate-model")
    arts = [Article(id=f"a{i}", body=f"Story number {i} about the harbour works " * 8)
            for i in range(30)]  # fmt: skip
    with Deduplicator(state=url) as d:
        assert all(x.emit for x in d.check_many(arts, now=0.0))
        d.commit(meta={"out-offset": b"1234"})
    with Deduplicator(state=url) as d:
        assert d.load_meta("out-offset") == b"1234"
        assert all(x.reason == "exact-duplicate" for x in d.check_many(arts, now=0.0))


def test_redis_restart_with_aof_keeps_the_committed_state(own_redis_server: Any) -> None:
    url = own_redis_server.state(lease=1)  # the lease held at the kill is persisted too
    # (ocr15: the number three times a sentence: with OCR-folded chunk shingles one number
    # in a sentence repeated ten times leaves about half the shingles shared)
    arts = [Article(id=f"s{i}", body=f"Council approves budget {i} for district {i} and ward {i}. " * 10)
            for i in range(40)]  # fmt: skip
    with Deduplicator(state=url) as d:
        assert all(x.emit for x in d.check_many(arts[:25], now=0.0))
        d.commit(meta={"pos": b"25"})
        d.check_many(arts[25:], now=0.0)  # decided, never committed
        own_redis_server.kill()  # kill -9 the server: AOF (fsync always) has the commit
        with pytest.raises(StateError) as err:
            d.commit()
        assert "127.0.0.1" in str(err.value) and "cannot reach" in str(err.value)
    own_redis_server.start()
    with Deduplicator(state=url) as d:
        assert len(d) == 25
        assert d.load_meta("pos") == b"25"
        again = d.check_many(arts, now=0.0)
        assert [x.emit for x in again] == [False] * 25 + [True] * 15


def test_unreachable_redis_is_a_clear_error_and_a_nonzero_exit(own_redis_server: Any) -> None:
    url = own_redis_server.state()
    own_redis_server.stop()
    with pytest.raises(StateError) as err:
        Deduplicator(state=url)
    assert err.value.location == url and "cannot reach the Redis server" in err.value.cause
    out = _run("--state", url, stdin=_head(20))
    assert out.returncode == 2
    assert out.stdout == b""  # never a silent fallback to memory
    assert url.encode() in out.stderr and b"cannot reach the Redis server" in out.stderr
    assert b"Traceback" not in out.stderr


def test_redis_settings_mismatch_is_refused(redis_server: Any) -> None:
    url = redis_server.state()
    Deduplicator(DedupConfig(num_perm=128), state=url).close()
    with pytest.raises(ValueError, match="other settings"):
        Deduplicator(DedupConfig(num_perm=64), state=url)
    out = _run("--state", url, "--num-perm", "64", stdin=_head(5))
    assert out.returncode == 2 and b"other settings" in out.stderr


def test_window_bounds_redis_memory(redis_server: Any) -> None:
    """An endless stream under --window: the log stays bounded, and an indexed article costs
    at most 1.5 KB of Redis memory (INFO memory)."""
    url = redis_server.state()
    r = redis.Redis(port=redis_server.port)
    words = ["harbour", "council", "budget", "river", "school", "market", "station", "bridge",
             "library", "museum"]  # fmt: skip

    def story(k: int) -> Article:
        body = " ".join(f"{words[(k * 7 + j) % 10]}{(k * 31 + j) % 997}" for j in range(120))
        return Article(id=f"n{k}", body=body)

    before = int(r.info("memory")["used_memory"])
    d = Deduplicator(DedupConfig(window=600.0), state=url)
    sizes = []
    for step in range(40):  # 40 batches of 100 stories, 60 s apart: 10 windows
        d.check_many([story(step * 100 + i) for i in range(100)], now=60.0 * step)
        d.commit()
        sizes.append(r.xlen(url_key(url, "log")))
    peak_entries = max(sizes)
    assert peak_entries <= 1300  # about one window (600 s = 1000 stories) plus slack
    assert sizes[-1] <= 1300 and len(d) <= 1100
    used = int(r.info("memory")["used_memory"]) - before
    per_article = used / sizes[-1]
    assert per_article <= 1536, per_article
    d.close()


def url_key(url: str, name: str) -> str:
    prefix = url.split("prefix=")[1].split("&")[0]
    return f"{{{prefix}}}:{name}"


def test_location_hides_the_password() -> None:
    assert redis_location("redis://:s3cret@db.example:6380/2?prefix=x") == (
        "redis://:***@db.example:6380/2?prefix=x"
    )
    assert redis_location("redis://u:pw@h/0") == "redis://u:***@h/0"
    assert redis_location("redis://h:6379/0") == "redis://h:6379/0"
