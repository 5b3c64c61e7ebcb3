"""The speed table of issue #11: wireingest against rensa and datasketch, one process, one run.

Run from the repository root::

    python -m benchmarks.speed                    # 24,000 articles, the table for the README
    python -m benchmarks.speed --articles 2000 --rounds 1 --no-first-run   # a quick look

Every row runs on the same generated articles (:func:`benchmarks._data.stream`: 500-word
articles, 20 % planted copies, 3/4 of them near copies), in this process, and its time is given
as a ratio against **rensa's bare hot-path loop** measured in the same run: a plain Python
word-5-gram shingler (``re.findall(r"\\w+")`` over the lower-cased text), ``RMinHash(128)``
``.update(shingles)``, ``RMinHashLSH(threshold 0.8, 128 permutations, 16 bands)`` ``query``,
and ``insert`` when nothing was found. Ratios above 1 are faster than that loop.

1. **Hot path, one core**: normalise, shingle, sign, query, (verify,) insert.

   * wireingest ``Deduplicator.check_many`` in batches of 64, in memory (numba, and the numpy
     fallback);
   * rensa ``RMinHash`` + ``RMinHashLSH`` (the baseline), rensa ``CMinHash`` (C-MinHash; rensa
     has no LSH index for it, so its band keys go into a Python dict, as a user would do);
   * datasketch ``MinHash.update_batch`` + ``MinHashLSH``, and datasketch ``update()`` per
     shingle + ``MinHashLSH`` (slow: timed on the first ``--slow-articles`` articles only).

2. **End to end**: ``wireingest run ARTICLES.jsonl --state DB --out FILE`` in a new process
   (reading, JSON parsing, cleaning, boilerplate model, dedup, JSON writing, SQLite commits
   and the interpreter's start-up included) with ``--workers 1`` and ``--workers 2``, against
   the same rensa loop on the same articles (bodies only, in memory, no I/O). The outputs of
   the two worker counts are compared byte for byte. ``--python`` runs them (and the first-run
   rows) with another environment's wireingest: ``--python .venv/bin/python`` after the
   README's first command measures the default install (``pip install .``, no extras).

3. **First-run latency**: a new interpreter from ``import`` to its first decision with an empty
   numba cache (compiling), with a warm cache, and with the numpy fallback.

Timings are the best of ``--rounds`` rounds; the rounds of the rows alternate, so that a load
change on a shared machine touches every row. The machine's load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import stream

from wireingest.types import Article

_WORD = re.compile(r"\w+")
NUM_PERM = 128
BANDS = 16
THRESHOLD = 0.8
BATCH = 64


def word_shingles(text: str, k: int = 5) -> list[str]:
    """The plain Python shingler the baselines get: lower case, ``\\w+`` words, joined k-grams."""
    toks = _WORD.findall(text.lower())
    if len(toks) < k:
        return [" ".join(toks)] if toks else []
    return [" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)]


# -- the hot-path loops: each takes the bodies and returns how many it emitted --------------
def rensa_rminhash(bodies: list[str]) -> int:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(THRESHOLD, NUM_PERM, BANDS)
    emitted = 0
    for i, body in enumerate(bodies):
        m = RMinHash(NUM_PERM, 42)
        m.update(word_shingles(body))
        if not lsh.query(m):
            lsh.insert(i, m)
            emitted += 1
    return emitted


def rensa_cminhash(bodies: list[str]) -> int:
    from rensa import CMinHash

    rows = NUM_PERM // BANDS
    index: dict[tuple[int, int], int] = {}
    emitted = 0
    for i, body in enumerate(bodies):
        m = CMinHash(NUM_PERM, 42)
        m.update(word_shingles(body))
        d = m.digest()
        keys = [(b, hash(tuple(d[b * rows : (b + 1) * rows]))) for b in range(BANDS)]
        if not any(k in index for k in keys):
            for k in keys:
                index[k] = i
            emitted += 1
    return emitted


def datasketch_batch(bodies: list[str]) -> int:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS))
    proto = MinHash(num_perm=NUM_PERM)  # permutations made once, as a careful user does
    emitted = 0
    for i, body in enumerate(bodies):
        m = MinHash(num_perm=NUM_PERM, permutations=proto.permutations, scheme=proto.scheme)
        m.update_batch([s.encode() for s in word_shingles(body)])
        if not lsh.query(m):
            lsh.insert(i, m)
            emitted += 1
    return emitted


def datasketch_update(bodies: list[str]) -> int:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS))
    emitted = 0
    for i, body in enumerate(bodies):
        m = MinHash(num_perm=NUM_PERM)
        for s in word_shingles(body):
            m.update(s.encode())
        if not lsh.query(m):
            lsh.insert(i, m)
            emitted += 1
    return emitted


def _ours(backend: str) -> Callable[[list[Article]], int]:
    def run(arts: list[Article]) -> int:
        from wireingest._dedup import DedupConfig, Deduplicator

        d = Deduplicator(DedupConfig(threshold=THRESHOLD, num_perm=NUM_PERM), backend=backend)
        emitted = 0
        for lo in range(0, len(arts), BATCH):
            emitted += sum(x.emit for x in d.check_many(arts[lo : lo + BATCH], now=0.0))
        return emitted

    return run


def _best(fn: Callable[[], Any], times: list[float]) -> Any:
    t = time.perf_counter()
    out = fn()
    times.append(time.perf_counter() - t)
    return out


def hot_path(arts: list[Article], slow_n: int, rounds: int) -> list[dict[str, Any]]:
    """Seconds per article (best round) and emitted count of every hot-path row."""
    from wireingest import _kernels

    bodies = [a.body for a in arts]
    slow = bodies[:slow_n]
    rows: list[tuple[str, Callable[[], int], int]] = [
        ("rensa RMinHash + RMinHashLSH (baseline)", lambda: rensa_rminhash(bodies), len(arts)),
        ("wireingest check_many (numba)", lambda: _ours("numba")(arts), len(arts)),
        ("wireingest check_many (numpy fallback)", lambda: _ours("numpy")(arts), len(arts)),
        ("rensa CMinHash + dict of band keys", lambda: rensa_cminhash(bodies), len(arts)),
        ("datasketch update_batch + MinHashLSH", lambda: datasketch_batch(bodies), len(arts)),
        (f"datasketch update per shingle + MinHashLSH ({slow_n} articles)",
         lambda: datasketch_update(slow), len(slow)),
    ]  # fmt: skip
    if "numba" not in _kernels.BACKENDS:
        rows = [r for r in rows if "numba" not in r[0]]
    _ours(_kernels.DEFAULT_BACKEND)(arts[:200])  # kernels loaded
    times: dict[str, list[float]] = {name: [] for name, _, _ in rows}
    emitted: dict[str, int] = {}
    for r in range(rounds):
        for name, fn, _ in rows:
            if r and "per shingle" in name:
                continue  # one round of the slowest row is enough
            emitted[name] = _best(fn, times[name])
    return [
        {"row": name, "n": n, "s_per_article": min(times[name]) / n, "emitted": emitted[name]}
        for name, _, n in rows
    ]


# -- end to end ---------------------------------------------------------------------------
def write_jsonl(path: Path, arts: list[Article]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i, a in enumerate(arts):
            rec = {"id": a.id, "title": f"Story {i}", "body": a.body, "language": "en",
                   "published": f"2024-05-{1 + i % 28:02d}T10:00:00Z"}  # fmt: skip
            f.write(json.dumps(rec) + "\n")


def cli_run(
    src: Path, work: Path, name: str, workers: int, python: str = sys.executable
) -> tuple[float, Path]:
    """Wall seconds of ``wireingest run`` in a new process of ``python``, and its output."""
    db, out = work / f"{name}.db", work / f"{name}.out"
    for p in (db, out, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    cmd = [python, "-m", "wireingest", "run", str(src), "--state", str(db),
           "--out", str(out), "--rejects", str(out) + ".rej", "--quiet",
           "--workers", str(workers)]  # fmt: skip
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t, out


def end_to_end(
    arts: list[Article], rounds: int, workers: list[int], python: str = sys.executable
) -> dict[str, Any]:
    bodies = [a.body for a in arts]
    with tempfile.TemporaryDirectory(prefix="wi-speed-") as tmp:
        work = Path(tmp)
        src = work / "articles.jsonl"
        write_jsonl(src, arts)
        one = work / "one.jsonl"
        write_jsonl(one, arts[:1])
        cli_run(one, work, "warm", 1, python)  # numba's cache warm, files in the page cache
        base: list[float] = []
        walls: dict[int, list[float]] = {w: [] for w in workers}
        fixed: list[float] = []
        outs: dict[int, bytes] = {}
        for _ in range(rounds):
            _best(lambda: rensa_rminhash(bodies), base)
            for w in workers:
                t, out = cli_run(src, work, f"w{w}", w, python)
                walls[w].append(t)
                outs[w] = out.read_bytes()
            fixed.append(cli_run(one, work, "one", 1, python)[0])
        same = len({hashlib_digest(b) for b in outs.values()}) == 1
    return {
        "n": len(arts),
        "rensa_s": min(base),
        "walls": {w: min(v) for w, v in walls.items()},
        "fixed_s": min(fixed),
        "identical_output": same,
    }


def hashlib_digest(b: bytes) -> str:
    import hashlib

    return hashlib.blake2b(b, digest_size=16).hexdigest()


# -- first run ------------------------------------------------------------------------------
_FIRST = (
    "import time;t=time.perf_counter();from wireingest._dedup import Deduplicator;"
    "from wireingest.types import Article;"
    "Deduplicator().check(Article(id='a',body='one two three four five six'));"
    "print(time.perf_counter()-t)"
)


def first_run(python: str = sys.executable) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="wi-numba-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        env.pop("WIREINGEST_NO_NUMBA", None)
        for name in ("cold numba cache", "warm numba cache"):
            t = time.perf_counter()
            r = subprocess.run([python, "-c", _FIRST], env=env, check=True,
                               capture_output=True, text=True)  # fmt: skip
            out[name] = float(r.stdout.strip().splitlines()[-1])
            out[name + " (process)"] = time.perf_counter() - t
        env["WIREINGEST_NO_NUMBA"] = "1"
        t = time.perf_counter()
        r = subprocess.run([python, "-c", _FIRST], env=env, check=True,
                           capture_output=True, text=True)  # fmt: skip
        out["numpy fallback"] = float(r.stdout.strip().splitlines()[-1])
        out["numpy fallback (process)"] = time.perf_counter() - t
    return out


# -- report ---------------------------------------------------------------------------------
def report(hot: list[dict[str, Any]], e2e: dict[str, Any] | None,
           first: dict[str, float] | None) -> str:  # fmt: skip
    base = hot[0]["s_per_article"]
    lines = [
        "| hot path, one core | articles/s | vs rensa RMinHash | emitted |",
        "|---|---|---|---|",
    ]
    for r in hot:
        s = r["s_per_article"]
        lines.append(f"| {r['row']} | {1 / s:,.0f} | {base / s:.2f}x | "
                     f"{r['emitted']:,} of {r['n']:,} |")  # fmt: skip
    if e2e:
        n, rs = e2e["n"], e2e["rensa_s"]
        lines += [
            "",
            f"| end to end, {n:,} articles | seconds | articles/s | vs rensa's bare loop |",
            "|---|---|---|---|",
            f"| rensa RMinHash + RMinHashLSH, bodies in memory | {rs:.2f} | {n / rs:,.0f} | "
            "1.00x |",
        ]
        for w, t in e2e["walls"].items():
            lines.append(f"| `wireingest run --state --workers {w}` (new process) | {t:.2f} | "
                         f"{n / t:,.0f} | {rs / t:.2f}x |")  # fmt: skip
        lines.append(
            f"\nA one-record `wireingest run` (start-up, imports, kernels, state open and "
            f"close) takes {e2e['fixed_s']:.2f} s of each run above. Outputs of "
            f"{' and '.join(str(w) for w in e2e['walls'])} workers identical: "
            f"{e2e['identical_output']}."
        )
    if first:
        lines += ["", "| first run: import to first decision | seconds | whole process |",
                  "|---|---|---|"]  # fmt: skip
        for k in ("cold numba cache", "warm numba cache", "numpy fallback"):
            lines.append(f"| {k} | {first[k]:.2f} | {first[k + ' (process)']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=24_000)
    ap.add_argument("--slow-articles", type=int, default=1_000,
                    help="articles for datasketch's per-shingle row (default 1,000)")  # fmt: skip
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", default="1,2", help="worker counts end to end (default 1,2)")
    ap.add_argument("--no-end-to-end", action="store_true")
    ap.add_argument("--no-first-run", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    ap.add_argument("--python", default=sys.executable,
                    help="the interpreter whose wireingest the end-to-end and first-run rows "
                    "run (default: this one); e.g. a venv of the README's first command, "
                    "the default install")  # fmt: skip
    args = ap.parse_args(argv)
    load0 = os.getloadavg()
    arts = stream(args.articles, seed=23)
    hot = hot_path(arts, min(args.slow_articles, len(arts)), args.rounds)
    e2e = None
    if not args.no_end_to_end:
        e2e = end_to_end(arts, args.rounds, [int(w) for w in args.workers.split(",")],
                         args.python)  # fmt: skip
    first = None if args.no_first_run else first_run(args.python)
    load1 = os.getloadavg()
    print(report(hot, e2e, first))
    print(f"\nload average {load0[0]:.1f} at the start, {load1[0]:.1f} at the end; "
          f"{os.cpu_count()} cores; python -m benchmarks.speed "
          f"{' '.join(sys.argv[1:])}".rstrip())  # fmt: skip
    if args.json:
        print(json.dumps({"hot": hot, "end_to_end": e2e, "first_run": first}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
