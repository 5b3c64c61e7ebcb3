"""The compiled kernels and the one switch that says whether they run.

numba is a base dependency: dedup (shingles, signatures, anchors, candidate checks) and
cleaning (the repeat pre-check, the boilerplate line features) run compiled by default. The
kernels are compiled once and cached on disk (``cache=True``); when the package directory is
not writable the cache goes to a user cache directory (``NUMBA_CACHE_DIR``, set here only when
the user has not set it). When the compiled kernels cannot load (numba missing or broken, or
``WIREINGEST_NO_NUMBA=1``), the same functions run as numpy or plain Python, with one warning
(except when numba was turned off on purpose); every backend gives the same results.

* :data:`BACKENDS`, :data:`DEFAULT_BACKEND`, :func:`check_backend`: the choice.
* :func:`load`: load the compiled kernels (once per process, about half a second from the
  cache), ``False`` when they cannot load. :func:`loaded`: whether they are loaded;
  cleaning uses them only then, so that a one-off ``parse`` does not pay the start-up.
* :func:`verifier`: the candidate checks of the dedup policy
  (:func:`wireingest._dedup.policy.check_candidates`), compiled or not.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import tempfile
import warnings
from types import ModuleType
from typing import Any

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "check_backend",
    "compiled",
    "load",
    "loaded",
    "verifier",
    "warm",
]

_DISABLED = os.environ.get("WIREINGEST_NO_NUMBA", "").lower() in ("1", "true", "yes")
_AVAILABLE = not _DISABLED and importlib.util.find_spec("numba") is not None

BACKENDS: tuple[str, ...] = ("numpy", "numba") if _AVAILABLE else ("numpy",)
DEFAULT_BACKEND = BACKENDS[-1]

_state: dict[str, Any] = {"module": None, "failed": False}


def _warn(msg: str) -> None:
    warnings.warn(msg, RuntimeWarning, stacklevel=3)


if not _AVAILABLE and not _DISABLED:
    _warn(
        "wireingest: numba is not installed; running the slower numpy kernels (pip install numba)"
    )


def _ensure_cache_dir() -> None:
    """numba writes its cache next to the sources; use a user cache directory when the
    package directory is not writable (and the user set none)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    if os.access(here, os.W_OK) and os.access(os.path.dirname(here), os.W_OK):
        return
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "wireingest", "numba")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        path = os.path.join(tempfile.gettempdir(), f"wireingest-numba-{os.getuid()}")
        os.makedirs(path, exist_ok=True)
    os.environ["NUMBA_CACHE_DIR"] = path
    if "numba" in sys.modules:  # numba read its config already: tell it
        from numba.core import config

        config.CACHE_DIR = path  # type: ignore[attr-defined]


def check_backend(backend: str | None) -> str:
    """The backend to use (``None``: :data:`DEFAULT_BACKEND`); ``ValueError`` when unknown."""
    name = backend or DEFAULT_BACKEND
    if name not in BACKENDS:
        hint = " (numba is not installed or WIREINGEST_NO_NUMBA is set)" if name == "numba" else ""
        raise ValueError(f"backend {name!r} is not available{hint}; use one of {BACKENDS}")
    if name == "numba" and not load():
        return "numpy"
    return name


def load() -> bool:
    """Load the compiled kernels now (once); ``False`` (after one warning) when they cannot."""
    if _state["module"] is not None:
        return True
    if not _AVAILABLE or _state["failed"]:
        return False
    try:
        _ensure_cache_dir()
        from wireingest._kernels import _numba
    except Exception as exc:  # numba present but unusable (llvmlite mismatch, ...)
        _state["failed"] = True
        _warn(f"wireingest: numba kernels could not load ({exc}); running the numpy kernels")
        return False
    _state["module"] = _numba
    return True


