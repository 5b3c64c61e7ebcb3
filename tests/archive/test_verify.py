"""Pairs verified in batches decide exactly what verify_pair decides pair by pair (no Spark)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from wireingest._archive import facts as FA
from wireingest._archive.verify import verify_rows
from wireingest._dedup import DedupConfig, verify_pair
from wireingest._dedup._index import MAX_PER_KEY
from wireingest._kernels import verifier


def _inputs() -> list[tuple[str, str, int]]:
    from benchmarks.quality import load_corpus

    recs = list(load_corpus().records)
    body = recs[0]["body"]
    recs += [
        # the same id with other content, and again with the same content
        {**recs[0], "body": body + "\n\nA paragraph added in a later version of the story."},
        dict(recs[0]),
        # bodiless: the same title twice, and a headline of a story with text
        {"id": "h1", "title": recs[1].get("title") or "A headline", "url": "https://x.test/a"},
        {"id": "h2", "title": recs[1].get("title") or "A headline", "url": "https://x.test/b"},
    ]
    return [(json.dumps(r), "in", 1) for r in recs]


@pytest.mark.parametrize("policy", ["first", "best"])
def test_batched_pairs_decide_as_verify_pair(policy: str) -> None:
    cfg = DedupConfig(policy=policy)
    arts = [(n, a) for n, _, _, a, _ in FA.parse_lines(_inputs()) if a is not None]
    # paragraphs of three or more stories are learned boilerplate, so some facts carry the
    # whole text's signature as well (the whole-text rule)
    seen: dict[int, int] = defaultdict(int)
    for f in FA.sign_articles(FA.engine(cfg), arts):
        for p in set(f.paras):
            seen[p] += 1
    facts = FA.sign_articles(FA.engine(cfg, [p for p, c in seen.items() if c >= 3]), arts)
    assert any(f.full_sig for f in facts)
    # candidate pairs as the job makes them: a later article and one before it sharing a key
    order = sorted(range(len(facts)), key=lambda i: (facts[i].ts, facts[i].id, facts[i].node))
    by_key: dict[int, list[int]] = defaultdict(list)
    for i in order:
        for k in set(facts[i].keys):
            by_key[k].append(i)
    pairs = sorted(
        {(ks[x], ks[y]) for ks in by_key.values() for x in range(len(ks))
         for y in range(max(0, x - MAX_PER_KEY), x)}
    )  # fmt: skip
    # and a pair no key makes: an article with text against a bodiless one (which it never
    # matches; the batched path answers it without the checks)
    bodied = next(i for i, f in enumerate(facts) if f.nsh and f.id != "h1")
    bodiless = next(i for i, f in enumerate(facts) if f.id == "h1")
    assert facts[bodiless].nsh == 0
    pairs.append((bodied, bodiless))
    names = ["a", "b", *("o_" + c for c in FA.HELD), *("n_" + c for c in FA.SIGNED)]
    rows: list[tuple[Any, ...]] = [
        (facts[i].node, facts[j].node, *(FA.column(facts[j], c) for c in FA.HELD),
         *(FA.column(facts[i], c) for c in FA.SIGNED))
        for i, j in pairs
    ]  # fmt: skip
    check = verifier()
    got = []
    for lo in range(0, len(rows), 1000):  # several batches, each with its own table
        got += verify_rows(rows[lo : lo + 1000], names, cfg, check)
    assert len(got) == len(pairs) > 2000
    kinds = set()
    for (i, j), g in zip(pairs, got, strict=True):
        new = FA.signed_of(*(getattr(facts[i], c) for c in FA.SIGNED))
        old = FA.held_of(*(getattr(facts[j], c) for c in FA.HELD))
        pf = verify_pair(new, old, cfg, check)
        d = pf.decision
        want = (
            facts[i].node, facts[j].node, not d.emit or (policy == "best" and bool(d.supersedes)),
            d.emit and d.related is not None, d.reason if not d.emit else "superseded",
            d.similarity if d.similarity is not None else pf.jaccard, d.containment,
            new.ts, new.id, new.rank, new.nsh, old.ts, old.id, old.rank, old.nsh,
        )  # fmt: skip
        assert g == want, (facts[i].id, facts[j].id)
        kinds.add(d.reason if not d.emit else ("related" if d.related else "emit"))
    # the inputs reach every kind of decision a pair can get
    common = {"emit", "exact-duplicate", "near-duplicate", "contained", "headline-duplicate"}
    assert kinds == common | ({"superseded"} if policy == "best" else {"related", "duplicate-id"})
