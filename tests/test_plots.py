"""The benchmarks' --plot options draw real PNGs from a (sliced) syndication corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from conftest import ROOT
from PIL import Image

sys.path.insert(0, str(ROOT))

from benchmarks import plots, quality, sweep
from wireingest._dedup import default_params


def _png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        assert img.format == "PNG"
        return img.size


def test_sweep_plot(tmp_path: Path) -> None:
    out = tmp_path / "sweep.png"
    args = ["--clusters", "15", "--thresholds", "0.7,0.8", "--num-perms", "128"]
    args += ["--shingle-sizes", "5", "--params", "auto,8x16", "--plot", str(out)]
    assert sweep.main(args) == 0
    assert _png_size(out) == (1000, 720)
    assert out.stat().st_size < 200_000


def test_quality_plot(tmp_path: Path) -> None:
    out = tmp_path / "quality.png"
    assert quality.main(["--clusters", "15", "--plot", str(out)]) == 0
    assert _png_size(out) == (1100, 520)


def test_labelled_pairs_and_their_similarity() -> None:
    corpus = quality.slice_corpus(quality.load_corpus(), 15)
    pairs = plots._labelled_pairs(corpus)
    assert {"exact", "retyped", "brief", "same-topic", "shared-boilerplate"} <= set(pairs)
    jac, cont = plots.pair_measures(pairs["exact"] + pairs["same-topic"] + pairs["brief"])
    n, m = len(pairs["exact"]), len(pairs["same-topic"])
    assert np.all(jac[:n] == 1.0) and np.all(cont[:n] == 1.0)  # byte-identical copies
    assert np.all(jac[n : n + m] < 0.8)  # same-topic stories are different stories
    assert np.all(jac[n + m :] < 0.8)  # a brief is far from its story by Jaccard ...
    assert np.median(cont[n + m :]) > 0.9  # ... but contained in it


def test_s_curve_matches_the_engine_band_choice() -> None:
    b, r = default_params(0.8, 128)
    p = plots.candidate_probability(np.array([0.8]), b, r)[0]
    assert p >= 0.9  # the engine's rule for its default bands
    assert plots.candidate_probability(np.array([0.8]), b, r + 1)[0] < p
