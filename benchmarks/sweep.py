"""Tuning sweep: dedup quality and speed over a grid of settings.

For every combination of ``threshold``, ``num_perm``, LSH ``params`` (bands x rows, or ``auto``
for the engine's own choice) and ``shingle_size`` the labelled syndication corpus is run through
the dedup engine (see :mod:`benchmarks.quality`), and one table row reports pairwise
precision / recall / F1, hard-negative false merges, brief/update linking recall, the weakest
variant kind and throughput in articles per second. Settings whose bands x rows exceed
``num_perm`` are skipped.

Run from the repository root::

    python -m benchmarks.sweep                      # the default grid (a few minutes)
    python -m benchmarks.sweep --quick              # four settings around the defaults
    python -m benchmarks.sweep --thresholds 0.7,0.8 --num-perms 128 --params auto,16x8 \\
        --shingle-sizes 3,5 --end-to-end

Noise sweep (issue #15): ``python -m benchmarks.sweep --noise [--plot FILE.png]`` makes
OCR-damaged copies (:func:`benchmarks.synth.ocr_noise`; whole, and abridged to 50-80 %; and
whole with the second noise model :func:`benchmarks.synth.ocr_noise_other`) of the hard
corpus's bases at character error rates from 0 to 8 %, and reports the share linked to their
base with word shingles (the defaults before #15: ``ocr_fold=False, containment=0.8``) and
with the defaults now (OCR folding).

Throughput is measured on this corpus in one process and is noisy on a shared machine: compare
rows of one run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.quality import (
    add_corpus_options,
    evaluate,
    load_corpus,
    run_bare,
    run_end_to_end,
    slice_corpus,
)

__all__ = ["main", "parse_params"]


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parse_params(text: str) -> list[tuple[int, int] | None]:
    """``"auto,16x8,8x16"`` -> ``[None, (16, 8), (8, 16)]``."""
    out: list[tuple[int, int] | None] = []
    for item in text.split(","):
        item = item.strip().lower()
        if not item:
            continue
        if item == "auto":
            out.append(None)
            continue
        b, sep, r = item.partition("x")
        if not sep:
            raise argparse.ArgumentTypeError(f"params must look like 16x8 or auto, not {item!r}")
        out.append((int(b), int(r)))
    return out


def _p(params: tuple[int, int] | None) -> str:
    return "auto" if params is None else f"{params[0]}x{params[1]}"


HEADER = (
    f"{'threshold':>9} {'num_perm':>8} {'params':>7} {'shingle':>7} {'contain':>7} | "
    f"{'P':>6} {'R':>6} {'F1':>6} | {'hn-merge':>8} {'brief/upd':>9} {'extra':>5} "
    f"{'weakest kind':>20} | {'art/s':>8}"
)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Sweep dedup settings over the syndication corpus.")
    add_corpus_options(ap)
    ap.add_argument("--thresholds", type=_floats, default=[0.6, 0.7, 0.8, 0.9])
    ap.add_argument("--num-perms", type=_ints, default=[64, 128, 256])
    ap.add_argument(
        "--params",
        type=parse_params,
        default=[None, (16, 8)],
        help="comma-separated BxR or auto (default: auto,16x8)",
    )
    ap.add_argument("--shingle-sizes", type=_ints, default=[3, 5])
    ap.add_argument(
        "--containments",
        type=_floats,
        default=[None],
        help="containment thresholds for briefs, comma-separated (default: the engine's)",
    )
    ap.add_argument("--policy", choices=("first", "best"), default=None)
    ap.add_argument(
        "--quick",
        action="store_true",
        help="threshold 0.8, num_perm 128, params auto and 16x8, shingles 3 and 5",
    )
    ap.add_argument(
        "--end-to-end",
        action="store_true",
        help="run the whole Pipeline (cleaning + dedup) instead of the bare engine",
    )
    ap.add_argument("--json", action="store_true", help="one JSON object per setting")
    ap.add_argument(
        "--plot",
        type=Path,
        metavar="FILE.png",
        help="also draw P/R/F1 against the threshold per band setting and the LSH S-curve",
    )
    ap.add_argument(
        "--noise",
        action="store_true",
        help="sweep the OCR noise rate instead (hard corpus bases; word shingles against "
        "OCR folding)",
    )
    args = ap.parse_args(argv)
    if args.noise:
        return noise_sweep(args.plot, json_out=args.json)
    if args.quick:
        args.thresholds, args.num_perms = [0.8], [128]
        args.params, args.shingle_sizes = [None, (16, 8)], [3, 5]

    corpus = load_corpus(args.corpus)
    if args.clusters is not None:
        corpus = slice_corpus(corpus, args.clusters)
    records = corpus.ordered(args.order, args.order_seed)
    runner = run_end_to_end if args.end_to_end else run_bare
    if not args.json:
        mode = "end-to-end (Pipeline)" if args.end_to_end else "bare Deduplicator"
        print(f"{len(records)} records from {args.corpus}, {mode}, batch {args.batch}")
        print(HEADER)
        print("-" * len(HEADER))
    best: tuple[float, str] | None = None
    results: list[tuple[dict[str, Any], Any]] = []
    grid = itertools.product(
        args.thresholds, args.num_perms, args.params, args.shingle_sizes, args.containments
    )
    for threshold, num_perm, params, shingle, containment in grid:
        if params is not None and params[0] * params[1] > num_perm:
            continue
        settings: dict[str, Any] = {
            "threshold": threshold,
            "num_perm": num_perm,
            "params": params,
            "shingle_size": shingle,
            "containment": containment,
            "policy": args.policy,
        }
        run = runner(records, batch=args.batch, **settings)
        sc = evaluate(run, corpus)
        results.append((settings, sc))
        weakest = min(
            sc.recall_by_kind.items(),
            key=lambda kv: kv[1][0] / kv[1][1] if kv[1][1] else 1.0,
            default=("-", (0, 0)),
        )
        w_name, (w_ok, w_total) = weakest
        w_rate = w_ok / w_total if w_total else 1.0
        if args.json:
            print(
                json.dumps(
                    {
                        **{k: v for k, v in settings.items()},
                        "precision": sc.precision,
                        "recall": sc.recall,
                        "f1": sc.f1,
                        "hard_negative_merges": len(sc.hard_negative_merges),
                        "brief_update_recall": sc.brief_update_recall,
                        "redundant_emitted": sc.redundant_emitted,
                        "recall_by_kind": {
                            k: v[0] / v[1] for k, v in sc.recall_by_kind.items() if v[1]
                        },
                        "articles_per_second": run.throughput,
                    }
                ),
                flush=True,
            )
        else:
            print(
                f"{threshold:>9.2f} {num_perm:>8d} {_p(params):>7} {shingle:>7d} "
                f"{'default' if containment is None else f'{containment:.2f}':>7} | "
                f"{sc.precision:6.4f} {sc.recall:6.4f} {sc.f1:6.4f} | "
                f"{len(sc.hard_negative_merges):>8d} {sc.brief_update_recall:>9.3f} "
                f"{sc.redundant_emitted:>5d} "
                f"{f'{w_name} {w_rate:.3f}':>20} | {run.throughput:>8,.0f}",
                flush=True,
            )
        label = f"threshold={threshold} num_perm={num_perm} params={_p(params)} shingle={shingle}"
        if containment is not None:
            label += f" containment={containment}"
        if not sc.hard_negative_merges and (best is None or sc.f1 > best[0]):
            best = (sc.f1, label)
    if best is not None and not args.json:
        print(f"best F1 without hard-negative merges: {best[0]:.4f} at {best[1]}")
    if args.plot is not None:
        from benchmarks.plots import sweep_plot

        print(f"plot: {sweep_plot(results, args.plot)}", file=sys.stderr)
    return 0


NOISE_RATES = (0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08)


def noise_sweep(
    plot: Path | None = None, *, bases: int = 200, rates: Sequence[float] = NOISE_RATES,
    json_out: bool = False,
) -> int:  # fmt: skip
    """Linked share of noisy copies against the character error rate, per shingling."""
    import random

    from benchmarks import synth
    from benchmarks.quality import HARD_CORPUS
    from wireingest import Article
    from wireingest._dedup import DedupConfig, Deduplicator

    # word shingles: the defaults before #15; ocr-fold: the defaults now
    earlier = DedupConfig(ocr_fold=False, containment=0.8)
    corpus = load_corpus(HARD_CORPUS)
    base_recs = [r for r in corpus.records if corpus.labels[r["id"]]["kind"] == "base"][:bases]
    arts = [Article(id=r["id"], body=r["body"], language="en") for r in base_recs]
    rows: list[dict[str, Any]] = []
    if not json_out:
        print(f"{len(arts)} bases of {HARD_CORPUS}: share of copies linked to their base")
        print(f"{'rate':>5} | {'copy':18} | {'words':>6} {'ocr-fold':>8}")
    for rate in rates:
        rng = random.Random(int(rate * 1000) + 1)
        whole = [synth.ocr_noise(rng, a.body, rate) for a in arts]
        abridged = [
            synth.ocr_noise(rng, "\n\n".join(synth._abridge(rng, a.body.split("\n\n"),
                                                               rng.uniform(0.5, 0.8))), rate)
            for a in arts
        ]  # fmt: skip
        other = [synth.ocr_noise_other(rng, a.body, rate) for a in arts]
        for kind, bodies in (("noisy", whole), ("noisy-abridged", abridged),
                             ("noisy, other model", other)):  # fmt: skip
            row: dict[str, Any] = {"rate": rate, "kind": kind}
            for name, cfg in (("words", earlier), ("ocr-fold", DedupConfig())):
                d = Deduplicator(cfg)
                d.check_many(arts)
                copies = [
                    Article(id=f"{a.id}#n", body=b, language="en")
                    for a, b in zip(arts, bodies, strict=True)
                ]
                dec = d.check_many(copies)
                ok = sum(
                    x.duplicate_of == a.id or a.id in x.matches
                    for x, a in zip(dec, arts, strict=True)
                )
                row[name] = ok / len(arts)
            rows.append(row)
            if json_out:
                print(json.dumps(row), flush=True)
            else:
                print(f"{rate:>5.2f} | {kind:18} | {row['words']:>6.3f} {row['ocr-fold']:>8.3f}",
                      flush=True)  # fmt: skip
    if plot is not None:
        from benchmarks.plots import noise_plot

        print(f"plot: {noise_plot(rows, plot)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
