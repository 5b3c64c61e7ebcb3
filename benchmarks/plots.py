"""Plots for tuning the dedup settings (matplotlib, in the ``bench`` extra).

* :func:`sweep_plot` (``python -m benchmarks.sweep --plot FILE.png``): pairwise precision,
  recall and F1 against the threshold, one line per band setting, the default setting marked;
  and the LSH S-curve of each band setting: the chance that a pair of a given Jaccard
  similarity shares at least one band key and so becomes a candidate.
* :func:`quality_plot` (``python -m benchmarks.quality --plot FILE.png``): histograms of the
  estimated Jaccard similarity of the labelled true pairs (each variant against the story it
  was made from) and of the hard negatives (same-topic stories against the story they imitate,
  shared-boilerplate stories against the others of their group), with the threshold line; and
  the same for the estimated containment of the shorter text in the longer one, with the
  containment line.

Every similarity is the engine's own estimate from its MinHash signatures
(:func:`pair_measures`), so what the histograms show is what the engine decides on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import quality

__all__ = ["candidate_probability", "pair_measures", "quality_plot", "sweep_plot"]

DEFAULT_THRESHOLD = 0.8
DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE = 5
DEFAULT_CONTAINMENT = 0.8
_DPI = 100
_PERM_DEFAULT = (None, DEFAULT_NUM_PERM)
_SHINGLE_DEFAULT = (None, DEFAULT_SHINGLE)


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise SystemExit("--plot needs matplotlib: pip install -e '.[bench]'") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: str | Path) -> Path:
    """Write the figure as a small PNG: rendered at 100 dpi, then reduced to a 128-colour
    palette (the plots are flat colours; this makes the file about a third of the size)."""
    import io

    from PIL import Image  # a dependency of matplotlib

    buf = io.BytesIO()
    fig.savefig(buf, dpi=_DPI, format="png")
    out = Path(path)
    with Image.open(buf) as img:
        img.convert("RGB").quantize(colors=128).save(out, optimize=True)
    return out


def candidate_probability(j: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``1 - (1 - j**rows)**bands``: the chance a pair at Jaccard ``j`` is an LSH candidate."""
    return 1.0 - (1.0 - np.power(j, rows)) ** bands


def _bands_label(params: tuple[int, int] | None) -> str:
    return "auto" if params is None else f"{params[0]}x{params[1]}"


