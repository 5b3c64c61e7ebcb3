"""The compiled kernels (imported by :func:`wireingest._kernels.load`; see there).

Functions written once as plain loops elsewhere (the hash mixers, the anchor keys, the
policy's candidate checks) are compiled here as they are; the shingle and signature loops are
the compiled forms of the vectorised numpy code in :mod:`.minhash`.
"""

# mypy: ignore-errors
from __future__ import annotations

import types
from typing import Any

import numba
import numpy as np

from wireingest._dedup._index import gallop as _gallop
from wireingest._dedup._index import gallop_ranges as _gallop_ranges
from wireingest._dedup._index import merge_sorted as _merge_sorted
from wireingest._dedup._index import sketch_add as _sketch_add
from wireingest._dedup._index import sketch_cells as _sketch_cells
from wireingest._dedup._index import sketch_counts as _sketch_counts
from wireingest._dedup._text import G_LEN, P_TOKEN
from wireingest._dedup.policy import check_candidates as _check_candidates
from wireingest._dedup.policy import check_front as _check_front
from wireingest._dedup.policy import screen_candidates as _screen_candidates
from wireingest._kernels import hashing
from wireingest._kernels.minhash import anchor_keys as _anchor_keys

_P = np.uint64(P_TOKEN)
_G = np.uint64(G_LEN)
_S32 = np.uint64(32)
_LONG = 256  # tokens up to this long take their powers of P from a table (shingles)

_jit = numba.njit(cache=True, nogil=True)
fmix64 = _jit(hashing.fmix64)
fmix32 = _jit(hashing.fmix32)


