"""Generic HTML pages: one article per page, found by structure and text/link density.

:func:`parse` is the format parser the dispatcher calls for content sniffed as HTML (and the
JSON Lines parser for records with an ``html`` field). It decodes the bytes
(:mod:`._htmldecode`), parses them with lxml's HTML parser (no network, no huge-tree mode: a
document nested deeper than libxml2's limit is cut there, never recursed into), reads the
metadata (:mod:`._htmlmeta`) and extracts the main text (:mod:`._htmlextract`). It yields one
:class:`~wireingest._draft.Draft` with ``format="html"`` or one
:class:`~wireingest.types.Reject`:

* ``too-large`` when the payload exceeds ``max_bytes`` (20 MB by default), checked before any
  decoding or parsing;
* ``invalid`` when nothing parseable or no text at all is there;
* ``not-article`` when the page has text but no article-like body (navigation only, a list of
  links, a cookie wall).

Hidden copies of the body (print versions and other ``display:none``/``hidden`` blocks,
``<noscript>``, ``<template>``) are removed before extraction, so they never produce a second
copy. Cleaning of junk lines, in-page repeats, datelines and versions happens later in the
shared finisher.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from wireingest._draft import Draft
from wireingest._formats._htmldecode import decode_html
from wireingest._formats._htmlextract import MainText, extract_from_tree
from wireingest._formats._htmlmeta import PageMeta, date_from_url, host_of, read_meta
from wireingest.types import Reject

__all__ = ["DEFAULT_MAX_BYTES", "MIN_BODY_CHARS", "extract_main", "parse", "parse_tree"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A body shorter than this (in characters of article-like text) is not an article.
MIN_BODY_CHARS = 80
# The JSON-LD articleBody is used as a hint only when it is at least this long.
MIN_HINT_CHARS = 200
TRUNCATED_ATTR = "data-wireingest-truncated"
_RUNAWAY_TITLE = 2000
_UNCLOSED_TITLE = re.compile(r"(<title[^>]*>[^<]*)(<)", re.IGNORECASE)


def _parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        recover=True,
    )


def parse_tree(data: bytes, content_type: str | None = None) -> tuple[etree._Element | None, str]:
    """Decode and parse a page; returns ``(root or None, encoding used)``.

    A page nested deeper than libxml2's limit (256 levels without huge-tree mode) is parsed up
    to that depth; the root then carries a ``data-wireingest-truncated`` attribute.
    """
    text, encoding = decode_html(data, content_type)
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.strip():
        return None, encoding
    parser = _parser()
    try:
        root = etree.fromstring(text.encode("utf-8", "replace"), parser)
        title = root.find(".//title") if root is not None else None
        if title is not None and _runaway(title.text or ""):
            # An unclosed <title> swallowed the page: close it where the markup resumes.
            text = _UNCLOSED_TITLE.sub(r"\1</title>\2", text, count=1)
            parser = _parser()
            root = etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, encoding
    if root is None:
        return None, encoding
    for entry in parser.error_log:
        if "depth" in entry.message.lower():
            root.set(TRUNCATED_ATTR, "depth")
            break
    return root, encoding


def _runaway(title: str) -> bool:
    low = title[:_RUNAWAY_TITLE].lower()
    return len(title) > _RUNAWAY_TITLE or "</head" in low or "<body" in low or "<p>" in low


def _hint(meta: PageMeta) -> str | None:
    body = meta.article_body
    return body if body and len(body) >= MIN_HINT_CHARS else None


def extract_main(
    data_or_tree: bytes | str | etree._Element,
    *,
    content_type: str | None = None,
    title: str | None = None,
    use_hint: bool = True,
) -> MainText:
    """The main text of a page given as bytes, text or a parsed lxml HTML tree (not modified).

    With ``use_hint`` the page's JSON-LD ``articleBody`` (if long enough) guides the choice of
    blocks; it is dropped when the page's own blocks do not match it.
    """
    if isinstance(data_or_tree, str):
        data_or_tree = data_or_tree.encode("utf-8")
    if isinstance(data_or_tree, bytes):
        root, _ = parse_tree(data_or_tree, content_type)
        if root is None:
            return MainText([], None, 0.0, 0, ["unparseable or empty page"])
    else:
        root = data_or_tree
    meta = read_meta(root)
    return extract_from_tree(
        root, title=title or meta.title, hint=_hint(meta) if use_hint else None
    )


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Draft | Reject]:
    """Parse one HTML page into one draft article or one reject."""
    if len(data) > max_bytes:
        yield Reject(
            reason="too-large",
            message=f"HTML page is {len(data)} bytes, over the {max_bytes}-byte limit",
            url=url,
            origin=origin,
        )
        return
    root, encoding = parse_tree(data, content_type)
    if root is None:
        yield Reject(
            reason="invalid",
            message="HTML page is empty or could not be parsed",
            url=url,
            origin=origin,
        )
        return
    meta = read_meta(root)
    main = extract_from_tree(root, title=meta.title, hint=_hint(meta))
    page_url = url or meta.url
    if meta.published is None and meta.published_text is None:
        meta.published = date_from_url(url)
    body_chars = sum(len(p) for p in main.paragraphs)
    if not main.paragraphs or body_chars < MIN_BODY_CHARS:
        reason = "invalid" if main.blocks_total == 0 else "not-article"
        why = (
            "no text at all"
            if main.blocks_total == 0
            else f"no article body among {main.blocks_total} text blocks"
            " (only navigation, links or short lines)"
        )
        if root.get(TRUNCATED_ATTR):
            why += "; the markup nests deeper than 256 levels and was read only to that depth"
        yield Reject(
            reason=reason,
            message=f"HTML page has {why}",
            url=page_url,
            origin=origin,
            title=meta.title,
        )
        return
    extra: dict[str, object] = {"html_container": main.container, "encoding": encoding}
    if root.get(TRUNCATED_ATTR):
        extra["truncated"] = "markup nested deeper than 256 levels was cut"
    if meta.published_local is not None:
        extra["published_local"] = meta.published_local.isoformat()
    if meta.site_name:
        extra["site_name"] = meta.site_name
    if meta.description:
        extra["description"] = meta.description
    if meta.keywords:
        extra["keywords"] = meta.keywords
    yield Draft(
        paragraphs=main.paragraphs,
        format="html",
        title=meta.title,
        url=page_url,
        source=host_of(url) or host_of(meta.url),
        published=meta.published,
        updated=meta.updated,
        published_text=meta.published_text,
        language=meta.language,
        authors=meta.authors,
        categories=[meta.section] if meta.section else [],
        extra=extra,
        origin=origin,
    )