def sweep_plot(results: Sequence[tuple[Mapping[str, Any], Any]], path: str | Path) -> Path:
    """Draw a sweep's rows: ``results`` are ``(settings, score)`` pairs as the sweep makes them.

    One line per band setting (and per ``num_perm`` / shingle size when the sweep varied them);
    the default setting (threshold 0.8, the engine's bands, 128 permutations, 5-word shingles)
    is marked with a star. The S-curves are drawn for each band setting at the default
    threshold (``auto`` resolved as the engine resolves it).
    """
    from wireingest._dedup import default_params

    plt = _pyplot()
    groups: dict[tuple[Any, ...], list[tuple[float, Any]]] = defaultdict(list)
    for settings, sc in results:
        key = (settings.get("params"), settings.get("num_perm"), settings.get("shingle_size"))
        groups[key].append((float(settings["threshold"]), sc))
    vary_perm = len({k[1] for k in groups}) > 1
    vary_shingle = len({k[2] for k in groups}) > 1

    def label(key: tuple[Any, ...]) -> str:
        s = f"bands {_bands_label(key[0])}"
        if key[0] is None:
            s += " (the engine's choice per threshold)"
        if vary_perm:
            s += f", {key[1]} perm"
        if vary_shingle:
            s += f", {key[2]}-word shingles"
        return s

    fig, axes = plt.subplots(2, 2, figsize=(10, 7.2))
    metrics = (("precision", "Pairwise precision"), ("recall", "Pairwise recall"), ("f1", "F1"))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ordered = sorted(groups, key=str)
    colour = {key: palette[n % len(palette)] for n, key in enumerate(ordered)}
    for (name, title), ax in zip(metrics, axes.flat, strict=False):
        values = []
        for key in ordered:
            rows = sorted(groups[key], key=lambda t: t[0])
            ys = [getattr(sc, name) for _, sc in rows]
            values += ys
            xs = [t for t, _ in rows]
            ax.plot(xs, ys, marker="o", ms=3.5, lw=1.4, color=colour[key], label=label(key))
            if key[0] is None and key[1] in _PERM_DEFAULT and key[2] in _SHINGLE_DEFAULT:
                for t, y in zip(xs, ys, strict=True):
                    if abs(t - DEFAULT_THRESHOLD) < 1e-9:
                        ax.plot([t], [y], "k*", ms=14, zorder=5, label="default setting")
        ax.axvline(DEFAULT_THRESHOLD, color="grey", ls=":", lw=1)
        if values and max(values) - min(values) < 0.002:  # flat (precision 1.0 throughout)
            ax.set_ylim(min(values) - 0.02, max(values) + 0.005)
        ax.set_title(title)
        ax.set_xlabel("Jaccard threshold")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8, loc="lower left")

    ax = axes.flat[3]
    j = np.linspace(0.0, 1.0, 401)
    curves: dict[tuple[int, int], tuple[str, str]] = {}  # (b, r) -> colour, label suffix
    for key in ordered:  # explicit band settings first: they keep their colour
        params, num_perm = key[0], key[1] or DEFAULT_NUM_PERM
        if params is None:
            params = default_params(DEFAULT_THRESHOLD, num_perm)
            tag = f" (default at {DEFAULT_THRESHOLD})"
            old = curves.get(params)
            curves[params] = (old[0] if old else colour[key], tag)
        else:
            curves.setdefault(params, (colour[key], ""))
    for (b, r), (c, tag) in sorted(curves.items()):
        ax.plot(j, candidate_probability(j, b, r), lw=1.6, color=c, label=f"{b}x{r}{tag}")
    ax.axvline(DEFAULT_THRESHOLD, color="grey", ls=":", lw=1, label="default threshold")
    ax.set_title("LSH S-curve: chance a pair becomes a candidate")
    ax.set_xlabel("Jaccard similarity of the pair")
    ax.set_ylabel("P(candidate)")
    ax.legend(fontsize=8, loc="upper left", title="bands x rows", title_fontsize=8)
    ax.grid(alpha=0.3)
    fixed = []
    if not vary_perm:
        fixed.append(f"{next(iter(groups))[1] or DEFAULT_NUM_PERM} permutations")
    if not vary_shingle:
        fixed.append(f"{next(iter(groups))[2] or DEFAULT_SHINGLE}-word shingles")
    fig.suptitle(
        "Dedup sweep on the syndication corpus" + (f" ({', '.join(fixed)})" if fixed else "")
    )
    fig.tight_layout()
    out = _save(fig, path)
    plt.close(fig)
    return out


