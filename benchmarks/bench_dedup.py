"""Dedup speed, each group next to a naive datasketch baseline on the same corpus.

Run (see benchmarks/README.md)::

    pytest benchmarks/bench_dedup.py --benchmark-enable --benchmark-group-by=group

Groups: ``shingling``, ``signatures``, ``lsh`` (query + insert), ``hot-path`` (shingle +
signature + query + verify + insert, in memory), ``sqlite`` (the same with SQLite state and a
commit per batch of 64), ``cli`` (``wireingest run`` on JSON Lines with ``--state``), and
``memory`` (bytes of index per article). The naive baseline is what a datasketch user writes:
``MinHash(num_perm=128)`` per document, ``update()`` per word 5-gram, then
``MinHashLSH.query`` + ``insert``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _data import stream
from datasketch import LeanMinHash, MinHash, MinHashLSH

from wireingest import _kernels
from wireingest._dedup import DedupConfig, Deduplicator, normalize, signatures
from wireingest._dedup._index import KeyIndex
from wireingest._kernels import minhash as K
from wireingest.types import Article

_WORD = re.compile(r"\w+")
BATCH = 64

#: group -> {"ours"|"naive": best seconds per article}; printed by conftest at the end
RESULTS: dict[str, dict[str, float]] = {}
#: free-form figures (quality, bytes per article)
FIGURES: dict[str, str] = {}


def record(group: str, who: str, benchmark: Any, n_articles: int) -> None:
    """Keep the best (minimum) round time per article for the session summary."""
    stats = getattr(benchmark, "stats", None)
    if stats is None:  # benchmarks disabled
        return
    best = getattr(getattr(stats, "stats", stats), "min", None)
    if best is not None:
        RESULTS.setdefault(group, {})[who] = float(best) / n_articles


def naive_shingles(text: str, k: int = 5) -> list[bytes]:
    toks = _WORD.findall(text.lower())
    if len(toks) < k:
        return [" ".join(toks).encode()] if toks else []
    return [" ".join(toks[i : i + k]).encode() for i in range(len(toks) - k + 1)]


def naive_minhash(shingles: list[bytes], num_perm: int) -> MinHash:
    m = MinHash(num_perm=num_perm)
    for s in shingles:
        m.update(s)
    return m


@pytest.fixture(scope="session")
def corpus(knobs: dict[str, Any]) -> list[Article]:
    """500-word articles, about 20 % of them copies of earlier ones."""
    return stream(knobs["n"])


@pytest.fixture(scope="session")
def config(knobs: dict[str, Any]) -> DedupConfig:
    return DedupConfig(
        threshold=knobs["threshold"],
        num_perm=knobs["num_perm"],
        params=knobs["params"],
        shingle_size=knobs["shingle_size"],
    )


def _rounds(knobs: dict[str, Any], slow: bool = False) -> int:
    """1 round as a smoke test; else 5 (3 for the slow naive baselines). The summary uses
    each side's fastest round."""
    if knobs["disabled"]:
        return 1
    return 3 if slow else 5


# -- shingling ------------------------------------------------------------------------------
@pytest.mark.benchmark(group="shingling")
def test_shingling_ours(benchmark: Any, corpus: list[Article], knobs: dict[str, Any]) -> None:
    texts = [a.body for a in corpus]
    k = knobs["shingle_size"]

    def run() -> int:
        total = 0
        for lo in range(0, len(texts), 256):
            cps, off = K.encode_batch([normalize(t) for t in texts[lo : lo + 256]])
            n = len(off) - 1
            sh, _, _ = K.shingle_batch(
                cps, off, np.zeros(n, bool), np.full(n, k, np.int64), knobs["backend"]
            )
            total += len(sh)
        return total

    total = benchmark.pedantic(run, rounds=_rounds(knobs))
    record("shingling", "ours", benchmark, len(texts))
    assert total == sum(len(naive_shingles(t, k)) for t in texts)


@pytest.mark.benchmark(group="shingling")
def test_shingling_naive(benchmark: Any, corpus: list[Article], knobs: dict[str, Any]) -> None:
    texts = [a.body for a in corpus]
    benchmark.pedantic(lambda: [naive_shingles(t) for t in texts], rounds=_rounds(knobs))
    record("shingling", "naive", benchmark, len(texts))


