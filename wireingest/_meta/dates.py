"""Multilingual date and time parsing for wire pages.

:func:`parse_date` finds the first date (with its time, when one follows or precedes it) in a
free-text line: ISO 8601 (``2019-12-28T15:03:00+08:00``, ``2019-12-28 à 15:03``), RFC 2822
(``Sat, 28 Dec 2019 07:03:00 GMT``), numeric European dates (``28.12.2019 15:03``,
``28/12/2019``), and day-month-year or month-day-year with month names or abbreviations in
English, French, Spanish, German, Italian, Portuguese, Dutch and Russian (``14 NOV 2022, 09:12``,
``11 ottobre 2021 | 18:24``, ``28 de diciembre de 2019``, ``4 октября 2022``,
``Aug 29, 2014``). It returns an *aware* datetime when the text carries an offset (``Z``,
``+08:00``, ``GMT``, ``EST``...) and a *naive* one otherwise, meaning local time of the site;
:func:`to_utc_iso` applies the site's time zone.

A date without a year is not a date here (``March 31`` in a dateline could be any year).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MAX_OFFSET_MINUTES",
    "MONTHS",
    "MONTH_RE",
    "find_date_line",
    "fixed_offset",
    "is_date_line",
    "month_number",
    "parse_date",
    "to_local_iso",
    "to_utc_iso",
]

# Month names and abbreviations (accents folded, lower case) -> month number.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "janvier",
        "janv",
        "enero",
        "ene",
        "januar",
        "jän",
        "jaen",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "январь",
        "января",
        "янв",
        "січня",
        "студзеня",
    ),
    2: (
        "february",
        "feb",
        "febr",
        "fevrier",
        "fev",
        "fevr",
        "febrero",
        "februar",
        "febbraio",
        "fevereiro",
        "februari",
        "февраль",
        "февраля",
        "фев",
        "февр",
    ),
    3: (
        "march",
        "mar",
        "mars",
        "marzo",
        "marz",
        "maerz",
        "mrz",
        "marco",
        "maart",
        "март",
        "марта",
        "мар",
    ),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "апрель", "апреля", "апр"),
    5: ("may", "mai", "mayo", "maggio", "mag", "maio", "mei", "май", "мая"),
    6: ("june", "jun", "juin", "junio", "juni", "giugno", "giu", "junho", "июнь", "июня", "июн"),
    7: (
        "july",
        "jul",
        "juillet",
        "juil",
        "julio",
        "juli",
        "luglio",
        "lug",
        "julho",
        "июль",
        "июля",
        "июл",
    ),
    8: ("august", "aug", "aout", "agosto", "ago", "augustus", "август", "августа", "авг"),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "set",
        "settembre",
        "setembro",
        "сентябрь",
        "сентября",
        "сен",
        "сент",
    ),
    10: (
        "october",
        "oct",
        "octobre",
        "octubre",
        "oktober",
        "okt",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "октябрь",
        "октября",
        "окт",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "ноябрь", "ноября", "ноя", "нояб"),
    12: (
        "december",
        "dec",
        "decembre",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "dicembre",
        "dezembro",
        "december",
        "декабрь",
        "декабря",
        "дек",
    ),
}

MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names}
# Polish month names, genitive as in dates ("19 października 2023"), accents folded.
_MONTH_NAMES_PL: dict[int, tuple[str, ...]] = {
    1: ("stycznia", "styczen"),
    2: ("lutego", "luty"),
    3: ("marca",),
    4: ("kwietnia", "kwiecien"),
    5: ("maja",),
    6: ("czerwca", "czerwiec"),
    7: ("lipca", "lipiec"),
    8: ("sierpnia", "sierpien"),
    9: ("wrzesnia", "wrzesien"),
    10: ("pazdziernika", "pazdziernik"),
    11: ("listopada", "listopad"),
    12: ("grudnia", "grudzien"),
}
MONTHS.update({n: num for num, names in _MONTH_NAMES_PL.items() for n in names if n not in MONTHS})


def _fold(s: str) -> str:
    """Lower-case and strip accents (keeps Cyrillic letters intact apart from й/ё folding)."""
    s = s.lower()
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def month_number(name: str) -> int | None:
    """The month number of a (possibly abbreviated, accented, dotted) month name."""
    return MONTHS.get(_fold(name).rstrip("."))


# The regex alternation accepts accented spellings: build it from accent-insensitive classes.
_ACCENTS = {
    "a": "aàáâãäåą",
    "e": "eèéêëę",
    "i": "iìíîï",
    "o": "oòóôõö",
    "u": "uùúûü",
    "c": "cçć",
    "n": "nñń",
    "s": "sś",
    "z": "zźż",
}


def _accent_class(word: str) -> str:
    out = []
    for ch in word:
        alts = _ACCENTS.get(ch)
        out.append(f"[{alts}]" if alts else re.escape(ch))
    return "".join(out)


_MONTH_ALT = "|".join(_accent_class(m) for m in sorted(MONTHS, key=len, reverse=True))
MONTH_RE = rf"(?i:{_MONTH_ALT})"
_M = rf"(?P<mon>{MONTH_RE})\.?"

_TIME = (
    r"(?P<H>[01]?\d|2[0-3])\s?(?:[:h]|\.(?=\d\d\b))\s?(?P<Mi>[0-5]\d)"
    r"(?::(?P<S>[0-5]\d)(?:[.,]\d{1,9})?)?"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?"
    r"(?:\s*(?:uhr|h|hrs|horas|ore|ч)\b\.?)?"
    r"(?:\s*(?P<tz>Z\b|[+-]\d\d:?\d\d\b|(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?"
    r"|[ECMP][SD]T\b|CES?T\b|BST\b|MSK\b|EES?T\b|WES?T\b|JST\b|KST\b|HKT\b|IST\b|MEZ\b|MESZ\b|ET\b|PT\b))?"
)
_TIME_RE = re.compile(_TIME, re.IGNORECASE)

# Connectors allowed between a date and its time.
_JOIN_AFTER = (
    r"[\s,;|·•–—/-]*(?:г\.|г|года|t|à|a|às|as|at|um|alle|ore|a las|a la|en|в|o|kl\.?|,)?"
    r"[\s,;|·•–—-]*"
)
_JOIN_AFTER_RE = re.compile(_JOIN_AFTER + _TIME, re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(_TIME + r"[\s,;|·•–—-]*(?:on|le|el|am|il|de)?\s*$", re.IGNORECASE)

_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY = r"(?P<d>[0-3]?\d)"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # ISO 8601 / RFC 3339 date (time handled by the join)
        rf"(?<![\d.]){_YEAR}-(?P<mo>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])(?!\d)",
        # 2019/12/28, 2019.12.28
        rf"(?<![\d.]){_YEAR}[/.](?P<mo>0?[1-9]|1[0-2])[/.](?P<d>0?[1-9]|[12]\d|3[01])(?![\d])",
        # 28.12.2019, 28/12/2019, 12/28/2019 (month-first only when day-first is impossible)
        rf"(?<![\d.]){_DAY}[./-](?P<mo>[0-3]?\d)[./-]{_YEAR}(?!\d)",
        # 28 décembre 2019, 28 de diciembre de 2019, 1er janvier 2020, 28. Dezember 2019,
        # 14 NOV 2022, 4 октября 2022 г.
        rf"(?<![\w]){_DAY}(?:er|st|nd|rd|th|º|°|\.)?\s*(?:de\s+|-)?{_M}"
        rf"(?![^\W\d_])[\s,-]*(?:de\s+|del\s+)?{_YEAR}(?!\d)",
        # Aug 29, 2014; December 28th 2019; Dec. 28, 2019
        rf"(?<![\w]){_M}(?![^\W\d_])\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)",
        # 2019年12月28日
        rf"{_YEAR}\s*年\s*(?P<mo>1[0-2]|0?[1-9])\s*月\s*(?P<d>[12]\d|3[01]|0?[1-9])\s*日",
        # 28/12/19 15:03, 28.12.19, 09:12 (a two-digit year only when a time follows)
        rf"(?<![\d.]){_DAY}[./](?P<mo>[0-3]?\d)[./](?P<yy>\d\d)(?![\d./])"
        r"(?=[\s,|-]*(?:à|a las|um|alle|at)?\s*[0-2]?\d[:h][0-5]\d)",
    )
)

_TZ_ABBR: dict[str, int] = {  # minutes east of UTC
    "Z": 0,
    "UTC": 0,
    "GMT": 0,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "CET": 60,
    "CEST": 120,
    "MEZ": 60,
    "MESZ": 120,
    "BST": 60,
    "MSK": 180,
    "EET": 120,
    "EEST": 180,
    "WET": 0,
    "WEST": 60,
    "JST": 540,
    "KST": 540,
    "HKT": 480,
    "IST": 330,
}
_TZ_AMBIGUOUS = {"ET": "America/New_York", "PT": "America/Los_Angeles"}
_OFFSET_RE = re.compile(r"([+-])\s*(\d{1,2})(?::?(\d\d))?$")


def _tzinfo(tzs: str | None, naive: datetime) -> timezone | ZoneInfo | None:
    if not tzs:
        return None
    t = tzs.strip().upper()
    if t in _TZ_ABBR:
        return timezone(timedelta(minutes=_TZ_ABBR[t]))
    if t in _TZ_AMBIGUOUS:
        return ZoneInfo(_TZ_AMBIGUOUS[t])
    if t.startswith(("UTC", "GMT")):
        t = t[3:].strip()
    m = _OFFSET_RE.match(t)
    if m:
        return fixed_offset(m.group(1), m.group(2), m.group(3))
    return None


#: Real UTC offsets run from -12:00 to +14:00; anything past 14 hours is no offset at all.
MAX_OFFSET_MINUTES = 14 * 60


def fixed_offset(sign: str, hours: str, minutes: str | None = None) -> timezone | None:
    """The zone ``+HH:MM`` (``sign`` is ``+`` or ``-``), or None when it is not a real offset
    (minutes past 59, more than :data:`MAX_OFFSET_MINUTES`).

    A date with such an offset is not a date the source gave: every date reader of the
    project (feeds, NITF, NewsML-G2, pages) gives no date rather than a shifted one.
    """
    mm = int(minutes or 0)
    total = int(hours) * 60 + mm
    if mm > 59 or total > MAX_OFFSET_MINUTES:
        return None
    return timezone(timedelta(minutes=-total if sign == "-" else total))


def _build(y: int, mo: int, d: int, tm: re.Match[str] | None) -> datetime | None:
    h = mi = s = 0
    tzs: str | None = None
    if tm is not None:
        h, mi = int(tm.group("H")), int(tm.group("Mi"))
        s = int(tm.group("S") or 0)
        ampm = tm.group("ampm")
        if ampm:
            if h > 12 or h == 0:
                return _build(y, mo, d, None)
            pm = ampm.lower().startswith("p")
            h = (h % 12) + (12 if pm else 0)
        tzs = tm.group("tz")
    try:
        dt = datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    tz = _tzinfo(tzs, dt)
    if tzs and tz is None:
        return None  # '+99:99', 'GMT+15': an offset no place has
    return dt.replace(tzinfo=tz) if tz is not None else dt


_BAD_TIME_RE = re.compile(r"(?:T|[\s,]+)\d{1,2}:\d\d")
_RFC2822_RE = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun),?\s+\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def _parse_date_span(text: str) -> tuple[datetime, int, int] | None:
    best: tuple[int, re.Match[str], int] | None = None
    for i, pat in enumerate(_DATE_PATTERNS):
        m = pat.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (i, m, i)
    if best is None:
        return None
    _, m, kind = best
    gd = m.groupdict()
    y = int(gd["y"]) if gd.get("y") else 2000 + int(gd["yy"])
    if gd.get("mon"):
        mon = month_number(gd["mon"])
        if mon is None:
            return None
        mo = mon
    else:
        mo = int(gd["mo"])
    d = int(gd["d"])
    if kind in (2, 6) and mo > 12 and d <= 12:  # 12/28/2019
        mo, d = d, mo
    if not (1 <= mo <= 12):
        return None
    start, end = m.span()
    tm = _JOIN_AFTER_RE.match(text, end)
    if tm is not None:
        end = tm.end()
    elif _BAD_TIME_RE.match(text, end):
        return None  # 'T25:00', '10:61': a time no clock shows
    else:
        before = _TIME_BEFORE_RE.search(text[max(0, start - 40) : start])
        if before is not None:
            tm = before
            start = max(0, start - 40) + before.start()
    dt = _build(y, mo, d, tm)
    if dt is None:
        return None
    return dt, start, end


def parse_date(text: str) -> datetime | None:
    """The first date (and time) found in ``text``, or ``None``.

    Aware when the text carries an offset or zone abbreviation, naive (site-local) otherwise.
    """
    if not text:
        return None
    text = text.strip()
    if len(text) > 400:
        text = text[:400]
    span = _parse_date_span(text)
    return span[0] if span else None


def to_utc_iso(dt: datetime, tz: str | None) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` for ``dt``; a naive ``dt`` is taken as local time in ``tz``.

    ``tz`` is an IANA name (``Asia/Shanghai``); ``None`` or an unknown zone means UTC.
    """
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        zone: ZoneInfo | timezone = UTC
        if tz:
            try:
                zone = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                zone = UTC
        dt = dt.replace(tzinfo=zone)
    u = dt.astimezone(UTC)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def to_local_iso(dt: datetime, tz: str | None) -> str | None:
    """``dt`` as ISO 8601 with its local offset (``2019-12-28T15:03:00+08:00``).

    An aware ``dt`` keeps its own offset; a naive one is taken as local time in ``tz`` (an IANA
    name). ``None`` when ``dt`` is naive and ``tz`` is missing or unknown.
    """
    if dt.tzinfo is not None and dt.tzinfo.utcoffset(dt) is not None:
        return dt.isoformat()
    if not tz:
        return None
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return dt.replace(tzinfo=zone).isoformat()


