"""Parsing, cleaning and dedup preparation in worker processes for ``wireingest run --workers N``.

What runs in the workers is what is a pure function of one document: parsing
(:func:`~wireingest._formats.parse_payload`), cleaning (:func:`~wireingest._finish.clean_draft`
and the finishing steps after it) and the dedup engine's preparation (paragraph keys, shingle
hashes, MinHash signatures, anchors: :class:`~wireingest._dedup.engine.Preparer`), shipped back
as compact numpy arrays. What learns in input order stays in the main process: the per-source
boilerplate model strips and learns there, in input order (an article it strips is finished and
prepared again there), and the dedup decisions are made there. So the output is identical to
``--workers 1`` and the commit rules of :meth:`Pipeline.process` are unchanged.

Documents travel in groups (fewer round trips for JSON Lines). The groups in flight cover the
main process's next batch and two groups per worker beyond it (``ahead``), so the workers keep
working while the main process decides a batch instead of waiting for it; memory stays
bounded by that; a ``None`` item (no more input ready) or the end of the input
sends the partial group and waits for everything in flight, so a live stream is not held back.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from wireingest._pipeline import Finished, Parsed, WorkOptions
from wireingest.types import Document, Reject

__all__ = ["parse_in_workers", "tune_gc"]

_GROUP = 64  # documents per task at most (JSON Lines records: fewer round trips)
_GROUP_BYTES = 1 << 18  # ...and about this many bytes (pages: spread over the workers)
_Wire = tuple[bytes | str, str | None, str | None, str | None, str | None, dict[str, Any]]
_Out = tuple[list[list[Finished | Reject]], Any]

_GC_THRESHOLD = (20_000, 20, 20)  # young generation scanned every 20,000 allocations (700)
_preparers: dict[Any, Any] = {}  # one dedup Preparer per settings, per worker process


def tune_gc() -> None:
    """Fewer scans by the cyclic garbage collector in a long run: what start-up made (modules,
    compiled regexes and kernels, the state) is frozen out of its scans (and stays shared
    with forked workers, copy-on-write), and the young generation is scanned every 20,000
    allocations instead of every 700. A run allocates and frees many short-lived objects
    (parsed records, results taken from the workers) and the default scans cost several per
    cent of its CPU; cycles are still collected, so memory stays bounded."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)


def _init_worker(parent: int) -> None:
    """Workers leave SIGINT/SIGTERM/SIGHUP to the main process, which stops the reading and
    lets them finish what was sent (a service manager may signal the whole group). They let go
    of the main process's stdin and stdout (a reader of its output sees the end when it ends),
    and end themselves when it is gone (``kill -9``): an orphan would wait on the result
    queue forever."""
    import gc
    import os
    import signal
    import threading
    import time

    gc.set_threshold(*_GC_THRESHOLD)  # the frozen objects of tune_gc() stay frozen here
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    os.close(null)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="wireingest-parent-watch", daemon=True).start()


def _work_group(docs: list[_Wire], opts: WorkOptions) -> _Out:
    """Parse and finish a group of documents; prepare their articles for the dedup engine."""
    from wireingest._draft import Draft
    from wireingest._finish import clean_draft, complete
    from wireingest._formats import parse_payload
    from wireingest.types import Article

    out: list[list[Finished | Reject]] = []
    articles: list[Article] = []
    for content, url, ctype, id_, origin, meta in docs:
        doc = Document(content, url=url, content_type=ctype, id=id_, origin=origin, meta=meta)
        items: list[Finished | Reject] = []
        for item in parse_payload(doc, max_bytes=opts.max_bytes):
            if not isinstance(item, Draft):
                items.append(item)
                continue
            cleaned = clean_draft(item)
            result = complete(item, cleaned, cleaned.paragraphs, require_body=opts.require_body)
            row = -1
            if isinstance(result, Article):
                row = len(articles)
                articles.append(result)
            # the main process's boilerplate model needs the draft and its cleaned paragraphs
            # only for an item with a host (the model is per source)
            keep = opts.boilerplate and cleaned.host is not None
            line = (result.to_json() + "\n").encode() if isinstance(result, Article) else None
            items.append(Finished(
                result, item.origin or doc.origin, item if keep else None,
                cleaned._replace(profile=None) if keep else None, row, line,  # profiles: by host
            ))  # fmt: skip
        out.append(items)
    prepared = None
    if opts.dedup is not None and articles:
        key = (opts.dedup, opts.backend)
        prep = _preparers.get(key)
        if prep is None:
            from wireingest._dedup.engine import Preparer

            prep = _preparers[key] = Preparer(opts.dedup, opts.backend)
        prepared = prep.prepare(articles)
    return out, prepared


def _wire(doc: Document) -> _Wire:
    return (doc.content, doc.url, doc.content_type, doc.id, doc.origin, dict(doc.meta))


def parse_in_workers(
    items: Iterable[Document | Reject | None],
    *,
    workers: int,
    options: WorkOptions,
    ahead: int = 0,
) -> Iterator[Document | Reject | Parsed | None]:
    """``items`` with every document replaced by its :class:`Parsed` results, in input order
    (``options``: :meth:`Pipeline._work_options` of the pipeline that will take them;
    ``ahead``: the documents its consumer takes before it stops to work on them, its batch
    size).

    Groups in flight: ``ahead`` documents' worth plus two per worker."""
    window = 2 * workers + -(-ahead // _GROUP)
    pending: deque[tuple[list[Document], Future[_Out]] | Reject | None] = deque()
    group: list[Document] = []
    group_bytes = 0
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),)
    ) as pool:

        def send() -> None:
            nonlocal group, group_bytes
            if group:
                pending.append((group, pool.submit(_work_group, [_wire(d) for d in group],
                                                   options)))  # fmt: skip
                group, group_bytes = [], 0

        def take() -> Iterator[Document | Reject | Parsed | None]:
            head = pending.popleft()
            if head is None or isinstance(head, Reject):
                yield head
                return
            docs, fut = head
            results, prepared = fut.result()
            for doc, parsed in zip(docs, results, strict=True):
                yield Parsed(doc, parsed, prepared)

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
