"""Version markers out of titles; editors' notes recognised."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest._meta.version import is_editor_note, split_version


@pytest.mark.parametrize(
    ("title", "rest", "version"),
    [
        ("UPDATE 2-Oil rises on supply worries", "Oil rises on supply worries", "UPDATE 2"),
        ("UPDATE 1-Fed holds rates", "Fed holds rates", "UPDATE 1"),
        ("REFILE-UPDATE 1-Fed holds rates", "Fed holds rates", "REFILE-UPDATE 1"),
        ("CORRECTED-Oil falls", "Oil falls", "CORRECTED"),
        ("CORRECTED-UPDATE 3-Oil falls", "Oil falls", "CORRECTED-UPDATE 3"),
        ("WRAPUP 1-Storm hits coast", "Storm hits coast", "WRAPUP 1"),
        ("WRAPUP-Storm hits coast", "Storm hits coast", "WRAPUP"),
        ("RPT-Markets slide", "Markets slide", "RPT"),
        ("URGENT-Quake hits Japan", "Quake hits Japan", "URGENT"),
        (
            "Election results pour in, 1st Ld-Writethru",
            "Election results pour in",
            "1st Ld-Writethru",
        ),
        ("1stLd-Writethru: Storm batters coast", "Storm batters coast", "1stLd-Writethru"),
        ("BC-US--Election, 2ndLd-Writethru", "BC-US--Election", "2ndLd-Writethru"),
        ("Merkel trifft Macron (Zusammenfassung)", "Merkel trifft Macron", "Zusammenfassung"),
        (
            "Merkel trifft Macron (2. Zusammenfassung 1800)",
            "Merkel trifft Macron",
            "2. Zusammenfassung 1800",
        ),
        ("Eil: Erdbeben in Japan", "Erdbeben in Japan", "Eil"),
        ("Sismo en México (AMPLIACIÓN)", "Sismo en México", "AMPLIACIÓN"),
        ("Bond yields climb (Update 2)", "Bond yields climb", "Update 2"),
    ],
)
def test_version_markers_leave_the_title(title: str, rest: str, version: str) -> None:
    assert split_version(title) == (rest, version)


@pytest.mark.parametrize(
    "title",
    [
        "Oil rises on supply worries",
        "Update: Apple releases iOS 17",  # a headline word, not a wire marker
        "EXCLUSIVE-Company plans job cuts",  # a label, not a version
        "UPDATE 3-",  # nothing would be left
        "Correction",
        "",
    ],
)
def test_titles_without_versions_are_unchanged(title: str) -> None:
    assert split_version(title) == (title, None)


@pytest.mark.parametrize(
    "note",
    [
        "(Adds analyst comment)",
        "(Adds background)",
        "(Updates with closing prices, adds quote in paragraph 5)",
        "(Corrects paragraph 3 to show the vote was on Tuesday)",
        "(This story corrects the spelling of name in paragraph 4)",
        "(Recasts with vote, adds details)",
        "[Updates throughout]",
        "(Neu: Details, Reaktionen)",
        "(Actualiza con declaraciones del ministro)",
        "(Ajoute précisions)",
        "(Aggiorna con dichiarazioni)",
        "Eds: Updates with details.",
    ],
)
def test_editor_notes(note: str) -> None:
    assert is_editor_note(note)


@pytest.mark.parametrize(
    "para",
    [
        "(Reporting by John Smith; Editing by Jane Doe)",
        "(Photo: Reuters)",
        "(The company declined to comment.)",
        "Adds to the pressure on the government, the report said the deficit had doubled.",
        "(Adds analyst comment) " + "x" * 500,
    ],
)
def test_not_editor_notes(para: str) -> None:
    assert not is_editor_note(para)


_TITLE_PARTS = st.sampled_from(
    ["UPDATE 2", "REFILE", "CORRECTED", "1stLd", "Writethru", "Eil", "FLASH", "Urgent",
     "(Zusammenfassung)", "[Update]", "(AMPLIACIÓN 2)", "Markets", "rally", "Merkel", "in",
     "-", ":", "—", "–", ",", ";", "+", "++", " ", " ", "(", ")", "[", "]", "BC-US-Fed"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_TITLE_PARTS, max_size=8).map(" ".join))
def test_marker_character_gate_changes_nothing(title: str) -> None:
    import re
    from unittest import mock

    from wireingest._meta import version

    gated = split_version(title)
    with mock.patch.object(version, "_MARKER_CHAR_RE", re.compile("")):
        assert gated == split_version(title)


def test_version_rank_orders_every_agency_marker_split_version_knows() -> None:
    from wireingest._meta.version import version_rank

    def rank(title: str) -> int:
        _, v = split_version(title)
        assert v is not None, title
        return version_rank(v)

    chains = [  # each agency's versions of one story, oldest first
        ["APNewsAlert: Quake hits city", "Quake hits city, 1stLd-Writethru",
         "Quake hits city, 2nd Ld-Writethru", "BC-Quake, 3rd Ld-Writethru: Quake hits city"],
        ["EIL: Beben erschüttert Stadt", "Beben erschüttert Stadt (Zusammenfassung)",
         "Beben erschüttert Stadt (2. Zusammenfassung 1800)"],
        ["URGENTE: Terremoto sacude ciudad", "Terremoto sacude ciudad (AMPLIACIÓN)",
         "Terremoto sacude ciudad (AMPLIACIÓN 2)"],
        ["FLASH-Quake hits city", "UPDATE 1-Quake hits city", "UPDATE 2-Quake hits city",
         "CORRECTED-UPDATE 2-Quake hits city", "UPDATE 3-Quake hits city"],
        ["Terremoto (AGGIORNAMENTO)", "Terremoto (AGGIORNAMENTO 2)"],
    ]  # fmt: skip
    for chain in chains:
        ranks = [rank(t) for t in chain]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), (chain, ranks)
    assert rank("Quake hits city (Korrektur)") == rank("REFILE-Quake hits city") == 1
    assert rank("RPT-Quake hits city") == 0  # a repeat is the same version
