"""ANSA, Agenzia Nazionale Stampa Associata (ansa.it).

Dateline form ``(ANSA) - ROMA, 11 OTT -`` (English service: ``(ANSA) - ROME, OCT 11 -``).
Local times are Rome time. Pages end with ``RIPRODUZIONE RISERVATA © Copyright ANSA``.
"""

from __future__ import annotations

from types import MappingProxyType

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="ansa",
    display_name="ANSA",
    agency_names=("ansa", "agenzia ansa", "ansamed"),
    domains=("ansa.it", "ansamed.info"),
    tz="Europe/Rome",
    languages=("it", "en", "es", "pt", "ar"),
    host_languages=MappingProxyType({"www": "it"}),
    dateline_patterns=compile_all(r"^\(ANSA(?:[- ][A-Z]+)?\)\s*[-—–]\s*[^\W\d]"),
    footer_patterns=compile_all(
        r"^\s*(?:riproduzione riservata\s*)?©\s*copyright\s+ANSA\b.{0,80}$",
        r"^\s*riproduzione riservata\.?\s*$",
        r"^\s*iscriviti\b.{0,40}\bnewsletter\b.{0,120}$",
        r"^\s*informativa (?:sulla )?privacy\.?\s*$",
        r"^\s*all rights reserved\.?\s*©\s*copyright\s+ANSA.{0,40}$",
    ),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*(?:Agenzia )?ANSA(?:\.it)?\s*$"),
)
