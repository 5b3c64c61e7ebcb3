"""Dedup settings: :class:`DedupConfig`, the default LSH bands and the settings fingerprint.

A persisted state stores :meth:`DedupConfig.fingerprint` and refuses to reopen with settings
that would change what is stored (see :mod:`wireingest._dedup.store`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wireingest._dedup._text import MAX_SHINGLE

__all__ = ["FORMAT_VERSION", "DedupConfig", "default_params", "settings_advice"]

#: Version of the signature and state format. Signatures that change meaning get a new version.
FORMAT_VERSION = 1


def default_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)``: the largest ``rows`` that makes a pair at ``threshold`` a candidate
    with probability >= 0.9, using ``num_perm // rows`` bands."""
    best = (num_perm, 1)
    for r in range(1, num_perm + 1):
        b = num_perm // r
        if b < 1:
            break
        if 1.0 - (1.0 - threshold**r) ** b >= 0.9:
            best = (b, r)
    return best


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Dedup settings (datasketch's parameter names where they exist).

    ``threshold``: Jaccard threshold for near-duplicates (verified on the signatures).
    ``num_perm``, ``seed``: MinHash permutations, as in ``datasketch.MinHash``.
    ``params``: ``(bands, rows)`` of the LSH index; ``None`` = :func:`default_params`.
    ``shingle_size``: word n-gram size; ``char_shingle_size``: character n-gram size for
    Chinese and Japanese (doubled for Thai, Lao, Khmer, Burmese, Tibetan).
    ``window``: seconds an article stays indexed (``None`` = forever).
    ``policy``: ``"first"`` or ``"best"`` (see the module docstring).
    ``containment``: share of the shorter article's shingles that must be in the longer one
    for a brief (or an update) to be linked to it.
    ``ocr_fold``: fold Latin-script text into a form OCR damage does not change before
    shingling (:func:`wireingest._dedup._text.ocr_fold`), so that reprints scanned from paper
    (and words joined or hyphenated across lines) still match. On by default (#15, with
    ``containment`` 0.7); ``ocr_fold=False, containment=0.8`` are the earlier defaults, which
    a state made with them needs (:func:`settings_advice`).
    """

    threshold: float = 0.8
    num_perm: int = 128
    seed: int = 1
    params: tuple[int, int] | None = None
    shingle_size: int = 5
    window: float | None = None
    policy: Literal["first", "best"] = "first"
    containment: float = 0.7
    char_shingle_size: int = 4
    ocr_fold: bool = True

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if not isinstance(self.num_perm, int) or not 16 <= self.num_perm <= 1024:
            raise ValueError(f"num_perm must be an integer from 16 to 1024, got {self.num_perm!r}")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**32:
            raise ValueError(f"seed must be an integer in [0, 2**32), got {self.seed!r}")
        if self.params is not None:
            b, r = self.params
            if b < 1 or r < 1 or b * r > self.num_perm:
                raise ValueError(
                    f"params=(bands, rows) needs bands >= 1, rows >= 1 and bands * rows <= "
                    f"num_perm ({self.num_perm}), got {self.params!r}"
                )
        for name in ("shingle_size", "char_shingle_size"):
            v = getattr(self, name)
            if not isinstance(v, int) or not 1 <= v <= MAX_SHINGLE // 2:
                raise ValueError(f"{name} must be an integer from 1 to {MAX_SHINGLE // 2}")
        if self.window is not None and not self.window > 0:
            raise ValueError(
                f"window must be a positive number of seconds or None, got {self.window!r}"
            )
        if self.policy not in ("first", "best"):
            raise ValueError(f"policy must be 'first' or 'best', got {self.policy!r}")
        if not 0.0 < self.containment <= 1.0:
            raise ValueError(f"containment must be in (0, 1], got {self.containment!r}")

    @property
    def bands(self) -> tuple[int, int]:
        """The ``(bands, rows)`` in use."""
        return self.params or default_params(self.threshold, self.num_perm)

    def fingerprint(self) -> str:
        """The settings that shape the stored index (a state refuses to reopen with others).

        ``threshold``, ``window``, ``policy`` and ``containment`` may change between runs;
        ``threshold`` only while ``params`` keeps the bands.
        """
        b, r = self.bands
        return (
            f"wireingest-dedup/{FORMAT_VERSION} minhash=affine32 num_perm={self.num_perm} "
            f"seed={self.seed} shingles=nfkc-casefold:word{self.shingle_size}:"
            f"char{self.char_shingle_size}{OCR_TAG if self.ocr_fold else ''} bands={b}x{r}"
        )


#: The fingerprint's mark of OCR folding (``:ocr`` was the fold of 0.x's opt-in setting,
#: with other chunks: a state made with it cannot be read now).
OCR_TAG = ":ocr2"
_FIELD = re.compile(r"(num_perm|seed|bands)=(\S+)")


def settings_advice(stored: str, now: str) -> str:
    """What to pass to reopen a state whose fingerprint is ``stored`` with a configuration
    whose fingerprint is ``now``: the settings by name (``DedupConfig`` fields and the CLI
    options), or to use a new state when no setting of this version reads it."""
    if "wireingest-dedup/" not in stored or stored.split()[0] != now.split()[0]:
        return "no setting of this version reads it: use a new state"
    old_ocr = ":ocr" in stored
    if old_ocr and OCR_TAG not in stored:
        return "it was made with the earlier OCR fold, which no setting reads now: use a new state"
    api: list[str] = []
    cli: list[str] = []
    if old_ocr != (OCR_TAG in now):
        api.append(f"ocr_fold={old_ocr}")
        cli.append("--ocr-fold" if old_ocr else "--no-ocr-fold")
    s_fields, n_fields = dict(_FIELD.findall(stored)), dict(_FIELD.findall(now))
    for name in ("num_perm", "seed"):
        if s_fields.get(name) != n_fields.get(name):
            api.append(f"{name}={s_fields.get(name)}")
            cli.append(f"--{name.replace('_', '-')} {s_fields.get(name)}")
    if s_fields.get("bands") != n_fields.get("bands"):
        b, _, r = s_fields.get("bands", "0x0").partition("x")
        api.append(f"params=({b}, {r})")
        cli.append(f"--params {b},{r}")
    shingles = [x for x in stored.split() if x.startswith("shingles=")]
    if shingles and shingles[0].replace(":ocr2", "") not in now.replace(":ocr2", ""):
        api.append(f"the shingle sizes of {shingles[0]!r}")
    if not api:
        return "open it with the settings it was made with"
    earlier = (
        "; with containment=0.8 (--containment 0.8) it decides as the earlier defaults did"
        if "ocr_fold=False" in api
        else ""
    )
    return f"open it with {', '.join(api)} (CLI: {' '.join(cli)}){earlier}"
