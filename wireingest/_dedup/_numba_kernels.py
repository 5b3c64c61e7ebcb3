"""The numba kernels (imported on first use by :mod:`._kernels`; see there)."""

# mypy: ignore-errors
from __future__ import annotations

from typing import Any

import numba
import numpy as np

from wireingest._dedup._text import G_LEN, P_TOKEN

_P = np.uint64(P_TOKEN)
_G = np.uint64(G_LEN)
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_S32 = np.uint64(32)


@numba.njit(cache=True, nogil=True)
def _nb_fmix64(h: Any) -> Any:
    h ^= h >> _S33
    h *= _C1
    h ^= h >> _S33
    h *= _C2
    h ^= h >> _S33
    return h


@numba.njit(cache=True, nogil=True)
def _nb_shingles(  # type: ignore[no-untyped-def]
    cps, offsets, char_mode, sizes, table, q, toks, lens, out, out_off, exact
):
    n_docs = len(offsets) - 1
    total = 0
    one = np.uint64(1)
    zero = np.uint64(0)
    for d in range(n_docs):
        out_off[d] = total
        s = offsets[d]
        end = offsets[d + 1]
        nt = 0
        if char_mode[d]:  # every word character is a token
            for i in range(s, end):
                cp = cps[i]
                if cp >= 0x10000 or table[cp] != 0:
                    toks[nt] = _nb_fmix64((np.uint64(cp) + one) ^ _G)
                    nt += 1
        else:
            # branch-free: word/separator alternate at random, and mispredicted branches
            # cost more than the arithmetic. The polynomial and length of the token being
            # read are stored at ``nt`` on every character; ``nt`` advances after a token.
            h = zero
            pw = one
            ln = zero
            for i in range(s, end):
                cp = cps[i]
                w = np.uint64(table[min(cp, np.uint32(0xFFFF))]) | np.uint64(
                    cp >> np.uint32(16) != 0
                )
                keep = zero - w  # all ones inside a word
                toks[nt] = h
                lens[nt] = ln
                nt += np.int64((one - w) & np.uint64(ln != zero))
                h = (h + (np.uint64(cp) + one) * pw) & keep
                pw = ((pw * _P) & keep) | (one - w)
                ln = (ln + one) & keep
            if ln != zero:
                toks[nt] = h
                lens[nt] = ln
                nt += 1
            for t in range(nt):
                toks[t] = _nb_fmix64(toks[t] ^ (lens[t] * _G))
        e = zero
        pw = one
        for t in range(nt):
            e += toks[t] * pw
            pw *= _P
        exact[d] = _nb_fmix64(e ^ (np.uint64(nt) * _G))
        if nt == 0:
            continue
        k = sizes[d]
        if nt < k:
            acc = zero
            for t in range(nt):
                acc += toks[t] * q[t]
            out[total] = np.uint32(_nb_fmix64(acc) >> _S32)
            total += 1
        else:
            for j in range(nt - k + 1):
                acc = zero
                for t in range(k):
                    acc += toks[j + t] * q[t]
                out[total] = np.uint32(_nb_fmix64(acc) >> _S32)
                total += 1
    out_off[n_docs] = total
    return total


@numba.njit(cache=True, nogil=True)
def _nb_minhash(sh, sh_off, a, b, out):  # type: ignore[no-untyped-def]
    # The running minima live in a local array and are updated with an unconditional
    # ``min``: LLVM then knows they alias nothing and turns the inner loop into SIMD
    # (32-bit multiply and unsigned min, 8 lanes with AVX2), 5-8x faster than a
    # compare-and-store into ``out`` itself.
    n_docs = len(sh_off) - 1
    n_perm = len(a)
    row = np.empty(n_perm, np.uint32)
    for d in range(n_docs):
        for k in range(n_perm):
            row[k] = out[d, k]
        for j in range(sh_off[d], sh_off[d + 1]):
            x = sh[j]
            x ^= x >> np.uint32(16)
            x = np.uint32(x * np.uint32(0x85EBCA6B))
            x ^= x >> np.uint32(13)
            x = np.uint32(x * np.uint32(0xC2B2AE35))
            x ^= x >> np.uint32(16)
            for k in range(n_perm):
                row[k] = min(row[k], np.uint32(a[k] * x + b[k]))
        for k in range(n_perm):
            out[d, k] = row[k]


