"""Agency profiles: small, data-like descriptions of one news agency's sites.

A :class:`Profile` refines the generic pipeline for pages of a known agency: the site time zone
(naive page times are local to it), the dateline form, known footer/contact lines, site banners
and tracking-ID forms. Pages from an unknown site still take the generic path; a profile only
adds knowledge, it never replaces the general rules.

Each agency lives in its own module (``xinhua.py``, ``ap.py``, ...) exposing ``PROFILE``;
:func:`profile_for` looks a profile up by host (subdomains included) or by agency short name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from wireingest._meta.host import host_of

__all__ = [
    "PROFILES",
    "Profile",
    "agency_for_host",
    "compile_all",
    "language_for_host",
    "profile_for",
]

_FLAGS = re.IGNORECASE | re.UNICODE


def compile_all(*patterns: str, flags: int = _FLAGS) -> tuple[re.Pattern[str], ...]:
    """Compile regex sources once, at import time of a profile module."""
    return tuple(re.compile(p, flags) for p in patterns)


@dataclass(frozen=True)
class Profile:
    """What we know about one agency's sites.

    ``name`` is the agency short name (``xinhua``); ``domains`` the registrable domains its
    sites live under (a host matches a domain when it equals it or ends with ``.domain``).
    ``tz`` is the IANA zone the sites print local times in. ``languages`` lists the languages the
    agency publishes in; ``host_languages`` maps a leading host label (``french``) to a language
    code. Pattern fields hold compiled regexes that are matched (``search``) against one
    paragraph: ``dateline_patterns`` (documentation and extra dateline forms),
    ``footer_patterns`` (known footer/contact lines), ``tracking_id_patterns`` (trailing
    tracking codes) and ``site_banner_patterns`` (header lines such as
    ``French.xinhuanet.com | Publié le ...``). ``title_suffix_patterns`` are stripped from the
    end of page titles (`` - Xinhua | English.news.cn``).
    """

    name: str
    domains: tuple[str, ...]
    tz: str
    languages: tuple[str, ...] = ()
    display_name: str = ""
    agency_names: tuple[str, ...] = ()
    host_languages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    dateline_patterns: tuple[re.Pattern[str], ...] = ()
    footer_patterns: tuple[re.Pattern[str], ...] = ()
    tracking_id_patterns: tuple[re.Pattern[str], ...] = ()
    site_banner_patterns: tuple[re.Pattern[str], ...] = ()
    title_suffix_patterns: tuple[re.Pattern[str], ...] = ()

    def matches_host(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_footer(self, paragraph: str) -> bool:
        return any(p.search(paragraph) for p in self.footer_patterns)

    def is_tracking_id(self, paragraph: str) -> bool:
        return any(p.search(paragraph) for p in self.tracking_id_patterns)

    def is_site_banner(self, paragraph: str) -> bool:
        return any(p.search(paragraph) for p in self.site_banner_patterns)

    def strip_title_suffix(self, title: str) -> str:
        for p in self.title_suffix_patterns:
            new = p.sub("", title).strip()
            if new and new != title:
                return new
        return title


def _load() -> tuple[Profile, ...]:
    from wireingest._profiles import afp, ansa, ap, dpa, efe, reuters, tass, xinhua

    return tuple(m.PROFILE for m in (xinhua, ap, reuters, afp, dpa, efe, tass, ansa))


PROFILES: tuple[Profile, ...] = _load()
_BY_NAME: dict[str, Profile] = {p.name: p for p in PROFILES}
for _p in PROFILES:
    for _alias in _p.agency_names:
        _BY_NAME.setdefault(_alias.lower(), _p)


def _normalise_host(host: str) -> str:
    return host_of(host) or ""


@lru_cache(maxsize=4096)
def _profile_for_host(host: str) -> Profile | None:
    h = _normalise_host(host)
    if not h:
        return None
    for p in PROFILES:
        if p.matches_host(h):
            return p
    return None


def profile_for(*, host: str | None = None, agency: str | None = None) -> Profile | None:
    """The profile for a host (``french.xinhuanet.com``, a URL works too) or an agency name.

    The host wins when both are given and the host is known; ``None`` when neither matches.
    """
    if host:
        p = _profile_for_host(host)
        if p is not None:
            return p
    if agency:
        return _BY_NAME.get(agency.strip().lower())
    return None


def agency_for_host(host: str | None) -> str | None:
    """The agency short name for a host of one of the profiled agencies, else ``None``."""
    if not host:
        return None
    p = _profile_for_host(host)
    return p.name if p is not None else None


def language_for_host(host: str | None) -> str | None:
    """The language a profiled site publishes in, when its host says so (``french.news.cn``)."""
    if not host:
        return None
    p = _profile_for_host(host)
    if p is None:
        return None
    labels = _normalise_host(host).split(".")
    for label in labels[:-1]:
        lang = p.host_languages.get(label)
        if lang:
            return lang
    if len(p.languages) == 1:
        return p.languages[0]
    return None
