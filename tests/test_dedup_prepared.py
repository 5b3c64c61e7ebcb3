"""Dedup preparation made elsewhere (``Preparer``, as ``wireingest run --workers`` does in
worker processes) gives the same decisions as the engine preparing everything itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from wireingest._dedup import DedupConfig, Deduplicator
from wireingest._dedup.engine import Preparer
from wireingest._kernels import BACKENDS
from wireingest.types import Article

BBC = Path(__file__).parent / "data" / "dedup" / "bbc"
FOOTER = "Follow the newsroom on social media for more of the day's news from the region"


def corpus() -> list[Article]:
    """Real stories, near and exact copies, a footer shared by many (the engine's boilerplate
    sketch strips it once it is common), headline-only items, a Chinese story."""
    files = sorted(BBC.glob("*/*.txt"))[:150]
    out: list[Article] = []
    for i, f in enumerate(files):
        title, _, body = f.read_text("utf-8").partition("\n")
        body = body.strip()
        if i % 2:
            body += "\n\n" + FOOTER
        out.append(Article(id=f"a{i}", body=body, title=title, language="en"))
        if i % 5 == 0:  # a near copy later on: two words changed, the last paragraph gone
            words = body.split(" ")
            words[3], words[-4] = "Tuesday", "said"
            near = " ".join(words).rsplit("\n\n", 1)[0]
            out.append(Article(id=f"n{i}", body=near, title=title, language="en"))
        if i % 11 == 0:
            out.append(Article(id=f"x{i}", body=body, language="en"))
        if i % 17 == 0:
            out.append(Article(id=f"h{i}", body="", title=title, url=f"https://x.example/{i % 3}"))
    out.insert(40, Article(id="zh", body="中国经济今年增长了百分之五，国家统计局周一表示。" * 4))
    return out


def decide(arts: list[Article], backend: str, prepared: bool, holes: bool = False) -> list[str]:
    cfg = DedupConfig()
    d = Deduplicator(cfg, backend=backend)
    prep = Preparer(cfg, backend=backend)
    out = []
    for lo in range(0, len(arts), 64):
        batch = arts[lo : lo + 64]
        packs = None
        if prepared:
            packs = []
            for g in range(0, len(batch), 24):  # worker groups that do not match the batches
                pr = prep.prepare(batch[g : g + 24])
                packs += [(pr, j) for j in range(len(pr))]
            if holes:  # some articles prepared by the engine itself (stripped in the pipeline)
                packs[3] = packs[len(packs) // 2] = None
        for a, dec in zip(batch, d.check_many(batch, now=0.0, prepared=packs), strict=True):
            out.append(f"{a.id} {dec.emit} {dec.reason} {dec.duplicate_of} {dec.similarity}")
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_prepared_elsewhere_gives_the_same_decisions(backend: str) -> None:
    arts = corpus()
    own = decide(arts, backend, prepared=False)
    assert own == decide(arts, backend, prepared=True)
    assert own == decide(arts, backend, prepared=True, holes=True)
    # the corpus exercises what it is meant to: copies dropped, the footer stripped
    assert sum(" False " in d for d in own) >= 40
    stripped = []

    class Counting(Deduplicator):
        def _strip_boilerplate(self, prep, flags):  # type: ignore[no-untyped-def]
            t = super()._strip_boilerplate(prep, flags)
            stripped.append(t is not None)
            return t

    d = Counting(DedupConfig(), backend=backend)
    for lo in range(0, len(arts), 64):
        d.check_many(arts[lo : lo + 64], now=0.0)
    assert sum(stripped) >= 20
