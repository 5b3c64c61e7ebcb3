"""Wire version markers in titles, and editors' notes in bodies.

:func:`split_version` moves markers such as Reuters' ``UPDATE 2-``, ``REFILE-``,
``CORRECTED-``, ``WRAPUP 1-``, ``RPT-``, AP's ``1stLd-Writethru``/``Correction``/``APNewsAlert``,
dpa's ``(Zusammenfassung)``/``(Neu: ...)``/``Eil:``, EFE's ``(AMPLIACIÓN)`` and similar out of a
title. The returned version keeps the markers as written, joined with ``-``
(``CORRECTED-UPDATE 1``).

:func:`is_editor_note` recognises bracketed editors' notes such as ``(Adds analyst comment)``,
``(Updates with closing prices)``, ``(Corrects paragraph 3 ...)``, ``(This story corrects ...)``
and their French, Spanish, German and Italian counterparts.
"""

from __future__ import annotations

import re

__all__ = ["is_editor_note", "split_version", "version_rank"]

# Reuters-style prefix markers, chained: "CORRECTED-UPDATE 2-", "REFILE-WRAPUP 1-".
_PREFIX_WORD = (
    r"(?:UPDATE|CORRECTED|CORRECTION|REFILE|REPEAT|RPT|WRAPUP|WRAP|RECASTS?|RESENDING|RESEND"
    r"|ADVISORY|FACTBOX|BUZZ|URGENT|FLASH|ALERT|CLARIFICATION|REFILED|UPDATED|OFFICIAL-REVISED"
    r"|WITHDRAWN|KILL|ELIMINAR|AMPLIACI[OÓ]N|ACTUALIZACI[OÓ]N|ACTUALISATION|AGGIORNAMENTO"
    r"|CORREGIDO|CORRIGE|EIL|EILMELDUNG|ZUSAMMENFASSUNG|KORREKTUR|BERICHTIGUNG)"
)
_PREFIX_ONE = rf"{_PREFIX_WORD}(?:\s?\d{{1,2}})?"
_PREFIX_RE = re.compile(
    rf"^\s*(?P<v>{_PREFIX_ONE}(?:\s?[-/]\s?{_PREFIX_ONE})*)\s*(?:-|:|—|–)\s*(?=\S)"
)
# AP: "1stLd-Writethru", "2nd Ld-Writethru", "Writethru", "Correction", "APNewsAlert"
_AP = (
    r"(?:\d{1,2}(?:st|nd|rd|th)\s?Ld[- ]?(?:Writethru|Writethrough)(?:\s*\d+)?"
    r"|\d{1,2}(?:st|nd|rd|th)\s?Ld|Writethru|Writethrough|APNewsAlert|AP News Alert"
    r"|Correction|Corrective|Urgent|Sub|Insert|Advance|Clarification)"
)
_AP_PREFIX_RE = re.compile(
    rf"^\s*(?:BC-[\w-]+,?\s*)?(?P<v>{_AP}(?:\s*,\s*{_AP})*)\s*(?:[:,]|-{{1,2}}|—)\s*(?=\S)"
)
_AP_SUFFIX_RE = re.compile(rf"\s*(?:,|;|—|--|\s-)\s*(?P<v>{_AP}(?:\s*,\s*{_AP})*)\s*$")
# Bracketed suffix/prefix markers: "(Zusammenfassung)", "(2. Zusammenfassung 1800)",
# "(Neu: Details)", "(AMPLIACIÓN 2)", "(ACTUALISATION)", "(UPDATE)", "(CORRECTED)"
_BRACKET = (
    r"(?:\d{1,2}\.\s*)?(?:Zusammenfassung|Korrektur|Berichtigung|Wiederholung|Neu:[^)\]]{0,80}"
    r"|Aktualisiert[^)\]]{0,60}|Eil|Ampliaci[oó]n|Actualizaci[oó]n|Correcci[oó]n|Corregido"
    r"|Repetici[oó]n|Actualisation|Actualisé|Correction|Rectificatif|Aggiornamento|Aggiorna"
    r"|Correzione|Update|Updated|Corrected|Refile|Repeat|Writethru)(?:\s*\d{1,4})*"
)
_FLASH_PREFIX_RE = re.compile(
    r"^\s*(?P<v>EIL(?:MELDUNG)?|Eil(?:meldung)?|URGENTE?|Urgente?|FLASH|Flash|ALERTA|Alerta)"
    r"\s*(?::|\+{1,3}|-)\s*(?=\S)"
)
_ONLY_MARKER_RE = re.compile(rf"^\s*(?:{_AP}|{_PREFIX_ONE})\s*[-:,]?\s*$", re.IGNORECASE)
_BRACKET_SUFFIX_RE = re.compile(rf"\s*[(\[](?P<v>{_BRACKET})[)\]]\s*$", re.IGNORECASE)
_BRACKET_PREFIX_RE = re.compile(rf"^\s*[(\[](?P<v>{_BRACKET})[)\]]\s*[-:]?\s*(?=\S)", re.IGNORECASE)


