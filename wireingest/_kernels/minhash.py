"""Bulk kernels: code points -> shingle hashes -> MinHash signatures, anchors, checks.

Both backends compute exactly the hashes of the reference functions in
:mod:`wireingest._dedup._text` and the signature datasketch's ``affine32`` scheme gives for
those hashes: ``min_k(a_k * fmix32(h) + b_k mod 2**32)`` with ``(a, b)`` drawn the way
``datasketch.MinHash(num_perm, seed)`` draws them. Shingles and signatures have a vectorised
numpy form and a compiled loop form (:mod:`._numba`); the anchor keys and the policy's
candidate checks are written once as plain loops that numba compiles and that the interpreter
runs when the compiled kernels cannot load. The switch is :mod:`wireingest._kernels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from wireingest._dedup._text import G_LEN, P_TOKEN, Q_SHINGLE, word_table
from wireingest._kernels import check_backend, compiled
from wireingest._kernels.hashing import fmix32, fmix64, fmix64_u32

__all__ = [
    "anchors",
    "encode_batch",
    "minhash",
    "permutations",
    "shingle_batch",
    "verify",
]

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_Q = np.array(Q_SHINGLE, dtype=np.uint64)
_MAX32 = np.uint32(0xFFFFFFFF)
_S32 = np.uint64(32)


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """``(a, b)`` of datasketch's ``affine32`` scheme for ``MinHash(num_perm, seed)``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def encode_batch(texts: Sequence[str], compact: bool = False) -> tuple[Any, I64]:
    """Code points of all texts, concatenated, and the offsets of each text (n + 1).

    With ``compact``, texts that are all Latin-1 come back as ``uint8`` (the numba kernels
    take either; a quarter of the bytes to write and read), others as ``uint32``."""
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=offsets[1:])
    joined = "".join(texts)
    if compact:
        try:
            return np.frombuffer(joined.encode("latin-1"), dtype=np.uint8), offsets
        except UnicodeEncodeError:
            pass
    data = joined.encode("utf-32-le", "surrogatepass")
    return np.frombuffer(data, dtype=np.uint32), offsets


# -- numpy backend --------------------------------------------------------------------------
_pow_cache: list[U64] = [np.ones(1, dtype=np.uint64)]


def _powers(n: int) -> U64:
    """P**i modulo 2**64 for i < n (cached, grown by doubling; n is a token or token-count
    length, never a batch length)."""
    if len(_pow_cache[0]) < n:
        size = 1 << max(n - 1, 1).bit_length()
        pw = np.full(size, P_TOKEN, dtype=np.uint64)
        pw[0] = 1
        _pow_cache[0] = np.cumprod(pw, dtype=np.uint64)
    return _pow_cache[0]


#: P**i for i < 256: the compiled shingle kernel reads a token's powers from it
_TOKEN_POWERS = _powers(256)[:256].copy()


