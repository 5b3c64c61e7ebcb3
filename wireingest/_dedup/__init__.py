"""Deduplication: exact, near-duplicate (MinHash/LSH, verified), briefs and updates.

One :class:`Deduplicator` decides, article by article, whether an article goes into the clean
stream (``Decision(emit=True)``) or is dropped with a reason, the id of the emitted article it
matched (``duplicate_of``) and the estimated Jaccard similarity (``similarity``).

Where things live (each concern in one module):

* :mod:`.config`: :class:`DedupConfig`, the default LSH bands, the settings fingerprint.
* :mod:`.policy`: the dedup policy, written down (thresholds and why), :class:`Decision`, the
  same-story test, first/best: each rule once, as pure functions a batch engine can call
  (:func:`~.policy.verify_pair`).
* :mod:`.engine`: :class:`Deduplicator`: prepare -> sign -> candidates -> policy -> index ->
  store.
* :mod:`.signature`: the datasketch-compatible signature API (:func:`signatures`).
* :mod:`.store`: the :class:`~.store.StateStore` protocol and its memory, SQLite and Redis
  stores (sequence numbers, metadata blobs, crash guarantees).
* :mod:`._index`: the in-memory index arrays; :mod:`._text`: normalisation and shingles;
  :mod:`wireingest._kernels`: the compiled kernels and the backend switch.
"""

from __future__ import annotations

from wireingest._dedup._text import exact_hash, normalize, shingle_hash, shingles
from wireingest._dedup.config import FORMAT_VERSION, DedupConfig, default_params
from wireingest._dedup.engine import Deduplicator
from wireingest._dedup.policy import Decision, PairFacts, Signed, verify_pair
from wireingest._dedup.signature import signatures, to_lean_minhash
from wireingest._dedup.store import StateStore
from wireingest._kernels import DEFAULT_BACKEND as BACKEND
from wireingest._meta.version import version_rank

__all__ = [
    "BACKEND",
    "FORMAT_VERSION",
    "Decision",
    "DedupConfig",
    "Deduplicator",
    "PairFacts",
    "Signed",
    "StateStore",
    "default_params",
    "exact_hash",
    "normalize",
    "shingle_hash",
    "shingles",
    "signatures",
    "to_lean_minhash",
    "verify_pair",
    "version_rank",
]
