"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read with the standard library.

One draft or reject per item:

* body: ``content_html`` (as paragraphs) or ``content_text`` (``trusted_body=True``), else the
  ``summary``;
* ``id`` (numbers are accepted, as 1.0 feeds use them), ``url`` (else ``external_url``),
  resolved against the feed's ``home_page_url``/``feed_url``;
* ``date_published``/``date_modified`` (RFC 3339, offsets kept), ``authors`` (1.1) or
  ``author`` (1.0), ``tags`` as categories, ``language`` (1.1, item then feed);
* ``extra``: ``attachments``, ``image``, ``banner_image``, ``external_url``, ``feed_title``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from wireingest._draft import Draft
from wireingest._formats._feedutil import (
    host_of,
    parse_date,
    parse_json_document,
    resolve_url,
    str_or_none,
)
from wireingest._html2text import html_to_line, html_to_paragraphs, text_paragraphs
from wireingest.types import Reject

__all__ = ["looks_like_jsonfeed", "parse", "parse_obj"]


def looks_like_jsonfeed(obj: object) -> bool:
    """True for an object whose ``version`` is a jsonfeed.org version URL."""
    if not isinstance(obj, dict):
        return False
    version = obj.get("version")
    return isinstance(version, str) and "jsonfeed.org/version" in version


def _authors(item: Mapping[str, Any], feed: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for src in (item, feed):
        raw = src.get("authors")
        people = raw if isinstance(raw, list) else [src.get("author")]
        for a in people:
            if isinstance(a, dict):
                name = str_or_none(a.get("name")) or str_or_none(a.get("url"))
                if name and name not in out:
                    out.append(name)
        if out:
            break
    return out


def _item(
    item: Mapping[str, Any],
    index: int,
    *,
    feed: Mapping[str, Any],
    base: str | None,
    source: str | None,
    common: Mapping[str, Any],
    origin: str | None,
    url: str | None,
) -> Draft | Reject:
    item_id = str_or_none(item.get("id"))
    link = resolve_url(str_or_none(item.get("url")), base)
    external = resolve_url(str_or_none(item.get("external_url")), base)
    title = str_or_none(item.get("title"))
    title = html_to_line(title) if title else None
    paragraphs: list[str] = []
    trusted = False
    html = item.get("content_html")
    text = item.get("content_text")
    if isinstance(html, str) and html.strip():
        paragraphs = html_to_paragraphs(html)
    if not paragraphs and isinstance(text, str) and text.strip():
        paragraphs = text_paragraphs(text)
    trusted = bool(paragraphs)
    summary = item.get("summary")
    if not paragraphs and isinstance(summary, str):
        paragraphs = text_paragraphs(summary)
    if not paragraphs and not title and not (link or external):
        return Reject(
            reason="invalid",
            message=f"JSON Feed item {index + 1} has no title, no text and no link",
            id=item_id,
            url=link or url,
            origin=origin,
        )
    extra: dict[str, Any] = dict(common)
    if external:
        extra["external_url"] = external
    for key in ("image", "banner_image"):
        v = str_or_none(item.get(key))
        if v:
            extra[key] = resolve_url(v, base)
    attachments = [
        {k: v for k, v in a.items() if isinstance(v, str | int | float)}
        for a in item.get("attachments") or []
        if isinstance(a, dict) and a.get("url")
    ]
    if attachments:
        extra["attachments"] = attachments
    tags = item.get("tags")
    categories = (
        [t.strip() for t in tags if isinstance(t, str) and t.strip()]
        if isinstance(tags, list)
        else []
    )
    published_raw = item.get("date_published")
    published = parse_date(published_raw)
    return Draft(
        paragraphs=paragraphs,
        format="jsonfeed",
        title=title,
        id=item_id or link or external,
        url=link or external,
        source=source,
        published=published,
        updated=parse_date(item.get("date_modified")),
        published_text=str_or_none(published_raw) if published is None else None,
        language=str_or_none(item.get("language")) or str_or_none(feed.get("language")),
        authors=_authors(item, feed),
        categories=categories,
        extra=extra,
        origin=origin,
        trusted_body=trusted,
        headline_ok=True,
    )


def parse_obj(
    obj: object, *, url: str | None = None, origin: str | None = None
) -> Iterator[Draft | Reject]:
    """Drafts from an already decoded JSON Feed object."""
    if not isinstance(obj, dict):
        yield Reject(reason="invalid", message="JSON Feed is not an object", url=url, origin=origin)
        return
    items = obj.get("items")
    feed_title = str_or_none(obj.get("title"))
    if not isinstance(items, list) or not items:
        yield Reject(
            reason="invalid",
            message="feed has no entries",
            url=url,
            origin=origin,
            title=feed_title,
        )
        return
    home = str_or_none(obj.get("home_page_url"))
    feed_url = str_or_none(obj.get("feed_url"))
    base = home or feed_url or url
    source = host_of(home) or host_of(feed_url) or host_of(url)
    common: dict[str, Any] = {"feed_version": str(obj.get("version"))}
    if feed_title:
        common["feed_title"] = feed_title
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            yield Reject(
                reason="invalid",
                message=f"JSON Feed item {i + 1} is not an object",
                url=url,
                origin=origin,
            )
            continue
        yield _item(
            item, i, feed=obj, base=base, source=source, common=common, origin=origin, url=url
        )


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
) -> Iterator[Draft | Reject]:
    """Parse a JSON Feed document into one draft or reject per item."""
    yield from parse_json_document(data, parse_obj, url=url, origin=origin)