def _shingles_numpy(
    cps: U32, offsets: I64, char_mode: npt.NDArray[np.bool_], sizes: I64
) -> tuple[U32, I64, U64]:
    n_docs = len(offsets) - 1
    n = len(cps)
    table = word_table()
    if n == 0:
        return _empty(n_docs)
    isword = np.where(cps < 0x10000, table[np.minimum(cps, 0xFFFF)], 1).astype(bool)
    doc_len = np.diff(offsets)
    charpos = np.repeat(char_mode, doc_len)
    prev = np.empty(n, dtype=bool)
    prev[0] = False
    prev[1:] = isword[:-1]
    # a text boundary always starts a new token
    prev[offsets[1:-1][doc_len[1:] > 0]] = False
    start = isword & (~prev | charpos)
    nxt_start = np.empty(n, dtype=bool)
    nxt_start[:-1] = start[1:]
    nxt_start[-1] = True
    nxt_word = np.empty(n, dtype=bool)
    nxt_word[:-1] = isword[1:]
    nxt_word[-1] = False
    ends_at = np.zeros(n, dtype=bool)
    ends_at[offsets[1:] - 1] = True  # last position of each text (empty texts point back)
    end = isword & (~nxt_word | nxt_start | ends_at)
    s_idx = np.flatnonzero(start)
    e_idx = np.flatnonzero(end) + 1
    n_tok_all = len(s_idx)
    tok_doc = np.searchsorted(offsets, s_idx, side="right") - 1
    tok_off = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(tok_doc, minlength=n_docs), out=tok_off[1:])
    if n_tok_all == 0:
        return _empty(n_docs)
    # position of every code point inside its token (powers stay as short as the tokens)
    tok_of_pos = np.maximum(np.cumsum(start) - 1, 0)
    local = np.arange(n) - s_idx[tok_of_pos]
    local[~isword] = 0
    n_tok = np.diff(tok_off)
    pw = _powers(max(int(local.max()) + 1, int(n_tok.max()) if len(n_tok) else 1))
    w = (cps.astype(np.uint64) + np.uint64(1)) * pw[local]
    w[~isword] = 0
    s = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(w, out=s[1:])
    poly = s[e_idx] - s[s_idx]
    length = (e_idx - s_idx).astype(np.uint64)
    toks = fmix64(poly ^ (length * np.uint64(G_LEN)))
    # exact hash: polynomial over each text's token hashes
    local_pow = pw[np.arange(n_tok_all) - np.repeat(tok_off[:-1], n_tok)]
    es = np.zeros(n_tok_all + 1, dtype=np.uint64)
    np.cumsum(toks * local_pow, out=es[1:])
    exact = fmix64(
        (es[tok_off[1:]] - es[tok_off[:-1]]) ^ (n_tok.astype(np.uint64) * np.uint64(G_LEN))
    )

    k_doc = sizes
    n_sh = np.where(n_tok == 0, 0, np.where(n_tok < k_doc, 1, n_tok - k_doc + 1))
    sh_off = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(n_sh, out=sh_off[1:])
    out = np.empty(int(sh_off[-1]), dtype=np.uint32)
    kmax = int(k_doc.max()) if n_docs else 1
    padded = np.zeros(n_tok_all + kmax, dtype=np.uint64)
    padded[:n_tok_all] = toks
    # full n-grams: shingle j of a text starts at its token j
    tok_k = np.repeat(k_doc, n_tok)
    tok_end = np.repeat(tok_off[1:], n_tok)
    local = np.arange(n_tok_all) - np.repeat(tok_off[:-1], n_tok)
    full = np.flatnonzero(np.arange(n_tok_all) + tok_k <= tok_end)
    short_docs = np.flatnonzero((n_tok > 0) & (n_tok < k_doc))
    acc = np.zeros(n_tok_all, dtype=np.uint64)
    short_acc = np.zeros(len(short_docs), dtype=np.uint64)
    short_first = tok_off[short_docs]
    short_n = n_tok[short_docs]
    for i in range(kmax):
        acc += padded[i : i + n_tok_all] * _Q[i] * (tok_k > i)
        hit = short_n == i + 1
        if hit.any():
            short_acc[hit] = acc[short_first[hit]]
    full_out = sh_off[tok_doc[full]] + local[full]
    out[full_out] = (fmix64(acc[full]) >> np.uint64(32)).astype(np.uint32)
    if len(short_docs):
        out[sh_off[short_docs]] = (fmix64(short_acc) >> np.uint64(32)).astype(np.uint32)
    return out, sh_off, exact


def _empty(n_docs: int) -> tuple[U32, I64, U64]:
    exact = np.zeros(n_docs, dtype=np.uint64)  # fmix64(0 ^ 0) == 0: the hash of no tokens
    return np.zeros(0, dtype=np.uint32), np.zeros(n_docs + 1, dtype=np.int64), exact


