"""The numba kernel of :func:`wireingest._dedup._text.ocr_fold` (imported only when the
compiled kernels are loaded): the whole fold in one pass over the Latin-1 bytes of a text.

The Python path does it in nine passes (three pair replacements, the digit fold, one
``bytes.translate``, four chunk cuts); this loop gives exactly the same bytes (tested): the
three pairs (``rn``, ``vv``, ``cl``) share no letter, so replacing them left to right in one
pass is the same as one after the other, and a pair becomes a letter, so a digit's
neighbours are letters in the same places before and after.
"""

from __future__ import annotations

import numba


@numba.njit(cache=True, nogil=True)
def fold_bytes(src, mapping, keep, cut, out):  # type: ignore[no-untyped-def]
    """Fold ``src`` (uint8, Latin-1) into ``out`` (at least twice as long); return the number
    of bytes written. Tables of 256 bytes: ``mapping``, the confusion map; ``keep``, 1 for a
    byte that survives (letters, digits, the newline); ``cut``, 1 for a kept byte that ends a
    chunk (``e``, ``a``, ``o``, ``n`` after mapping). The common path has no branch that
    depends on the letter (a chunk cut is written always and counted or not)."""
    n = len(src)
    w = 0
    i = 0
    while i < n:
        c = int(src[i])
        i += 1
        if c == 0x72 or c == 0x76 or c == 0x63 or c == 0x31 or c == 0x30:
            d = int(src[i]) if i < n else 0
            if c == 0x72 and d == 0x6E:  # rn -> m
                c = 0x6D
                i += 1
            elif c == 0x76 and d == 0x76:  # vv -> w
                c = 0x77
                i += 1
            elif c == 0x63 and d == 0x6C:  # cl -> d
                c = 0x64
                i += 1
            elif (c == 0x31 or c == 0x30) and (  # a 1 or 0 that touches a letter: l or o
                (i > 1 and 0x61 <= src[i - 2] <= 0x7A) or 0x61 <= d <= 0x7A
            ):
                c = 0x6C if c == 0x31 else 0x6F
        out[w] = mapping[c]
        w += keep[c]
        out[w] = 0x20
        w += cut[c]
    return w


@numba.njit(cache=True, nogil=True)
def fold_many(src, off, mapping, keep, cut, out, out_off):  # type: ignore[no-untyped-def]
    """:func:`fold_bytes` over the texts ``src[off[k]:off[k + 1]]``: the folded texts go to
    ``out`` one after the other (at least twice as long as ``src``), their ends to
    ``out_off[k + 1]``."""
    w = 0
    out_off[0] = 0
    for k in range(len(off) - 1):
        w += fold_bytes(src[off[k] : off[k + 1]], mapping, keep, cut, out[w:])
        out_off[k + 1] = w
