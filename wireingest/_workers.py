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

The pool forks once the main process has loaded the compiled kernels (the workers inherit
them), which leaves the other cores idle while it does (about a second). An early parser
(:func:`start_early`), forked before that, parses the first documents in the meantime without
the kernels; the stream of :meth:`Early.items` has what it finished in place, the pool
prepares the articles of those for dedup (in groups, first thing: the main process, the
pipeline's serial stage, does not sign them) and parses the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, NamedTuple

from wireingest._io import Stop
from wireingest._pipeline import Finished, Parsed, WorkOptions
from wireingest.types import Article, Document, Reject

if TYPE_CHECKING:
    from wireingest._dedup.engine import Prepared
    from wireingest._draft import Draft

__all__ = ["Early", "parse_in_workers", "start_early", "tune_gc"]

_GROUP = 64  # documents per task at most (JSON Lines records: fewer round trips)
_GROUP_BYTES = 1 << 18  # ...and about this many bytes (pages: spread over the workers)
_Wire = tuple[bytes | str, str | None, str | None, str | None, str | None, dict[str, Any]]
_Out = tuple[list[list[Finished | Reject]], Any]

_EARLY_DOCS = 4096  # documents read ahead for the early parser at most (about a second)
_EARLY_BYTES = 1 << 24  # ...and about this many bytes (16 MiB)
_EARLY_WAIT = 0.5  # seconds between checks that the early parser is still alive
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
    return out, _prepare(articles, opts)


def _prepare(articles: list[Article], opts: WorkOptions) -> Prepared | None:
    """The dedup preparation of ``articles`` (``None`` without dedup or articles)."""
    if opts.dedup is None or not articles:
        return None
    key = (opts.dedup, opts.backend)
    prep = _preparers.get(key)
    if prep is None:
        from wireingest._dedup.engine import Preparer

        prep = _preparers[key] = Preparer(opts.dedup, opts.backend)
    return prep.prepare(articles)


def _wire(doc: Document) -> _Wire:
    return (doc.content, doc.url, doc.content_type, doc.id, doc.origin, dict(doc.meta))


def _group_full(count: int, size: int) -> bool:
    """Whether a group of ``count`` documents of ``size`` bytes in all is sent as it is."""
    return count >= _GROUP or size >= _GROUP_BYTES


def _groups(docs: list[Document]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of consecutive groups of ``docs``, cut as the pool's groups are."""
    start = size = 0
    for i, doc in enumerate(docs):
        size += len(doc.content)
        if _group_full(i + 1 - start, size):
            yield start, i + 1
            start, size = i + 1, 0
    if start < len(docs):
        yield start, len(docs)


class Early:
    """The early parser: a child process working through the documents read ahead (see the
    module docstring), made by :func:`start_early`. :meth:`items` is the input stream with
    what it parsed in place; :meth:`close` ends it (also when it is not used)."""

    def __init__(
        self,
        head: list[Document | Reject | None],
        rest: Iterable[Document | Reject | None],
        options: WorkOptions,
        error: OSError | None = None,
    ) -> None:
        self._head = head  # what was read ahead, in order
        self._rest = rest  # the input after it
        self._error = error  # what ended the reading ahead, raised where the reading was
        self.options = options
        self._docs = [d for d in head if isinstance(d, Document)]
        self._parsed: list[Parsed] = []
        self.finished = 0  #: documents it finished (known once :meth:`items` has begun)
        self._taken = False
        self._proc: Any = None
        if len(self._docs) <= _GROUP:
            return  # not worth a process
        ctx = multiprocessing.get_context("fork")
        self._halt = ctx.Event()
        self._out: Any = ctx.Queue()  # buffered in the child: it never waits for the reader
        self._proc = ctx.Process(
            target=_early_main,
            args=(self._docs, options, self._halt, self._out, os.getpid()),
            name="wireingest-early",
            daemon=True,
        )
        self._proc.start()

    def items(
        self, usable: bool = True, stop: Stop | None = None
    ) -> Iterator[Document | Reject | Parsed | None]:
        """The input: the documents read ahead (each one the early parser finished as a
        :class:`Parsed` without dedup preparation), then the rest. The early parser is halted
        (after its current group) when the first item is taken. ``usable=False``: its work
        does not fit the pipeline after all; every document comes as it was read. ``stop``
        ends what was read ahead as it ends the reading (the rest stops by itself)."""
        try:
            done = self._take() if usable else 0
        finally:
            self.close()
        k = 0
        for item in self._head:
            if stop:
                break
            if isinstance(item, Document) and k < done:
                yield self._parsed[k]
                k += 1
            else:
                yield item
        self._head, self._docs, self._parsed = [], [], []
        if self._error is not None and not stop:
            raise self._error
        yield from self._rest

    def _take(self) -> int:
        """Halt the early parser and collect what it finished; how many documents."""
        if self._proc is None:
            return 0
        self._taken = True
        self._halt.set()
        while True:
            try:
                msg = self._out.get(timeout=_EARLY_WAIT)
            except queue.Empty:
                if self._proc.is_alive() or not self._out.empty():
                    continue
                break  # ended without a word (killed): the pool parses the rest
            except (EOFError, OSError, pickle.UnpicklingError):
                break  # killed while it wrote: what came whole stands, the pool does the rest
            if msg is None:
                break
            results, _ = msg
            base = len(self._parsed)
            self._parsed.extend(
                Parsed(self._docs[base + k], items) for k, items in enumerate(results)
            )
        self.finished = len(self._parsed)
        return self.finished

    def close(self) -> None:
        """End the early parser (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._halt.set()
        if self._taken:  # it has said all it had to say, and ends by itself
            proc.join(timeout=_EARLY_WAIT)
        if proc.is_alive():
            proc.kill()  # unused (or stuck): what it holds is not needed
        proc.join()
        self._out.cancel_join_thread()
        self._out.close()


def _early_main(
    docs: list[Document], opts: WorkOptions, halt: Any, out: Any, parent: int
) -> None:
    """The early parser's process: groups in order until halted, then ``None``."""
    import signal

    _init_worker(parent)
    # unlike the pool's workers it may end on SIGTERM (what it did not finish, the pool
    # parses), so that multiprocessing's clean-up at exit ends it on any path
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        for start, end in _groups(docs):
            if halt.is_set():
                break
            out.put(_work_group([_wire(d) for d in docs[start:end]], opts))
    except Exception:  # what it did not finish, the pool parses (and fails the same way)
        pass
    out.put(None)
    out.close()
    out.join_thread()


def start_early(
    items: Iterable[Document | Reject | None], options: WorkOptions
) -> Early | None:
    """Read ahead from ``items`` (up to a ``None``, :data:`_EARLY_DOCS` documents or
    :data:`_EARLY_BYTES` bytes) and start an early parser on it (``options``: the pool's,
    without dedup: it has no compiled kernels). ``None`` where processes are not forked (only
    on Linux), with nothing read."""
    if not sys.platform.startswith("linux"):
        return None
    it = iter(items)
    head: list[Document | Reject | None] = []
    size = n = 0
    try:
        for item in it:
            head.append(item)
            if item is None:
                break  # no more input ready now: go with what there is
            if isinstance(item, Document):
                n += 1
                size += len(item.content)
                if n >= _EARLY_DOCS or size >= _EARLY_BYTES:
                    break
    except OSError as exc:  # (stdin unreadable): raised after what was read, as without it
        return Early(head, iter(()), options, exc)
    return Early(head, it, options)


def parse_in_workers(
    items: Iterable[Document | Reject | Parsed | None],
    *,
    workers: int,
    options: WorkOptions,
    ahead: int = 0,
) -> Iterator[Document | Reject | Parsed | None]:
    """``items`` with every document replaced by its :class:`Parsed` results, in input order
    (``options``: :meth:`Pipeline._work_options` of the pipeline that will take them;
    ``ahead``: the documents its consumer takes before it stops to work on them, its batch
    size). Items parsed already (:class:`Parsed`, from the early parser) keep their results;
    when ``options`` has dedup settings and they have no dedup preparation, the pool prepares
    their articles (in groups, as it does its own), so the consumer does not.

    Groups in flight: ``ahead`` documents' worth plus two per worker, and as many more as
    there are items ready ahead of them (parsed already, or being prepared), so that the
    workers keep working while the consumer takes those."""
    window = 2 * workers + -(-ahead // _GROUP)
    pending: deque[_InFlight | Reject | Parsed | None] = deque()
    group: list[Document] = []
    group_bytes = 0
    early: list[Parsed] = []  # parsed items to prepare, as one group
    in_flight = ready = 0  # parsing groups in the pool; other items in pending
    held = 0  # of those, items parsed already: held in memory before they came here
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),)
    ) as pool:

        def send() -> None:
            nonlocal group, group_bytes, in_flight
            if group:
                fut = pool.submit(_work_group, [_wire(d) for d in group], options)
                pending.append(_InFlight(group, fut))
                in_flight += 1
                group, group_bytes = [], 0

        def send_early() -> None:
            """The articles of the parsed items in ``early`` to the pool for preparation
            (their rows renumbered in that group)."""
            nonlocal early, ready, held
            if not early:
                return
            articles: list[Article] = []
            renumbered: list[Parsed] = []
            for p in early:
                its: list[Draft | Finished | Reject] = []
                for it in p.items:
                    if isinstance(it, Finished) and it.row >= 0:
                        it = it._replace(row=len(articles))
                        articles.append(it.result)  # type: ignore[arg-type]
                    its.append(it)
                renumbered.append(p._replace(items=its))
            fut = pool.submit(_prepare, articles, options)
            pending.append(_InFlight([p.doc for p in early], fut, renumbered))
            ready += len(early)
            held += len(early)
            early = []

        def take() -> Iterator[Document | Reject | Parsed | None]:
            nonlocal in_flight, ready, held
            head = pending.popleft()
            if not isinstance(head, _InFlight):
                ready -= 1
                held -= isinstance(head, Parsed)
                yield head
                return
            if head.parsed is not None:  # parsed already, prepared by the pool
                ready -= len(head.parsed)
                held -= len(head.parsed)
                prepared = head.future.result()
                for p in head.parsed:
                    yield p._replace(prepared=prepared)
                return
            in_flight -= 1
            results, prepared = head.future.result()
            for doc, parsed in zip(head.docs, results, strict=True):
                yield Parsed(doc, parsed, prepared)

        for item in items:
            if (
                isinstance(item, Parsed)
                and item.prepared is None
                and options.dedup is not None
                and any(isinstance(it, Finished) and it.row >= 0 for it in item.items)
            ):
                send()
                early.append(item)
                if len(early) >= _GROUP:
                    send_early()
                continue
            send_early()
            if isinstance(item, Document):
                group.append(item)
                group_bytes += len(item.content)
                if _group_full(len(group), group_bytes):
                    send()
            else:
                send()
                pending.append(item)
                ready += 1
                held += isinstance(item, Parsed)
                if item is None:  # input paused: hand over everything read so far
                    while pending:
                        yield from take()
            while pending:
                budget = window + -(-ready // _GROUP)  # groups the pool may hold now
                head = pending[0]
                if isinstance(head, _InFlight) and head.parsed is None:
                    if not (head.future.done() or in_flight > budget):
                        break  # read on: the pool has room
                elif in_flight < budget and ready - held <= window * _GROUP:
                    # fill the pool before handing over what is ready: read on past the
                    # items parsed already (the early parser's: they cost no more memory
                    # here), so that the pool gets the documents after them at once
                    break
                yield from take()
        send_early()
        send()
        while pending:
            yield from take()


class _InFlight(NamedTuple):
    """A group of documents sent to the pool, and its future: their parsing, or (``parsed``:
    what was parsed already) the dedup preparation of their articles."""

    docs: list[Document]
    future: Future[Any]
    parsed: list[Parsed] | None = None
