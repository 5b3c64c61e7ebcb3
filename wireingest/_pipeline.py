"""The pipeline: documents in, a clean deduplicated stream of articles and rejects out.

``Pipeline`` is the one object a caller owns. It holds the dedup index and the learned
boilerplate model (no module-level state), counts what it emits and rejects, and is the thing the
command line drives. Two ways in:

* ``pipeline.push(content, url=..., content_type=...)`` for a scraper that fetches one document at
  a time; it returns the articles and rejects that document produced, decided immediately.
* ``pipeline.process(documents)`` for a stream; it yields results lazily, deciding dedup in small
  batches (``batch_size``) for speed. Results keep the input order.

Commits (with ``state=``): ``process`` commits the dedup index after the consumer has taken every
result of a batch (and after ``before_commit``, which the CLI uses to flush its output), so a
crash never loses an emitted article and never emits a committed one twice; the articles of an
unfinished batch are decided again on restart. ``push`` commits before it returns.

Every record that comes in leaves as exactly one :class:`Article` or :class:`Reject`:
``stats.inputs == stats.emitted + stats.rejected`` at all times between calls.
"""

from __future__ import annotations

import os
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from wireingest import _kernels
from wireingest._clean.boilerplate import BoilerplateModel
from wireingest._dedup import DedupConfig, Deduplicator
from wireingest._draft import Draft
from wireingest._finish import finish
from wireingest._formats import DEFAULT_MAX_BYTES, parse_payload
from wireingest.types import Article, Document, Reject

__all__ = ["Pipeline", "Stats", "parse"]

Result = Article | Reject
_BOILERPLATE_BLOB = "boilerplate-model"
_SAVE_EVERY = 30.0  # seconds between saves of the boilerplate model into the state


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
        How many articles :meth:`process` collects before deciding dedup for them at once.
    require_body:
        Reject headline-only items (feed entries, JSON records with a title or link and no
        text) with reason ``not-article`` instead of emitting them with an empty ``body``.
    """

    def __init__(
        self,
        *,
        dedup: bool | DedupConfig | Deduplicator = True,
        state: str | os.PathLike[str] | None = None,
        boilerplate: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
        batch_size: int = 64,
        require_body: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.stats = Stats()
        self.max_bytes = max_bytes
        self.batch_size = batch_size
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
        """Commit the dedup index and the boilerplate model (when there is persistent state)."""
        if self._dedup is not None:
            self._dedup.commit(self._model_meta())

    def close(self) -> None:
        if self._dedup is not None:
            self.flush()
            self._dedup.close()
            self._dedup = None

    # -- one document at a time ---------------------------------------------------------------
    def _finished(self, doc: Document) -> Iterator[tuple[Result, str | None]]:
        for item in parse_payload(doc, max_bytes=self.max_bytes):
            if isinstance(item, Draft):
                article = finish(
                    item, boilerplate=self._boilerplate, require_body=self.require_body
                )
                yield article, item.origin or doc.origin
            else:
                yield item, item.origin

    def push(
        self,
        content: bytes | str,
        *,
        url: str | None = None,
        content_type: str | None = None,
        id: str | None = None,
        origin: str | None = None,
    ) -> list[Result]:
        """Process one fetched document now; return its articles and rejects."""
        doc = Document(content, url=url, content_type=content_type, id=id, origin=origin)
        results = list(self._decide(list(self._finished(doc))))
        self._commit(None)
        return results

    # -- streams ------------------------------------------------------------------------------
    def process(
        self,
        documents: Iterable[Document | Reject],
        *,
        before_commit: Callable[[], object] | None = None,
    ) -> Iterator[Result]:
        """Lazily process a stream of documents (rejects in the stream are passed through).

        ``before_commit`` is called after the consumer has taken a batch's results and before
        the dedup decisions for that batch are committed (e.g. ``sys.stdout.flush``).
        """
        batch: list[tuple[Result, str | None]] = []
        n_articles = 0
        for doc in documents:
            results = [(doc, doc.origin)] if isinstance(doc, Reject) else self._finished(doc)
            for r, origin in results:
                batch.append((r, origin))
                if isinstance(r, Article):
                    n_articles += 1
            if n_articles >= self.batch_size or (n_articles == 0 and batch):
                yield from self._decide(batch)
                if n_articles:
                    self._commit(before_commit)
                batch, n_articles = [], 0
        if batch:
            yield from self._decide(batch)
            self._commit(before_commit)

    def _commit(self, before_commit: Callable[[], object] | None) -> None:
        if self._dedup is None:
            return
        if before_commit is not None:
            before_commit()
        now = time.monotonic()
        meta = None
        if now - self._saved_at > _SAVE_EVERY:
            meta = self._model_meta()
            self._saved_at = now
        self._dedup.commit(meta)

    def _model_meta(self) -> dict[str, bytes] | None:
        """The boilerplate model as a metadata blob committed with the dedup decisions."""
        if self._boilerplate is None:
            return None
        return {_BOILERPLATE_BLOB: self._boilerplate.to_bytes()}

    def _decide(self, batch: list[tuple[Result, str | None]]) -> Iterator[Result]:
        articles = [r for r, _ in batch if isinstance(r, Article)]
        decisions = iter(
            self._dedup.check_many(articles) if self._dedup is not None and articles else ()
        )
        for r, origin in batch:
            if isinstance(r, Article) and self._dedup is not None:
                d = next(decisions)
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
            self.stats.count(r)
            yield r


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
