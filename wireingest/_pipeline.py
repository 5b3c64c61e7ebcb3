"""The pipeline: documents in, a clean deduplicated stream of articles and rejects out.

``Pipeline`` is the one object a caller owns. It holds the dedup index and the learned
boilerplate model (no module-level state), counts what it emits and rejects, and is the thing the
command line drives. Two ways in:

* ``pipeline.push(content, url=..., content_type=...)`` for a scraper that fetches one document at
  a time; it returns the articles and rejects that document produced, decided immediately.
* ``pipeline.process(documents)`` for a stream; it yields results lazily, deciding dedup in
  batches (``batch_size``) for speed, closed early after ``max_delay`` or when the stream says
  no more input is ready (a ``None`` item), so a live stream is not held back. Results keep the
  input order.

Commits (with ``state=``): ``process`` commits a batch's decisions only after the consumer has
taken every result of the batch (and after ``before_commit``, which the CLI uses to flush its
outputs and whose bytes are committed in the same transaction, e.g. an output file's length).
A consumer that stops part way (an exception, a failed write, ``close()`` on an unfinished
iterator) commits nothing it did not take: the batch in flight is rolled back and decided again
on restart. So a crash or a failed write never loses an article, and a committed article is
never emitted again. ``push`` commits before it returns.

Every record that comes in leaves as exactly one :class:`Article` or :class:`Reject`:
``stats.inputs == stats.emitted + stats.rejected`` at all times between calls.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from wireingest import _kernels
from wireingest._clean.boilerplate import BoilerplateModel
from wireingest._dedup import DedupConfig, Deduplicator
from wireingest._dedup.engine import Prepared
from wireingest._draft import Draft
from wireingest._finish import Cleaned, complete, finish
from wireingest._formats import DEFAULT_MAX_BYTES, parse_payload
from wireingest._profiles import profile_for
from wireingest.errors import PipelineUsageError
from wireingest.types import Article, Document, Reject

__all__ = ["Pipeline", "Stats", "parse"]

Result = Article | Reject
_BOILERPLATE_BLOB = "boilerplate-model"
_CHECKPOINT_BLOB = "checkpoint"
_SAVE_EVERY = 30.0  # seconds between saves of the boilerplate model into the state


class Finished(NamedTuple):
    """A draft finished elsewhere (``wireingest._workers``) without the boilerplate model.

    ``draft`` and ``cleaned`` are there when the model applies (the item has a host): the
    main process strips and learns with them, and finishes the draft again when the model
    strips something. ``row``: the article's row in the :class:`Parsed`'s ``prepared``.
    ``line``: the article's JSON line, UTF-8 (written as it is when it is emitted unchanged)."""

    result: Article | Reject
    origin: str | None
    draft: Draft | None
    cleaned: Cleaned | None
    row: int
    line: bytes | None = None


class Parsed(NamedTuple):
    """A document with what was made of it elsewhere (``wireingest._workers``): drafts of
    :func:`~wireingest._formats.parse_payload`, or finished items and their dedup preparation
    (:class:`~wireingest._dedup.engine.Prepared`); :meth:`Pipeline.process` decides it in
    order."""

    doc: Document
    items: Sequence[Draft | Finished | Reject]
    prepared: Prepared | None = None


class WorkOptions(NamedTuple):
    """What a worker process needs to know of the pipeline (:meth:`Pipeline._work_options`)."""

    max_bytes: int
    require_body: bool
    boilerplate: bool
    dedup: DedupConfig | None
    backend: str | None


_Item = tuple[Result, str | None, tuple[Prepared, int] | None]


@dataclass(slots=True)
class Stats:
    """What a pipeline has seen so far."""

    inputs: int = 0
    emitted: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def count(self, result: Result) -> None:
        self.inputs += 1
        if isinstance(result, Article):
            self.emitted += 1
        else:
            self.rejected += 1
            self.reasons[result.reason] += 1

    def summary(self) -> str:
        """``5 inputs: 3 emitted, 2 rejected (exact-duplicate 1, invalid 1)``."""
        s = f"{self.inputs} inputs: {self.emitted} emitted, {self.rejected} rejected"
        if self.reasons:
            s += " (" + ", ".join(f"{r} {n}" for r, n in sorted(self.reasons.items())) + ")"
        return s


