"""Page metadata from an HTML tree: JSON-LD, OpenGraph/meta tags, ``<time>``, ``<html lang>``.

Everything here reads the tree before the main-text extractor prunes it (scripts holding
JSON-LD are dropped by the extractor). Values are reported as the page states them; the shared
finisher normalises them further (time zones, language guess, author cleaning).

Precedence (first found wins):

* title: the first ``<h1>`` outside navigation when it loosely agrees with the social title
  (``og:title``, JSON-LD ``headline``, ``twitter:title``) or ``<title>``; else the social
  title, an ``<h1>`` that is not a menu label, ``<title>``. Site-name and date segments
  (`` | Site | 28.12.2019``) are removed from titles;
* published: JSON-LD ``datePublished`` (or ``uploadDate``) of the main entity, never of a
  site-wide one, ``article:published_time`` and similar meta tags, ``<time datetime>`` (an
  ``itemprop``/class naming publication first); otherwise a short visible date text
  (``Publié le 2019-12-28 à 15:03``) goes to ``published_text``; last, the day in the page
  address or a visible date right after the headline. ``published_local`` keeps the time
  with the source's offset (a UTC date takes the local time of the same instant from the
  page);
* updated: JSON-LD ``dateModified``, ``article:modified_time``/``og:updated_time``;
* authors: JSON-LD ``author``, ``<meta name=author>``, ``rel=author`` links, byline elements;
* language: ``<html lang>``, ``og:locale``, ``content-language``, JSON-LD ``inLanguage``;
* url: ``<link rel=canonical>``, ``og:url``, JSON-LD ``url``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from lxml import etree

from wireingest._formats._feedutil import loads_bounded
from wireingest._meta.dates import parse_date as visible_date
from wireingest._meta.host import host_of as host_of  # the one site host function

__all__ = ["PageMeta", "date_from_url", "parse_date", "read_meta"]

_ARTICLE_TYPES = frozenset(
    {
        "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
        "blogposting", "backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
        "report", "liveblogposting", "scholarlyarticle", "techarticle", "socialmediaposting",
    }
)  # fmt: skip
# JSON-LD types whose dates are the site's, never the article's.
_SITE_TYPES = frozenset(
    {
        "website", "organization", "newsmediaorganization", "corporation", "person",
        "breadcrumblist", "searchaction", "sitenavigationelement", "wpheader", "wpfooter",
    }
)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|·|•)\s+|\s*｜\s*")
_DATE_SEGMENT = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_WORD = re.compile(r"\w+")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
_WS = re.compile(r"\s+")
_VISIBLE_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\D{1,8}?(\d{1,2})[:h](\d{2}))?")
_BY = re.compile(r"^(?:by|par|von|por|di|da|de|от|автор)\s*[:\s]\s*", re.IGNORECASE)
_DATE_CLASS = re.compile(r"date|time|publish|posted|fecha|datum|data", re.IGNORECASE)
_MAX_JSONLD = 2_000_000
_HEADLINE_TAGS = frozenset({"h1", "h2", "h3"})
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
    r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])([0-2]\d|3[01])(?=/)"
)
_NEAR_HEADLINE = 12  # elements after the headline searched for a visible date
_MAX_TITLE = 500

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "published_time", "dc.date.issued", "dcterms.issued",
    "dc.date", "dcterms.created", "dc.date.created", "date", "sailthru.date",
    "parsely-pub-date", "article.published", "originalpublicationdate", "og:published_time",
    "cxenseparse:recs:publishtime",
)  # fmt: skip
_UPDATED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "dc.date.modified", "last-modified", "article.updated", "lastmod",
)  # fmt: skip
_AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "byl",
                "parsely-author", "sailthru.author", "cxenseparse:author")  # fmt: skip


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    site_name: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    published_text: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None
    description: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, a hint for the extractor
    published_local: datetime | None = None  # the publication time with the source's offset
    section: str | None = None
    keywords: list[str] = field(default_factory=list)


def _itext(el: etree._Element, sep: str = "") -> str:
    """All text inside ``el`` (not its tail); ``sep`` between text nodes (bylines)."""
    return sep.join(t for t in el.itertext() if isinstance(t, str))


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = _WS.sub(" ", text).strip()
    return text or None


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 (aware when it has an offset, naive when local) or RFC 2822; else None."""
    value = _clean(value)
    if not value:
        return None
    iso = value
    if iso.endswith(("Z", "z")):
        iso = iso[:-1] + "+00:00"
    if len(iso) >= 10 and iso[4:5] == "-":
        # fromisoformat (3.11) rejects a few common variants: " +0100", ".123456789"
        iso = re.sub(r"\s+([+-]\d{2}:?\d{2})$", r"\1", iso)
        iso = re.sub(r"(\.\d{6})\d+", r"\1", iso)
        try:
            return datetime.fromisoformat(iso)
        except ValueError:
            pass
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso)
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _visible_date(text: str) -> datetime | None:
    m = _VISIBLE_DATE.search(text)
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
    except ValueError:
        return None


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    m = _LANG.match(value.strip())
    if not m:
        return None
    code = m.group(1).lower()
    return code if len(code) == 2 else None


