"""IPTC NewsML-G2 items and NITF 3.x documents.

NewsML-G2 (``newsItem``, ``packageItem``, ``newsMessage``, and the other G2 item kinds):

* one draft or reject per item; a ``newsMessage`` yields one per item in its ``itemSet``, a
  ``packageItem`` one per news item it embeds (a package that only *references* items is a
  ``not-article`` reject, as are picture/video/audio/graphic items, event sets, SportsML data and
  concept/knowledge/planning/catalog items);
* ``headline``, ``slugline``, ``by``/``creator`` (authors), ``dateline`` and ``located``,
  ``firstCreated``/``contentCreated`` (published), ``versionCreated`` (updated), ``embargoed``,
  ``pubStatus``, ``signal`` (``sig:update`` -> version ``UPDATE``, ``sig:correction`` ->
  ``CORRECTED``), subjects (Media Topic and other qcodes; Media Topic names become categories),
  ``language``, the provider;
* the body from inline NITF, inline XHTML, other inline XML or ``inlineData``; a text item with
  no body falls back to its ``description`` (then ``trusted_body`` is off);
* ``pubStatus`` ``canceled`` (or ``withheld``) -> ``Reject(reason="withdrawn")`` with
  ``extra={"cancels": guid}`` (G2 keeps the guid across versions, so the guid names the item
  withdrawn); an update or correction names what it replaces in ``extra["replaces"]`` (a
  ``previousVersion`` link when given, else the guid) and ``extra["replaces_version"]``.

NITF (a standalone ``<nitf>`` document, or one embedded in G2 or in a ninjs body): title from
``head/title`` or ``hl1``, ``byline``, ``dateline``, ``doc-id``, ``date.issue``/
``date.release``, ``tobject.subject`` codes, body from ``body.content``.

Fragments of G2 documents (a bare ``contentSet`` or ``contentMeta``, as the IPTC guide's listings
show them) are read as items without item metadata.

NewsML 1.x (``<NewsML>``, still sent by some agencies and PR wires): one result per
``NewsItem``; ``HeadLine``, ``DateLine``, ``ByLine``, ``SlugLine``, ``PublicIdentifier``,
``FirstCreated``/``ThisRevisionCreated``, ``Status``, ``Language``, keyword properties as
categories, and the body from the text ``ContentItem`` of the component whose ``Role`` is
``Body`` (or ``Main``; else every text component that is not a headline, logo, contact, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from wireingest._draft import Draft
from wireingest._formats._feedutil import host_of, iso_utc, parse_date
from wireingest._html2text import _DROP, element_paragraphs, html_to_paragraphs, text_paragraphs
from wireingest._meta.dates import fixed_offset
from wireingest._xml import XML_ERRORS, parse_xml
from wireingest.types import Reject

__all__ = [
    "drop_repeated_title",
    "honest_charset",
    "nitf_fields",
    "parse",
    "parse_nitf_string",
    "plain_or_markup",
]

_NOT_ARTICLE_ITEMS = {
    "conceptitem": "concept item",
    "knowledgeitem": "knowledge item",
    "planningitem": "planning item",
    "catalogitem": "catalog item",
}
_TEXT_CLASSES = {"text", "composite", ""}
_WITHDRAWN = ("canceled", "cancelled", "withheld")
_NITF_DATE_RE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


# ---------------------------------------------------------------------------- element helpers
def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    i = tag.rfind("}")
    return tag[i + 1 :] if i >= 0 else tag


def _kids(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if _local(c.tag) == name]


def _kid(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _first_desc(el: etree._Element, name: str) -> etree._Element | None:
    for c in el.iter():
        if _local(c.tag) == name:
            return c
    return None


def _itertext(el: etree._Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str))


def _attr(el: etree._Element | None, name: str) -> str | None:
    return el.get(name) if el is not None else None


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    t = " ".join(_itertext(el).split())
    return t or None


def _qcode_tail(value: str | None) -> str:
    if not value:
        return ""
    return value.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# what "plainly carries markup" means: paragraph or line-break tags, or closing block tags (a
# lone "<b and c>" in plain text is not enough)
_MARKUP_RE = re.compile(r"</(?:p|div|li|h[1-6]|ul|ol)\s*>|<br\s*/?>|<p(?:\s[^<>]*)?>", re.I)
_HEADER_SKIP = _DROP | {"header"}


def _lang_of(el: etree._Element | None) -> str | None:
    """The nearest ``xml:lang`` (or NITF ``baselang``, HTML ``lang``) on ``el`` or an ancestor."""
    while el is not None:
        if isinstance(el.tag, str):
            lang = el.get(_XML_LANG) or el.get("baselang") or el.get("lang")
            if lang and lang.strip():
                return lang.strip()
        el = el.getparent()
    return None


def plain_or_markup(text: str) -> list[str]:
    """Paragraphs of text declared plain: markup is stripped when the text plainly carries it."""
    if _MARKUP_RE.search(text):
        return html_to_paragraphs(text)
    return text_paragraphs(text)


def drop_repeated_title(paragraphs: list[str], title: str | None) -> list[str]:
    """``paragraphs`` without a first paragraph that only repeats the headline.

    Agencies' HTML bodies often open with the headline as an ``<h1>``; it is metadata already
    (the title), and keeping it would put it in the body twice.
    """
    if title and len(paragraphs) > 1 and " ".join(paragraphs[0].split()) == title:
        return paragraphs[1:]
    return paragraphs


def _header_meta(body: etree._Element) -> dict[str, Any]:
    """What the ``<header>`` blocks of an XHTML body say (they are metadata, not body text).

    dpa-style XHTML bodies open with a header holding the slugline terms as a list, a
    ``<time>`` and a genre line; headings there repeat the headline.
    """
    out: dict[str, Any] = {}
    for header in body.iter():
        if _local(header.tag).lower() != "header":
            continue
        for el in header.iter():
            name = _local(el.tag).lower()
            text = _text(el)
            if not text:
                continue
            if name in ("ul", "ol"):
                terms = [t for t in (_text(li) for li in el if _local(li.tag) == "li") if t]
                if terms:
                    out.setdefault("slugline", "/".join(terms))
            elif name == "time":
                out.setdefault("time", el.get("datetime") or el.get("data-datetime") or text)
            elif name in ("h1", "h2", "h3"):
                out.setdefault("title", text)
            elif (
                name in ("p", "span", "div")
                and (parent := el.getparent()) is not None
                and _local(parent.tag).lower() in ("header", "div")
                and not any(_local(c.tag).lower() in ("ul", "ol", "time", "p", "div") for c in el)
            ):
                out.setdefault("genre", []).append(text)
    return out


def _name_of(el: etree._Element) -> str | None:
    """The concept's ``name`` (the first one), else None."""
    return _text(_kid(el, "name"))


