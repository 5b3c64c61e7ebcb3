"""The archive job: read -> parse and sign (executors) -> candidate pairs from keys (hot keys
capped) -> verify pairs (the policy's own decision, in batches: :mod:`wireingest._archive.verify`,
the same as :func:`~wireingest._dedup.verify_pair` pair by pair) -> clusters ->
keep one per cluster -> write.

Order: "earliest" is ``(published, id, node)``, where ``node`` is a hash of the input line,
its file and its copy number, so decisions never depend on partitioning or input order.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from wireingest._archive import facts as FA
from wireingest._archive.graph import connected_components
from wireingest._dedup import DedupConfig
from wireingest._dedup._index import MAX_PER_KEY
from wireingest._dedup.policy import BOILERPLATE_MIN_ARTICLES
from wireingest._pipeline import Stats, _dup_message
from wireingest.types import Reject

__all__ = ["ArchiveResult", "run_job"]

_FACT_SCHEMA = T.StructType(
    [
        T.StructField("node", T.LongType(), False),
        T.StructField("art", T.BooleanType(), False),
        T.StructField("ts", T.DoubleType(), True),
        T.StructField("id", T.StringType(), True),
        T.StructField("origin", T.StringType(), True),
        T.StructField("json", T.StringType(), False),
        T.StructField("rank", T.IntegerType(), True),
        T.StructField("nsh", T.IntegerType(), True),
        T.StructField("exact", T.LongType(), True),
        T.StructField("sig", T.BinaryType(), True),
        T.StructField("sh", T.BinaryType(), True),
        T.StructField("lede_sig", T.BinaryType(), True),
        T.StructField("lede_n", T.IntegerType(), True),
        T.StructField("lede_keys", T.BinaryType(), True),
        T.StructField("full_sig", T.BinaryType(), True),
        T.StructField("full_n", T.IntegerType(), True),
        T.StructField("keys", T.ArrayType(T.LongType()), True),
        T.StructField("paras", T.ArrayType(T.LongType()), True),
        T.StructField("reason", T.StringType(), True),
    ]
)
_SIGNED = FA.SIGNED
#: what the pair's earlier article carries: what the stream's index holds of an emitted one
_HELD = FA.HELD
_ORDER_FIELDS = (
    ("ts", T.DoubleType()),
    ("id", T.StringType()),
    ("rank", T.IntegerType()),
    ("nsh", T.IntegerType()),
)
_LINK_SCHEMA = T.StructType(
    [
        T.StructField("a", T.LongType(), False),
        T.StructField("b", T.LongType(), False),
        T.StructField("link", T.BooleanType(), False),
        T.StructField("rel", T.BooleanType(), False),
        T.StructField("reason", T.StringType(), True),
        T.StructField("sim", T.DoubleType(), True),
        T.StructField("containment", T.DoubleType(), True),
        # both sides' ordering facts, for clusters decided on the driver
        *(T.StructField(side + c, t, True) for side in ("a_", "b_") for c, t in _ORDER_FIELDS),
    ]
)


@dataclass
class ArchiveResult:
    """What an archive run did: counts, and where it wrote."""

    inputs: int = 0
    emitted: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    out: str | None = None
    rounds: int = 0

    def summary(self) -> str:
        """``5 inputs: 3 emitted, 2 rejected (...)``, as ``run`` prints it."""
        return Stats(self.inputs, self.emitted, self.rejected, self.reasons).summary()


# -- executors ---------------------------------------------------------------------------------
#: what the signer takes per input: ``(node, article, origin, line, reason)``; ``article``
#: ``None`` for a reject (``line`` its JSON, ``reason`` its reason)
_Item = tuple[int, Any, "str | None", str, "str | None"]


def _signer(config: DedupConfig, boilerplate: Any) -> Any:
    """Items (:data:`_Item`) -> fact rows, articles signed in batches of :data:`_SIGN_BATCH`
    by one engine per partition, rejects passed through."""

    def run(items: Iterable[_Item]) -> Iterator[tuple[Any, ...]]:
        engine = FA.engine(config, boilerplate.value if boilerplate else ())
        it = iter(items)
        while batch := list(itertools.islice(it, _SIGN_BATCH)):
            arts = [x for x in batch if x[1] is not None]
            for node, art, origin, line, reason in batch:
                if art is None:
                    yield (node, False, None, None, origin, line, *(None,) * 12, reason)
            fs = FA.sign_articles(engine, [(x[0], x[1]) for x in arts])
            for f, (_, _, origin, line, _) in zip(fs, arts, strict=True):
                yield (
                    f.node, True, f.ts, f.id, origin, line, f.rank, f.nsh, f.exact,
                    FA.coded(f.sig), f.sh, FA.coded(f.lede_sig), f.lede_n, f.lede_keys,
                    FA.coded(f.full_sig), f.full_n, f.keys, f.paras, None,
                )  # fmt: skip

    return run


#: articles signed in one call of the engine's batch kernels
_SIGN_BATCH = 1024


def _parse_and_sign(config: DedupConfig, max_bytes: int) -> Any:
    """Input lines (``(value, origin, copy)`` rows) -> fact rows: each parsed record's
    facts, or its reject."""

    def items(rows: Iterable[Any]) -> Iterator[_Item]:
        for node, origin, _, art, rej in FA.parse_lines(rows, max_bytes):
            if art is None:
                assert rej is not None
                yield node, None, origin, rej.to_json(), rej.reason
            else:
                yield node, art, origin, art.to_json(), None

    sign = _signer(config, None)
    return lambda rows: sign(items(rows))


def _resign(config: DedupConfig, boilerplate: Any) -> Any:
    """Fact rows (their ``node, art, origin, json, reason``) -> the same rows, each article
    signed again by an engine that knows the ``boilerplate`` paragraphs (rejects as they
    are). The article comes back from its JSON line (the same record: ``Article``
    round-trips through ``to_json``), not parsed again."""

    def items(rows: Iterable[Any]) -> Iterator[_Item]:
        for node, art, origin, line, reason in rows:
            yield node, FA.article_from_json(line) if art else None, origin, line, reason

    sign = _signer(config, boilerplate)
    return lambda rows: sign(items(rows))


def _verify(config: DedupConfig, names: Sequence[str]) -> Any:
    """``(a, b)`` rows with both sides' facts (columns ``names``) -> whether the stream links
    them: ``a`` checked as the new article against an emitted ``b`` (the later of the two is
    the new one), a few thousand pairs at a time
    (:func:`wireingest._archive.verify.verify_rows`)."""

    def run(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        from wireingest._archive.verify import verify_rows
        from wireingest._kernels import verifier

        check = verifier()
        it = iter(rows)
        while chunk := list(itertools.islice(it, _VERIFY_CHUNK)):
            yield from verify_rows(chunk, names, config, check)

    return run


#: pair rows verified together (one table of their older articles)
_VERIFY_CHUNK = 4096


# -- driver ------------------------------------------------------------------------------------
def read_lines(spark: Any, source: Sequence[str] | DataFrame) -> DataFrame:
    """``(value, origin)``: one JSON record per row, from JSON Lines (gzip too) or Parquet."""
    if isinstance(source, DataFrame):
        cols = source.columns
        if cols == ["value"]:
            df = source.select("value", F.lit("dataframe").alias("origin"))
        else:
            df = source.select(
                F.to_json(F.struct(*cols)).alias("value"), F.lit("dataframe").alias("origin")
            )
    else:
        parts: list[DataFrame] = []
        for p in source:
            path = Path(p)
            pq = path.suffix == ".parquet" or (path.is_dir() and any(path.rglob("*.parquet")))
            if pq:
                d = spark.read.option("recursiveFileLookup", "true").parquet(str(path))
                parts.append(
                    d.select(
                        F.to_json(F.struct(*d.columns)).alias("value"),
                        F.input_file_name().alias("origin"),
                    )
                )
            else:
                d = spark.read.option("recursiveFileLookup", "true").text(str(path))
                parts.append(d.select("value", F.input_file_name().alias("origin")))
        df = parts[0]
        for d in parts[1:]:
            df = df.unionByName(d)
    df = df.where(F.trim("value") != "")
    # identical lines of one file: numbered, so each is one input
    w = Window.partitionBy("value", "origin").orderBy("origin")
    return df.withColumn("copy", F.row_number().over(w))


def candidate_pairs(fx: DataFrame) -> DataFrame:
    """``(a, b)``: ``a`` later than ``b``, sharing a key; a key shared by more than
    ``MAX_PER_KEY`` articles pairs each only with the ``MAX_PER_KEY`` before it (the engine's
    cap), so a boilerplate band costs linear, not quadratic, work and shuffle."""
    k = fx.select("node", "ts", "id", F.explode(F.array_distinct("keys")).alias("key"))
    w = Window.partitionBy("key").orderBy("ts", "id", "node")
    k = k.withColumn("rn", F.row_number().over(w)).withColumn(
        "bk", F.floor(F.col("rn") / MAX_PER_KEY)
    )
    left = k.select("key", "bk", F.col("rn").alias("rn_a"), F.col("node").alias("a"))
    right = k.select("key", "bk", F.col("rn").alias("rn_b"), F.col("node").alias("b"))
    right = right.unionByName(right.withColumn("bk", F.col("bk") + 1))
    j = left.join(right, ["key", "bk"]).where(
        (F.col("rn_a") > F.col("rn_b")) & (F.col("rn_a") - F.col("rn_b") <= MAX_PER_KEY)
    )
    return j.select("a", "b").distinct()


def _with_facts(pairs: DataFrame, fx: DataFrame) -> DataFrame:
    """Both sides' facts on each pair. ``fx`` is partitioned by node, so only the pairs move:
    first to their earlier article ``b``, which adds the little the stream's index holds of
    it (no shingles), then to their new article ``a``, whose full facts stay in place."""
    n = fx.select(F.col("node").alias("a"), *[F.col(c).alias("n_" + c) for c in _SIGNED])
    o = fx.select(F.col("node").alias("b"), *[F.col(c).alias("o_" + c) for c in _HELD])
    return pairs.join(o, "b").join(n, "a")


def verify(spark: Any, pairs: DataFrame, fx: DataFrame, config: DedupConfig) -> DataFrame:
    """``(a, b, link, rel, reason, sim, containment)`` for each pair (``a`` the later)."""
    joined = _with_facts(pairs, fx)
    rows = joined.rdd.mapPartitions(_verify(config, joined.columns))
    out: DataFrame = spark.createDataFrame(rows, _LINK_SCHEMA, verifySchema=False)
    return out


def _order(prefix: str = "") -> Any:
    return F.struct(F.col(prefix + "ts"), F.col(prefix + "id"), F.col(prefix + "node"))


def clusters(
    spark: Any, links: DataFrame, fx: DataFrame, config: DedupConfig, chain: str
) -> tuple[DataFrame, int]:
    """``(node, kept, reason, sim, containment)`` for every rejected article (``kept``: the
    node it is a duplicate of), and the number of rounds.

    ``chain="components"``: a whole connected component is one story, its first (or best)
    article is kept. ``chain="star"``: only the articles the policy links directly to the kept
    one are rejected; the rest form the next round's clusters (the stream's own behaviour: a
    copy of a dropped copy that does not match the kept one is emitted).
    """
    slim = fx.select("node", "ts", "id", "rank", "nsh")
    edges = links.where("link").select(F.col("a").alias("u"), F.col("b").alias("v"))
    best = config.policy == "best"
    rejected: DataFrame | None = None
    rounds = 0
    while True:
        rounds += 1
        comps = connected_components(edges, spark).join(slim, "node")
        if best:
            key = F.struct(-F.col("rank"), -F.col("nsh"), "ts", "id", "node")
        else:
            key = F.struct("ts", "id", "node")
        kept = (
            comps.groupBy("comp")
            .agg(F.min(key).alias("k"))
            .select("comp", F.col("k.node").alias("kept"))
        )
        members = comps.join(kept, "comp").where(F.col("node") != F.col("kept"))
        mk = members.select("node", "kept", "ts", "id").join(
            slim.select(
                F.col("node").alias("kept"), F.col("ts").alias("k_ts"), F.col("id").alias("k_id")
            ),
            "kept",
        )
        later = F.struct("ts", "id", "node") > F.struct("k_ts", "k_id", "kept")
        pairs = mk.select(
            F.when(later, F.col("node")).otherwise(F.col("kept")).alias("a"),
            F.when(later, F.col("kept")).otherwise(F.col("node")).alias("b"),
        )
        checked = verify(spark, pairs, fx, config)
        rel = (
            mk.select("node", "kept")
            .join(
                checked.select(F.col("a"), F.col("b"), "link", "reason", "sim", "containment"),
                ((F.col("a") == F.col("node")) & (F.col("b") == F.col("kept")))
                | ((F.col("b") == F.col("node")) & (F.col("a") == F.col("kept"))),
            )
            .select("node", "kept", "link", "reason", "sim", "containment")
        )
        rel = rel.localCheckpoint(eager=False)
        if chain == "components":
            fallback = "superseded" if best else "near-duplicate"
            out = rel.select(
                "node", "kept",
                F.when(F.col("link"), F.col("reason")).otherwise(F.lit(fallback)).alias("reason"),
                "sim",
                F.when(F.col("link"), F.col("containment")).alias("containment"),
            )  # fmt: skip
            rejected = out if rejected is None else rejected.unionByName(out)
            break
        hit = rel.where("link").drop("link")
        rejected = hit if rejected is None else rejected.unionByName(hit)
        rest = rel.where(~F.col("link")).select("node")
        if rest.limit(1).count() == 0:
            break
        # next round: the links among the articles still undecided
        edges = (
            edges.join(rest.select(F.col("node").alias("u")), "u")
            .join(rest.select(F.col("node").alias("v")), "v")
            .select("u", "v")
            .localCheckpoint(eager=False)
        )
        if edges.limit(1).count() == 0:
            break
    assert rejected is not None
    return rejected, rounds


#: per article with a decision: the reject's kept id, reason, similarity and containment,
#: or what a kept one supersedes and the kept story it is related to
_DECISION_COLS = ("node", "kept_id", "reason", "sim", "containment", "sup", "related")
_DECISIONS = (
    "node long, kept_id string, reason string, sim double, containment double, "
    "sup array<string>, related string"
)
#: verified links (pairs the policy links or relates) up to this many are clustered on the
#: driver (:mod:`wireingest._archive.driver`); above it, in DataFrames (:func:`clusters`)
DRIVER_LINKS = 2_000_000


@dataclass
class _Pass:
    """One decision pass: the parsed inputs, the articles' facts (partitioned by node), and
    per article its decision (``decisions``) or whether it is no kept story (``excluded``)."""

    allf: DataFrame
    fx: DataFrame
    decisions: DataFrame
    excluded: DataFrame
    tally: Counter[str]
    rounds: int

    def unpersist(self) -> None:
        self.fx.unpersist()
        self.allf.unpersist()


def _decide_on_driver(
    spark: Any, rows: list[Any], fx: DataFrame, config: DedupConfig, chain: str
) -> tuple[DataFrame, DataFrame, Counter[str], int]:
    from wireingest._archive import driver as DR

    info: dict[int, DR.Info] = {}

    def to_links(rs: Iterable[Any]) -> list[DR.Link]:
        out = []
        for r in rs:
            info[r.a] = DR.Info(r.a_ts, r.a_id, r.a_rank, r.a_nsh)
            info[r.b] = DR.Info(r.b_ts, r.b_id, r.b_rank, r.b_nsh)
            out.append(DR.Link(r.a, r.b, r.link, r.rel, r.reason, r.sim, r.containment))
        return out

    def check(pairs: Sequence[tuple[int, int]]) -> list[DR.Link]:
        df = F.broadcast(spark.createDataFrame(list(pairs), "a long, b long"))
        return to_links(verify(spark, df, fx, config).collect())

    d = DR.decide(to_links(rows), info, config.policy == "best", chain, check)
    tally = Counter(r for _, r, *_ in d.rejected.values() if r)
    decisions = spark.createDataFrame(d.rows(info), _DECISIONS)
    excluded = spark.createDataFrame([(n,) for n in sorted(d.excluded)], "node long")
    return decisions, excluded, tally, d.rounds


def _decide_in_dataframes(
    spark: Any, links: DataFrame, fx: DataFrame, config: DedupConfig, chain: str
) -> tuple[DataFrame, DataFrame, Counter[str], int]:
    rejected, rounds = clusters(spark, links, fx, config, chain)
    rejected = rejected.localCheckpoint(eager=False)
    ids = fx.select(F.col("node").alias("kept"), F.col("id").alias("kept_id"))
    rej = rejected.join(ids, "kept").select("node", "kept_id", "reason", "sim", "containment")
    if config.policy == "best":
        order = fx.select("node", F.struct("ts", "id", "node").alias("o"))
        sup = (
            rejected.join(order, "node")
            .join(order.select(F.col("node").alias("kept"), F.col("o").alias("ko")), "kept")
            .where(F.col("o") < F.col("ko"))
            .join(fx.select("node", F.col("id").alias("rid")), "node")
            .groupBy(F.col("kept").alias("node"))
            .agg(F.array_sort(F.collect_set("rid")).alias("sup"))
        )
    else:
        sup = spark.createDataFrame([], "node long, sup array<string>")
    # under first: a kept article that extends another kept one names it (the stream's
    # ``related``), the most contained one first
    gone = rejected.select("node")
    relf = (
        links.where("rel")
        .join(gone.withColumnRenamed("node", "a"), "a", "left_anti")
        .join(gone.withColumnRenamed("node", "b"), "b", "left_anti")
        .groupBy(F.col("a").alias("node"))
        .agg(F.min(F.struct(-F.col("containment"), F.col("b_id"))).alias("r"))
        .select("node", F.col("r.b_id").alias("related"))
    )
    decisions = (
        rej.join(sup, "node", "full").join(relf, "node", "full").select(*_DECISION_COLS)
    ).localCheckpoint(eager=False)
    related = links.where("rel").select(F.col("a").alias("node"))
    excluded = gone.unionByName(related).distinct()
    tally = Counter(
        {
            r["reason"]: r["count"]
            for r in decisions.where(F.col("kept_id").isNotNull())
            .groupBy("reason")
            .count()
            .collect()
        }
    )
    return decisions, excluded, tally, rounds


#: the columns :func:`_render` takes, in its order
_RENDER_COLS = ("node", "art", "ts", "id", "origin", "json", *_DECISION_COLS[1:])


def _render(best: bool) -> Any:
    def run(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        # (rows unpacked by position: a Row's fields by name cost more than the rest here)
        for node, art, ts, id_, origin, line, kept_id, reason, sim, cont, sup, rel in rows:
            if not art:
                yield False, ts, id_, node, line
                continue
            if kept_id is None:
                if (best and sup) or rel:
                    d = json.loads(line)
                    if best and sup:
                        d["supersedes"] = sorted(sup)
                    if rel:
                        d["extra"] = {**(d.get("extra") or {}), "related": rel}
                    line = FA.article_from_json(json.dumps(d)).to_json()
                yield True, ts, id_, node, line
                continue
            a = json.loads(line)
            extra: dict[str, object] = {}
            if cont is not None:
                extra["containment"] = round(cont, 4)
            rej = Reject(
                reason=reason,
                message=_dup_message(reason, kept_id, sim),
                id=a["id"], url=a.get("url"), origin=origin, title=a.get("title"),
                duplicate_of=kept_id, similarity=sim, extra=extra,
            )  # fmt: skip
            yield False, ts, id_, node, rej.to_json()

    return run


_OUT_SCHEMA = T.StructType(
    [
        T.StructField("article", T.BooleanType(), False),
        T.StructField("ts", T.DoubleType(), True),
        T.StructField("id", T.StringType(), True),
        T.StructField("node", T.LongType(), False),
        T.StructField("line", T.StringType(), False),
    ]
)


def _write(df: DataFrame, root: Path) -> None:
    """One write job: ``root/articles/part-NNNNN.jsonl`` and ``root/rejects/...``, each
    partition's lines earliest first."""
    tmp = root / "_tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    (
        df.sortWithinPartitions("article", F.col("ts").asc_nulls_last(), "id", "node")
        .select(F.col("line").alias("value"), "article")
        .write.partitionBy("article")
        .mode("overwrite")
        .text(str(tmp))
    )
    for name, flag in (("articles", "true"), ("rejects", "false")):
        path = root / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        files = sorted(f for f in (tmp / f"article={flag}").glob("part-*") if f.is_file())
        for n, f in enumerate(files):
            os.replace(f, path / f"part-{n:05d}.jsonl")
    shutil.rmtree(tmp, ignore_errors=True)


