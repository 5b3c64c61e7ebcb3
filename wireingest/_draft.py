"""What a format parser produces: a mutable, not-yet-normalised article.

Parsers (``wireingest._formats.*``) yield :class:`Draft` objects or
:class:`~wireingest.types.Reject` records. The shared finishing step
(``wireingest._finish``) then cleans the paragraphs, resolves dateline, agency, version,
language and dates, and freezes the draft into an :class:`~wireingest.types.Article`.
Parsers therefore only report what the source says; they do not clean, guess the language or
convert time zones themselves.

Dates: a parser stores a ``datetime``. An aware datetime is taken as is (converted to UTC at the
end); a *naive* datetime means "local time of the site" and is converted with the agency
profile's time zone (or taken as UTC when no profile applies). A parser that found only a date
string it cannot read stores it in ``published_text``; the finisher tries the multilingual date
parser on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Draft:
    paragraphs: list[str]
    format: str
    title: str | None = None
    id: str | None = None
    url: str | None = None
    source: str | None = None
    agency: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    published_text: str | None = None
    language: str | None = None
    dateline: str | None = None
    authors: list[str] = field(default_factory=list)
    version: str | None = None
    categories: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None
    # True when the paragraphs are already a clean body (e.g. a JSON record's ``body`` or an
    # IPTC body): the finisher still removes junk and repeats but skips page-level heuristics.
    trusted_body: bool = False
    # True when every paragraph is non-empty and already what
    # ``wireingest._clean.junk.normalise_paragraph`` makes of it (the finisher skips that step).
    normalised: bool = False
    # True for an item of a listing (a feed entry, a JSON Feed item, a JSON record) that may
    # stand as a headline with a link and no text: the finisher emits it with body "" and
    # ``extra["headline_only"] = True`` instead of rejecting it (unless ``require_body``).
    headline_ok: bool = False
