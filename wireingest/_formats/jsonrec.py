"""JSON records: JSON Lines, a JSON array of records, or one JSON object.

A record is an object with any of these keys (aliases in brackets)::

    id, url [link], source [site], agency, title [headline], language [lang],
    body | text | html | content,  published [date, pubDate, published_at],
    updated [modified, updated_at], dateline, authors [author, byline], version,
    categories [tags]

``body`` is taken as the article text (paragraphs separated by blank lines); ``text`` as a
scraped page dump (:mod:`wireingest._formats.text`); ``html`` as a whole page
(:mod:`wireingest._formats.html`). Fields given in the record win over what those parsers find.
Dates are ISO-8601; a date without an offset is taken as UTC (JSON producers are machines, and
machines log UTC), other date strings go through the multilingual date parser.

A record with its own ``url``/``link`` and no text is a headline-only item (emitted with an
empty body, as feed entries are); a record with neither text nor link is an ``invalid`` reject.

One object that is a ninjs item or a JSON Feed is handed to that format's parser.
A line that is not valid JSON, or valid JSON that is not an object, becomes an ``invalid`` reject
naming its line; the lines around it are still read.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from wireingest._draft import Draft
from wireingest._formats._decode import DecodeError, decode_text, tidy_text
from wireingest._formats._feedutil import loads_bounded
from wireingest._meta._ascii import ascii_standin
from wireingest.types import Reject

__all__ = ["parse", "parse_line", "record_to_drafts"]

_TEXT_KEYS = ("body", "text", "html", "content")


def _first(rec: Mapping[str, Any], *keys: str) -> Any:
    for k in keys:
        v = rec.get(k)
        if v not in (None, "", []):
            return v
    return None


def _str(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        s = " ".join(v.split())
        return s or None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return None


def _str_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        s = _str(v)
        return [s] if s else []
    if isinstance(v, list | tuple):
        out: list[str] = []
        for item in v:
            if isinstance(item, Mapping):
                item = item.get("name") or item.get("label")
            s = _str(item)
            if s:
                out.append(s)
        return out
    if isinstance(v, Mapping):
        s = _str(v.get("name"))
        return [s] if s else []
    return []


def _date(v: Any) -> tuple[datetime | None, str | None]:
    """(datetime, None) for ISO-8601 or epoch seconds; (None, text) for other date strings."""
    if v is None:
        return None, None
    if isinstance(v, int | float) and not isinstance(v, bool):
        try:
            return datetime.fromtimestamp(float(v), tz=UTC), None
        except (OverflowError, OSError, ValueError):
            return None, None
    if not isinstance(v, str) or not v.strip():
        return None, None
    s = v.strip()
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None, s
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt, None


def _body_paragraphs(body: str) -> tuple[list[str], bool]:
    """The paragraphs of a record's ``body``, and whether they are already normalised.

    Paragraphs are parted by blank lines (by line breaks when there is no blank line); their
    white space is folded to single spaces. ``True`` means the paragraphs also hold nothing
    that :func:`~wireingest._clean.junk.normalise_paragraph` would change.
    """
    body = tidy_text(body)
    double = "\n\n" in body
    if "\t" not in body:
        # already folded when every part is non-empty with single inner spaces and no break or
        # space at its ends; tidy_text left no ASCII control character but tab and newline,
        # and the only non-ASCII characters the stand-ins allow are printable punctuation
        # (other white space and zero-width characters are not printable)
        chunks = body.split("\n\n") if double else body.split("\n")
        if all(
            c and c[0] != " " and c[-1] != " " and "\n" not in c and "  " not in c for c in chunks
        ) and (
            body.isascii()
            or ascii_standin(body) is not None
            or body.replace("\n", "").isprintable()
        ):
            return chunks, True
    if double or "\n \n" in body:
        chunks = body.replace("\n \n", "\n\n").split("\n\n")
    else:
        chunks = body.split("\n")
    return [p for p in map(_fold_spaces, chunks) if p], False


_NON_PRINTABLE_ASCII = bytes(range(0x20)) + b"\x7f"


def _fold_spaces(chunk: str) -> str:
    """``" ".join(chunk.split())``, without the split when there is nothing to fold."""
    if "  " in chunk or "\n" in chunk or "\t" in chunk or "\x0b" in chunk or "\x0c" in chunk:
        return " ".join(chunk.split())
    stripped = chunk.strip()
    if stripped.isascii():
        # printable ASCII is 0x20-0x7e: one C-level deletion instead of a lookup per character
        raw = stripped.encode("ascii")
        if len(raw.translate(None, _NON_PRINTABLE_ASCII)) == len(raw):
            return stripped
    return " ".join(stripped.split())  # other Unicode white space


_STR_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("source", ("source", "site")),
    ("agency", ("agency",)),
    ("title", ("title", "headline")),
    ("language", ("language", "lang")),
    ("dateline", ("dateline",)),
    ("version", ("version",)),
)
_AUTHOR_KEYS = ("authors", "author", "byline")
_CATEGORY_KEYS = ("categories", "tags")
_PUBLISHED_KEYS = ("published", "date", "pubDate", "published_at")
_UPDATED_KEYS = ("updated", "modified", "updated_at")


_LIST_FIELDS = frozenset((*_AUTHOR_KEYS, *_CATEGORY_KEYS))
_DATE_FIELDS = frozenset((*_PUBLISHED_KEYS, *_UPDATED_KEYS))


def _apply(draft: Draft, rec: Mapping[str, Any], origin: str | None) -> Draft:
    """Record fields override what a page parser found."""
    get = rec.get
    rid = _str(get("id"))
    if rid:
        draft.id = rid
    url = _str(_first(rec, "url", "link"))
    if url:
        draft.url = url
    for attr, keys in _STR_FIELDS:
        for k in keys:  # _first, inline: most records have few of these keys
            v = get(k)
            if v not in (None, "", []):
                s = _str(v)
                if s:
                    setattr(draft, attr, s)
                break
    if not _LIST_FIELDS.isdisjoint(rec):  # most records have no author or category list
        authors = _str_list(_first(rec, *_AUTHOR_KEYS))
        if authors:
            draft.authors = authors
        cats = _str_list(_first(rec, *_CATEGORY_KEYS))
        if cats:
            draft.categories = cats
    if not _DATE_FIELDS.isdisjoint(rec):
        pub, pub_text = _date(_first(rec, *_PUBLISHED_KEYS))
        if pub or pub_text:
            draft.published, draft.published_text = pub, pub_text
        upd, _ = _date(_first(rec, *_UPDATED_KEYS))
        if upd:
            draft.updated = upd
    draft.origin = origin
    return draft


@functools.cache
def _format_module(name: str) -> Any:
    try:
        return importlib.import_module(f"wireingest._formats.{name}")
    except ImportError:
        return None


@functools.cache
def _object_formats() -> tuple[tuple[Any, Any], ...]:
    """(module, its ``looks_like_*`` test) of the formats one JSON object may be in."""
    out = []
    for name in ("jsonfeed", "ninjs"):
        fmt = _format_module(name)
        if fmt is not None:
            out.append((fmt, getattr(fmt, f"looks_like_{name}")))
    return tuple(out)


def record_to_drafts(
    rec: Mapping[str, Any], *, url: str | None = None, origin: str | None = None
) -> Iterator[Draft | Reject]:
    """Turn one decoded JSON object into drafts (normally one)."""
    for fmt, looks_like in _object_formats():
        if looks_like(rec):
            yield from fmt.parse_obj(rec, url=url, origin=origin)
            return
    rid = _str(rec.get("id"))
    rurl = _str(_first(rec, "url", "link")) or url
    key = None
    for k in _TEXT_KEYS:
        v = rec.get(k)
        if isinstance(v, str) and v and not v.isspace():
            key = k
            break
    if key is None and _str(_first(rec, "url", "link")):
        # a record with its own link and no text: a headline-only item, as in feeds (a record
        # without a link is no item anyone can follow, and stays a reject)
        yield _apply(Draft(paragraphs=[], format="json", url=rurl, headline_ok=True), rec, origin)
        return
    if key is None:
        yield Reject(
            reason="invalid",
            message="record has no text and no link: expected a non-empty 'body', 'text' or "
            "'html' string, or a 'url'",
            id=rid,
            url=rurl,
            origin=origin,
            title=_str(rec.get("title")),
        )
        return
    value: str = rec[key]
    if key == "html" or (key == "content" and value.lstrip().startswith("<")):
        from wireingest._formats import html

        parsed = list(
            html.parse(
                value.encode("utf-8"),
                url=rurl,
                content_type="text/html; charset=utf-8",
                origin=origin,
            )
        )
    elif key == "text":
        from wireingest._formats import text

        parsed = list(text.parse_text(tidy_text(value), url=rurl, origin=origin))
    else:
        paras, normalised = _body_paragraphs(value)
        parsed = [
            Draft(
                paragraphs=paras,
                format="json",
                url=rurl,
                trusted_body=True,
                normalised=normalised,
                headline_ok=True,
            )
        ]
    for item in parsed:
        if isinstance(item, Draft):
            item.format = "json" if item.format == "json" else f"json+{item.format}"
            yield _apply(item, rec, origin)
        else:
            yield Reject(
                reason=item.reason,
                message=item.message,
                id=rid,
                url=rurl,
                origin=origin,
                title=_str(rec.get("title")),
                extra=item.extra,
            )


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
) -> Iterator[Draft | Reject]:
    """Parse JSON Lines, a JSON array of records, or one JSON object."""
    try:
        text = decode_text(data, content_type)
    except DecodeError as exc:
        # Decode line by line so that one bad line does not take its neighbours with it.
        yield from _parse_lines_bytes(data, url=url, origin=origin, first_error=str(exc))
        return
    stripped = text.strip()
    whole: Any = None
    try:
        whole = loads_bounded(stripped)
    except ValueError:
        whole = None
    else:
        if isinstance(whole, Mapping):
            yield from record_to_drafts(whole, url=url, origin=origin)
            return
        if isinstance(whole, list):
            if not whole:
                yield Reject(reason="invalid", message="empty JSON array", url=url, origin=origin)
            for i, item in enumerate(whole):
                where = f"{origin or '<input>'}[{i}]"
                if isinstance(item, Mapping):
                    yield from record_to_drafts(item, url=url, origin=where)
                else:
                    yield Reject(
                        reason="invalid",
                        message=f"array item {i} is a JSON {type(item).__name__}, not an object",
                        url=url,
                        origin=where,
                    )
            return
    yield from _parse_lines(text.split("\n"), url=url, origin=origin)


def _line_origin(origin: str | None, n: int) -> str:
    return f"{origin or '<input>'}:{n}"


def _parse_line(
    line: str, n: int, *, url: str | None, origin: str | None
) -> Iterator[Draft | Reject]:
    where = _line_origin(origin, n)
    try:
        obj = loads_bounded(line)
    except ValueError as exc:
        yield Reject(
            reason="invalid", message=f"line {n}: not valid JSON: {exc}", url=url, origin=where
        )
        return
    if not isinstance(obj, Mapping):
        kind = "null" if obj is None else type(obj).__name__
        yield Reject(
            reason="invalid",
            message=f"line {n}: JSON {kind} is not an object",
            url=url,
            origin=where,
        )
        return
    yield from record_to_drafts(obj, url=url, origin=where)


def _parse_lines(
    lines: list[str], *, url: str | None, origin: str | None
) -> Iterator[Draft | Reject]:
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield from _parse_line(line, n, url=url, origin=origin)


def _parse_lines_bytes(
    data: bytes, *, url: str | None, origin: str | None, first_error: str
) -> Iterator[Draft | Reject]:
    # a UTF-8 BOM belongs to the stream, not to its first line
    for n, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(
                reason="invalid",
                message=f"line {n}: invalid UTF-8 at byte {exc.start} of the line",
                url=url,
                origin=_line_origin(origin, n),
            )
            continue
        yield from _parse_line(line, n, url=url, origin=origin)


def parse_line(
    data: bytes, *, url: str | None = None, origin: str | None = None
) -> Iterator[Draft | Reject]:
    """One line of a JSON Lines stream: exactly one record, or one ``invalid`` reject."""
    try:
        line = data.decode("utf-8")  # (the "utf-8-sig" codec is a Python-level wrapper)
        if line[:1] == "\ufeff":
            line = line[1:]
    except UnicodeDecodeError as exc:
        yield Reject(
            reason="invalid",
            message=f"invalid UTF-8 at byte {exc.start} of the line",
            url=url,
            origin=origin,
        )
        return
    try:
        obj = loads_bounded(line)
    except ValueError as exc:
        yield Reject(reason="invalid", message=f"not valid JSON: {exc}", url=url, origin=origin)
        return
    if type(obj) is not dict and not isinstance(obj, Mapping):
        kind = "null" if obj is None else type(obj).__name__
        yield Reject(
            reason="invalid", message=f"JSON {kind} is not an object", url=url, origin=origin
        )
        return
    yield from record_to_drafts(obj, url=url, origin=origin)
