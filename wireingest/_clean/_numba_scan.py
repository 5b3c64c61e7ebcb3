"""The numba kernel of :mod:`._scan` (imported only when numba is already loaded)."""

# mypy: ignore-errors
from __future__ import annotations

import numba
import numpy as np

from wireingest._kernels._numba import fmix64 as _fmix

_P = np.uint64(0x100000001B3)
_HEAD = np.uint64(0x9E3779B97F4A7C15)
_TAIL = np.uint64(0xD1B54A32D192ED03)
_SPACE = np.uint8(0x20)
_MARK = np.uint8(0x01)
_NL = np.uint8(0x0A)


@numba.njit(cache=True, nogil=True)
def _is_word(c):
    # the table maps letters and digits to themselves (lower case), everything else to
    # 0x01, 0x0A or 0x20
    return c > _SPACE


@numba.njit(cache=True, nogil=True)
def _words(m, p, hi, k, out):
    """Hash up to ``k`` words of ``m[p:hi]`` into ``out``; return how many there were and
    where the last one ends."""
    got = 0
    while got < k:
        while p < hi and not _is_word(m[p]):
            p += 1
        if p >= hi:
            break
        h = np.uint64(0)
        q = p
        while q < hi and _is_word(m[q]):
            h = h * _P + np.uint64(m[q]) + np.uint64(1)
            q += 1
        out[got] = _fmix(h + np.uint64(q - p))
        got += 1
        p = q
    return got, p


@numba.njit(cache=True, nogil=True)
def _h4(w, tag):
    return _fmix(((w[0] * _P + w[1]) * _P + w[2]) * _P + w[3] + tag)


@numba.njit(cache=True, nogil=True)
def _key(m, lo, hi, nw, buf):
    """A hash of the words of ``m[lo:hi]`` (``nw`` of them): equal keys, equal hashes."""
    _words(m, lo, hi, nw, buf)
    h = np.uint64(nw)
    for k in range(nw):
        h = h * _P + buf[k]
    return _fmix(h)


@numba.njit(cache=True, nogil=True)
def _trigrams(m, lo, hi, nw, scratch):
    """Sorted distinct hashes of the word 3-grams of ``m[lo:hi]`` (``nw`` >= 3 words)."""
    _words(m, lo, hi, nw, scratch)
    out = np.empty(nw - 2, np.uint64)
    for k in range(nw - 2):
        out[k] = _fmix((scratch[k] * _P + scratch[k + 1]) * _P + scratch[k + 2])
    out = np.sort(out)
    u = 0
    for k in range(len(out)):
        if k == 0 or out[k] != out[k - 1]:
            out[u] = out[k]
            u += 1
    return out[:u]


@numba.njit(cache=True, nogil=True)
def _may_be_near(m, bounds, nwords, s1, s2, near, contain, scratch):
    """Whether paragraphs ``s1`` and ``s2`` may be near repeats: the Jaccard of their word
    3-gram sets at least ``near``, or one holding ``contain`` of the other's. Hash collisions
    only raise both figures, so ``False`` is certain."""
    g1 = _trigrams(m, bounds[s1] + 1, bounds[s1 + 1], nwords[s1], scratch)
    g2 = _trigrams(m, bounds[s2] + 1, bounds[s2 + 1], nwords[s2], scratch)
    i = 0
    j = 0
    inter = 0
    while i < len(g1) and j < len(g2):
        if g1[i] == g2[j]:
            inter += 1
            i += 1
            j += 1
        elif g1[i] < g2[j]:
            i += 1
        else:
            j += 1
    if inter == 0:
        return False
    union = len(g1) + len(g2) - inter
    small = min(len(g1), len(g2))
    return inter >= near * union or inter >= contain * small


