"""A Scrapy item pipeline that cleans and deduplicates scraped articles.

Install with ``pip install 'wireingest[scrapy]'`` and enable it in ``settings.py``::

    ITEM_PIPELINES = {"wireingest.scrapy.WireingestPipeline": 300}
    WIREINGEST_STATE = "dedup.sqlite"      # or "redis://host:6379/0?prefix=news": one shared index
    WIREINGEST_THRESHOLD = 0.8
    WIREINGEST_POLICY = "first"

**Items.** An item (a dict, a :class:`scrapy.Item`, a dataclass: anything ``itemadapter``
takes) carries ``url`` and one of ``html`` (the page, ``str`` or ``bytes``), ``text`` (a scraped
page dump) or ``body`` (the article text), plus any field a JSON Lines input record may carry
(``id``, ``title``, ``published``, ``language``, ``authors``, ...; see
:mod:`wireingest._formats.jsonrec`). The item is read exactly as that JSON Lines record would be:
fields given in the item win over what the page parsers find. ``html`` bytes are decoded by the
page's own declaration (byte-order mark, ``<meta charset>``), else as UTF-8; pass
``response.text`` for pages whose charset only the HTTP header names.

**Kept items** come back with their own fields intact and a new field ``article``: the
:class:`~wireingest.Article` as a dict, with the same fields as the JSON output
(:meth:`~wireingest.Article.to_dict`). A :class:`scrapy.Item` subclass must declare
``article = scrapy.Field()``.

**Rejected items** (duplicates, pages with no article, ...) raise
:class:`scrapy.exceptions.DropItem` whose message starts with the reason:
``near-duplicate of <id> (0.93)``, ``exact-duplicate of <id> (1.00)``,
``invalid: record has no text: ...``. (A record that is a whole ninjs package or JSON Feed
can hold several articles: the item is kept when one of them is, with the first as
``article``; send one article per item.)

**Settings.** ``WIREINGEST_ENABLED`` (default ``True``; ``False`` raises
:class:`~scrapy.exceptions.NotConfigured`, so Scrapy leaves the pipeline out),
``WIREINGEST_STATE`` (a path or a ``redis://`` URL, handed to :class:`~wireingest.Pipeline`
as ``state=``; default: an in-memory index for this crawl), ``WIREINGEST_THRESHOLD`` (default
0.8), ``WIREINGEST_POLICY`` (``first`` or ``best``), ``WIREINGEST_WINDOW`` (seconds, or a
duration such as ``72h``; default: forever).

**Stats.** ``wireingest/emitted`` and ``wireingest/rejected/<reason>`` count in the crawl stats.

**Lifecycle.** Each item is decided and committed to the state when ``process_item`` returns
(or raises); ``close_spider`` saves the learned boilerplate model and closes the state, also when
the crawl ends on an error or a shutdown signal.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from wireingest._pipeline import Pipeline
from wireingest.types import Article, Reject

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem, NotConfigured
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("wireingest.scrapy needs Scrapy: pip install 'wireingest[scrapy]'") from exc

__all__ = ["WireingestPipeline"]

_DEFAULT_THRESHOLD = 0.8
_DUP_WORDS = {"contained": "contained in", "superseded": "superseded by"}


def drop_message(reject: Reject) -> str:
    """The :class:`DropItem` message of a reject: the reason first.

    ``near-duplicate of <id> (0.93)`` for duplicates, ``<reason>: <message>`` otherwise.
    """
    if reject.duplicate_of is not None:
        words = _DUP_WORDS.get(reject.reason, f"{reject.reason} of")
        s = f"{words} {reject.duplicate_of}"
        if reject.similarity is not None:
            s += f" ({reject.similarity:.2f})"
        return s
    return f"{reject.reason}: {reject.message}"


def _window(value: object) -> float | None:
    """``WIREINGEST_WINDOW``: seconds (number) or a duration string such as ``72h``."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        import argparse

        from wireingest.cli import parse_duration

        try:
            return parse_duration(value)
        except argparse.ArgumentTypeError as exc:
            raise ValueError(f"WIREINGEST_WINDOW: {exc}") from None
    raise ValueError(f"WIREINGEST_WINDOW must be seconds or a duration such as 72h, not {value!r}")