def warm() -> None:
    """Run every compiled kernel once on tiny input, so that loading them from numba's cache
    (or compiling them) happens now, not inside a caller's first transaction."""
    if _state.get("warm") or not load():
        return
    _state["warm"] = True
    import numpy as np

    from wireingest._dedup.policy import LEDE_KEYS
    from wireingest._kernels import minhash

    a, b = minhash.permutations(16, 1)
    cps, off = minhash.encode_batch(["warm up the kernels now", "x"], compact=True)
    sizes = np.array([5, 5], dtype=np.int64)
    sh, sh_off, _ = minhash.shingle_batch(cps, off, np.zeros(2, dtype=bool), sizes, "numba")
    sig = minhash.minhash(sh, sh_off, a, b, "numba")
    cps32, off32 = minhash.encode_batch(["é ж"])
    minhash.shingle_batch(cps32, off32, np.zeros(1, dtype=bool), sizes[:1], "numba")
    idx = np.arange(2, dtype=np.int64)
    minhash.anchors(sh, sh_off, idx, idx, 3, np.uint64(1), LEDE_KEYS, "numba")
    lede = np.zeros((2, LEDE_KEYS), dtype=np.uint32)
    params = np.array([0.8, 0.8, 10.0, 0.25, 0.8])
    nsh = np.diff(sh_off).astype(np.int32)
    from wireingest._dedup._index import sig_code

    code = sig_code(sig)  # the index keeps 16-bit codes (wireingest._dedup._index.Slots)
    minhash.verify(code[0], int(nsh[0]), code[0], int(nsh[0]), sh, idx, code, nsh, lede, params,
                   "numba")  # fmt: skip
    minhash.front(idx.copy(), 0, code[0], int(nsh[0]), code[0], int(nsh[0]), sh, code, nsh,
                  idx, lede, params, "numba")  # fmt: skip
    from wireingest._dedup._text import figure_masks, ocr_fold_codes, paragraph_keys

    paragraph_keys(["warm up", "the kernels"])
    from wireingest._dedup._index import KeyIndex

    index = KeyIndex()
    index.bulk_add(np.array([1, 2], dtype=np.uint32), np.array([0, 1], dtype=np.int32))
    index.ranges(np.array([2, 3], dtype=np.uint32))  # (galloping, compiled)
    index.add([2, 5], 2)
    index.merge()
    from wireingest._dedup._index import BoilerplateSketch

    sketch = BoilerplateSketch(width_bits=4)
    sketch.add_many([1, 2])
    sketch.counts(np.array([1, 2], dtype=np.uint32))

    figure_masks(cps, off, idx)
    # the OCR fold (wireingest._dedup._ocr_numba; a batch beyond Latin-1, rarer, compiles the
    # fold and the figures of its code points when it first comes)
    ocr_fold_codes(cps, off)
    two = np.zeros(2, dtype=np.int64)
    minhash.screen(
        (code, two, two, code, two, sh, two, two), np.zeros(0, dtype=np.int32),
        np.zeros(3, dtype=np.int64), (code, nsh, two, lede), params, "numba",
    )  # fmt: skip


def loaded() -> bool:
    """Whether the compiled kernels are loaded in this process."""
    return _state["module"] is not None


def compiled() -> ModuleType:
    """The compiled kernels module (call :func:`load` first)."""
    mod = _state["module"]
    assert mod is not None, "compiled kernels not loaded"
    return mod  # type: ignore[no-any-return]


def front(backend: str | None = None) -> Any:
    """The first steps of the dedup decision for an article with text
    (:func:`wireingest._dedup.policy.check_front`), compiled or not: a function of
    ``(arr, exact, sig, n, lede_sig, lede_n, mine, s_sig, s_nsh, s_exact, s_lede, params)``
    returning ``(candidates with text, exact hit or -1, jaccard, containment new in old,
    containment old in new, kind, matched)``."""
    from wireingest._kernels.minhash import front as fn

    return functools.partial(fn, backend=check_backend(backend))


def verifier(backend: str | None = None) -> Any:
    """The candidate checks of the dedup policy as a function of
    ``(sig, n, lede_sig, lede_n, mine, arr, s_sig, s_nsh, s_lede, params)`` returning
    ``(jaccard, containment new in old, containment old in new, kind)`` arrays."""
    from wireingest._kernels.minhash import verify

    return functools.partial(verify, backend=check_backend(backend))
