"""Cluster decisions on the driver (no Spark): stars, components, best, related."""

from __future__ import annotations

from collections.abc import Sequence

from wireingest._archive.driver import Info, Link, decide

# A~B, B~C, A and C not similar (their pair is verified on demand), D related to A
INFO = {
    1: Info(1.0, "A", 0, 40),
    2: Info(2.0, "B", 1, 50),
    3: Info(3.0, "C", 0, 40),
    4: Info(4.0, "D", 0, 60),
}
LINKS = [
    Link(2, 1, True, False, "near-duplicate", 0.8, 0.9),
    Link(3, 2, True, False, "near-duplicate", 0.75, 0.8),
    Link(4, 1, False, True, None, 0.4, 0.7),
]


class Checker:
    def __init__(self, linked: set[tuple[int, int]]) -> None:
        self.linked = linked
        self.asked: list[tuple[int, int]] = []

    def __call__(self, pairs: Sequence[tuple[int, int]]) -> list[Link]:
        self.asked += pairs
        return [Link(a, b, (a, b) in self.linked, False, "near-duplicate", 0.3, None)
                for a, b in pairs]  # fmt: skip


def test_star_keeps_what_does_not_resemble_the_kept_one() -> None:
    check = Checker(set())
    d = decide(LINKS, INFO, False, "star", check)
    assert check.asked == [(3, 1)]  # C against the kept A: no candidate, verified on demand
    assert d.rejected == {2: (1, "near-duplicate", 0.8, 0.9)}
    assert d.related == {4: "A"}
    assert d.excluded == {2, 4}
    assert d.rounds == 1  # C is left alone: no link among the undecided


def test_components_rejects_the_whole_chain() -> None:
    d = decide(LINKS, INFO, False, "components", Checker(set()))
    assert d.rejected == {
        2: (1, "near-duplicate", 0.8, 0.9),
        3: (1, "near-duplicate", 0.3, None),
    }


def test_star_rounds_and_best() -> None:
    # under best the kept one is B (highest rank); A and C link to it directly
    d = decide(LINKS, INFO, True, "star", Checker(set()))
    assert d.rejected == {1: (2, "near-duplicate", 0.8, 0.9), 3: (2, "near-duplicate", 0.75, 0.8)}
    assert d.supersedes == {2: {"A"}}
    assert d.related == {}  # A is gone, so D names no kept article
    rows = d.rows(INFO)
    assert rows[0] == (1, "B", "near-duplicate", 0.8, 0.9, None, None)
    assert (2, None, None, None, None, ["A"], None) in rows