def _minhash_numpy(sh: U32, sh_off: I64, a: U32, b: U32) -> U32:
    n_docs = len(sh_off) - 1
    out = np.full((n_docs, len(a)), _MAX32, dtype=np.uint32)
    if len(sh) == 0:
        return out
    x = fmix32(sh)
    counts = np.diff(sh_off)
    nonempty = np.flatnonzero(counts > 0)
    # chunks of whole texts, about 2**20 permuted values each
    limit = max(1, (1 << 20) // len(a))
    i = 0
    while i < len(nonempty):
        j = i
        rows = 0
        while j < len(nonempty) and (rows == 0 or rows + counts[nonempty[j]] <= limit):
            rows += int(counts[nonempty[j]])
            j += 1
        docs = nonempty[i:j]
        lo, hi = int(sh_off[docs[0]]), int(sh_off[docs[-1] + 1])
        v = np.multiply.outer(a, x[lo:hi])
        v += b[:, None]
        out[docs] = np.minimum.reduceat(v, sh_off[docs] - lo, axis=1).T
        i = j
    return out


def shingle_batch(
    cps: U32,
    offsets: I64,
    char_mode: npt.NDArray[np.bool_],
    sizes: I64,
    backend: str | None = None,
) -> tuple[U32, I64, U64]:
    """Shingle hashes of every text (concatenated), the offsets of each text's shingles, and
    each text's exact hash (of its token sequence)."""
    if check_backend(backend) == "numpy":
        return _shingles_numpy(cps, offsets, char_mode, sizes)
    n_docs = len(offsets) - 1
    out = np.empty(len(cps) + n_docs, dtype=np.uint32)
    out_off = np.zeros(n_docs + 1, dtype=np.int64)
    longest = int(np.diff(offsets).max()) if n_docs else 0
    toks = np.empty(longest + 1, dtype=np.uint64)
    lens = np.empty(longest + 1, dtype=np.uint64)
    exact = np.zeros(n_docs, dtype=np.uint64)
    total = compiled().shingles(
        cps, offsets, char_mode, sizes, word_table(), _Q, _TOKEN_POWERS, toks, lens, out,
        out_off, exact,
    )
    return out[:total], out_off, exact


def minhash(sh: U32, sh_off: I64, a: U32, b: U32, backend: str | None = None) -> U32:
    """Signatures (n_texts x num_perm, uint32) of each text's shingle hashes."""
    if check_backend(backend) == "numpy":
        return _minhash_numpy(sh, sh_off, a, b)
    out = np.full((len(sh_off) - 1, len(a)), _MAX32, dtype=np.uint32)
    compiled().minhash(sh, sh_off, a, b, out)
    return out


def verify(
    sig: npt.NDArray[np.unsignedinteger[Any]],
    n: int,
    lede_sig: npt.NDArray[np.unsignedinteger[Any]],
    lede_n: int,
    mine: U32,
    arr: I64,
    s_sig: npt.NDArray[np.unsignedinteger[Any]],
    s_nsh: npt.NDArray[np.int32],
    s_lede: U32,
    params: npt.NDArray[np.float64],
    backend: str | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], Any]:
    """:func:`wireingest._dedup.policy.check_candidates` over candidates ``arr``: estimated
    Jaccard, containment of new in old and of old in new, and the match kind of each."""
    j, c_new, c_old, kind = _check_outputs(len(arr))
    fn = _policy_loops("check_candidates", backend)
    fn(sig, n, lede_sig, lede_n, mine, arr, s_sig, s_nsh, s_lede, params, j, c_new, c_old, kind)
    return j, c_new, c_old, kind


def _check_outputs(k: int) -> tuple[Any, Any, Any, Any]:
    """The arrays the candidate checks write for ``k`` candidates: estimated Jaccard,
    containment of new in old and of old in new, and the match kind (0: none)."""
    f64 = np.float64
    return np.empty(k, f64), np.empty(k, f64), np.empty(k, f64), np.zeros(k, np.int8)


def _policy_loops(name: str, backend: str | None) -> Any:
    """The plain-loop function ``name`` of :mod:`wireingest._dedup.policy`, compiled with
    the numba backend, as it is with the numpy one."""
    if check_backend(backend) == "numba":
        return getattr(compiled(), name)
    from wireingest._dedup import policy

    return getattr(policy, name)


def front(
    arr: I64,
    exact: int,
    sig: npt.NDArray[np.unsignedinteger[Any]],
    n: int,
    lede_sig: npt.NDArray[np.unsignedinteger[Any]],
    lede_n: int,
    mine: U32,
    s_sig: npt.NDArray[np.unsignedinteger[Any]],
    s_nsh: npt.NDArray[np.int32],
    s_exact: npt.NDArray[np.int64],
    s_lede: U32,
    params: npt.NDArray[np.float64],
    backend: str | None = None,
) -> tuple[I64, int, Any, Any, Any, Any, bool]:
    """:func:`wireingest._dedup.policy.check_front` over candidates ``arr`` (reordered in
    place): the candidates with text, the position of the first exact duplicate among them
    (-1: none), and when there is none the candidate checks over them (estimated Jaccard,
    containment of new in old and of old in new, match kind) and whether one holds."""
    j, c_new, c_old, kind = _check_outputs(len(arr))
    m, hit, matched = _policy_loops("check_front", backend)(
        arr, exact, sig, n, lede_sig, lede_n, mine, s_sig, s_nsh, s_exact, s_lede, params, j,
        c_new, c_old, kind,
    )  # fmt: skip
    return arr[:m], int(hit), j[:m], c_new[:m], c_old[:m], kind[:m], bool(matched)