# Words that may surround a date in a page's metadata/banner line.
_META_WORDS = frozenset(
    (
        "publié",
        "publie",
        "le",
        "mis",
        "à",
        "a",
        "jour",
        "maj",
        "par",
        "modifié",
        "modifie",
        "updated",
        "update",
        "published",
        "posted",
        "last",
        "on",
        "at",
        "by",
        "date",
        "dated",
        "released",
        "publicado",
        "publicada",
        "el",
        "actualizado",
        "actualizada",
        "actualización",
        "las",
        "veröffentlicht",
        "aktualisiert",
        "zuletzt",
        "am",
        "um",
        "uhr",
        "stand",
        "pubblicato",
        "aggiornato",
        "il",
        "alle",
        "ore",
        "atualizado",
        "atualizada",
        "em",
        "às",
        "as",
        "опубликовано",
        "обновлено",
        "обновлено:",
        "в",
        "gmt",
        "utc",
        "cet",
        "cest",
        "est",
        "edt",
        "msk",
        "time",
        "heure",
        "hora",
        "ora",
        "source",
        "fuente",
        "quelle",
        "fonte",
        "источник",
        "|",
        "-",
        "—",
        "–",
        "·",
        "•",
        ":",
        ",",
        ".",
        "de",
        "du",
        "del",
        "da",
        "the",
        "of",
    )
)
_WORD_RE = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*", re.UNICODE)
_HOSTLIKE_RE = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,}$", re.IGNORECASE)


