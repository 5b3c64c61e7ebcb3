"""Command line: a thin adapter over :class:`wireingest.Pipeline`.

``wireingest parse [INPUT ...]`` parses and cleans; ``wireingest run [INPUT ...]`` also
deduplicates. Articles go to stdout as JSON Lines; rejects go to ``--rejects FILE`` as JSON Lines
(or to stderr, one line each, when no file is given); the tally goes to stderr at the end.
Exit status: 0 on success (also when some inputs were rejected), 2 on usage errors and on a
state that cannot be opened or written, 1 when the output could not be written, 128 + the
signal's number after SIGTERM (143), SIGINT (130) or SIGHUP (129), 141 when the reader of the
output went away (``| head``).

Streaming and commits: a batch is decided and written when it is full (``--batch-size``), when
no more input is ready, or after ``--max-delay``. With ``--state``, a batch's decisions are
committed only after its output was written, so a failed write or a crash never commits an
article that was not written: it is decided and emitted again by the next run. With ``--out
FILE`` the file's length is committed in the same transaction (and with ``--follow`` the
position in each followed file), which makes the output exactly-once across crashes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from wireingest import _explain, _progress
from wireingest._dedup import DedupConfig
from wireingest._formats import DEFAULT_MAX_BYTES
from wireingest._io import Stop, follow_documents, read_inputs
from wireingest._pipeline import Parsed, Pipeline, WorkOptions
from wireingest._workers import Early, parse_in_workers, start_early, tune_gc
from wireingest.errors import StateError
from wireingest.types import Article, Document, Reject

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|[smhdw]?)\s*$")
_UNITS = {"": 1, "ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """``72h`` -> 259200.0 seconds, ``200ms`` -> 0.2; plain numbers are seconds."""
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
        "--progress",
        action="store_const",
        const=True,
        help="show the live progress line even when stderr is not a terminal",
    )
    common.add_argument(
        "--quiet",
        dest="progress",
        action="store_const",
        const=False,
        help="no live progress line (the tally line is still printed)",
    )
    common.add_argument(
        "--no-boilerplate",
        action="store_true",
        help="do not learn and strip per-source boilerplate",
    )
    common.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write articles to FILE instead of stdout; with --state, exactly once: the "
        "file's length is committed with the decisions and a restart cuts it back to that",
    )
    common.add_argument(
        "--max-delay",
        type=parse_duration,
        default=0.2,
        metavar="DURATION",
        help="longest time an article read is held back to fill a batch (default 200ms); "
        "a batch is also written as soon as no more input is ready",
    )
    common.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="parse, clean and prepare documents in N processes (default: the number of "
        "cores this process may use; 1 with --follow); boilerplate learning and dedup "
        "decisions stay in one process, in input order, so the output is the same as with 1",
    )
    common.add_argument(
        "--follow",
        action="store_true",
        help="read the INPUT files (JSON Lines) as they grow, like tail -F (rotated or "
        "truncated files are reopened); with --state a restart resumes where it stopped",
    )
    common.add_argument(
        "--require-body",
        action="store_true",
        help="reject headline-only items (a title and link, no text) instead of emitting them",
    )
    # the dedup settings that run, explain and archive share (each builds its DedupConfig)
    settings = argparse.ArgumentParser(add_help=False)
    defaults = DedupConfig()
    settings.add_argument(
        "--threshold",
        type=float,
        default=defaults.threshold,
        help=f"near-duplicate Jaccard threshold (default {defaults.threshold})",
    )
    settings.add_argument(
        "--num-perm", type=int, default=128, help="MinHash permutations (default 128)"
    )
    settings.add_argument(
        "--params",
        type=_params,
        metavar="B,R",
        help="LSH bands and rows (default: chosen from threshold)",
    )
    settings.add_argument(
        "--containment",
        type=float,
        default=defaults.containment,
        help="share of a brief's text found in a longer story that links them "
        f"(default {defaults.containment})",
    )
    settings.add_argument(  # (ocr15, #15: the option only)
        "--ocr-fold",
        action=argparse.BooleanOptionalAction,
        default=defaults.ocr_fold,
        help="fold OCR damage (rn/m, l/1, e/c, o/0, joined and hyphenated words) before "
        "shingling (default on; a state made without it needs --no-ocr-fold)",
    )
    sub.add_parser("parse", parents=[common], help="parse and clean, no deduplication")
    run = sub.add_parser("run", parents=[common, settings], help="parse, clean and deduplicate")
    _explain.add_parser(sub, parents=[settings])
    run.add_argument("--shingle-size", type=int, default=5, help="word n-gram size (default 5)")
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
        help="results decided together when input is plentiful (default 256)",
    )
    from wireingest import archive  # its Spark imports are deferred to the command itself

    archive.add_parser(sub, parents=[settings])
    return ap


def _state_error(exc: Exception, path: object) -> str:
    """One line naming the state and the cause (the stores raise StateError with both; a raw
    sqlite3 error that escaped them still names the path)."""
    return str(exc) if isinstance(exc, StateError) else f"state {path}: {exc}"


def _usage_error(parser: argparse.ArgumentParser, msg: str) -> int:
    parser.print_usage(sys.stderr)
    print(f"wireingest: error: {msg}", file=sys.stderr)
    return 2


class _OutputError(Exception):
    """Writing the output failed (other than its reader going away)."""

    def __init__(self, name: str, exc: OSError) -> None:
        super().__init__(f"cannot write {name}: {exc.strerror or exc}")


class _Output:
    """Articles out. Records are held and written together by :meth:`flush` (once per batch,
    before it is committed: :meth:`mark`), so that what was written is known exactly when a
    write fails; ``offset`` is the file's length after the last whole record written."""

    _HOLD = 1 << 20  # bytes held at most before they are written anyway

    def __init__(self, fd: int, name: str, offset: int = 0) -> None:
        self.fd, self.name, self.offset = fd, name, offset
        self._held: list[bytes] = []
        self._held_bytes = 0
        self.unwritten = 0  # records the last flush failed to write whole
        try:
            st = os.fstat(fd)
            self.ident = [st.st_dev, st.st_ino]
        except OSError:
            self.ident = [0, 0]

    def write(self, data: bytes) -> None:
        self._held.append(data)
        self._held_bytes += len(data)
        if self._held_bytes >= self._HOLD:
            self.flush()

    def flush(self) -> None:
        """Write the records held, in one system call when the file takes them all."""
        held, self._held, self._held_bytes = self._held, [], 0
        if not held:
            return
        view = memoryview(b"".join(held))
        done = 0
        try:
            while done < len(view):
                done += os.write(self.fd, view[done:])
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(self.name, exc) from None
        finally:
            whole = 0  # records written whole
            for data in held:
                if done < len(data):
                    break
                done -= len(data)
                self.offset += len(data)
                whole += 1
            self.unwritten = len(held) - whole

    def mark(self) -> dict[str, int | list[int]]:
        self.flush()
        return {"ident": self.ident, "offset": self.offset}