# -- signatures -----------------------------------------------------------------------------
@pytest.mark.benchmark(group="signatures")
def test_signatures_ours(benchmark: Any, corpus: list[Article], knobs: dict[str, Any]) -> None:
    texts = [normalize(a.body) for a in corpus]
    cps, off = K.encode_batch(texts)
    n = len(texts)
    sh, sh_off, _ = K.shingle_batch(cps, off, np.zeros(n, bool), np.full(n, 5, np.int64))
    a, b = K.permutations(knobs["num_perm"], 1)
    sigs = benchmark.pedantic(
        lambda: K.minhash(sh, sh_off, a, b, knobs["backend"]), rounds=_rounds(knobs)
    )
    record("signatures", "ours", benchmark, n)
    assert sigs.shape == (n, knobs["num_perm"])


@pytest.mark.benchmark(group="signatures")
def test_signatures_naive(benchmark: Any, corpus: list[Article], knobs: dict[str, Any]) -> None:
    shingles = [naive_shingles(a.body) for a in corpus]
    num_perm = knobs["num_perm"]
    benchmark.pedantic(
        lambda: [naive_minhash(s, num_perm) for s in shingles], rounds=_rounds(knobs, slow=True)
    )
    record("signatures", "naive", benchmark, len(shingles))


# -- LSH query + insert ---------------------------------------------------------------------
@pytest.mark.benchmark(group="lsh")
def test_lsh_ours(benchmark: Any, corpus: list[Article], config: DedupConfig,
                  knobs: dict[str, Any]) -> None:  # fmt: skip
    sigs = signatures([a.body for a in corpus], num_perm=config.num_perm)
    d = Deduplicator(config)
    keys = K.band_keys(sigs, d._nb, d._nr, d._row_mult, d._band_ids)

    width = keys.shape[1]
    rows = keys.tolist()

    def run() -> int:
        # as Deduplicator does it: the array slots of a batch's keys in one pass, then per
        # article the recent buffer, then insert; the buffer is merged into the sorted arrays
        # between batches
        index = KeyIndex()
        hits = 0
        for b0 in range(0, len(rows), BATCH):
            batch = keys[b0 : b0 + BATCH]
            lo, hi = index.ranges(batch.ravel())
            found, g_off = index.find_many(lo, hi, np.arange(len(batch) + 1) * width)
            slots, off = found.tolist(), g_off.tolist()
            for j, row in enumerate(rows[b0 : b0 + BATCH]):
                found = set(slots[off[j] : off[j + 1]])
                if index.buf_n:
                    index.find_recent(row, found)
                hits += bool(found)
                index.add(row, b0 + j)
            if index.needs_merge():
                index.merge()
        return hits

    hits = benchmark.pedantic(run, rounds=_rounds(knobs))
    record("lsh", "ours", benchmark, len(corpus))
    assert hits >= 0.1 * len(corpus)  # the planted copies collide


@pytest.mark.benchmark(group="lsh")
def test_lsh_naive(benchmark: Any, corpus: list[Article], config: DedupConfig,
                   knobs: dict[str, Any]) -> None:  # fmt: skip
    mhs = [LeanMinHash(naive_minhash(naive_shingles(a.body), config.num_perm)) for a in corpus]

    def run() -> None:
        lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
        for i, m in enumerate(mhs):
            lsh.query(m)
            lsh.insert(i, m)

    benchmark.pedantic(run, rounds=_rounds(knobs))
    record("lsh", "naive", benchmark, len(mhs))


# -- hot path: shingle + signature + query + verify + insert --------------------------------
def _quality(corpus: list[Article], emitted: set[str]) -> str:
    dups = [a.id for a in corpus if a.id.startswith("dup-")]
    gens = [a.id for a in corpus if a.id.startswith("gen-")]
    caught = sum(1 for i in dups if i not in emitted) / max(len(dups), 1)
    kept = sum(1 for i in gens if i in emitted) / max(len(gens), 1)
    return f"planted copies dropped {caught:.3f}, distinct articles kept {kept:.3f}"


