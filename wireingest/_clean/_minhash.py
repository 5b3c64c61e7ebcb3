"""A small, deterministic MinHash for paragraphs (numpy, batched per page).

The boilerplate model (:mod:`.boilerplate`) matches lines across the pages of one source and
needs many tiny signatures that can be persisted, so this module computes them for all
paragraphs of a page in one vectorised call instead of building a ``datasketch.MinHash`` per
paragraph.

* Tokens are Unicode word runs, case-folded; each token is hashed with CRC-32 (stable across
  processes and platforms, unlike ``hash()``), and word bigrams are combined by a multiply-add
  over uint64 (word bigrams; single words for lines under 3 words). Bigrams rather than
  trigrams: boilerplate lines are short, and one inserted word must not break the match.
* ``num_perm`` permutations use the multiply-add-shift family
  ``h -> ((a*h + b) mod 2**64) >> 32`` with odd 64-bit ``a``; ``a`` and ``b`` come from
  ``numpy.random.default_rng(seed)`` so a signature's meaning is fixed by
  ``(SCHEME, seed, num_perm)``, which persisted state stores and checks.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = [
    "SCHEME",
    "shingle_set",
    "shingles",
    "signatures",
    "words",
]

SCHEME = "crc32-bigram-mas64-v1"
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_DIGIT_RE = re.compile(r"\d+")
_MULT = np.uint64(0x9E3779B97F4A7C15)

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


def words(text: str, *, mask_digits: bool = False) -> list[str]:
    """Case-folded word tokens; each digit run becomes ``0`` when ``mask_digits``."""
    t = text.casefold()
    if mask_digits:
        t = _DIGIT_RE.sub("0", t)
    return _WORD_RE.findall(t)


def _kgram(n_words: int) -> int:
    return 2 if n_words >= 3 else 1


def shingles(tokens: Sequence[str]) -> U64:
    """uint64 hashes of the word bigrams of ``tokens`` (empty when there are no tokens)."""
    n = len(tokens)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    th = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=n)
    k = _kgram(n)
    m = n - k + 1
    acc = th[:m].copy()
    for j in range(1, k):
        acc = acc * _MULT + th[j : j + m]
    return acc


def shingle_set(tokens: Sequence[str]) -> frozenset[int]:
    return frozenset(shingles(tokens).tolist())


@lru_cache(maxsize=16)
def _perms(num_perm: int, seed: int) -> tuple[U64, U64]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a.reshape(-1, 1), b.reshape(-1, 1)


def signatures(shingle_arrays: Sequence[U64], *, num_perm: int, seed: int) -> U32:
    """One MinHash signature (uint32[num_perm]) per non-empty shingle array, in one batch.

    Returns an array of shape ``(len(shingle_arrays), num_perm)``; an empty shingle array gets
    an all-``0xFFFFFFFF`` row (it matches nothing useful).
    """
    out = np.full((len(shingle_arrays), num_perm), 0xFFFFFFFF, dtype=np.uint32)
    idx = [i for i, s in enumerate(shingle_arrays) if len(s)]
    if not idx:
        return out
    parts = [shingle_arrays[i] for i in idx]
    flat = np.concatenate(parts)
    offsets = np.zeros(len(parts), dtype=np.intp)
    np.cumsum([len(p) for p in parts[:-1]], out=offsets[1:])
    a, b = _perms(num_perm, seed)
    hv = ((a * flat[np.newaxis, :] + b) >> np.uint64(32)).astype(np.uint32)
    out[idx] = np.minimum.reduceat(hv, offsets, axis=1).T
    return out
