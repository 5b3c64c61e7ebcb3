"""Small helpers shared by the feed and IPTC parsers: dates, hosts, JSON text access.

Dates: :func:`parse_date` reads the date strings feeds and wire formats use (W3C-DTF/ISO 8601,
RFC 822/1123 with numeric offsets or common zone abbreviations) and returns an *aware* datetime
that keeps the source's offset when the string has one, a *naive* datetime when the string has
no zone (meaning "site local time" under the :class:`~wireingest._draft.Draft` contract), or
``None`` when it cannot read the string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz
from typing import Any
from urllib.parse import urljoin

import numpy as np

from wireingest._draft import Draft
from wireingest._meta.dates import MAX_OFFSET_MINUTES, fixed_offset
from wireingest._meta.host import host_of
from wireingest.types import Reject

__all__ = [
    "MAX_JSON_DEPTH",
    "clean_json_strings",
    "host_of",
    "json_depth",
    "load_json",
    "loads_bounded",
    "parse_date",
    "resolve_url",
    "str_or_none",
    "struct_to_utc",
]

# Zone abbreviations seen in feeds that the email module does not know (it knows UT, GMT, Z and
# the North American EST/EDT/CST/CDT/MST/MDT/PST/PDT). Ambiguous ones (IST, CST for China) are
# left out on purpose: a wrong offset is worse than none.
_ZONES: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "UT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "MEZ": 60,
    "MESZ": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "HKT": 480,
    "SGT": 480,
    "AWST": 480,
    "JST": 540,
    "KST": 540,
    "ACST": 570,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
}
_TRAILING_ZONE_RE = re.compile(r"\s([A-Za-z]{1,5})$")
_NUMERIC_ZONE_RE = re.compile(r"([+-])(\d{2}):?(\d{2})$")
_YEAR_ONLY_RE = re.compile(r"\d{4}")
# the year of an RFC 822 date: the number after the day and the month name
_RFC822_YEAR_RE = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?,?\s+(\d+)\b")
_ISO_HINT_RE = re.compile(r"^\d{4}-?\d{2}")
_SPACE_OFFSET_RE = re.compile(r"\s+([+-]\d{2}:?\d{2}|Z)$")


def _real_offset(dt: datetime) -> bool:
    off = dt.utcoffset()
    return off is None or abs(off) <= timedelta(minutes=MAX_OFFSET_MINUTES)


def _iso(s: str) -> datetime | None:
    t = s
    if " " in t and "T" not in t:
        # '2019-12-28 07:03:00 +0100' -> '2019-12-28T07:03:00+0100'
        t = _SPACE_OFFSET_RE.sub(r"\1", t).replace(" ", "T", 1)
    if t.endswith(("z", "Z")):
        t = t[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        return None
    return dt if _real_offset(dt) else None


def _rfc822(s: str) -> datetime | None:
    stripped = s.strip()
    m = _RFC822_YEAR_RE.search(stripped)
    if m is not None and len(m.group(1)) != 2 and len(m.group(1)) != 4:
        return None  # parsedate_tz reads '0001' as 2001 and '99999' as a year
    tup = parsedate_tz(s)
    if tup is None:
        return None
    if m is not None and len(m.group(1)) == 4 and int(m.group(1)) != tup[0]:
        return None
    try:
        naive = datetime(tup[0], tup[1], tup[2], tup[3], tup[4], tup[5])
    except (ValueError, TypeError, OverflowError):
        return None
    zm = _NUMERIC_ZONE_RE.search(stripped)
    if zm:
        tz = fixed_offset(zm.group(1), zm.group(2), zm.group(3))
        return naive.replace(tzinfo=tz) if tz is not None else None
    m = _TRAILING_ZONE_RE.search(stripped)
    if m:
        minutes = _ZONES.get(m.group(1).upper())
        if minutes is not None:
            return naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    return naive


def parse_date(value: object) -> datetime | None:
    """An aware datetime (source offset kept), a naive one (no zone in the source) or None."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 64:
        return None
    if _ISO_HINT_RE.match(s):
        dt = _iso(s)
        if dt is not None:
            return dt
    dt = _rfc822(s)
    if dt is not None and 1 <= dt.year <= 9999:
        return dt
    return None


