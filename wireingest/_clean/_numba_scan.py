"""The numba kernel of :mod:`._scan` (imported only when numba is already loaded)."""

# mypy: ignore-errors
from __future__ import annotations

import numba
import numpy as np

_P = np.uint64(0x100000001B3)
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_HEAD = np.uint64(0x9E3779B97F4A7C15)
_TAIL = np.uint64(0xD1B54A32D192ED03)
_SPACE = np.uint8(0x20)
_MARK = np.uint8(0x01)


@numba.njit(cache=True, nogil=True)
def _fmix(h):
    h ^= h >> _S33
    h *= _C1
    h ^= h >> _S33
    h *= _C2
    h ^= h >> _S33
    return h


@numba.njit(cache=True, nogil=True)
def _word_hash(m, lo, hi):
    """The hash the word pass of :func:`may_repeat` gives the word ``m[lo:hi]``."""
    h = np.uint64(0)
    for i in range(lo, hi):
        h = h * _P + np.uint64(m[i]) + np.uint64(1)
    return _fmix(h + np.uint64(hi - lo))


@numba.njit(cache=True, nogil=True)
def _h4(w, at, tag):
    return _fmix(((w[at] * _P + w[at + 1]) * _P + w[at + 2]) * _P + w[at + 3] + tag)


@numba.njit(cache=True, nogil=True)
def _is_word(c):
    return c != _SPACE and c != _MARK


@numba.njit(cache=True, nogil=True)
def may_repeat(buf, n_para, table, min_words, window):
    """0 when the first ``n_para`` newline-separated segments of ``buf`` (ASCII) provably hold
    no repeat for :func:`~wireingest._clean.repeats.remove_repeats` and none has the key of a
    later segment (a title); else 1 (equal keys), 2 (a title's key) or 3 (a shared anchor).

    ``table`` is ``repeats._GATE_BYTES``: letters and digits to lower case, sentence marks to
    0x01, newline kept, anything else to a space. Keys and anchors are compared by 64-bit
    hashes, so a collision can only turn a 0 into a non-zero answer."""
    n = len(buf)
    m = np.empty(n + 1, np.uint8)
    # Every word (a run of bytes other than space, mark and newline): its hash, start and
    # end, in one branch-free pass (word and separator alternate at random, and mispredicted
    # branches cost more than the arithmetic). The hash and start of the word being read
    # are written at index ``nw`` on every byte; ``nw`` advances after a word.
    cap = n // 2 + 2
    wh = np.empty(cap, np.uint64)
    ws = np.empty(cap, np.int64)
    we = np.empty(cap, np.int64)
    nl = np.empty(n + 2, np.int64)  # index of the first word after each newline
    sb = np.empty(n + 2, np.int64)  # and the byte after it
    one = np.uint64(1)
    zero = np.uint64(0)
    nw = 0
    n_seg = 1
    h = zero
    ln = 0
    nl[0] = 0
    sb[0] = 0
    for i in range(n + 1):
        c = table[buf[i]] if i < n else np.uint8(0x0A)
        m[i] = c
        w = np.int64((c != _SPACE) & (c != _MARK) & (c != np.uint8(0x0A)))
        wh[nw] = h
        ws[nw] = i - ln
        we[nw] = i
        nw += (1 - w) & np.int64(ln != 0)
        keep = zero - np.uint64(w)
        h = ((h * _P) + np.uint64(c) + one) & keep
        ln = (ln + 1) * w
        if c == 0x0A:
            nl[n_seg] = nw
            sb[n_seg] = i + 1
            n_seg += 1
    n_seg -= 1  # the sentinel newline after the last byte ends the last segment
    for k in range(nw):
        wh[k] = _fmix(wh[k] + np.uint64(we[k] - ws[k]))
    keys = np.zeros(n_seg, np.uint64)
    nwords = np.zeros(n_seg, np.int64)
    anchors = np.empty(n + 2 * n_seg + 2, np.uint64)
    n_anchors = 0
    n_eligible = 0
    quad = np.empty(4, np.uint64)
    for s in range(n_seg):
        w0 = nl[s]
        w1 = nl[s + 1]
        nws = w1 - w0
        h = np.uint64(nws)
        for k in range(w0, w1):
            h = h * _P + wh[k]
        keys[s] = _fmix(h)
        nwords[s] = nws
        if s >= n_para or nws < min_words:
            continue
        n_eligible += 1
        anchors[n_anchors] = _h4(wh, w0, _HEAD)
        anchors[n_anchors + 1] = _h4(wh, w1 - 4, _TAIL)
        n_anchors += 2
        # sentence starts: "\x01 " then [\x01 ]* and four words (the regex _GATE_RE); within
        # a segment only separators lie between words, so that is the next four words
        lo = sb[s]
        hi = sb[s + 1] - 1
        k = w0  # the first word that starts at or after i + 2
        for i in range(lo, hi - 1):
            if m[i] != _MARK or m[i + 1] != _SPACE:
                continue
            while k < w1 and ws[k] < i + 2:
                k += 1
            if k + 4 > w1:
                break
            if we[k + 3] - (i + 2) <= window:
                anchors[n_anchors] = _h4(wh, k, _HEAD)
                n_anchors += 1
                continue
            # _anchors keys a window of ``window`` characters: the fourth word may be cut
            w_hi = i + 2 + window
            got = 0
            for u in range(k, k + 4):
                if ws[u] >= w_hi:
                    break
                quad[got] = wh[u] if we[u] <= w_hi else _word_hash(m, ws[u], w_hi)
                got += 1
            if got == 4:
                anchors[n_anchors] = _h4(quad, 0, _HEAD)
                n_anchors += 1
    # equal keys among the paragraphs, or a paragraph with a title's key
    np_ = min(n_para, n_seg)
    pk = np.sort(keys[:np_][nwords[:np_] > 0])
    for k in range(1, len(pk)):
        if pk[k] == pk[k - 1]:
            return 1
    for t in range(np_, n_seg):
        if nwords[t] == 0:
            continue
        for k in range(np_):
            if nwords[k] > 0 and keys[k] == keys[t]:
                return 2
    if n_eligible >= 2:
        a = np.sort(anchors[:n_anchors])
        for k in range(1, len(a)):
            if a[k] == a[k - 1]:
                return 3
    return 0
