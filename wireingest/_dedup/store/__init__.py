"""Where the dedup index is remembered: the :class:`StateStore` protocol and its stores.

The engine (:mod:`wireingest._dedup.engine`) decides against an in-memory mirror of the index;
a store remembers what was emitted, so that other processes (and the next run) see it. Three
stores: :class:`~.memory.MemoryStore` (``state=None``: nothing outlives the process),
:class:`~.sqlite.SqliteStore` (``state=PATH``: one SQLite file shared by the processes of one
machine) and :class:`~.redis.RedisStore` (``state="redis://HOST:PORT/DB?prefix=NAME"``: shared
by processes on many machines).

Protocol
--------
A store holds the settings fingerprint (reopening with other settings raises ``ValueError``),
an append-only log of :class:`Entry` (one per emitted article, numbered by the store:
``seq``), and small named metadata blobs (the boilerplate model, an output offset).

* ``begin()`` opens a write transaction; ``catch_up()`` then returns the entries other
  processes committed since this store last read, in ``seq`` order. While a transaction is
  open, check-and-insert is atomic across every process sharing the state: a story two
  processes are given at once is emitted once.
* ``append(entries)`` adds the entries decided in this transaction and returns their ``seq``
  numbers. An entry names the entries it supersedes by ``seq``; one appended in the same call
  is named ``-(k + 1)`` (its position ``k`` in ``entries``), since it has no number yet.
* ``commit(meta)`` makes the transaction durable, with the metadata blobs in ``meta``
  (``{name: bytes}``) written in the same transaction: a caller's output offset moves exactly
  when the decisions do. ``load_meta(name)`` reads one back.
* ``rollback()`` forgets the uncommitted transaction; it returns ``True`` when the caller's
  mirror must be rebuilt from ``reload()`` (every stored entry).
* ``purge(cutoff)`` drops entries older than ``cutoff`` (the window), in bulk.

Stores raise :class:`wireingest.errors.StateError` (the state's location and a cause a user can
act on: missing directory, read-only, disk full, corrupt, unreachable) for states that cannot be
opened, read or written.

Guarantees (SQLite and Redis)
-----------------------------
* A crash (``kill -9``) at any point loses no committed article, and a committed article is
  never emitted again. Decisions after the last commit are rolled back, so those articles are
  decided again on restart: output is at-least-once for them. A caller that writes its outputs
  first and then commits (as ``wireingest run`` does) gets: nothing emitted is ever lost,
  nothing committed is ever emitted twice.
* SQLite (WAL mode, ``BEGIN IMMEDIATE``): other processes wait for an open transaction
  (``timeout``), so commit regularly (every batch). Durability is against process crashes
  (``synchronous=NORMAL``); a power cut can lose the last commits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = ["Entry", "StateStore", "open_store"]

U32 = npt.NDArray[np.uint32]


@dataclass(slots=True)
class Entry:
    """One emitted article as the index remembers it.

    ``exact``: hash of the token sequence (int64); ``nsh``: shingle count; ``rank``: wire
    version rank; ``lede``: the lede keys (uint32[8]); ``sig``: the MinHash signature
    (uint32[num_perm]); ``keys``: its index keys (exact, bands, anchors); ``paras``: its
    paragraph keys (boilerplate model); ``supersedes``: the entries it replaced (see the
    module doc); ``seq``: its number, given by the store.
    """

    id: str
    ts: float
    exact: int
    nsh: int
    rank: int
    lede: Any
    sig: Any
    keys: Any
    paras: Any
    supersedes: tuple[int, ...] = ()
    seq: int = field(default=0)

    def encode(self) -> tuple[bytes, bytes, bytes, bytes]:
        """``lede``, ``sig``, ``keys``, ``paras`` as little-endian uint32 bytes."""
        return (
            np.asarray(self.lede, dtype="<u4").tobytes(),
            np.asarray(self.sig, dtype="<u4").tobytes(),
            np.asarray(self.keys, dtype="<u4").tobytes(),
            np.asarray(self.paras, dtype="<u4").tobytes(),
        )

    @staticmethod
    def decode(
        seq: int, id_: str, ts: float, exact: int, nsh: int, rank: int,
        lede: bytes, sig: bytes, keys: bytes, paras: bytes, supersedes: tuple[int, ...],
    ) -> Entry:  # fmt: skip
        return Entry(
            id_, float(ts), int(exact), int(nsh), int(rank),
            np.frombuffer(lede, dtype="<u4"), np.frombuffer(sig, dtype="<u4"),
            np.frombuffer(keys, dtype="<u4"), np.frombuffer(paras, dtype="<u4"),
            supersedes, int(seq),
        )  # fmt: skip


def resolve(supersedes: tuple[int, ...], seqs: Sequence[int]) -> tuple[int, ...]:
    """``supersedes`` with batch positions (``-(k + 1)``) replaced by the numbers ``seqs``."""
    return tuple(seqs[-s - 1] if s < 0 else s for s in supersedes)


@runtime_checkable
class StateStore(Protocol):
    """What the engine needs from a store (see the module doc)."""

    #: The state's location for messages (a path, or a redis:// URL without password).
    location: str
    #: Whether a write transaction is open.
    in_txn: bool

    def begin(self) -> None: ...

    def catch_up(self) -> list[Entry]: ...

    def append(self, entries: Sequence[Entry]) -> list[int]: ...

    def purge(self, cutoff: float) -> None: ...

    def commit(self, meta: Mapping[str, bytes] | None = None) -> None: ...

    def rollback(self) -> bool: ...

    def reload(self) -> list[Entry]: ...

    def load_meta(self, name: str) -> bytes | None: ...

    def close(self) -> None: ...


def open_store(
    state: str | os.PathLike[str] | StateStore | None, fingerprint: str, timeout: float
) -> StateStore:
    """The store for ``state``: ``None`` (memory), a ``redis://`` URL, a path (SQLite), or a
    ready store."""
    if state is None:
        from wireingest._dedup.store.memory import MemoryStore

        return MemoryStore()
    if isinstance(state, StateStore):
        return state
    if isinstance(state, str) and state.startswith(("redis://", "rediss://", "unix://")):
        from wireingest._dedup.store.redis import RedisStore

        return RedisStore(state, fingerprint, timeout)
    from wireingest._dedup.store.sqlite import SqliteStore

    return SqliteStore(os.fspath(state), fingerprint, timeout)