@numba.njit(cache=True, nogil=True)
def _nb_contained(p: Any, other: Any, mine: Any) -> Any:
    """``clip(1 - (p * other / (1 - p)) / mine, 0, 1)``, 0 when ``p >= 1``: the containment
    estimate of ``Deduplicator._measure``, with numpy's operations in numpy's order."""
    if p >= 1.0:
        return 0.0
    return min(max(1.0 - p * other / (1.0 - p) / mine, 0.0), 1.0)


@numba.njit(cache=True, nogil=True)
def _nb_verify(  # type: ignore[no-untyped-def]
    sig, n, lede_sig, lede_n, mine, arr, s_sig, s_nsh, s_lede, params, j_out, cn_out, co_out, kind
):
    """The candidate checks of ``Deduplicator._decide`` in one pass (see there; the same
    floating-point operations in the same order, so the same results as the numpy code).
    ``params``: threshold, containment, min shingles, lede shared share, lede containment.
    ``kind``: bit 0 near, bit 1 contained, bit 2 contains (0 after the same-story check)."""
    threshold = params[0]
    containment = params[1]
    min_sh = params[2]
    lede_shared = params[3]
    lede_cont = params[4]
    perm = len(sig)
    fperm = float(perm)
    n1 = float(max(n, 1))
    fn = float(n)
    fl = float(lede_n)
    n_mine = len(mine)
    for t in range(len(arr)):
        s = arr[t]
        eq = 0
        lt = 0
        gt = 0
        llt = 0
        for q in range(perm):
            o = s_sig[s, q]
            v = sig[q]
            if v == o:
                eq += 1
            elif v < o:
                lt += 1
            else:
                gt += 1
            if lede_sig[q] < o:
                llt += 1
        j = eq / fperm
        p_new = lt / fperm
        p_old = gt / fperm
        nsi = s_nsh[s]
        ns = float(nsi)
        c_new = _nb_contained(p_new, ns, n1)
        c_old = _nb_contained(p_old, fn, max(ns, 1.0))
        j_out[t] = j
        cn_out[t] = c_new
        co_out[t] = c_old
        big = min(nsi, n) >= min_sh
        k = 0
        if j >= threshold:
            k |= 1
        if big and c_new >= containment and n <= nsi:
            k |= 2
        if big and c_old >= containment and n > nsi:
            k |= 4
        if k:
            # same story: the old lede is in the new article, or the new lede in the old one
            present = 0
            n_keys = 0
            for u in range(s_lede.shape[1]):
                key = s_lede[s, u]
                if key == 0:
                    continue
                n_keys += 1
                for m in range(n_mine):
                    if mine[m] == key:
                        present += 1
                        break
            old_in = present >= max(1.0, lede_shared * max(n_keys, 1))
            if not old_in:
                c = 1.0 if lede_n == 0 else _nb_contained(llt / fperm, ns, fl)
                if c < lede_cont:
                    k = 0
        kind[t] = k


@numba.njit(cache=True, nogil=True)
def _nb_anchors(sh, sh_off, main, ledes, n_anchors, tag, anchors, a_off, lede_keys):  # type: ignore[no-untyped-def]
    """Anchor keys (the first shingle and the first ``n_anchors`` later ones whose hash is
    0 mod 16, mixed with ``tag``) of texts ``main`` and the lede keys (shingles spread evenly
    over texts ``ledes``), as ``Deduplicator._signatures`` computes them with numpy."""
    n = len(main)
    total = 0
    n_keys = lede_keys.shape[1]
    for r in range(n):
        a_off[r] = total
        t = main[r]
        lo = sh_off[t]
        hi = sh_off[t + 1]
        if hi > lo:
            anchors[total] = np.uint32(_nb_fmix64(np.uint64(sh[lo]) + tag) >> _S32)
            total += 1
            taken = 0
            for j in range(lo + 1, hi):
                if taken >= n_anchors:
                    break
                if sh[j] & np.uint32(15) == 0:
                    anchors[total] = np.uint32(_nb_fmix64(np.uint64(sh[j]) + tag) >> _S32)
                    total += 1
                    taken += 1
        lt = ledes[r]
        llo = sh_off[lt]
        ln = sh_off[lt + 1] - llo
        span = max(ln - 1, 0)
        for j in range(n_keys):
            if ln > j:
                lede_keys[r, j] = sh[llo + (span * j) // (n_keys - 1)]
            else:
                lede_keys[r, j] = 0
    a_off[n] = total
    return total