def _g2_date(el: etree._Element | None) -> datetime | None:
    t = _text(el)
    return parse_date(t) if t else None


def nitf_date(value: str | None) -> datetime | None:
    """NITF's ``norm`` dates (``20080219T103000+0100``, ``20080219+0100``) or ISO 8601."""
    if not value:
        return None
    m = _NITF_DATE_RE.match(value.strip())
    if m is None:
        return parse_date(value)
    y, mo, d, h, mi, s, zone = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if zone:
        if zone == "Z":
            return dt.replace(tzinfo=UTC)
        digits = zone[1:].replace(":", "")
        tz = fixed_offset(zone[0], digits[:2], digits[2:])
        return dt.replace(tzinfo=tz) if tz is not None else None  # '+9999': no real offset
    return dt


# ------------------------------------------------------------------------------------- NITF
def _byline_author(byline: etree._Element) -> str | None:
    person = _first_desc(byline, "person")
    if person is not None:
        return _text(person)
    parts = [byline.text or ""]
    for c in byline:
        if _local(c.tag) not in ("byttl", "location", "virtloc"):
            parts.append(_itertext(c))
        parts.append(c.tail or "")
    name = " ".join("".join(parts).split()).strip(" ,;")
    if not name:
        name = _text(byline) or ""
    name = re.sub(r"^(?:by|par|von|por|di|door|av|af)\s+", "", name, flags=re.I)
    return name or None