def run_job(
    spark: Any,
    source: Sequence[str] | DataFrame,
    out: str | os.PathLike[str],
    config: DedupConfig,
    *,
    partitions: int | None = None,
    chain: str = "star",
    max_bytes: int | None = None,
    export_state: str | None = None,
    boilerplate: bool = True,
) -> ArchiveResult:
    from wireingest._formats import DEFAULT_MAX_BYTES

    nparts = partitions or spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.shuffle.partitions", str(nparts))
    lines = read_lines(spark, source)
    mb = max_bytes or DEFAULT_MAX_BYTES

    def decide(rows: Any, source: _Pass | None = None) -> _Pass:
        allf = spark.createDataFrame(rows, _FACT_SCHEMA, verifySchema=False).persist()
        # the facts the pairs need, shuffled once and kept partitioned by node: the joins
        # that bring them to the pairs shuffle only the pairs (and one side's facts)
        fx = (
            allf.where("art")
            .select("node", *_SIGNED, "keys", "paras")
            .repartition(nparts, "node")
            .persist()
        )
        if source is not None:
            # this pass's facts are made from ``source``'s cached parse: once they are cached
            # too, the source pass is dropped (the executors hold one pass at a time)
            fx.count()
            source.unpersist()
        links = verify(spark, candidate_pairs(fx), fx, config).where("link or rel")
        links = links.localCheckpoint(eager=False)
        n = links.count()
        if n <= DRIVER_LINKS:
            d, ex, tally, rounds = _decide_on_driver(spark, links.collect(), fx, config, chain)
        else:
            d, ex, tally, rounds = _decide_in_dataframes(spark, links, fx, config, chain)
        return _Pass(allf, fx, d, ex, tally, rounds)

    # pass 1 without boilerplate; its kept stories tell which paragraphs are boilerplate
    # (in >= BOILERPLATE_MIN_ARTICLES of them, as the stream learns it); pass 2 signs the
    # parsed articles of pass 1 again, stripping them (no second parse)
    p = decide(lines.rdd.mapPartitions(_parse_and_sign(config, mb)))
    if boilerplate:
        hot = (
            p.fx.join(F.broadcast(p.excluded), "node", "left_anti")
            .select(F.explode(F.array_distinct("paras")).alias("p"))
            .groupBy("p")
            .count()
            .where(F.col("count") >= BOILERPLATE_MIN_ARTICLES)
            .select("p")
        )
        hot_keys = sorted(int(r.p) for r in hot.collect())
        if hot_keys:
            bc = spark.sparkContext.broadcast(hot_keys)
            parsed = p.allf.select("node", "art", "origin", "json", "reason")
            p.fx.unpersist()
            p = decide(parsed.rdd.mapPartitions(_resign(config, bc)), source=p)
    base = p.allf.select("node", "art", "ts", "id", "origin", "json")
    full = base.join(F.broadcast(p.decisions), "node", "left").select(*_RENDER_COLS)
    outdf = spark.createDataFrame(
        full.rdd.mapPartitions(_render(config.policy == "best")), _OUT_SCHEMA, verifySchema=False
    )
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    _write(outdf, root)
    res = ArchiveResult(out=str(root), rounds=p.rounds)
    for r in p.allf.groupBy("art", "reason").count().collect():
        res.inputs += r["count"]
        if not r["art"]:
            res.rejected += r["count"]
            res.reasons[r["reason"]] += r["count"]
    dups = sum(p.tally.values())
    res.rejected += dups
    res.reasons.update(p.tally)
    res.emitted = res.inputs - res.rejected
    if export_state:
        # the kept articles as parsed (cached): the engine reads no field the output adds
        # (supersedes, extra), so nothing is rendered or parsed again for the export
        rejected = p.decisions.where(F.col("kept_id").isNotNull()).select("node")
        kept = (
            p.allf.where("art")
            .join(F.broadcast(rejected), "node", "left_anti")
            .select("ts", "id", "node", F.col("json").alias("line"))
        )
        export(kept, config, export_state, res.emitted)
    p.unpersist()
    return res


