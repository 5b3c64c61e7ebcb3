"""A compiled pre-check for :func:`wireingest._clean.clean_paragraphs`.

Most articles hold no repeated paragraph and no echo of their title. Finding that out the
exact way costs a :func:`~wireingest._clean.junk.paragraph_key` per paragraph and the anchor
scan of :mod:`.repeats` (about 90 µs for a ten-paragraph article). :func:`may_repeat` answers
the same question in one compiled pass over the text (about 10 µs): it computes hashes of
the keys and anchors the exact code would compare, and for two paragraphs that share an
anchor, the word 3-gram overlap that the exact near-repeat test measures; it says ``False``
only when no keys are equal and no such pair passes. Hashes can collide, which only makes the
answer "maybe" (``True``): the exact code then runs as before.
The output of cleaning is the same either way.

The pass needs numba and ASCII text (after :func:`~wireingest._meta._ascii.ascii_standin`,
which keeps every position); otherwise :func:`may_repeat` returns ``None`` and the caller does
the exact work. It is used only once the compiled kernels are loaded in this process
(:func:`wireingest._kernels.loaded`, the one backend switch; a pipeline with dedup loads them),
so that a one-off ``parse`` does not pay numba's start-up (about a second). Under the same
condition, :func:`line_kernel` gives the boilerplate model (:mod:`.boilerplate`) its compiled
line-features pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from wireingest._clean.repeats import (
    _GATE_BYTES,
    ANCHOR_WINDOW,
    CONTAINMENT_THRESHOLD,
    MIN_NEAR_WORDS,
    NEAR_THRESHOLD,
)
from wireingest._meta._ascii import ascii_standin

__all__ = ["ascii_lines", "line_kernel", "may_repeat", "repeat_code"]

_kernel: Callable[..., int] | None = None
_line_kernel: Callable[..., int] | None = None
_table: Any = None


def _load() -> Callable[..., int] | None:
    global _kernel, _line_kernel, _table
    if _kernel is None:
        from wireingest import _kernels

        if not _kernels.loaded():
            return None
        from wireingest._clean import _numba_scan

        _table = np.frombuffer(_GATE_BYTES, dtype=np.uint8)
        _line_kernel = _numba_scan.line_features
        _kernel = _numba_scan.may_repeat
    return _kernel


def line_kernel() -> Callable[..., int] | None:
    """The compiled features pass of :mod:`.boilerplate`, under the same condition."""
    if _line_kernel is None:
        _load()
    return _line_kernel


def ascii_lines(lines: Sequence[str]) -> bytes | None:
    """``lines`` joined by newlines as ASCII bytes (typographic punctuation read through
    :func:`~wireingest._meta._ascii.ascii_standin`, which keeps every position), or ``None``
    when other non-ASCII text is left."""
    text = "\n".join(lines)
    if not text.isascii():
        standin = ascii_standin(text)
        if standin is None:
            return None
        text = standin
    return text.encode("ascii")


def repeat_code(paragraphs: Sequence[str], titles: Sequence[str] = ()) -> int | None:
    """The kernel's answer: 0 (no repeat, no title echo), 1 (two paragraphs may have one
    key), 2 (a paragraph may have a title's key), 3 (two paragraphs share an anchor of
    :mod:`.repeats` and may be near repeats by their word 3-grams), or ``None`` when the pass
    cannot run (see the module docstring)."""
    kernel = _kernel or _load()
    if kernel is None:
        return None
    lines = [*paragraphs, *(t.replace("\n", " ") for t in titles)] if titles else paragraphs
    raw = ascii_lines(lines)
    if raw is None:
        return None
    buf = np.frombuffer(raw, dtype=np.uint8)
    return int(
        kernel(
            buf, len(paragraphs), _table, MIN_NEAR_WORDS, ANCHOR_WINDOW, NEAR_THRESHOLD,
            CONTAINMENT_THRESHOLD,
        )
    )  # fmt: skip


def may_repeat(paragraphs: Sequence[str], titles: Sequence[str] = ()) -> bool | None:
    """Whether ``paragraphs`` may hold a repeat or a paragraph with one of ``titles``' keys.

    ``paragraphs`` must be normalised (:func:`~wireingest._clean.junk.normalise_paragraph`:
    no newline inside). ``False`` is certain; ``True`` means "maybe"; ``None``: not known
    here (numba not loaded, or text that is not ASCII after the stand-ins).
    """
    code = repeat_code(paragraphs, titles)
    return None if code is None else code != 0
