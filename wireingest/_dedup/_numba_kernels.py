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
    cps, offsets, char_mode, sizes, table, q, toks, out, out_off, exact
):
    n_docs = len(offsets) - 1
    total = 0
    one = np.uint64(1)
    for d in range(n_docs):
        out_off[d] = total
        s = offsets[d]
        e = offsets[d + 1]
        cm = char_mode[d]
        nt = 0
        i = s
        while i < e:
            cp = cps[i]
            if cp < 0x10000 and table[cp] == 0:
                i += 1
                continue
            h = np.uint64(0)
            pw = one
            ln = np.uint64(0)
            while True:
                h += (np.uint64(cp) + one) * pw
                pw *= _P
                ln += one
                i += 1
                if cm or i >= e:
                    break
                cp = cps[i]
                if cp < 0x10000 and table[cp] == 0:
                    break
            toks[nt] = _nb_fmix64(h ^ (ln * _G))
            nt += 1
        e = np.uint64(0)
        pw = one
        for t in range(nt):
            e += toks[t] * pw
            pw *= _P
        exact[d] = _nb_fmix64(e ^ (np.uint64(nt) * _G))
        if nt == 0:
            continue
        k = sizes[d]
        if nt < k:
            acc = np.uint64(0)
            for t in range(nt):
                acc += toks[t] * q[t]
            out[total] = np.uint32(_nb_fmix64(acc) >> _S32)
            total += 1
        else:
            for j in range(nt - k + 1):
                acc = np.uint64(0)
                for t in range(k):
                    acc += toks[j + t] * q[t]
                out[total] = np.uint32(_nb_fmix64(acc) >> _S32)
                total += 1
    out_off[n_docs] = total
    return total


@numba.njit(cache=True, nogil=True)
def _nb_minhash(sh, sh_off, a, b, out):  # type: ignore[no-untyped-def]
    n_docs = len(sh_off) - 1
    n_perm = len(a)
    for d in range(n_docs):
        row = out[d]
        for j in range(sh_off[d], sh_off[d + 1]):
            x = sh[j]
            x ^= x >> np.uint32(16)
            x = np.uint32(x * np.uint32(0x85EBCA6B))
            x ^= x >> np.uint32(13)
            x = np.uint32(x * np.uint32(0xC2B2AE35))
            x ^= x >> np.uint32(16)
            for k in range(n_perm):
                v = np.uint32(a[k] * x + b[k])
                if v < row[k]:
                    row[k] = v
