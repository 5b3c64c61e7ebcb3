"""Reading inputs: files, directories (walked recursively) and standard input.

JSON Lines inputs are streamed: when the first line of a file or of stdin is a complete JSON
object, every line becomes its own :class:`Document`, so memory stays bounded however long the
stream is. Anything else (a page, a feed, a pretty-printed JSON document) is one document.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

from wireingest.types import Document, Reject

__all__ = ["iter_documents"]

_PEEK = 1 << 16
_JSON_LINE = MappingProxyType({"format": "json-line"})


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


def _from_stream(
    stream: BinaryIO, name: str, *, url: str | None, content_type: str | None
) -> Iterator[Document]:
    head = stream.read(_PEEK)
    while len(head) < _PEEK and b"\n" not in head.lstrip():
        more = stream.read(_PEEK)
        if not more:
            break
        head += more
    if _first_line_is_object(head):
        rest = b""
        n = 0
        pending = head
        while True:
            lines = (rest + pending).split(b"\n")
            rest = lines.pop()
            for line in lines:
                n += 1
                if line.strip():
                    yield Document(line, url=url, origin=f"{name}:{n}", meta=_JSON_LINE)
            pending = stream.read(_PEEK)
            if not pending:
                break
        if rest.strip():
            yield Document(rest, url=url, origin=f"{name}:{n + 1}", meta=_JSON_LINE)
        return
    yield Document(head + stream.read(), url=url, content_type=content_type, origin=name)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                yield Path(dirpath) / f


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    url: str | None = None,
    content_type: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | Reject]:
    """Documents from paths (files or directories) and ``-`` (standard input).

    A file that cannot be read yields a reject instead of stopping the run.
    """
    for item in inputs:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _from_stream(stream, "<stdin>", url=url, content_type=content_type)
            continue
        path = Path(item)
        files = _walk(path) if path.is_dir() else iter([path])
        for f in files:
            try:
                with f.open("rb") as fh:
                    yield from _from_stream(fh, str(f), url=url, content_type=content_type)
            except OSError as exc:
                yield Reject(
                    reason="invalid",
                    message=f"cannot read input: {exc.strerror or exc}",
                    origin=str(f),
                )
