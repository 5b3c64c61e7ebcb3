"""Archive dedup on Spark (``wireingest archive``): quality and scale.

``python benchmarks/bench_archive.py quality``: archive the labelled syndication corpus
(``corpora/syndication``) with chains as stars and as connected components, stream it with
``wireingest run``, and score all three against the labels (pairwise F1, hard-negative merges;
the scoring of ``benchmarks/quality.py``). Clusters come from the output files alone:
``duplicate_of`` of every reject, ``supersedes`` and ``extra.related`` of every article.

``python benchmarks/bench_archive.py scale --sizes 25000 100000``: generate archives of those
sizes from the corpus (``make_archive``: every copy of the corpus gets its own vocabulary, so
copies are not duplicates of one another), run ``wireingest archive`` on ``local[2]`` and
``wireingest run`` on the same input, and report docs/s and shuffle bytes per article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.quality import (  # noqa: E402
    DEFAULT_CORPUS,
    clusters_from_links,
    load_corpus,
    score,
)

PY = sys.executable


def _lines(paths: Iterable[Path]) -> Iterable[dict[str, Any]]:
    for p in paths:
        with p.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def output_links(articles: Iterable[Path], rejects: Iterable[Path]) -> list[tuple[str, str]]:
    """Links an output carries: reject -> duplicate_of, article -> supersedes / related."""
    links: list[tuple[str, str]] = []
    for r in _lines(rejects):
        if r.get("id") and r.get("duplicate_of"):
            links.append((r["id"], r["duplicate_of"]))
    for a in _lines(articles):
        links.extend((a["id"], s) for s in a.get("supersedes") or ())
        rel = (a.get("extra") or {}).get("related")
        if rel:
            links.append((a["id"], rel))
    return links


def score_output(
    articles: Sequence[Path], rejects: Sequence[Path], corpus_dir: Path = DEFAULT_CORPUS
) -> dict[str, Any]:
    corpus = load_corpus(corpus_dir)
    pred = clusters_from_links(corpus.labels, output_links(articles, rejects))
    sc = score(corpus.labels, pred)
    n_art = sum(1 for _ in _lines(articles))
    n_rej = sum(1 for _ in _lines(rejects))
    return {
        "f1": round(sc.f1, 4), "precision": round(sc.precision, 4),
        "recall": round(sc.recall, 4), "hard_negative_merges": len(sc.hard_negative_merges),
        "brief_update_recall": round(sc.brief_update_recall, 4), "emitted": n_art,
        "rejected": n_rej,
    }  # fmt: skip


def run_stream(inp: Sequence[Path], out: Path, *args: str) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    plain = []
    for p in inp:  # run takes a .gz file as one document: give it the JSON Lines
        if p.suffix == ".gz":
            q = out / p.stem
            with gzip.open(p, "rb") as fi, q.open("wb") as fq:
                shutil.copyfileobj(fi, fq)
            p = q
        plain.append(p)
    t0 = time.perf_counter()
    with (out / "articles.jsonl").open("w") as fo:
        subprocess.run(
            [PY, "-m", "wireingest", "run", *map(str, plain), "--rejects",
             str(out / "rejects.jsonl"), *args],
            stdout=fo, stderr=subprocess.DEVNULL, check=True,
        )  # fmt: skip
    return time.perf_counter() - t0


def quality(args: argparse.Namespace) -> int:
    src = args.corpus / "articles.jsonl"
    work = Path(args.work)
    results: dict[str, Any] = {}
    t = run_stream([src], work / "stream", "--policy", args.policy)
    results["run"] = score_output([work / "stream/articles.jsonl"], [work / "stream/rejects.jsonl"])
    results["run"]["seconds"] = round(t, 1)
    from wireingest._dedup import DedupConfig
    from wireingest.archive import dedup, spark_session

    spark = spark_session(args.master, args.partitions)
    for chain in ("star", "components"):
        out = work / f"archive-{chain}"
        t0 = time.perf_counter()
        res = dedup(
            spark, [str(src)], out, DedupConfig(policy=args.policy), chain=chain,
            partitions=args.partitions,
        )  # fmt: skip
        sc = score_output(sorted((out / "articles").glob("*.jsonl")),
                          sorted((out / "rejects").glob("*.jsonl")))  # fmt: skip
        sc["seconds"] = round(time.perf_counter() - t0, 1)
        sc["rounds"] = res.rounds
        results[f"archive/{chain}"] = sc
    print(json.dumps(results, indent=1))
    return 0


_WORD = re.compile(r"[A-Za-z]{3,}")


def _vary(text: str, k: int) -> str:
    """Copy ``k`` of the corpus: about two thirds of the words get a copy-specific suffix
    (the same word the same way within a copy), so syndicated variants inside a copy stay
    duplicates of each other while copies share only short function words."""
    if k == 0 or not text:
        return text

    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        h = zlib.crc32(f"{w.lower()}|{k}".encode()) & 0xFFFF
        return w if h % 3 == 0 else f"{w}{'xyzqvk'[h % 6]}{h % 97}"

    return _WORD.sub(sub, text)


def make_archive(n: int, path: Path, corpus_dir: Path = DEFAULT_CORPUS) -> Path:
    """``n`` records (gzip JSON Lines): copies of the labelled corpus, each with its own
    vocabulary (:func:`_vary`), ids and a publication time shifted by ``k`` days."""
    if path.exists():  # made before: the same n gives the same records
        return path
    recs = list(_lines([corpus_dir / "articles.jsonl"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with gzip.open(part, "wt", encoding="utf-8") as f:
        for i in range(n):
            k, r = divmod(i, len(recs))
            r = dict(recs[r])
            r["id"] = f"{r['id']}-k{k}"
            for field_ in ("title", "body"):
                if r.get(field_):
                    r[field_] = _vary(r[field_], k)
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(part, path)
    return path


def _stages(app_id: str, port: int = 4040) -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{port}/api/v1/applications/{app_id}/stages?status=complete"
    with urllib.request.urlopen(url, timeout=30) as r:
        return list(json.load(r))


def _shuffle_bytes(app_id: str, port: int = 4040) -> int:
    return sum(int(s.get("shuffleWriteBytes", 0)) for s in _stages(app_id, port))


class _CPU:
    """CPU seconds (user + system) of this process's descendants (the Spark JVM, its Python
    workers), by command name, sampled from /proc every second: a cost that, unlike wall
    time, does not grow with the machine's load. Linux only (empty elsewhere)."""

    def __init__(self) -> None:
        import threading

        self.seen: dict[int, tuple[str, float]] = {}
        self._tck = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._stop = threading.Event()
        self.sample()
        self.start = self.by_name()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def sample(self) -> None:
        parent: dict[int, int] = {}
        spent: dict[int, tuple[str, float]] = {}
        for d in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if not d.isdigit():
                continue
            try:
                raw = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            f = raw[raw.rindex(")") + 2 :].split()
            parent[int(d)] = int(f[1])
            spent[int(d)] = (name, (int(f[11]) + int(f[12])) / self._tck)
        me = os.getpid()
        for pid, (name, t) in spent.items():
            p = parent.get(pid)
            while p and p != me:
                p = parent.get(p)
            if p == me and t >= self.seen.get(pid, ("", 0.0))[1]:
                self.seen[pid] = (name, t)

    def by_name(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, t in self.seen.values():
            out[name] = out.get(name, 0.0) + t
        return out

    def _run(self) -> None:
        while not self._stop.wait(1):
            self.sample()

    def stop(self) -> dict[str, float]:
        """CPU seconds since the start, by command name (``java``, ``python``...)."""
        self._stop.set()
        self._t.join()
        self.sample()
        return {k: v - self.start.get(k, 0.0) for k, v in self.by_name().items() if v > 0}


class _Load:
    """The 1-minute load average sampled every 10 s while a run goes on (mean and max)."""

    def __init__(self) -> None:
        import threading

        self.samples: list[float] = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(10):
                return

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._t.join()
        s = self.samples
        return {"load_mean": round(sum(s) / len(s), 2), "load_max": round(max(s), 2)}


def scale(args: argparse.Namespace) -> int:
    from wireingest._archive.session import spark_session
    from wireingest.archive import dedup

    work = Path(args.work)
    # the UI's REST API reports shuffle bytes; the session is the one ``archive`` starts (its
    # Python workers run this interpreter, with numba)
    spark = spark_session(
        args.master, args.partitions,
        conf={"spark.ui.enabled": "true", "spark.driver.memory": args.driver_memory},
    )  # fmt: skip
    app = spark.sparkContext.applicationId
    port = int(spark.sparkContext.uiWebUrl.rsplit(":", 1)[1])
    rows = []
    for n in args.sizes:
        src = make_archive(n, work / f"archive-{n}.jsonl.gz")
        load0 = os.getloadavg()[0]
        done = {s["stageId"] for s in _stages(app, port)}
        load, cpu = _Load(), _CPU()
        me0 = time.process_time()
        parts = max(args.partitions, -(-n // args.per_partition))
        t0 = time.perf_counter()
        res = dedup(spark, [str(src)], work / f"out-{n}", partitions=parts,
                    boilerplate=not args.no_boilerplate)  # fmt: skip
        secs = time.perf_counter() - t0
        loads = load.stop()
        cpu_s = {k: round(v, 1) for k, v in cpu.stop().items()}
        cpu_s["driver python"] = round(time.process_time() - me0, 1)
        stages = [s for s in _stages(app, port) if s["stageId"] not in done]
        shuffled = sum(int(s.get("shuffleWriteBytes", 0)) for s in stages)
        # executor time (task wall time: it grows with the machine's load) per article
        exec_ms = sum(int(s.get("executorRunTime", 0)) for s in stages)
        top = sorted(stages, key=lambda s: -int(s.get("executorRunTime", 0)))[:6]
        row = {
            "articles": n, "partitions": parts, "archive_seconds": round(secs, 1), "archive_docs_s": round(n / secs, 1),
            "shuffle_bytes_per_article": round(shuffled / n), "emitted": res.emitted,
            "rejected": res.rejected, "load_before": round(load0, 2), **loads,
            "load_after": round(os.getloadavg()[0], 2),
            "executor_ms_per_article": round(exec_ms / n, 3), "stages": len(stages),
            "cpu_seconds": cpu_s,
            "cpu_ms_per_article": round(1e3 * sum(cpu_s.values()) / n, 2),
            "top_stages_ms_per_article": [
                [s["stageId"], s["name"].split(" at ")[0], round(s["executorRunTime"] / n, 3)]
                for s in top
            ],
        }  # fmt: skip
        if not args.no_run:
            load = _Load()
            t = run_stream([src], work / f"run-{n}")
            row["run_load_mean"] = load.stop()["load_mean"]
            row["run_seconds"] = round(t, 1)
            row["run_docs_s"] = round(n / t, 1)
            row["run_emitted"] = sum(1 for _ in _lines([work / f"run-{n}/articles.jsonl"]))
            row["load_after_run"] = round(os.getloadavg()[0], 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    q.add_argument("--policy", choices=("first", "best"), default="first")
    s = sub.add_parser("scale")
    s.add_argument("--sizes", type=int, nargs="+", default=[25000, 100000, 400000])
    s.add_argument("--no-run", action="store_true", help="skip wireingest run")
    s.add_argument("--no-boilerplate", action="store_true")
    s.add_argument(
        "--per-partition", type=int, default=12_500,
        help="articles per partition at most (more partitions than --partitions if needed)",
    )  # fmt: skip
    s.add_argument("--driver-memory", default="6g", help="the local JVM's heap (Spark's 1g OOMs)")
    for p in (q, s):
        p.add_argument("--master", default="local[2]")
        p.add_argument("--partitions", type=int, default=8)
        p.add_argument("--work", default="/tmp/bench-archive")
    args = ap.parse_args(argv)
    random.seed(0)
    return quality(args) if args.cmd == "quality" else scale(args)


if __name__ == "__main__":
    sys.exit(main())
