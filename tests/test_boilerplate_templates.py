"""Template items from one source (real Reuters-21578 results items): the learned boilerplate
model must not gut them, and different companies' results must never become duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from wireingest import Article, Document, Pipeline

DATA = Path(__file__).parent / "data" / "reuters" / "earnings.jsonl"


def _records() -> list[dict[str, str]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def test_results_items_keep_their_figures_and_stay_distinct() -> None:
    records = _records()
    assert len(records) >= 60  # one source, one template, different companies
    docs = [Document(json.dumps(r), content_type="application/json") for r in records]
    with Pipeline() as pipeline:
        results = list(pipeline.process(docs))
    by_id = {r["id"]: r for r in records}
    articles = [r for r in results if isinstance(r, Article)]
    rejected = [r for r in results if not isinstance(r, Article)]
    # every item is its own company's results: none is a duplicate of another
    assert [r.reason for r in rejected] == [], [(r.id, r.message) for r in rejected]
    assert len(articles) == len(records)
    for a in articles:
        words_in = len(by_id[a.id]["body"].split())
        # the figure lines ("Shr 35 cts vs 40 cts", "Net ... vs ...") are the article: the
        # model may take a footer line, never most of the text
        assert 2 * len(a.body.split()) >= words_in, (a.id, a.body)