def nitf_fields(nitf: etree._Element) -> dict[str, Any]:
    """What an NITF element says: title, paragraphs, authors, dateline, dates, ids, subjects."""
    out: dict[str, Any] = {"paragraphs": [], "authors": [], "subjects": []}
    head = _kid(nitf, "head")
    body = _kid(nitf, "body")
    bhead = _kid(body, "body.head")
    hl1 = _first_desc(bhead, "hl1") if bhead is not None else None
    out["title"] = _text(hl1) or _text(_kid(head, "title"))
    if bhead is not None:
        for byline in _kids(bhead, "byline"):
            name = _byline_author(byline)
            if name and name not in out["authors"]:
                out["authors"].append(name)
        dl = _kid(bhead, "dateline")
        if dl is not None:
            loc = _kid(dl, "location")
            out["dateline"] = _text(loc) or _text(dl)
            sd = _kid(dl, "story.date")
            if sd is not None:
                out["story_date"] = nitf_date(sd.get("norm"))
        abstract = _kid(bhead, "abstract")
        if abstract is not None:
            out["abstract"] = element_paragraphs(abstract)
    content = _kid(body, "body.content")
    if content is not None:
        out["paragraphs"] = element_paragraphs(content)
    lang = (
        nitf.get(_XML_LANG)
        or nitf.get("baselang")
        or (body.get(_XML_LANG) if body is not None else None)
        or _lang_of(nitf.getparent())
        or next(
            (
                m.get("content")
                for m in _kids(head, "meta")
                if (m.get("name") or "").lower() in ("language", "lang", "dc.language")
                and m.get("content")
            ),
            None,
        )
    )
    if lang:
        out["language"] = lang
    docdata = _kid(head, "docdata")
    if docdata is not None:
        status = (docdata.get("management-status") or "").strip().lower()
        if status:
            out["status"] = status
        doc_id = _kid(docdata, "doc-id")
        if doc_id is not None and doc_id.get("id-string"):
            out["id"] = doc_id.get("id-string")
        issue = _kid(docdata, "date.issue")
        if issue is not None:
            out["published"] = nitf_date(issue.get("norm"))
        release = _kid(docdata, "date.release")
        if release is not None and out.get("published") is None:
            out["published"] = nitf_date(release.get("norm"))
        if "id" not in out:
            du_key = _kid(docdata, "du-key")
            if du_key is not None and du_key.get("key"):
                out["id"] = du_key.get("key")
        urg = _kid(docdata, "urgency")
        if urg is not None and urg.get("ed-urg"):
            out["urgency"] = urg.get("ed-urg")
        ed = _kid(docdata, "ed-msg")
        if ed is not None and ed.get("info"):
            out["ednote"] = ed.get("info")
        for key in _kids(_kid(docdata, "key-list"), "keyword"):
            if key.get("key"):
                out.setdefault("keywords", []).append(key.get("key"))
    tobject = _kid(head, "tobject")
    for subj in _kids(tobject, "tobject.subject"):
        code = subj.get("tobject.subject.refnum")
        name = (
            subj.get("tobject.subject.detail")
            or subj.get("tobject.subject.matter")
            or subj.get("tobject.subject.type")
        )
        entry = {k: v for k, v in (("code", code), ("name", name)) if v}
        if entry:
            out["subjects"].append(entry)
    pubdata = _kid(head, "pubdata")
    if pubdata is not None and pubdata.get("name"):
        out["publication"] = pubdata.get("name")
    if pubdata is not None and out.get("published") is None:
        out["published"] = nitf_date(pubdata.get("date.publication"))
    return out


def _withdrawn(
    what: str,
    ident: str | None,
    status: str,
    *,
    title: str | None,
    url: str | None,
    origin: str | None,
) -> Reject:
    """The ``withdrawn`` reject of an item whose status is canceled or withheld."""
    return Reject(
        reason="withdrawn",
        message=f"{what} {ident or '(no id)'} is {status}",
        id=ident,
        url=url,
        origin=origin,
        title=title,
        extra={"cancels": ident, "pubStatus": status},
    )


def _nitf_draft(
    nitf: etree._Element, *, url: str | None, origin: str | None, fmt: str = "nitf"
) -> Draft | Reject:
    f = nitf_fields(nitf)
    if f.get("status") in _WITHDRAWN:
        return _withdrawn(
            "NITF document", f.get("id"), f["status"], title=f.get("title"), url=url, origin=origin
        )
    paragraphs: list[str] = f["paragraphs"]
    trusted = True
    if not paragraphs and f.get("abstract"):
        paragraphs, trusted = f["abstract"], False
    if not paragraphs:
        return Reject(
            reason="invalid",
            message="NITF document has no body text",
            id=f.get("id"),
            url=url,
            origin=origin,
            title=f.get("title"),
        )
    extra: dict[str, Any] = {}
    if f["subjects"]:
        extra["subjects"] = f["subjects"]
    for key in ("urgency", "ednote", "keywords", "publication"):
        if f.get(key):
            extra[key] = f[key]
    return Draft(
        paragraphs=paragraphs,
        format=fmt,
        title=f.get("title"),
        id=f.get("id"),
        url=url,
        source=host_of(url),
        published=f.get("published") or f.get("story_date"),
        language=f.get("language"),
        dateline=f.get("dateline"),
        authors=f["authors"],
        extra=extra,
        origin=origin,
        trusted_body=trusted,
    )


def parse_nitf_string(markup: str | bytes) -> dict[str, Any] | None:
    """:func:`nitf_fields` of an NITF document given as text (a ninjs body), or None."""
    data = markup.encode("utf-8") if isinstance(markup, str) else markup
    if isinstance(markup, str):
        # the XML declaration may name another encoding than the UTF-8 we just encoded to
        data = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data, count=1)
    try:
        root = parse_xml(data)
    except XML_ERRORS:
        try:
            root = parse_xml(data, recover=True)
        except XML_ERRORS:
            return None
    nitf = root if _local(root.tag) == "nitf" else _first_desc(root, "nitf")
    return nitf_fields(nitf) if nitf is not None else None


