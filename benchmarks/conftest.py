"""Benchmark options (the tuning knobs) and a ratio summary against the naive baselines.

Knobs (all optional)::

    --dedup-n 1000            articles per benchmark corpus
    --dedup-threshold 0.8     --dedup-num-perm 128     --dedup-bands 16x8
    --dedup-shingle 5         --dedup-backend numba|numpy

Under the default ``--benchmark-disable`` every benchmark runs once on a small corpus, as a
correctness smoke test. With ``--benchmark-enable`` the session ends with a table: for every
group, our time per article, the naive datasketch baseline's, the speed-up, and articles/s.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("wireingest dedup benchmarks")
    g.addoption("--dedup-n", type=int, default=None, help="articles per corpus")
    g.addoption("--dedup-threshold", type=float, default=0.8)
    g.addoption("--dedup-num-perm", type=int, default=128)
    g.addoption("--dedup-bands", default=None, help="BANDSxROWS, e.g. 16x8 (default: derived)")
    g.addoption("--dedup-shingle", type=int, default=5)
    g.addoption("--dedup-backend", default=None, help="numba or numpy (default: numba if any)")


@pytest.fixture(scope="session")
def knobs(request: pytest.FixtureRequest) -> dict[str, Any]:
    opt = request.config.getoption
    # pytest-benchmark's own rule: --benchmark-enable wins over --benchmark-disable
    disabled = bool(opt("benchmark_disable", default=False)) and not bool(
        opt("benchmark_enable", default=False)
    )
    bands = opt("--dedup-bands")
    params = tuple(int(x) for x in bands.lower().split("x")) if bands else None
    n = opt("--dedup-n") or (150 if disabled else 1000)
    return {
        "n": n,
        "threshold": opt("--dedup-threshold"),
        "num_perm": opt("--dedup-num-perm"),
        "params": params,
        "shingle_size": opt("--dedup-shingle"),
        "backend": opt("--dedup-backend"),
        "disabled": disabled,
    }


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # the benchmark module keeps the figures (no import of this conftest from it: the tests
    # directory has a conftest module of its own)
    mod = next((m for n, m in list(sys.modules.items()) if n.endswith("bench_dedup")), None)
    RESULTS: dict[str, dict[str, float]] = getattr(mod, "RESULTS", {})
    FIGURES: dict[str, str] = getattr(mod, "FIGURES", {})
    if not RESULTS and not FIGURES:
        return
    tr = terminalreporter
    tr.section("wireingest dedup: ours vs naive datasketch (same session, same corpus)")
    if RESULTS:
        tr.write_line(f"{'group':<14}{'ours us/art':>13}{'naive us/art':>14}{'speed-up':>10}"
                      f"{'ours art/s':>12}")  # fmt: skip
    for group, r in sorted(RESULTS.items()):
        ours, naive = r.get("ours"), r.get("naive")
        up = f"{naive / ours:.1f}x" if ours and naive else "-"
        tr.write_line(
            f"{group:<14}{(ours or 0) * 1e6:>13.1f}{(naive or 0) * 1e6:>14.1f}{up:>10}"
            f"{(1 / ours if ours else 0):>12.0f}"
        )
    for k, v in FIGURES.items():
        tr.write_line(f"{k}: {v}")
