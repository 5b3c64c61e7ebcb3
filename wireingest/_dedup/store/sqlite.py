"""The SQLite store: one file in WAL mode, shared by the processes of one machine.

Schema (unchanged since format 1): ``meta`` (the settings fingerprint), ``articles`` (one row per
entry; ``seq`` is the AUTOINCREMENT key, so numbers of purged rows are never reused) and
``blobs`` (named metadata). ``BEGIN IMMEDIATE`` takes the write lock for a transaction, which
makes check-and-insert atomic across processes.

:meth:`SqliteStore.append` numbers the entries at once and inserts them in a writer thread
(SQLite works without the GIL), while the engine decides the next batch; every other use of
the connection waits for that insert first, and an error it met is raised there (at the
latest by the commit, which so never commits a batch that was not inserted whole).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from wireingest._dedup.config import settings_advice
from wireingest._dedup.store import Entry, resolve
from wireingest.errors import StateError

__all__ = ["SqliteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    ts REAL NOT NULL,
    exact INTEGER NOT NULL,
    nsh INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    lede BLOB NOT NULL,
    sig BLOB NOT NULL,
    keys BLOB NOT NULL,
    paras BLOB NOT NULL,
    supersedes TEXT
);
CREATE INDEX IF NOT EXISTS articles_ts ON articles(ts);
CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL)
"""
_INSERT = (
    "INSERT INTO articles(seq, id, ts, exact, nsh, rank, lede, sig, keys, paras, supersedes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _cause(exc: BaseException, path: str) -> str:
    """A cause a user can act on, from a sqlite3 error."""
    msg = str(exc).lower()
    if "disk is full" in msg or "database or disk is full" in msg:
        return "the disk is full (free space, or move the state elsewhere)"
    if "readonly" in msg or "read-only" in msg:
        return "the state is read-only (check the file's and its directory's permissions)"
    if "unable to open" in msg:
        d = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(d):
            return f"the directory {d} does not exist"
        return "the file cannot be opened (check its permissions and its directory's)"
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return "the file is corrupt or not a wireingest state (move it away, or use a new one)"
    if "locked" in msg or "busy" in msg:
        return "another process held the state longer than the timeout (database is locked)"
    return f"{type(exc).__name__}: {exc}"


class SqliteStore:
    """A :class:`~wireingest._dedup.store.StateStore` in one SQLite file."""

    def __init__(self, path: str, fingerprint: str, timeout: float) -> None:
        self.location = path
        self.in_txn = False
        self._last_seq = 0
        self._seq_known = False  # whether _top is the highest number (in this transaction)
        self._top = 0
        self._writer: ThreadPoolExecutor | None = None
        self._insert: Future[Any] | None = None  # the insert in flight
        with self._errors():
            # (the writer thread inserts; never while another thread uses the connection)
            self.conn = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        try:
            with self._errors():
                self.conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.begin()
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        self.conn.execute(stmt)
                self.conn.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('settings', ?)",
                    (fingerprint,),
                )
                (stored,) = self.conn.execute(
                    "SELECT value FROM meta WHERE key='settings'"
                ).fetchone()
            if stored != fingerprint:
                raise ValueError(
                    f"dedup state {path!r} was written with other settings: "
                    f"{settings_advice(stored, fingerprint)}\n"  # (ocr15: names the setting)
                    f"  stored: {stored}\n  now:    {fingerprint}"
                )
            self.commit()
        except BaseException:
            self.rollback()
            self.conn.close()
            raise

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StateError(self.location, _cause(exc, self.location)) from exc
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StateError(self.location, _cause(sqlite3.Error("disk is full"), "")) from exc
            raise StateError(self.location, f"{exc.strerror or exc}") from exc

    def _settle(self) -> None:
        """Wait for the insert in flight; raise what it met."""
        fut, self._insert = self._insert, None
        if fut is not None:
            with self._errors():
                fut.result()

    def begin(self) -> None:
        self._settle()
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
        self.in_txn = True
        self._seq_known = False

    def catch_up(self) -> list[Entry]:
        self._settle()
        with self._errors():
            rows = self.conn.execute(
                "SELECT seq, id, ts, exact, nsh, rank, lede, sig, keys, paras, supersedes "
                "FROM articles WHERE seq > ? ORDER BY seq",
                (self._last_seq,),
            ).fetchall()
        out = [
            Entry.decode(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                tuple(int(x) for x in r[10].split()) if r[10] else (),
            )
            for r in rows
        ]  # fmt: skip
        if out:
            self._last_seq = out[-1].seq
        return out

    def reload(self) -> list[Entry]:
        self._last_seq = 0
        return self.catch_up()

    def _max_seq(self) -> int:
        """The highest number ever given (purged rows' numbers are not reused). Within a
        write transaction only this store writes: it asks once per transaction."""
        if self._seq_known and self.in_txn:
            return self._top
        self._settle()
        with self._errors():
            row = self.conn.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'articles'"
            ).fetchone()
        self._seq_known = self.in_txn
        self._top = max(int(row[0]) if row else 0, self._last_seq)
        return self._top

    def append(self, entries: Sequence[Entry]) -> list[int]:
        if not entries:
            return []
        first = self._max_seq() + 1
        seqs = list(range(first, first + len(entries)))
        values = []
        for seq, e in zip(seqs, entries, strict=True):
            lede, sig, keys, paras = e.encode()
            sup = " ".join(map(str, resolve(e.supersedes, seqs)))
            values.append(
                (seq, e.id, e.ts, e.exact, e.nsh, e.rank, lede, sig, keys, paras, sup or None)
            )
        self._settle()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="wireingest-sqlite")
        self._insert = self._writer.submit(self.conn.executemany, _INSERT, values)
        self._last_seq = self._top = seqs[-1]
        return seqs

    def purge(self, cutoff: float) -> None:
        self._settle()
        with self._errors():
            self.conn.execute("DELETE FROM articles WHERE ts < ?", (cutoff,))

    def commit(self, meta: Mapping[str, bytes] | None = None) -> None:
        try:
            self._settle()
        except StateError:
            self.rollback()  # a batch not inserted whole is never committed
            raise
        if meta:
            if not self.in_txn:
                self.begin()
            with self._errors():
                self.conn.executemany(
                    "INSERT INTO blobs(name, data) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET data = excluded.data",
                    [(k, bytes(v)) for k, v in meta.items()],
                )
        if not self.in_txn:
            return
        try:
            with self._errors():
                self.conn.execute("COMMIT")
        except StateError:
            # a failed COMMIT may leave the transaction open or rolled back: end it, so the
            # error the caller sees is this one, not "no transaction is active" later
            self.rollback()
            raise
        self.in_txn = False

    def rollback(self) -> bool:
        with contextlib.suppress(StateError):
            self._settle()  # (what it met does not matter: it is rolled back)
        if self.in_txn:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            self.in_txn = False
        return True

    def load_meta(self, name: str) -> bytes | None:
        self._settle()
        with self._errors():
            row = self.conn.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.rollback()  # (waits for an insert in flight, if the commit did not)
            if self._writer is not None:
                self._writer.shutdown()
            self.conn.close()
