"""The syndication corpus generator, the quality scorer, and the dedup quality targets.

Generator tests run on a small copy of real base stories (``tests/data/quality``: BBC News and
Reuters-21578 files, see PROVENANCE.md there). The engine test runs on a slice of the committed
corpus ``corpora/syndication``.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) does not add the cwd
    sys.path.insert(0, str(ROOT))

from benchmarks import quality, synth  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "quality"

SMALL = synth.CorpusConfig(
    seed=11,
    bbc_bases=8,
    reuters_bases=4,
    natural_exact=1,
    min_variants=len(synth.VARIANT_KINDS),
    max_variants=len(synth.VARIANT_KINDS),
    same_topic=4,
    boilerplate_groups=1,
    boilerplate_group_size=3,
)


@pytest.fixture(scope="module")
def stories() -> list[synth.BaseStory]:
    return synth.load_bbc(DATA / "bbc") + synth.load_reuters(DATA / "reuters")


@pytest.fixture(scope="module")
def records(stories: list[synth.BaseStory]) -> list[synth.Record]:
    return synth.build_corpus(stories, SMALL)


def _by_id(records: list[synth.Record]) -> dict[str, synth.Record]:
    return {r.id: r for r in records}


def _of_kind(records: list[synth.Record], kind: str) -> Iterator[tuple[synth.Record, synth.Record]]:
    ids = _by_id(records)
    for r in records:
        if r.kind == kind:
            yield r, ids[r.base]


# ---------------------------------------------------------------------------------------------
# Base story extraction


def test_bbc_and_reuters_bases_are_read(stories: list[synth.BaseStory]) -> None:
    bbc = {s.key: s for s in stories if s.corpus == "bbc"}
    assert bbc["bbc/business/001"].title == "Ad sales boost Time Warner profit"
    assert bbc["bbc/business/001"].paragraphs[0].startswith("Quarterly profits at US media giant")
    reuters = {s.key: s for s in stories if s.corpus == "reuters"}
    cocoa = reuters["reuters/1"]
    assert cocoa.title == "BAHIA COCOA REVIEW"
    assert cocoa.topic == "cocoa"
    assert cocoa.paragraphs[0].startswith("SALVADOR, Feb 26 - Showers continued")
    assert cocoa.published is not None and cocoa.published.isoformat().startswith(
        "1987-02-26T15:01"
    )
    # Control-character references and the trailing "Reuter" sign-off are gone; entities decoded.
    for s in reuters.values():
        assert "&#" not in s.body and not s.body.endswith("Reuter")
    assert any("<" in s.body for s in reuters.values())  # "&lt;AMERICAN EXPRESS>" decoded


def test_pool_groups_twins_and_tangles(stories: list[synth.BaseStory]) -> None:
    pool = synth._group_pool(stories)
    groups = {
        frozenset(pool.stories[i].key for i in g): clean
        for g, clean in zip(pool.groups, pool.clean, strict=True)
        if len(g) > 1
    }
    # Byte-identical twins are one story (usable, one cluster). Reuters re-sent the BankAmerica
    # story under another headline with a changed passage (99 % of its 5-grams shared): a
    # tangle that is left out. The re-send with the same title and body (NEWID 32 and 55) is
    # a usable twin.
    assert groups == {
        frozenset({"bbc/tech/132", "bbc/tech/176"}): True,
        frozenset({"reuters/4", "reuters/16"}): False,
        frozenset({"reuters/32", "reuters/55"}): True,
    }


# ---------------------------------------------------------------------------------------------
# The generator


def test_generator_is_deterministic(stories: list[synth.BaseStory]) -> None:
    a = synth.build_corpus(stories, SMALL)
    b = synth.build_corpus(stories, SMALL)
    assert [(r.article(), r.label()) for r in a] == [(r.article(), r.label()) for r in b]
    c = synth.build_corpus(stories, synth.CorpusConfig(**{**_cfg_dict(SMALL), "seed": 12}))
    assert [r.article() for r in a] != [r.article() for r in c]


def _cfg_dict(cfg: synth.CorpusConfig) -> dict[str, Any]:
    return {f: getattr(cfg, f) for f in cfg.__dataclass_fields__}


def test_every_kind_is_produced_with_consistent_labels(records: list[synth.Record]) -> None:
    kinds = {r.kind for r in records}
    assert kinds == set(synth.ALL_KINDS)
    ids = _by_id(records)
    assert len(ids) == len(records)
    for r in records:
        base = ids[r.base]
        if r.kind in ("base", *synth.HARD_NEGATIVE_KINDS):
            assert r.base == r.id
        else:
            assert base.kind == "base" and r.cluster == base.cluster and r.id != base.id
    # One cluster per real story: bases never share a cluster, hard negatives are alone.
    per_cluster: dict[str, list[synth.Record]] = defaultdict(list)
    for r in records:
        per_cluster[r.cluster].append(r)
    for members in per_cluster.values():
        assert sum(m.kind == "base" for m in members) <= 1
        if any(m.kind in synth.HARD_NEGATIVE_KINDS for m in members):
            assert len(members) == 1


def test_exact_and_natural_exact(records: list[synth.Record]) -> None:
    for r, base in _of_kind(records, "exact"):
        assert (r.title, r.body) == (base.title, base.body)
        assert r.source != base.source
    twins = list(_of_kind(records, "natural-exact"))
    assert len(twins) == 1
    r, base = twins[0]
    assert r.body == base.body and r.story != base.story
    assert {r.story, base.story} == {"bbc/tech/132", "bbc/tech/176"}


def test_doubled_holds_the_body_twice_and_a_tracking_id(records: list[synth.Record]) -> None:
    seen = 0
    for r, base in _of_kind(records, "doubled"):
        seen += 1
        assert r.body.count(base.body) == 2
        assert re.search(r"\n\n[0-9]{40,48}$", r.body)
        middle = r.body[len(base.body) : r.body.rindex(base.body)]
        assert base.title in middle and "@" in middle  # title and contact line in between
    assert seen == SMALL.bbc_bases + SMALL.reuters_bases


def test_brief_is_a_prefix(records: list[synth.Record]) -> None:
    for r, base in _of_kind(records, "brief"):
        text = r.body.removesuffix("...")
        assert base.body.startswith(text) and len(text) < len(base.body)
        assert len(text.split()) >= 15


def test_update_adds_one_paragraph_and_edits_one(records: list[synth.Record]) -> None:
    for r, base in _of_kind(records, "update"):
        assert re.fullmatch(r"UPDATE [123]-" + re.escape(base.title), r.title)
        new, old = r.body.split("\n\n"), base.body.split("\n\n")
        assert len(new) == len(old) + 1
        kept = sum(p in new for p in old)
        assert kept == len(old) - 1  # exactly one base paragraph was edited
        assert r.published > base.published


def test_retyped_has_a_few_typos(records: list[synth.Record]) -> None:
    for r, base in _of_kind(records, "retyped"):
        new, old = r.body.split(" "), base.body.split(" ")
        assert len(new) == len(old)
        typos = sum(a != b for a, b in zip(new, old, strict=True))
        assert 1 <= typos <= max(4, 0.06 * len(old))


def test_reflowed_keeps_the_words_but_moves_paragraphs(records: list[synth.Record]) -> None:
    for r, base in _of_kind(records, "reflowed"):
        assert synth.words(r.body) == synth.words(base.body)
        assert r.body.split("\n\n") != base.body.split("\n\n")


def test_outlet_wrap_adds_header_and_footer(records: list[synth.Record]) -> None:
    for r, base in _of_kind(records, "outlet-wrap"):
        assert base.body in r.body
        head, _, foot = r.body.partition(base.body)
        assert head.strip() and "All rights reserved." in foot


def test_hard_negatives_are_different_stories(records: list[synth.Record]) -> None:
    ids = _by_id(records)
    topics = [r for r in records if r.kind == "same-topic"]
    assert len(topics) == SMALL.same_topic
    for r in topics:
        base = ids[r.extra["negative_of"]]
        assert base.kind == "base" and r.story != base.story and r.cluster != base.cluster
        assert r.body != base.body
        if r.story.startswith("bbc/"):
            assert r.story.split("/")[1] == base.story.split("/")[1] == r.extra["topic"]
    groups: dict[str, list[synth.Record]] = defaultdict(list)
    for r in records:
        if r.kind == "shared-boilerplate":
            groups[r.extra["group"]].append(r)
    assert [len(g) for g in groups.values()] == [SMALL.boilerplate_group_size]
    for group in groups.values():
        leads = [r.body.split("\n\n")[0] for r in group]
        tails = {r.body.split("\n\n")[1] for r in group}
        assert len(tails) == 1 and 140 <= len(next(iter(tails)).split()) <= 170
        assert all(60 <= len(lead.split()) <= 100 for lead in leads)
        assert len({r.story for r in group}) == len(group)
        assert len({r.cluster for r in group}) == len(group)
        # The stories are not used anywhere else in the corpus.
        used = {r.story for r in records if r.kind != "shared-boilerplate"}
        assert not used & {r.story for r in group}


def test_written_corpus_round_trips(records: list[synth.Record], tmp_path: Path) -> None:
    counts = synth.write_corpus(records, tmp_path)
    assert sum(counts.values()) == len(records)
    corpus = quality.load_corpus(tmp_path)
    assert len(corpus) == len(records)
    first = corpus.records[0]
    assert set(first) == {"id", "url", "source", "title", "body", "published", "language"}
    assert corpus.labels[first["id"]]["kind"] == records[0].kind


# ---------------------------------------------------------------------------------------------
# The scorer, on hand-made clusterings


def test_pairwise_hand_computed() -> None:
    truth = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
    # True pairs: A 3 + B 1 = 4. Predicted {a1,a2} {a3,b1,b2} {c1}: pairs 1 + 3 = 4;
    # right: (a1,a2) and (b1,b2) = 2.  P = R = F1 = 0.5.
    pred = {"a1": "x", "a2": "x", "a3": "y", "b1": "y", "b2": "y", "c1": "z"}
    assert quality.pairwise(truth, pred) == (0.5, 0.5, 0.5, 2, 4, 4)
    assert quality.pairwise(truth, truth)[:3] == (1.0, 1.0, 1.0)
    singletons = {k: k for k in truth}
    assert quality.pairwise(truth, singletons)[:3] == (1.0, 0.0, 0.0)
    # A = {1,2,3,4}, B = {5,6}; predicted {1,2,3} {4,5,6}: 4 right of 6 predicted, 7 true.
    truth2 = {"1": "A", "2": "A", "3": "A", "4": "A", "5": "B", "6": "B"}
    pred2 = {"1": "p", "2": "p", "3": "p", "4": "q", "5": "q", "6": "q"}
    p, r, f1, tp, pp, tt = quality.pairwise(truth2, pred2)
    assert (tp, pp, tt) == (4, 6, 7)
    assert p == pytest.approx(2 / 3) and r == pytest.approx(4 / 7)
    assert f1 == pytest.approx(8 / 13)  # 2 tp / (predicted + true)


def test_clusters_from_links() -> None:
    got = quality.clusters_from_links(
        ["a", "b", "c", "d", "e", "f"], [("c", "b"), ("b", "a"), ("e", "d")]
    )
    assert got == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "d", "f": "f"}


def _labels() -> dict[str, dict[str, Any]]:
    rows = [
        ("a1", "A", "base", "a1"),
        ("a2", "A", "brief", "a1"),
        ("a3", "A", "update", "a1"),
        ("b1", "B", "base", "b1"),
        ("b2", "B", "exact", "b1"),
        ("c1", "C", "same-topic", "c1"),
    ]
    return {i: {"id": i, "cluster": c, "kind": k, "base": b} for i, c, k, b in rows}


def test_score_per_kind_and_hard_negatives() -> None:
    labels = _labels()
    links = [
        quality.Link("a2", "a1", "contained", 0.9),
        quality.Link("a3", "b1", "near", 0.8),
        quality.Link("b2", "b1", "exact-duplicate", 1.0),
    ]
    pred = quality.clusters_from_links(labels, ((ln.id, ln.other) for ln in links))
    sc = quality.score(labels, pred, links)
    assert (sc.precision, sc.recall, sc.f1) == (0.5, 0.5, 0.5)
    assert sc.recall_by_kind == {"brief": (1, 1), "exact": (1, 1), "update": (0, 1)}
    assert sc.brief_update_recall == 0.5
    assert sc.hard_negatives == 1 and sc.hard_negative_merges == []
    assert [f["id"] for f in sc.false_merges] == ["a3"]
    assert [m["id"] for m in sc.missed] == ["a3"]
    assert sc.passes() == {"f1": False, "hard_negatives": True, "brief_update": False}
    # The same-topic story merged into B is a hard-negative false merge.
    links.append(quality.Link("c1", "b2", "near", 0.85))
    pred = quality.clusters_from_links(labels, ((ln.id, ln.other) for ln in links))
    sc = quality.score(labels, pred, links)
    assert sc.hard_negative_merges == ["c1"]
    # Pairs: true 3 + 1 = 4; predicted {a1,a2} 1 + {a3,b1,b2,c1} 6 = 7; right 2.
    assert (sc.true_positive_pairs, sc.predicted_pairs, sc.true_pairs) == (2, 7, 4)


def test_slice_keeps_negatives_of_kept_bases() -> None:
    corpus = quality.load_corpus()
    part = quality.slice_corpus(corpus, 30, boilerplate_groups=2)
    kinds = {lab["kind"] for lab in part.labels.values()}
    assert {"base", "same-topic", "shared-boilerplate"} <= kinds
    bases = {i for i, lab in part.labels.items() if lab["kind"] == "base"}
    assert len(bases) == 30
    for lab in part.labels.values():
        if lab["kind"] == "same-topic":
            assert lab["negative_of"] in bases
        elif lab["kind"] not in synth.HARD_NEGATIVE_KINDS:
            assert lab["base"] in bases


# ---------------------------------------------------------------------------------------------
# The engine on the corpus: the quality targets
#
# The whole corpus (2,278 records) is used, not a slice: the cleaning learns outlet headers and
# footers from their repeats across an outlet's pages, so a small slice understates what the
# pipeline does on a real stream. Both runs take a few seconds.


@pytest.fixture(scope="module")
def corpus() -> quality.Corpus:
    return quality.load_corpus()


@pytest.mark.slow
def test_end_to_end_pipeline_meets_the_targets(corpus: quality.Corpus) -> None:
    run = quality.run_end_to_end(corpus.shuffled())
    sc = quality.evaluate(run, corpus)
    report = quality.format_report(run, sc)
    assert not run.rejected_before_dedup, report
    assert sc.hard_negative_merges == [], report
    assert sc.f1 >= quality.TARGET_F1, report
    assert sc.brief_update_recall >= quality.TARGET_BRIEF_UPDATE, report


@pytest.mark.slow
def test_bare_deduplicator_never_merges_hard_negatives(corpus: quality.Corpus) -> None:
    # The bare engine sees the raw bodies (outlet headers, doubled bodies, tracking ids): it
    # must still never merge different stories and must link briefs and updates.
    run = quality.run_bare(corpus.shuffled())
    sc = quality.evaluate(run, corpus)
    report = quality.format_report(run, sc)
    assert sc.hard_negative_merges == [], report
    assert sc.precision >= 0.99, report
    assert sc.brief_update_recall >= quality.TARGET_BRIEF_UPDATE, report
    for kind in ("exact", "natural-exact", "reflowed", "retyped"):
        ok, total = sc.recall_by_kind[kind]
        assert ok / total >= 0.9, report


def test_quality_and_sweep_command_lines(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from benchmarks import sweep

    argv = ["--clusters", "12", "--threshold", "0.8", "--num-perm", "64", "--params", "8,8"]
    assert quality.main([*argv, "--shingle-size", "5", "--policy", "first", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    bare = out["bare"]
    assert bare["settings"]["params"] == [8, 8] and bare["settings"]["num_perm"] == 64
    assert set(bare["passes"]) == {"f1", "hard_negatives", "brief_update"}
    assert 0.0 <= bare["f1"] <= 1.0 and bare["records"] == out["records"]

    assert sweep.parse_params("auto,16x8") == [None, (16, 8)]
    grid = ["--clusters", "12", "--thresholds", "0.7,0.9", "--num-perms", "64"]
    assert sweep.main([*grid, "--params", "auto,16x8", "--shingle-sizes", "5"]) == 0
    rows = [
        ln for ln in capsys.readouterr().out.splitlines() if ln.lstrip()[:4] in ("0.70", "0.90")
    ]
    # 16x8 needs 128 permutations: skipped with num_perm 64, so one row per threshold.
    assert [r.split()[:4] for r in rows] == [
        ["0.70", "64", "auto", "5"],
        ["0.90", "64", "auto", "5"],
    ]


def test_committed_corpus_matches_its_readme_checksums() -> None:
    # The corpus is generated (python -m benchmarks.synth); its README pins the checksums so
    # that labels never change silently under the quality gate above.
    import hashlib

    folder = ROOT / "corpora" / "syndication"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    pinned = {
        name: digest
        for digest, name in re.findall(r"([0-9a-f]{32})  (articles\.jsonl|labels\.jsonl)", readme)
    }
    assert set(pinned) == {"articles.jsonl", "labels.jsonl"}
    for name, digest in pinned.items():
        assert hashlib.md5((folder / name).read_bytes()).hexdigest() == digest, name


# -- the hard corpus (issue #15) ----------------------------------------------------------------

HARD_SMALL = synth.HardConfig(
    seed=5, bbc_bases=8, reuters_bases=4, min_variants=4, max_variants=4, roundups=3,
    results_items=6, release_groups=1, release_group_size=4,
)  # fmt: skip


def test_hard_corpus_has_every_kind_with_consistent_labels(
    stories: list[synth.BaseStory],
) -> None:
    recs = synth.build_hard_corpus(stories, HARD_SMALL)
    assert recs == synth.build_hard_corpus(stories, HARD_SMALL)  # deterministic
    assert {r.kind for r in recs} == set(synth.HARD_ALL_KINDS)
    by_id = _by_id(recs)
    for r in recs:
        if r.kind in synth.HARD_VARIANT_KINDS:
            base = by_id[r.base]
            assert base.kind == "base" and base.cluster == r.cluster and r.body != base.body
        else:
            assert r.base == r.id
        if r.kind.startswith("noisy"):
            assert 0.01 <= r.extra["noise"] <= 0.05
        if r.kind == "roundup":
            quoted = [by_id[q] for q in r.extra["quotes"]]
            assert r.body.split("\n\n") == [q.body.split("\n\n")[0] for q in quoted]
    negatives = [r for r in recs if r.kind in synth.HARD_CORPUS_NEGATIVE_KINDS]
    assert len({r.cluster for r in negatives}) == len(negatives)
    assert all(k in quality.HARD_NEGATIVE_KINDS for k in synth.HARD_CORPUS_NEGATIVE_KINDS)


def test_ocr_noise_damages_about_the_rate_asked() -> None:
    import difflib
    import random

    text = "\n\n".join(s.body for s in synth.load_bbc(DATA / "bbc")[:4])
    for rate in (0.01, 0.03, 0.05):
        noisy = synth.ocr_noise(random.Random(1), text, rate)
        assert noisy.count("\n\n") == text.count("\n\n")
        ops = difflib.SequenceMatcher(None, text, noisy, autojunk=False).get_opcodes()
        damaged = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
        assert rate * 0.5 <= damaged / len(text) <= rate * 1.5, (rate, damaged / len(text))
    assert synth.ocr_noise(random.Random(1), text, 0.0) == text


# -- OCR folding (DedupConfig(ocr_fold=True)) ---------------------------------------------------


def test_ocr_fold_undoes_the_damage_ocr_does() -> None:
    from wireingest._dedup._text import normalize, ocr_fold

    clean = ocr_fold(normalize("The development of the modern economy will continue."))
    for damaged in (
        "The deve- lopment of the modern economy will continue.",  # hyphenated line break
        "The development ofthe rnodern econorny wi1l continue.",  # joined, rn/m, 1/l
        "Thc development of the m0dern ec0nomy will continne.",  # e/c, o/0, u/n
    ):
        assert ocr_fold(normalize(damaged)) == clean, damaged
    # every digit from 2 to 9 is a token of its own (1 and 0 are read as l and o): figure
    # lines differ by their figures and have as many shingles as words; other scripts are
    # left as they are
    tokens = ["shr", "4", "5", "e", "tsvs", "5", "8", "e", "ts"]
    assert ocr_fold("shr 45 cts vs 58 cts").split() == tokens
    assert ocr_fold("net 1.1 mln") == ocr_fold("net l.l mln") != ocr_fold("net 1.7 mln")
    assert ocr_fold("привет, мир") == "привет, мир"


def test_compiled_ocr_fold_equals_the_byte_passes() -> None:
    # the one-pass compiled fold (and its batch form) gives exactly the bytes of the
    # whole-text byte passes, on real noisy reprints and on strings made of the awkward cases
    import random

    from wireingest import _kernels
    from wireingest._dedup._text import normalize, ocr_fold, ocr_fold_many

    assert _kernels.load()
    corpus = quality.load_corpus(quality.HARD_CORPUS)
    texts = [normalize(r.get("body") or "") for r in corpus.shuffled()[:400]]
    rnd = random.Random(5)
    pieces = ["rn", "r", "n", "vv", "v", "cl", "c", "l", "1", "0", "10", "a", "e", "o", "u",
              "b", "i", "x", " ", "-", "\n", ".", "\xe9", "\xdf", "\u0142", "\u2019", "\u4e16"]  # fmt: skip
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(3000)]
    reference = [ocr_fold(t, compiled=False) for t in texts]
    assert [ocr_fold(t) for t in texts] == reference
    assert ocr_fold_many(texts) == reference
    assert ocr_fold_many([]) == []


def test_ocr_fold_signatures_are_the_reference_shingles() -> None:
    from datasketch import MinHash

    from wireingest import Article, DedupConfig
    from wireingest._dedup import Deduplicator
    from wireingest._dedup._text import shingle_hash, shingles

    body = synth.load_bbc(DATA / "bbc")[0].body
    for backend in ("numba", "numpy"):
        d = Deduplicator(DedupConfig(ocr_fold=True), backend=backend)
        prep = d._prepare_many([Article(id="a", body=body, language="en")], 0.0)[0]
        sig = d._signatures([prep]).sigs[0]
        m = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
        for sh in shingles(prep.text, "en", 5, ocr=True):
            m.update(sh)
        assert sig.tolist() == [int(v) for v in m.hashvalues]


def test_noisy_reprints_are_linked_with_ocr_folding(stories: list[synth.BaseStory]) -> None:
    import random

    from wireingest import Article, DedupConfig
    from wireingest._dedup import Deduplicator

    rng = random.Random(3)
    bases = [s for s in stories if s.corpus == "bbc"][:12]
    arts = [Article(id=s.key, body=s.body, language="en") for s in bases]
    copies = [
        Article(id=f"{s.key}#ocr", body=synth.ocr_noise(rng, s.body, 0.035), language="en")
        for s in bases
    ]
    linked = {}
    for fold in (False, True):
        d = Deduplicator(DedupConfig(ocr_fold=fold))
        assert all(x.emit for x in d.check_many(arts))
        decisions = d.check_many(copies)
        linked[fold] = sum(x.duplicate_of == a.id for x, a in zip(decisions, arts, strict=True))
    assert linked[True] == len(bases)
    assert linked[False] <= len(bases) // 2  # word shingles lose most of them


def test_a_state_made_with_the_earlier_defaults_names_the_settings_it_needs(
    tmp_path: Path,
) -> None:
    # OCR folding and containment 0.7 are the defaults since #15: a state written with the
    # earlier defaults is refused with the settings to pass, and opens with them
    from wireingest import Article, DedupConfig
    from wireingest._dedup import Deduplicator

    earlier = DedupConfig(ocr_fold=False, containment=0.8)
    state = tmp_path / "state.db"
    body = synth.load_bbc(DATA / "bbc")[0].body
    with Deduplicator(earlier, state=state) as d:
        assert d.check(Article(id="a", body=body)).emit
    with pytest.raises(ValueError) as err:
        Deduplicator(DedupConfig(), state=state)
    first = str(err.value).splitlines()[0]
    assert "open it with ocr_fold=False (CLI: --no-ocr-fold)" in first
    assert "containment=0.8 (--containment 0.8)" in first
    with Deduplicator(earlier, state=state) as d:
        assert d.check(Article(id="b", body=body)).duplicate_of == "a"
