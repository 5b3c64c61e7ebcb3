"""Reading inputs: files, directories (walked recursively), standard input, followed files.

JSON Lines inputs are streamed: when the first line of a file or of stdin is a JSON object (or
starts like one and is longer than the 64 KiB sniffing window), every line becomes its own
:class:`Document`, so memory stays bounded however long the stream is. The size limit applies
per record: a line over ``max_bytes`` becomes one ``too-large`` reject (it is skipped, never held
in memory, in time linear in its length) and the lines after it are read as usual. Anything else
(a page, a feed, a pretty-printed JSON document) is one document, read up to ``max_bytes`` + 1
bytes and no further. Gzip input (every member of a multi-member file) is decompressed while
it is read, then treated the same way. What is not a regular file (a FIFO or a device inside
a directory, a device named on the command line) is rejected without being opened.

For the command line, :func:`read_inputs` also reports when no more input is ready (a ``None``
item: stdin read from a pipe or a terminal, and :func:`follow_documents`), so that the pipeline
can decide and write what it holds instead of waiting for a full batch; and it stops early when
its ``stop`` flag is raised (a signal).
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import select
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

from wireingest._formats import DEFAULT_MAX_BYTES
from wireingest.types import Document, Reject

__all__ = ["Stop", "follow_documents", "iter_documents", "read_inputs"]

_PEEK = 1 << 16
_CHUNK = 1 << 16
_POLL = 0.05  # seconds between checks of a stop flag or of a followed file
_JSON_LINE = MappingProxyType({"format": "json-line"})

Item = Document | Reject | None
Chunks = Iterator[bytes | None]  # None: no bytes ready now


class Stop:
    """A flag a signal handler raises: readers stop at the next chunk or poll."""

    __slots__ = ("signum",)

    def __init__(self) -> None:
        self.signum = 0

    def __bool__(self) -> bool:
        return self.signum != 0


_NEVER = Stop()


# -- bytes ---------------------------------------------------------------------------------------
def _ready(fd: int, timeout: float) -> bool:
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    except (OSError, ValueError):  # not selectable: read (and block) as before
        return True


def _fd_chunks(fd: int, stop: Stop) -> Chunks:
    """Chunks of a file descriptor; for a pipe or terminal, ``None`` whenever nothing is ready."""
    live = not stat.S_ISREG(os.fstat(fd).st_mode)
    while not stop:
        if live and not _ready(fd, 0):
            yield None
            while not _ready(fd, _POLL):
                if stop:
                    return
        data = os.read(fd, _CHUNK)
        if not data:
            return
        yield data


def _stream_chunks(stream: BinaryIO | None, stop: Stop) -> Chunks:
    if stream is None:  # the process's own stdin: read its descriptor, so pauses are seen
        if sys.stdin is None:  # started with its standard input closed
            raise OSError(errno.EBADF, "standard input is closed", "-")
        yield from _fd_chunks(sys.stdin.fileno(), stop)
        return
    read = getattr(stream, "read1", None) or stream.read
    while not stop:
        data = read(_CHUNK)
        if not data:
            return
        yield data


def _gunzip(chunks: Chunks) -> Chunks:
    """Decompress every gzip member, in bounded steps (a bomb never expands in memory)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    fed = False
    for chunk in chunks:
        if chunk is None:
            yield None
            continue
        data = chunk
        while data or fed:
            fed = True
            out = d.decompress(data, _CHUNK)
            if out:
                yield out
            if d.eof:  # the next member, if any (zero padding after the last is allowed)
                data = d.unused_data.lstrip(b"\0")
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                fed = False
                continue
            data = d.unconsumed_tail
            if not data and len(out) < _CHUNK:
                break
    if fed:
        raise EOFError("truncated gzip stream")


