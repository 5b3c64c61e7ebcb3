"""wireingest archive on a real Spark local[2] session, on slices of the labelled corpus."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from datasketch import MinHash

from tests.archive.conftest import read_out, write_jsonl
from wireingest._archive import facts as FA
from wireingest._dedup import DedupConfig, Deduplicator, shingle_hash, shingles, signatures
from wireingest.cli import main as cli_main
from wireingest.types import Article

BODY_A = (
    "The central bank raised its main interest rate by half a point on Tuesday, the third "
    "increase this year, saying inflation had proved more stubborn than it expected.\n\n"
    "Officials said energy prices and wages were still rising faster than the target allows "
    "and that further moves would depend on data in the coming months."
)


def _published(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r.get("published") or "", r["id"]))


def _run(spark: Any, tmp: Path, name: str, inputs: list[str], **kw: Any) -> Any:
    from wireingest.archive import dedup

    out = tmp / name
    res = dedup(spark, inputs, out, kw.pop("config", None), **kw)
    return res, *read_out(out)


# -- executor code, no Spark -------------------------------------------------------------------
def test_executor_signatures_equal_the_engine_and_datasketch() -> None:
    arts = [
        Article(id="a", body=BODY_A, language="en"),
        Article(
            id="b", body="Short text with a handful of words in it for shingles.", language="en"
        ),
        Article(id="c", body="北京今天宣布新的经济政策，以促进消费和投资增长。" * 3, language="zh"),
    ]
    # (ocr15) word shingles, as the public signatures() API makes them; the default OCR
    # fold's signatures are checked against shingles(..., ocr=True) in tests/test_quality.py
    cfg = DedupConfig(ocr_fold=False)
    got = FA.sign_articles(FA.engine(cfg), [(i, a) for i, a in enumerate(arts)])
    # the engine's text (paragraphs joined by one newline) through the public signature API
    texts = ["\n".join(p for p in a.body.split("\n\n")) for a in arts]
    want = signatures(texts, [a.language for a in arts])
    for f, w, t, a in zip(got, want, texts, arts, strict=True):
        sig = np.frombuffer(f.sig, np.uint32)
        assert np.array_equal(sig, w)
        m = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
        for s in shingles(t, a.language, 4 if a.language == "zh" else 5):
            m.update(s)
        assert np.array_equal(m.hashvalues.astype(np.uint32), sig)


def test_executor_facts_are_the_streams_for_a_pair(tmp_path: Path) -> None:
    """verify_pair on executor facts decides what the stream decides for the same two."""
    from wireingest._dedup import verify_pair

    a = Article(id="a", body=BODY_A, published="2024-01-01T00:00:00Z")
    b = Article(id="b", body=BODY_A.replace("Tuesday", "Tuesday morning"),
                published="2024-01-01T01:00:00Z")  # fmt: skip
    fa, fb = FA.sign_articles(FA.engine(DedupConfig()), [(1, a), (2, b)])
    cols = ("id", "ts", "rank", "nsh", "exact", "sig", "sh", "lede_sig", "lede_n", "lede_keys")
    new = FA.signed_of(*(getattr(fb, c) for c in cols))
    old = FA.signed_of(*(getattr(fa, c) for c in cols))
    d = verify_pair(new, old, DedupConfig()).decision
    # the older side as the job ships it: only what the stream's index holds, same decision
    held = verify_pair(new, FA.held_of(*(getattr(fa, c) for c in FA.HELD)), DedupConfig())
    assert held.decision == d
    with Deduplicator() as stream:
        want = stream.check_many([a, b])
    assert (d.emit, d.reason, d.duplicate_of) == (
        want[1].emit,
        want[1].reason,
        want[1].duplicate_of,
    )
    assert d.similarity == pytest.approx(want[1].similarity)


def test_executor_facts_keep_the_whole_text_rule_for_a_roundup() -> None:
    """A roundup most of whose paragraphs the engine has learned as boilerplate is what is left
    after stripping (one story's lede), and that rest is "contained" in that story; the stream
    keeps the roundup because the match must also hold on the whole text. The facts carry the
    whole text's signature, so the archive's verify_pair decides as the stream does."""
    from tests.test_boilerplate_match import _roundup_stream
    from wireingest._dedup import verify_pair

    stories, roundups = _roundup_stream(3)
    arts = [Article(id=r["id"], body=r["body"], language="en") for r in stories + roundups]
    engine = Deduplicator()
    engine.check_many(arts[:-1])
    roundup = arts[-1]
    (fact,) = FA.sign_articles(engine, [(99, roundup)])
    assert fact.full_sig and fact.full_n > fact.nsh  # learned ledes were stripped for sig
    cols = ("id", "ts", "rank", "nsh", "exact", "sig", "sh", "lede_sig", "lede_n", "lede_keys")
    new = FA.signed_of(*(getattr(fact, c) for c in (*cols, "full_sig", "full_n")))
    without = FA.signed_of(*(getattr(fact, c) for c in cols))  # as the facts were before
    rejected_without = []
    for f in FA.sign_articles(engine, [(k, a) for k, a in enumerate(arts[:16])]):
        old = FA.held_of(*(getattr(f, c) for c in FA.HELD))
        assert verify_pair(new, old, DedupConfig()).decision.emit, f.id
        if not verify_pair(without, old, DedupConfig()).decision.emit:
            rejected_without.append(f.id)
    assert rejected_without  # the rule decides here: the stripped rest alone is "contained"
    assert engine.check(roundup).emit


# -- Spark -----------------------------------------------------------------------------------
def test_every_input_lands_once_and_deterministic(spark: Any, corpus: Any, tmp_path: Path) -> None:
    """2 partitions against 7 partitions and a shuffled input split over a .gz and a plain
    file: one output."""

    recs = list(corpus.records)
    bad = ['{"id": "no-body"}', "not json at all"]
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps(r) + "\n" for r in recs) + "\n".join(bad) + "\n", encoding="utf-8"
    )
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    mixed = recs[:]
    random.Random(5).shuffle(mixed)
    with gzip.open(shuffled / "a.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in mixed[:40])
    write_jsonl(shuffled / "b.jsonl", [*mixed[40:], json.loads('{"id": "no-body"}')])
    (shuffled / "b.jsonl").open("a").write("not json at all\n")
    r2, a2, j2 = _run(spark, tmp_path, "p2", [str(src)], partitions=2)
    r7, a7, j7 = _run(spark, tmp_path, "p7", [str(shuffled)], partitions=7)
    n = len(recs) + len(bad)
    assert r2.inputs == len(a2) + len(j2) == n
    assert r2.emitted == len(a2) and r2.rejected == len(j2)
    ids = sorted([a["id"] for a in a2] + [j["id"] for j in j2 if j["id"]])
    assert ids == sorted([r["id"] for r in recs] + ["no-body"])
    assert sum(j["reason"] == "invalid" for j in j2) >= 1
    # the same decisions for 2 and 7 partitions and another order (origin names the file)
    assert sorted(json.dumps(a, sort_keys=True) for a in a2) == sorted(
        json.dumps(a, sort_keys=True) for a in a7
    )

    def strip(j: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in j.items() if k != "origin"}, sort_keys=True)

    assert sorted(map(strip, j2)) == sorted(map(strip, j7))
    assert r2.reasons == r7.reasons
    assert (r2.emitted, r2.rejected) == (r7.emitted, r7.rejected)
    # quality on the slice: every variant linked, no hard negative merged
    from benchmarks.quality import clusters_from_links, score

    links = [(j["id"], j["duplicate_of"]) for j in j2 if j.get("duplicate_of")]
    links += [(a["id"], a["extra"]["related"]) for a in a2 if a["extra"].get("related")]
    sc = score(corpus.labels, clusters_from_links(corpus.labels, links))
    assert not sc.hard_negative_merges
    assert sc.f1 >= 0.95


def _chain(tmp: Path) -> Path:
    words = [f"w{i}" for i in range(60)]
    a = words[:40]
    b = words[6:46]  # A~B and B~C at Jaccard ~0.74 with 3-word shingles... see config below
    c = words[12:52]
    recs = [
        {"id": i, "body": " ".join(t), "published": f"2024-01-01T0{k}:00:00Z"}
        for k, (i, t) in enumerate([("A", a), ("B", b), ("C", c)])
    ]
    return write_jsonl(tmp / "chain.jsonl", recs)


@pytest.fixture
def in_dataframes(monkeypatch: Any) -> None:
    """Clusters decided in DataFrames (the path for link graphs too big for the driver)."""
    from wireingest._archive import job

    monkeypatch.setattr(job, "DRIVER_LINKS", -1)


def test_chain_star_against_components(spark: Any, tmp_path: Path, monkeypatch: Any) -> None:
    src = _chain(tmp_path)
    cfg = DedupConfig(threshold=0.6, params=(32, 4), shingle_size=1, containment=1.0,
                      ocr_fold=False)  # fmt: skip  (ocr15: the chain is built of word tokens)
    _, art_s, rej_s = _run(spark, tmp_path, "star", [str(src)], config=cfg, chain="star")
    from wireingest._archive import job

    monkeypatch.setattr(job, "DRIVER_LINKS", -1)  # the same rules in DataFrames
    _, art_c, rej_c = _run(spark, tmp_path, "comp", [str(src)], config=cfg, chain="components")
    assert sorted(a["id"] for a in art_s) == ["A", "C"]  # C is no copy of A
    assert [(j["id"], j["duplicate_of"]) for j in rej_s] == [("B", "A")]
    assert [a["id"] for a in art_c] == ["A"]
    assert sorted((j["id"], j["duplicate_of"]) for j in rej_c) == [("B", "A"), ("C", "A")]
    # the stream decides as the star does
    with Deduplicator(cfg) as d:
        ds = d.check_many([Article(id=r["id"], body=r["body"]) for r in map(
            json.loads, src.read_text().splitlines())])  # fmt: skip
    assert [x.emit for x in ds] == [True, False, True]


def test_hot_keys_are_capped(spark: Any) -> None:
    from wireingest._archive.job import candidate_pairs
    from wireingest._dedup._index import MAX_PER_KEY

    n = 300
    rows = [(i, float(i), f"id{i:04d}", [7, 1000 + i]) for i in range(n)]
    df = spark.createDataFrame(rows, "node long, ts double, id string, keys array<long>")
    pairs = candidate_pairs(df).collect()
    assert len(pairs) == sum(min(i, MAX_PER_KEY) for i in range(n))
    assert all(0 < p.a - p.b <= MAX_PER_KEY for p in pairs)


def test_best_policy_and_parquet(spark: Any, tmp_path: Path, in_dataframes: None) -> None:
    """Under best (clusters decided in DataFrames): the kept one names what it supersedes."""
    recs = [
        {"id": "v1", "title": "Rates rise", "body": BODY_A, "published": "2024-01-01T00:00:00Z"},
        {"id": "v2", "title": "UPDATE 1-Rates rise", "body": BODY_A + "\n\nMarkets fell after"
         " the announcement, with bank shares leading the decline in early trade.",
         "published": "2024-01-01T02:00:00Z"},
        {"id": "v3", "title": "Rates rise", "body": BODY_A, "published": "2024-01-01T03:00:00Z"},
    ]  # fmt: skip
    pq = tmp_path / "in.parquet"
    spark.createDataFrame(recs).coalesce(1).write.parquet(str(pq))
    res, arts, rejs = _run(spark, tmp_path, "best", [str(pq)], config=DedupConfig(policy="best"))
    assert [a["id"] for a in arts] == ["v2"]
    assert arts[0]["supersedes"] == ["v1"]
    assert sorted((j["id"], j["duplicate_of"]) for j in rejs) == [("v1", "v2"), ("v3", "v2")]
    assert all(j["reason"] == "superseded" for j in rejs)
    assert res.inputs == 3


def test_cli_export_state_then_stream_the_rest(
    spark: Any, corpus: Any, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    from wireingest._archive import job

    # the driver holds at most 4 kept articles at once: many range partitions, in order
    monkeypatch.setattr(job, "EXPORT_BATCH", 4)
    recs = _published(list(corpus.records))
    whole = write_jsonl(tmp_path / "whole.jsonl", recs)
    half = len(recs) // 2
    first = write_jsonl(tmp_path / "first.jsonl", recs[:half])
    second = write_jsonl(tmp_path / "second.jsonl", recs[half:])
    state = tmp_path / "state.db"
    out = tmp_path / "arch"
    assert cli_main(["archive", str(first), "--out", str(out), "--partitions", "3",
                     "--export-state", str(state)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert f"{half} inputs:" in err
    kept, _ = read_out(out)
    capsys.readouterr()
    assert cli_main(["run", str(second), "--state", str(state), "--rejects",
                     str(tmp_path / "r2.jsonl")]) == 0  # fmt: skip
    cont = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert cli_main(["run", str(whole), "--rejects", str(tmp_path / "rw.jsonl")]) == 0
    stream = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert sorted(a["id"] for a in kept + cont) == sorted(a["id"] for a in stream)


def test_cli_usage_errors(tmp_path: Path, capsys: Any) -> None:
    assert cli_main(["archive", str(tmp_path / "missing.jsonl"), "--out", "x"]) == 2
    assert "no such input" in capsys.readouterr().err
    src = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "body": "text"}])
    assert cli_main(["archive", str(src), "--out", "x", "--threshold", "2"]) == 2
    assert "threshold" in capsys.readouterr().err


def test_workers_fork_warm(spark: Any) -> None:
    """Python workers come from the archive's daemon, with the executor code already loaded."""

    def loaded(_: Any) -> Any:  # defined here: shipped by value, imports nothing
        import sys

        yield "wireingest._archive.facts" in sys.modules and "wireingest._kernels" in sys.modules

    assert spark.conf.get("spark.python.daemon.module") == "wireingest._archive._daemon"
    assert spark.sparkContext.parallelize(range(4), 2).mapPartitions(loaded).collect() == [
        True,
        True,
    ]
