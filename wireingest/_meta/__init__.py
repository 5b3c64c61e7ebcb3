"""Metadata normalisation: dates, datelines, version markers and language.

All functions here are pure and cheap (regexes compiled at import time); the finisher calls
them on every article.
"""

from wireingest._meta.dateline import Dateline, parse_dateline
from wireingest._meta.dates import find_date_line, is_date_line, parse_date, to_utc_iso
from wireingest._meta.language import detect_language
from wireingest._meta.version import is_editor_note, split_version

__all__ = [
    "Dateline",
    "detect_language",
    "find_date_line",
    "is_date_line",
    "is_editor_note",
    "parse_date",
    "parse_dateline",
    "split_version",
    "to_utc_iso",
]