# -- lines ---------------------------------------------------------------------------------------
class _Lines:
    """Splits chunks into lines in linear time; a line over ``limit`` bytes is not kept, only
    its length (the caller turns it into a reject)."""

    __slots__ = ("limit", "offset", "parts", "size")

    def __init__(self, limit: int, offset: int = 0) -> None:
        self.limit = limit
        self.offset = offset  # stream offset just after the last complete line
        self.parts: list[bytes] = []
        self.size = 0

    def _add(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size <= self.limit:
            self.parts.append(piece)
        elif self.parts:
            self.parts = []

    def _line(self, sep: int) -> bytes | int:
        size = self.size
        line: bytes | int = b"".join(self.parts) if size <= self.limit else size
        self.parts, self.size = [], 0
        self.offset += size + sep
        return line

    def feed(self, chunk: bytes) -> Iterator[bytes | int]:
        start = 0
        while (nl := chunk.find(b"\n", start)) >= 0:
            self._add(chunk[start:nl])
            yield self._line(1)
            start = nl + 1
        if start < len(chunk):
            self._add(chunk[start:] if start else chunk)

    def pending(self) -> bool:
        return self.size > 0

    def finish(self) -> bytes | int | None:
        return self._line(0) if self.size else None


def _record(
    line: bytes | int, name: str, n: int, *, url: str | None, limit: int
) -> Document | Reject | None:
    origin = f"{name}:{n}"
    if isinstance(line, int):
        return Reject(
            reason="too-large",
            message=f"record is {line} bytes, over the {limit}-byte limit",
            url=url,
            origin=origin,
        )
    if not line.strip():
        return None
    return Document(line, url=url, origin=origin, meta=_JSON_LINE)


def _first_line_is_object(head: bytes) -> bool:
    stripped = head.lstrip()
    if not stripped.startswith(b"{"):
        return False
    nl = stripped.find(b"\n")
    if nl < 0:
        return False
    try:
        return isinstance(json.loads(stripped[:nl]), dict)
    except (ValueError, RecursionError):  # RecursionError: a deeply nested first line
        return False


def _is_json_lines(head: bytes) -> bool:
    if _first_line_is_object(head):
        return True
    s = head.lstrip()
    # a first line longer than the sniffing window that starts like an object: a big record
    return s.startswith(b"{") and b"\n" not in s and len(head) >= _PEEK


# -- one stream ----------------------------------------------------------------------------------
def _from_chunks(
    chunks: Chunks,
    name: str,
    *,
    url: str | None,
    content_type: str | None,
    max_bytes: int,
    gz: bool = True,
) -> Iterator[Item]:
    parts: list[bytes] = []
    size = 0
    lead = b""  # the first byte that is not white space
    for c in chunks:
        if c is None:
            yield None
            continue
        parts.append(c)
        size += len(c)
        rest = c
        if not lead:
            rest = c.lstrip()
            lead = rest[:1]
        if size >= _PEEK or (lead and size >= 2 and (lead != b"{" or b"\n" in rest)):
            break
    head = b"".join(parts)
    if gz and head[:2] == b"\x1f\x8b":
        try:
            yield from _from_chunks(
                _gunzip(itertools.chain([head], chunks)),
                name,
                url=url,
                content_type=content_type,
                max_bytes=max_bytes,
                gz=False,
            )
        except (zlib.error, EOFError) as exc:
            yield Reject(
                reason="invalid", message=f"corrupt gzip data: {exc}", url=url, origin=name
            )
        return
    if _is_json_lines(head):
        lines = _Lines(max_bytes)
        n = 0
        for c in itertools.chain([head], chunks):
            if c is None:
                yield None
                continue
            for line in lines.feed(c):
                n += 1
                rec = _record(line, name, n, url=url, limit=max_bytes)
                if rec is not None:
                    yield rec
        last = lines.finish()
        if last is not None:
            rec = _record(last, name, n + 1, url=url, limit=max_bytes)
            if rec is not None:
                yield rec
        return
    # one document: read up to the limit and not a byte further
    for c in itertools.chain([b""], chunks):
        if c is None:
            continue
        parts.append(c)
        size += len(c)
        if size > max_bytes:
            yield Reject(
                reason="too-large",
                message=f"input is over the {max_bytes}-byte limit",
                url=url,
                origin=name,
            )
            return
    yield Document(b"".join(parts), url=url, content_type=content_type, origin=name)


# -- paths ---------------------------------------------------------------------------------------
def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                yield Path(dirpath) / f


def _kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "not a regular file"


def _from_path(
    f: Path,
    *,
    explicit: bool,
    url: str | None,
    content_type: str | None,
    max_bytes: int,
    stop: Stop,
) -> Iterator[Item]:
    try:
        mode = os.stat(f).st_mode
        # a FIFO named on the command line is a stream (``<(cmd)``); inside a directory it
        # would block the run until someone writes to it
        if not stat.S_ISREG(mode) and not (explicit and stat.S_ISFIFO(mode)):
            yield Reject(
                reason="invalid",
                message=f"not a regular file ({_kind(mode)}): skipped",
                origin=str(f),
            )
            return
        fd = os.open(f, os.O_RDONLY)
    except OSError as exc:
        yield Reject(
            reason="invalid", message=f"cannot read input: {exc.strerror or exc}", origin=str(f)
        )
        return
    try:
        yield from _from_chunks(
            _fd_chunks(fd, stop), str(f), url=url, content_type=content_type, max_bytes=max_bytes
        )
    except OSError as exc:
        yield Reject(
            reason="invalid", message=f"cannot read input: {exc.strerror or exc}", origin=str(f)
        )
    finally:
        os.close(fd)


def read_inputs(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    url: str | None = None,
    content_type: str | None = None,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stop: Stop = _NEVER,
) -> Iterator[Item]:
    """Documents and rejects from paths and ``-``, with ``None`` when no input is ready now."""
    for item in inputs:
        if stop:
            return
        if str(item) == "-":
            yield from _from_chunks(
                _stream_chunks(stdin, stop),
                "<stdin>",
                url=url,
                content_type=content_type,
                max_bytes=max_bytes,
            )
            continue
        path = Path(item)
        named = [(f, False) for f in _walk(path)] if path.is_dir() else [(path, True)]
        for f, explicit in named:
            if stop:
                return
            yield from _from_path(
                f, explicit=explicit, url=url, content_type=content_type,
                max_bytes=max_bytes, stop=stop,
            )  # fmt: skip


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    url: str | None = None,
    content_type: str | None = None,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document | Reject]:
    """Documents from paths (files or directories) and ``-`` (standard input).

    A file that cannot be read, is not a regular file, or is over ``max_bytes`` yields a
    reject instead of stopping the run (see the module doc for JSON Lines and gzip).
    """
    for item in read_inputs(
        inputs, url=url, content_type=content_type, stdin=stdin, max_bytes=max_bytes
    ):
        if item is not None:
            yield item


