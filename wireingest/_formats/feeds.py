"""RSS 0.9x/1.0/2.0, Atom 0.3/1.0, RDF and CDF feeds, through feedparser.

One :class:`~wireingest._draft.Draft` (or :class:`~wireingest.types.Reject`) per entry:

* body: the entry's full content (``content:encoded``, Atom ``content``) when present
  (``trusted_body=True``), else its summary/description; :mod:`wireingest._html2text` turns the
  HTML into paragraphs and drops active content itself (feedparser's slow sanitiser is switched
  off, see :func:`run_feedparser`). ``text/plain`` content is split at blank lines, not read as
  HTML.
* dates: read from the raw strings so the source's offset is kept (feedparser's ``*_parsed``
  tuples are already converted to UTC and lose the offset); the tuple is the fallback for
  formats we cannot read, never for an impossible date in a shape we do read (feedparser turns
  ``2019-02-30`` into March 2nd, see :func:`~wireingest._formats._feedutil.struct_to_utc`), and
  the raw string goes to ``published_text`` when neither works (the finisher's date parser
  gives null for it when it is impossible too).
  ``published`` falls back to ``created`` and then ``updated`` (Atom makes only ``updated``
  mandatory).
* id: the guid/``id``, else the link (else the finisher hashes the content); relative links are
  resolved against ``xml:base`` (by feedparser), then the feed's alternate ``<link>``, then the
  feed URL when it is known (``Document.url``).
* language: the content's ``xml:lang``, else the feed's ``xml:lang``/``<language>`` (not when
  the document declares a blank ``xml:lang=""``, which means "no language").
* ``source``: host of the feed's ``<link>``, else of the feed URL.
* ``extra``: ``enclosures``, ``media`` (Media RSS content/thumbnails), ``feed_title``,
  ``feed_version`` and ``feed_warning`` (why feedparser found the feed ill-formed, if it did).

``format`` is ``rss`` (RSS 0.9x/2.0, CDF), ``rdf`` (RSS 0.90/1.0) or ``atom``. A feed without
entries yields one ``Reject(reason="invalid")`` (its title in ``Reject.title``). An entry with
a title or a link but no text is a headline-only draft (``Draft.headline_ok``: the finisher
emits it with an empty body); only an entry with neither title, text nor link is rejected, and
an entry that fails to map is one reject without losing the entries after it. Feeds are
never fetched: feedparser is given a byte stream, never a string it could take for a URL or a
path, documents that declare entity bombs are rejected before feedparser sees them
(:func:`wireingest._xml.check_entities`), and elements keep their first 128 attributes
(feedparser looks each attribute up with a linear search).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser

from wireingest._draft import Draft
from wireingest._formats._feedutil import (
    host_of,
    parse_date,
    resolve_url,
    str_or_none,
    struct_to_utc,
)
from wireingest._formats._htmldecode import cap_attributes
from wireingest._html2text import html_to_line, html_to_paragraphs, text_paragraphs
from wireingest._xml import UnsafeXML, check_entities, decode_head
from wireingest.types import Reject

__all__ = ["parse", "parse_feedparser_result", "run_feedparser"]

_FORMATS = {
    "rss090": "rdf",
    "rss10": "rdf",
    "atom": "atom",
    "atom01": "atom",
    "atom02": "atom",
    "atom03": "atom",
    "atom10": "atom",
}


_NON_WEB_SCHEME_RE = re.compile(r"(?!https?:)[A-Za-z][A-Za-z0-9+.-]*:", re.I)
_XML_DECL_RE = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")


def _format_of(version: str) -> str:
    if version in _FORMATS:
        return _FORMATS[version]
    if version.startswith("atom"):
        return "atom"
    return "rss"


def _one_line(exc: object) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _is_plain(ctype: object) -> bool:
    return isinstance(ctype, str) and ctype.startswith("text/plain")


def _text_of(value: str, ctype: object) -> list[str]:
    return text_paragraphs(value) if _is_plain(ctype) else html_to_paragraphs(value)


def _body(entry: Mapping[str, Any]) -> tuple[list[str], bool, str | None]:
    """(paragraphs, is_full_content, language of the chosen text)."""
    best: Mapping[str, Any] | None = None
    for c in entry.get("content") or ():
        value = c.get("value") or ""
        if value.strip() and (best is None or len(value) > len(best.get("value") or "")):
            best = c
    if best is not None:
        paras = _text_of(best["value"], best.get("type"))
        if paras:
            return paras, True, best.get("language")
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary") or ""
    if isinstance(summary, str) and summary.strip():
        return _text_of(summary, detail.get("type")), False, detail.get("language")
    return [], False, None


def _title(entry: Mapping[str, Any]) -> str | None:
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    detail = entry.get("title_detail") or {}
    if _is_plain(detail.get("type")):
        return " ".join(title.split()) or None
    return html_to_line(title) or None


def _date(entry: Mapping[str, Any], *keys: str) -> tuple[Any, str | None]:
    """(datetime or None, unreadable raw string or None) for the first key present."""
    for key in keys:
        # dict.get: FeedParserDict.get("updated") silently falls back to "published"
        raw = dict.get(entry, key)  # type: ignore[call-overload]
        if not isinstance(raw, str) or not raw.strip():
            continue
        dt = parse_date(raw)
        if dt is None:
            parsed = dict.get(entry, key + "_parsed")  # type: ignore[call-overload]
            dt = struct_to_utc(parsed, raw)
        if dt is not None:
            return dt, None
        return None, raw.strip()
    return None, None


def _authors(entry: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for a in entry.get("authors") or ():
        if not isinstance(a, Mapping):
            continue
        name = str_or_none(a.get("name")) or str_or_none(a.get("email"))
        if name and name not in out:
            out.append(name)
    if not out:
        name = str_or_none(entry.get("author"))
        if name:
            out.append(name)
    return out


def _categories(entry: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for t in entry.get("tags") or ():
        if not isinstance(t, Mapping):
            continue
        term = str_or_none(t.get("label")) or str_or_none(t.get("term"))
        if term and term not in out:
            out.append(term)
    return out


def _enclosures(entry: Mapping[str, Any], base: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for link in entry.get("links") or ():
        if isinstance(link, Mapping) and link.get("rel") == "enclosure" and link.get("href"):
            enc: dict[str, Any] = {"href": resolve_url(link["href"], base)}
            if link.get("type"):
                enc["type"] = link["type"]
            if link.get("length"):
                enc["length"] = link["length"]
            out.append(enc)
    return out


def _media(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, kind in (("media_content", "content"), ("media_thumbnail", "thumbnail")):
        for m in entry.get(key) or ():
            if isinstance(m, Mapping) and m.get("url"):
                item = {"kind": kind}
                item.update({k: v for k, v in m.items() if isinstance(v, str) and v})
                out.append(item)
    return out


def _entry_draft(
    entry: Mapping[str, Any],
    index: int,
    *,
    fmt: str,
    source: str | None,
    feed_lang: str | None,
    common_extra: Mapping[str, Any],
    origin: str | None,
    base: str | None = None,
    keep_empty: bool = False,
) -> Draft | Reject:
    paragraphs, full, body_lang = _body(entry)
    title = _title(entry)
    link = str_or_none(entry.get("link"))
    guid = str_or_none(entry.get("id"))
    if link and entry.get("guidislink") and _NON_WEB_SCHEME_RE.match(link):
        link = None  # feedparser copied a non-URL guid (tag:, urn:) into the link
    link = resolve_url(link, base)
    if not paragraphs and not title and not link and not keep_empty:
        return Reject(
            reason="invalid",
            message=f"feed entry {index + 1} has no title, no text and no link",
            id=guid or link,
            url=link,
            origin=origin,
        )
    published, published_text = _date(entry, "published", "created", "updated")
    updated, _ = _date(entry, "updated")
    title_lang = (entry.get("title_detail") or {}).get("language")
    extra: dict[str, Any] = dict(common_extra)
    enclosures = _enclosures(entry, base)
    if enclosures:
        extra["enclosures"] = enclosures
    media = _media(entry)
    if media:
        extra["media"] = media
    return Draft(
        paragraphs=paragraphs,
        format=fmt,
        title=title,
        id=guid or link,
        url=link,
        source=source,
        published=published,
        updated=updated,
        published_text=published_text,
        language=str_or_none(body_lang) or str_or_none(title_lang) or feed_lang,
        authors=_authors(entry),
        categories=_categories(entry),
        extra=extra,
        origin=origin,
        trusted_body=full,
        headline_ok=True,
    )


def parse_feedparser_result(
    result: Mapping[str, Any],
    *,
    url: str | None,
    origin: str | None,
    keep_empty: bool = False,
    raw: bytes | None = None,
) -> Iterator[Draft | Reject]:
    """Drafts from an already parsed ``feedparser`` result (one per entry).

    An entry with neither title nor text becomes a reject, unless ``keep_empty`` is set (tests
    use it to check the metadata of such entries). ``raw`` is the feed's bytes: when they
    declare a blank ``xml:lang=""`` (no language), a text without a language does not inherit
    the channel's.
    """
    feed = result.get("feed") or {}
    entries = result.get("entries") or []
    bozo_exc = result.get("bozo_exception") if result.get("bozo") else None
    warning = None
    if bozo_exc is not None and not isinstance(bozo_exc, feedparser.CharacterEncodingOverride):
        warning = _one_line(bozo_exc)
    if not entries:
        message = f"not a readable feed: {warning}" if warning else "feed has no entries"
        feed_title = feed.get("title")
        yield Reject(
            reason="invalid",
            message=message,
            url=url,
            origin=origin,
            title=html_to_line(feed_title) if isinstance(feed_title, str) else None,
        )
        return
    version = str(result.get("version") or "")
    fmt = _format_of(version)
    feed_link = resolve_url(str_or_none(feed.get("link")), url)
    source = host_of(feed_link) or host_of(url)
    # relative entry links: feedparser has applied xml:base; what is left is resolved against
    # the feed's alternate link, else the feed's own URL
    base = feed_link if host_of(feed_link) else url
    feed_lang = str_or_none(feed.get("language")) or str_or_none(
        (feed.get("title_detail") or {}).get("language")
    )
    if raw is not None and (b'xml:lang=""' in raw or b"xml:lang=''" in raw):
        # feedparser reports both "no xml:lang" and xml:lang="" as None; the bytes tell which
        feed_lang = None
    common: dict[str, Any] = {}
    feed_title = feed.get("title")
    if isinstance(feed_title, str) and feed_title.strip():
        common["feed_title"] = html_to_line(feed_title)
    if version:
        common["feed_version"] = version
    if warning:
        common["feed_warning"] = warning
    for i, entry in enumerate(entries):
        try:
            yield _entry_draft(
                entry,
                i,
                fmt=fmt,
                source=source,
                feed_lang=feed_lang,
                common_extra=common,
                origin=origin,
                base=base,
                keep_empty=keep_empty,
            )
        except Exception as exc:  # a bug on one entry must not lose the entries after it
            yield Reject(
                reason="invalid",
                message=f"feed entry {i + 1} could not be read: {_one_line(exc)}",
                id=str_or_none(entry.get("id")),
                url=resolve_url(str_or_none(entry.get("link")), base),
                origin=origin,
            )


def _xml_content_type(content_type: str | None) -> str:
    """The Content-Type to hand feedparser.

    The format was sniffed from the bytes, so a generic declared type (``text/plain``,
    ``application/octet-stream``, none at all) must not make feedparser distrust the XML; a
    declared charset is kept because HTTP's charset outranks the XML declaration.
    """
    if not content_type:
        return "application/xml"
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    if "xml" in mime or "rss" in mime or "atom" in mime or "rdf" in mime:
        return content_type
    charset = [p.strip() for p in params.split(";") if p.strip().lower().startswith("charset=")]
    return "application/xml" + (f"; {charset[0]}" if charset else "")


_LONG_TOKEN = 1 << 16  # the size of the chunks xml.sax hands expat
_LONG_VALUE_RE = re.compile(
    rb'(=\s*)(?:"[^"<]{%d,}+"|\'[^\'<]{%d,}+\')' % (_LONG_TOKEN, _LONG_TOKEN)
)


def _drop_long_tokens(data: bytes) -> bytes:
    """``data`` without comments and attribute values longer than 64 KiB.

    xml.sax gives expat the document in 64 KiB chunks, and expat (2.5) scans a token that spans
    chunks again from its start with every chunk: one 16 MB comment took 3.3 s, four times the
    time of a 4 MB one. Neither carries anything a feed entry needs. A long comment is dropped
    only when it holds no ``<`` (so a ``<!--`` inside CDATA is never paired with a later
    ``-->``). Linear: two finds per comment, one regex pass for values (``<`` cannot stand in an
    attribute value).
    """
    if len(data) <= _LONG_TOKEN:
        return data
    out: list[bytes] = []
    pos = 0
    while True:
        start = data.find(b"<!--", pos)
        if start < 0:
            break
        end = data.find(b"-->", start + 4)
        if end < 0:
            break
        if end - start > _LONG_TOKEN and data.find(b"<", start + 4, end) < 0:
            # no markup inside: a real comment, not a '<!--' in CDATA paired with a later '-->'
            out.append(data[pos:start])
            pos = end + 3
        else:
            out.append(data[pos : end + 3])
            pos = end + 3
    if out:
        out.append(data[pos:])
        data = b"".join(out)
    if len(data) > _LONG_TOKEN:
        data = _LONG_VALUE_RE.sub(rb'\1""', data)
    return data


def _prepare(data: bytes) -> bytes:
    """``data`` with every element cut to its first
    :data:`~wireingest._formats._htmldecode.MAX_ATTRIBUTES` attributes (feedparser reads each
    attribute with a linear search of the others), comments and attribute values longer than
    64 KiB dropped (:func:`_drop_long_tokens`) and stray NUL bytes dropped (expat stops at one,
    and the loose parser keeps it in the text). A UTF-16/32 feed that needed cutting comes
    back as UTF-8 without its XML declaration."""
    text = decode_head(data)
    capped = _drop_long_tokens(cap_attributes(text))
    if text is data and b"\x00" in capped:
        capped = capped.replace(b"\x00", b"")
    if capped is text:
        return data
    return capped if text is data else _XML_DECL_RE.sub(b"", capped, count=1)


def run_feedparser(data: bytes, *, url: str | None, content_type: str | None) -> Any:
    """feedparser's result for ``data`` as :func:`parse` reads it (never fetches anything)."""
    # no content-location: feedparser would resolve relative links against the feed URL before
    # the feed's own alternate link; parse_feedparser_result resolves what xml:base left
    headers = {"content-type": _xml_content_type(content_type)}
    # feedparser's own HTML sanitiser and relative-URI rewriting re-parse every content value
    # with its pure-Python SGML parser and cost 3-5x the XML parse itself; we never hand out
    # HTML, and _html2text drops scripts, styles, frames, objects and attributes itself.
    return feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
) -> Iterator[Draft | Reject]:
    """Parse a feed document into one draft or reject per entry."""
    try:
        check_entities(data)
    except UnsafeXML as exc:
        yield Reject(reason="invalid", message=str(exc), url=url, origin=origin)
        return
    data = _prepare(data)
    try:
        result = run_feedparser(data, url=url, content_type=content_type)
    except Exception as exc:  # feedparser raises on some corrupt declarations
        # e.g. an XML declaration whose encoding name holds undecodable bytes or a NUL:
        # drop the declaration (keeping any BOM) and let the encoding be detected
        retry = _XML_DECL_RE.sub(rb"\1", data, count=1)
        try:
            if retry == data:
                raise
            result = run_feedparser(retry, url=url, content_type=content_type)
        except Exception:
            yield Reject(
                reason="invalid",
                message=f"not a readable feed: {_one_line(exc)}",
                url=url,
                origin=origin,
            )
            return
    yield from parse_feedparser_result(result, url=url, origin=origin, raw=data)
