"""The integer mixers every hash of wireingest is built from (one definition each).

MurmurHash3's finalisers: :func:`fmix64` and :func:`fmix32` are written once over numpy
unsigned integers, so the same source serves numpy arrays, numpy scalars and numba (which
compiles them as they are: :mod:`._numba`); :func:`fmix64_int` is the Python-integer form the
reference (one-shingle-at-a-time) functions use. The constants are MurmurHash3's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["M64", "fmix32", "fmix64", "fmix64_int", "fmix64_u32"]

M64 = (1 << 64) - 1
C64_1 = 0xFF51AFD7ED558CCD
C64_2 = 0xC4CEB9FE1A85EC53
C32_1 = 0x85EBCA6B
C32_2 = 0xC2B2AE35
_C1 = np.uint64(C64_1)
_C2 = np.uint64(C64_2)
_D1 = np.uint32(C32_1)
_D2 = np.uint32(C32_2)
_S33 = np.uint64(33)
_S32 = np.uint64(32)
_S16 = np.uint32(16)
_S13 = np.uint32(13)


def fmix64(h: Any) -> Any:
    """64-bit finaliser (a bijection) of uint64 arrays or scalars; numba compiles it too."""
    h = h ^ (h >> _S33)
    h = h * _C1
    h = h ^ (h >> _S33)
    h = h * _C2
    return h ^ (h >> _S33)


def fmix32(h: Any) -> Any:
    """32-bit finaliser of uint32 arrays or scalars; numba compiles it too."""
    h = h ^ (h >> _S16)
    h = np.uint32(h * _D1)  # numba widens a uint32 product: cast back
    h = h ^ (h >> _S13)
    h = np.uint32(h * _D2)
    return h ^ (h >> _S16)


def fmix64_u32(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """The high 32 bits of :func:`fmix64` of a uint64 array (the index keys)."""
    return (fmix64(h) >> _S32).astype(np.uint32)  # type: ignore[no-any-return]


def fmix64_int(h: int) -> int:
    """:func:`fmix64` of a Python integer (taken modulo 2**64)."""
    h &= M64
    h ^= h >> 33
    h = (h * C64_1) & M64
    h ^= h >> 33
    h = (h * C64_2) & M64
    h ^= h >> 33
    return h