#: kept articles the driver holds at once while exporting the state
EXPORT_BATCH = 20_000


def export(articles: DataFrame, config: DedupConfig, state: str, count: int = 0) -> None:
    """The kept articles, earliest first, into a state ``run --state`` opens: the streaming
    engine decides them into its own store, so the state is exactly what it would hold.

    The articles come to the driver one range partition at a time (``toLocalIterator``),
    in at least ``count / EXPORT_BATCH`` partitions: the driver holds about two times
    :data:`EXPORT_BATCH` articles at once (the next partition is fetched while one is
    decided), whatever the size of the archive."""
    from wireingest._dedup import Deduplicator

    n = max(1, -(-count // EXPORT_BATCH), articles.rdd.getNumPartitions())
    order = (F.col("ts").asc_nulls_last(), "id", "node")
    rows = articles.repartitionByRange(n, *order).sortWithinPartitions(*order).select("line")
    batch = []
    with Deduplicator(config, state=state) as d:
        # (the next partition is computed while the engine decides this one)
        for r in rows.toLocalIterator(prefetchPartitions=True):
            batch.append(FA.article_from_json(r.line))
            if len(batch) >= 1024:
                d.check_many(batch)
                batch = []
        if batch:
            d.check_many(batch)
    print(f"wireingest: exported state to {state}", file=sys.stderr)
