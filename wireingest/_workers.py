"""Parsing in worker processes for ``wireingest run --workers N``.

Only :func:`~wireingest._formats.parse_payload` runs in the workers: it is a pure function of
one document, so the drafts are the same wherever it runs. Cleaning with the learned
boilerplate model and the dedup decisions stay in the main process, in input order, which keeps
the output identical to ``--workers 1`` and the commit rules of :meth:`Pipeline.process`
unchanged. Documents travel in groups (fewer round trips for JSON Lines); at most ``window``
groups are in flight, so memory stays bounded; a ``None`` item (no more input ready) or the end
of the input sends the partial group and waits for everything in flight, so a live stream is not
held back.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from wireingest._draft import Draft
from wireingest._pipeline import Parsed
from wireingest.types import Document, Reject

__all__ = ["parse_in_workers"]

_GROUP = 32  # documents per task at most (JSON Lines records: fewer round trips)
_GROUP_BYTES = 1 << 18  # ...and about this many bytes (pages: spread over the workers)
_Wire = tuple[bytes | str, str | None, str | None, str | None, str | None, dict[str, Any]]


def _ignore_signals() -> None:
    """Workers leave SIGINT/SIGTERM/SIGHUP to the main process, which stops the reading and
    lets them finish what was sent (a service manager may signal the whole group)."""
    import signal

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def _parse_group(docs: list[_Wire], max_bytes: int) -> list[list[Draft | Reject]]:
    from wireingest._formats import parse_payload

    out = []
    for content, url, ctype, id_, origin, meta in docs:
        doc = Document(content, url=url, content_type=ctype, id=id_, origin=origin, meta=meta)
        out.append(list(parse_payload(doc, max_bytes=max_bytes)))
    return out


def _wire(doc: Document) -> _Wire:
    return (doc.content, doc.url, doc.content_type, doc.id, doc.origin, dict(doc.meta))


def parse_in_workers(
    items: Iterable[Document | Reject | None], *, workers: int, max_bytes: int
) -> Iterator[Document | Reject | Parsed | None]:
    """``items`` with every document replaced by its :class:`Parsed` drafts, in input order."""
    window = 2 * workers
    pending: deque[tuple[list[Document], Future[list[list[Draft | Reject]]]] | Reject | None]
    pending = deque()
    group: list[Document] = []
    group_bytes = 0
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_signals) as pool:

        def send() -> None:
            nonlocal group, group_bytes
            if group:
                pending.append((group, pool.submit(_parse_group, [_wire(d) for d in group],
                                                   max_bytes)))  # fmt: skip
                group, group_bytes = [], 0

        def take() -> Iterator[Document | Reject | Parsed | None]:
            head = pending.popleft()
            if head is None or isinstance(head, Reject):
                yield head
                return
            docs, fut = head
            for doc, parsed in zip(docs, fut.result(), strict=True):
                yield Parsed(doc, parsed)

        for item in items:
            if isinstance(item, Document):
                group.append(item)
                group_bytes += len(item.content)
                if len(group) >= _GROUP or group_bytes >= _GROUP_BYTES:
                    send()
            else:
                send()
                pending.append(item)
                if item is None:  # input paused: hand over everything read so far
                    while pending:
                        yield from take()
            while pending and (
                len(pending) > window
                or (not isinstance(pending[0], tuple))
                or pending[0][1].done()
            ):
                yield from take()
        send()
        while pending:
            yield from take()

