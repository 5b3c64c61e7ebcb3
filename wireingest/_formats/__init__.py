"""Format dispatch: one :class:`~wireingest.types.Document` in, drafts and rejects out.

The payload is normalised to bytes, gzip is unwrapped (bounded), the format is sniffed from the
content (:mod:`wireingest._formats.sniff`), and the matching parser module is imported lazily and
run. Parsers are registered by name in :data:`_PARSERS` as ``module:function``; each takes
``(data: bytes, *, url, content_type, origin)`` and yields ``Draft | Reject``.

A parser that raises is a bug, but one bad input must never stop a stream: the dispatcher turns
any exception into a ``Reject(reason="invalid")`` naming the exception.
"""

from __future__ import annotations

import gzip
import importlib
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from wireingest._draft import Draft
from wireingest._formats.sniff import sniff
from wireingest.types import Document, Reject

__all__ = ["DEFAULT_MAX_BYTES", "parse_payload"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_PARSERS: dict[str, str] = {
    "feed": "wireingest._formats.feeds:parse",
    "jsonfeed": "wireingest._formats.jsonfeed:parse",
    "newsml": "wireingest._formats.newsml:parse",
    "nitf": "wireingest._formats.newsml:parse",
    "ninjs": "wireingest._formats.ninjs:parse",
    "json": "wireingest._formats.jsonrec:parse",
    "html": "wireingest._formats.html:parse",
    "text": "wireingest._formats.text:parse",
}

ParseFn = Callable[..., Iterator[Draft | Reject]]
_loaded: dict[str, ParseFn] = {}


def _parser(kind: str) -> ParseFn:
    fn = _loaded.get(kind)
    if fn is None:
        module, _, attr = _PARSERS[kind].partition(":")
        fn = getattr(importlib.import_module(module), attr)
        _loaded[kind] = fn
    return fn


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Every member of a (multi-member) gzip payload, bounded by ``max_bytes``."""
    out: list[bytes] = []
    size = 0
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        part = d.decompress(data, max_bytes + 1 - size)
        size += len(part)
        out.append(part)
        if size > max_bytes:
            raise OverflowError
        if not d.eof:
            raise EOFError("truncated gzip stream")
        data = d.unused_data.lstrip(b"\0")
        if not data:
            return b"".join(out)


def _reject(doc: Document, reason: str, message: str, **extra: Any) -> Reject:
    return Reject(
        reason=reason, message=message, id=doc.id, url=doc.url, origin=doc.origin, extra=extra
    )


def parse_payload(doc: Document, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Draft | Reject]:
    """Parse one document into drafts (one per article it holds) and rejects."""
    content = doc.content
    data: bytes
    if type(content) is bytes:
        data = content
    else:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if len(data) > max_bytes:
        yield _reject(
            doc, "too-large", f"input is {len(data)} bytes, over the {max_bytes}-byte limit"
        )
        return
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data, max_bytes)
        except OverflowError:
            yield _reject(doc, "too-large", f"gzip payload expands past the {max_bytes}-byte limit")
            return
        except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
            yield _reject(doc, "invalid", f"corrupt gzip data: {exc}")
            return
    if doc.meta.get("format") == "json-line":
        # One line of a JSON Lines stream (see wireingest._io): never sniffed on its own, so
        # that a broken line is an invalid record rather than a text page.
        from wireingest._formats.jsonrec import parse_line

        yield from parse_line(data, url=doc.url, origin=doc.origin)
        return
    kind = sniff(data, doc.content_type, doc.url)
    if kind == "empty":
        yield _reject(doc, "invalid", "empty input: no bytes other than white space")
        return
    if kind == "binary":
        yield _reject(doc, "invalid", "binary data: not text, markup or JSON")
        return
    try:
        fn = _parser(kind)
    except (ImportError, AttributeError) as exc:
        yield _reject(doc, "invalid", f"no parser available for format {kind!r}: {exc}")
        return
    try:
        # the HTML parser has a limit of its own: give it the caller's
        kw: dict[str, Any] = {"max_bytes": max_bytes} if kind == "html" else {}
        for item in fn(data, url=doc.url, content_type=doc.content_type, origin=doc.origin, **kw):
            if isinstance(item, Draft):
                if doc.id is not None and item.id is None:
                    item.id = doc.id
                if item.origin is None:
                    item.origin = doc.origin
            yield item
    except Exception as exc:
        yield _reject(
            doc, "invalid", f"{kind} parser failed: {type(exc).__name__}: {exc}", format=kind
        )
