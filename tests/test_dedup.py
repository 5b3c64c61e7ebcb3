"""Dedup decisions on real BBC stories and syndicated variants of them (in memory)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest._dedup import (
    Decision,
    DedupConfig,
    Deduplicator,
    default_params,
    version_rank,
)
from wireingest.types import Article

BBC = Path(__file__).parent / "data" / "dedup" / "bbc"

DISCLAIMER = (
    "About this release: this press release contains forward-looking statements within the "
    "meaning of applicable securities laws, including statements about expected results, "
    "plans, products and markets. Such statements involve known and unknown risks, "
    "uncertainties and other factors that may cause actual results to differ materially from "
    "those expressed or implied. Readers are cautioned not to place undue reliance on them. "
    "The company undertakes no obligation to update any forward-looking statement, whether as "
    "a result of new information, future events or otherwise, except as required by law. For "
    "further information about the risks, please see the annual report filed with the "
    "regulator, available on the investor relations section of the company website, and "
    "contact the media office during normal business hours for any questions. This release "
    "is provided for information only and does not constitute an offer to sell or the "
    "solicitation of an offer to buy any securities in any jurisdiction."
)


def load(name: str) -> Article:
    text = (BBC / name).read_text("utf-8")
    title, _, body = text.partition("\n")
    return Article(id=name, title=title, body=body.strip(), language="en")


def corpus() -> list[Article]:
    return [load(str(p.relative_to(BBC))) for p in sorted(BBC.glob("*/*.txt"))]


def variant(a: Article, suffix: str, body: str, **kw: object) -> Article:
    return replace(a, id=f"{a.id}#{suffix}", body=body, **kw)  # type: ignore[arg-type]


def wrapped(a: Article) -> Article:
    paras = [
        "By Staff Reporter | Published 12 March 2005",
        *a.paragraphs,
        "Copyright 2005 Daily Outlet. All rights reserved.",
        "Follow us on Twitter and Facebook for more stories like this.",
    ]
    return variant(a, "wrap", "\n\n".join(paras))


def reflowed(a: Article) -> Article:
    paras = a.paragraphs
    merged = [" ".join(paras[i : i + 2]) for i in range(0, len(paras), 2)]
    text = "\n\n".join(merged).replace('"', "\u201c").replace(" - ", " \u2014 ")
    return variant(a, "reflow", text)


def retyped(a: Article, rate: float = 0.01, seed: int = 3) -> Article:
    """Swap two letters in about ``rate`` of the words (at least two words)."""
    rng = random.Random(seed)
    paras = [p.split() for p in a.paragraphs]
    spots = [
        (i, j) for i, p in enumerate(paras) for j, w in enumerate(p) if len(w) > 3 and w[1] != w[2]
    ]
    for i, j in rng.sample(spots, max(2, round(rate * len(spots)))):
        w = paras[i][j]
        paras[i][j] = w[0] + w[2] + w[1] + w[3:]
    return variant(a, "retype", "\n\n".join(" ".join(p) for p in paras))


def brief(a: Article) -> Article:
    return variant(a, "brief", "\n\n".join(a.paragraphs[:2]))


def update(a: Article, n: int = 1) -> Article:
    paras = a.paragraphs
    new = (
        f"Officials gave further details on Tuesday in update number {n}, saying the figures "
        "published earlier would be revised after a review of the data by the national office."
    )
    return variant(a, f"upd{n}", "\n\n".join([paras[0], new, *paras[1:]]), version=f"UPDATE {n}")


# -- configuration ---------------------------------------------------------------------------
def test_config_defaults_and_validation() -> None:
    cfg = DedupConfig()
    assert cfg.bands == default_params(0.8, 128) == (16, 8)
    assert "num_perm=128" in cfg.fingerprint() and "bands=16x8" in cfg.fingerprint()
    assert DedupConfig(params=(20, 5)).bands == (20, 5)
    # the fingerprint ignores settings that do not shape the stored index
    assert DedupConfig(window=3600, policy="best").fingerprint() == cfg.fingerprint()
    for bad, msg in [
        ({"threshold": 0.0}, "threshold"),
        ({"num_perm": 8}, "num_perm"),
        ({"params": (17, 8)}, "bands \\* rows"),
        ({"shingle_size": 0}, "shingle_size"),
        ({"window": -1.0}, "window"),
        ({"policy": "last"}, "policy"),
        ({"containment": 1.5}, "containment"),
    ]:
        with pytest.raises(ValueError, match=msg):
            DedupConfig(**bad)  # type: ignore[arg-type]


def test_version_rank_orders_wire_versions() -> None:
    assert version_rank(None) < version_rank("UPDATE 1") < version_rank("UPDATE 2")
    assert version_rank("UPDATE 2") < version_rank("CORRECTED-UPDATE 2") < version_rank("UPDATE 3")
    assert version_rank("REFILE") == version_rank("CORRECTED") == 1


# -- exact and near duplicates on real stories ------------------------------------------------
def test_bbc_natural_twins_are_exact_duplicates_and_nothing_else_merges() -> None:
    arts = corpus()
    d = Deduplicator()
    decisions = d.check_many(arts)
    dropped = {a.id: dec for a, dec in zip(arts, decisions, strict=True) if not dec.emit}
    # byte-identical pairs documented in tests/data/dedup/PROVENANCE.md (checked by md5sum)
    assert dropped["tech/176.txt"] == Decision(
        False, "exact-duplicate", "tech/132.txt", 1.0, matches=("tech/132.txt",)
    )
    assert dropped["tech/179.txt"].duplicate_of == "tech/131.txt"
    assert dropped["tech/063.txt"].duplicate_of == "tech/004.txt"
    assert dropped["entertainment/261.txt"].duplicate_of == "entertainment/129.txt"
    assert all(dec.reason == "exact-duplicate" for dec in dropped.values())
    texts = {a.body for a in arts}
    assert len(d) == len(texts) == len(arts) - len(dropped)  # distinct stories all kept


@pytest.mark.parametrize("make", [wrapped, retyped], ids=lambda f: f.__name__)
def test_syndicated_copies_are_near_duplicates(make) -> None:  # type: ignore[no-untyped-def]
    d = Deduplicator()
    originals = [load(f"politics/0{i:02d}.txt") for i in range(10, 20)]
    assert all(x.emit for x in d.check_many(originals))
    for a in originals:
        dec = d.check(make(a))
        assert not dec.emit
        assert dec.reason == "near-duplicate", (a.id, dec)
        assert dec.duplicate_of == a.id
        assert dec.similarity is not None and 0.8 <= dec.similarity <= 1.0  # (ocr15: OCR fold)


def test_reflowed_copy_is_an_exact_duplicate_of_the_normalised_text() -> None:
    # same words; paragraphs merged, typographic quotes and dashes: equal after normalisation
    d = Deduplicator()
    a = load("politics/021.txt")
    assert d.check(a).emit
    assert d.check(reflowed(a)) == Decision(False, "exact-duplicate", a.id, 1.0, matches=(a.id,))


def test_doubled_page_is_an_exact_duplicate() -> None:
    a = load("business/001.txt")
    doubled = variant(a, "double", a.body + "\n\n" + a.body)  # the story twice on one page
    d = Deduplicator()
    assert d.check(a).emit
    assert d.check(doubled) == Decision(False, "exact-duplicate", a.id, 1.0, matches=(a.id,))


def test_brief_is_contained_in_its_story() -> None:
    d = Deduplicator()
    stories = [a for a in corpus()[200:260] if len(a.paragraphs) >= 6][:10]
    assert len(stories) == 10
    d.check_many(stories)
    for a in stories:
        dec = d.check(brief(a))
        assert (dec.emit, dec.reason, dec.duplicate_of) == (False, "contained", a.id)
        assert dec.matches == (a.id,)
        assert dec.containment is not None and dec.containment >= 0.9
        assert dec.similarity is not None and dec.similarity < 0.8


def test_shared_disclaimer_does_not_merge_distinct_releases() -> None:
    # 15 short releases: a real lead paragraph each, the same 150-word disclaimer
    leads = [load(f"business/0{i:02d}.txt").paragraphs[0] for i in range(30, 45)]
    assert len(DISCLAIMER.split()) >= 150
    releases = [
        Article(id=f"pr{i}", body=f"{lead}\n\n{DISCLAIMER}", language="en")
        for i, lead in enumerate(leads)
    ]
    d = Deduplicator()
    decisions = d.check_many(releases)
    assert [x.emit for x in decisions] == [True] * len(releases)
    # the disclaimer is learned as boilerplate, and copies are still caught
    again = d.check(replace(releases[3], id="pr3-copy"))
    assert (again.reason, again.duplicate_of) == ("exact-duplicate", "pr3")
    # an outlet that drops the legal boilerplate: the same release, once it is known
    dec = d.check(replace(releases[12], id="pr12-short", body=leads[12]))
    assert (dec.reason, dec.duplicate_of, dec.similarity) == ("near-duplicate", "pr12", 1.0)


def test_check_many_equals_sequential_check() -> None:
    base = [load(f"tech/0{i:02d}.txt") for i in range(40, 52)]
    stream: list[Article] = []
    for i, a in enumerate(base):
        stream.append(a)
        stream.append([wrapped, reflowed, retyped, brief][i % 4](a))  # dupes inside the batch
    leads = [load(f"business/0{i:02d}.txt").paragraphs[0] for i in range(45, 57)]
    stream += [Article(id=f"pr{i}", body=f"{lead}\n\n{DISCLAIMER}") for i, lead in
               enumerate(leads)]  # fmt: skip
    one = Deduplicator()
    sequential = [one.check(a, now=1e9) for a in stream]
    many = Deduplicator()
    batched = many.check_many(stream, now=1e9)
    assert batched == sequential
    assert sum(x.emit for x in batched) == len(base) + len(leads)
    # the same index too: the disclaimer became boilerplate inside the batch, so the later
    # releases were signed without it, exactly as one by one
    used = one._slots.used
    assert many._slots.used == used
    assert np.array_equal(many._slots.sig[:used], one._slots.sig[:used])
    assert many._slots.nsh[:used].tolist() == one._slots.nsh[:used].tolist()
    assert min(one._slots.nsh[used - 6 : used]) < 40  # stripped: the lead paragraph only


# -- policies ---------------------------------------------------------------------------------
def test_policy_first_keeps_first_copy() -> None:
    a = load("politics/030.txt")
    d = Deduplicator(DedupConfig(policy="first"))
    assert d.check(a).emit
    dec = d.check(update(a))
    assert (dec.emit, dec.reason, dec.duplicate_of) == (False, "near-duplicate", a.id)
    # a full story after its teaser carries much more text: emitted and linked
    b = load("politics/031.txt")
    assert d.check(brief(b)).emit
    full = d.check(b)
    assert full.emit and full.related == f"{b.id}#brief" and full.supersedes == ()


def test_policy_best_emits_newer_versions_with_supersedes() -> None:
    a = load("politics/032.txt")
    d = Deduplicator(DedupConfig(policy="best"))
    assert d.check(a) == Decision(True)
    u1 = update(a, 1)
    dec = d.check(u1)
    assert dec.emit and dec.supersedes == (a.id,)
    # a late copy of the first version, and an older version, are superseded by UPDATE 1
    late = d.check(replace(a, id="late-copy"))
    assert (late.emit, late.reason, late.duplicate_of) == (False, "superseded", u1.id)
    assert d.check(retyped(a)).reason == "superseded"
    # the same version again is a plain duplicate of the current one
    assert d.check(replace(u1, id="u1-copy")).reason == "exact-duplicate"
    u2 = update(u1, 2)
    assert d.check(u2).supersedes == (u1.id,)
    stale = d.check(replace(u1, id="u1-late", body=u1.body + "\n\nExtra line at the end."))
    assert (stale.reason, stale.duplicate_of) == ("superseded", u2.id)
    # briefs stay briefs
    assert d.check(brief(a)).reason in ("contained", "superseded")
    # teaser first, then the full story: the full story replaces it
    b = load("politics/033.txt")
    assert d.check(brief(b)).emit
    full = d.check(b)
    assert full.emit and full.supersedes == (f"{b.id}#brief",)


# -- time window ------------------------------------------------------------------------------
def iso(ts: float) -> str:
    import time as _t

    return _t.strftime("%Y-%m-%dT%H:%M:%SZ", _t.gmtime(ts))


def test_window_forgets_old_articles_by_publication_time() -> None:
    t0 = 1_100_000_000.0
    a = replace(load("business/010.txt"), published=iso(t0))
    other = [replace(load(f"sport/0{i:02d}.txt"), published=iso(t0 + h * 3600)) for i, h in
             [(40, 10), (41, 71)]]  # fmt: skip
    d = Deduplicator(DedupConfig(window=72 * 3600))
    assert d.check(a, now=t0 + 5e8).emit  # arrival time far later: publication time counts
    d.check_many(other, now=t0 + 5e8)
    copy = replace(a, id="copy-71h", published=iso(t0 + 71 * 3600))
    assert d.check(copy, now=t0 + 5e8).reason == "exact-duplicate"
    # the stream clock moves past 72 hours after a: a is forgotten
    d.check(replace(load("sport/042.txt"), published=iso(t0 + 73 * 3600)), now=t0 + 5e8)
    late = replace(a, id="copy-73h", published=iso(t0 + 73 * 3600))
    assert d.check(late, now=t0 + 5e8).emit
    # without a publication time the arrival time is used
    d2 = Deduplicator(DedupConfig(window=60.0))
    b = load("tech/011.txt")
    assert d2.check(b, now=1000.0).emit
    assert not d2.check(replace(b, id="b2"), now=1059.0).emit
    d2.check(load("tech/012.txt"), now=1200.0)
    assert d2.check(replace(b, id="b3"), now=1200.0).emit


def test_window_bounds_memory_under_an_endless_stream() -> None:
    base = corpus()[:200]
    d = Deduplicator(DedupConfig(window=100.0))
    for step in range(30):  # 30 rounds of 200 distinct-per-round stories, 50 s apart
        arts = [replace(a, id=f"{a.id}@{step}", body=f"{a.body}\n\nround {step} marker text "
                        f"number {step} of the stream") for a in base]  # fmt: skip
        d.check_many(arts, now=50.0 * step)
        assert len(d) <= 3 * len(base)
    assert d._slots.used <= 6 * len(base)  # dead slots are compacted away


def test_metadata_in_memory() -> None:
    d = Deduplicator()
    assert d.load_meta("model") is None
    d.commit(meta={"model": b"\x00\x01"})
    assert d.load_meta("model") == b"\x00\x01"


def test_boilerplate_sketch_bulk_add_equals_one_by_one() -> None:
    from wireingest._dedup._index import BoilerplateSketch

    rng = random.Random(5)
    keys = [rng.randrange(1 << 32) for _ in range(300)]
    articles = [rng.sample(keys, 12) for _ in range(6000)]  # heavy reuse: counts saturate
    one, bulk = BoilerplateSketch(width_bits=8), BoilerplateSketch(width_bits=8)
    for a in articles:
        one.add(a)
    bulk.add_many([k for a in articles for k in a])
    assert one.cur == bulk.cur and one.taken == bulk.taken
    assert max(one.cur) == 255
    fresh = BoilerplateSketch()
    assert fresh.add([7, 8], threshold=1) == [7, 8]  # reached 1 with this article
    assert fresh.add([7, 9], threshold=2) == [7]
    assert fresh.counts(np.array([7, 8, 9, 10], dtype=np.uint32)).tolist() == [2, 1, 1, 0]


ZH = (
    "新华社北京12月1日电 国家统计局周一发布数据显示，今年前十个月全国规模以上工业企业实现利润"
    "同比增长百分之八点五，增速比前九个月加快零点三个百分点。\n\n"
    "统计局工业司负责人表示，十月份工业生产继续保持稳定增长，装备制造业和高技术制造业利润增长较快，"
    "对全部规模以上工业企业利润增长的贡献明显提高。\n\n"
    "该负责人同时指出，当前外部环境依然复杂严峻，部分企业生产经营仍面临困难，"
    "下一步要继续加大宏观政策调节力度，巩固工业经济回升向好的势头。"
)


def test_chinese_is_shingled_by_characters() -> None:
    d = Deduplicator()
    a = Article(id="zh", body=ZH, language="zh")
    assert d.check(a).emit
    # a copy with a retyped phrase and without the language tag (chosen by script)
    copy = Article(id="zh-copy", body=ZH.replace("继续保持稳定增长", "继续保持平稳增长"))
    dec = d.check(copy)
    assert (dec.reason, dec.duplicate_of) == ("near-duplicate", "zh")
    # a different story from the same office shares words, not 4-character runs
    other = Article(
        id="zh-other",
        language="zh",
        body="国家统计局周二公布，十一月份全国居民消费价格同比上涨百分之零点二，"
        "其中食品价格下降，非食品价格上涨，服务价格保持稳定。\n\n"
        "统计局城市司首席统计师表示，节日因素和天气变化对部分鲜活食品价格产生影响，"
        "能源价格随国际油价波动有所回落。",
    )
    assert d.check(other).emit


def test_a_batch_of_several_languages_shingles_each_article_by_its_own() -> None:
    """One batch with Chinese (tagged, and a copy without a tag, chosen by script), English
    and untagged English: each article is shingled by its language, so both copies are
    found in the same batch and the different stories are not."""
    story = _STORIES[0]
    batch = [
        Article(id="zh", body=ZH, language="zh"),
        replace(story, id="en", language="en"),
        Article(id="zh-copy", body=ZH.replace("继续保持稳定增长", "继续保持平稳增长")),
        replace(retyped(story), id="en-copy", language=None),
    ]
    decisions = Deduplicator().check_many(batch)
    assert [(d.emit, d.reason, d.duplicate_of) for d in decisions] == [
        (True, None, None),
        (True, None, None),
        (False, "near-duplicate", "zh"),
        (False, "near-duplicate", "en"),
    ]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 39), st.integers(0, 4)), min_size=1, max_size=40),
       st.integers(1, 9))  # fmt: skip
def test_any_batching_decides_like_one_by_one(picks: list[tuple[int, int]], size: int) -> None:
    """Streams of stories, copies, briefs, wraps and updates in any order and any batching."""
    stories = _STORIES
    makers = [lambda a: a, wrapped, brief, retyped, update]
    stream = [
        replace(makers[k](stories[i]), id=f"{n}:{stories[i].id}:{k}")
        for n, (i, k) in enumerate(picks)
    ]
    for policy in ("first", "best"):
        cfg = DedupConfig(policy=policy)
        one = Deduplicator(cfg)
        expected = [one.check(a, now=0.0) for a in stream]
        many = Deduplicator(cfg)
        got = [
            x
            for k in range(0, len(stream), size)
            for x in many.check_many(stream[k : k + size], now=0.0)
        ]
        assert got == expected
        assert len(many) == len(one) == sum(x.emit for x in expected)
        used = one._slots.used
        assert np.array_equal(many._slots.sig[:used], one._slots.sig[:used])


_STORIES = [a for a in corpus()[::3] if len(a.paragraphs) >= 4][:40]


# -- bodiless (headline-only) articles and the same id again -----------------------------------
def _headline(id_: str, url: str | None, title: str | None) -> Article:
    return Article(id=id_, body="", url=url, title=title, extra={"headline_only": True})


@pytest.mark.parametrize("policy", ["first", "best"])
def test_bodiless_articles_dedup_by_canonical_url_and_title(policy: str) -> None:
    d = Deduplicator(DedupConfig(policy=policy))  # type: ignore[arg-type]
    items = [
        _headline("h1", "https://www.reuters.com/world/quake-1/?utm_source=rss", "Quake hits city"),
        _headline("h2", "http://reuters.com/world/quake-1#top", "Earthquake strikes city"),  # URL
        _headline("h3", "https://apnews.com/article/x", "QUAKE  hits city!"),  # title
        _headline("h4", "https://apnews.com/article/y", "Markets close higher"),
        _headline("h5", None, "Storm warning issued"),
        _headline("h6", "https://apnews.com/article/z", None),
        _headline("h7", None, None),
        _headline("h8", None, None),  # no URL, no title: nothing to match on
    ]
    got = [(x.emit, x.reason, x.duplicate_of) for x in d.check_many(items, now=0.0)]
    assert got == [
        (True, None, None),
        (False, "headline-duplicate", "h1"),
        (False, "headline-duplicate", "h1"),
        (True, None, None),
        (True, None, None),
        (True, None, None),
        (True, None, None),
        (True, None, None),
    ]
    # one at a time gives the same decisions
    d1 = Deduplicator(DedupConfig(policy=policy))  # type: ignore[arg-type]
    assert [(x.emit, x.reason) for x in (d1.check(a, now=0.0) for a in items)] == [
        (e, r) for e, r, _ in got
    ]


def test_full_article_never_matches_a_bodiless_one() -> None:
    full = load("business/001.txt")
    url = "https://www.bbc.co.uk/news/business-1"
    head = _headline("h", url, full.title)
    story = replace(full, id="full", url=url)
    d = Deduplicator()
    assert [x.emit for x in d.check_many([head, story], now=0.0)] == [True, True]
    d = Deduplicator()
    assert [x.emit for x in d.check_many([story, replace(head, id="h2")], now=0.0)] == [True, True]
    # an article whose text is only punctuation is bodiless too: never an exact duplicate of ""
    d = Deduplicator()
    a = Article(id="p1", body="!!! ...", url="https://x.org/1", title="One")
    b = Article(id="p2", body="", url="https://x.org/2", title="Two")
    assert [x.emit for x in d.check_many([a, b], now=0.0)] == [True, True]


def test_bodiless_articles_are_forgotten_after_the_window() -> None:
    d = Deduplicator(DedupConfig(window=100.0))
    a = _headline("a", "https://x.org/1", "One")
    assert d.check(replace(a, published=None), now=0.0).emit
    assert d.check(replace(a, id="b"), now=50.0).reason == "headline-duplicate"
    assert d.check(replace(a, id="c"), now=500.0).emit


def test_same_id_with_other_content_is_a_new_version() -> None:
    arts = [load(f"sport/0{i:02d}.txt") for i in range(1, 4)]
    changed = replace(arts[0], body=arts[1].body + "\n\nCorrected figures.")
    d = Deduplicator()
    got = d.check_many([arts[0], arts[2], changed, arts[0]], now=0.0)
    assert [(x.emit, x.reason, x.duplicate_of) for x in got] == [
        (True, None, None),
        (True, None, None),
        (False, "duplicate-id", arts[0].id),
        (False, "exact-duplicate", arts[0].id),
    ]
    best = Deduplicator(DedupConfig(policy="best"))
    got = best.check_many([arts[0], arts[2], changed], now=0.0)
    assert got[2].emit and got[2].supersedes == (arts[0].id,)
    # the replaced version is dropped when it comes back
    again = best.check(arts[0], now=0.0)
    assert not again.emit and again.reason == "superseded"
    # one at a time, in separate batches: the same
    d = Deduplicator()
    assert d.check(arts[0], now=0.0).emit
    assert d.check(changed, now=0.0).reason == "duplicate-id"


def test_an_error_mid_batch_leaves_what_was_emitted_indexed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In memory (no store to rebuild the index from), an error while a batch is decided
    keeps the decisions made before it: the articles emitted without candidates (indexed in
    bulk at the end of their run) are indexed too, and a later copy of one is rejected."""
    from wireingest._dedup import engine, policy

    arts = corpus()[:40]
    lead = "Officials said on Monday that the plan would go ahead as announced last week."
    d = Deduplicator(DedupConfig())
    first = variant(arts[0], "x", lead + "\n\n" + arts[0].body)
    assert d.check(first).emit
    # fresh, then one with a candidate (the shared lead) that is emitted, then one whose
    # check fails
    batch = [
        arts[1],
        variant(arts[2], "y", lead + "\n\n" + arts[2].body),
        arts[3],
        variant(arts[4], "z", lead + "\n\n" + arts[4].body),
    ]
    calls = []
    real = policy.decide

    def decide(*a: object, **k: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.policy, "decide", decide)
    with pytest.raises(RuntimeError, match="boom"):
        d.check_many(batch)
    assert len(calls) == 2  # the second article was checked, and emitted
    monkeypatch.setattr(engine.policy, "decide", real)
    again = d.check_many(
        [variant(arts[1], "copy", arts[1].body), variant(arts[3], "c3", arts[3].body)]
    )
    assert again[0].reason == "exact-duplicate" and again[0].duplicate_of == arts[1].id
    assert again[1].emit  # decided after the error: never indexed
