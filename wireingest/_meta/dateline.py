"""Dateline parsing: the place (as written) and agency at the head of a wire story.

Forms recognised (each from real agency copy):

* place, date, agency in parentheses: ``BEIJING, March 31 (Xinhua) --``,
  ``NEW YORK (Nations Unies), 28 décembre (Xinhua) --``, ``Tegucigalpa, 2 ene (EFE).-``,
  ``STOCKHOLM, Aug 29, 2014 (AFP) -``, ``LONDON, April 9 (Reuters) -``;
* place and agency: ``WASHINGTON (AP) —``, ``Berlin (dpa) -``, ``FRANKFURT (dpa-AFX) -``;
  the agency must be a known one here (``Sen. Smith (R-Texas) -`` is not a dateline);
* slashed agency: ``MOSCOW, October 4. /TASS/.``, ``ПЕКИН, 31 марта /Синьхуа/ --``;
* agency first: ``(ANSA) - ROMA, 11 OTT -``;
* Chinese Xinhua: ``新华社北京3月31日电（记者 ...）``;
* classic wire without agency: ``NEW YORK, Feb 26 -`` (upper-case place and a month name).

:func:`parse_dateline` returns the place as written, the agency short name (``xinhua``,
``ap``...; other agencies lower-cased), the date text as written, and ``end``, the offset in the
paragraph where the article text starts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wireingest._meta.dates import MONTH_RE

__all__ = ["KNOWN_AGENCIES", "Dateline", "agency_short_name", "parse_dateline"]


@dataclass(frozen=True)
class Dateline:
    place: str
    agency: str | None
    date_text: str | None
    end: int


# Agency names as they appear in datelines (folded to lower case) -> short name.
KNOWN_AGENCIES: dict[str, str] = {
    "xinhua": "xinhua",
    "синьхуа": "xinhua",
    "新华社": "xinhua",
    "xinhua news agency": "xinhua",
    "ap": "ap",
    "the associated press": "ap",
    "associated press": "ap",
    "reuters": "reuters",
    "reuter": "reuters",
    "afp": "afp",
    "afp-jiji": "afp",
    "agence france-presse": "afp",
    "dpa": "dpa",
    "dpa-afx": "dpa",
    "dpa/afx": "dpa",
    "dpa-ag": "dpa",
    "efe": "efe",
    "agencia efe": "efe",
    "tass": "tass",
    "тасс": "tass",
    "itar-tass": "tass",
    "итар-тасс": "tass",
    "ansa": "ansa",
    "ansamed": "ansa",
    "ansa-afp": "ansa",
    "upi": "upi",
    "kyodo": "kyodo",
    "yonhap": "yonhap",
    "pti": "pti",
    "ians": "ians",
    "aa": "aa",
    "anadolu": "aa",
    "apa": "apa",
    "sda": "sda",
    "belga": "belga",
    "anp": "anp",
    "bernama": "bernama",
    "antara": "antara",
    "ntb": "ntb",
    "tt": "tt",
    "stt": "stt",
    "ritzau": "ritzau",
    "ctk": "ctk",
    "čtk": "ctk",
    "pap": "pap",
    "mti": "mti",
    "lusa": "lusa",
    "agi": "agi",
    "adnkronos": "adnkronos",
    "ria novosti": "ria",
    "риа новости": "ria",
    "interfax": "interfax",
    "интерфакс": "interfax",
    "sputnik": "sputnik",
    "kuna": "kuna",
    "wam": "wam",
    "spa": "spa",
    "mena": "mena",
    "irna": "irna",
    "aap": "aap",
    "cp": "cp",
    "the canadian press": "cp",
    "prensa latina": "prensa-latina",
    "notimex": "notimex",
    "europa press": "europa-press",
    "kna": "kna",
    "epd": "epd",
    "jiji": "jiji",
    "jiji press": "jiji",
    "cna": "cna",
    "bna": "bna",
    "sana": "sana",
    "petra": "petra",
    "qna": "qna",
    "azertac": "azertac",
    "ukrinform": "ukrinform",
    "укрінформ": "ukrinform",
    "ani": "ani",
    "xinhua-ap": "xinhua",
    "bss": "bss",
    "app": "app",
    "tap": "tap",
    "map": "map",
    "aps": "aps",
    "hina": "hina",
    "sta": "sta",
    "tanjug": "tanjug",
    "bta": "bta",
    "ana": "ana",
    "ana-mpa": "ana-mpa",
    "cyprus news agency": "cna",
    "efe-dpa": "efe",
    "telam": "telam",
    "télam": "telam",
    "andes": "andes",
    "abi": "abi",
    "vna": "vna",
    "pna": "pna",
    "ips": "ips",
}


def _fold(s: str) -> str:
    s = " ".join(s.strip().lower().split())
    return unicodedata.normalize("NFC", s)


def agency_short_name(raw: str, *, strict: bool = True) -> str | None:
    """Short name of an agency as written in a dateline; ``None`` when unknown and ``strict``."""
    key = _fold(raw).strip(" .")
    if key in KNOWN_AGENCIES:
        return KNOWN_AGENCIES[key]
    # "Reuters Breakingviews", "AFP/Getty", "dpa/lni": take the first known part
    for part in re.split(r"[/,;+]|\s-\s|\s+", key):
        if part in KNOWN_AGENCIES:
            return KNOWN_AGENCIES[part]
    if strict:
        return None
    words = key.split()
    if not words or len(words) > 4 or any(ch.isdigit() for ch in key):
        return None
    return "-".join(words)


_DASH = r"(?:--|—|–|-|_|:|\.-|\.—|\.–)"
_PLACE = (
    r"(?P<place>[^\W\d_][^,()\n/]{0,50}?(?:\s*\([^()\n]{1,40}\))?"
    r"(?:,\s*[^\W\d_][^,()\n/\d]{1,30}?)?)"
)
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_PLACE_SIMPLE = r"(?P<place>[^\W\d_][^,()\n/]{0,50}?)"
_DATE = r"(?P<date>[^()\n/]{1,30}?)"
_AGENCY = r"(?P<agency>[^()\n]{2,40})"
_FLAGS = re.UNICODE

_FORMS: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(p, _FLAGS), strict)
    for p, strict in (
        # 新华社北京3月31日电（记者 张三）
        (
            r"^\s*(?P<agency>新华社)(?P<place>[^\d\s，,]{1,12}?)(?P<date>\d{1,2}月\d{1,2}日)电"
            r"(?:[（(][^）)]{0,40}[）)])?\s*",
            False,
        ),
        # (ANSA) - ROMA, 11 OTT -
        (rf"^\s*\({_AGENCY}\)\s*{_DASH}\s*{_PLACE_SIMPLE}\s*,\s*{_DATE}\s*{_DASH}\s*", False),
        # (ANSA) - ROMA -
        (
            rf"^\s*\({_AGENCY}\)\s*{_DASH}\s*(?P<place>[{_UPPER}][{_UPPER} .'’-]{{1,40}}?)"
            rf"\s*{_DASH}\s*",
            True,
        ),
        # MOSCOW, October 4. /TASS/.   ПЕКИН, 31 марта /Синьхуа/ --
        (
            rf"^\s*{_PLACE},\s*{_DATE}\s*\.?\s*/\s*(?P<agency>[^/\n]{{2,30}}?)\s*/\s*\.?\s*"
            rf"(?:{_DASH}\s*)?",
            False,
        ),
        # BEIJING, March 31 (Xinhua) --     Tegucigalpa, 2 ene (EFE).-
        (rf"^\s*{_PLACE},\s*{_DATE}\s*\({_AGENCY}\)\s*\.?\s*{_DASH}\s*", False),
        # WASHINGTON (AP) —     Berlin (dpa) -
        (
            rf"^\s*(?P<place>[^\W\d_][^,()\n/]{{0,50}}?(?:,\s*[^\W\d_][^,()\n/\d]{{1,30}}?)?)"
            rf"\s*\({_AGENCY}\)\s*{_DASH}\s*",
            True,
        ),
        # NEW YORK, Feb 26 -   PORTLAND, Ore., Feb 26 -   Toronto, March 3 -
        # (classic wire copy without an agency)
        (
            rf"^\s*(?P<place>[{_UPPER}][\w.'’-]*(?:\s+[{_UPPER}][\w.'’-]*){{0,3}}"
            rf"(?:\s*,\s*[{_UPPER}][\w.]*(?:\s+[{_UPPER}][\w.]*){{0,2}})?)\s*,?\s*"
            rf"(?P<date>(?:{MONTH_RE})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{MONTH_RE})\.?)"
            rf"\s*(?:--|—|–|-|_)\s+(?P<agency>)",
            False,
        ),
    )
)

_DASHES = ("-", "—", "–", "_")


def _form_may_match(index: int, head: str) -> bool:
    """Cheap necessary conditions for ``_FORMS[index]`` to match ``head``.

    Most first paragraphs have no dateline, and the place patterns backtrack a lot before they
    fail, so a form is only tried when the characters it needs are where it needs them:

    * the TASS form needs a ``/``; the ``Place, date (Agency)`` form a ``,``, ``(`` and ``)``;
    * ``Place (Agency)``: the place holds no ``(``, so the first ``(`` opens the agency, and what
      comes before it has at most one ``,`` and no ``/`` or ``)``;
    * the classic ``NEW YORK, Feb 26 -`` form has at most 12 whitespace-separated tokens up to
      its dash (4 place words, a comma and 3 more words, a comma, 2 date tokens, the dash).
    """
    if index == 3:
        return "/" in head
    if index == 4:
        return "(" in head and ")" in head and "," in head
    if index == 5:
        i = head.find("(")
        if i < 1:
            return False
        pre = head[:i]
        return pre.count(",") <= 1 and "/" not in pre and ")" not in pre
    if index == 6:
        first = " ".join(head.split(None, 12)[:12])
        return any(d in first for d in _DASHES)
    return True


_DATE_OK = re.compile(rf"\d|(?<![^\W\d_])(?:{MONTH_RE})(?![^\W\d_])", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"[.!?;:]\s|\"|“|«")


def _place_ok(place: str) -> bool:
    core = re.sub(r"\([^()]*\)", "", place).strip(" ,")
    if not core or len(core) > 60:
        return False
    if core[0].islower():
        return False
    if _SENTENCE_RE.search(core):
        return False
    words = core.replace(",", " ").split()
    if len(words) > 6:
        return False
    # Most words of a place name are capitalised ("Rio de Janeiro", "NEW YORK").
    caps = sum(1 for w in words if not w[0].islower())
    return caps * 2 >= len(words)


# Every form needs one of these: a bracket (the agency forms), a slash (TASS), the Xinhua
# Chinese form's agency name, or a dash followed by white space (the classic form).
_ANY_FORM_RE = re.compile(r"[(/]|新华社|[-—–_]\s")


def _may_have_dateline(head: str) -> bool:
    return _ANY_FORM_RE.search(head) is not None


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the head of ``paragraph``, or ``None`` when it has none."""
    if not paragraph:
        return None
    head = paragraph[:200]
    if not _may_have_dateline(head):
        return None
    for index, (pat, strict) in enumerate(_FORMS):
        if not _form_may_match(index, head):
            continue
        m = pat.match(head)
        if m is None:
            continue
        place = " ".join(m.group("place").split()).strip(" ,")
        if not _place_ok(place):
            continue
        gd = m.groupdict()
        date_text = gd.get("date")
        if date_text is not None:
            date_text = " ".join(date_text.split()).strip(" ,.")
            if not _DATE_OK.search(date_text):
                continue
        raw_agency = gd.get("agency") or ""
        agency: str | None = None
        if raw_agency:
            agency = agency_short_name(raw_agency, strict=strict)
            if agency is None:
                continue
        if m.end() >= len(paragraph.rstrip()):
            # nothing follows: a bare place/agency line is still a dateline
            pass
        return Dateline(place=place, agency=agency, date_text=date_text or None, end=m.end())
    return None
