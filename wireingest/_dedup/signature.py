"""The signature API: datasketch-compatible MinHash signatures of many texts at once.

Signatures are datasketch-compatible MinHash signatures: scheme ``affine32``, the permutations
``datasketch.MinHash(num_perm, seed)`` draws, over the 32-bit shingle hash
:func:`~._text.shingle_hash`. ``MinHash(num_perm, seed, hashfunc=shingle_hash)`` updated with
:func:`~._text.shingles` holds exactly the signature :func:`signatures` computes in bulk, and
:func:`to_lean_minhash` turns one into a ``LeanMinHash`` (same Jaccard estimates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from wireingest._dedup._text import mode_for, normalize, size_for
from wireingest._kernels import minhash as K

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = ["signatures", "to_lean_minhash"]

U32 = npt.NDArray[np.uint32]
_CHUNK = 256  # texts per kernel call


def signatures(
    texts: Sequence[str],
    languages: Sequence[str | None] | None = None,
    *,
    num_perm: int = 128,
    seed: int = 1,
    shingle_size: int = 5,
    char_shingle_size: int = 4,
    backend: str | None = None,
) -> U32:
    """MinHash signatures of many texts at once: a ``(len(texts), num_perm)`` uint32 array.

    Row ``i`` equals ``datasketch.MinHash(num_perm, seed, hashfunc=shingle_hash)`` updated
    with ``shingles(texts[i], languages[i], size)``. ``backend``: ``"numpy"``, ``"numba"``
    or ``None`` (numba when installed).
    """
    langs = list(languages) if languages is not None else [None] * len(texts)
    if len(langs) != len(texts):
        raise ValueError("languages must have one entry per text")
    a, b = K.permutations(num_perm, seed)
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    for lo in range(0, len(texts), _CHUNK):
        hi = min(lo + _CHUNK, len(texts))
        norm = [normalize(t) for t in texts[lo:hi]]
        modes = [mode_for(lang, t) for lang, t in zip(langs[lo:hi], norm, strict=True)]
        sizes = np.array(
            [
                size_for(lang, m, shingle_size, char_shingle_size)
                for lang, m in zip(langs[lo:hi], modes, strict=True)
            ],
            dtype=np.int64,
        )
        cps, off = K.encode_batch(norm)
        char = np.array([m == "char" for m in modes], dtype=bool)
        sh, sh_off, _ = K.shingle_batch(cps, off, char, sizes, backend)
        out[lo:hi] = K.minhash(sh, sh_off, a, b, backend)
    return out


def to_lean_minhash(signature: npt.ArrayLike, seed: int = 1) -> LeanMinHash:
    """A datasketch ``LeanMinHash`` holding this signature (scheme ``affine32``).

    Needs datasketch, an optional dependency: ``pip install 'wireingest[datasketch]'``."""
    try:
        from datasketch import LeanMinHash
    except ImportError as exc:
        raise ImportError(
            "to_lean_minhash needs datasketch: pip install 'wireingest[datasketch]'"
        ) from exc

    return LeanMinHash(
        seed=seed, hashvalues=np.asarray(signature, dtype=np.uint32), scheme="affine32"
    )