def _iter_jsonld(obj: Any, depth: int = 0) -> Any:
    if depth > 6:
        return
    if isinstance(obj, list):
        for item in obj:
            yield from _iter_jsonld(item, depth + 1)
    elif isinstance(obj, dict):
        yield obj
        graph = obj.get("@graph")
        if graph is not None:
            yield from _iter_jsonld(graph, depth + 1)
        main = obj.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _iter_jsonld(main, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _names(value: Any) -> list[str]:
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:20]:
        name: Any = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str):
            cleaned = _clean(name)
            if cleaned and not cleaned.startswith(("http://", "https://")):
                out.append(cleaned)
    return out


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _clean(value[0])
    if isinstance(value, dict):
        return _str(value.get("@id") or value.get("url") or value.get("name"))
    return None


def _jsonld_article(root: etree._Element) -> dict[str, Any] | None:
    """The page's main JSON-LD entity: the first article type; else the first object with a
    headline; else the first dated object that is not site-wide (``VideoObject.uploadDate``)."""
    found: dict[str, Any] | None = None
    dated: dict[str, Any] | None = None
    for script in root.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        if not raw.strip() or len(raw) > _MAX_JSONLD:
            continue
        raw = raw.strip()
        if raw.startswith("<!--"):
            raw = raw[4:].rsplit("-->", 1)[0]
        try:
            data = loads_bounded(raw, strict=False)
        except ValueError:
            continue
        for obj in _iter_jsonld(data):
            types = _types(obj)
            if types & _ARTICLE_TYPES:
                return dict(obj)
            if found is None and "headline" in obj:
                found = obj
            if (
                dated is None
                and types
                and not types & _SITE_TYPES
                and ("datePublished" in obj or "uploadDate" in obj)
            ):
                dated = obj
    return found or dated


def _strip_site(title: str, site: str | None) -> str:
    """Remove site-name segments (`` | Site``, `` - Site | 28.12.2019``, ``Site: ``) from a title.

    Trailing segments are stripped one by one while they are the site name, a date or (once,
    when no site name matched) a short segment that looks like one.
    """
    low_site = site.strip().lower() if site else None
    if low_site:
        for sep in (": ", " : "):
            if title.lower().startswith(low_site + sep):
                title = title[len(low_site) + len(sep) :].strip()
                break
    while True:
        matches = list(_TITLE_SEPARATORS.finditer(title))
        if not matches:
            return title
        last, first = matches[-1], matches[0]
        head, tail = title[: last.start()].strip(), title[last.end() :].strip()
        if not head:
            return title
        if (low_site and tail.lower() == low_site) or _DATE_SEGMENT.fullmatch(tail):
            title = head
            continue
        if low_site and title[: first.start()].strip().lower() == low_site:
            return title[first.end() :].strip()
        # No known site name: drop a short last segment that looks like one.
        if len(tail) <= 30 and len(tail) < len(head):
            return head
        return title


