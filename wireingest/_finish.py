"""The shared finishing step: a parser's :class:`Draft` becomes a clean :class:`Article`.

Every format goes through the same steps, in this order:

1. find the agency profile from the source host (or the agency the parser reported);
2. move a wire version marker out of the title (``UPDATE 2-``, ``REFILE-``, ...);
3. clean the paragraphs: junk lines (tracking IDs, contact/footer lines, site banners), repeated
   blocks (the whole article twice, exact or near), editors' notes;
4. strip boilerplate learned from earlier pages of the same source, then learn from this page;
5. read the dateline from the first paragraph (place and agency);
6. agency, language and UTC dates from what the source said, else the profile, else the text;
7. an id: the input's own id when it had one, else a stable hash of source, url, title, body.

A draft whose body is empty after cleaning becomes an ``invalid`` reject, except an item of a
listing (``Draft.headline_ok``: feed entries, JSON Feed items, JSON records) that has a title or a
link: it is a *headline-only* article with ``body`` "" and ``extra["headline_only"] = True``
(a scraper fetches its page). Such an article always carries its ``url`` and ``title``, which are
what deduplication keys it on. With ``require_body=True`` it is a ``not-article`` reject instead.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import NamedTuple

from wireingest._clean import clean_paragraphs
from wireingest._clean.boilerplate import BoilerplateModel
from wireingest._draft import Draft
from wireingest._meta.dateline import parse_dateline
from wireingest._meta.dates import parse_date, to_local_iso, to_utc_iso
from wireingest._meta.host import host_of
from wireingest._meta.language import detect_language
from wireingest._meta.version import split_version
from wireingest._profiles import Profile, agency_for_host, profile_for
from wireingest.types import Article, Reject

__all__ = ["Cleaned", "clean_draft", "complete", "finish", "stable_id"]

_LANG_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
_ISO639_3_TO_1 = {
    "eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "deu": "de", "ger": "de", "ita": "it",
    "por": "pt", "rus": "ru", "zho": "zh", "chi": "zh", "jpn": "ja", "ara": "ar", "nld": "nl",
    "dut": "nl", "swe": "sv", "nor": "no", "nob": "no", "dan": "da", "fin": "fi", "pol": "pl",
    "tur": "tr", "kor": "ko",
}  # fmt: skip


def _host(source: str | None, url: str | None) -> str | None:
    """The site host (:func:`~wireingest._meta.host.host_of`); a source given as a name
    (``"Associated Press"``) stays that name, in lower case."""
    if source:
        return host_of(source) or source.strip().lower() or None
    return host_of(url)


def _language(value: str | None) -> str | None:
    if not value:
        return None
    m = _LANG_RE.match(value.strip())
    if not m:
        return None
    code = m.group(1).lower()
    if len(code) == 3:
        return _ISO639_3_TO_1.get(code)
    return code


def _iso(dt: datetime | None, tz: str | None) -> str | None:
    if dt is None or dt.year < 1000:  # 0001-01-01: a "no date" placeholder (.NET, SQL)
        return None
    try:
        return to_utc_iso(dt, tz)
    except (ValueError, OverflowError):
        return None


def stable_id(source: str | None, url: str | None, title: str | None, body: str) -> str:
    """A content hash that does not change between runs or machines."""
    h = hashlib.blake2b(digest_size=10)
    for part in (source or "", url or "", title or "", body):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class Cleaned(NamedTuple):
    """What steps 1-3 of :func:`finish` make of a draft: pure, so it may run in a worker
    process (:mod:`wireingest._workers`); steps 4-7 follow in :func:`complete`."""

    host: str | None
    profile: Profile | None
    title: str | None
    version: str | None
    paragraphs: list[str]


def clean_draft(draft: Draft) -> Cleaned:
    """Steps 1-3 of :func:`finish`: profile, version marker, paragraph cleaning."""
    host = _host(draft.source, draft.url)
    profile = profile_for(host=host, agency=draft.agency)

    title = " ".join(draft.title.split()) if draft.title else None
    version = draft.version
    if title:
        title, found = split_version(title)
        version = version or found
        title = title or None

    paragraphs = clean_paragraphs(
        list(draft.paragraphs),
        title=title,
        profile=profile,
        trusted=draft.trusted_body,
        normalised=draft.normalised,
    )
    return Cleaned(host, profile, title, version, paragraphs)


def finish(
    draft: Draft, *, boilerplate: BoilerplateModel | None = None, require_body: bool = False
) -> Article | Reject:
    """Normalise one draft (see the module docstring for the steps)."""
    cleaned = clean_draft(draft)
    paragraphs = cleaned.paragraphs
    if boilerplate is not None and cleaned.host:
        stripped = boilerplate.strip(cleaned.host, paragraphs)
        boilerplate.learn(cleaned.host, paragraphs)
        paragraphs = stripped
    return complete(draft, cleaned, paragraphs, require_body=require_body)


def complete(
    draft: Draft, cleaned: Cleaned, paragraphs: list[str], *, require_body: bool = False
) -> Article | Reject:
    """Steps 5-7 of :func:`finish` on the paragraphs left after boilerplate stripping."""
    host, profile, title, version = cleaned.host, cleaned.profile, cleaned.title, cleaned.version
    headline_only = not paragraphs and draft.headline_ok and bool(title or draft.url)
    if not paragraphs and (require_body or not headline_only):
        return Reject(
            reason="not-article" if headline_only else "invalid",
            message="headline only: the item has no article text (a body is required)"
            if headline_only
            else "no article text left after cleaning",
            id=draft.id,
            url=draft.url,
            origin=draft.origin,
            title=title,
            extra={"format": draft.format},
        )

    dateline_place = draft.dateline
    agency = draft.agency.lower() if draft.agency else None
    dl = parse_dateline(paragraphs[0]) if paragraphs else None
    if dl is not None:
        dateline_place = dateline_place or dl.place
        agency = agency or dl.agency
    agency = agency or agency_for_host(host) or (profile.name if profile else None)
    if profile is None and agency:
        profile = profile_for(agency=agency)
        if profile is not None:
            # agency copy on a third-party site, known by its dateline: its footer lines too
            paragraphs = [p for p in paragraphs if not profile.is_footer(p)] or paragraphs

    body = "\n\n".join(paragraphs)
    language = _language(draft.language) or (
        detect_language(f"{title}\n{body}" if title else body) if title or body else None
    )

    tz = profile.tz if profile else None
    published = draft.published
    if published is None and draft.published_text:
        published = parse_date(draft.published_text)
    updated = draft.updated
    extra = draft.extra
    if published is not None and tz and published.tzinfo is None and "published_local" not in extra:
        # a naive time is local to the agency's zone: keep it as the source wrote it
        local = to_local_iso(published, tz)
        if local is not None:
            extra = {**extra, "published_local": local}

    return Article(
        id=draft.id or stable_id(host, draft.url, title, body),
        body=body,
        url=draft.url,
        source=host,
        agency=agency,
        title=title,
        published=_iso(published, tz),
        updated=_iso(updated, tz),
        language=language,
        dateline=dateline_place,
        authors=tuple(a for a in draft.authors if a),
        version=version,
        format=draft.format,
        categories=tuple(dict.fromkeys(c for c in draft.categories if c)),
        extra={**extra, "headline_only": True} if headline_only else extra,
    )