@numba.njit(cache=True, nogil=True)
def may_repeat(buf, n_para, table, min_words, window, near, contain):
    """0 when the first ``n_para`` newline-separated segments of ``buf`` (ASCII) provably hold
    no repeat for :func:`~wireingest._clean.repeats.remove_repeats` and none has the key of a
    later segment (a title); else 1 (two short paragraphs may have one key), 2 (a paragraph may
    have a title's key) or 3 (two paragraphs of ``min_words`` words or more may share an anchor,
    or have one key: equal keys start with the same four words), when those two also pass a
    word 3-gram test that every near repeat of ``remove_repeats`` passes (Jaccard ``near``,
    containment ``contain``).

    ``table`` is ``repeats._GATE_BYTES``: letters and digits to lower case, sentence marks to
    0x01, newline kept, anything else to a space. Only the words that make anchors are hashed
    (the first and last four of a paragraph and four after each sentence start), and the
    whole key of short paragraphs and titles. Hashes are 64 bits, so a collision can only turn
    a 0 into a non-zero answer."""
    n = len(buf)
    # The mapped bytes (m[0] and m[n + 1] are newlines, so that every segment lies between two
    # of them), the newline before each segment, each segment's word count, and where "\x01 "
    # (a possible sentence end) stands: one pass over the text.
    m = np.empty(n + 2, np.uint8)
    m[0] = _NL
    m[n + 1] = _NL
    bounds = np.empty(n + 2, np.int64)
    bounds[0] = 0
    nwords = np.empty(n + 1, np.int64)
    marks = np.empty(n // 2 + 1, np.int64)
    n_marks = 0
    n_seg = 0
    cnt = 0
    prev = _NL
    for i in range(n):
        c = table[buf[i]]
        m[i + 1] = c
        if c == _NL:
            nwords[n_seg] = cnt
            n_seg += 1
            bounds[n_seg] = i + 1
            cnt = 0
        else:
            cnt += np.int64(c > _SPACE) & np.int64(prev <= _SPACE)
            if prev == _MARK and c == _SPACE:
                marks[n_marks] = i  # the mark's position in m
                n_marks += 1
        prev = c
    nwords[n_seg] = cnt
    n_seg += 1
    bounds[n_seg] = n + 1
    quad = np.empty(4, np.uint64)
    scratch = np.empty(n // 2 + 2, np.uint64)
    # short paragraphs: whole keys
    short = np.empty(n_seg, np.uint64)
    n_short = 0
    np_ = min(n_para, n_seg)
    for s in range(np_):
        if 0 < nwords[s] < min_words:
            short[n_short] = _key(m, bounds[s] + 1, bounds[s + 1], nwords[s], scratch)
            n_short += 1
    if n_short > 1:
        sk = np.sort(short[:n_short])
        for k in range(1, n_short):
            if sk[k] == sk[k - 1]:
                return 1
    # titles: whole keys, against the paragraphs with as many words
    for t in range(np_, n_seg):
        if nwords[t] == 0:
            continue
        tk = _key(m, bounds[t] + 1, bounds[t + 1], nwords[t], scratch)
        for s in range(np_):
            if (
                nwords[s] == nwords[t]
                and _key(m, bounds[s] + 1, bounds[s + 1], nwords[s], scratch) == tk
            ):
                return 2
    # anchors of the long paragraphs
    anchors = np.empty(n + 2 * n_seg + 2, np.uint64)
    owner = np.empty(n + 2 * n_seg + 2, np.int64)
    n_anchors = 0
    n_eligible = 0
    mk = 0  # the next sentence mark to look at
    for s in range(np_):
        nw = nwords[s]
        if nw < min_words:
            continue
        n_eligible += 1
        lo = bounds[s] + 1
        hi = bounds[s + 1]
        _words(m, lo, hi, 4, quad)
        anchors[n_anchors] = _h4(quad, _HEAD)
        owner[n_anchors] = s
        owner[n_anchors + 1] = s
        # the last four words: walk back over four of them
        p = hi
        for _ in range(4):
            while not _is_word(m[p - 1]):
                p -= 1
            while _is_word(m[p - 1]):
                p -= 1
        _words(m, p, hi, 4, quad)
        anchors[n_anchors + 1] = _h4(quad, _TAIL)
        n_anchors += 2
        # sentence starts: "\x01 " then [\x01 ]* and four words (the regex _GATE_RE); within
        # a segment only separators lie between words, so that is the next four words
        while mk < n_marks and marks[mk] < lo:
            mk += 1
        while mk < n_marks and marks[mk] < hi - 1:
            p = marks[mk] + 2
            mk += 1
            got, q = _words(m, p, hi, 4, quad)
            if got < 4:
                continue
            # _anchors keys only ``window`` characters: the fourth word may be cut
            if q - p > window and _words(m, p, p + window, 4, quad)[0] < 4:
                continue  # the window holds fewer than four words: no anchor
            anchors[n_anchors] = _h4(quad, _HEAD)
            owner[n_anchors] = s
            n_anchors += 1
    if n_eligible < 2:
        return 0
    order = np.argsort(anchors[:n_anchors])
    k = 0
    while k < n_anchors:
        r = k + 1
        while r < n_anchors and anchors[order[r]] == anchors[order[k]]:
            r += 1
        # a run of equal anchors: test each pair of distinct paragraphs in it
        for x in range(k, r):
            for y in range(x + 1, r):
                s1 = owner[order[x]]
                s2 = owner[order[y]]
                if s1 != s2 and _may_be_near(m, bounds, nwords, s1, s2, near, contain, scratch):
                    return 3
        k = r
    return 0


# -- boilerplate line features (wireingest._clean.boilerplate._features) --------------------


def _crc_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint32)
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table[n] = c
    return table


_CRC = _crc_table()


@numba.njit(cache=True, nogil=True)
def line_features(raw, table, a, b, band_powers, band_base, limit, norm, seg_out, sigs, bands):
    """Features of the newline-separated lines of ``raw`` (ASCII), read through ``table``
    (``boilerplate._TOKEN_BYTES_NL``: letters lower case, digits ``0``, newline kept, anything
    else a space).

    Per line ``i``: ``seg_out[i] = (status, tokens, norm_start, norm_end)``; status 0 when the
    line is not a candidate (``2 * limit`` spaces or more, over ``limit`` tokens, or a bare
    number or time), 1 for an exact
    match line, 2 for a line with a signature (3+ tokens) in ``sigs[i]`` and ``bands[i]``.
    ``norm[norm_start:norm_end]`` is the line's tokens (digit runs squeezed to one ``0``)
    joined by single spaces: what the exact hash is taken of. The signature is that of
    ``boilerplate._signatures``: CRC-32 per token, word bigrams ``t0 * MULT + t1``, then
    ``min((a * x + b) mod 2**64 >> 32)`` per permutation, band keys folded the same way."""
    n = len(raw)
    buf = np.empty(n, np.uint8)
    for i in range(n):
        buf[i] = table[raw[i]]
    num_perm = len(a)
    n_bands = len(band_base)
    rows = num_perm // n_bands
    mult = np.uint64(0x9E3779B97F4A7C15)
    toks = np.empty(n // 2 + 2, np.uint64)
    row = np.empty(num_perm, np.uint32)
    line = 0
    w = 0  # write position in norm
    i = 0
    while i <= n:
        # one line: [i, end)
        end = i
        while end < n and buf[end] != 0x0A:
            end += 1
        start_w = w
        nt = 0
        zeros = 0
        p = i
        while p < end:
            while p < end and buf[p] == 0x20:
                p += 1
            if p >= end:
                break
            if nt:
                norm[w] = 0x20
                w += 1
            crc = np.uint32(0xFFFFFFFF)
            length = 0
            only_zero = True
            prev = np.uint8(0)
            while p < end and buf[p] != 0x20:
                c = buf[p]
                p += 1
                if c == 0x30 and prev == 0x30:
                    continue  # a digit run counts as one 0
                prev = c
                norm[w] = c
                w += 1
                length += 1
                if c != 0x30:
                    only_zero = False
                crc = _CRC[(crc ^ np.uint32(c)) & np.uint32(0xFF)] ^ (crc >> np.uint32(8))
            toks[nt] = np.uint64(crc ^ np.uint32(0xFFFFFFFF))
            nt += 1
            if only_zero and length == 1:
                zeros += 1
        spaces = 0
        for q in range(i, end):
            spaces += raw[q] == 0x20
        alpha = nt - zeros
        status = 1
        if spaces >= 2 * limit or nt > limit or alpha == 0 or (alpha == 1 and nt > 1):
            status = 0
        elif nt >= 3:
            status = 2
            for k in range(num_perm):
                row[k] = np.uint32(0xFFFFFFFF)
            for j in range(nt - 1):
                x = toks[j] * mult + toks[j + 1]
                for k in range(num_perm):
                    v = np.uint32((a[k] * x + b[k]) >> np.uint64(32))
                    row[k] = min(row[k], v)
            for k in range(num_perm):
                sigs[line, k] = row[k]
            for bb in range(n_bands):
                h = band_base[bb]
                for r in range(rows):
                    h += np.uint64(row[bb * rows + r]) * band_powers[r]
                bands[line, bb] = h >> np.uint64(34)
        seg_out[line, 0] = status
        seg_out[line, 1] = nt
        seg_out[line, 2] = start_w
        seg_out[line, 3] = w
        line += 1
        i = end + 1
    return line