def _title_tokens(text: str) -> set[str]:
    words = _WORD.findall(text.casefold())
    out: set[str] = set()
    for w in words:
        if len(w) > 1 and all(ord(c) >= 0x2E80 for c in w):  # CJK run: character bigrams
            out.update(w[i : i + 2] for i in range(len(w) - 1))
        else:
            out.add(w)
    return out


def _agree(headline: str, other: str | None) -> bool:
    """Do two titles loosely agree (most of the headline's words are in the other)?"""
    if not other:
        return False
    a, b = _title_tokens(headline), _title_tokens(other)
    if not a or not b:
        return False
    common = len(a & b)
    return common >= 0.5 * len(a) and common >= 0.3 * len(b)


def _in_navigation(el: etree._Element) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("nav", "menu") or (anc.get("role") or "").lower() == "navigation":
            return True
    return False


def _headline(root: etree._Element, site: str | None = None) -> tuple[str, bool] | None:
    """The first ``<h1>`` outside navigation and whether it looks like a menu label.

    A menu label is a fully linked or very short ``<h1>`` or the site's name (a section name,
    a logo); the first ``<h1>`` that is not one is preferred.
    """
    first: tuple[str, bool] | None = None
    for n, h1 in enumerate(root.iterfind(".//h1")):
        if n >= 10:
            break
        if _in_navigation(h1):
            continue
        text = _clean(_itext(h1, " "))
        if not text or len(text) > _MAX_TITLE:
            continue
        linked = sum(len(_itext(a)) for a in h1.iterfind(".//a"))
        tokens = _title_tokens(text)
        menu = (
            linked >= 0.8 * len(text)
            or len(tokens) <= 2
            or (site is not None and text.casefold() == site.casefold())
        )
        if not menu:
            return text, False
        if first is None:
            first = (text, True)
    return first


def _choose_title(
    headline: tuple[str, bool] | None, social: str | None, page_title: str | None
) -> str | None:
    """The visible ``<h1>`` when it loosely agrees with ``og:title`` or ``<title>``; else the
    social title, an ``<h1>`` that is not a menu label, then ``<title>``."""
    if headline is not None:
        text = headline[0]
        if _agree(text, social) or _agree(text, page_title):
            return text
    if social:
        return social
    if headline is not None and not headline[1]:
        return headline[0]
    return page_title or (headline[0] if headline else None)


