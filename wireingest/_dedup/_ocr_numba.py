"""The numba kernels of :func:`wireingest._dedup._text.ocr_fold`,
:func:`~wireingest._dedup._text.figure_mask` and
:func:`~wireingest._dedup._text.paragraph_keys` (imported only when the compiled kernels are
loaded). The fold runs in one pass over the code points of a batch of texts, as
:func:`wireingest._kernels.minhash.encode_batch` lays them out (``uint8`` when the batch is
Latin-1, else ``uint32``), so that the engine folds between encoding and shingling with no
Python string work.

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


@numba.njit(cache=True, nogil=True, inline="never")
def _in_run(c):  # type: ignore[no-untyped-def]
    return 48 <= c <= 57 or c == 111 or c == 108 or c == 105 or c == 46 or c == 44


@numba.njit(cache=True, nogil=True, inline="never")
def _oli(c):  # type: ignore[no-untyped-def]
    return c == 111 or c == 108 or c == 105


@numba.njit(cache=True, nogil=True, inline="never")
def _letter(c):  # type: ignore[no-untyped-def]
    return 97 <= c <= 122 or (c >= 0xC0 and c != 0xD7 and c != 0xF7 and not 0x2000 <= c <= 0x20CF)


@numba.njit(cache=True, nogil=True)
def figure_masks(src, off, texts, mult, out):  # type: ignore[no-untyped-def]
    """``out[r]``: the first three figures of text ``texts[r]`` of ``src`` (texts at ``off``)
    and whether it ends a sentence, as :func:`wireingest._dedup._text.figure_mask` computes
    them from the text."""
    ten = np.uint64(10)
    for r in range(len(texts)):
        t = texts[r]
        t0 = off[t]
        t1 = off[t + 1]
        packed = np.uint32(0)
        kept = 0
        i = t0
        while i < t1 and kept < 3:
            if not _in_run(src[i]):
                i += 1
                continue
            a = i
            while i < t1 and _in_run(src[i]):
                i += 1
            b = i  # the run is [a, b)
            lo = -1
            hi = -1
            for q in range(a, b):
                if 48 <= src[q] <= 57:
                    if lo < 0:
                        lo = q
                    hi = q + 1
            if lo < 0:
                continue
            j = lo
            while j > a and _oli(src[j - 1]):
                j -= 1
            if j < lo and not (j > t0 and _letter(src[j - 1])):
                lo = j
            k = hi
            while k < b and _oli(src[k]):
                k += 1
            if k > hi and not (k < t1 and _letter(src[k])):
                hi = k
            if lo > t0 and hi < t1 and _letter(src[lo - 1]) and _letter(src[hi]):
                continue  # inside a word
            value = np.uint64(0)
            for q in range(lo, hi):
                c = src[q]
                if 48 <= c <= 57:
                    value = value * ten + np.uint64(c - 48)
                elif c == 111:
                    value = value * ten
                elif c == 108 or c == 105:
                    value = value * ten + np.uint64(1)
            h = np.uint32(1 + ((value * mult) >> np.uint64(54)) % np.uint64(1023))
            if h != (packed & 1023) and h != ((packed >> 10) & 1023) and h != (
                (packed >> 20) & 1023
            ):
                packed |= h << np.uint32(10 * kept)
                kept += 1
        j = t1 - 1
        while j >= t0 and src[j] in (32, 10, 9, 13, 34, 39, 0x201D, 0x2019, 0xBB, 41, 93):
            j -= 1  # spaces and closing quotes and brackets
        if j >= t0 and src[j] in (46, 33, 63, 0x3002, 0xFF01, 0xFF1F):
            packed |= np.uint32(1 << 30)  # the text ends a sentence
        out[r] = packed


@numba.njit(cache=True, nogil=True)
def crc32_lines(data, t, out, latin1):  # type: ignore[no-untyped-def]
    """The CRC-32 (zlib's) of the UTF-8 of each newline-separated part of ``data`` into
    ``out`` (as many as ``data`` has newlines, plus one); returns how many. ``data``: UTF-8
    bytes, or with ``latin1`` Latin-1 bytes (a byte from 0x80 is the two bytes of its
    UTF-8). Slicing-by-8: eight bytes per step through the tables ``t``
    (``_text._crc_tables``) while none of them is a newline (or, Latin-1, above 0x7F), then
    a byte at a time up to the next one."""
    n = np.uintp(len(data))
    i = np.uintp(0)
    one = np.uintp(1)
    eight = np.uintp(8)
    ff = np.uint32(0xFF)
    s6 = np.uint32(6)
    s8 = np.uint32(8)
    s16 = np.uint32(16)
    s24 = np.uint32(24)
    k = 0
    while True:
        crc = np.uint32(0xFFFFFFFF)
        while True:
            while i + eight <= n:
                b0 = data[i]
                b1 = data[i + one]
                b2 = data[i + np.uintp(2)]
                b3 = data[i + np.uintp(3)]
                b4 = data[i + np.uintp(4)]
                b5 = data[i + np.uintp(5)]
                b6 = data[i + np.uintp(6)]
                b7 = data[i + np.uintp(7)]
                if (b0 == 10 or b1 == 10 or b2 == 10 or b3 == 10 or b4 == 10 or b5 == 10
                        or b6 == 10 or b7 == 10):  # fmt: skip
                    break
                if latin1 and (b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7) > 0x7F:
                    break
                w = crc ^ (
                    np.uint32(b0) | (np.uint32(b1) << s8) | (np.uint32(b2) << s16)
                    | (np.uint32(b3) << s24)
                )  # fmt: skip
                crc = (
                    t[7, w & ff] ^ t[6, (w >> s8) & ff] ^ t[5, (w >> s16) & ff]
                    ^ t[4, w >> s24] ^ t[3, b4] ^ t[2, b5] ^ t[1, b6] ^ t[0, b7]
                )  # fmt: skip
                i += eight
            # a byte at a time, up to the next newline or for eight bytes (then fast again)
            stop = min(i + eight, n)
            while i < stop and data[i] != 10:
                c = np.uint32(data[i])
                if latin1 and c > 0x7F:
                    crc = t[0, (crc ^ (np.uint32(0xC0) | (c >> s6))) & ff] ^ (crc >> s8)
                    c = np.uint32(0x80) | (c & np.uint32(0x3F))
                crc = t[0, (crc ^ c) & ff] ^ (crc >> s8)
                i += one
            if i >= n or data[i] == 10:
                break
        out[k] = ~crc
        k += 1
        if i >= n:
            return k
        i += one