def screen(
    bt_arrays: tuple[Any, ...],
    found: npt.NDArray[np.int32],
    f_off: I64,
    table: tuple[Any, ...],
    params: npt.NDArray[np.float64],
    backend: str | None = None,
) -> npt.NDArray[np.uint8] | None:
    """:func:`wireingest._dedup.policy.screen_candidates` over a run: 1 for each article that
    no candidate in ``found`` can match. ``bt_arrays``: the run's ``(codes, nsh, exact,
    lede_codes, lede_n, sh, sh_lo, sh_hi)``; ``table``: ``(sig, nsh, exact, lede)`` of the
    slots. ``None`` with the numpy kernels, which leave every article to the full decision
    (interpreted, the screen would cost more than it saves)."""
    if check_backend(backend) != "numba":
        return None
    out = np.empty(len(f_off) - 1, dtype=np.uint8)
    seen = np.zeros(len(table[1]), dtype=np.uint8)
    compiled().screen_candidates(*bt_arrays, found, f_off, *table, params, seen, out)
    return out


def anchor_keys(  # type: ignore[no-untyped-def]
    sh, sh_off, main, ledes, n_anchors, tag, anchors, a_off, lede_keys
):
    """Anchor keys of texts ``main`` (the first shingle and the first ``n_anchors`` later ones
    whose hash is 0 mod 16, mixed with ``tag``) and lede keys (shingles spread evenly over
    texts ``ledes``; 0 = none). Plain loops: numba compiles this function as it is."""
    n = len(main)
    total = 0
    n_keys = lede_keys.shape[1]
    for r in range(n):
        a_off[r] = total
        t = main[r]
        lo = sh_off[t]
        hi = sh_off[t + 1]
        if hi > lo:
            anchors[total] = np.uint32(fmix64(np.uint64(sh[lo]) + tag) >> _S32)
            total += 1
            taken = 0
            for j in range(lo + 1, hi):
                if taken >= n_anchors:
                    break
                if sh[j] & np.uint32(15) == 0:
                    anchors[total] = np.uint32(fmix64(np.uint64(sh[j]) + tag) >> _S32)
                    total += 1
                    taken += 1
        lt = ledes[r]
        llo = sh_off[lt]
        ln = sh_off[lt + 1] - llo
        span = max(ln - 1, 0)
        for j in range(n_keys):
            if ln > j:  # (dedup15b: a lede of fewer shingles than keys gives each one)
                lede_keys[r, j] = sh[llo + (j if ln <= n_keys else (span * j) // (n_keys - 1))]
            else:
                lede_keys[r, j] = 0
    a_off[n] = total
    return total


def anchors(
    sh: U32,
    sh_off: I64,
    main: I64,
    ledes: I64,
    n_anchors: int,
    tag: np.uint64,
    n_lede: int,
    backend: str | None = None,
) -> tuple[U32, I64, U32]:
    """:func:`anchor_keys` into fresh arrays: anchors, their offsets per text, lede keys."""
    n = len(main)
    out = np.empty(n * (1 + n_anchors), dtype=np.uint32)
    a_off = np.empty(n + 1, dtype=np.int64)
    lede_keys = np.empty((n, n_lede), dtype=np.uint32)
    if check_backend(backend) == "numba":
        total = compiled().anchor_keys(
            sh, sh_off, main, ledes, n_anchors, tag, out, a_off, lede_keys
        )
    else:
        with np.errstate(over="ignore"):  # uint64 scalar products wrap, as intended
            total = anchor_keys(  # type: ignore[no-untyped-call]
                sh, sh_off, main, ledes, n_anchors, tag, out, a_off, lede_keys
            )
    return out[:total], a_off, lede_keys


def band_keys(sigs: U32, bands: int, rows: int, row_mult: U64, band_ids: U64) -> U32:
    """One 32-bit key per LSH band of each signature."""
    n = len(sigs)
    r = sigs[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    acc = (r * row_mult).sum(axis=2, dtype=np.uint64) + band_ids
    return fmix64_u32(acc)