class Pipeline:
    """Parse, clean, deduplicate.

    Parameters
    ----------
    dedup:
        ``True`` (default) for near-duplicate detection with the default :class:`DedupConfig`,
        a :class:`DedupConfig`, a ready :class:`Deduplicator`, or ``False`` to only parse and
        clean.
    state:
        Path of a SQLite file that keeps the dedup index and the boilerplate model between runs
        (ignored when ``dedup`` is a ready :class:`Deduplicator`).
    boilerplate:
        Learn per-source boilerplate across pages and strip it (default ``True``).
    max_bytes:
        Inputs larger than this are rejected with reason ``too-large``.
    batch_size:
        How many results :meth:`process` collects before deciding dedup for them at once.
    max_delay:
        Seconds :meth:`process` may hold a result back while it fills a batch (default 0.2):
        a batch is decided when it is full, when this much time has passed since its first
        input, or when the input stream says that no more input is ready (a ``None`` item).
    require_body:
        Reject headline-only items (feed entries, JSON records with a title or link and no
        text) with reason ``not-article`` instead of emitting them with an empty ``body``.

    A ``Pipeline`` is used by one thread at a time: a call from a second thread while another
    call (or an unfinished :meth:`process` iterator) is active raises
    :class:`~wireingest.errors.PipelineUsageError` instead of corrupting the index; give each
    thread its own ``Pipeline`` (they can share a ``state`` file). After :meth:`close`, ``push``
    and ``process`` raise :class:`~wireingest.errors.PipelineUsageError`.
    """

    def __init__(
        self,
        *,
        dedup: bool | DedupConfig | Deduplicator = True,
        state: str | os.PathLike[str] | None = None,
        boilerplate: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
        batch_size: int = 64,
        max_delay: float = 0.2,
        require_body: bool = False,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number of at least 1, not {batch_size!r}")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(f"max_bytes must be a positive whole number, not {max_bytes!r}")
        if not isinstance(max_delay, int | float) or not max_delay >= 0:
            raise ValueError(f"max_delay must be a number of seconds >= 0, not {max_delay!r}")
        self.stats = Stats()
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.max_delay = float(max_delay)
        self._busy = threading.Lock()
        self._closed = False
        self._in_flight = False  # decisions made that the consumer has not all taken yet
        self.require_body = require_body
        self._dedup: Deduplicator | None
        if isinstance(dedup, Deduplicator):
            self._dedup = dedup
        elif dedup is False:
            self._dedup = None
        else:
            cfg = dedup if isinstance(dedup, DedupConfig) else DedupConfig()
            self._dedup = Deduplicator(cfg, state=state)
        if self._dedup is not None and self._dedup.backend == "numba":
            # the first batch would load them anyway; loading them now lets the cleaning of
            # that batch use the compiled pre-check too (wireingest._clean._scan)
            _kernels.warm()
        self._lines: dict[int, tuple[Article, bytes]] = {}  # encoded by workers, see _encoded()
        self._boilerplate: BoilerplateModel | None = None
        self._saved_at = time.monotonic()
        if boilerplate:
            blob = self._dedup.load_meta(_BOILERPLATE_BLOB) if self._dedup is not None else None
            self._boilerplate = _load_boilerplate(blob)

    # -- context management ------------------------------------------------------------------
    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Commit the dedup index and the boilerplate model (when there is persistent state).

        Decisions of a :meth:`process` batch whose results the consumer has not all taken yet
        are not committed by this (they are rolled back when the iterator is closed)."""
        if self._dedup is not None and not self._in_flight:
            self._state_commit(self._model_blobs())

    def close(self) -> None:
        """Commit what has been taken, release the state; the pipeline cannot be used after.

        A :meth:`process` batch that was decided but not all taken by the consumer is rolled
        back, not committed: a rerun decides (and emits) those articles again."""
        self._closed = True
        if self._dedup is not None:
            dedup, self._in_flight = self._dedup, False
            try:
                if self._busy.locked():  # an unfinished process() iterator
                    self._state_rollback()
                self.flush()
            finally:
                self._dedup = None
                dedup.close()

    @property
    def checkpoint(self) -> bytes | None:
        """The bytes a ``before_commit`` callback of :meth:`process` last had committed with
        the decisions (``None`` without state or when none was committed)."""
        return self._state_load(_CHECKPOINT_BLOB)

    def set_checkpoint(self, data: bytes) -> None:
        """Commit ``data`` as the :attr:`checkpoint` now, e.g. an output file's length before
        anything is written to it (without state it is kept in memory)."""
        if not isinstance(data, bytes):
            raise TypeError(f"set_checkpoint() data must be bytes, not {type(data).__name__}")
        self._acquire("set_checkpoint")
        try:
            if self._dedup is not None:
                self._state_commit({_CHECKPOINT_BLOB: data})
        finally:
            self._busy.release()

    def _work_options(self) -> WorkOptions:
        """What worker processes need to parse, finish and prepare documents for this
        pipeline (``wireingest._workers``)."""
        d = self._dedup
        return WorkOptions(
            self.max_bytes, self.require_body, self._boilerplate is not None,
            d.config if d is not None else None, d.backend if d is not None else None,
        )  # fmt: skip

    def _encoded(self, article: Article) -> bytes | None:
        """The JSON line of an article :meth:`process` just yielded, UTF-8 with its newline,
        when a worker process encoded it already (``None``: call ``to_json()``). Each line is
        given once."""
        got = self._lines.pop(id(article), None)
        return got[1] if got is not None and got[0] is article else None

    # -- one document at a time ---------------------------------------------------------------
    def _finished(
        self,
        doc: Document,
        parsed: Iterable[Draft | Finished | Reject] | None = None,
        prepared: Prepared | None = None,
    ) -> Iterator[_Item]:
        items = parse_payload(doc, max_bytes=self.max_bytes) if parsed is None else parsed
        model = self._boilerplate
        for item in items:
            if isinstance(item, Draft):
                article = finish(item, boilerplate=model, require_body=self.require_body)
                yield article, item.origin or doc.origin, None
            elif isinstance(item, Finished):
                result = item.result
                pack = (prepared, item.row) if prepared is not None and item.row >= 0 else None
                cleaned = item.cleaned
                if model is not None and cleaned is not None and cleaned.host:
                    # the model's step of finish(), in input order
                    paras = cleaned.paragraphs
                    stripped = model.strip(cleaned.host, paras)
                    model.learn(cleaned.host, paras)
                    if stripped != paras:
                        draft = item.draft
                        assert draft is not None
                        # the profile stayed behind (not picklable): clean_draft's lookup
                        cleaned = cleaned._replace(
                            profile=profile_for(host=cleaned.host, agency=draft.agency)
                        )
                        result = complete(draft, cleaned, stripped, require_body=self.require_body)
                        pack = None
                if item.line is not None and result is item.result:
                    self._lines[id(result)] = (item.result, item.line)  # type: ignore[assignment]
                yield result, item.origin, pack
            else:
                yield item, item.origin, None

    def push(
        self,
        content: bytes | str,
        *,
        url: str | None = None,
        content_type: str | None = None,
        id: str | None = None,
        origin: str | None = None,
    ) -> list[Result]:
        """Process one fetched document now; return its articles and rejects (committed)."""
        if not isinstance(content, bytes | bytearray | memoryview | str):
            raise TypeError(f"push() content must be bytes or str, not {type(content).__name__}")
        for name, value in (
            ("url", url), ("content_type", content_type), ("id", id), ("origin", origin)
        ):  # fmt: skip
            if value is not None and not isinstance(value, str):
                raise TypeError(f"push() {name} must be a str or None, not {type(value).__name__}")
        self._acquire("push")
        try:
            doc = Document(
                bytes(content) if not isinstance(content, str | bytes) else content,
                url=url, content_type=content_type, id=id, origin=origin,
            )  # fmt: skip
            results = self._decide(list(self._finished(doc)))
            self._commit(None)
            for r in results:
                self.stats.count(r)
            return results
        finally:
            self._busy.release()

    # -- streams ------------------------------------------------------------------------------
    def process(
        self,
        documents: Iterable[Document | Reject | Parsed | None],
        *,
        before_commit: Callable[[], bytes | None] | None = None,
    ) -> Iterator[Result]:
        """Lazily process a stream of documents (rejects in the stream are passed through).

        Results keep the input order and are decided in batches (see ``batch_size`` and
        ``max_delay``); a ``None`` in the stream means "no more input ready now": the results
        held back are decided and yielded at once. With persistent state, a batch's decisions
        are committed after the consumer has taken all its results, so a consumer that stops
        (an exception, a failed write) commits nothing it did not take; the batch is decided
        again on restart. ``before_commit`` is called after the consumer has taken a batch
        and before the commit (e.g. to flush an output); bytes it returns are committed in the
        same transaction and read back with :attr:`checkpoint` (an output file offset, say).
        Only what the consumer took is counted in :attr:`stats`.
        """
        self._check_open("process")
        return self._process(iter(documents), before_commit)

    def _process(
        self,
        documents: Iterator[Document | Reject | Parsed | None],
        before_commit: Callable[[], bytes | None] | None,
    ) -> Iterator[Result]:
        self._acquire("process")
        try:
            batch: list[_Item] = []
            started = 0.0
            for doc in documents:
                if doc is not None:
                    if not batch:
                        started = time.monotonic()
                    if isinstance(doc, Reject):
                        batch.append((doc, doc.origin, None))
                    elif isinstance(doc, Document):
                        batch.extend(self._finished(doc))
                    elif isinstance(doc, Parsed):
                        batch.extend(self._finished(doc.doc, doc.items, doc.prepared))
                    else:
                        raise TypeError(
                            "process() takes Document, Reject or None items, "
                            f"not {type(doc).__name__}"
                        )
                    if len(batch) < self.batch_size and (
                        time.monotonic() - started < self.max_delay
                    ):
                        continue
                elif not batch:
                    continue
                yield from self._hand_over(batch, before_commit)
                batch = []
            if batch:
                yield from self._hand_over(batch, before_commit)
        finally:
            self._lines.clear()
            if self._in_flight:
                self._in_flight = False
                self._state_rollback()
            self._busy.release()

    def _hand_over(
        self,
        batch: list[_Item],
        before_commit: Callable[[], bytes | None] | None,
    ) -> Iterator[Result]:
        """Decide a batch, yield its results one by one, and commit once all are taken."""
        self._in_flight = True
        for r in self._decide(batch):
            yield r
            self._check_open("process")
            self.stats.count(r)
        self._commit(before_commit)
        self._in_flight = False

    def _commit(self, before_commit: Callable[[], bytes | None] | None) -> None:
        blobs: dict[str, bytes] = {}
        if before_commit is not None:
            mark = before_commit()
            if isinstance(mark, bytes):
                blobs[_CHECKPOINT_BLOB] = mark
        if self._dedup is None:
            return
        now = time.monotonic()
        if now - self._saved_at > _SAVE_EVERY:
            blobs.update(self._model_blobs())
            self._saved_at = now
        self._state_commit(blobs)

    def _model_blobs(self) -> dict[str, bytes]:
        if self._boilerplate is None:
            return {}
        return {_BOILERPLATE_BLOB: self._boilerplate.to_bytes()}

    # -- the state: the one place that talks to the dedup engine's transactions ---------------
    def _state_commit(self, blobs: dict[str, bytes]) -> None:
        """Commit the decisions and ``blobs`` in one transaction."""
        assert self._dedup is not None
        self._dedup.commit(blobs or None)

    def _state_rollback(self) -> None:
        if self._dedup is not None:
            self._dedup._abort()

    def _state_load(self, name: str) -> bytes | None:
        return self._dedup.load_meta(name) if self._dedup is not None else None

    # -- misuse --------------------------------------------------------------------------------
    def _check_open(self, what: str) -> None:
        if self._closed:
            raise PipelineUsageError(f"{what}() on a closed Pipeline: make a new one")

    def _acquire(self, what: str) -> None:
        self._check_open(what)
        if not self._busy.acquire(blocking=False):
            raise PipelineUsageError(
                f"{what}() while this Pipeline is busy (another thread is using it, or a "
                "process() iterator is not finished): use one Pipeline per thread, or finish "
                "or close the iterator first"
            )

    def _decide(self, batch: list[_Item]) -> list[Result]:
        articles = [r for r, _, _ in batch if isinstance(r, Article)]
        packs = [p for r, _, p in batch if isinstance(r, Article)]
        decisions = iter(
            self._dedup.check_many(
                articles, prepared=packs if any(p is not None for p in packs) else None
            )
            if self._dedup is not None and articles
            else ()
        )
        out: list[Result] = []
        lines = self._lines
        for r, origin, _ in batch:
            if isinstance(r, Article) and self._dedup is not None:
                d = next(decisions)
                if lines and (not d.emit or d.supersedes or d.related or d.matches):
                    lines.pop(id(r), None)  # the record written is not the one encoded
                if not d.emit:
                    extra: dict[str, object] = {}
                    if d.containment is not None:
                        extra["containment"] = round(d.containment, 4)
                    if len(d.matches) > 1:
                        extra["matches"] = list(d.matches)
                    r = Reject(
                        reason=d.reason or "near-duplicate",
                        message=_dup_message(d.reason, d.duplicate_of, d.similarity),
                        id=r.id,
                        url=r.url,
                        origin=origin,
                        title=r.title,
                        duplicate_of=d.duplicate_of,
                        similarity=d.similarity,
                        extra=extra,
                    )
                elif d.supersedes or d.related or d.matches:
                    extra = dict(r.extra)
                    if d.related:
                        extra["related"] = d.related
                    if d.matches:
                        extra["matches"] = list(d.matches)
                    r = replace(r, supersedes=tuple(d.supersedes), extra=extra)
            out.append(r)
        return out


def _load_boilerplate(blob: bytes | None) -> BoilerplateModel:
    """The saved model, or a fresh one when there is none or it is from another version."""
    if not blob:
        return BoilerplateModel()
    try:
        return BoilerplateModel.from_bytes(blob)
    except ValueError as exc:
        warnings.warn(
            f"saved boilerplate model not usable ({exc}); starting a fresh one", stacklevel=3
        )
        return BoilerplateModel()


def _dup_message(reason: str | None, of: str | None, sim: float | None) -> str:
    what = {
        "exact-duplicate": "same normalised body as",
        "near-duplicate": "near-duplicate of",
        "contained": "text contained in",
        "superseded": "older or shorter version of",
        "headline-duplicate": "headline only, same URL or title as",
        "duplicate-id": "other content under the id of",
    }.get(reason or "", "duplicate of")
    s = f"{what} {of}"
    if sim is not None:
        s += f" (estimated Jaccard {sim:.3f})"
    return s


def parse(
    content: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    require_body: bool = False,
) -> list[Result]:
    """Parse and clean one document without deduplication: its articles and rejects.

    ``require_body`` rejects headline-only items (see :class:`Pipeline`).
    """
    p = Pipeline(dedup=False, boilerplate=False, require_body=require_body)
    return p.push(content, url=url, content_type=content_type)
