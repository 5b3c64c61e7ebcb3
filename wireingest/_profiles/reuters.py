"""Reuters (reuters.com), including the classic wire form of Reuters-21578.

Dateline form ``LONDON, April 9 (Reuters) -`` (old wire copy: ``NEW YORK, March 3 -`` with a
closing ``Reuter`` line). Page times are shown in UTC/GMT. Version markers ``UPDATE 2-``,
``REFILE-``, ``CORRECTED-``, ``WRAPUP 1-`` prefix the title.
"""

from __future__ import annotations

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="reuters",
    display_name="Reuters",
    agency_names=("reuters", "reuter", "thomson reuters"),
    domains=("reuters.com", "reutersagency.com", "reuters.tv", "thomsonreuters.com"),
    tz="UTC",
    languages=("en", "es", "fr", "de", "it", "pt", "ja", "zh", "ar", "ru"),
    dateline_patterns=compile_all(r"^[A-Z][^,()]{1,60},\s*[^()]{1,30}\(Reuters\)\s*[-—–]"),
    footer_patterns=compile_all(
        r"^\s*Reuter\s*\W?\s*$",
        r"^\s*our standards:\s*the thomson reuters trust principles\.?.{0,80}$",
        r"^\s*(?:sign up here|register now for free unlimited access to reuters\.com)\.?\s*$",
        r"^\s*©\s*\d{4}\s+reuters.{0,80}$",
        r"^\s*privacy policy\.?\s*$",
        # desk credits: "Reporting by A; Editing by B"
        r"^\s*(?:additional )?reporting by [^.]{1,160};.{0,200}$",
        r"^\s*(?:editing|writing|compiled) by [^.]{1,120}\.?\s*$",
        r"^\s*all quotes delayed a minimum of 15 minutes\..{0,200}$",
    ),
    tracking_id_patterns=compile_all(r"^\s*(?:[A-Z]{2,8}\d?\s+)?\(?[A-Z]{3,}\d[A-Z0-9]{6,}\)?\s*$"),
    site_banner_patterns=compile_all(r"^\s*\d{1,2}:\d{2}\s*[AP]M\s*UTC\b.{0,60}$"),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*Reuters(?:\.com)?\s*$"),
)