@numba.njit(cache=True, nogil=True)
def shingles(  # type: ignore[no-untyped-def]
    cps, offsets, char_mode, sizes, table, q, powers, toks, lens, out, out_off, exact
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
                    toks[nt] = fmix64((np.uint64(cp) + one) ^ _G)
                    nt += 1
        else:
            # branch-free: word/separator alternate at random, and mispredicted branches
            # cost more than the arithmetic. The polynomial and length of the token being
            # read are stored at ``nt`` on every character; ``nt`` advances after a token.
            # Its indices are unsigned (numba then checks no negative index): 15 % faster.
            # The powers of P come from the table ``powers`` (P**0 .. P**(LONG - 1)), not
            # from a running product: no multiplication chain from one character to the
            # next, 40 % faster. A text with a longer token is read again below.
            h = zero
            ln = zero
            at = np.uintp(0)
            m = np.uint64(_LONG - 1)
            for i in range(np.uintp(s), np.uintp(end)):
                cp = cps[i]
                w = np.uint64(table[min(cp, np.uint32(0xFFFF))]) | np.uint64(
                    cp >> np.uint32(16) != 0
                )
                keep = zero - w  # all ones inside a word
                toks[at] = h
                lens[at] = ln
                at += np.uintp((one - w) & np.uint64(ln != zero))
                h = (h + (np.uint64(cp) + one) * powers[ln & m]) & keep
                ln = (ln + one) & keep
            toks[at] = h  # (the last token, when the text ends inside it)
            lens[at] = ln
            long = ln > np.uint64(_LONG)
            for t in range(at):
                long |= lens[t] > np.uint64(_LONG)
            if long:  # the running product: any length
                h = zero
                pw = one
                ln = zero
                at = np.uintp(0)
                for i in range(np.uintp(s), np.uintp(end)):
                    cp = cps[i]
                    w = np.uint64(table[min(cp, np.uint32(0xFFFF))]) | np.uint64(
                        cp >> np.uint32(16) != 0
                    )
                    keep = zero - w
                    toks[at] = h
                    lens[at] = ln
                    at += np.uintp((one - w) & np.uint64(ln != zero))
                    h = (h + (np.uint64(cp) + one) * pw) & keep
                    pw = ((pw * _P) & keep) | (one - w)
                    ln = (ln + one) & keep
            nt = np.int64(at)
            if ln != zero:
                toks[nt] = h
                lens[nt] = ln
                nt += 1
            for t in range(nt):
                toks[t] = fmix64(toks[t] ^ (lens[t] * _G))
        e = zero
        pw = one
        for t in range(nt):
            e += toks[t] * pw
            pw *= _P
        exact[d] = fmix64(e ^ (np.uint64(nt) * _G))
        if nt == 0:
            continue
        k = sizes[d]
        if nt < k:
            acc = zero
            for t in range(nt):
                acc += toks[t] * q[t]
            out[total] = np.uint32(fmix64(acc) >> _S32)
            total += 1
        else:
            for j in range(nt - k + 1):
                acc = zero
                for t in range(k):
                    acc += toks[j + t] * q[t]
                out[total] = np.uint32(fmix64(acc) >> _S32)
                total += 1
    out_off[n_docs] = total
    return total


@numba.njit(cache=True, nogil=True)
def minhash(sh, sh_off, a, b, out):  # type: ignore[no-untyped-def]
    # The running minima live in a local array and are updated with an unconditional
    # ``min``: LLVM then knows they alias nothing and turns the inner loop into SIMD
    # (32-bit multiply and unsigned min, 8 lanes with AVX2), 5-8x faster than a
    # compare-and-store into ``out`` itself. Eight shingles go through the row at a time:
    # an eighth of the loads and stores of the minima (about 35 % faster than one).
    n_docs = len(sh_off) - 1
    n_perm = len(a)
    row = np.empty(n_perm, np.uint32)
    for d in range(n_docs):
        for k in range(n_perm):
            row[k] = out[d, k]
        j = sh_off[d]
        end = sh_off[d + 1]
        while j + 8 <= end:
            x0 = fmix32(sh[j])
            x1 = fmix32(sh[j + 1])
            x2 = fmix32(sh[j + 2])
            x3 = fmix32(sh[j + 3])
            x4 = fmix32(sh[j + 4])
            x5 = fmix32(sh[j + 5])
            x6 = fmix32(sh[j + 6])
            x7 = fmix32(sh[j + 7])
            for k in range(n_perm):
                ak = a[k]
                bk = b[k]
                m01 = min(np.uint32(ak * x0 + bk), np.uint32(ak * x1 + bk))
                m23 = min(np.uint32(ak * x2 + bk), np.uint32(ak * x3 + bk))
                m45 = min(np.uint32(ak * x4 + bk), np.uint32(ak * x5 + bk))
                m67 = min(np.uint32(ak * x6 + bk), np.uint32(ak * x7 + bk))
                row[k] = min(row[k], min(min(m01, m23), min(m45, m67)))
            j += 8
        while j < end:
            x = fmix32(sh[j])
            for k in range(n_perm):
                row[k] = min(row[k], np.uint32(a[k] * x + b[k]))
            j += 1
        for k in range(n_perm):
            out[d, k] = row[k]


check_candidates = _jit(_check_candidates)
gallop = _jit(_gallop)
sketch_cells = _jit(_sketch_cells)


def _with_compiled_globals(fn: Any, **more: Any) -> Any:
    """``fn`` seeing the compiled mixers, candidate checks and search (and ``more``) in place
    of the Python ones it names."""
    env = {**fn.__globals__, "fmix64": fmix64, "fmix32": fmix32,
           "check_candidates": check_candidates, "gallop": gallop, "sketch_cells": sketch_cells,
           **more}
    new = types.FunctionType(fn.__code__, env, fn.__name__, fn.__defaults__, fn.__closure__)
    new.__qualname__ = fn.__qualname__
    new.__module__ = fn.__module__
    return new


anchor_keys = _jit(_with_compiled_globals(_anchor_keys))
gallop_ranges = _jit(_with_compiled_globals(_gallop_ranges))
merge_sorted = _jit(_with_compiled_globals(_merge_sorted))
sketch_add = _jit(_with_compiled_globals(_sketch_add))
sketch_counts = _jit(_with_compiled_globals(_sketch_counts))
check_front = _jit(_with_compiled_globals(_check_front))
screen_candidates = _jit(_with_compiled_globals(_screen_candidates, check_front=check_front))
