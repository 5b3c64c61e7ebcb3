"""Dedup on hard material (#15): stories of one template that differ only in their figures are kept apart (the figure test
of the same-story rule), a "news in brief" roundup is not "contained" in the story whose lede
opens it (the rest-beyond-the-lede rule), and the copies those rules must not split still
match (#15)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from benchmarks import quality
from wireingest import Article, DedupConfig
from wireingest._dedup import Deduplicator
from wireingest._dedup._text import figure_mask, figure_masks, figures_of, normalize
from wireingest._kernels.minhash import encode_batch

TEMPLATES = [
    "Dock workers at the port of city number {a} walked out on Monday in a dispute over pay "
    "and shift patterns, halting container traffic at berth {b}, union officials said. Talks "
    "with the port authority about the {c}th proposal resume on Wednesday.",
    "Tokyo stocks closed higher on Tuesday, with the benchmark Nikkei average up {a}.{b} "
    "percent at {c},{d} points as exporters gained on a weaker yen. Turnover on the main "
    "board was {e} million shares, against {f} million the day before.",
    "An earthquake of magnitude {a}.{b} struck {c} kilometres off the east coast at a depth "
    "of {d} kilometres early on Sunday, the national geological survey said. There were no "
    "immediate reports of damage or casualties.",
]


def _template_stories(seed: int, per: int) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for t, tpl in enumerate(TEMPLATES):
        for i in range(per):
            body = tpl.format(**{k: rng.randint(2, 899) for k in "abcdef"})
            out.append(Article(id=f"t{t}-{i}", title="Report", body=body, language="en"))
    return out


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_template_stories_that_differ_in_figures_are_kept_apart(backend: str) -> None:
    stories = _template_stories(11, 40)
    decisions = Deduplicator(DedupConfig(), backend=backend).check_many(stories)
    kept = sum(d.emit for d in decisions)
    # before the figure test most of these were joined (12 of 50 port stories were kept)
    assert kept >= 118, [(d.reason, d.duplicate_of) for d in decisions if not d.emit]


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_copies_of_a_template_story_still_match(backend: str) -> None:
    stories = _template_stories(12, 5)
    base = stories[0]
    body = base.body
    copies = [
        # an outlet wrap: byline with a time stamp (figures of its own) and a footer
        Article(id="wrap", language="en", body="By our correspondent | Published 3 March "
                "2005, 17:52 GMT\n\n" + body + "\n\nCopyright 2005 Daily Ledger."),
        # a dateline added before the lede: one more figure of four
        Article(id="dateline", language="en", body="LONDON, March 3 - " + body),
        # a teaser: the first sentence
        Article(id="teaser", language="en", body=body.split(". ")[0] + "."),
        # a marked update that corrects a figure (versions may change their figures)
        Article(id="update", language="en", version="UPDATE 1",
                body=body.replace(body.split("berth ")[1].split(",")[0], "17")),
    ]  # fmt: skip
    d = Deduplicator(DedupConfig(), backend=backend)
    assert all(x.emit for x in d.check_many(stories))
    decisions = d.check_many(copies)
    # every copy is linked to its story (the wrap, longer, is emitted as extending it)
    assert all(base.id in x.matches for x in decisions), decisions
    assert [x.emit for x in decisions] == [True, False, False, False]


def _hard(*ids: str) -> list[Article]:
    recs = {r["id"]: r for r in quality.load_corpus(quality.HARD_CORPUS).records}
    return [Article(id=i, body=recs[i]["body"], language="en") for i in ids]


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_a_roundup_opening_with_one_storys_lede_is_its_own_article(backend: str) -> None:
    # hard-01106 quotes the first paragraphs of four stories; the first, 65 % of its text, is
    # the lede of the story hard-00263 is a noisy reprint of (it was "contained" at 0.7)
    story, roundup = _hard("hard-00263", "hard-01106")
    d = Deduplicator(DedupConfig(), backend=backend)
    assert d.check(story).emit
    assert d.check(roundup).emit
    # an abridged copy of the same story with an outlet footer is still contained
    paras = story.body.split("\n\n")
    abridged = Article(id="abr", language="en", body="\n\n".join(
        [paras[0], paras[1], "Copyright 2005 Daily Ledger. All rights reserved."]))  # fmt: skip
    x = d.check(abridged)
    assert (x.reason, x.duplicate_of) == ("contained", story.id)


def test_compiled_figures_equal_the_reference() -> None:
    from wireingest import _kernels

    assert _kernels.load()
    corpus = quality.load_corpus(quality.HARD_CORPUS)
    texts = [normalize(r.get("body") or "")[:400] for r in corpus.shuffled()[:300]]
    rnd = random.Random(5)
    pieces = ["0", "1", "2", "5", "9", "o", "l", "i", ".", ",", " ", "a", "x", "%", "\u00e9",
              "\u00d7", "\u2019", "?", "\u201d", "\n", "\u4e16"]  # fmt: skip
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14))) for _ in range(4000)]
    reference = [figure_mask(t) for t in texts]
    cps, off = encode_batch(texts)
    assert figure_masks(cps, off, np.arange(len(texts))).tolist() == reference
    latin = [k for k, t in enumerate(texts) if all(ord(c) < 256 for c in t)]
    cps, off = encode_batch([texts[k] for k in latin], compact=True)
    assert cps.dtype == np.uint8
    got = figure_masks(cps, off, np.arange(len(latin))).tolist()
    assert got == [reference[k] for k in latin]


def test_figures_read_through_ocr_damage() -> None:
    def f(text: str) -> list[int]:
        return figures_of(figure_mask(normalize(text)))

    assert f("up to 5o of its") == f("up to 50 of its") != []
    assert f("closed down l8% after") == f("closed down 18% after") != []
    assert f("Japan air1ines") == []  # a digit inside a word is no figure
    assert len(f("1 2 3 4 5")) == 3  # the first three
    assert figure_mask("no figures.") != 0 and figures_of(figure_mask("no figures.")) == []


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_no_roundup_is_contained_in_a_story_it_quotes_in_other_orders(backend: str) -> None:
    # the whole hard corpus in another input order (seed 8): there a roundup of 575 characters
    # that quotes the lede of a 4,471-character story (a quarter of it is in the story) was
    # "contained" in it at 0.70: the size-scaled estimate rests on ~11 permutations for such
    # a pair; the share of the roundup's own permutations that the story shares caps it
    corpus = quality.load_corpus(quality.HARD_CORPUS)
    records = corpus.shuffled(8)
    arts = [
        Article(id=r["id"], title=r.get("title"), body=r.get("body") or "", language="en",
                published=r.get("published"), version=r.get("version"))
        for r in records
    ]  # fmt: skip
    d = Deduplicator(DedupConfig(), backend=backend)
    decisions = [x for k in range(0, len(arts), 64) for x in d.check_many(arts[k : k + 64])]
    roundups = {i for i, lab in corpus.labels.items() if lab["kind"] == "roundup"}
    dropped = [(a.id, x.reason, x.duplicate_of) for a, x in zip(arts, decisions, strict=True)
               if a.id in roundups and not x.emit]  # fmt: skip
    assert dropped == []


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_short_releases_under_one_disclaimer_are_kept_apart(backend: str) -> None:
    # 50 one-line results releases under shared disclaimers (another draw of the hard corpus):
    # a release's line is a lede of ~12 shingles in a ~200-shingle article, so its
    # containment in another release rests on ~7 permutations; three were "contained" by
    # chance (and then near duplicates: the disclaimer is most of the text) until the lede's
    # claim was capped like the article's
    path = Path(__file__).parent / "data" / "dedup" / "releases" / "disclaimer_releases.jsonl"
    arts = [
        Article(id=r["id"], title=r["title"], body=r["body"], language="en")
        for r in map(json.loads, path.read_text().splitlines())
    ]
    decisions = Deduplicator(DedupConfig(), backend=backend).check_many(arts)
    assert [(a.id, x.reason) for a, x in zip(arts, decisions, strict=True) if not x.emit] == []


def _bbc(name: str) -> list[str]:
    text = (Path(__file__).parent / "data" / "dedup" / "bbc" / name).read_text(encoding="latin-1")
    return [p.strip() for p in text.split("\n\n")[1:] if p.strip()]


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_a_copy_still_finds_its_story_once_the_lede_is_learned_boilerplate(backend: str) -> None:
    # a story's lede quoted in three roundups is learned as boilerplate (seen in three other
    # emitted articles); an abridged copy of the story is then signed without its lede, and
    # must still find the story through the anchors of its whole text
    story = _bbc("sport/034.txt")  # 24 paragraphs: a copy of four is far from it in Jaccard
    others = [_bbc(f"tech/{k:03d}.txt") for k in range(10, 19)]
    d = Deduplicator(DedupConfig(), backend=backend)
    arts = [Article(id="story", body="\n\n".join(story), language="en")]
    for r in range(3):
        quoted = [story[0]] + [o[0] for o in others[3 * r : 3 * r + 3]]
        arts.append(Article(id=f"roundup{r}", body="\n\n".join(quoted), language="en"))
    assert all(x.emit for x in d.check_many(arts))
    copy = Article(id="copy", language="en", body="\n\n".join(
        [story[0], *story[1:4], "Copyright 2005 Daily Ledger. All rights reserved."]))  # fmt: skip
    from wireingest._dedup._text import normalize, paragraph_key

    lede_key = paragraph_key(normalize(story[0]))
    assert d._boiler.counts(np.array([lede_key], dtype=np.uint32))[0] >= 3  # learned
    x = d.check(copy)
    assert "story" in x.matches, x