class _StreamOutput(_Output):
    """stdout replaced by an object without a file descriptor (the command line called from
    Python with its output redirected): each record is written to it as text and flushed."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(-1, "stdout")
        self.stream = stream

    def write(self, data: bytes) -> None:
        try:
            self.stream.write(data.decode("utf-8"))
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(self.name, exc) from None
        self.offset += len(data)


def _stdout() -> _Output:
    """The articles' way out when there is no ``--out``: the stdout file descriptor, or the
    ``sys.stdout`` object when it has none."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return _StreamOutput(sys.stdout)
    sys.stdout.flush()  # whatever was printed before goes first
    return _Output(fd, "stdout")


def _open_out(path: Path, saved: object, resume: bool) -> _Output:
    """``--out``: with state (``resume``), cut back to the committed length when it is the same
    file; a fresh state appends; without state the file is replaced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    st = os.fstat(fd)
    size = st.st_size
    if not resume:
        size = 0
    elif isinstance(saved, dict) and saved.get("ident") == [st.st_dev, st.st_ino]:
        committed = int(saved.get("offset", size))
        if committed <= size:
            size = committed
        else:
            print(f"wireingest: warning: {path} is shorter than the state recorded; "
                  "appending to it", file=sys.stderr)  # fmt: skip
    elif saved is not None:
        print(f"wireingest: warning: {path} is not the file the state recorded; appending to it",
              file=sys.stderr)  # fmt: skip
    os.ftruncate(fd, size)
    os.lseek(fd, size, os.SEEK_SET)
    return _Output(fd, str(path), size)


def _install_signals(stop: Stop) -> None:
    """SIGTERM, SIGINT, SIGHUP: stop reading, finish what was read, exit 128 + signal; a
    second signal ends the process at once."""

    def handler(signum: int, frame: object) -> None:
        stop.signum = signum
        signal.signal(signum, signal.SIG_DFL)

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def _make_pipeline(args: argparse.Namespace) -> Pipeline:
    if args.command != "run":
        return Pipeline(
            dedup=False,
            boilerplate=not args.no_boilerplate,
            max_bytes=args.max_bytes,
            max_delay=args.max_delay,
            require_body=args.require_body,
        )
    cfg = DedupConfig(
        threshold=args.threshold,
        num_perm=args.num_perm,
        params=args.params,
        shingle_size=args.shingle_size,
        containment=args.containment,
        window=args.window,
        policy=args.policy,
        ocr_fold=args.ocr_fold,
    )
    return Pipeline(
        dedup=cfg,
        state=args.state,
        boilerplate=not args.no_boilerplate,
        max_bytes=args.max_bytes,
        batch_size=args.batch_size,
        max_delay=args.max_delay,
        require_body=args.require_body,
    )


def _read(args: argparse.Namespace, stop: Stop) -> Iterator[Document | Reject | None]:
    """The inputs of ``parse`` and ``run`` (not ``--follow``)."""
    return read_inputs(
        args.inputs,
        url=args.url,
        content_type=args.content_type,
        max_bytes=args.max_bytes,
        stop=stop,
    )


def _early_options(options: WorkOptions) -> WorkOptions:
    """The early parser's options: the pool's without dedup preparation (it has no kernels)."""
    return options._replace(dedup=None, backend=None)


def _stream(
    args: argparse.Namespace,
    pipeline: Pipeline,
    stop: Stop,
    progress: _progress.Progress,
    early: Early | None = None,
) -> int:
    """Read, process and write until the inputs end or a signal stops the reading."""
    state = getattr(args, "state", None)
    saved: dict[str, Any] = {}
    if state is not None:
        try:
            raw = pipeline.checkpoint
            saved = json.loads(raw) if raw else {}
        except ValueError:
            saved = {}
    positions: dict[str, list[int]] = dict(saved.get("follow") or {}) if args.follow else {}
    out = (
        _open_out(args.out, saved.get("out"), resume=state is not None)
        if args.out is not None
        else _stdout()
    )
    rejects: TextIO = sys.stderr
    if args.rejects is not None:
        rejects = args.rejects.open("w", encoding="utf-8")
    to_stderr = rejects is sys.stderr

    def checkpoint() -> bytes:
        mark: dict[str, Any] = {"follow": positions}
        if args.out is not None:
            mark["out"] = out.mark()
        return json.dumps(mark).encode()

    def flush_out() -> None:
        """Write the articles held; when that fails, the tally forgets those not written."""
        try:
            out.flush()
        except (OSError, _OutputError):
            pipeline.stats.inputs -= out.unwritten
            pipeline.stats.emitted -= out.unwritten
            raise

    def before_commit() -> bytes | None:
        flush_out()  # every record of the batch is written before it is committed
        try:
            rejects.flush()
        except OSError as exc:
            raise _OutputError(str(args.rejects or "stderr"), exc) from None
        return checkpoint() if args.out is not None or args.follow else None

    if state is not None and args.out is not None:
        # the file's length before this run writes: a crash before the first batch is
        # committed must cut the file back to it, not keep what that batch wrote
        pipeline.set_checkpoint(checkpoint())

    read: Iterator[Document | Reject | Parsed | None]
    if args.follow:
        read = follow_documents(
            args.inputs, positions=positions, url=args.url, max_bytes=args.max_bytes, stop=stop
        )
    elif early is not None:
        # what the early parser finished, if its options are the pool's (without dedup)
        read = early.items(early.options == _early_options(pipeline._work_options()), stop)
    else:
        read = _read(args, stop)
    read = progress.track(read)
    docs: Iterator[Document | Reject | Parsed | None] = read
    if args.workers > 1:
        docs = parse_in_workers(
            read,
            workers=args.workers,
            options=pipeline._work_options(),
            ahead=pipeline.batch_size,
        )
    try:
        for result in pipeline.process(docs, before_commit=before_commit):
            if isinstance(result, Article):
                data = pipeline._encoded(result)  # encoded by a worker, or here
                out.write(data if data is not None else (result.to_json() + "\n").encode("utf-8"))
            else:
                line = result.to_json()
                try:
                    rejects.write(f"reject: {line}\n" if to_stderr else line + "\n")
                except OSError as exc:
                    raise _OutputError(str(args.rejects or "stderr"), exc) from None
        flush_out()
    finally:
        with contextlib.suppress(OSError, _OutputError):
            flush_out()  # (after a failure: what can still be written, as it was taken)
        if args.out is not None:
            os.close(out.fd)
        if not to_stderr:
            with contextlib.suppress(OSError):
                rejects.close()
    return 128 + stop.signum if stop else 0


def _usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return max(1, count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    return _COMMANDS[args.command](parser, args)


def _cmd_stream(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``parse`` and ``run``: inputs in, articles out, rejects aside, tally at the end."""
    if args.follow:
        bad = [i for i in args.inputs if i == "-" or Path(i).is_dir()]
        if bad or args.inputs == ["-"]:
            return _usage_error(parser, "--follow takes files (JSON Lines), not - or directories")
    else:
        missing = [i for i in args.inputs if i != "-" and not Path(i).exists()]
        if missing:
            return _usage_error(parser, f"no such input: {missing[0]}")
    if args.max_bytes < 1:
        return _usage_error(parser, "--max-bytes must be positive")
    if args.workers is None:
        args.workers = 1 if args.follow else _usable_cores()
    if args.workers < 1 or (args.follow and args.workers > 1):
        return _usage_error(parser, "--workers must be at least 1 (and 1 with --follow)")
    state = getattr(args, "state", None)
    stop = Stop()
    _install_signals(stop)  # a signal while the state opens: exit 128+n, nothing processed
    early = None
    if args.workers > 1 and not args.follow:
        # the first documents are parsed while the kernels load and the state opens
        early = start_early(
            _read(args, stop),
            WorkOptions(args.max_bytes, args.require_body, not args.no_boilerplate, None, None),
        )
    try:
        pipeline = _make_pipeline(args)
    except ValueError as exc:
        if early is not None:
            early.close()
        return _usage_error(parser, str(exc))
    except (sqlite3.Error, StateError) as exc:
        if early is not None:
            early.close()
        print(f"wireingest: error: {_state_error(exc, state)}", file=sys.stderr)
        return 2
    status = 0
    tune_gc()  # before the workers fork: start-up's objects are shared and left alone
    progress = _progress.start(pipeline.stats, args.inputs, args.progress)
    try:
        status = _stream(args, pipeline, stop, progress, early)
        pipeline.close()
    except BrokenPipeError:  # `wireingest run ... | head`: end quietly, commit nothing unwritten
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _close_quietly(pipeline)
        return 141
    except _OutputError as exc:
        print(f"wireingest: error: {exc}", file=sys.stderr)
        _close_quietly(pipeline)
        status = 1
    except (sqlite3.Error, StateError) as exc:
        print(f"wireingest: error: {_state_error(exc, state)}", file=sys.stderr)
        _close_quietly(pipeline)
        return 2
    except OSError as exc:  # reading stdin failed, or --out/--rejects could not be opened
        print(f"wireingest: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)  # fmt: skip
        _close_quietly(pipeline)
        status = 1
    finally:
        if early is not None:
            early.close()
        progress.stop()
    print(f"wireingest: {pipeline.stats.summary()}", file=sys.stderr)
    return status


def _close_quietly(pipeline: Pipeline) -> None:
    """Release the state after a failure; what was not taken is rolled back, not committed."""
    with contextlib.suppress(Exception):
        pipeline.close()


#: subcommand -> its function (a new subcommand adds its parser in _build_parser and a line here)
_COMMANDS: dict[str, Callable[[argparse.ArgumentParser, argparse.Namespace], int]] = {
    "parse": _cmd_stream,
    "run": _cmd_stream,
    "explain": lambda parser, args: _explain.run(args),
    "archive": lambda parser, args: _archive_main(args),
}


def _archive_main(args: argparse.Namespace) -> int:
    from wireingest import archive

    return archive.main(args)


if __name__ == "__main__":
    sys.exit(main())