def is_date_line(line: str, *, max_len: int = 160, max_extra_words: int = 5) -> bool:
    """Whether ``line`` is a short metadata line that is essentially a date or dated banner.

    ``French.xinhuanet.com | Publié le 2019-12-28 à 15:03``, ``Updated 14 NOV 2022, 09:12``,
    ``11 ottobre 2021 | 18:24`` are; an article sentence that mentions a date is not.
    """
    s = line.strip()
    if not s or len(s) > max_len or "@" in s or "://" in s or "www." in s:
        return False
    span = _parse_date_span(s)
    if span is None:
        return False
    _, a, b = span
    rest = s[:a] + " " + s[b:]
    extra = 0
    for w in _WORD_RE.findall(rest):
        lw = w.lower()
        if lw in _META_WORDS or _HOSTLIKE_RE.match(w) or month_number(lw) is not None:
            continue
        if lw.isdigit():
            continue
        extra += 1
        if extra > max_extra_words:
            return False
    # A line ending in sentence punctuation with several words is prose, not a banner.
    return not (extra >= 3 and s.endswith((".", "!", "?")) and not _HOSTLIKE_RE.match(s))


def find_date_line(lines: Sequence[str], *, limit: int = 12) -> tuple[int, datetime] | None:
    """Index and date of the first short date/banner line among the first ``limit`` lines."""
    for i, line in enumerate(lines[:limit]):
        if is_date_line(line):
            dt = parse_date(line)
            if dt is not None:
                return i, dt
    return None
