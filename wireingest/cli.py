"""Command line: a thin adapter over :class:`wireingest.Pipeline`.

``wireingest parse [INPUT ...]`` parses and cleans; ``wireingest run [INPUT ...]`` also
deduplicates. Articles go to stdout as JSON Lines; rejects go to ``--rejects FILE`` as JSON Lines
(or to stderr, one line each, when no file is given); the tally goes to stderr at the end.
Exit status: 0 on success (also when some inputs were rejected), 2 on usage errors, 1 when the
output could not be written.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from wireingest._dedup import DedupConfig
from wireingest._formats import DEFAULT_MAX_BYTES
from wireingest._io import iter_documents
from wireingest._pipeline import Pipeline
from wireingest.errors import StateError
from wireingest.types import Article

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """``72h`` -> 259200.0 seconds; plain numbers are seconds."""
    m = _DURATION_RE.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 90s, 30m, 72h, 7d)")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _params(text: str) -> tuple[int, int]:
    try:
        b, r = (int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--params takes BANDS,ROWS such as 16,8, not {text!r}"
        ) from None
    return b, r


def _build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="wireingest",
        description="Turn wire copy (pages, text dumps, feeds, IPTC items, JSON Lines) into one "
        "clean, deduplicated stream of articles as JSON Lines.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        default=["-"],
        help="file, directory (walked recursively) or - for stdin (default: -)",
    )
    common.add_argument("--url", help="URL the input was fetched from (sets source and id base)")
    common.add_argument("--content-type", help="Content-Type header the input came with")
    common.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE",
        help="write rejected inputs here as JSON Lines (default: stderr)",
    )
    common.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"reject inputs larger than this (default {DEFAULT_MAX_BYTES})",
    )
    common.add_argument(
        "--no-boilerplate",
        action="store_true",
        help="do not learn and strip per-source boilerplate",
    )
    sub.add_parser("parse", parents=[common], help="parse and clean, no deduplication")
    run = sub.add_parser("run", parents=[common], help="parse, clean and deduplicate")
    run.add_argument(
        "--threshold",
        type=float,
        default=0.8,
        help="near-duplicate Jaccard threshold (default 0.8)",
    )
    run.add_argument("--num-perm", type=int, default=128, help="MinHash permutations (default 128)")
    run.add_argument(
        "--params",
        type=_params,
        metavar="B,R",
        help="LSH bands and rows (default: chosen from threshold)",
    )
    run.add_argument("--shingle-size", type=int, default=5, help="word n-gram size (default 5)")
    run.add_argument(
        "--containment",
        type=float,
        default=0.8,
        help="share of a brief's text found in a longer story that links them (default 0.8)",
    )
    run.add_argument(
        "--window",
        type=parse_duration,
        metavar="DURATION",
        help="forget articles older than this, e.g. 72h",
    )
    run.add_argument(
        "--policy",
        choices=("first", "best"),
        default="first",
        help="which copy the stream keeps (default first)",
    )
    run.add_argument(
        "--state",
        metavar="PATH|URL",
        help="SQLite file, or redis://HOST:PORT/DB?prefix=NAME, that keeps the dedup state "
        "between runs and processes",
    )
    run.add_argument(
        "--batch-size",
        type=int,
        default=256,
        help="articles decided together (default 256; 1 for live streams)",
    )
    from wireingest import archive

    archive.add_parser(sub, _params)
    return ap


def _flush_outputs(*streams: TextIO) -> Callable[[], None]:
    def flush() -> None:
        for st in streams:
            st.flush()

    return flush


def _usage_error(parser: argparse.ArgumentParser, msg: str) -> int:
    parser.print_usage(sys.stderr)
    print(f"wireingest: error: {msg}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    if args.command == "archive":
        from wireingest import archive

        return archive.main(args)
    missing = [i for i in args.inputs if i != "-" and not Path(i).exists()]
    if missing:
        return _usage_error(parser, f"no such input: {missing[0]}")
    if args.max_bytes < 1:
        return _usage_error(parser, "--max-bytes must be positive")
    try:
        if args.command == "run":
            cfg = DedupConfig(
                threshold=args.threshold,
                num_perm=args.num_perm,
                params=args.params,
                shingle_size=args.shingle_size,
                containment=args.containment,
                window=args.window,
                policy=args.policy,
            )
            pipeline = Pipeline(
                dedup=cfg,
                state=args.state,
                boilerplate=not args.no_boilerplate,
                max_bytes=args.max_bytes,
                batch_size=args.batch_size,
            )
        else:
            pipeline = Pipeline(
                dedup=False, boilerplate=not args.no_boilerplate, max_bytes=args.max_bytes
            )
    except ValueError as exc:
        return _usage_error(parser, str(exc))
    except StateError as exc:
        print(f"wireingest: error: {exc}", file=sys.stderr)
        return 2

    if hasattr(signal, "SIGPIPE"):  # `wireingest run ... | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    rejects: TextIO = sys.stderr
    status = 0
    try:
        if args.rejects is not None:
            rejects = args.rejects.open("w", encoding="utf-8")
        out = sys.stdout
        docs = iter_documents(args.inputs, url=args.url, content_type=args.content_type)
        for result in pipeline.process(docs, before_commit=_flush_outputs(out, rejects)):
            if isinstance(result, Article):
                out.write(result.to_json() + "\n")
            else:
                line = result.to_json()
                rejects.write(line + "\n" if rejects is not sys.stderr else f"reject: {line}\n")
        out.flush()
    except OSError as exc:
        print(f"wireingest: error: {exc}", file=sys.stderr)
        status = 1
    except StateError as exc:
        print(f"wireingest: error: {exc}", file=sys.stderr)
        status = 2
    finally:
        try:
            pipeline.close()
        except StateError as exc:
            if status == 0:
                print(f"wireingest: error: {exc}", file=sys.stderr)
                status = 2
        if rejects is not sys.stderr:
            rejects.close()
    print(f"wireingest: {pipeline.stats.summary()}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