def iso_utc(dt: datetime | None) -> str | None:
    """An aware datetime as ``2019-12-28T07:03:00Z``; a naive one as it is (no zone known)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.isoformat()
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def struct_to_utc(value: object, raw: str | None = None) -> datetime | None:
    """feedparser's ``*_parsed`` 9-tuple (already UTC) as an aware UTC datetime.

    feedparser normalises impossible dates into real ones (``2019-02-30`` becomes March 2nd,
    month 13 the next January, ``+99:99`` shifts the time by days, year ``99999`` becomes
    ``9999``). Given the ``raw`` string the tuple came from, it is trusted only when the string
    is in none of the shapes :func:`parse_date` reads itself (ISO 8601, RFC 822: there a
    failure means the date is impossible) and names the tuple's year.
    """
    if not isinstance(value, tuple):  # time.struct_time is a tuple subclass
        return None
    if raw is not None:
        r = raw.strip()
        if _ISO_HINT_RE.match(r) or _RFC822_YEAR_RE.search(r) or _NUMERIC_ZONE_RE.search(r):
            return None
        if _YEAR_ONLY_RE.fullmatch(r):
            return None  # W3C-DTF '2019': no day was said (nor for '2019-05', read above)
    try:
        y, mo, d, h, mi, s = (int(v) for v in value[:6])
        dt = datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    if raw is not None and str(y) not in re.findall(r"\d+", raw):
        return None
    return dt


def resolve_url(link: str | None, base: str | None) -> str | None:
    """``link`` made absolute against ``base`` when it is relative (``/a/b``, ``b``, ``//h/b``).

    A link with a scheme of its own (``https:``, ``tag:``, ``urn:``) is returned unchanged, and
    so is a relative one when there is no base or the base cannot be joined.
    """
    if not link:
        return None
    if base and not _SCHEME_RE.match(link):
        try:
            return urljoin(base, link)
        except ValueError:  # a malformed base ("https://[bad") cannot be joined
            return link
    return link


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def str_or_none(value: Any) -> str | None:
    """``value`` stripped when it is a non-blank string, else None."""
    if isinstance(value, str):
        v = value.strip()
        return v or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


_SURROGATE_ESCAPE_RE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def clean_json_strings(obj: Any, depth: int = 0) -> Any:
    """``obj`` with lone surrogates in its strings replaced by U+FFFD (JSON allows them, UTF-8
    output and libxml2 do not)."""
    if isinstance(obj, str):
        return obj.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if depth > 50:
        return obj
    if isinstance(obj, dict):
        return {
            clean_json_strings(k, depth + 1): clean_json_strings(v, depth + 1)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [clean_json_strings(v, depth + 1) for v in obj]
    return obj


#: JSON nested deeper than this is refused: real records, feeds and JSON-LD stay far below it,
#: and every recursive walk over a decoded value stays far from Python's recursion limit.
MAX_JSON_DEPTH = 200

_JSON_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_DEPTH_STEP = np.zeros(256, dtype=np.int8)
_DEPTH_STEP[[ord("["), ord("{")]] = 1
_DEPTH_STEP[[ord("]"), ord("}")]] = -1


def json_depth(text: str) -> int:
    """How deeply the JSON ``text`` nests arrays and objects (brackets in strings do not count).

    Linear: strings are cut out with one regex, the depth is a cumulative sum over the rest.
    """
    rest = _JSON_STRING_RE.sub("", text).encode("utf-8", "surrogatepass")
    if not rest:
        return 0
    steps = _DEPTH_STEP[np.frombuffer(rest, dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int64).max(initial=0))


def loads_bounded(text: str | bytes, *, strict: bool = True) -> Any:
    """``json.loads``, refusing values nested deeper than :data:`MAX_JSON_DEPTH` with a
    ``ValueError`` (never a ``RecursionError``, whatever the depth).

    The depth is measured only when the text holds more brackets than the bound allows and has
    decoded, so the common case costs two counts.
    """
    try:
        # json.loads builds a new decoder for any keyword: the shared one for the default
        obj = json.loads(text) if strict else json.loads(text, strict=False)
    except RecursionError:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    if isinstance(obj, dict | list):
        s = text if isinstance(text, str) else text.decode("utf-8", "surrogateescape")
        if s.count("[") + s.count("{") > MAX_JSON_DEPTH and json_depth(s) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return obj


def load_json(data: bytes) -> Any:
    """:func:`loads_bounded` that also repairs lone surrogate escapes (``\\ud800``)."""
    obj = loads_bounded(data)
    if _SURROGATE_ESCAPE_RE.search(data):
        obj = clean_json_strings(obj)
    return obj


def parse_json_document(
    data: bytes,
    parse_obj: Callable[..., Iterator[Draft | Reject]],
    *,
    url: str | None,
    origin: str | None,
) -> Iterator[Draft | Reject]:
    """Load a JSON document and hand it to a format's ``parse_obj``; invalid JSON is a reject."""
    try:
        obj = load_json(data)
    except ValueError as exc:
        msg = " ".join(str(exc).split())
        yield Reject(reason="invalid", message=f"not valid JSON: {msg}", url=url, origin=origin)
        return
    yield from parse_obj(obj, url=url, origin=origin)
