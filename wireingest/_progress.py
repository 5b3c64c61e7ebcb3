"""The live progress line of ``wireingest run`` and ``parse`` on a terminal.

One line on stderr, redrawn a few times a second from :class:`~wireingest.Stats` and a count of
the bytes read::

    1,204 read · 1,002 emitted · 202 rejected (exact-duplicate 150, near-duplicate 52) ·
    3,410 articles/s · 4.1/12.0 MB

It is shown when stderr is a terminal, or when ``--progress`` asks for it; ``--quiet`` turns it
off. Otherwise nothing changes: the tally line alone ends the stderr output. While the line is
live, what the command writes to stderr (rejects without ``--rejects``), and to stdout when that
is a terminal too, is printed above it, unchanged, so lines never mix.
The bytes total is the size of the input files (directories walked as the reader walks them);
with stdin among the inputs only the bytes done are shown.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from wireingest._io import _walk
from wireingest.types import Document

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    from wireingest._pipeline import Stats

__all__ = ["LiveProgress", "start", "wanted"]

_REFRESH_PER_SECOND = 8


_T = TypeVar("_T")


def wanted(flag: bool | None, stream: object = None) -> bool:
    """Whether to show the line: ``--progress`` (True), ``--quiet`` (False), else on a TTY."""
    if flag is not None:
        return flag
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):
        return False


def input_bytes(inputs: Sequence[str | os.PathLike[str]]) -> int | None:
    """Total size of the input files, or ``None`` when stdin is one of the inputs."""
    total = 0
    for item in inputs:
        if str(item) == "-":
            return None
        path = Path(item)
        for f in _walk(path) if path.is_dir() else (path,):
            with contextlib.suppress(OSError):  # the reader rejects it: nothing to read
                total += f.stat().st_size
    return total


class LiveProgress:
    """The progress line; :meth:`track` counts the bytes of the documents passing through."""

    def __init__(self, stats: Stats, total_bytes: int | None, *, force: bool = False) -> None:
        self.stats = stats
        self.total_bytes = total_bytes
        self.bytes_done = 0
        self._force = force
        self._started = time.monotonic()
        self._live: Live | None = None
        self._saved: tuple[TextIO, TextIO] = (sys.stdout, sys.stderr)

    def track(self, documents: Iterable[_T]) -> Iterator[_T]:
        """Pass the items through, counting the bytes of the documents among them (a JSON Lines
        line: +1 newline), also of those parsed already (:class:`~wireingest._pipeline.Parsed`,
        from the early parser); anything else (rejects, "no more input ready") passes unchanged."""
        from wireingest._pipeline import Parsed

        for item in documents:
            doc = item.doc if isinstance(item, Parsed) else item
            if isinstance(doc, Document):
                c = doc.content
                n = len(c) if isinstance(c, bytes) else len(c.encode("utf-8", "surrogatepass"))
                self.bytes_done += n + (doc.meta.get("format") == "json-line")
            yield item

    def line(self) -> Text:
        """The line as it is drawn now."""
        from rich.filesize import decimal
        from rich.text import Text

        s = self.stats
        elapsed = max(time.monotonic() - self._started, 1e-9)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{s.inputs:,} read", style="bold")
        text.append(" · ")
        text.append(f"{s.emitted:,} emitted", style="green")
        text.append(" · ")
        text.append(f"{s.rejected:,} rejected", style="yellow")
        if s.reasons:
            text.append(" (" + ", ".join(f"{r} {n:,}" for r, n in sorted(s.reasons.items())) + ")")
        text.append(f" · {s.inputs / elapsed:,.0f} articles/s")
        if self.total_bytes is not None:
            text.append(f" · {decimal(self.bytes_done)}/{decimal(self.total_bytes)}")
        else:
            text.append(f" · {decimal(self.bytes_done)}")
        return text

    def start(self) -> LiveProgress:
        from rich.console import Console
        from rich.live import Live

        console = Console(file=sys.stderr, force_terminal=True if self._force else None)
        self._started = time.monotonic()
        self._live = Live(
            console=console,
            get_renderable=self.line,
            refresh_per_second=_REFRESH_PER_SECOND,
            redirect_stderr=False,  # rich's own redirection wraps long lines: see _Above
            redirect_stdout=False,
            transient=False,
        )
        self._live.start()
        self._saved = (sys.stdout, sys.stderr)
        sys.stderr = _Above(console, sys.stderr)
        if wanted(None, sys.stdout):
            sys.stdout = _Above(console, sys.stdout)
        return self

    def stop(self) -> None:
        """Draw the final line and leave it; restore stdout and stderr (idempotent)."""
        live, self._live = self._live, None
        if live is not None:
            for s in (sys.stdout, sys.stderr):
                if isinstance(s, _Above):
                    s.flush()
            sys.stdout, sys.stderr = self._saved
            live.stop()


class _Above(io.TextIOBase):
    """A text stream whose complete lines are printed above the live line, byte for byte.

    rich's own ``FileProxy`` prints through ``Console.print``, which wraps long lines and would
    break a JSON reject record over several lines; ``Console.out`` writes the text as it is.
    """

    def __init__(self, console: Console, wrapped: TextIO) -> None:
        self._console = console
        self._wrapped = wrapped
        self._pending = ""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._wrapped.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._wrapped.encoding

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            done, _, self._pending = self._pending.rpartition("\n")
            self._console.out(done, highlight=False)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            text, self._pending = self._pending, ""
            self._console.out(text, highlight=False, end="")


class _Off:
    """Stands in for :class:`LiveProgress` when no line is shown."""

    def track(self, documents: Iterable[_T]) -> Iterator[_T]:
        return iter(documents)

    def stop(self) -> None:
        pass


Progress = LiveProgress | _Off


def start(
    stats: Stats, inputs: Sequence[str | os.PathLike[str]], flag: bool | None
) -> Progress:
    """The command line's hook: a started progress line when :func:`wanted`, else a no-op.

    Start it before taking ``sys.stderr``/``sys.stdout`` for output (they are redirected above
    the line while it is live); call ``track`` on the documents and ``stop`` before the tally.
    """
    if not wanted(flag):
        return _Off()
    return LiveProgress(stats, input_bytes(inputs), force=flag is True).start()