@pytest.mark.benchmark(group="hot-path")
def test_hot_path_ours(benchmark: Any, corpus: list[Article], config: DedupConfig,
                       knobs: dict[str, Any]) -> None:  # fmt: skip
    def run() -> set[str]:
        d = Deduplicator(config, backend=knobs["backend"] or _kernels.DEFAULT_BACKEND)
        emitted: set[str] = set()
        for lo in range(0, len(corpus), BATCH):
            batch = corpus[lo : lo + BATCH]
            for a, dec in zip(batch, d.check_many(batch, now=0.0), strict=True):
                if dec.emit:
                    emitted.add(a.id)
        return emitted

    emitted = benchmark.pedantic(run, rounds=_rounds(knobs))
    record("hot-path", "ours", benchmark, len(corpus))
    FIGURES["hot-path quality, ours"] = _quality(corpus, emitted)
    gens = sum(1 for a in corpus if a.id.startswith("gen-"))
    assert gens * 0.99 <= len(emitted) <= gens + 0.05 * len(corpus)


@pytest.mark.benchmark(group="hot-path")
def test_hot_path_naive(benchmark: Any, corpus: list[Article], config: DedupConfig,
                        knobs: dict[str, Any]) -> None:  # fmt: skip
    def run() -> set[str]:
        lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
        emitted: set[str] = set()
        for a in corpus:
            m = naive_minhash(naive_shingles(a.body), config.num_perm)
            if not lsh.query(m):
                lsh.insert(a.id, m)
                emitted.add(a.id)
        return emitted

    emitted = benchmark.pedantic(run, rounds=_rounds(knobs, slow=True))
    record("hot-path", "naive", benchmark, len(corpus))
    FIGURES["hot-path quality, naive (no verification)"] = _quality(corpus, emitted)


# -- SQLite state and the command line ------------------------------------------------------
@pytest.mark.benchmark(group="sqlite")
def test_sqlite_path_ours(benchmark: Any, corpus: list[Article], config: DedupConfig,
                          knobs: dict[str, Any], tmp_path: Path) -> None:  # fmt: skip
    counter = iter(range(1000))

    def run() -> int:
        emitted = 0
        db = tmp_path / f"s{next(counter)}.db"
        with Deduplicator(config, state=db, backend=knobs["backend"] or _kernels.DEFAULT_BACKEND) as d:
            for lo in range(0, len(corpus), BATCH):
                emitted += sum(x.emit for x in d.check_many(corpus[lo : lo + BATCH], now=0.0))
                d.flush()
        return emitted

    emitted = benchmark.pedantic(run, rounds=_rounds(knobs))
    record("sqlite", "ours", benchmark, len(corpus))
    assert emitted >= 0.75 * len(corpus)


def _jsonl(path: Path, articles: list[Article], outlets: int = 0) -> None:
    """JSON Lines of ``articles``; with ``outlets``, each record has the URL of one of that
    many sites, so the per-source boilerplate model learns and strips as it would live."""
    with path.open("w", encoding="utf-8") as f:
        for i, a in enumerate(articles):
            rec = {"id": a.id, "title": f"Story {i}", "body": a.body, "language": "en",
                   "published": f"2024-05-{1 + i % 28:02d}T10:00:00Z"}  # fmt: skip
            if outlets:
                rec["url"] = f"https://www.outlet{i % outlets}.example/news/{i}"
            f.write(json.dumps(rec) + "\n")


def _cli_run(src: Path, db: Path) -> int:
    from wireingest.cli import main

    err = io.StringIO()
    out = Path(str(db) + ".out")
    with contextlib.redirect_stderr(err):
        status = main(["run", str(src), "--state", str(db), "--rejects", str(db) + ".rej",
                       "--out", str(out), "--quiet"])  # fmt: skip
    assert status == 0, err.getvalue()
    return out.read_bytes().count(b"\n")


def _cli_stream(benchmark: Any, knobs: dict[str, Any], tmp_path: Path, name: str,
                outlets: int) -> None:  # fmt: skip
    n = 150 if knobs["disabled"] else max(knobs["n"], 5000)
    src = tmp_path / f"{name}.jsonl"
    _jsonl(src, stream(n, seed=13), outlets=outlets)
    counter = iter(range(1000))
    lines = benchmark.pedantic(
        lambda: _cli_run(src, tmp_path / f"{name}{next(counter)}.db"),
        rounds=1 if knobs["disabled"] else 5,
    )
    record(name, "ours", benchmark, n)
    assert lines >= 0.75 * n


