"""``wireingest explain A B``: inputs, what cleaning stripped, the engine's numbers and decisions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from wireingest._dedup import DedupConfig, Deduplicator
from wireingest._explain import Explanation, InputError, explain, load
from wireingest._io import iter_documents
from wireingest._pipeline import Pipeline
from wireingest.types import Article

SEED = f"{SAMPLE}/01-xinhua-seed.txt"
PAGE = f"{SAMPLE}/02-xinhua-page.html"
REPUBLISHED = f"{SAMPLE}/03-republished.jsonl"
FEED = f"{SAMPLE}/04-wire-feed.xml"
SYNDICATION = ROOT / "corpora" / "syndication"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wireingest", "explain", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


# -- inputs ------------------------------------------------------------------------------------


def test_inputs_are_read_as_run_reads_them() -> None:
    seed = load(SEED)
    assert seed.article.format == "text" and len(seed.article.paragraphs) == 5
    why = [w for w, _ in seed.removed]
    # the page dump holds the article twice, a contact line, a dated banner and a tracking ID
    assert why.count("repeat of a kept paragraph") == 5
    assert "tracking ID" in why
    assert any(t.startswith("Vous avez une question") for _, t in seed.removed)
    rec = load(f"{REPUBLISHED}:1")
    assert rec.article.id == "example-afrique-20191228-onu-cyber"
    assert load(REPUBLISHED).article.id == rec.article.id  # one record: no :LINE needed
    teaser = load(f"{FEED}:1")
    assert teaser.article.id == "wire-monitor-20191228-0001"
    assert load(f"{FEED}:2").article.id != teaser.article.id


def test_jsonl_line_numbers_are_physical_lines(tmp_path: Path) -> None:
    body = "Paragraph one of a story about ports.\n\nParagraph two, with more words in it."
    recs = [{"id": "x1", "title": "One", "body": body}, {"id": "x2", "title": "Two", "body": body}]
    f = tmp_path / "two.jsonl"
    f.write_text(json.dumps(recs[0]) + "\n\n" + json.dumps(recs[1]) + "\n")
    assert load(f"{f}:3").article.id == "x2"
    with pytest.raises(InputError, match=r"line 2 .* is blank"):
        load(f"{f}:2")
    with pytest.raises(InputError, match="JSON Lines file of 2 records; name one"):
        load(str(f))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nope.txt", "no such file"),
        (str(SAMPLE), "not a file"),
        (FEED, "holds 2 articles; name one"),
        (f"{FEED}:3", "holds 2 article"),
        (f"{SEED}:0", "start at 1"),
    ],
)
def test_bad_inputs_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load(spec)


def test_rejected_input_says_why(tmp_path: Path) -> None:
    f = tmp_path / "empty.jsonl"
    f.write_text('{"id": "e", "title": "no text"}\n')
    with pytest.raises(InputError, match="rejected before dedup: invalid"):
        load(str(f))
    p = _cli(str(f), SEED)
    assert p.returncode == 2 and "rejected before dedup" in p.stderr and not p.stdout


# -- the pair, measured and decided by the engine ----------------------------------------------

PAIRS = {
    "exact": (SEED, PAGE),
    "near": (SEED, f"{REPUBLISHED}:1"),
    "teaser": (SEED, f"{FEED}:1"),
    "unrelated": (SEED, f"{FEED}:2"),
}


def _explained(name: str) -> Explanation:
    a, b = PAIRS[name]
    return explain(load(a), load(b))


def test_near_duplicate() -> None:
    e = _explained("near")
    assert not e.exact
    assert 0.8 <= e.jaccard < 1.0
    assert e.a_in_b >= 0.8 and e.b_in_a >= 0.8
    assert e.same_story
    assert len(e.shared) == 3  # the outlet retyped two paragraphs and added its own lines
    for key, d in e.decisions.items():
        assert not d["emit"] and d["reason"] == "near-duplicate", key


def test_teaser_is_contained_and_the_full_story_extends_it() -> None:
    e = _explained("teaser")
    assert e.jaccard < 0.8 and e.b_in_a == 1.0 and e.a_in_b < 0.8
    assert e.same_story and len(e.shared) == 2
    first_a, first_b = e.decisions["first: A then B"], e.decisions["first: B then A"]
    assert (first_a["emit"], first_a["reason"]) == (False, "contained")
    assert first_b["emit"] and first_b["related"]  # the full story after its teaser
    assert e.decisions["best: B then A"]["supersedes"]


def test_unrelated_stories() -> None:
    e = _explained("unrelated")
    # (ocr15) the estimate of the larger article inside the smaller one is noisy (its true
    # value here is at most 113/308 shingles); both stay far below the containment setting
    assert e.jaccard < 0.1 and e.a_in_b < 0.5 and e.b_in_a < 0.1
    assert not e.same_story and e.shared == []
    assert all(d["emit"] and not d["related"] for d in e.decisions.values())


def test_exact_duplicate_page_and_dump() -> None:
    e = _explained("exact")
    assert e.exact and e.jaccard == 1.0 and len(e.shared) == 5
    assert e.side_a.shingles == e.side_b.shingles
    assert all(d["reason"] == "exact-duplicate" for d in e.decisions.values())


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_decisions_are_the_streams(name: str) -> None:
    """What explain says is what a stream of the two articles does, in both orders."""
    a, b = (load(s).article for s in PAIRS[name])
    e = explain(load(PAIRS[name][0]), load(PAIRS[name][1]))
    for policy in ("first", "best"):
        for order, pair in (("A then B", (a, b)), ("B then A", (b, a))):
            with Deduplicator(DedupConfig(policy=policy)) as d:
                got = d.check_many(list(pair))[1]
            want = e.decisions[f"{policy}: {order}"]
            assert (got.emit, got.reason) == (want["emit"], want["reason"]), (policy, order)
            assert bool(got.supersedes) == want["supersedes"]
            assert (got.related is not None) == want["related"]
            if not got.emit and got.reason == "near-duplicate":
                assert got.similarity == pytest.approx(e.jaccard)


def test_cli_text_and_json() -> None:
    p = _cli(SEED, f"{FEED}:1")
    assert p.returncode == 0, p.stderr
    assert "containment of B in A                  1.000  (>= containment 0.7)" in p.stdout
    assert "first, A then B:  B dropped: contained in A (containment 1.000 >= 0.7)" in p.stdout
    assert "tracking ID: 010020070770000000000000011199231386632081" in p.stdout
    j = json.loads(_cli(SEED, f"{REPUBLISHED}:1", "--json").stdout)
    assert j["decisions"]["first: A then B"]["reason"] == "near-duplicate"
    assert j["jaccard"] >= 0.8 and j["a"]["id"] == "ac1e541b17ba0a2ecde0"
    strict = json.loads(_cli(SEED, f"{REPUBLISHED}:1", "--json", "--threshold", "0.95").stdout)
    assert strict["decisions"]["first: A then B"]["emit"]  # below a stricter threshold
    banded = _cli(SEED, f"{FEED}:1", "--params", "8,16")
    assert "OCR-folded chunk 5-grams, bands 8x16)" in banded.stdout
    assert _cli(SEED, f"{FEED}:1", "--params", "8").returncode == 2
    bad = _cli(SEED, "missing.html")
    assert bad.returncode == 2 and "missing.html: no such file" in bad.stderr


def test_state_boilerplate_is_left_out_as_the_run_leaves_it_out(tmp_path: Path) -> None:
    """Five short stories of the syndication corpus share one press-release disclaimer: after a
    run has emitted four of them, the engine leaves the disclaimer out, and explain shows it."""
    labels = [json.loads(x) for x in (SYNDICATION / "labels.jsonl").open(encoding="utf-8")]
    group = {x["id"] for x in labels if x.get("group") == "bp-00"}
    lines = [
        x for x in (SYNDICATION / "articles.jsonl").open(encoding="utf-8")
        if json.loads(x)["id"] in group
    ]  # fmt: skip
    recs = tmp_path / "bp.jsonl"
    recs.write_text("".join(lines), encoding="utf-8")
    state = tmp_path / "state.sqlite"
    with Pipeline(state=state) as p:
        assert all(isinstance(r, Article) for r in p.process(iter_documents([recs])))
    # the disclaimer is in all five, so the engine has seen it in at least three stories
    a, b = load(f"{recs}:1"), load(f"{recs}:5")
    bare = explain(a, b)
    assert bare.side_a.boilerplate == [] and len(bare.shared) == 1
    with Deduplicator(DedupConfig(), state=state) as engine:
        seen = explain(a, b, engine=engine)
    assert seen.side_a.boilerplate == seen.side_b.boilerplate == bare.shared
    assert seen.jaccard < 0.1 < bare.jaccard  # only the stories' own text is compared
    assert seen.side_a.shingles < bare.side_a.shingles
    out = _cli(f"{recs}:1", f"{recs}:5", "--state", str(state))
    assert out.returncode == 0, out.stderr
    assert "the engine leaves out 1 paragraph(s) the state has seen in other stories" in out.stdout
    missing = _cli(f"{recs}:1", f"{recs}:5", "--state", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2 and "no such state file" in missing.stderr
    other = _cli(f"{recs}:1", f"{recs}:5", "--state", str(state), "--num-perm", "64")
    assert other.returncode == 2 and "other settings" in other.stderr


def test_state_model_strips_a_learned_footer(tmp_path: Path) -> None:
    """Seven stories of one outlet end with the same footer line: the run's per-source model
    learns it, and explain with that state cleans an eighth page of the outlet as the run does."""
    bases = [
        x["id"]
        for x in map(json.loads, (SYNDICATION / "labels.jsonl").open())
        if x["kind"] == "base"
    ]
    by_id = {r["id"]: r for r in map(json.loads, (SYNDICATION / "articles.jsonl").open())}
    footer = (
        "Follow Outlet Example on social media and sign up for our morning briefing newsletter."
    )
    recs = []
    for i in bases[:8]:
        r = dict(by_id[i], source="outlet.example", url=f"https://outlet.example/n/{i}")
        r["body"] += "\n\n" + footer
        recs.append(json.dumps(r) + "\n")
    first7, page = tmp_path / "seven.jsonl", tmp_path / "page.jsonl"
    first7.write_text("".join(recs[:7]))
    page.write_text(recs[7])
    assert footer in load(str(page)).article.body  # nothing learned without the state
    state = tmp_path / "state.sqlite"
    with Pipeline(state=state) as p:
        assert sum(isinstance(r, Article) for r in p.process(iter_documents([first7]))) == 7
    out = _cli(str(page), f"{first7}:1", "--state", str(state))
    assert out.returncode == 0, out.stderr
    assert (
        "boilerplate learned for outlet.example (saved model): Follow Outlet Example" in out.stdout
    )
    report = json.loads(_cli(str(page), f"{first7}:1", "--state", str(state), "--json").stdout)
    assert [x["text"] for x in report["a"]["stripped"]] == [footer]