def pair_measures(
    pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]], **settings: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The engine's estimated Jaccard, and containment of the shorter text in the longer, of
    record pairs ``(new, old)``: both articles prepared and signed by the engine
    (:func:`wireingest._explain.sign_articles`) and measured by the policy's own
    :func:`~wireingest._dedup.verify_pair`, as the bare engine sees the raw bodies.
    """
    from wireingest._dedup import verify_pair
    from wireingest._explain import sign_articles
    from wireingest.types import Article

    cfg = quality.dedup_config(
        **{k: v for k, v in settings.items() if k in ("threshold", "num_perm", "seed",
                                                      "shingle_size", "containment")}
    )  # fmt: skip
    index: dict[str, int] = {}
    arts: list[Article] = []
    for pair in pairs:
        for r in pair:
            rid = str(r["id"])
            if rid not in index:
                index[rid] = len(arts)
                arts.append(
                    Article(id=rid, body=str(r.get("body") or ""), language=r.get("language"))
                )
    signed, _, _ = sign_articles(cfg, arts)
    jac = np.empty(len(pairs))
    cont = np.empty(len(pairs))
    for t, (new, old) in enumerate(pairs):
        sn, so = signed[index[str(new["id"])]], signed[index[str(old["id"])]]
        f = verify_pair(sn, so, cfg)
        jac[t] = f.jaccard
        cont[t] = f.containment_new_in_old if sn.nsh <= so.nsh else f.containment_old_in_new
    return jac, cont


def _labelled_pairs(
    corpus: Any,
) -> dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]]:
    by_id = {str(r["id"]): r for r in corpus.records}
    out: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = defaultdict(list)
    groups: dict[str, list[str]] = defaultdict(list)
    for i, lab in sorted(corpus.labels.items()):
        kind = lab["kind"]
        if kind == "base" or i not in by_id:
            continue
        if kind == "shared-boilerplate":
            groups[str(lab["group"])].append(i)
            continue
        other = lab.get("negative_of") if kind == "same-topic" else lab.get("base")
        if other in by_id:
            out[kind].append((by_id[i], by_id[other]))
    for members in groups.values():
        for k, x in enumerate(members):
            for y in members[k + 1 :]:
                out["shared-boilerplate"].append((by_id[x], by_id[y]))
    return out


def quality_plot(
    corpus: Any, path: str | Path, *, settings: Mapping[str, Any] | None = None
) -> Path:
    """Histograms of the engine's similarity estimates for true pairs and hard negatives."""
    plt = _pyplot()
    settings = dict(settings or {})
    threshold = settings.get("threshold") or DEFAULT_THRESHOLD
    containment = settings.get("containment") or DEFAULT_CONTAINMENT
    pairs = _labelled_pairs(corpus)
    kinds = sorted(pairs)
    flat = [p for k in kinds for p in pairs[k]]
    jac, cont = pair_measures(flat, **settings)
    span: dict[str, slice] = {}
    lo = 0
    for k in kinds:
        span[k] = slice(lo, lo + len(pairs[k]))
        lo += len(pairs[k])
    hard = ("same-topic", "shared-boilerplate")
    copies = [k for k in kinds if k not in hard and k not in ("brief", "update")]
    groups = (
        ("copies (" + ", ".join(copies) + ")", copies, "tab:blue"),
        ("briefs and updates", ["brief", "update"], "tab:orange"),
        ("hard negatives (same-topic, shared-boilerplate)", list(hard), "tab:red"),
    )
    fig, axes = plt.subplots(1, 2, figsize=(11, 5.2), sharey=True)
    bins = np.linspace(0.0, 1.0, 41)
    panels = (
        (axes[0], jac, threshold, "estimated Jaccard similarity", f"threshold {threshold}"),
        (
            axes[1],
            cont,
            containment,
            "estimated containment of the shorter text in the longer",
            f"containment {containment}",
        ),
    )
    for ax, values, limit, what, line in panels:
        for name, ks, colour in groups:
            v = np.concatenate([values[span[k]] for k in ks if k in span])
            ax.hist(v, bins=bins, alpha=0.55, color=colour, label=f"{name}: {len(v)} pairs")
        ax.axvline(limit, color="black", ls="--", lw=1.2)
        ax.set_title(f"{what.split(' of ')[0]} (dashed: {line})", fontsize=10)
        ax.set_yscale("log")
        ax.set_xlabel(what)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("labelled pairs (log scale)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8.5, frameon=False)
    fig.suptitle(
        "Syndication corpus: the engine's estimates for labelled pairs (raw bodies, as the "
        "bare engine sees them)",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    out = _save(fig, path)
    plt.close(fig)
    return out


def noise_plot(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """Share of noisy copies linked to their base against the character error rate, one line
    per copy kind and shingling (rows of :func:`benchmarks.sweep.noise_sweep`)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for kind, style in (("noisy", "-"), ("noisy-abridged", "--"), ("noisy, other model", ":")):
        mine = [r for r in rows if r["kind"] == kind]
        x = [100 * float(r["rate"]) for r in mine]
        for name, colour in (("words", "tab:red"), ("ocr-fold", "tab:blue")):
            ax.plot(x, [r[name] for r in mine], style, color=colour, marker="o", ms=3,
                    label=f"{kind}, {name}")  # fmt: skip
    ax.axhline(0.95, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("OCR character error rate (%)")
    ax.set_ylabel("copies linked to their base")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Noisy reprints: word shingles (earlier default) against OCR folding")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    out = _save(fig, path)
    plt.close(fig)
    return out