# ------------------------------------------------------------------------------- NewsML-G2
def _body_from_content_set(
    cs: etree._Element | None,
) -> tuple[list[str], str | None, str | None, dict[str, Any]]:
    """(paragraphs, body kind, why there is no text body, what the body says about itself).

    The last holds the body's language (``xml:lang`` on the rendition or inside it) and what an
    XHTML ``<header>`` block says (slugline, genre, time, title), which is kept out of the text.
    """
    meta: dict[str, Any] = {}
    if cs is None:
        return [], None, "no contentSet", meta
    why: str | None = "empty contentSet"
    for rendition in cs:
        name = _local(rendition.tag)
        ctype = (rendition.get("contenttype") or "").lower()
        if name == "inlineXML":
            children = [c for c in rendition if isinstance(c.tag, str)]
            if not children:
                text = " ".join(_itertext(rendition).split())
                if not text:
                    why = "empty inline body"
                    continue
                # escaped markup in an inlineXML (seen with CDATA-wrapped HTML)
                paras = plain_or_markup(_itertext(rendition))
                if paras:
                    meta["language"] = _lang_of(rendition)
                    return paras, "xhtml", None, meta
                continue
            nitf = _first_desc(rendition, "nitf")
            if nitf is not None:
                nf = nitf_fields(nitf)
                if nf["paragraphs"]:
                    meta["language"] = nf.get("language")
                    return nf["paragraphs"], "nitf", None, meta
                why = "NITF body has no text"
                continue
            first = _local(children[0].tag).lower() if children else ""
            if "sportsml" in ctype or first == "sports-content":
                why = "SportsML data, not a text article"
                continue
            if first in ("events", "event", "concepts", "concept", "newscoverage"):
                why = f"inline {first}, not a text article"
                continue
            html_body = _first_desc(rendition, "body") if first == "html" else None
            root = html_body if html_body is not None else rendition
            paras = element_paragraphs(root, skip=_HEADER_SKIP)
            if paras:
                meta.update(_header_meta(root))
                inner = _first_desc(root, "p")
                meta["language"] = _lang_of(inner if inner is not None else root)
                return paras, "xhtml" if "html" in ctype or first == "html" else "xml", None, meta
            why = "inline body has no text"
        elif name == "inlineData":
            raw = _itertext(rendition)
            paras = plain_or_markup(raw) if "html" not in ctype else html_to_paragraphs(raw)
            if paras:
                meta["language"] = _lang_of(rendition)
                return paras, "text", None, meta
            why = "empty inline data"
        elif name == "remoteContent":
            why = "body is remote content only"
    return [], None, why, meta


def _subjects(cm: etree._Element | None) -> tuple[list[dict[str, str]], list[str]]:
    subjects: list[dict[str, str]] = []
    categories: list[str] = []
    for subj in _kids(cm, "subject"):
        concept = _kid(subj, "mainConcept")
        src = concept if concept is not None else subj
        entry: dict[str, str] = {}
        for attr in ("qcode", "uri", "literal", "type"):
            if src.get(attr):
                entry[attr] = src.get(attr) or ""
        name = _name_of(src)
        if name:
            entry["name"] = name
        if not entry:
            continue
        subjects.append(entry)
        code = entry.get("qcode", "") + entry.get("uri", "")
        if name and ("medtop" in code or "mediatopic" in code) and name not in categories:
            categories.append(name)
    return subjects, categories


def _headline(cm: etree._Element | None) -> str | None:
    heads = _kids(cm, "headline")
    for h in heads:
        role = _qcode_tail(h.get("role"))
        if role in ("", "main"):
            t = _text(h)
            if t:
                return t
    for h in heads:
        t = _text(h)
        if t:
            return t
    return None


def _located(cm: etree._Element | None) -> dict[str, Any] | None:
    loc = _kid(cm, "located")
    if loc is None:
        return None
    out: dict[str, Any] = {}
    if loc.get("qcode"):
        out["qcode"] = loc.get("qcode")
    name = _name_of(loc)
    if name:
        out["name"] = name
    broader = [_name_of(b) or b.get("qcode") for b in _kids(loc, "broader")]
    broader_names = [b for b in broader if b]
    if broader_names:
        out["broader"] = broader_names
    return out or None


