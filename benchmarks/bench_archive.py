"""Archive dedup on Spark (``wireingest archive``): quality and scale.

``python benchmarks/bench_archive.py quality``: archive the labelled syndication corpus
(``corpora/syndication``) with chains as stars and as connected components, stream it with
``wireingest run``, and score all three against the labels (pairwise F1, hard-negative merges;
the scoring of ``benchmarks/quality.py``). Clusters come from the output files alone:
``duplicate_of`` of every reject, ``supersedes`` and ``extra.related`` of every article.

``python benchmarks/bench_archive.py scale --sizes 25000 100000``: generate archives of those
sizes from the corpus (``make_archive``: every copy of the corpus gets its own vocabulary, so
copies are not duplicates of one another), run ``wireingest archive`` on ``local[2]`` and
``wireingest run`` on the same input, and report docs/s and shuffle bytes per article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.quality import (  # noqa: E402
    DEFAULT_CORPUS,
    clusters_from_links,
    load_corpus,
    score,
)

PY = sys.executable


def _lines(paths: Iterable[Path]) -> Iterable[dict[str, Any]]:
    for p in paths:
        with p.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def output_links(articles: Iterable[Path], rejects: Iterable[Path]) -> list[tuple[str, str]]:
    """Links an output carries: reject -> duplicate_of, article -> supersedes / related."""
    links: list[tuple[str, str]] = []
    for r in _lines(rejects):
        if r.get("id") and r.get("duplicate_of"):
            links.append((r["id"], r["duplicate_of"]))
    for a in _lines(articles):
        links.extend((a["id"], s) for s in a.get("supersedes") or ())
        rel = (a.get("extra") or {}).get("related")
        if rel:
            links.append((a["id"], rel))
    return links


def score_output(
    articles: Sequence[Path], rejects: Sequence[Path], corpus_dir: Path = DEFAULT_CORPUS
) -> dict[str, Any]:
    corpus = load_corpus(corpus_dir)
    pred = clusters_from_links(corpus.labels, output_links(articles, rejects))
    sc = score(corpus.labels, pred)
    n_art = sum(1 for _ in _lines(articles))
    n_rej = sum(1 for _ in _lines(rejects))
    return {
        "f1": round(sc.f1, 4), "precision": round(sc.precision, 4),
        "recall": round(sc.recall, 4), "hard_negative_merges": len(sc.hard_negative_merges),
        "brief_update_recall": round(sc.brief_update_recall, 4), "emitted": n_art,
        "rejected": n_rej,
    }  # fmt: skip


def run_stream(inp: Sequence[Path], out: Path, *args: str) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with (out / "articles.jsonl").open("w") as fo:
        subprocess.run(
            [PY, "-m", "wireingest", "run", *map(str, inp), "--rejects",
             str(out / "rejects.jsonl"), *args],
            stdout=fo, stderr=subprocess.DEVNULL, check=True,
        )  # fmt: skip
    return time.perf_counter() - t0


def quality(args: argparse.Namespace) -> int:
    src = args.corpus / "articles.jsonl"
    work = Path(args.work)
    results: dict[str, Any] = {}
    t = run_stream([src], work / "stream", "--policy", args.policy)
    results["run"] = score_output([work / "stream/articles.jsonl"], [work / "stream/rejects.jsonl"])
    results["run"]["seconds"] = round(t, 1)
    from wireingest._dedup import DedupConfig
    from wireingest.archive import dedup, spark_session

    spark = spark_session(args.master, args.partitions)
    for chain in ("star", "components"):
        out = work / f"archive-{chain}"
        t0 = time.perf_counter()
        res = dedup(
            spark, [str(src)], out, DedupConfig(policy=args.policy), chain=chain,
            partitions=args.partitions,
        )  # fmt: skip
        sc = score_output(sorted((out / "articles").glob("*.jsonl")),
                          sorted((out / "rejects").glob("*.jsonl")))  # fmt: skip
        sc["seconds"] = round(time.perf_counter() - t0, 1)
        sc["rounds"] = res.rounds
        results[f"archive/{chain}"] = sc
    print(json.dumps(results, indent=1))
    return 0
