"""In-memory index structures: compact slot arrays, a sorted key index, a boilerplate sketch.

Memory is the point of this module. A Python ``dict`` of band keys costs about 100 bytes per
entry (20 entries per article); here an entry is 8 bytes in two sorted numpy arrays, plus a
small ``dict`` buffer for recent inserts that is merged into the arrays in linear time.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from wireingest import _kernels

__all__ = [
    "LEDE_COLUMNS",
    "MAX_PER_KEY",
    "SIG_DTYPE",
    "BoilerplateSketch",
    "KeyIndex",
    "Slots",
    "sig_code",
]

#: Columns of a table row's lede facts: the eight lede keys of the same-story test and the mask
#: of the lede's figures (:func:`wireingest._dedup._text.figure_mask`).
LEDE_COLUMNS = 9

#: Candidates taken from one key at most (the most recent ones).
MAX_PER_KEY = 64

U32 = npt.NDArray[np.uint32]
U16 = npt.NDArray[np.uint16]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

#: What the index keeps of each MinHash value (see :func:`sig_code`).
SIG_DTYPE = np.uint16
_EXACT_BELOW = 1 << 12  # values below are kept as they are; above, 12 significant bits


def sig_code(sig: npt.ArrayLike) -> U16:
    """The 16-bit code of MinHash values that the index keeps for verification (half of the
    signature's memory; the LSH band keys are made from the full values before this).

    The code is monotone (``a <= b`` gives ``code(a) <= code(b)``), so the candidate checks,
    which compare values for equality and for order (the containment estimates), run on
    codes as they ran on values: a value below 4,096 is kept as it is; a larger one as its
    top 12 significant bits and its shift (``shift << 11 | mantissa``, at most 45,055). A
    MinHash value is the minimum over a text's shingles, about ``2**32 / n`` for ``n``
    shingles, so two different values get the same code only when they are within 1/2,048
    of each other: for two unrelated articles about one permutation in 4,000, which moves a
    Jaccard estimate by less than 0.001 on average.

    An array of codes already (``uint16``) is returned as it is.
    """
    v = np.asarray(sig)
    if v.dtype == SIG_DTYPE:
        return v
    v = v.astype(np.uint32, copy=False)
    # bit length - 12 from the float64 exponent (exact for 32-bit integers; 0 for small ones)
    e = (v.astype(np.float64).view(np.uint64) >> np.uint64(52)).astype(np.int32) - 1034
    shift = np.maximum(e, 0).astype(np.uint32)
    code: U16 = ((shift << np.uint32(11)) + (v >> shift)).astype(SIG_DTYPE)
    return code


class Ids:
    """Article ids, UTF-8 in one buffer with offsets and a CRC-32 of each: about 12 bytes plus
    the id's length per id, where a list of ``str`` costs about 60 more."""

    __slots__ = ("_buf", "_crc", "_off")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._buf = bytearray()
        self._off = array("q", [0])
        self._crc = array("I")  # (finds the rows of an id without decoding: with_id)
        self.extend(ids)

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i: int) -> str:
        o = self._off
        return self._buf[o[i] : o[i + 1]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self[i]

    def with_id(self, id_: str, rows: Iterable[int]) -> list[int]:
        """The rows of ``rows`` that have the id ``id_`` (their CRC-32 first, then their
        UTF-8; none decoded)."""
        want = id_.encode("utf-8", "surrogatepass")
        crc = self._crc
        key = zlib.crc32(want)
        hits = [i for i in rows if crc[i] == key]
        if not hits:
            return hits
        buf, o = self._buf, self._off
        return [i for i in hits if buf[o[i] : o[i + 1]] == want]

    def append(self, id_: str) -> None:
        b = id_.encode("utf-8", "surrogatepass")
        self._buf += b
        self._off.append(len(self._buf))
        self._crc.append(zlib.crc32(b))

    def extend(self, ids: Iterable[str]) -> None:
        for i in ids:
            self.append(i)

    def select(self, keep: Sequence[bool]) -> Ids:
        return Ids(i for i, k in zip(self, keep, strict=True) if k)

    def nbytes(self) -> int:
        return len(self._buf) + 8 * len(self._off) + 4 * len(self._crc)


class KeyIndex:
    """A multimap from 32-bit keys to slot numbers.

    Old entries live in two sorted arrays (``keys``, ``vals``); new ones in a ``dict`` buffer.
    :meth:`merge` folds the buffer into the arrays (a linear merge, no full sort); the owner
    calls it between batches, so array positions looked up for a batch stay valid within it.
    """

    __slots__ = ("buf", "buf_keys", "buf_n", "buf_vals", "keys", "vals")

    def __init__(self) -> None:
        self.keys: U32 = np.zeros(0, dtype=np.uint32)
        self.vals: I32 = np.zeros(0, dtype=np.int32)
        self.buf: dict[int, int | list[int]] = {}
        self.buf_keys = array("I")  # the buffer's entries in insertion order (4 bytes each)
        self.buf_vals = array("i")
        self.buf_n = 0

    def __len__(self) -> int:
        return len(self.keys) + self.buf_n

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.vals.nbytes)

    def add(self, keys: list[int], slot: int) -> None:
        buf = self.buf
        self.buf_keys.extend(keys)
        self.buf_vals.extend([slot] * len(keys))
        for k in keys:
            old = buf.get(k)
            if old is None:
                buf[k] = slot
            elif isinstance(old, list):
                old.append(slot)
            else:
                buf[k] = [old, slot]
        self.buf_n += len(keys)

    def add_fresh(self, keys: list[int], vals: list[int]) -> None:
        """Add entries whose keys are all distinct and not in the buffer yet (what
        :meth:`add` does for them, in bulk)."""
        self.buf_keys.extend(keys)
        self.buf_vals.extend(vals)
        self.buf.update(zip(keys, vals, strict=True))
        self.buf_n += len(keys)

    def bulk_add(self, keys: U32, vals: I32) -> None:
        """Add many entries at once (loading), merging them straight into the arrays."""
        self.merge()
        k = np.concatenate([self.keys, keys.astype(np.uint32)])
        v = np.concatenate([self.vals, vals.astype(np.int32)])
        order = np.argsort(k, kind="stable")
        self.keys, self.vals = k[order], v[order]

    def find_recent(self, keys: Iterable[int], out: set[int]) -> None:
        """Add the buffered (recently added) slots of ``keys`` to ``out``."""
        buf = self.buf
        cap = MAX_PER_KEY
        for k in keys:
            v = buf.get(k)
            if v is not None:
                if isinstance(v, list):
                    out.update(v[-cap:])
                else:
                    out.add(v)

    def find_many(self, lo: I64, hi: I64, k_off: I64) -> tuple[I32, I64]:
        """The array slots of many groups of keys at once (one group per article):
        ``lo``/``hi`` are the keys' array ranges (:meth:`ranges`), group ``g`` holds keys
        ``k_off[g]:k_off[g + 1]``. Returns the slots, key after key (duplicates kept), and
        each group's offsets into them.

        A key shared by more than ``MAX_PER_KEY`` articles (a stock phrase caught as an anchor)
        contributes only its most recent ``MAX_PER_KEY`` slots. The recent buffer is not
        searched here (:meth:`find_recent`).
        """
        start = np.maximum(lo, hi - MAX_PER_KEY)
        length = np.maximum(hi - start, 0)
        ends = np.cumsum(length)
        total = int(ends[-1]) if len(ends) else 0
        if total:  # positions start[k] .. start[k] + length[k] - 1, key after key
            pos = np.arange(total, dtype=np.int64) + np.repeat(start - (ends - length), length)
            slots: I32 = self.vals[pos]
        else:
            slots = np.zeros(0, dtype=np.int32)
        g_off = np.zeros(len(k_off), dtype=np.int64)
        g_off[1:] = np.concatenate([[0], ends])[k_off[1:]]
        return slots, g_off

    def ranges(self, keys: U32, order: I64 | None = None) -> tuple[I64, I64]:
        """Array positions ``[lo, hi)`` of each key (``lo == hi`` for a key not held);
        ``order``: ``np.argsort(keys)`` when the caller has it."""
        arr = self.keys
        # searched in increasing order: numpy's binary search starts each search where the
        # previous one ended when the keys increase (about 2.5x faster on a large index)
        if order is None:
            order = np.argsort(keys)
        lo = np.empty(len(keys), dtype=np.int64)
        if _kernels.loaded():
            hi = np.empty(len(keys), dtype=np.int64)
            _kernels.compiled().gallop_ranges(arr, keys, order, lo, hi)
            return lo, hi
        lo[order] = np.searchsorted(arr, keys[order], side="left")
        hi = lo.copy()
        if len(arr):
            held = np.flatnonzero(arr[np.minimum(lo, len(arr) - 1)] == keys)
            if len(held):  # most keys are not held: search the other end only for the rest
                hi[held] = np.searchsorted(arr, keys[held], side="right")
        return lo, hi

    def needs_merge(self) -> bool:
        # a small buffer: a buffered entry costs about 120 bytes, an array entry 8
        return self.buf_n > max(4096, len(self.keys) // 64)

    def merge(self, remap: I32 | None = None) -> None:
        """Fold the buffer into the arrays; with ``remap``, renumber slots (-1 drops)."""
        if self.buf_n:
            # sorted by key, then in insertion order: one unstable sort of (key, position)
            # pairs, 4x faster than a stable argsort
            ck = np.frombuffer(self.buf_keys, dtype=np.uint32).astype(np.uint64) << np.uint64(32)
            ck |= np.arange(len(ck), dtype=np.uint64)
            ck.sort()
            bv = np.frombuffer(self.buf_vals, dtype=np.int32)[ck & np.uint64(0xFFFFFFFF)]
            bk = (ck >> np.uint64(32)).astype(np.uint32)
            n = len(self.keys) + len(bk)
            keys = np.empty(n, dtype=np.uint32)
            vals = np.empty(n, dtype=np.int32)
            if _kernels.loaded():  # one pass, galloping over the runs between buffer keys
                _kernels.compiled().merge_sorted(self.keys, self.vals, bk, bv, keys, vals)
            else:
                pos = np.searchsorted(self.keys, bk, side="right") + np.arange(len(bk))
                mask = np.ones(n, dtype=bool)
                mask[pos] = False
                keys[pos] = bk
                vals[pos] = bv
                keys[mask] = self.keys
                vals[mask] = self.vals
            self.keys, self.vals = keys, vals
            self.buf = {}
            self.buf_keys = array("I")
            self.buf_vals = array("i")
            self.buf_n = 0
        if remap is not None and len(self.vals):
            nv = remap[self.vals]
            keep = nv >= 0
            self.keys = self.keys[keep]
            self.vals = nv[keep].astype(np.int32)


def gallop(arr, start, key, upper):  # type: ignore[no-untyped-def]
    """In the sorted ``arr``, the first position from ``start`` whose value is above ``key``
    (``upper``) or at least ``key`` (not ``upper``), every value before ``start`` being
    below that bound: steps that double from ``start``, then a binary search of the last
    step. A few steps when the answer is near ``start``, where a binary search of the whole
    array would begin with steps that miss the cache. Plain loops: numba compiles this
    function as it is (:mod:`wireingest._kernels`)."""
    n = len(arr)
    p = start
    step = 1
    q = p
    while q < n and (arr[q] <= key if upper else arr[q] < key):
        p = q + 1
        q = p + step - 1
        step *= 2
    top = min(q, n)
    while p < top:
        mid = (p + top) // 2
        if arr[mid] <= key if upper else arr[mid] < key:
            p = mid + 1
        else:
            top = mid
    return p


def merge_sorted(keys, vals, bk, bv, out_k, out_v):  # type: ignore[no-untyped-def]
    """Merge the sorted arrays ``keys``/``vals`` and the sorted buffer ``bk``/``bv`` into
    ``out_k``/``out_v``: each buffer entry after the array's entries of its key (where
    ``searchsorted(side="right")`` puts it). The run of array entries before each buffer
    entry is found by galloping (:func:`gallop`) from the end of the last one. Plain loops
    (numpy's slicing and search would cost seconds of compiling): numba compiles this
    function as it is (:mod:`wireingest._kernels`)."""
    n = len(keys)
    i = 0
    w = 0
    for j in range(len(bk)):
        b = bk[j]
        e = gallop(keys, i, b, True)  # type: ignore[no-untyped-call]
        for r in range(i, e):
            out_k[w] = keys[r]
            out_v[w] = vals[r]
            w += 1
        i = e
        out_k[w] = b
        out_v[w] = bv[j]
        w += 1
    for r in range(i, n):
        out_k[w] = keys[r]
        out_v[w] = vals[r]
        w += 1


def gallop_ranges(arr, keys, order, lo, hi):  # type: ignore[no-untyped-def]
    """:meth:`KeyIndex.ranges` by galloping (:func:`gallop`): the keys in increasing order
    (``order``), each searched from where the one before it was found. ``lo``/``hi``: the
    first position holding the key (or where it would go) and the one after its last.
    Plain loops: numba compiles this function as it is (:mod:`wireingest._kernels`)."""
    p = 0
    for t in range(len(order)):
        r = order[t]
        k = keys[r]
        p = gallop(arr, p, k, False)  # type: ignore[no-untyped-call]
        lo[r] = p
        hi[r] = gallop(arr, p, k, True)  # type: ignore[no-untyped-call]


class Slots:
    """Indexed articles, one row per slot, in growable numpy arrays (grown by 1/8)."""

    __slots__ = (
        "alive",
        "exact",
        "ids",
        "lede",
        "nsh",
        "num_perm",
        "owner",
        "rank",
        "seq",
        "sig",
        "ts",
        "used",
    )

    def __init__(self, num_perm: int, capacity: int = 1024) -> None:
        self.num_perm = num_perm
        self.used = 0
        self.ids = Ids()
        self.sig: U16 = np.zeros((capacity, num_perm), dtype=SIG_DTYPE)  # codes: sig_code
        self.exact: I64 = np.zeros(capacity, dtype=np.int64)
        self.ts = np.zeros(capacity, dtype=np.float64)
        self.nsh: I32 = np.zeros(capacity, dtype=np.int32)
        self.rank: I32 = np.zeros(capacity, dtype=np.int32)
        self.owner: I32 = np.zeros(capacity, dtype=np.int32)
        self.seq: I64 = np.zeros(capacity, dtype=np.int64)
        self.lede: U32 = np.zeros((capacity, LEDE_COLUMNS), dtype=np.uint32)
        self.alive = np.zeros(capacity, dtype=bool)

    def nbytes(self) -> int:
        arrays = (self.sig, self.exact, self.ts, self.nsh, self.rank, self.owner, self.seq,
                  self.lede)  # fmt: skip
        return int(sum(a.nbytes for a in arrays) + self.alive.nbytes + self.ids.nbytes())

    def _grow(self, need: int) -> None:
        cap = len(self.exact)
        if need <= cap:
            return
        new = max(need, cap + cap // 8, 1024)
        for name in ("sig", "exact", "ts", "nsh", "rank", "owner", "seq", "lede", "alive"):
            old = getattr(self, name)
            arr = np.zeros((new, *old.shape[1:]), dtype=old.dtype)
            arr[: self.used] = old[: self.used]
            setattr(self, name, arr)

    def add(
        self,
        id_: str,
        sig: npt.NDArray[np.unsignedinteger[Any]],
        exact: int,
        ts: float,
        nsh: int,
        rank: int,
        lede: U32 | None = None,
        seq: int = 0,
    ) -> int:
        s = self.used
        self._grow(s + 1)
        self.ids.append(id_)
        self.sig[s] = sig_code(sig)
        self.exact[s] = exact
        self.ts[s] = ts
        self.nsh[s] = nsh
        self.rank[s] = rank
        self.owner[s] = s
        self.seq[s] = seq
        self.lede[s] = 0
        if lede is not None:  # (eight keys and no figure mask from an earlier state)
            self.lede[s, : len(lede)] = lede
        self.alive[s] = True
        self.used = s + 1
        return s

    def add_many(
        self,
        ids: Sequence[str],
        sig: npt.NDArray[np.unsignedinteger[Any]],
        exact: I64,
        ts: Sequence[float],
        nsh: npt.ArrayLike,
        rank: Sequence[int],
        lede: U32,
    ) -> int:
        """:meth:`add` for several articles at once; returns the first slot."""
        s = self.reserve(ids)
        self.fill(slice(s, self.used), sig, exact, ts, nsh, rank, lede)
        return s

    def reserve(self, ids: Sequence[str]) -> int:
        """Take the next ``len(ids)`` slots for these articles; returns the first. Only their
        ids are written: until :meth:`fill` writes the rest, nothing may read those rows."""
        s = self.used
        m = len(ids)
        while len(self.exact) < s + m:  # the capacities one-by-one adds would reach
            self._grow(len(self.exact) + 1)
        self.ids.extend(ids)
        self.used = s + m
        return s

    def fill(
        self,
        slots: slice | I64,
        sig: npt.NDArray[np.unsignedinteger[Any]],
        exact: I64,
        ts: Sequence[float],
        nsh: npt.ArrayLike,
        rank: Sequence[int],
        lede: U32,
    ) -> None:
        """Write the rows of reserved ``slots`` (what :meth:`add` writes)."""
        self.owner[slots] = (
            np.arange(slots.start, slots.stop) if isinstance(slots, slice) else slots
        )
        self.sig[slots] = sig_code(sig)
        self.exact[slots] = exact
        self.ts[slots] = ts
        self.nsh[slots] = nsh
        self.rank[slots] = rank
        self.seq[slots] = 0
        self.lede[slots] = lede
        self.alive[slots] = True

    def compact(self) -> I32:
        """Drop dead slots; return the old -> new slot map (-1 for dropped)."""
        n = self.used
        keep = self.alive[:n]
        remap = np.full(n, -1, dtype=np.int32)
        remap[keep] = np.arange(int(keep.sum()), dtype=np.int32)
        owners = self.owner[:n][keep]
        new_owner = remap[owners]
        self_idx = np.arange(len(owners), dtype=np.int32)
        new_owner = np.where(new_owner < 0, self_idx, new_owner)
        m = len(owners)
        self.ids = self.ids.select(keep.tolist())
        for name in ("sig", "exact", "ts", "nsh", "rank", "seq", "lede", "alive"):
            old = getattr(self, name)
            arr = np.zeros((max(m + m // 8, 1024), *old.shape[1:]), dtype=old.dtype)
            arr[:m] = old[:n][keep]
            setattr(self, name, arr)
        owner = np.zeros(len(self.exact), dtype=np.int32)
        owner[:m] = new_owner
        self.owner = owner
        self.used = m
        return remap


def sketch_cells(keys, mask):  # type: ignore[no-untyped-def]
    """The two cells of :class:`BoilerplateSketch` that count ``keys`` (``uint32``, an array
    or one key; ``mask``: ``np.uint32``), in its two rows laid end to end: the key's low bits,
    and a multiplicative hash's bits in the second row (what :meth:`BoilerplateSketch.add`
    computes in Python integers). numba compiles this function as it is."""
    return keys & mask, (((keys * np.uint32(0x9E3779B1)) >> np.uint32(11)) & mask) + (
        mask + np.uint32(1)
    )


def sketch_add(cur, keys, mask):  # type: ignore[no-untyped-def]
    """:meth:`BoilerplateSketch.add_many` on the counts ``cur`` (its two rows, flat), one
    key after the other, each count saturating at 255. Plain loops: numba compiles this
    function as it is (:mod:`wireingest._kernels`)."""
    for t in range(len(keys)):
        a, b = sketch_cells(keys[t], mask)  # type: ignore[no-untyped-call]
        if cur[a] < 255:
            cur[a] += 1
        if cur[b] < 255:
            cur[b] += 1


def sketch_counts(cur, old, keys, mask, out):  # type: ignore[no-untyped-def]
    """:meth:`BoilerplateSketch.counts` into ``out``, one key after the other (compiled by
    numba as it is)."""
    for t in range(len(keys)):
        a, b = sketch_cells(keys[t], mask)  # type: ignore[no-untyped-call]
        out[t] = min(np.int32(cur[a]) + np.int32(old[a]), np.int32(cur[b]) + np.int32(old[b]))


class BoilerplateSketch:
    """How many indexed articles carry a paragraph: a counting Bloom filter with two rows.

    Counts are kept in two generations; the older one is dropped when the newer one has taken
    ``generation`` paragraph insertions (or when the caller rotates it after a window), so the
    model forgets and its memory stays fixed: ``2 generations x 2 rows x 2**width_bits``
    bytes (4 MiB by default). Counts saturate at 255. Overcounting by collisions is possible,
    undercounting is not. Reads are vectorised over a batch; the few writes per article are
    plain Python on ``bytearray`` (cheaper than numpy for ten keys).
    """

    __slots__ = ("cur", "generation", "mask", "old", "taken")

    def __init__(self, width_bits: int = 20, generation: int = 1 << 17) -> None:
        self.mask = (1 << width_bits) - 1
        self.generation = generation
        self.cur = bytearray(2 << width_bits)
        self.old = bytearray(2 << width_bits)
        self.taken = 0

    def nbytes(self) -> int:
        return len(self.cur) + len(self.old)

    def counts(self, keys: U32) -> npt.NDArray[np.int32]:
        """Estimated number of added articles that carried each key."""
        k = np.asarray(keys, dtype=np.uint32)
        cur = np.frombuffer(self.cur, dtype=np.uint8)
        old = np.frombuffer(self.old, dtype=np.uint8)
        out: npt.NDArray[np.int32] = np.empty(len(k), dtype=np.int32)
        if _kernels.loaded():
            _kernels.compiled().sketch_counts(cur, old, k, np.uint32(self.mask), out)
            return out
        a, b = sketch_cells(k, np.uint32(self.mask))  # type: ignore[no-untyped-call]
        np.minimum(cur[a].astype(np.int32) + old[a], cur[b].astype(np.int32) + old[b], out=out)
        return out

    def add(self, keys: Iterable[int], threshold: int = 1 << 30) -> list[int]:
        """Count one article's (distinct) keys; return the keys whose count reached
        ``threshold`` with this article."""
        cur, old, m = self.cur, self.old, self.mask
        crossed: list[int] = []
        n = 0
        for key in keys:
            a = key & m
            b = (((key * 0x9E3779B1) & 0xFFFFFFFF) >> 11 & m) + m + 1
            ca, cb = cur[a], cur[b]
            if ca < 255:
                cur[a] = ca + 1
            if cb < 255:
                cur[b] = cb + 1
            if min(ca + old[a], cb + old[b]) + 1 == threshold:
                crossed.append(key)
            n += 1
        self.taken += n
        if self.taken >= self.generation:
            self.rotate()
        return crossed

    def add_many(self, keys: Sequence[int]) -> None:
        """Count many keys at once (what :meth:`add` would do one by one, without the
        crossing report)."""
        if not keys:
            return
        k = np.asarray(keys, dtype=np.uint32)
        cur = np.frombuffer(self.cur, dtype=np.uint8)
        if _kernels.loaded():
            _kernels.compiled().sketch_add(cur, k, np.uint32(self.mask))
        else:
            a, b = sketch_cells(k, np.uint32(self.mask))  # type: ignore[no-untyped-call]
            cells, inc = np.unique(np.concatenate([a, b]), return_counts=True)
            cur[cells] = np.minimum(cur[cells].astype(np.int64) + inc, 255).astype(np.uint8)
        self.taken += len(k)
        if self.taken >= self.generation:
            self.rotate()

    def rotate(self) -> None:
        self.old = self.cur
        self.cur = bytearray(len(self.old))
        self.taken = 0
