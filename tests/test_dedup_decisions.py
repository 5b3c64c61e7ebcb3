"""The engine's decisions on the labelled corpora, pinned: every decision (emitted or not,
reason, matched id, superseded ids, every linked id) of the syndication and hard corpora
under several settings, with the compiled kernels and with the numpy fallback, against a
recorded digest. A change to how candidates are found or checked (the hot path) must leave
these unchanged; a change to the policy that means to change decisions regenerates the file
(``python -m tests.test_dedup_decisions``) and says why in its commit."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks import quality
from wireingest import Article
from wireingest._dedup import DedupConfig, Deduplicator

GOLDEN = Path(__file__).parent / "data" / "dedup" / "decisions_golden.json"
CORPORA = {"syndication": quality.DEFAULT_CORPUS, "hard": quality.HARD_CORPUS}
SETTINGS: dict[str, dict[str, Any]] = {
    "default": {},
    "best": {"policy": "best"},
    "words-0.8": {"ocr_fold": False, "containment": 0.8},
    "window-2d": {"window": 2 * 86400.0},
}


def _articles(corpus: str, setting: str) -> list[Article]:
    c = quality.load_corpus(CORPORA[corpus])
    records = c.chronological() if setting.startswith("window") else c.shuffled()
    return [
        Article(id=str(r["id"]), body=str(r["body"]), title=r.get("title"), url=r.get("url"),
                source=r.get("source"), published=r.get("published"),
                language=r.get("language"), version=r.get("version"))
        for r in records
    ]  # fmt: skip


def decisions(corpus: str, setting: str, backend: str) -> dict[str, Any]:
    arts = _articles(corpus, setting)
    d = Deduplicator(DedupConfig(**SETTINGS[setting]), backend=backend)
    out = []
    for k in range(0, len(arts), 64):
        out.extend(d.check_many(arts[k : k + 64], now=2e9))  # (undated: the far future)
    rows = [
        [a.id, x.emit, x.reason, x.duplicate_of, list(x.supersedes), list(x.matches)]
        for a, x in zip(arts, out, strict=True)
    ]
    digest = hashlib.blake2b(json.dumps(rows).encode(), digest_size=16).hexdigest()
    reasons = Counter(x.reason or "emitted" for x in out)
    return {"digest": digest, "reasons": dict(sorted(reasons.items()))}


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("setting", sorted(SETTINGS))
@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_decisions_are_the_recorded_ones(corpus: str, setting: str, backend: str) -> None:
    golden = json.loads(GOLDEN.read_text())[f"{corpus}/{setting}"]
    assert decisions(corpus, setting, backend) == golden


if __name__ == "__main__":
    table = {f"{c}/{s}": decisions(c, s, "numba") for c in sorted(CORPORA) for s in sorted(SETTINGS)}
    GOLDEN.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    print(json.dumps(table, indent=1, sort_keys=True))