# -- following growing files ---------------------------------------------------------------------
class _Followed:
    """One file read as ``tail -F`` does: reopened when it is replaced, reread when truncated."""

    def __init__(self, path: str, saved: list[int] | None, limit: int, url: str | None) -> None:
        self.path = path
        self.limit = limit
        self.url = url
        self.fd = -1
        self.ident = (0, 0)
        self.lines = _Lines(limit)
        self.n = 0
        self._open(saved)

    def _open(self, saved: list[int] | None = None) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return
        st = os.fstat(fd)
        self.fd, self.ident = fd, (st.st_dev, st.st_ino)
        start = 0
        if saved is not None and tuple(saved[:2]) == self.ident and st.st_size >= saved[2]:
            start = saved[2]
        os.lseek(fd, start, os.SEEK_SET)
        self.lines = _Lines(self.limit, start)
        self.n = 0

    def position(self) -> list[int]:
        return [*self.ident, self.lines.offset]

    def _emit(self, line: bytes | int) -> Item:
        self.n += 1
        return _record(line, f"{self.path}@{self.lines.offset}", self.n, url=self.url,
                       limit=self.limit)  # fmt: skip

    def read(self, stop: Stop) -> Iterator[Document | Reject]:
        """The complete lines appended since the last call."""
        while self.fd >= 0 and not stop:
            data = os.read(self.fd, _CHUNK)
            if not data:
                return
            for line in self.lines.feed(data):
                rec = self._emit(line)
                if rec is not None:
                    yield rec

    def check(self, stop: Stop) -> Iterator[Document | Reject]:
        """Reopen after rotation, reread after truncation."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return  # rotated away and not yet recreated: keep reading the old file
        if self.fd < 0:
            self._open()
            return
        if (st.st_dev, st.st_ino) != self.ident:
            yield from self.read(stop)  # what was appended to the old file before the switch
            if stop:
                return
            last = self.lines.finish()  # the old file's last line, even without a newline
            if last is not None:
                rec = self._emit(last)
                if rec is not None:
                    yield rec
            os.close(self.fd)
            self.fd = -1
            self._open()
        elif st.st_size < os.lseek(self.fd, 0, os.SEEK_CUR):
            os.lseek(self.fd, 0, os.SEEK_SET)
            self.lines = _Lines(self.limit, 0)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def follow_documents(
    paths: Iterable[str],
    *,
    positions: dict[str, list[int]],
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stop: Stop = _NEVER,
    poll: float = _POLL,
) -> Iterator[Item]:
    """JSON Lines records appended to ``paths``, until ``stop`` is raised.

    ``positions`` maps each path to ``[device, inode, offset]`` just after its last record
    handed out; it is updated in place before each record is yielded, and a saved copy passed
    back in resumes each file there (when it is still the same file and not shorter).
    """
    files = [_Followed(p, positions.get(p), max_bytes, url) for p in paths]
    try:
        while not stop:
            got = False
            for f in files:
                for rec in itertools.chain(f.read(stop), f.check(stop)):
                    got = True
                    positions[f.path] = f.position()
                    yield rec
                if f.fd >= 0:
                    positions[f.path] = f.position()
            if not got:
                yield None
                waited = 0.0
                while waited < poll and not stop:
                    time.sleep(min(_POLL, poll))
                    waited += _POLL
    finally:
        for f in files:
            f.close()
