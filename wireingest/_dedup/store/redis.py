"""The Redis store: one dedup state shared by processes on many machines.

``state="redis://HOST:PORT/DB?prefix=NAME"`` (``rediss://`` for TLS, ``unix:///path.sock``;
``prefix`` defaults to ``wireingest``, so several streams can share one server; ``lease=SECONDS``
bounds how long a crashed writer can hold the state, default 10). Needs redis-py
(``pip install 'wireingest[redis]'``); works with Redis 6.2 and later.

Why this shape
--------------
The state is an **append-only log** (a Redis Stream, one entry per emitted article, numbered by
the store) that every process mirrors in memory, exactly as with SQLite; the engine decides
against its mirror, so every policy (first, best, briefs, updates, the window) is the same code
and gives the same decisions as in memory. The other shape, LSH band keys held in Redis with
per-key TTLs, would move the candidate search and the verification into Redis scripts: one
round trip per article or a second implementation of the policy, and no per-article
verification against signatures without fetching them anyway.

Writers take turns, like SQLite's ``BEGIN IMMEDIATE``: ``begin()`` takes a lease
(``SET lock TOKEN NX PX lease``), reads the entries appended since its last read, and the engine
decides; the caller writes its output; ``commit()`` runs one Lua script that appends the
batch *only if the lock is still this writer's and the log's tail is the one it read*
(``seq``), writes the metadata blobs, trims expired entries and releases the lock, atomically.
A purely optimistic append (no lease) cannot keep both promises the SQLite state keeps: the
output is written before the commit (so nothing emitted is lost on ``kill -9``), and a writer
whose append then loses the race would already have written duplicates. With the lease, a
commit that finds the lock or the tail changed (the writer stalled longer than its lease) fails
with :class:`~wireingest.errors.StateError`, never silently.

Keys, all with the hash tag ``{prefix}`` (one Redis Cluster slot, as a Lua script needs):
``{p}:settings`` (the fingerprint), ``{p}:seq`` (the last number given), ``{p}:log`` (the stream:
id ``SEQ-0``, fields ``t`` = time, ``e`` = the packed entry), ``{p}:meta`` (a hash of metadata
blobs), ``{p}:lock`` (the lease).

Guarantees
----------
(a) one process on Redis decides exactly as the in-memory engine does; (b) check-and-insert is
atomic across processes and hosts (the lease); (c) ``kill -9`` loses nothing committed and
re-emits nothing committed (uncommitted decisions are never written: the batch goes in only at
``commit``); (d) with ``appendonly yes`` the state survives a Redis restart, and an unreachable
server is a ``StateError`` naming the URL, never a silent fallback; (e) with ``window``, each
commit trims expired entries from the head of the log (entries are nearly in time order in a
live stream; one that arrives out of order waits for the head to pass it), so memory stays
bounded, about 0.8 KB per indexed article; (f) other settings raise ``ValueError``.
"""

from __future__ import annotations

import contextlib
import os
import random
import struct
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from wireingest._dedup.config import settings_advice
from wireingest._dedup.store import Entry, resolve
from wireingest.errors import StateError

__all__ = ["RedisStore", "redis_location"]

_HEAD = struct.Struct("<dqiiHHIIH")  # ts, exact, nsh, rank, len(lede), len(id), keys, paras, sup
_READ_CHUNK = 2000
_DEFAULT_LEASE = 10.0

# KEYS: lock, seq, log, meta. ARGV: token, tail, n, cutoff ("" = none), m,
# then n x (seq, ts, entry), then m x (name, blob).
_COMMIT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
if cur ~= tonumber(ARGV[2]) then return -2 end
local n = tonumber(ARGV[3])
local m = tonumber(ARGV[5])
local a = 6
for i = 1, n do
  redis.call('XADD', KEYS[3], ARGV[a] .. '-0', 't', ARGV[a + 1], 'e', ARGV[a + 2])
  a = a + 3
end
if n > 0 then redis.call('SET', KEYS[2], ARGV[a - 3]) end
for i = 1, m do
  redis.call('HSET', KEYS[4], ARGV[a], ARGV[a + 1])
  a = a + 2
end
if ARGV[4] ~= '' then
  local cutoff = tonumber(ARGV[4])
  while true do
    local head = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 256)
    local gone = 0
    for _, e in ipairs(head) do
      if tonumber(e[2][2]) >= cutoff then break end
      redis.call('XDEL', KEYS[3], e[1])
      gone = gone + 1
    end
    if gone < 256 then break end
  end
