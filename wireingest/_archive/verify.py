"""Candidate pairs verified in batches, with the policy's own functions.

:func:`wireingest._dedup.verify_pair` checks one pair: it builds a one-row table of the older
article, runs the compiled candidate checks (:func:`~wireingest._dedup.policy.check_candidates`)
and :func:`~wireingest._dedup.policy.decide`, which runs the checks once more. Per pair that
is about 0.2 ms of Python around a few microseconds of compiled work. :func:`verify_pairs`
gives the same facts and decisions for many pairs at once: one table of all the older
articles (:class:`~wireingest._dedup._index.Slots`, as the stream indexes them), one call of
the compiled checks per new article over all its candidates, and per pair ``decide`` against
that one candidate (its checks are handed the results already computed for it). No rule is
written here: every decision is ``decide``'s (tested against ``verify_pair`` pair by pair).

:func:`verify_rows` is the same over the archive's joined pair rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from wireingest import _kernels
from wireingest._dedup import Decision, DedupConfig, Signed
from wireingest._dedup._index import SIG_DTYPE, Slots, sig_code
from wireingest._dedup.policy import Verifier, decide, verify_params

__all__ = ["verify_pairs", "verify_rows"]

I64 = npt.NDArray[np.int64]


def verify_pairs(
    news: Sequence[Signed],
    olds: Slots,
    pairs: Sequence[tuple[int, int]],
    config: DedupConfig,
    check: Verifier,
) -> list[tuple[Decision, float]]:
    """Per pair ``(i, s)``: what :func:`~wireingest._dedup.verify_pair` decides for
    ``news[i]`` against the older article in row ``s`` of ``olds`` as the only emitted one,
    and the estimated Jaccard of the two."""
    params = verify_params(config)
    front = _kernels.front()
    by_new: dict[int, list[int]] = {}
    for k, (i, _) in enumerate(pairs):
        by_new.setdefault(i, []).append(k)
    out: list[tuple[Decision, float]] = [(Decision(True), 0.0)] * len(pairs)
    for i, ks in by_new.items():
        new = news[i]
        # the 16-bit codes decide verifies with, made once per new article
        # (sig_code returns codes as they are, so decide takes them like the values)
        codes: Any = sig_code(new.sig)
        lede_codes: Any = sig_code(new.lede_sig)
        new = dataclasses.replace(new, sig=codes, lede_sig=lede_codes)
        arr = np.fromiter((pairs[k][1] for k in ks), np.int64, len(ks))
        j, cn, co, kind = check(
            new.sig, new.nsh, new.lede_sig, new.lede_n, new.shingles, arr, olds.sig, olds.nsh,
            olds.lede, params,
        )  # fmt: skip
        for t, k in enumerate(ks):
            one = arr[t : t + 1]
            done = (j[t : t + 1], cn[t : t + 1], co[t : t + 1], kind[t : t + 1])

            def known(*args: Any, _one: I64 = one, _done: Any = done) -> Any:
                # decide's first steps (policy.check_front) for this one candidate, whose
                # checks were computed above; anything else it asks is computed as usual
                cands, exact, s_nsh, s_exact = args[0], args[1], args[8], args[9]
                if len(cands) != 1 or cands[0] != _one[0]:
                    return front(*args)
                s = int(cands[0])
                if s_nsh[s] == 0:  # (no text: never matched by an article with text)
                    empty = np.zeros(0)
                    return cands[:0], -1, empty, empty, empty, empty.astype(np.int8), False
                if s_exact[s] == exact:
                    return cands, 0, *_done, False
                return cands, -1, *_done, bool(_done[3].any())

            d, _ = decide(new, one, olds, config, known, params)
            out[k] = (d, float(j[t]))
    return out


def _u32(blobs: Sequence[bytes | None]) -> list[npt.NDArray[np.uint32]]:
    return [np.frombuffer(b or b"", np.uint32) for b in blobs]


#: the columns of a verified link after ``a, b``: link, rel, reason, sim, containment, then
#: both sides' ordering facts (the new article's ``a_*``, the older one's ``b_*``)
ORDER = ("ts", "id", "rank", "nsh")


def verify_rows(
    rows: Sequence[Sequence[Any]], names: Sequence[str], config: DedupConfig, check: Verifier
) -> list[tuple[Any, ...]]:
    """The links of joined pair rows (columns ``names``: ``a``, ``b``, the new article's
    facts as ``n_*``, the older one's held facts as ``o_*``; signatures as 16-bit codes,
    :func:`wireingest._archive.facts.coded`), one tuple per row:
    ``a, b, link, rel, reason, sim, containment, a_ts, a_id, a_rank, a_nsh, b_ts, ...``."""
    if not rows:
        return []
    at = {c: k for k, c in enumerate(names)}
    cols = list(zip(*rows, strict=True))

    def col(name: str) -> Sequence[Any]:
        return cols[at[name]]

    a, b = col("a"), col("b")
    # the older articles: one table row each, as the stream indexes them
    first_b: dict[int, int] = {}
    for k, x in enumerate(b):
        first_b.setdefault(x, k)
    ob = list(first_b.values())
    olds = Slots(config.num_perm, capacity=max(len(ob), 1))
    olds.add_many(
        [col("o_id")[k] for k in ob],
        np.stack([np.frombuffer(col("o_sig")[k], SIG_DTYPE) for k in ob]),
        np.array([col("o_exact")[k] for k in ob], np.int64),
        [col("o_ts")[k] for k in ob], [col("o_nsh")[k] for k in ob],
        [col("o_rank")[k] for k in ob],
        np.stack(_u32([col("o_lede_keys")[k] for k in ob])),
    )  # fmt: skip
    row_b = {x: s for s, x in enumerate(first_b)}
    # the new articles: one Signed each
    first_a: dict[int, int] = {}
    for k, x in enumerate(a):
        first_a.setdefault(x, k)
    row_a = {x: i for i, x in enumerate(first_a)}
    news = []
    for k in first_a.values():
        full = col("n_full_sig")[k]
        sig: Any = np.frombuffer(col("n_sig")[k], SIG_DTYPE)  # codes: see facts.coded
        lede: Any = np.frombuffer(col("n_lede_sig")[k], SIG_DTYPE)
        whole: Any = np.frombuffer(full, SIG_DTYPE) if full else None
        one = Signed(
            col("n_id")[k], sig, col("n_nsh")[k], col("n_exact")[k], col("n_rank")[k],
            np.frombuffer(col("n_sh")[k], np.uint32), lede, col("n_lede_n")[k],
            np.frombuffer(col("n_lede_keys")[k], np.uint32), col("n_ts")[k], whole,
            col("n_full_n")[k] or 0,
        )  # fmt: skip
        news.append(one)
    pairs = [(row_a[x], row_b[y]) for x, y in zip(a, b, strict=True)]
    res = verify_pairs(news, olds, pairs, config, check)
    best = config.policy == "best"
    sides = [col(p + c) for p in ("n_", "o_") for c in ORDER]
    out = []
    for k, (d, j) in enumerate(res):
        row = (
            a[k], b[k], not d.emit or (best and bool(d.supersedes)),
            d.emit and d.related is not None, d.reason if not d.emit else "superseded",
            float(d.similarity if d.similarity is not None else j), d.containment,
            *(s[k] for s in sides),
        )  # fmt: skip
        out.append(row)
    return out