# Every marker form above needs one of these characters (a dash, colon, comma, semicolon, plus
# or opening bracket): a title without any has no marker.
_MARKER_CHAR_RE = re.compile(r"[-:—–,;+(\[]")


def split_version(title: str) -> tuple[str, str | None]:
    """``(title without version markers, version)``; version is ``None`` when there is none."""
    if not title or _MARKER_CHAR_RE.search(title) is None:
        return title, None
    rest = title
    found: list[str] = []
    for _ in range(4):  # markers can combine: "REFILE-UPDATE 1-... (Zusammenfassung)"
        for rx in (
            _PREFIX_RE,
            _AP_PREFIX_RE,
            _FLASH_PREFIX_RE,
            _BRACKET_PREFIX_RE,
            _BRACKET_SUFFIX_RE,
            _AP_SUFFIX_RE,
        ):
            m = rx.search(rest)
            if m is None:
                continue
            new = (rest[: m.start()] + rest[m.end() :]).strip()
            if not new or _ONLY_MARKER_RE.match(new):
                continue
            found.append(" ".join(m.group("v").split()))
            rest = new
            break
        else:
            break
    if not found:
        return title, None
    return rest, "-".join(found)


_NOTE_VERBS = (
    # English
    r"adds?|updates?|updated|recasts?|corrects?|corrected|changes?|rewrites?|fixes|fixed"
    r"|refiles?|refiled|repeats?|removes?|inserts?|moves?|replaces?|writes? through|writethru"
    r"|new throughout|clarifies|deletes?|restores?|amends?|tops? with|inserts?|releases?"
    r"|re-?issues?|withdraws?|kills?|edits?|expands?|includes?"
    # French
    r"|ajoute|actualis[ée]e?|mise à jour|met à jour|corrige|rectifie|nouveau|nouvelle version"
    r"|remplace|complète|modifie"
    # Spanish / Portuguese
    r"|añade|agrega|amplía|amplia|actualiza|actualizado|corrige|corregido|rectifica|sustituye"
    r"|acrescenta|atualiza|atualizado|corrigido"
    # German
    r"|neu|aktualisiert|ergänzt|berichtigt|korrigiert|präzisiert|erweitert|wiederholt"
    r"|ersetzt|überarbeitet|zusammenfassung"
    # Italian
    r"|aggiunge|aggiorna|aggiornato|corregge|corretto|sostituisce|precisa"
)
_NOTE_RE = re.compile(
    rf"^\s*[(\[]\s*(?:(?:this|the)\s+(?:[\w .,'-]{{0,40}}\s)?(?:story|article|version)\s+"
    rf"(?:has been\s+|was\s+)?(?:{_NOTE_VERBS})|(?:{_NOTE_VERBS})\b)"
    r"[^()\[\]]{0,300}[)\]]\s*\.?\s*$",
    re.IGNORECASE,
)
_EDS_RE = re.compile(
    r"^\s*[(\[]?\s*(?:eds?|editors?'? ?note|note to editors|note aux rédactions|nota del editor"
    r"|hinweis (?:für|an) die redaktion|nota per le redazioni)\s*[:.—-]",
    re.IGNORECASE,
)


