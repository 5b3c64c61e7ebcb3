"""Article-body quality on the Zyte article-extraction benchmark: wireingest next to trafilatura.

Usage::

    python benchmarks/zyte.py [--limit N] [--json] [--worst K] [--no-trafilatura]

Reads the 181 pages (``html/*.html.gz``) and ``ground-truth.json`` from ``corpora/zyte/`` (or the
shared copy in ``../shared/corpora/zyte-article-extraction-benchmark/``), runs both extractors
on the same pages in the same process, and prints precision, recall and F1 as the benchmark
defines them (4-token shingles over ``\\w+`` tokens, per-page normalised counts, mean precision
and mean recall over pages, F1 of those means: see ``wireingest/_formats/_htmlscore.py``),
plus pages per second.

What is timed: for wireingest, :func:`wireingest._formats.html.extract_main` on the page bytes
(decoding, parsing, metadata needed for the body hint, extraction); for trafilatura,
``trafilatura.extract(html_text, include_comments=False)`` on the decoded text, which is how the
benchmark's own ``run_trafilatura.py`` calls it (tables included, its default; no precision or
recall favouring). Decompressing the gzip files is not timed for either.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wireingest._formats._htmlscore import PageScore, aggregate, score_page  # noqa: E402
from wireingest._formats.html import extract_main  # noqa: E402

CORPUS_DIRS = (
    ROOT / "corpora" / "zyte",
    ROOT.parent / "shared" / "corpora" / "zyte-article-extraction-benchmark",
)


def find_corpus() -> Path:
    for path in CORPUS_DIRS:
        if (path / "ground-truth.json").is_file():
            return path
    raise SystemExit("Zyte corpus not found in: " + ", ".join(str(p) for p in CORPUS_DIRS))


def load(corpus: Path, limit: int | None) -> list[tuple[str, str, bytes]]:
    truth: dict[str, dict[str, Any]] = json.loads(
        (corpus / "ground-truth.json").read_text(encoding="utf-8")
    )
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    return [
        (
            k,
            truth[k].get("articleBody", ""),
            gzip.decompress((corpus / "html" / f"{k}.html.gz").read_bytes()),
        )
        for k in keys
    ]


def run_wireingest(pages: list[tuple[str, str, bytes]]) -> tuple[dict[str, str], float]:
    out: dict[str, str] = {}
    t0 = time.process_time()
    for key, _, data in pages:
        out[key] = "\n".join(extract_main(data).paragraphs)
    return out, time.process_time() - t0


def run_trafilatura(pages: list[tuple[str, str, bytes]]) -> tuple[dict[str, str], float] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    texts = [(key, data.decode("utf-8", "replace")) for key, _, data in pages]
    out: dict[str, str] = {}
    t0 = time.process_time()
    for key, html in texts:
        out[key] = trafilatura.extract(html, include_comments=False) or ""
    return out, time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead")
    ap.add_argument("--worst", type=int, default=0, help="list the K worst pages of wireingest")
    ap.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura run")
    args = ap.parse_args(argv)

    corpus = find_corpus()
    pages = load(corpus, args.limit)
    truth = {k: t for k, t, _ in pages}
    results: dict[str, Any] = {"corpus": str(corpus), "pages": len(pages)}
    per_page: dict[str, PageScore] = {}
    runs: list[tuple[str, tuple[dict[str, str], float] | None]] = [
        ("wireingest", run_wireingest(pages))
    ]
    if not args.no_trafilatura:
        runs.append(("trafilatura", run_trafilatura(pages)))
    for name, run in runs:
        if run is None:
            results[name] = None
            continue
        texts, seconds = run
        scores = {k: score_page(truth[k], texts[k]) for k in truth}
        if name == "wireingest":
            per_page = scores
        p, r, f = aggregate(scores.values())
        results[name] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "seconds": round(seconds, 3),
            "pages_per_second": round(len(pages) / seconds, 1) if seconds else None,
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"Zyte article-extraction benchmark: {len(pages)} pages from {corpus}")
    print(f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}")
    for name, _ in runs:
        res = results[name]
        if res is None:
            print(f"{name:<12} (not installed)")
            continue
        print(
            f"{name:<12} {res['precision']:>9.3f} {res['recall']:>7.3f} {res['f1']:>6.3f}"
            f" {res['pages_per_second']:>8.1f}"
        )
    if args.worst:
        print(f"\nworst {args.worst} pages for wireingest (precision, recall):")
        for key, s in sorted(per_page.items(), key=lambda kv: kv[1].f1)[: args.worst]:
            print(f"  {key[:12]}  P={s.precision:.2f} R={s.recall:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
