"""Cluster decisions on the driver, for a link graph small enough to hold there.

The verified links of an archive (pairs the policy links or relates) are few next to the
articles: typically one to three per duplicate. When they fit in memory, connected components
(union-find) and the star rounds run here in plain Python instead of as dozens of small Spark
jobs; the only Spark work left is verifying the (member, kept) pairs that were not candidates.
The rules are the ones :func:`wireingest._archive.job.clusters` applies in DataFrames, step for
step, so both give the same decisions (tested: 2 partitions here against 7 there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["Decisions", "Info", "Link", "decide"]


class Info(NamedTuple):
    """What ordering needs of an article: publication time, id, rank, shingle count."""

    ts: float
    id: str
    rank: int
    nsh: int


class Link(NamedTuple):
    """One verified pair, ``a`` the later article checked against ``b``."""

    a: int
    b: int
    link: bool
    rel: bool
    reason: str | None
    sim: float | None
    containment: float | None


#: ``pairs -> their verified links`` (the Spark job that checks pairs that were no candidates)
Verify = Callable[[Sequence[tuple[int, int]]], Iterable[Link]]


@dataclass
class Decisions:
    """Per article: the reject (kept node, reason, similarity, containment), what a kept one
    supersedes (ids) and the kept article it is related to (id)."""

    rejected: dict[int, tuple[int, str | None, float | None, float | None]] = field(
        default_factory=dict
    )
    supersedes: dict[int, set[str]] = field(default_factory=dict)
    related: dict[int, str | None] = field(default_factory=dict)
    #: articles that are no kept story of their own (rejected or related to another)
    excluded: set[int] = field(default_factory=set)
    rounds: int = 0

    def rows(
        self, info: dict[int, Info]
    ) -> list[tuple[int, str | None, str | None, float | None, float | None, list[str] | None,
                    str | None]]:  # fmt: skip
        """``(node, kept_id, reason, sim, containment, supersedes, related)`` per article
        with a decision."""
        out = []
        for n in sorted({*self.rejected, *self.supersedes, *self.related}):
            kept, reason, sim, cont = self.rejected.get(n, (None, None, None, None))
            sup = self.supersedes.get(n)
            out.append((
                n, info[kept].id if kept is not None else None, reason, sim, cont,
                sorted(sup) if sup else None, self.related.get(n),
            ))  # fmt: skip
        return out


def _components(edges: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Union-find: smallest node of each component -> its members."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for u, v in edges:
        parent.setdefault(u, u)
        parent.setdefault(v, v)
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
    comps: dict[int, list[int]] = {}
    for x in parent:
        comps.setdefault(find(x), []).append(x)
    return comps


def _null_first(x: float | str | None) -> tuple[bool, float | str]:
    """Spark's ascending order of a nullable field: null before any value."""
    return (False, 0.0) if x is None else (True, x)


def decide(
    links: Sequence[Link], info: dict[int, Info], best: bool, chain: str, verify: Verify
) -> Decisions:
    """The decisions :func:`~wireingest._archive.job.clusters` and ``run_job`` derive from
    ``links`` (every verified pair with ``link`` or ``rel``), computed on the driver."""
    known = {(x.a, x.b): x for x in links}

    def order(n: int) -> tuple[float, str, int]:
        i = info[n]
        return (i.ts, i.id, n)

    def key(n: int) -> tuple[object, ...]:
        i = info[n]
        return (-i.rank, -i.nsh, i.ts, i.id, n) if best else (i.ts, i.id, n)

    out = Decisions()
    edges = [(x.a, x.b) for x in links if x.link]
    while True:
        out.rounds += 1
        pairs: list[tuple[int, int, int, int]] = []  # member, kept, a, b
        for members in _components(edges).values():
            kept = min(members, key=key)
            for n in members:
                if n != kept:
                    a, b = (n, kept) if order(n) > order(kept) else (kept, n)
                    pairs.append((n, kept, a, b))
        need = sorted({(a, b) for _, _, a, b in pairs if (a, b) not in known})
        if need:
            for x in verify(need):
                known[(x.a, x.b)] = x
        rest: set[int] = set()
        for n, kept, a, b in pairs:
            x = known[(a, b)]
            if chain == "components":
                fallback = "superseded" if best else "near-duplicate"
                out.rejected[n] = (
                    kept, x.reason if x.link else fallback, x.sim,
                    x.containment if x.link else None,
                )  # fmt: skip
            elif x.link:
                out.rejected[n] = (kept, x.reason, x.sim, x.containment)
            else:
                rest.add(n)
        if chain == "components" or not rest:
            break
        # next round: the links among the articles still undecided
        edges = [(u, v) for u, v in edges if u in rest and v in rest]
        if not edges:
            break
    gone = out.rejected
    if best:
        for n, (kept, *_) in gone.items():
            if order(n) < order(kept):
                out.supersedes.setdefault(kept, set()).add(info[n].id)
    # a kept article that extends another kept one names it (the stream's ``related``), the
    # most contained one first
    rel: dict[int, tuple[object, ...]] = {}
    for x in links:
        if x.rel:
            out.excluded.add(x.a)
            if x.a in gone or x.b in gone:
                continue
            c = None if x.containment is None else -x.containment
            k = (_null_first(c), _null_first(info[x.b].id))
            if x.a not in rel or k < rel[x.a]:
                rel[x.a] = k
                out.related[x.a] = info[x.b].id
    out.excluded.update(gone)
    return out