def _news_item(
    item: etree._Element,
    *,
    url: str | None,
    origin: str | None,
    source: str | None,
) -> Draft | Reject:
    guid = item.get("guid")
    im = _kid(item, "itemMeta")
    cm = _kid(item, "contentMeta")
    item_class = _qcode_tail(_attr(_kid(im, "itemClass"), "qcode"))
    title = _headline(cm) or _text(_kid(im, "title"))
    pub_status = _qcode_tail(_attr(_kid(im, "pubStatus"), "qcode")) or "usable"
    signals = [s.get("qcode") or "" for s in _kids(im, "signal")]
    sig_tails = {_qcode_tail(s) for s in signals}

    def reject(reason: str, message: str, **extra: Any) -> Reject:
        return Reject(
            reason=reason,
            message=message,
            id=guid,
            url=url,
            origin=origin,
            title=title,
            extra=extra,
        )

    if pub_status in _WITHDRAWN:
        return _withdrawn("news item", guid, pub_status, title=title, url=url, origin=origin)
    if item_class not in _TEXT_CLASSES:
        return reject("not-article", f"news item of class {item_class!r} carries no text article")

    paragraphs, body_kind, why, body_meta = _body_from_content_set(_kid(item, "contentSet"))
    paragraphs = drop_repeated_title(paragraphs, title)
    trusted = bool(paragraphs)
    if not paragraphs:
        if why and ("not a text article" in why):
            return reject("not-article", f"news item holds {why}")
        for desc in _kids(cm, "description"):
            paragraphs = text_paragraphs(_itertext(desc))
            if paragraphs:
                body_kind = "description"
                break
    if not paragraphs:
        return reject("invalid", f"news item has no body text ({why or 'no content'})")

    # NITF head data (byline, dateline) complements the G2 metadata
    content_set = _kid(item, "contentSet")
    nitf = _first_desc(content_set, "nitf") if content_set is not None else None
    nf = nitf_fields(nitf) if nitf is not None else {}

    authors: list[str] = []
    for by in _kids(cm, "by"):
        t = _text(by)
        if t:
            authors.append(re.sub(r"^(?:by)\s+", "", t, flags=re.I))
    if not authors:
        for creator in _kids(cm, "creator"):
            name = _name_of(creator)
            if name and name not in authors:
                authors.append(name)
    if not authors:
        authors = list(nf.get("authors") or [])

    first_created = _g2_date(_kid(im, "firstCreated"))
    version_created = _g2_date(_kid(im, "versionCreated"))
    content_created = _g2_date(_kid(cm, "contentCreated"))
    content_modified = _g2_date(_kid(cm, "contentModified"))
    embargoed = _g2_date(_kid(im, "embargoed"))

    lang_el = _kid(cm, "language")
    head_el = _kid(cm, "headline")
    language = (
        (lang_el.get("tag") if lang_el is not None else None)
        or (cm.get(_XML_LANG) if cm is not None else None)
        or (head_el.get(_XML_LANG) if head_el is not None else None)
        or body_meta.get("language")
        or _lang_of(item)
    )
    subjects, categories = _subjects(cm)
    extra: dict[str, Any] = {"pubStatus": pub_status}
    if subjects:
        extra["subjects"] = subjects
    slug = _text(_kid(cm, "slugline")) or body_meta.get("slugline")
    if slug:
        extra["slugline"] = slug
    if signals:
        extra["signal"] = signals
    if embargoed is not None:
        extra["embargoed"] = iso_utc(embargoed)
    located = _located(cm)
    if located:
        extra["located"] = located
    if item.get("version"):
        extra["item_version"] = item.get("version")
    provider = _kid(im, "provider")
    if provider is not None:
        extra["provider"] = provider.get("qcode") or provider.get("uri") or _name_of(provider)
    urgency = _text(_kid(cm, "urgency"))
    if urgency:
        extra["urgency"] = urgency
    ednote = _text(_kid(im, "edNote"))
    if ednote:
        extra["ednote"] = ednote
    genres = [g.get("qcode") for g in _kids(cm, "genre") if g.get("qcode")]
    genres += [g for g in body_meta.get("genre", []) if g not in genres]
    if genres:
        extra["genre"] = genres
    if body_kind:
        extra["body_format"] = body_kind

    version: str | None = None
    if "correction" in sig_tails:
        version = "CORRECTED"
    elif "update" in sig_tails:
        version = "UPDATE"
    if version is not None:
        prev = None
        for link in _kids(im, "link"):
            if _qcode_tail(link.get("rel")) in ("previousversion", "previous-version"):
                prev = link
                break
        extra["replaces"] = (
            (prev.get("residref") or prev.get("href")) if prev is not None else None
        ) or guid
        prev_version = prev.get("version") if prev is not None else None
        if prev_version is None and (item.get("version") or "").isdigit():
            n = int(item.get("version") or "0")
            prev_version = str(n - 1) if n > 1 else None
        if prev_version:
            extra["replaces_version"] = prev_version

    dateline = _text(_kid(cm, "dateline")) or nf.get("dateline")
    return Draft(
        paragraphs=paragraphs,
        format="newsml",
        title=title or nf.get("title") or body_meta.get("title"),
        id=guid,
        url=url,
        source=source,
        published=first_created
        or content_created
        or version_created
        or parse_date(body_meta.get("time")),
        updated=version_created or content_modified,
        language=language,
        dateline=dateline,
        authors=authors,
        version=version,
        categories=categories,
        extra=extra,
        origin=origin,
        trusted_body=trusted and body_kind != "description",
    )


