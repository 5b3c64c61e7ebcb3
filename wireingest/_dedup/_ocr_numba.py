"""The numba kernels of :func:`wireingest._dedup._text.ocr_fold` (imported only when the
compiled kernels are loaded): the whole fold in one pass over the code points of a batch of
texts, as :func:`wireingest._kernels.minhash.encode_batch` lays them out (``uint8`` when the
batch is Latin-1, else ``uint32``), so that the engine folds between encoding and shingling
with no Python string work.

Every byte folds on its own (a table row: the up to three bytes it becomes; the reference,
``_text._fold_bytes``, writes the letters OCR reads as two as those two, ``m`` as ``rn``,
so no rule looks at a neighbour), and the loop has no branch that depends on the text.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def latin_texts(src, off, latin):  # type: ignore[no-untyped-def]
    """``latin[k]``: whether text ``k`` is Latin script (``_text._NON_LATIN`` finds nothing
    in it); returns whether all are."""
    every = True
    for k in range(len(off) - 1):
        other = 0
        for i in range(off[k], off[k + 1]):  # no early exit: the loop vectorises
            c = src[i]
            other += c > 0x24F and not (0x2000 <= c <= 0x206F or 0x20A0 <= c <= 0x20CF)
        latin[k] = other == 0
        every = every and other == 0
    return every


@numba.njit(cache=True, nogil=True)
def fold_codes(src, off, latin, rows, out, out_off):  # type: ignore[no-untyped-def]
    """Fold the texts ``src[off[k]:off[k + 1]]`` into ``out`` one after the other (``out``
    at least three times as long as ``src``); their ends go to ``out_off[k + 1]``. A text
    that is not Latin (``latin[k]`` false) is copied as it is; in a Latin one, code points
    above U+00FF are separators (what ``encode("latin-1", "replace")`` makes them).
    ``rows``: ``_text._ocr_tables``, flat."""
    w = 0
    out_off[0] = 0
    for k in range(len(off) - 1):
        lo = off[k]
        n = off[k + 1]
        if not latin[k]:
            for i in range(lo, n):
                out[w] = src[i]
                w += 1
        else:
            for i in range(lo, n):
                b = np.intp(0x3F if src[i] > 0xFF else src[i]) * 4
                out[w] = rows[b]
                out[w + 1] = rows[b + 1]
                out[w + 2] = rows[b + 2]
                w += rows[b + 3]
        out_off[k + 1] = w
