"""What the #15 defaults (OCR folding, containment 0.7) cost the bare engine: the
syndication corpus through ``Deduplicator.check_many`` (batches of 64) at the defaults and
at the earlier defaults (``ocr_fold=False, containment=0.8``), alternating in one process,
CPU time, the best of ``--rounds`` runs each.

    python -m benchmarks.fold_cost [--rounds 7]

Prints microseconds per article for both and their ratio (earlier / now: the throughput of
the defaults as a share of the earlier defaults'). On a shared machine compare the ratio,
not the times.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from benchmarks.quality import DEFAULT_CORPUS, load_corpus


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)

    from wireingest import Article, DedupConfig
    from wireingest._dedup import Deduplicator

    records = load_corpus(DEFAULT_CORPUS).shuffled()
    arts = [
        Article(id=str(r["id"]), body=str(r["body"]), title=r.get("title"), url=r.get("url"),
                published=r.get("published"), language=r.get("language"))
        for r in records
    ]  # fmt: skip
    configs = {"earlier": DedupConfig(ocr_fold=False, containment=0.8), "now": DedupConfig()}
    best = dict.fromkeys(configs, float("inf"))
    for cfg in configs.values():  # compile and load the kernels outside the timed part
        with Deduplicator(cfg) as warm:
            warm.check_many(arts[:8])
    for _ in range(args.rounds):
        for name, cfg in configs.items():
            with Deduplicator(cfg) as d:
                t0 = time.process_time()
                for k in range(0, len(arts), 64):
                    d.check_many(arts[k : k + 64])
                best[name] = min(best[name], time.process_time() - t0)
    for name in configs:
        print(f"{name:8s} {best[name] * 1e6 / len(arts):7.1f} us/article (CPU, best of "
              f"{args.rounds})")  # fmt: skip
    print(f"throughput now / earlier: {best['earlier'] / best['now']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