def is_editor_note(paragraph: str) -> bool:
    """Whether ``paragraph`` is an editors' note (``(Adds analyst comment)``), not article text."""
    if not paragraph or len(paragraph) > 400:
        return False
    # both patterns start with optional white space, then a bracket or (only _EDS_RE) one of
    # its words: e, n, h (any case) -- most paragraphs fail this without running a regex
    first = paragraph.lstrip()[:1]
    if first not in _NOTE_FIRST:
        return False
    return bool(_NOTE_RE.match(paragraph) or _EDS_RE.match(paragraph))


_NOTE_FIRST = frozenset("([EeNnHh")


# -- ranking versions (policy ``best``): every marker split_version knows ----------------------
# Updates that add to a story, numbered after the marker ("UPDATE 2", "AMPLIACIÓN 2"), before it
# as an ordinal ("2nd Ld-Writethru", "2. Zusammenfassung 1800": 1800 is a time) or unnumbered (1).
_UPDATE_AFTER_RE = re.compile(
    r"\b(?:UPDATED?|WRAPUP|WRAP|WRITETHRU|WRITETHROUGH|AMPLIACI[OÓ]N|ACTUALIZACI[OÓ]N"
    r"|ACTUALISATION|ACTUALISÉ|AGGIORNAMENTO|AGGIORNA|AKTUALISIERT|ZUSAMMENFASSUNG|NEU:)"
    r"(?:\s?(\d{1,2})\b(?!\d))?"
)
_UPDATE_BEFORE_RE = re.compile(r"\b(\d{1,2})(?:ST|ND|RD|TH)\s?LD\b|\b(\d{1,2})\.\s*ZUSAMMENFASSUNG")
# Replacements of the same version: corrections, refiles, recasts, substitutes (+ half a step).
_CORRECTION_RE = re.compile(
    r"CORRECT|CORRIGE|CORREGIDO|CORRECCI[OÓ]N|CORREZIONE|RECTIFICATIF|KORREKTUR|BERICHTIGUNG"
    r"|CLARIFICATION|REFILE|RECAST|OFFICIAL-REVISED|\bSUB\b"
)
# First, short alerts that a full story follows: below an unmarked story.
_ALERT_RE = re.compile(r"\b(?:FLASH|ALERTA?|URGENTE?|APNEWSALERT|AP NEWS ALERT|EIL|EILMELDUNG)\b")


def version_rank(version: str | None) -> int:
    """Order of wire versions, as :func:`split_version` returns them (policy ``best``).

    None or a repeat (``RPT``, ``Wiederholung``) 0; an update ``n`` (Reuters ``UPDATE n``,
    ``WRAPUP n``; AP ``nth Ld-Writethru``, ``Writethru``; dpa ``n. Zusammenfassung``,
    ``Aktualisiert``, ``Neu: ...``; EFE ``AMPLIACIÓN n``, ``ACTUALIZACIÓN``; AFP
    ``ACTUALISATION``; ANSA ``AGGIORNAMENTO``; unnumbered = 1) ``2n``; a correction, refile,
    recast or substitute of a version adds 1; an alert alone (``FLASH``, ``URGENT``,
    ``APNewsAlert``, ``EIL``) is -1, below the story that follows it.
    """
    if not version:
        return 0
    v = version.upper()
    n = 0
    for m in _UPDATE_BEFORE_RE.finditer(v):
        n = max(n, int(m.group(1) or m.group(2)))
    for m in _UPDATE_AFTER_RE.finditer(v):
        n = max(n, int(m.group(1)) if m.group(1) else 1)
    rank = 2 * n
    if _CORRECTION_RE.search(v):
        rank += 1
    elif n == 0 and _ALERT_RE.search(v):
        rank = -1
    return rank