def _guarded(
    item: etree._Element, *, url: str | None, origin: str | None, source: str | None
) -> Draft | Reject:
    """:func:`_news_item`, with broken text in a recovered tree turned into a reject.

    libxml2's recovery mode keeps invalid character references (``&#xD800;``) as bytes that
    are not UTF-8; lxml raises ``UnicodeDecodeError`` when such a string is read.
    """
    try:
        return _news_item(item, url=url, origin=origin, source=source)
    except ValueError as exc:
        try:
            guid = item.get("guid")
        except ValueError:
            guid = None
        return Reject(
            reason="invalid",
            message=f"news item holds unreadable text ({type(exc).__name__})",
            id=guid,
            url=url,
            origin=origin,
        )


# ------------------------------------------------------------------------------- NewsML 1.x
_NEWSML1_NOT_BODY_ROLES = {
    "headline",
    "subheadline",
    "stylesheet",
    "contact",
    "logo",
    "photo",
    "video",
    "audio",
    "graphic",
    "caption",
    "byline",
}


def _newsml1_fn(el: etree._Element | None, name: str) -> str | None:
    """The ``FormalName`` of the first ``name`` element under ``el``."""
    found = _first_desc(el, name) if el is not None else None
    return found.get("FormalName") if found is not None else None


_NEWSML1_NOT_TEXT = (
    "photo",
    "image",
    "picture",
    "video",
    "audio",
    "graphic",
    "jpeg",
    "png",
    "css",
    "javascript",
    "pdf",
    "octet-stream",
)


def _newsml1_ci_paragraphs(ci: etree._Element) -> tuple[list[str], str | None]:
    """(paragraphs, language) of one ``ContentItem``, decided by its Format and its content.

    ``MimeType`` alone does not decide: agencies send NITF in ``text/xml`` items with a
    ``Format`` of ``Nitf_v3.0``, and escaped HTML in CDATA with only a ``Format`` of ``HTML``.
    """
    mime = (_newsml1_fn(ci, "MimeType") or "").lower()
    fmt = (_newsml1_fn(ci, "Format") or "").lower()
    media = (_newsml1_fn(ci, "MediaType") or "").lower()
    declared = f"{media} {mime} {fmt}"
    if any(t in declared for t in _NEWSML1_NOT_TEXT):
        return [], None
    data = _kid(ci, "DataContent")
    if data is None:
        return [], None
    nitf = data if _local(data.tag) == "nitf" else _first_desc(data, "nitf")
    if nitf is not None:
        nf = nitf_fields(nitf)
        return nf["paragraphs"], nf.get("language")
    html_body = _first_desc(data, "body")
    if html_body is not None:
        return element_paragraphs(html_body, skip=_HEADER_SKIP), _lang_of(html_body)
    if any(isinstance(c.tag, str) for c in data):
        return element_paragraphs(data, skip=_HEADER_SKIP), _lang_of(data)
    raw = _itertext(data)
    nested = parse_nitf_string(raw) if "<nitf" in raw else None
    if nested and nested["paragraphs"]:  # NITF sent as escaped text
        return nested["paragraphs"], nested.get("language")
    paras = html_to_paragraphs(raw) if "html" in declared else plain_or_markup(raw)
    return paras, _lang_of(data)


def _newsml1_content(item: etree._Element, *, any_role: bool) -> tuple[list[str], str | None]:
    paras: list[str] = []
    language: str | None = None
    for ci in item.iter():
        if _local(ci.tag) != "ContentItem":
            continue
        role_el = _kid(ci.getparent(), "Role")  # the role of the enclosing NewsComponent
        role = (role_el.get("FormalName") or "").lower() if role_el is not None else ""
        if role in _NEWSML1_NOT_BODY_ROLES or (not any_role and role not in ("body", "main")):
            continue
        found, lang = _newsml1_ci_paragraphs(ci)
        paras.extend(found)
        language = language or (lang if found else None)
    return paras, language


