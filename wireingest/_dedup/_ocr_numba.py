"""The numba kernel of :func:`wireingest._dedup._text.ocr_fold` (imported only when the
compiled kernels are loaded): the whole fold in one pass over the code points of a batch of
texts, as :func:`wireingest._kernels.minhash.encode_batch` lays them out (``uint8`` when the
batch is Latin-1, else ``uint32``), so that the engine folds between encoding and shingling
with no Python string work.

Every byte folds on its own (a table row: the up to three bytes it becomes; the reference,
``_text._fold_bytes``, writes the letters OCR reads as two as those two, ``m`` as ``rn``,
so no rule looks at a neighbour), and the loop has no branch that depends on the text.
Indices are unsigned (numba then checks no negative index): a third faster.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def fold_codes(src, off, rows, out, out_off, strict):  # type: ignore[no-untyped-def]
    """Fold the texts ``src[off[k]:off[k + 1]]`` into ``out`` one after the other (``out``
    at least three times as long as ``src``); their ends go to ``out_off[k + 1]``. In a text
    of Latin script (no code point outside ``_text._NON_LATIN``'s set), code points above
    U+00FF are separators (folded as NUL, which the table drops); another text
    is copied as it is, unless ``strict`` (``out`` holds bytes only): then the call stops
    and returns ``False``. ``rows``: ``_text._ocr_tables``, flat. Returns ``True`` when done.
    """
    w = np.uintp(0)
    one = np.uintp(1)
    two = np.uintp(2)
    out_off[0] = 0
    for k in range(len(off) - 1):
        lo = off[k]
        n = off[k + 1]
        start = w
        other = False
        for i in range(lo, n):
            c = src[i]
            other |= c > 0x24F and not (0x2000 <= c <= 0x206F or 0x20A0 <= c <= 0x20CF)
            b = np.uintp(0 if c > 0xFF else c) << two
            out[w] = rows[b]
            out[w + one] = rows[b + one]
            out[w + two] = rows[b + two]
            w += np.uintp(rows[b + np.uintp(3)])
        if other:
            if strict:
                return False
            w = start
            for i in range(lo, n):
                out[w] = src[i]
                w += one
        out_off[k + 1] = w
    return True