end
redis.call('DEL', KEYS[1])
return cur
"""
# KEYS: lock. ARGV: token, lease ms.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def redis_location(url: str) -> str:
    """The URL without its password (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    user = parts.username
    netloc = f"{user}:***@{netloc}" if user else f":***@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc))


def _pack(e: Entry, seqs: Sequence[int]) -> bytes:
    lede, sig, keys, paras = e.encode()
    id_b = e.id.encode("utf-8", "surrogatepass")
    sup = np.asarray(resolve(e.supersedes, seqs), dtype="<i8").tobytes()
    head = _HEAD.pack(
        e.ts, e.exact, e.nsh, e.rank, len(lede) // 4, len(id_b), len(keys) // 4,
        len(paras) // 4, len(sup) // 8,
    )  # fmt: skip
    return b"".join((head, id_b, lede, keys, paras, sup, sig))


def _unpack(seq: int, data: bytes) -> Entry:
    ts, exact, nsh, rank, n_lede, n_id, n_keys, n_paras, n_sup = _HEAD.unpack_from(data)
    o = _HEAD.size
    id_ = data[o : o + n_id].decode("utf-8", "surrogatepass")
    o += n_id
    lede = np.frombuffer(data, "<u4", n_lede, o)
    o += 4 * n_lede
    keys = np.frombuffer(data, "<u4", n_keys, o)
    o += 4 * n_keys
    paras = np.frombuffer(data, "<u4", n_paras, o)
    o += 4 * n_paras
    sup = tuple(np.frombuffer(data, "<i8", n_sup, o).tolist())
    o += 8 * n_sup
    sig = np.frombuffer(data, "<u4", offset=o)
    return Entry(id_, ts, exact, nsh, rank, lede, sig, keys, paras, sup, seq)


class RedisStore:
    """A :class:`~wireingest._dedup.store.StateStore` on a Redis server (see the module doc)."""

    def __init__(self, url: str, fingerprint: str, timeout: float) -> None:
        self.location = redis_location(url)
        self.in_txn = False
        try:
            import redis
        except ImportError:  # pragma: no cover - the redis extra is missing
            raise StateError(
                self.location, "redis-py is not installed (pip install 'wireingest[redis]')"
            ) from None
        self._redis_mod = redis
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        prefix = query.pop("prefix", "") or "wireingest"
        try:
            self._lease_ms = int(float(query.pop("lease", _DEFAULT_LEASE)) * 1000)
        except ValueError:
            raise ValueError(f"{self.location}: lease must be a number of seconds") from None
        if "{" in prefix or "}" in prefix:
            raise ValueError(f"{self.location}: prefix must not contain braces")
        plain = urlunsplit(parts._replace(query=urlencode(query)))
        tag = "{" + prefix + "}"
        self._k_lock, self._k_seq = f"{tag}:lock", f"{tag}:seq"
        self._k_log, self._k_meta = f"{tag}:log", f"{tag}:meta"
        k_settings = f"{tag}:settings"
        self._timeout = timeout
        self._token = f"{os.getpid()}-{uuid.uuid4().hex}"
        self._last = 0  # the last seq read into the caller's mirror
        self._tail = 0  # the log's tail under the lease
        self._pending: list[Entry] = []
        self._cutoff: float | None = None
        with self._errors():
            self.r = redis.Redis.from_url(
                plain, socket_timeout=max(timeout, 5.0), socket_connect_timeout=5.0
            )
            self.r.set(k_settings, fingerprint, nx=True)
            stored = self.r.get(k_settings)
            self._commit = self.r.register_script(_COMMIT)
            self._renew = self.r.register_script(_RENEW)
            self._release = self.r.register_script(_RELEASE)
        stored_s = stored.decode() if isinstance(stored, bytes) else str(stored)
        if stored_s != fingerprint:
            raise ValueError(
                f"dedup state {self.location!r} was written with other settings: "
                f"{settings_advice(stored_s, fingerprint)}\n"  # (ocr15: names the setting)
                f"  stored: {stored_s}\n  now:    {fingerprint}"
            )

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        redis = self._redis_mod
        try:
            yield
        except redis.exceptions.AuthenticationError as exc:
            raise StateError(self.location, f"authentication failed ({exc})") from exc
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StateError(self.location, f"cannot reach the Redis server ({exc})") from exc
        except redis.exceptions.ReadOnlyError as exc:
            raise StateError(
                self.location, f"the server is read-only (a replica?) ({exc})"
            ) from exc
        except redis.exceptions.ResponseError as exc:
            msg = str(exc)
            if msg.startswith("OOM"):
                cause = "the Redis server is out of memory (maxmemory); use --window or more memory"
            elif "MISCONF" in msg:
                cause = "the Redis server cannot persist its data (disk full?)"
            else:
                cause = f"Redis error: {msg}"
            raise StateError(self.location, cause) from exc
        except redis.exceptions.RedisError as exc:
            raise StateError(self.location, f"{type(exc).__name__}: {exc}") from exc

    # -- protocol --------------------------------------------------------------------------
    def begin(self) -> None:
        deadline = time.monotonic() + self._timeout
        pause = 0.001
        with self._errors():
            while not self.r.set(self._k_lock, self._token, nx=True, px=self._lease_ms):
                if time.monotonic() > deadline:
                    raise StateError(
                        self.location,
                        f"another process held the state longer than the timeout "
                        f"({self._timeout:g} s)",
                    )
                time.sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, 0.05)
            self._tail = int(self.r.get(self._k_seq) or 0)
        self.in_txn = True
        self._pending = []
        self._cutoff = None

    def catch_up(self) -> list[Entry]:
        out: list[Entry] = []
        with self._errors():
            while True:
                rows: Any = self.r.xrange(self._k_log, f"{self._last}-1", "+", count=_READ_CHUNK)
                for rid, fields in rows:
                    seq = int(rid.split(b"-", 1)[0])
                    out.append(_unpack(seq, fields[b"e"]))
                    self._last = seq
                if len(rows) < _READ_CHUNK:
                    break
        return out

    def reload(self) -> list[Entry]:
        self._last = 0
        return self.catch_up()

    def append(self, entries: Sequence[Entry]) -> list[int]:
        if not self.in_txn:
            raise StateError(self.location, "append outside a transaction")
        first = self._tail + len(self._pending) + 1
        seqs = list(range(first, first + len(entries)))
        for seq, e in zip(seqs, entries, strict=True):
            e.supersedes = resolve(e.supersedes, seqs)
            e.seq = seq
        self._pending.extend(entries)
        with self._errors():
            self._renew(keys=[self._k_lock], args=[self._token, self._lease_ms])
        return seqs

    def purge(self, cutoff: float) -> None:
        if cutoff == cutoff and abs(cutoff) != float("inf"):  # finite
            self._cutoff = cutoff if self._cutoff is None else max(cutoff, self._cutoff)

    def commit(self, meta: Mapping[str, bytes] | None = None) -> None:
        if not self.in_txn:
            if not meta:
                return
            self.begin()
        args: list[Any] = [
            self._token, self._tail, len(self._pending),
            "" if self._cutoff is None else repr(self._cutoff), len(meta or {}),
        ]  # fmt: skip
        for e in self._pending:
            args += [e.seq, repr(e.ts), _pack(e, ())]
        for name, blob in (meta or {}).items():
            args += [name, bytes(blob)]
        try:
            with self._errors():
                res = self._commit(keys=[self._k_lock, self._k_seq, self._k_log, self._k_meta],
                                   args=args)  # fmt: skip
        except StateError:
            self.rollback()
            raise
        if int(res) < 0:
            self.rollback()
            raise StateError(
                self.location,
                "this writer's lease expired before it committed (it stalled longer than "
                f"lease={self._lease_ms / 1000:g} s) and another writer took over; its last "
                "batch was not committed and will be decided again",
            )
        if self._pending:
            self._last = self._pending[-1].seq
        self._pending = []
        self.in_txn = False

    def rollback(self) -> bool:
        if self.in_txn:
            with contextlib.suppress(self._redis_mod.exceptions.RedisError):
                self._release(keys=[self._k_lock], args=[self._token])
            self.in_txn = False
        self._pending = []
        return True

    def load_meta(self, name: str) -> bytes | None:
        with self._errors():
            v: Any = self.r.hget(self._k_meta, name)
        return None if v is None else bytes(v)

    def close(self) -> None:
        try:
            self.commit()
        finally:
            with contextlib.suppress(Exception):
                self.r.close()