def _newsml1_item(
    item: etree._Element, *, url: str | None, origin: str | None, source: str | None
) -> Draft | Reject:
    ident = _first_desc(item, "PublicIdentifier")
    guid = _text(ident) or _text(_first_desc(item, "NewsItemId")) or item.get("Duid")
    title = _text(_first_desc(item, "HeadLine"))
    mgmt = _first_desc(item, "NewsManagement")
    status = (_newsml1_fn(mgmt, "Status") or "usable").lower()
    if status in _WITHDRAWN:
        return _withdrawn("NewsML news item", guid, status, title=title, url=url, origin=origin)
    paragraphs, body_lang = _newsml1_content(item, any_role=False)
    if not paragraphs:
        paragraphs, body_lang = _newsml1_content(item, any_role=True)
    if not paragraphs:
        return Reject(
            reason="not-article" if _first_desc(item, "ContentItem") is not None else "invalid",
            message="NewsML news item has no text content",
            id=guid,
            url=url,
            origin=origin,
            title=title,
        )
    first = nitf_date(_text(_first_desc(mgmt, "FirstCreated")) if mgmt is not None else None)
    revised = nitf_date(
        _text(_first_desc(mgmt, "ThisRevisionCreated")) if mgmt is not None else None
    )
    if first is None and revised is None:  # the envelope's date stands for its items
        envelope = _kid(item.getparent(), "NewsEnvelope") if item.getparent() is not None else None
        first = nitf_date(_text(_kid(envelope, "DateAndTime")))
    lines = _first_desc(item, "NewsLines")
    byline = _text(_first_desc(lines, "ByLine")) if lines is not None else None
    extra: dict[str, Any] = {"newsml_version": "1"}
    slug = _text(_first_desc(item, "SlugLine"))
    if slug:
        extra["slugline"] = slug
    urgency = _newsml1_fn(mgmt, "Urgency")
    if urgency:
        extra["urgency"] = urgency
    revision = _first_desc(item, "RevisionId")
    if revision is not None and _text(revision):
        extra["item_version"] = _text(revision)
        if revision.get("Update") not in (None, "N") and revision.get("PreviousRevision"):
            extra["replaces"] = guid
            extra["replaces_version"] = revision.get("PreviousRevision")
    categories = [
        p.get("Value") or ""
        for p in item.iter()
        if _local(p.tag) == "Property"
        and "keyword" in (p.get("FormalName") or "").lower()
        and p.get("Value")
    ]
    return Draft(
        paragraphs=paragraphs,
        format="newsml",
        title=title,
        id=guid,
        url=url,
        source=source,
        published=first or revised,
        updated=revised,
        language=_newsml1_fn(item, "Language") or body_lang or _lang_of(item),
        dateline=_text(_first_desc(item, "DateLine")),
        authors=[re.sub(r"^by\s+", "", byline, flags=re.I)] if byline else [],
        categories=list(dict.fromkeys(categories)),
        extra=extra,
        origin=origin,
        trusted_body=True,
    )


def _items_of_package(pkg: etree._Element) -> list[etree._Element]:
    return [el for el in pkg.iter() if _local(el.tag) == "newsItem" and el is not pkg]


def _dispatch(
    el: etree._Element, *, url: str | None, origin: str | None, source: str | None
) -> Iterator[Draft | Reject]:
    name = _local(el.tag)
    low = name.lower()
    if low == "newsitem":
        yield _guarded(el, url=url, origin=origin, source=source)
    elif low == "packageitem":
        embedded = _items_of_package(el)
        if embedded:
            for item in embedded:
                yield _guarded(item, url=url, origin=origin, source=source)
        else:
            refs = [r for r in el.iter() if _local(r.tag) == "itemRef"]
            yield Reject(
                reason="not-article",
                message=f"package item references {len(refs)} items and embeds none",
                id=el.get("guid"),
                url=url,
                origin=origin,
            )
    elif low in _NOT_ARTICLE_ITEMS:
        yield Reject(
            reason="not-article",
            message=f"NewsML-G2 {_NOT_ARTICLE_ITEMS[low]} carries no news article",
            id=el.get("guid"),
            url=url,
            origin=origin,
        )
    elif low == "newsml":  # NewsML 1.x: one result per NewsItem
        items = [i for i in el.iter() if _local(i.tag) == "NewsItem"]
        if not items:
            yield Reject(
                reason="invalid", message="NewsML document has no NewsItem", url=url, origin=origin
            )
        for item in items:
            try:
                yield _newsml1_item(item, url=url, origin=origin, source=source)
            except ValueError as exc:
                yield Reject(
                    reason="invalid",
                    message=f"NewsML news item holds unreadable text ({type(exc).__name__})",
                    url=url,
                    origin=origin,
                )
    elif low == "nitf":
        try:
            yield _nitf_draft(el, url=url, origin=origin)
        except ValueError as exc:  # UnicodeDecodeError: broken text in a recovered tree
            yield Reject(
                reason="invalid",
                message=f"NITF document holds unreadable text ({type(exc).__name__})",
                url=url,
                origin=origin,
            )
    elif low == "newsmessage":
        item_set = _kid(el, "itemSet")
        items = [c for c in item_set if isinstance(c.tag, str)] if item_set is not None else []
        if not items:
            yield Reject(
                reason="invalid", message="news message has no items", url=url, origin=origin
            )
            return
        # every item is accounted for: a package that only structures the message's other
        # items becomes a not-article reject of its own
        for child in items:
            yield from _dispatch(child, url=url, origin=origin, source=source)
    elif _first_desc(el, "contentSet") is not None or low == "contentset":
        # a fragment as printed in the NewsML-G2 guide: read it as an item without metadata
        yield _guarded(el, url=url, origin=origin, source=source)
    else:
        yield Reject(
            reason="invalid",
            message=f"<{name}> is not a NewsML-G2 item, message or NITF document",
            url=url,
            origin=origin,
        )


