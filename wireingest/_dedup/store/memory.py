"""The in-memory store: numbers entries and keeps metadata; the engine's mirror is the index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wireingest._dedup.store import Entry

__all__ = ["MemoryStore"]


class MemoryStore:
    """A store that outlives nothing (``state=None``)."""

    location = "memory"

    def __init__(self) -> None:
        self.in_txn = False
        self._seq = 0
        self._meta: dict[str, bytes] = {}

    def begin(self) -> None:
        self.in_txn = True

    def catch_up(self) -> list[Entry]:
        return []

    def append(self, entries: Sequence[Entry]) -> list[int]:
        first = self._seq + 1
        self._seq += len(entries)
        return list(range(first, self._seq + 1))

    def purge(self, cutoff: float) -> None:
        pass  # the mirror is the index

    def commit(self, meta: Mapping[str, bytes] | None = None) -> None:
        if meta:
            self._meta.update((k, bytes(v)) for k, v in meta.items())
        self.in_txn = False

    def rollback(self) -> bool:
        self.in_txn = False
        return False  # nothing to reload from: the mirror keeps what was decided

    def reload(self) -> list[Entry]:
        return []

    def load_meta(self, name: str) -> bytes | None:
        return self._meta.get(name)

    def close(self) -> None:
        self.in_txn = False