def _record(adapter: Any) -> tuple[bytes, str | None]:
    """The item as the JSON Lines record it stands for (UTF-8 bytes), and its URL.

    ``html`` bytes are decoded here (JSON has no bytes); values JSON cannot hold (datetimes,
    ...) are written as their ``str()``, which the record reader parses as it would the text.
    """
    rec: dict[str, Any] = {k: v for k, v in adapter.items() if k != "article"}
    for key in ("html", "text", "body"):
        v = rec.get(key)
        if isinstance(v, bytes | bytearray | memoryview):
            if key == "html":
                from wireingest._formats._htmldecode import decode_html

                rec[key] = decode_html(bytes(v))[0]
            else:
                rec[key] = bytes(v).decode("utf-8", "replace")
    url = rec.get("url")
    return (
        json.dumps(rec, ensure_ascii=False, default=str).encode("utf-8"),
        url if isinstance(url, str) else None,
    )


class WireingestPipeline:
    """Scrapy item pipeline: keep each story once, drop its copies (see the module docstring)."""

    def __init__(
        self,
        *,
        state: str | None = None,
        threshold: float = _DEFAULT_THRESHOLD,
        policy: str = "first",
        window: float | None = None,
        stats: Any = None,
    ) -> None:
        from wireingest._dedup import DedupConfig

        if policy not in ("first", "best"):
            raise ValueError(f"WIREINGEST_POLICY must be 'first' or 'best', not {policy!r}")
        self.config = DedupConfig(
            threshold=threshold,
            policy="best" if policy == "best" else "first",
            window=window,
        )
        self.state = state
        self.stats = stats
        self.pipeline: Pipeline | None = None
        self._n = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> WireingestPipeline:
        s = crawler.settings
        if not s.getbool("WIREINGEST_ENABLED", True):
            raise NotConfigured("WIREINGEST_ENABLED is off")
        state = s.get("WIREINGEST_STATE") or None
        pipe = cls(
            state=str(state) if state is not None else None,
            threshold=s.getfloat("WIREINGEST_THRESHOLD", _DEFAULT_THRESHOLD),
            policy=str(s.get("WIREINGEST_POLICY") or "first"),
            window=_window(s.get("WIREINGEST_WINDOW")),
            stats=crawler.stats,
        )
        return pipe

    # -- lifecycle ----------------------------------------------------------------------------
    def open_spider(self, spider: Any = None) -> None:
        if self.pipeline is None:
            self.pipeline = Pipeline(dedup=self.config, state=self.state, batch_size=1)

    def close_spider(self, spider: Any = None) -> None:
        pipeline, self.pipeline = self.pipeline, None
        if pipeline is not None:
            pipeline.close()

    # -- items --------------------------------------------------------------------------------
    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Return the item with ``article`` set, or raise :class:`DropItem` with the reason."""
        if self.pipeline is None:
            self.open_spider(spider)
        assert self.pipeline is not None
        adapter = ItemAdapter(item)
        content, url = _record(adapter)
        self._n += 1
        try:
            results = self.pipeline.push(
                content,
                url=url,
                content_type="application/json",
                origin=url or f"item {self._n}",
            )
        except BaseException:
            # what was decided before is committed already; save the boilerplate model too.
            # The original error is the one to report, not a second one from a broken state.
            with contextlib.suppress(Exception):
                self.pipeline.flush()
            raise
        kept = [r for r in results if isinstance(r, Article)]
        for r in results:
            self._count(r)
        if not kept:
            rejects = [r for r in results if isinstance(r, Reject)]
            if not rejects:  # cannot happen: every input leaves as an article or a reject
                raise DropItem("invalid: no article and no reason")
            raise DropItem(drop_message(rejects[0]))
        try:
            adapter["article"] = kept[0].to_dict()
        except KeyError:
            raise TypeError(
                f"{type(item).__name__} has no 'article' field: declare "
                "article = scrapy.Field() on it to receive wireingest's article"
            ) from None
        return item

    def _count(self, result: Article | Reject) -> None:
        if self.stats is None:
            return
        if isinstance(result, Article):
            self.stats.inc_value("wireingest/emitted")
        else:
            self.stats.inc_value(f"wireingest/rejected/{result.reason}")