_XML_DECL_RE = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([\w.:\-]+)(["'])""", re.I)
_XML_DECL_NO_ENCODING_RE = re.compile(rb"^\s*<\?xml((?:(?!encoding)[^>?])*)\?>")
_SINGLE_BYTE_WESTERN = {
    "iso-8859-1",
    "iso8859-1",
    "latin-1",
    "latin1",
    "l1",
    "windows-1252",
    "cp1252",
    "iso-8859-15",
    "latin-9",
    "us-ascii",
    "ascii",
}
# a UTF-8 lead byte followed by a continuation byte: what UTF-8 looks like read as Latin-1
# ("Ã©", "Â£"); real Latin-1 text has its accented letters next to ASCII instead
_UTF8_PAIR_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def honest_charset(data: bytes) -> tuple[bytes, str | None]:
    """``data`` with a charset declaration that lies replaced by the one the bytes are in.

    * The declaration names ISO-8859-1/Windows-1252 (or ASCII) but the bytes are valid UTF-8
      with multi-byte sequences: decoding as declared would turn every accented letter into
      mojibake ("DÃ©cÃ¨s", "Â£25"), so the bytes win and the document is read as UTF-8. A real
      Latin-1 document is not valid UTF-8 (its accented letters stand alone between ASCII bytes)
      and keeps its declaration.
    * The declaration names UTF-8, or there is none (XML then means UTF-8), but the bytes are
      not UTF-8 and have no NULs (so not UTF-16/32): old Latin-1 wire copy; it is read as
      Windows-1252 (a superset of ISO-8859-1's printable characters) instead of being broken
      by the parser's recovery.

    Returns the data and the charset that was overruled (None when nothing changed).
    """
    head = data[:256]
    if data.isascii() or head.startswith((b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")):
        return data, None
    m = _XML_DECL_RE.match(head)
    declared = m.group(2).decode("ascii", "replace").lower() if m is not None else None
    try:
        data.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        valid_utf8 = False
    if m is not None and declared in _SINGLE_BYTE_WESTERN:
        if valid_utf8 and _UTF8_PAIR_RE.search(data) is not None:
            return data[: m.start(2)] + b"UTF-8" + data[m.end(2) :], m.group(2).decode("ascii")
        return data, None
    if valid_utf8 or b"\x00" in head or declared not in (None, "utf-8", "utf8"):
        return data, None
    if m is not None:
        return data[: m.start(2)] + b"windows-1252" + data[m.end(2) :], m.group(2).decode("ascii")
    decl = _XML_DECL_NO_ENCODING_RE.match(head)
    if decl is not None:  # <?xml version="1.0"?>: add the encoding
        return data[: decl.end(1)] + b' encoding="windows-1252"' + data[decl.end(1) :], "utf-8"
    if head.lstrip().startswith(b"<?xml"):
        return data, None  # a declaration we could not read: leave it to the parser
    return b'<?xml version="1.0" encoding="windows-1252"?>' + data, "utf-8"


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
) -> Iterator[Draft | Reject]:
    """Parse a NewsML-G2 or NITF document into one draft or reject per news item."""
    data, _overruled = honest_charset(data)
    try:
        root = parse_xml(data)
    except XML_ERRORS as exc:
        first = " ".join(str(exc).split())
        try:
            root = parse_xml(data, recover=True)
        except XML_ERRORS:
            yield Reject(
                reason="invalid", message=f"not well-formed XML: {first}", url=url, origin=origin
            )
            return
    try:
        if _local(root.tag).lower() == "contentset":
            # the fragment is its own content set: wrap it so the item reader finds it
            wrapper = etree.Element("newsItem")
            wrapper.append(root)
            root = wrapper
        yield from _dispatch(root, url=url, origin=origin, source=host_of(url))
    except ValueError as exc:  # broken text outside any item (recovered tree)
        yield Reject(
            reason="invalid",
            message=f"document holds unreadable text ({type(exc).__name__})",
            url=url,
            origin=origin,
        )
