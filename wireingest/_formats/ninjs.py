"""IPTC ninjs (news in JSON) 1.x, 2.x and 3.x.

ninjs 1.x has singular fields (``headline``, ``body_text``/``body_xhtml``, ``byline``,
``subject``); 2.x moved to arrays (``headlines``, ``bodies``, ``descriptions``, ``subjects``) and
``by``; 3.0 renamed every field to camelCase (``versionCreated``, ``pubStatus``,
``contentType``, ``embargoedUntil``). Keys are compared case-insensitively, which maps 3.x onto
2.x names; the remaining renames are listed where they are read.

One draft or reject per object (a top-level JSON array is read as a collection of objects):

* body: an XHTML/HTML body, else an NITF body (read with :mod:`wireingest._formats.newsml`), else a
  plain-text body (``trusted_body=True``); without any body the ``descriptions`` are used
  (``trusted_body=False``);
* ``type`` picture/video/audio/graphic/event/planning (an untyped object with ``eventDetails``
  or ``plannedCoverage`` counts as an event or planning item) -> ``Reject(reason="not-article")``;
  ``pubStatus`` canceled/withheld -> ``Reject(reason="withdrawn", extra={"cancels": uri})``;
* ninjs is recognised by its vocabulary (``$standard``, or an id key ``uri``/``guid`` beside a
  ninjs-only key such as ``versioncreated``, ``body_html``, ``pubstatus``, or three ninjs words);
  CMSs such as Superdesk send ``guid`` and no ``uri``;
* the body: ``bodies``, ``body_xhtml``, ``body_html``, ``body_html5``, ``body_richhtml5``,
  ``body_nitf``, ``body_text`` (the first with text, HTML before NITF before plain text);
* ``uri`` (else ``guid``) is the id (and the URL when it is an http(s) address);
  ``firstCreated`` (else ``contentCreated``, else ``versionCreated``) is the publication
  date, ``versionCreated`` the update date; ``by``/``byline`` the author; ``subjects``
  names the categories; ``slugline``, ``urgency``, ``located``, ``embargoed``, ``genres``,
  ``edNote``, ``copyrightHolder``, ``altIds`` and the ninjs version go to ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from wireingest._draft import Draft
from wireingest._formats._feedutil import (
    host_of,
    iso_utc,
    parse_date,
    parse_json_document,
    str_or_none,
)
from wireingest._formats.newsml import drop_repeated_title, plain_or_markup
from wireingest._html2text import html_to_paragraphs, text_paragraphs
from wireingest.types import Reject

__all__ = ["looks_like_ninjs", "parse", "parse_obj"]

_NINJS_KEYS = frozenset(
    {
        "headlines",
        "bodies",
        "body_text",
        "body_xhtml",
        "body_html",
        "versioncreated",
        "firstcreated",
        "contentcreated",
        "pubstatus",
        "byline",
        "renditions",
        "associations",
        "representationtype",
        "copyrightholder",
        "descriptions",
        "description_text",
        "eventdetails",
        "plannedcoverage",
    }
)
# the body fields ninjs producers use, in the order they are preferred (CMSs such as Superdesk
# send body_html; Nordic agencies body_html5 and body_richhtml5; 1.x body_xhtml/body_text)
_BODY_FIELDS: tuple[tuple[str, str], ...] = (
    ("body_xhtml", "html"),
    ("body_html", "html"),
    ("body_html5", "html"),
    ("body_richhtml5", "html"),
    ("body_richhtml", "html"),
    ("body_nitf", "nitf"),
    ("body_text", "text"),
)
_NINJS_BODY_KEYS = frozenset({"bodies", *(k for k, _ in _BODY_FIELDS)})
# words of the ninjs vocabulary that a generic JSON record seldom uses; two of them, or one
# beside an item identifier (uri or guid), make an object ninjs
_NINJS_VOCAB = frozenset(
    {
        *_NINJS_KEYS,
        *_NINJS_BODY_KEYS,
        "slugline",
        "ednote",
        "usageterms",
        "description_html",
        "description_xhtml",
        "embargoed",
        "embargoeduntil",
        "located",
        "urgency",
        "genre",
        "genres",
        "altids",
        "trustindicators",
        "infosources",
        "copyrightnotice",
        "subjects",
    }
)
_GENERIC_BODY_KEYS = frozenset({"body", "text", "html", "content"})
_NOT_TEXT_TYPES = frozenset({"picture", "video", "audio", "graphic", "event", "planning"})
_BY_PREFIX_RE = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+", re.I)


def _lower_keys(obj: Any, depth: int = 0) -> Any:
    if depth > 20:
        return obj
    if isinstance(obj, dict):
        return {str(k).lower(): _lower_keys(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_lower_keys(v, depth + 1) for v in obj]
    return obj


def looks_like_ninjs(obj: object) -> bool:
    """True for a JSON object that declares ninjs or has a ``uri`` and ninjs-specific fields."""
    if not isinstance(obj, dict):
        return False
    keys = {str(k).lower() for k in obj}
    std = obj.get("$standard") or obj.get("standard")
    if isinstance(std, dict) and str(std.get("name", "")).lower() == "ninjs":
        return True
    if keys & _GENERIC_BODY_KEYS and not keys & _NINJS_BODY_KEYS:
        return False  # a generic JSON record that happens to use a ninjs word or two
    vocab = len(keys & _NINJS_VOCAB)
    has_id = bool(keys & {"uri", "guid"})
    if has_id and keys & _NINJS_KEYS:
        return True
    return vocab >= (2 if has_id else 3) and bool(keys & _NINJS_KEYS)


def _ninjs_version(raw: Mapping[str, Any], low: Mapping[str, Any]) -> str:
    std = low.get("$standard") or low.get("standard")
    if isinstance(std, dict) and std.get("version"):
        return str(std["version"])
    if any(k != k.lower() for k in raw):
        return "3"
    if "headlines" in low or "bodies" in low or "by" in low:
        return "2"
    return "1"


def _values(items: object) -> list[Mapping[str, Any]]:
    if isinstance(items, list):
        return [i for i in items if isinstance(i, dict) and isinstance(i.get("value"), str)]
    return []


def _headline(o: Mapping[str, Any]) -> str | None:
    heads = _values(o.get("headlines"))
    for h in heads:
        if str(h.get("role") or "main").lower() == "main" and h["value"].strip():
            return " ".join(h["value"].split())
    for h in heads:
        if h["value"].strip():
            return " ".join(h["value"].split())
    for key in ("headline", "title"):
        v = str_or_none(o.get(key))
        if v:
            return " ".join(v.split())
    return None


def _kind(ctype: str, role: str, value: str) -> str:
    c = ctype.lower()
    if "nitf" in c or role.lower() == "nitf" or value.lstrip().startswith(("<nitf", "<?xml")):
        return "nitf"
    if "html" in c:
        return "html"
    if "text/plain" in c:
        return "text"
    return "html" if value.lstrip().startswith("<") else "text"


_HEADER_RE = re.compile(r"<header\b[^>]*>.*?</header\s*>", re.I | re.S)


def _body(
    o: Mapping[str, Any], title: str | None = None
) -> tuple[list[str], str | None, dict[str, Any]]:
    """(paragraphs, body kind, NITF fields when the body was NITF).

    An HTML body's ``<header>`` blocks and a first paragraph that repeats the headline are
    metadata, not body text; a "plain text" body that plainly carries markup is read as HTML.
    """
    candidates: list[tuple[str, str]] = []
    for b in _values(o.get("bodies")):
        kind = _kind(str(b.get("contenttype") or ""), str(b.get("role") or ""), b["value"])
        candidates.append((kind, b["value"]))
    for key, kind in _BODY_FIELDS:
        v = o.get(key)
        if isinstance(v, str):
            candidates.append((kind, v))
    order = {"html": 0, "nitf": 1, "text": 2}
    candidates.sort(key=lambda kv: order[kv[0]])
    for kind, value in candidates:
        if not value.strip():
            continue
        if kind == "nitf":
            from wireingest._formats.newsml import parse_nitf_string

            fields = parse_nitf_string(value)
            if fields and fields["paragraphs"]:
                return fields["paragraphs"], "nitf", fields
            continue
        if kind == "html":
            paras = html_to_paragraphs(_HEADER_RE.sub(" ", value))
        else:
            paras = plain_or_markup(value)
        paras = drop_repeated_title(paras, title)
        if paras:
            return paras, kind, {}
    return [], None, {}


def _descriptions(o: Mapping[str, Any]) -> list[str]:
    for d in _values(o.get("descriptions")):
        ctype = str(d.get("contenttype") or "")
        paras = html_to_paragraphs(d["value"]) if "html" in ctype else text_paragraphs(d["value"])
        if paras:
            return paras
    for key in ("description_xhtml", "description_html", "description_text"):
        v = o.get(key)
        if isinstance(v, str) and v.strip():
            return html_to_paragraphs(v) if key.endswith("html") else plain_or_markup(v)
    return []


def _names(items: object) -> list[str]:
    out: list[str] = []
    if isinstance(items, list):
        for i in items:
            name = str_or_none(i.get("name")) if isinstance(i, dict) else None
            if name and name not in out:
                out.append(name)
    return out


def _subjects(o: Mapping[str, Any]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    raw = o.get("subjects") if "subjects" in o else o.get("subject")
    if isinstance(raw, list):
        for s in raw:
            if isinstance(s, dict):
                entry = {
                    k: str(s[k])
                    for k in ("name", "uri", "literal", "code", "scheme", "rel")
                    if isinstance(s.get(k), str | int) and str(s[k])
                }
                if entry:
                    out.append(entry)
    return out


def _one(raw: Mapping[str, Any], *, url: str | None, origin: str | None) -> Draft | Reject:
    o = _lower_keys(raw)
    uri = str_or_none(o.get("uri")) or str_or_none(o.get("guid"))
    title = _headline(o)
    ntype = str(o.get("type") or "").lower()
    if not ntype and isinstance(o.get("eventdetails"), dict):
        ntype = "event"  # 3.x event objects often leave out the type
    elif not ntype and o.get("plannedcoverage"):
        ntype = "planning"
    status = str(o.get("pubstatus") or "usable").lower()

    def reject(reason: str, message: str, **extra: Any) -> Reject:
        return Reject(
            reason=reason, message=message, id=uri, url=url, origin=origin, title=title, extra=extra
        )

    if status in ("canceled", "cancelled", "withheld"):
        return reject(
            "withdrawn",
            f"ninjs item {uri or '(no uri)'} is {status}",
            cancels=uri,
            pubStatus=status,
        )
    if ntype in _NOT_TEXT_TYPES:
        return reject("not-article", f"ninjs item of type {ntype!r} carries no text article")
    paragraphs, body_kind, nitf = _body(o, title)
    trusted = bool(paragraphs)
    if not paragraphs:
        paragraphs = _descriptions(o)
        body_kind = "description" if paragraphs else None
    if not paragraphs:
        return reject("invalid", "ninjs item has no body text")

    by = str_or_none(o.get("by")) or str_or_none(o.get("byline"))
    authors = [_BY_PREFIX_RE.sub("", by)] if by else list(nitf.get("authors") or [])
    published = (
        parse_date(o.get("firstcreated"))
        or parse_date(o.get("contentcreated"))
        or parse_date(o.get("versioncreated"))
        or nitf.get("published")
    )
    extra: dict[str, Any] = {"ninjs_version": _ninjs_version(raw, o)}
    subjects = _subjects(o)
    if subjects:
        extra["subjects"] = subjects
    for key, name in (
        ("slugline", "slugline"),
        ("urgency", "urgency"),
        ("located", "located"),
        ("ednote", "ednote"),
        ("copyrightholder", "copyrightholder"),
        ("version", "item_version"),
        ("profile", "profile"),
    ):
        v = str_or_none(o.get(key))
        if v:
            extra[name] = v
    emb = parse_date(o.get("embargoeduntil") or o.get("embargoed"))
    if emb is not None:
        extra["embargoed"] = iso_utc(emb)
    genres = _names(o.get("genres")) or (
        [g for g in o.get("genre", []) if isinstance(g, str)] + _names(o.get("genre"))
        if isinstance(o.get("genre"), list)
        else []
    )
    if genres:
        extra["genre"] = genres
    for key in ("people", "places", "organisations"):
        names = _names(o.get(key))
        if names:
            extra[key] = names
    altids = o.get("altids")
    if isinstance(altids, dict | list) and altids:
        extra["altids"] = altids
    if status != "usable":
        extra["pubStatus"] = status
    if body_kind:
        extra["body_format"] = body_kind
    page_url = uri if uri and uri.startswith(("http://", "https://")) else url
    return Draft(
        paragraphs=paragraphs,
        format="ninjs",
        title=title or nitf.get("title"),
        id=uri or nitf.get("id"),
        url=page_url,
        source=host_of(url) or host_of(page_url),
        published=published,
        updated=parse_date(o.get("versioncreated")),
        language=str_or_none(o.get("language")) or nitf.get("language"),
        dateline=nitf.get("dateline"),
        authors=authors,
        categories=[s["name"] for s in subjects if "name" in s],
        extra=extra,
        origin=origin,
        trusted_body=trusted,
    )


def parse_obj(
    obj: object, *, url: str | None = None, origin: str | None = None
) -> Iterator[Draft | Reject]:
    """Drafts from an already decoded ninjs object (or a list of them)."""
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        yield Reject(reason="invalid", message="empty ninjs collection", url=url, origin=origin)
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            yield Reject(
                reason="invalid",
                message=f"ninjs collection member {i + 1} is not an object",
                url=url,
                origin=origin,
            )
            continue
        if not looks_like_ninjs(item) and isinstance(obj, dict):
            # sniffed as ninjs but it is a generic JSON record: the JSON record parser reads it
            from wireingest._formats.jsonrec import record_to_drafts

            yield from record_to_drafts(item, url=url, origin=origin)
            continue
        yield _one(item, url=url, origin=origin)


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
) -> Iterator[Draft | Reject]:
    """Parse a ninjs document (one object or an array of objects)."""
    yield from parse_json_document(data, parse_obj, url=url, origin=origin)
