"""The Associated Press (apnews.com).

Dateline form ``WASHINGTON (AP) —`` (older copy ``NEW YORK (AP) _``). Page times are US
Eastern. Version markers ``1stLd-Writethru``/``Correction`` live in the title.
"""

from __future__ import annotations

from types import MappingProxyType

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="ap",
    display_name="The Associated Press",
    agency_names=("ap", "associated press", "the associated press"),
    domains=("apnews.com", "ap.org", "hosted.ap.org"),
    tz="America/New_York",
    languages=("en", "es"),
    host_languages=MappingProxyType({"apnews": "en"}),
    dateline_patterns=compile_all(r"^[A-Z][A-Z .,'-]{1,60}\(AP\)\s*[—–_-]"),
    footer_patterns=compile_all(
        r"^\s*(?:copyright\s+)?(?:©\s*)?\d{4}\s+(?:the\s+)?associated press\.?"
        r"(?:\s+all rights reserved\.?)?.{0,160}$",
        r"^\s*this material may not be published, broadcast, rewritten or redistributed\.?\s*$",
        r"^\s*_{3,}\s*$",
        r"^\s*follow ap'?s .{0,80}(?:coverage|at)\s.{0,120}$",
        r"^\s*the associated press receives support from .{0,300}$",
        r"^\s*sign up for (?:our|the|ap'?s)\b.{0,40}newsletter.{0,120}$",
        r"^\s*privacy policy\.?\s*$",
    ),
    tracking_id_patterns=compile_all(r"^\s*[0-9a-f]{32}\s*$"),
    site_banner_patterns=compile_all(r"^\s*(?:updated|published)\s.{0,40}\b(?:EST|EDT|ET)\b"),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*AP News\s*$"),
)
