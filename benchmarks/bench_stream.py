"""The streaming CLI: latency for a live stream, throughput for a file (issue #16).

Run::

    pytest benchmarks/bench_stream.py --benchmark-enable -s

``test_file_throughput`` runs the reading + pipeline + writing loop of ``wireingest run`` on a
JSON Lines file (with a SQLite state) two ways in one session, alternating rounds: today's
streaming loop (:func:`wireingest._io.read_inputs`, batches closed by size, by ``--max-delay``
200 ms or when input pauses, one unbuffered write per record, a checkpoint committed with each
batch for ``--out``) against the loop before the change (``iter_documents``, batches closed by
size only, buffered output, a flush before each commit). It prints both rates and their ratio.

``test_live_latency`` starts the real CLI, writes records into its stdin at 5 per second and
prints how long each took to come out of its stdout (issue goal: under 500 ms).
"""

from __future__ import annotations

import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from _data import articles, stream

from wireingest._io import iter_documents, read_inputs
from wireingest._pipeline import Pipeline
from wireingest.cli import _Output
from wireingest.types import Article

ROOT = Path(__file__).resolve().parent.parent


def _write_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in stream(n):
            fh.write(json.dumps({"id": a.id, "title": a.title, "body": a.body}) + "\n")


def _before(src: Path, state: Path) -> int:
    """The loop as it was: batches by size only, buffered output flushed before each commit."""
    with open(os.devnull, "w", encoding="utf-8") as out, Pipeline(
        state=state, batch_size=256, max_delay=float("inf")
    ) as p:
        for r in p.process(iter_documents([src]), before_commit=lambda: out.flush() or None):
            if isinstance(r, Article):
                out.write(r.to_json() + "\n")
        return p.stats.emitted


def _now(src: Path, state: Path) -> int:
    """The loop of today's CLI with ``--out``: latency-bounded batches, one write per record,
    the output offset committed with each batch."""
    fd = os.open(os.devnull, os.O_WRONLY)
    out = _Output(fd, "devnull")
    try:
        with Pipeline(state=state, batch_size=256, max_delay=0.2) as p:
            mark = lambda: json.dumps({"out": out.mark()}).encode()  # noqa: E731
            for r in p.process(read_inputs([src]), before_commit=mark):
                if isinstance(r, Article):
                    out.write((r.to_json() + "\n").encode("utf-8"))
            return p.stats.emitted
    finally:
        os.close(fd)


def test_file_throughput(benchmark: Any, knobs: dict[str, Any]) -> None:
    n = knobs["n"] if knobs["disabled"] else max(knobs["n"], 5000)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        _write_corpus(src, n)
        rounds = 1 if knobs.get("disabled") else 3
        best = {"before": float("inf"), "now": float("inf")}
        emitted = {}
        for i in range(rounds):
            for name, fn in (("before", _before), ("now", _now)):
                state = Path(tmp) / f"{name}-{i}.sqlite"
                t0 = time.perf_counter()
                emitted[name] = fn(src, state)
                best[name] = min(best[name], time.perf_counter() - t0)
        assert emitted["before"] == emitted["now"]  # the same decisions either way
        counter = iter(range(1 << 30))
        benchmark.pedantic(
            lambda: _now(src, Path(tmp) / f"bench-{next(counter)}.sqlite"), rounds=1, iterations=1
        )
        ratio = best["before"] / best["now"]
        print(
            f"\nfile throughput, {n} articles: before {n / best['before']:.0f}/s, "
            f"now {n / best['now']:.0f}/s, ratio now/before {ratio:.3f}"
        )


def test_live_latency(knobs: dict[str, Any]) -> None:
    n = 5 if knobs.get("disabled") else 25
    recs = [
        json.dumps({"id": a.id, "title": a.title, "body": a.body}) for a in articles(n + 1, seed=3)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wireingest", "run", "--state", f"{tmp}/s.sqlite",
             "--rejects", os.devnull],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        lines: queue.Queue[float] = queue.Queue()
        stdout = proc.stdout

        def pump() -> None:
            for _ in iter(stdout.readline, b""):
                lines.put(time.monotonic())

        threading.Thread(target=pump, daemon=True).start()
        proc.stdin.write(recs[0].encode() + b"\n")  # start-up is not part of the bound
        proc.stdin.flush()
        lines.get(timeout=120)
        delays = []
        for rec in recs[1:]:
            sent = time.monotonic()
            proc.stdin.write(rec.encode() + b"\n")
            proc.stdin.flush()
            try:
                delays.append(lines.get(timeout=30) - sent)
            except queue.Empty:
                pytest.fail("a record did not come out within 30 s")
            time.sleep(max(0.0, 0.2 - (time.monotonic() - sent)))
        proc.stdin.close()
        proc.wait(timeout=60)
    print(
        f"\nlive latency at 5 records/s ({len(delays)} records): median "
        f"{statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
        "(goal: under 500 ms)"
    )


def test_workers_throughput(knobs: dict[str, Any]) -> None:
    """``wireingest run --workers 2`` against ``--workers 1`` on the Zyte benchmark pages
    (parsing is most of their cost) and on generated JSON Lines, alternating runs."""
    pages = sorted((ROOT / "corpora" / "zyte" / "html").glob("*"))
    assert pages, "the Zyte benchmark pages are needed (corpora/zyte/html)"
    small = knobs["disabled"]
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "html"
        html.mkdir()
        for f in pages[: 8 if small else None]:
            (html / f.name).write_bytes(f.read_bytes())
        jsonl = Path(tmp) / "in.jsonl"
        _write_corpus(jsonl, 150 if small else 5000)
        for name, src in (("pages", html), ("json-lines", jsonl)):
            best: dict[int, float] = {1: float("inf"), 2: float("inf")}
            outs: dict[int, bytes] = {}
            for i in range(1 if small else 2):
                for w in (1, 2):
                    t0 = time.perf_counter()
                    p = subprocess.run(
                        [sys.executable, "-m", "wireingest", "run", str(src), "--workers", str(w),
                         "--state", f"{tmp}/{name}-{w}-{i}.db", "--rejects", os.devnull],
                        cwd=ROOT, capture_output=True, timeout=600,
                    )  # fmt: skip
                    best[w] = min(best[w], time.perf_counter() - t0)
                    assert p.returncode == 0, p.stderr
                    outs[w] = p.stdout
            assert outs[1] == outs[2]
            print(f"\n--workers on {name}: 1 worker {best[1]:.2f} s, 2 workers {best[2]:.2f} s, "
                  f"speed-up {best[1] / best[2]:.2f}x (load average {os.getloadavg()[0]:.1f})")