@pytest.mark.benchmark(group="cli")
def test_cli_jsonl_with_state(benchmark: Any, knobs: dict[str, Any], tmp_path: Path) -> None:
    """``wireingest run`` throughput on a stream: 5,000 articles (``--dedup-n`` when larger),
    so that the fixed cost of one run (opening and closing the state, about 10 ms; see
    ``test_cli_fixed_cost``) does not count as per-article time."""
    _cli_stream(benchmark, knobs, tmp_path, "cli", outlets=0)


@pytest.mark.benchmark(group="cli")
def test_cli_jsonl_with_urls(benchmark: Any, knobs: dict[str, Any], tmp_path: Path) -> None:
    """The same stream with a URL on every record (20 outlets): the per-source boilerplate
    model then strips and learns every page's lines, and is saved when the run ends."""
    _cli_stream(benchmark, knobs, tmp_path, "cli-urls", outlets=20)


@pytest.mark.benchmark(group="cli")
def test_cli_fixed_cost(benchmark: Any, knobs: dict[str, Any], tmp_path: Path) -> None:
    """What one ``wireingest run`` costs besides its articles (one-record input, new state),
    and what a new process adds (interpreter, imports, numba's cached kernels)."""
    import subprocess
    import sys
    import time

    src = tmp_path / "one.jsonl"
    _jsonl(src, stream(1, seed=17))
    counter = iter(range(1000))
    benchmark.pedantic(
        lambda: _cli_run(src, tmp_path / f"one{next(counter)}.db"),
        rounds=1 if knobs["disabled"] else 10,
    )
    stats = getattr(benchmark, "stats", None)
    if stats is None:
        return
    best = float(getattr(getattr(stats, "stats", stats), "min", 0.0))
    walls = []
    for k in range(1 if knobs["disabled"] else 3):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wireingest", "run", str(src), "--state",
             str(tmp_path / f"proc{k}.db")],
            check=True, capture_output=True,
        )  # fmt: skip
        walls.append(time.perf_counter() - t)
    FIGURES["cli fixed cost"] = (
        f"{best * 1e3:.1f} ms per run in a warm process; a new process takes "
        f"{min(walls):.2f} s for a one-record input"
    )


# -- memory ---------------------------------------------------------------------------------
@pytest.mark.benchmark(group="memory")
def test_index_memory_per_article(benchmark: Any, config: DedupConfig,
                                  knobs: dict[str, Any]) -> None:  # fmt: skip
    n = 2000 if knobs["disabled"] else max(knobs["n"], 50_000)
    arts = stream(n, dup_rate=0.0, seed=5)

    Deduplicator(config).check_many(arts[:8], now=0.0)  # kernels and caches loaded untraced
    parts: dict[str, int] = {}

    def run() -> float:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        d = Deduplicator(config)
        for lo in range(0, n, 256):
            d.check_many(arts[lo : lo + 256], now=0.0)
        used = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        assert len(d) >= 0.99 * n
        s = d._slots
        parts["signatures"] = s.sig.nbytes
        parts["other slot arrays"] = s.nbytes() - s.sig.nbytes - s.ids.nbytes()
        parts["ids"] = s.ids.nbytes()
        parts["key index"] = d._index.nbytes()
        parts["boilerplate sketch"] = d._boiler.nbytes()
        return used / len(d)

    per = benchmark.pedantic(run, rounds=1)
    split = ", ".join(f"{k} {v / n:.0f}" for k, v in parts.items())
    fixed = parts["boilerplate sketch"]  # 4 MiB whatever the number of articles
    growing = per - fixed / n
    FIGURES[f"index memory, {n} articles"] = (
        f"{per:.0f} bytes/article, {growing:.0f} without the fixed 4 MiB boilerplate sketch "
        f"(tracemalloc; of which {split}; arrays with growth room)"
    )
    if n >= 50_000:
        assert growing <= 600 and per <= 700  # issue #11 goal 4