def read_meta(root: etree._Element) -> PageMeta:
    """Read the page's metadata (call before the extractor prunes the tree)."""
    meta = PageMeta()
    props: dict[str, str] = {}
    for el in root.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if not key:
            equiv = (el.get("http-equiv") or "").strip().lower()
            if equiv == "content-language":
                key = "content-language"
        content = el.get("content")
        if key and content and key not in props:
            props[key] = content.strip()
        elif key in _AUTHOR_META and content:
            props[key] = props[key] + "\x00" + content.strip()
    ld = _jsonld_article(root) or {}

    meta.site_name = _clean(props.get("og:site_name"))
    publisher = ld.get("publisher")
    if not meta.site_name and isinstance(publisher, dict):
        meta.site_name = _str(publisher.get("name"))

    # Title.
    title_el = root.find(".//title")
    page_title = _clean(_itext(title_el)) if title_el is not None else None
    if page_title and len(page_title) <= _MAX_TITLE:
        page_title = _strip_site(page_title, meta.site_name)
    else:
        page_title = None
    social = None
    for cand in (props.get("og:title"), _str(ld.get("headline")), props.get("twitter:title")):
        cleaned = _clean(cand)
        if cleaned and len(cleaned) <= _MAX_TITLE:
            social = _strip_site(cleaned, meta.site_name)
            break
    meta.title = _choose_title(_headline(root, meta.site_name), social, page_title)

    # Dates.
    pub_raw = (
        _str(ld.get("datePublished"))
        or _str(ld.get("uploadDate"))
        or _first(props, _PUBLISHED_META)
    )
    upd_raw = _str(ld.get("dateModified")) or _first(props, _UPDATED_META)
    time_pub, time_text = _time_elements(root)
    pub_raw = pub_raw or time_pub
    meta.published = parse_date(pub_raw)
    meta.updated = parse_date(upd_raw)
    if meta.published is None:
        visible = pub_raw or time_text or _visible_date_text(root)
        if visible:
            meta.published = _visible_date(visible)
            if meta.published is None:
                meta.published_text = visible[:200]

    # Authors.
    authors: list[str] = _names(ld.get("author")) + _names(ld.get("creator"))
    if not authors:
        for key in _AUTHOR_META:
            if key in props:
                authors.extend(_names(props[key].split("\x00")))
                break
    if not authors:
        for el in root.iterfind(".//a[@rel]"):
            if "author" in (el.get("rel") or "").lower().split():
                name = _clean(_itext(el, " "))
                if name and len(name) < 80:
                    authors.append(name)
    if not authors:
        authors.extend(_byline(root))
    seen: set[str] = set()
    for name in authors:
        name = _BY.sub("", name).strip()
        if name and name.lower() not in seen and len(name) <= 120:
            seen.add(name.lower())
            meta.authors.append(name)

    # Language.
    html = root if root.tag == "html" else root.find(".//html")
    lang_attr = html.get("lang") or html.get("xml:lang") if html is not None else None
    if html is not None and not lang_attr:
        lang_attr = html.get("{http://www.w3.org/XML/1998/namespace}lang")
    meta.language = (
        _lang(lang_attr)
        or _lang(props.get("og:locale"))
        or _lang(props.get("content-language"))
        or _lang(props.get("language"))
        or _lang(_str(ld.get("inLanguage")))
    )

    # URL.
    for link in root.iterfind(".//link[@rel]"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            meta.url = (link.get("href") or "").strip()
            break
    if not meta.url or not meta.url.startswith(("http://", "https://")):
        meta.url = (
            _clean(props.get("og:url"))
            or _str(ld.get("url"))
            or _str(ld.get("mainEntityOfPage"))
            or meta.url
            or None
        )

    if meta.published is None and meta.published_text is None:
        # last resorts: the day in the page address, a visible date after the headline
        meta.published = date_from_url(meta.url) or _date_near_headline(root, meta.title)
    meta.published_local = _local_time(meta.published, root, props)

    meta.description = _clean(props.get("og:description") or props.get("description"))
    body = ld.get("articleBody")
    if isinstance(body, str) and body.strip():
        meta.article_body = body
    meta.section = _clean(props.get("article:section")) or _str(ld.get("articleSection"))
    kw = ld.get("keywords") or props.get("keywords") or props.get("news_keywords")
    if isinstance(kw, str):
        meta.keywords = [k.strip() for k in kw.split(",") if k.strip()][:50]
    elif isinstance(kw, list):
        meta.keywords = [k.strip() for k in kw if isinstance(k, str) and k.strip()][:50]
    return meta


def _first(props: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = props.get(key)
        if value:
            return value
    return None


def _time_elements(root: etree._Element) -> tuple[str | None, str | None]:
    """``(datetime attribute, visible text)`` of the most likely publication ``<time>``."""
    best_attr: str | None = None
    best_text: str | None = None
    for el in root.iterfind(".//time"):
        attr = _clean(el.get("datetime"))
        text = _clean(_itext(el))
        parent = el.getparent()
        classes = (
            (el.get("class") or "")
            + " "
            + (parent.get("class") or "" if parent is not None else "")
        )
        marked = (
            el.get("itemprop") or ""
        ).lower() == "datepublished" or "publish" in classes.lower()
        if attr and (marked or best_attr is None):
            best_attr = attr
            if marked:
                break
        if text and best_text is None and any(c.isdigit() for c in text):
            best_text = text
    return best_attr, best_text


def _visible_date_text(root: etree._Element) -> str | None:
    """A short visible text in an element whose class/id names a date, if any."""
    body = root.find(".//body")
    if body is None:
        return None
    for n, el in enumerate(body.iter()):
        if n > 5000:
            break
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        attrs = (el.get("class") or "") + " " + (el.get("id") or "")
        if len(attrs) > 1 and _DATE_CLASS.search(attrs):
            text = _clean(_itext(el))
            if text and len(text) <= 80 and any(c.isdigit() for c in text):
                return text
    return None


def date_from_url(url: str | None) -> datetime | None:
    """The day in a page address (``/2019/12/28/``, ``/2019-12-28-title``, ``/20191228/``),
    naive; ``None`` when the path holds no plausible date."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m is None:
        return None
    y, mo, d = (int(g) for g in m.groups() if g is not None)
    try:
        return datetime(y, mo, d)
    except ValueError:
        return None


def _local_time(
    published: datetime | None, root: etree._Element, props: dict[str, str]
) -> datetime | None:
    """``published`` as the source wrote it, with its offset (``None`` when it has none).

    When ``published`` is in UTC and another date on the page (a ``<time datetime>``, a meta
    tag) gives the same instant with a local offset, that local time is returned instead.
    """
    if published is None or published.tzinfo is None:
        return None
    offset = published.utcoffset()
    if offset is None:
        return None
    if offset:
        return published
    others = [el.get("datetime") for el in root.iterfind(".//time[@datetime]")]
    others.extend(props.get(k) for k in _PUBLISHED_META)
    for n, raw in enumerate(others):
        if n > 200:
            break
        dt = parse_date(raw)
        if dt is not None and dt.tzinfo is not None and dt.utcoffset() and dt == published:
            return dt
    return published


def _date_near_headline(root: etree._Element, title: str | None) -> datetime | None:
    """A visible date (``17.05.2022 09:12``, ``3. Februar 2021``, ``2021年10月19日``) in a
    short text block right after the headline, even without a date-like class.

    The headline is the first ``h1``-``h3`` equal to the title, else the first ``<h1>`` (a
    masthead's "today" date before the article's headline is not taken).
    """
    body = root.find(".//body")
    if body is None:
        return None
    cleaned = _clean(title)
    key = cleaned.casefold() if cleaned else None
    headline: etree._Element | None = None
    first_h1: etree._Element | None = None
    for n, el in enumerate(body.iter(*_HEADLINE_TAGS)):
        if n > 500:
            break
        if key is not None and (_clean(_itext(el, " ")) or "").casefold() == key:
            headline = el
            break
        if first_h1 is None and el.tag == "h1":
            first_h1 = el
    headline = headline if headline is not None else first_h1
    if headline is None:
        return None
    after = 0
    for el in _following(headline):
        if after >= _NEAR_HEADLINE:
            break
        after += 1
        text = _clean(_itext(el, " "))
        if not text or len(text) > 100 or not any(c.isdigit() for c in text):
            continue
        dt = visible_date(text)
        if dt is not None:
            return dt
    return None


def _following(el: etree._Element) -> Any:
    """Elements after ``el`` in document order (not inside it)."""
    for node in el.itersiblings():
        if isinstance(node.tag, str):
            yield node
            yield from (d for d in node.iterdescendants() if isinstance(d.tag, str))
    parent = el.getparent()
    if parent is not None:
        yield from _following(parent)


def _byline(root: etree._Element) -> list[str]:
    body = root.find(".//body")
    if body is None:
        return []
    for n, el in enumerate(body.iter()):
        if n > 5000:
            break
        if not isinstance(el.tag, str):
            continue
        attrs = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
        if "byline" in attrs or (el.get("itemprop") or "").lower() == "author":
            text = _clean(_itext(el, " "))
            if text and len(text) <= 80:
                return [text]
    return []
