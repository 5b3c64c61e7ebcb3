"""The dedup engine: prepare -> sign -> candidates -> policy -> index -> store.

:class:`Deduplicator` turns articles into :class:`~.policy.Signed` facts in batches (the
kernels of :mod:`wireingest._kernels`), finds candidates in its in-memory index (:mod:`._index`:
exact hash, LSH bands, anchors), asks the policy (:mod:`.policy`) for the decision, indexes what
it emits and hands it to its store (:mod:`.store`), which numbers and remembers it. The rules
are in :mod:`.policy`, the settings in :mod:`.config`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import os
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from wireingest import _kernels
from wireingest._dedup import policy
from wireingest._dedup._index import LEDE_COLUMNS, BoilerplateSketch, KeyIndex, Slots, sig_code
from wireingest._dedup._text import (
    figure_masks,
    mode_for,
    normalize,
    ocr_fold_codes,
    ocr_fold_many,
    paragraph_keys,
    size_for,
    tokens,
)
from wireingest._dedup.config import DedupConfig
from wireingest._dedup.policy import (
    BOILERPLATE_MIN_ARTICLES,
    BOILERPLATE_MIN_REST,
    EMIT,
    LEDE_KEYS,
    Decision,
    Signed,
)
from wireingest._dedup.store import Entry, StateStore, open_store
from wireingest._dedup.store.memory import MemoryStore
from wireingest._kernels import minhash as K
from wireingest._meta.host import canonical_url
from wireingest._meta.version import version_rank
from wireingest.types import Article

__all__ = ["Deduplicator", "Prepared", "Preparer", "prep_article", "prep_articles"]

_ANCHORS = 3  # sampled anchors besides the first shingle
_FUTURE_SLACK = 86400.0
_M32 = 0xFFFFFFFF
_EXACT_TAG = 0x5BD1E995
_ANCHOR_TAG = np.uint64(0xA0761D6478BD642F)
_BAND_TAG = np.uint64(0xE7037ED1A0B428DB)
_ID_TAG = 0x1D5A3C27
_TITLE_TAG = 0x7E1A2B05
_BODILESS_KEYS = 3  # a bodiless article is indexed by its URL, id and title keys only

U32 = npt.NDArray[np.uint32]
U16 = npt.NDArray[np.uint16]


@functools.lru_cache(maxsize=4096)  # a stream's articles share few distinct timestamps
def _parse_time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    return dt.timestamp()


@dataclass(slots=True)
class _Prep:
    id: str
    ts: float
    exact: int
    rank: int
    paras: list[int]
    text: str
    lede: str
    language: str | None
    id_key: int = 0
    url_hash: int = 0  # bodiless articles only: their canonical URL and title keys
    title_key: int = 0
    src: Article | None = None  # the article (for the text of a prepared one)
    pack: tuple[_Batch, int] | None = None  # signed elsewhere (:class:`Prepared`)
    has_text: bool = True  # False for a prepared one until its text is needed


@dataclass(slots=True)
class _Batch:
    sigs: U32
    nsh: npt.NDArray[np.int64]
    exact: npt.NDArray[np.uint64]
    anchors: U32
    a_off: npt.NDArray[np.int64]
    sh: U32
    sh_lo: npt.NDArray[np.int64]
    sh_hi: npt.NDArray[np.int64]
    lede_sig: U32
    lede_n: npt.NDArray[np.int64]
    lede_keys: U32
    full_sig: U32  # of the whole texts (the same as sigs when nothing was stripped)
    full_n: npt.NDArray[np.int64]
    codes: U16  # sig_code of sigs and lede_sig: what the index keeps and verifies with
    lede_codes: U16


@dataclass(slots=True)
class Prepared:
    """What the engine computes from a batch of articles before any decision, as compact numpy
    arrays: paragraph keys (flat, with offsets) and the signing of the full texts (shingle
    hashes, signatures, exact hashes, anchors, ledes). All of it is a pure function of the
    articles' text and the settings, so :class:`Preparer` can make it in a worker process;
    :meth:`Deduplicator.check_many` takes it (``prepared=``) and computes only what depends on
    its state (the times, and the texts its boilerplate sketch strips)."""

    paras: U32
    p_off: npt.NDArray[np.int64]
    batch: _Batch

    def __len__(self) -> int:
        return len(self.p_off) - 1


class Preparer:
    """Makes :class:`Prepared` for a :class:`DedupConfig` (in any process)."""

    def __init__(self, config: DedupConfig, backend: str | None = None) -> None:
        self.config = config
        self.backend = _kernels.check_backend(backend)
        self._a, self._b = K.permutations(config.num_perm, config.seed)
        self._lang_modes: dict[str, tuple[str, int]] = {}

    def prepare(self, articles: Sequence[Article]) -> Prepared:
        preps = prep_articles(articles)
        bt = _sign(preps, {}, self.config, self._a, self._b, self.backend, self._lang_modes)
        n = len(preps)
        if n:
            bt.sh = bt.sh[: int(bt.sh_hi[-1])].copy()  # the ledes' shingles are not needed
        p_off = np.zeros(n + 1, dtype=np.int64)
        np.cumsum([len(p.paras) for p in preps], out=p_off[1:])
        paras = np.fromiter(
            itertools.chain.from_iterable(p.paras for p in preps), np.uint32, int(p_off[-1])
        )
        return Prepared(paras, p_off, bt)


class Deduplicator:
    """Decides, article by article, what goes into the clean stream (see :mod:`.policy`).

    ``state``: ``None`` for an in-memory index, a path to a SQLite file (created or reopened),
    a ``redis://HOST:PORT/DB?prefix=NAME`` URL, or a ready
    :class:`~wireingest._dedup.store.StateStore`. A state written with other
    :meth:`DedupConfig.fingerprint` settings is refused with ``ValueError``; one that cannot be
    opened or written raises :class:`wireingest.errors.StateError`. ``timeout``: seconds to
    wait for another process holding the state. ``commit_every``: commit automatically after
    that many decisions (default: only on :meth:`commit`/:meth:`close`). ``backend``:
    ``"numpy"`` or ``"numba"`` (default: numba; its compiled kernels load from numba's cache
    on first use, about half a second once per process). Both give identical signatures and
    decisions.
    """

    def __init__(
        self,
        config: DedupConfig | None = None,
        *,
        state: str | os.PathLike[str] | StateStore | None = None,
        timeout: float = 60.0,
        commit_every: int | None = None,
        backend: str | None = None,
    ) -> None:
        self.config = config or DedupConfig()
        cfg = self.config
        self.backend = _kernels.check_backend(backend)
        self._compiled = self.backend == "numba"
        if self._compiled:
            _kernels.warm()  # not inside the first transaction, where others would wait
        self._front = _kernels.front(self.backend)
        self._verify_params = policy.verify_params(cfg)
        self._a, self._b = K.permutations(cfg.num_perm, cfg.seed)
        self._nb, self._nr = cfg.bands
        rng = np.random.RandomState(0x5EED)
        self._row_mult = (rng.randint(0, 1 << 62, self._nr, dtype=np.uint64) * 2 + 1).astype(
            np.uint64
        )
        self._band_ids = (np.arange(self._nb, dtype=np.uint64) + np.uint64(1)) * _BAND_TAG
        self._slots = Slots(cfg.num_perm)
        self._index = KeyIndex()
        self._boiler = BoilerplateSketch()
        self._lang_modes: dict[str, tuple[str, int]] = {}
        self._watermark = -math.inf
        self._purged_at = -math.inf
        self._live = 0
        self._commit_every = commit_every
        self._pending = 0
        self._boiler_rotated = -math.inf
        self._closed = False
        self._store: StateStore = open_store(state, cfg.fingerprint(), timeout)
        self._apply(self._store.reload())

    # -- context management ------------------------------------------------------------------
    def __enter__(self) -> Deduplicator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._live

    @property
    def store(self) -> StateStore:
        """Where the index is remembered."""
        return self._store

    def commit(self, meta: Mapping[str, bytes] | None = None) -> None:
        """Commit the decisions made so far, and the metadata blobs ``meta`` (``{name:
        bytes}``, e.g. an output file offset) in the same transaction: after a crash either
        both are there or neither. Read a blob back with :meth:`load_meta`."""
        try:
            self._store.commit(meta)
        except BaseException:
            self._abort()
            raise
        self._pending = 0

    def flush(self) -> None:
        """Commit decisions made so far (:meth:`commit` without metadata)."""
        self.commit()

    def load_meta(self, name: str) -> bytes | None:
        """A metadata blob committed with :meth:`commit` (``None`` when there is none)."""
        return self._store.load_meta(name)

    def close(self) -> None:
        """Commit and release the state."""
        if self._closed:
            return
        self._closed = True
        try:
            self.commit()
        finally:
            self._store.close()

    def memory_bytes(self) -> int:
        """Bytes held by the index arrays and the boilerplate sketch (not the id strings)."""
        return self._slots.nbytes() + self._index.nbytes() + self._boiler.nbytes()

    # -- deciding ------------------------------------------------------------------------------
    def check(self, article: Article, *, now: float | None = None) -> Decision:
        """Decide one article; if it is emitted, index it (atomically with the decision)."""
        return self.check_many([article], now=now)[0]

    def check_many(
        self,
        articles: Sequence[Article],
        *,
        now: float | None = None,
        prepared: Sequence[tuple[Prepared, int] | None] | None = None,
    ) -> list[Decision]:
        """Decide a batch: the same decisions as :meth:`check` one after the other.

        Batches are much faster per article (tens of articles or more): shingles, signatures,
        index lookups and keys are computed for the whole batch at once, and articles with no
        key in the index, none shared with another article of the batch and no paragraph a
        later one repeats are emitted and inserted in bulk, without per-article checks.

        ``prepared``: for each article, ``(Prepared, row)`` when a :class:`Preparer` with
        the same settings made its row from this very article (e.g. in a worker process),
        else ``None``. The decisions are the same with or without it.
        """
        if not articles:
            return []
        arrival = time.time() if now is None else float(now)
        if prepared is None:
            preps = self._prepare_many(articles, arrival)
        else:
            todo = [a for a, pk in zip(articles, prepared, strict=True) if pk is None]
            made = iter(self._prepare_many(todo, arrival))
            preps = [
                next(made) if pk is None else _from_pack(a, pk, arrival)
                for a, pk in zip(articles, prepared, strict=True)
            ]
        self._begin()
        try:
            out = self._decide_batch(preps)
        except BaseException:
            self._abort()
            raise
        self._pending += len(articles)
        if self._commit_every is not None and self._pending >= self._commit_every:
            self.flush()
        return out

    def _prepare_many(self, articles: Sequence[Article], arrival: float) -> list[_Prep]:
        preps = prep_articles(articles)
        for a, prep in zip(articles, preps, strict=True):
            prep.ts = _timestamp(a.published, arrival)
        return preps

    def _strip_boilerplate(self, prep: _Prep, flags: Sequence[bool]) -> str | None:
        """The text without boilerplate paragraphs, or ``None`` when nothing is stripped."""
        paras = prep.text.split("\n")
        kept = [p for p, f in zip(paras, flags, strict=True) if not f]
        if len(" ".join(kept)) < BOILERPLATE_MIN_REST:
            return None
        return "\n".join(kept)

    def _signatures(self, preps: Sequence[_Prep]) -> _Batch:
        """Signatures, shingle counts, exact hashes, anchors and ledes of a run of articles.

        The texts that the boilerplate sketch strips are signed without those paragraphs;
        the rows of prepared articles (:class:`Prepared`) that keep their full text are taken
        as they are, the others are signed here, in one kernel call.
        """
        n = len(preps)
        n_par = [len(p.paras) for p in preps]
        flat = np.array(list(itertools.chain.from_iterable(p.paras for p in preps)), np.uint32)
        boiler = self._boiler.counts(flat) >= BOILERPLATE_MIN_ARTICLES
        stripped: dict[int, str] = {}
        relede: set[int] = set()  # prepared articles whose lede the sketch changes
        if boiler.any():
            p_off = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(n_par, out=p_off[1:])
            for i in np.unique(np.searchsorted(p_off, np.flatnonzero(boiler), side="right") - 1):
                prep = preps[i]
                if not prep.has_text:
                    _read_text(prep)
                flags = boiler[p_off[i] : p_off[i + 1]].tolist()
                # the same-story test never rests on boilerplate: the lede is the first
                # paragraph that is not learned boilerplate, even when nothing is stripped
                lede = policy.lede(prep.text.split("\n"), flags)
                if lede != prep.lede:
                    prep.lede = lede
                    relede.add(int(i))
                t = self._strip_boilerplate(prep, flags)
                if t is not None:
                    stripped[int(i)] = t
        todo = [i for i, p in enumerate(preps) if p.pack is None or i in stripped or i in relede]
        if len(todo) == n:
            for p in preps:
                if not p.has_text:
                    _read_text(p)
            return _sign(preps, stripped, self.config, self._a, self._b, self.backend,
                         self._lang_modes)  # fmt: skip
        parts: list[tuple[_Batch, int]] = [p.pack for p in preps]  # type: ignore[misc]
        if todo:
            sub_preps = [preps[i] for i in todo]
            for p in sub_preps:
                if not p.has_text:
                    _read_text(p)
            sub = _sign(sub_preps, {k: stripped[i] for k, i in enumerate(todo) if i in stripped},
                        self.config, self._a, self._b, self.backend, self._lang_modes)  # fmt: skip
            for k, i in enumerate(todo):
                parts[i] = (sub, k)
        return _gather(parts)

    def _decide_batch(self, preps: list[_Prep]) -> list[Decision]:
        out: list[Decision] = []
        pending = _Pending(keep=not isinstance(self._store, MemoryStore))
        start = 0
        while start < len(preps):
            start = self._decide_run(preps, start, out, pending)
        if pending.entries:
            seqs = self._store.append(pending.entries)
            self._slots.seq[pending.slots] = seqs
        self._expire()
        if self._index.needs_merge():
            self._index.merge()
        return out

    def _decide_run(
        self, preps: list[_Prep], start: int, out: list[Decision], pending: _Pending
    ) -> int:
        """Decide ``preps[start:]`` in order; return where to restart (``len(preps)`` when
        done). A restart is needed when an emitted article makes a paragraph boilerplate that
        a later article of the batch carries (its signature changes)."""
        run = preps[start:]
        bt = self._signatures(run)
        sigs, nsh, exact_u, anchors, a_off = bt.sigs, bt.nsh, bt.exact, bt.anchors, bt.a_off
        exact = exact_u.view(np.int64)
        # keys: exact hash (bodiless: URL), id, LSH bands (bodiless: title first), then anchors
        width = 2 + self._nb
        fixed = np.empty((len(run), width), dtype=np.uint32)
        fixed[:, 0] = (exact_u & np.uint64(_M32)).astype(np.uint32) ^ np.uint32(_EXACT_TAG)
        fixed[:, 1] = [p.id_key for p in run]
        fixed[:, 2:] = K.band_keys(sigs, self._nb, self._nr, self._row_mult, self._band_ids)
        bodiless = nsh == 0
        if bodiless.any():
            fixed[bodiless, 2] = bt.lede_keys[bodiless, 0] ^ np.uint32(_TITLE_TAG)
        index = self._index
        # every article's keys in one array, article after article: its fixed keys, then
        # its anchors (the order its candidates are gathered in)
        m = len(run)
        k_off = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(width + np.diff(a_off), out=k_off[1:])
        run_keys = np.empty(int(k_off[-1]), dtype=np.uint32)
        run_keys[(k_off[:-1, None] + np.arange(width)).ravel()] = fixed.ravel()
        shift = np.repeat(k_off[:-1] + width - a_off[:-1], np.diff(a_off))
        run_keys[np.arange(len(anchors)) + shift] = anchors
        order = np.argsort(run_keys)
        lo, hi = index.ranges(run_keys, order)
        held = np.zeros(len(run_keys) + 1, dtype=np.int64)
        np.cumsum(hi > lo, out=held[1:])
        in_arrays = held[k_off[1:]] > held[k_off[:-1]]
        found_a, f_off_a = index.find_many(lo, hi, k_off)
        slots = self._slots
        # articles no candidate of the arrays can match, screened in one compiled pass
        clear = K.screen(
            (bt.codes, nsh, exact, bt.lede_codes, bt.lede_n, bt.sh, bt.sh_lo, bt.sh_hi),
            found_a, f_off_a, (slots.sig, slots.nsh, slots.exact, slots.lede),
            self._verify_params, self.backend,
        )  # fmt: skip
        clear_l = clear.tolist() if clear is not None else [0] * m
        found = found_a.tolist()
        f_off = f_off_a.tolist()
        keys_l = run_keys.tolist()
        k_off_l = k_off.tolist()
        nsh_l = nsh.tolist()
        exact_l = exact.tolist()
        klists = [keys_l[k_off_l[i] : k_off_l[i + 1]] for i in range(m)]
        buf = index.buf
        shares_later = _shares_later([q.paras for q in run])
        fresh = self._fresh(klists, run_keys, order, keys_l, k_off, in_arrays, shares_later)
        deferred: list[int] = []
        # fresh articles are emitted, and inserted in bulk when the next article is emitted
        # (slots and entries keep their order) or at the end of the run: no other article of
        # the run shares a key with them, so none of them is a candidate of another
        decided: list[Decision] = [EMIT] * m
        held_fresh: list[int] = []
        reserved: list[tuple[int, list[int]]] = []  # (first slot, run rows) of fresh articles
        try:
            for i, p in enumerate(run):
                if p.ts > self._watermark:
                    self._watermark = p.ts
                if fresh[i]:
                    held_fresh.append(i)
                    continue
                p.exact = exact_l[i]
                klist = klists[i]
                cands = set(found[f_off[i] : f_off[i + 1]])
                screened = clear_l[i]
                if buf:
                    n_arr = len(cands)
                    index.find_recent(klist, cands)
                    screened = screened and len(cands) == n_arr
                n_i = nsh_l[i]
                sup_slots: tuple[int, ...]
                if screened and not self._slots.ids.with_id(p.id, cands):
                    d, sup_slots = EMIT, ()  # (what _decide says: see K.screen)
                else:
                    d, sup_slots = self._decide(p, n_i, cands, bt, i)
                if not d.emit:
                    decided[i] = d
                    continue
                if held_fresh:
                    reserved.append(self._reserve_fresh(run, held_fresh, pending, deferred))
                    held_fresh = []
                decided[i] = d
                lede_keys = bt.lede_keys[i]
                slot = self._slots.add(p.id, bt.codes[i], p.exact, p.ts, n_i, p.rank, lede_keys)
                keys = klist if n_i else klist[:_BODILESS_KEYS]
                pending.add(
                    slot, p, keys, n_i, sigs[i], lede_keys, pending.refs(sup_slots, self._slots)
                )
                if sup_slots:
                    self._redirect(sup_slots, slot)
                index.add(keys, slot)
                buf = index.buf
                self._live += 1
                if d.supersedes or d.related:
                    continue  # another version of a known story: its paragraphs are not boilerplate
                if not shares_later[i]:
                    deferred.extend(p.paras)  # no later article of the run can see the difference
                    continue
                crossed = self._boiler.add(p.paras, BOILERPLATE_MIN_ARTICLES)
                if crossed and i + 1 < len(run):
                    hot = set(crossed)
                    if any(not hot.isdisjoint(q.paras) for q in run[i + 1 :]):
                        # (no fresh article is held: i was emitted)
                        self._fill_fresh(run, reserved, bt, klists, pending)
                        self._boiler.add_many(deferred)
                        out.extend(decided[: i + 1])
                        return start + i + 1
        except BaseException:
            # what was emitted stays indexed (a store without a mirror to rebuild keeps
            # the decisions made before an error)
            self._fill_fresh(run, reserved, bt, klists, pending)
            raise
        if held_fresh:
            reserved.append(self._reserve_fresh(run, held_fresh, pending, deferred))
        self._fill_fresh(run, reserved, bt, klists, pending)
        out.extend(decided)
        self._boiler.add_many(deferred)
        return len(preps)

    def _fresh(
        self,
        klists: Sequence[Sequence[int]],
        keys: U32,
        order: npt.NDArray[np.int64],
        keys_l: list[int],
        k_off: npt.NDArray[np.int64],
        in_arrays: npt.NDArray[np.bool_],
        shares_later: Sequence[bool],
    ) -> list[bool]:
        """Which articles of a run are emitted with no check at all, and can be inserted in
        bulk: none of their keys is in the index (arrays or recent buffer), occurs twice in
        the run (in another article or in the same one), and none of their paragraphs occurs
        in a later article of the run (so their boilerplate counts can wait). ``keys``: the
        run's keys, article after article (``k_off``), ``keys_l`` as a list, ``order``
        their ``argsort``."""
        m = len(klists)
        busy = in_arrays | np.asarray(shares_later, dtype=bool)
        owner = np.repeat(np.arange(m), np.diff(k_off))
        # keys that occur twice or more: neighbours in sorted order
        ks = keys[order]
        twice = ks[1:] == ks[:-1]
        if twice.any():
            busy[owner[order[1:][twice]]] = True
            busy[owner[order[:-1][twice]]] = True
        buf = self._index.buf
        if buf:
            hit = buf.keys() & set(keys_l)
            if hit:
                for i, kl in enumerate(klists):
                    if not hit.isdisjoint(kl):
                        busy[i] = True
        out: list[bool] = (~busy).tolist()
        return out

    def _reserve_fresh(
        self, run: Sequence[_Prep], rows: list[int], pending: _Pending, deferred: list[int]
    ) -> tuple[int, list[int]]:
        """Take the next slots (and places among the entries) for ``run[rows]``, fresh
        articles (see :meth:`_fresh`; emitted, and the clock advanced by them already): they
        are indexed in order, before the next article emitted. Their rows, entries and keys
        are written by :meth:`_fill_fresh` at the end of the run, in bulk: no other article of
        the run shares a key with them, so none of them is a candidate before that (and a
        change of owners, :meth:`_redirect`, that touches their rows meanwhile is undone
        there: they own themselves). Returns ``(first slot, rows)``."""
        part = [run[r] for r in rows]
        first = self._slots.reserve([p.id for p in part])
        for k, p in enumerate(part):
            pending.hold(first + k)
            deferred.extend(p.paras)
        self._live += len(part)
        return first, rows

    def _fill_fresh(
        self,
        run: Sequence[_Prep],
        reserved: list[tuple[int, list[int]]],
        bt: _Batch,
        klists: Sequence[list[int]],
        pending: _Pending,
    ) -> None:
        """Write the slot rows, entries and index keys of the fresh articles reserved in this
        run (:meth:`_reserve_fresh`): what the per-article path does for an article without
        candidates, for all of them at once."""
        if not reserved:
            return
        rows = [r for _, rs in reserved for r in rs]
        slots = [first + k for first, rs in reserved for k in range(len(rs))]
        idx = np.asarray(rows, dtype=np.int64)
        exact = bt.exact[idx].view(np.int64)
        nsh = bt.nsh[idx]
        part = [run[r] for r in rows]
        self._slots.fill(
            np.asarray(slots, dtype=np.int64), bt.codes[idx], exact, [p.ts for p in part],
            nsh, [p.rank for p in part], bt.lede_keys[idx],
        )  # fmt: skip
        nsh_l = nsh.tolist()
        for p, e in zip(part, exact.tolist(), strict=True):
            p.exact = e
        own = [
            klists[r] if n_i else klists[r][:_BODILESS_KEYS]
            for r, n_i in zip(rows, nsh_l, strict=True)
        ]
        if pending.keep:
            sigs, ledes = bt.sigs, bt.lede_keys
            for slot, r, p, kl, n_i in zip(slots, rows, part, own, nsh_l, strict=True):
                pending.put(slot, p, kl, n_i, sigs[r], ledes[r])
        vals = np.repeat(np.asarray(slots, dtype=np.int64), [len(kl) for kl in own])
        self._index.add_fresh(list(itertools.chain.from_iterable(own)), vals.tolist())
        reserved.clear()

    def _decide(
        self, p: _Prep, n: int, cands: set[int], bt: _Batch, i: int
    ) -> tuple[Decision, tuple[int, ...]]:
        """The policy's decision against the live candidates, and the slots it supersedes."""
        if not cands:
            return EMIT, ()
        slots = self._slots
        arr = np.fromiter(cands, dtype=np.int64, count=len(cands))
        if self.config.window is not None:  # (without a window no slot is ever dead)
            arr = arr[slots.alive[arr] & (slots.ts[arr] >= self._cutoff())]
            if not len(arr):
                return EMIT, ()
        full_n = int(bt.full_n[i])
        new = Signed(
            p.id, bt.codes[i], n, p.exact, p.rank, bt.sh[bt.sh_lo[i] : bt.sh_hi[i]],
            bt.lede_codes[i],
            int(bt.lede_n[i]), bt.lede_keys[i], p.ts,
            bt.full_sig[i] if full_n != n else None, full_n,
        )  # fmt: skip
        return policy.decide(new, arr, slots, self.config, self._front, self._verify_params)

    def _redirect(self, old_owners: Sequence[int], new: int) -> None:
        s = self._slots
        u = s.used
        hit = np.isin(s.owner[:u], np.asarray(old_owners, dtype=np.int32))
        s.owner[:u][hit] = new

    # -- window ----------------------------------------------------------------------------
    def _cutoff(self) -> float:
        w = self.config.window
        return -math.inf if w is None else self._watermark - w

    def _expire(self) -> None:
        w = self.config.window
        if w is None:
            return
        cutoff = self._cutoff()
        if cutoff - self._purged_at < w / 32:
            return
        self._purged_at = cutoff
        if self._hide_expired(cutoff):
            self._store.purge(cutoff)
        if self._slots.used - self._live > max(1024, self._slots.used // 2):
            self._compact()
        if self._watermark - w > self._boiler_rotated + w:
            self._boiler.rotate()
            self._boiler_rotated = self._watermark - w

    def _compact(self) -> None:
        remap = self._slots.compact()
        self._index.merge(remap)

    # -- state -----------------------------------------------------------------------------
    def _begin(self) -> None:
        st = self._store
        if st.in_txn:
            return
        st.begin()
        self._apply(st.catch_up())

    def _abort(self) -> None:
        """Forget the uncommitted decisions (the mirror is rebuilt when the store keeps one)."""
        if self._store.rollback():
            self._reset_memory()
            self._apply(self._store.reload())

    def _reset_memory(self) -> None:
        self._slots = Slots(self.config.num_perm)
        self._index = KeyIndex()
        self._boiler = BoilerplateSketch()
        self._watermark = -math.inf
        self._live = 0

    def _apply(self, entries: Sequence[Entry]) -> None:
        """Add entries the store holds (committed by any process) to the mirror, in bulk:
        what adding them one by one does (a new worker catches up on a whole window)."""
        if not entries:
            return
        s = self._slots
        m = len(entries)
        first = s.add_many(
            [e.id for e in entries],
            np.stack([np.asarray(e.sig, dtype=np.uint32) for e in entries]),
            np.fromiter((e.exact for e in entries), dtype=np.int64, count=m),
            [e.ts for e in entries],
            np.fromiter((e.nsh for e in entries), dtype=np.int64, count=m),
            [e.rank for e in entries],
            _lede_rows([e.lede for e in entries]),
        )
        s.seq[first : first + m] = [e.seq for e in entries]
        for k, e in enumerate(entries):
            if e.supersedes:
                olds = list(e.supersedes)
                pos = np.searchsorted(s.seq[: first + k], olds)
                found = [
                    int(q)
                    for q, o in zip(pos, olds, strict=True)
                    if q < first + k and s.seq[q] == o
                ]
                if found:
                    self._redirect(found, first + k)
        # boilerplate counts: in bulk, but rotating at the article where one by one would
        boiler = self._boiler
        chunk: list[int] = []
        for e in entries:
            chunk.extend(np.asarray(e.paras, dtype=np.uint32).tolist())
            if boiler.taken + len(chunk) >= boiler.generation:
                boiler.add_many(chunk)
                chunk = []
        boiler.add_many(chunk)
        self._live += m
        self._watermark = max(self._watermark, max(e.ts for e in entries))
        keys = [np.asarray(e.keys, dtype=np.uint32) for e in entries]
        vals = np.repeat(np.arange(first, first + m, dtype=np.int32), [len(k) for k in keys])
        self._index.bulk_add(np.concatenate(keys), vals)
        # entries older than the window may have been loaded: hide them now
        self._purged_at = -math.inf
        self._expire_memory_only()

    def _expire_memory_only(self) -> None:
        if self.config.window is not None:
            self._hide_expired(self._cutoff())

    def _hide_expired(self, cutoff: float) -> int:
        """Mark entries older than ``cutoff`` dead in the mirror; how many."""
        s = self._slots
        u = s.used
        dead = s.alive[:u] & (s.ts[:u] < cutoff)
        nd = int(dead.sum())
        if nd:
            s.alive[:u][dead] = False
            self._live -= nd
        return nd


def _sign(
    preps: Sequence[_Prep],
    stripped: Mapping[int, str],
    cfg: DedupConfig,
    perm_a: U32,
    perm_b: U32,
    backend: str,
    cache: dict[str, tuple[str, int]],
) -> _Batch:
    """Sign ``preps`` (texts ``stripped[i]`` instead of their full text for shingling), in one
    kernel call over the full texts (exact hash), the stripped texts and the ledes."""
    n = len(preps)
    texts = [p.text for p in preps]
    main = list(range(n))
    for i in sorted(stripped):
        main[i] = len(texts)
        texts.append(stripped[i])
    lede0 = len(texts)
    texts.extend(p.lede for p in preps)
    langs = [p.language for p in preps]
    langs = langs + [langs[i] for i in range(n) if main[i] >= n] + langs
    # cache: a known language decides mode and size alone
    for lang in set(langs):
        if lang and lang not in cache:
            m = mode_for(lang, "")
            cache[lang] = (m, size_for(lang, m, cfg.shingle_size, cfg.char_shingle_size))
    if len(set(langs)) == 1 and langs[0]:  # (a batch in one known language)
        mode, size = cache[langs[0]]
        char = np.full(len(texts), mode == "char", dtype=bool)
        sizes = np.full(len(texts), size, dtype=np.int64)
    else:
        size_l: list[int] = []
        char_l: list[bool] = []
        for lang, t in zip(langs, texts, strict=True):
            ms = cache[lang] if lang else None
            if ms is None:  # unknown: by the text's script
                m = mode_for(lang, t)
                ms = (m, size_for(lang, m, cfg.shingle_size, cfg.char_shingle_size))
            char_l.append(ms[0] == "char")
            size_l.append(ms[1])
        char = np.array(char_l, dtype=bool)
        sizes = np.array(size_l, dtype=np.int64)
    cps, off = K.encode_batch(texts, compact=backend == "numba")
    lidx = np.arange(lede0, lede0 + n)
    figs = figure_masks(cps, off, lidx)  # the ledes' figures (from the text before any fold)
    if cfg.ocr_fold:  # (ocr15: the form OCR damage does not change, _text.py; one kernel call)
        compact = backend == "numba"
        cps, off = ocr_fold_codes(cps, off, compact=compact) or K.encode_batch(
            ocr_fold_many(texts), compact=compact
        )
    sh, sh_off, exact = K.shingle_batch(cps, off, char, sizes, backend)
    sig_all = K.minhash(sh, sh_off, perm_a, perm_b, backend)
    nsh_all = np.diff(sh_off)
    midx = np.asarray(main, dtype=np.int64)
    anchors, a_off, keys = K.anchors(
        sh, sh_off, midx, lidx, _ANCHORS, _ANCHOR_TAG, LEDE_KEYS, backend
    )
    # articles that lost a little of their text to learned boilerplate (a third at most, as
    # in policy._whole_text_holds) also keep the anchors of their whole text; a roundup made
    # mostly of learned ledes does not (its whole text is mostly other roundups')
    lost_little = [i for i in sorted(stripped) if 3 * (nsh_all[i] - nsh_all[main[i]]) <= nsh_all[i]]
    if lost_little:
        anchors, a_off = _with_full_anchors(
            anchors, a_off, sh, sh_off, np.asarray(lost_little, dtype=np.int64), lidx
        )
    lede_keys = np.empty((n, LEDE_COLUMNS), dtype=np.uint32)  # the keys, the figure mask
    lede_keys[:, :LEDE_KEYS] = keys
    lede_keys[:, LEDE_KEYS] = figs
    lede_n = nsh_all[lidx]
    exact = exact[:n].copy()
    nsh = nsh_all[midx]
    if not nsh.all():  # bodiless articles: exact <- URL hash, first lede key <- title key
        for i in np.flatnonzero(nsh == 0).tolist():
            p = preps[i]
            exact[i] = np.int64(p.url_hash).astype(np.uint64)
            lede_keys[i] = 0
            lede_keys[i, 0] = p.title_key
    sigs = sig_all[midx]
    lede_sig = sig_all[lidx]
    codes = sig_code(sig_all)  # (in one call for every text)
    return _Batch(
        sigs=sigs,
        nsh=nsh,
        exact=exact,
        anchors=anchors,
        a_off=a_off,
        sh=sh,
        sh_lo=sh_off[midx],
        sh_hi=sh_off[midx + 1],
        lede_sig=lede_sig,
        lede_n=lede_n,
        lede_keys=lede_keys,
        codes=codes[midx],
        lede_codes=codes[lidx],
        # nothing stripped: the same arrays (pickled once on their way from a worker)
        full_sig=sig_all[:n] if stripped else sigs,
        full_n=nsh_all[:n] if stripped else nsh,
    )


def _with_full_anchors(
    anchors: U32,
    a_off: npt.NDArray[np.int64],
    sh: U32,
    sh_off: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    lidx: npt.NDArray[np.int64],
) -> tuple[U32, npt.NDArray[np.int64]]:
    """The anchors of articles ``rows`` (signed without learned boilerplate) with the anchors
    of their whole text added: a story's lede quoted in enough roundups and briefs becomes
    learned boilerplate, and a copy of the story stripped of it would no longer share an
    anchor with the story indexed before (texts ``0..n-1`` of the batch are the whole texts)."""
    extra, e_off, _ = K.anchors(sh, sh_off, rows, lidx[rows], _ANCHORS, _ANCHOR_TAG, LEDE_KEYS)
    parts: list[U32] = []
    counts = np.diff(a_off)
    at = {int(r): k for k, r in enumerate(rows.tolist())}
    for i in range(len(a_off) - 1):
        own = anchors[a_off[i] : a_off[i + 1]]
        k = at.get(i)
        if k is not None:
            more = extra[e_off[k] : e_off[k + 1]]
            more = more[~np.isin(more, own)]
            own = np.concatenate([own, more])
            counts[i] = len(own)
        parts.append(own)
    off = np.zeros(len(a_off), dtype=np.int64)
    np.cumsum(counts, out=off[1:])
    return np.concatenate(parts) if parts else anchors, off


def _lede_rows(ledes: Sequence[npt.ArrayLike]) -> U32:
    """Stored lede keys as table rows (a state written before the figure mask was kept has
    eight keys per article and no mask: 0, no figures known)."""
    rows = np.zeros((len(ledes), LEDE_COLUMNS), dtype=np.uint32)
    for k, lede in enumerate(ledes):
        v = np.asarray(lede, dtype=np.uint32)
        rows[k, : len(v)] = v
    return rows


def _read_text(prep: _Prep) -> None:
    """Give a prepared article's prep its text (for the boilerplate sketch or re-signing)."""
    assert prep.src is not None
    full = prep_article(prep.src)
    prep.text, prep.lede = full.text, full.lede
    prep.url_hash, prep.title_key = full.url_hash, full.title_key
    prep.has_text = True


def _gather(parts: Sequence[tuple[_Batch, int]]) -> _Batch:
    """One batch of the rows ``parts`` (a batch and a row of it each), in that order."""
    segs: list[list[Any]] = []  # runs of consecutive rows of one batch
    for bt, j in parts:
        if segs and segs[-1][0] is bt and segs[-1][2] == j:
            segs[-1][2] = j + 1
        else:
            segs.append([bt, j, j + 1])
    if len(segs) == 1:
        bt, j0, j1 = segs[0]
        if j0 == 0 and j1 == len(bt.nsh):
            return bt  # type: ignore[no-any-return]
    sh: list[U32] = []
    sh_lo: list[npt.NDArray[np.int64]] = []
    anchors: list[U32] = []
    a_off: list[npt.NDArray[np.int64]] = [np.zeros(1, dtype=np.int64)]
    sh_base = a_base = 0
    for bt, j0, j1 in segs:
        lo, hi = bt.sh_lo[j0:j1], bt.sh_hi[j0:j1]
        if j1 - j0 == 1 or (lo[1:] == hi[:-1]).all():  # contiguous shingles
            sh.append(bt.sh[lo[0] : hi[-1]])
            sh_lo.append(lo - lo[0] + sh_base)
            sh_base += int(hi[-1] - lo[0])
        else:
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                sh.append(bt.sh[a:b])
                sh_lo.append(np.array([sh_base], dtype=np.int64))
                sh_base += b - a
        ao = bt.a_off[j0 : j1 + 1]
        anchors.append(bt.anchors[ao[0] : ao[-1]])
        a_off.append(ao[1:] - ao[0] + a_base)
        a_base += int(ao[-1] - ao[0])
    nsh = np.concatenate([bt.nsh[j0:j1] for bt, j0, j1 in segs])
    lo_all = np.concatenate(sh_lo)
    return _Batch(
        sigs=np.concatenate([bt.sigs[j0:j1] for bt, j0, j1 in segs]),
        nsh=nsh,
        exact=np.concatenate([bt.exact[j0:j1] for bt, j0, j1 in segs]),
        anchors=np.concatenate(anchors),
        a_off=np.concatenate(a_off),
        sh=np.concatenate(sh),
        sh_lo=lo_all,
        sh_hi=lo_all + nsh,
        lede_sig=np.concatenate([bt.lede_sig[j0:j1] for bt, j0, j1 in segs]),
        lede_n=np.concatenate([bt.lede_n[j0:j1] for bt, j0, j1 in segs]),
        lede_keys=np.concatenate([bt.lede_keys[j0:j1] for bt, j0, j1 in segs]),
        codes=np.concatenate([bt.codes[j0:j1] for bt, j0, j1 in segs]),
        lede_codes=np.concatenate([bt.lede_codes[j0:j1] for bt, j0, j1 in segs]),
        full_sig=np.concatenate([bt.full_sig[j0:j1] for bt, j0, j1 in segs]),
        full_n=np.concatenate([bt.full_n[j0:j1] for bt, j0, j1 in segs]),
    )


def _timestamp(published: str | None, arrival: float) -> float:
    ts = _parse_time(published)
    if ts is None or ts > arrival + _FUTURE_SLACK:
        ts = arrival
    return ts


def prep_article(article: Article) -> _Prep:
    """The text-side facts of one article (its time is set by the engine)."""
    return prep_articles([article])[0]


def prep_articles(articles: Sequence[Article]) -> list[_Prep]:
    """:func:`prep_article` of each article, with the keys of all their paragraphs computed
    in one pass."""
    split = [_paragraphs(a.body) for a in articles]
    keys = paragraph_keys(list(itertools.chain.from_iterable(split)))
    out: list[_Prep] = []
    k = 0
    for article, paras in zip(articles, split, strict=True):
        out.append(_prep_of(article, paras, keys[k : k + len(paras)]))
        k += len(paras)
    return out


def _paragraphs(body: str) -> list[str]:
    """The normalised paragraphs of a body (stripped; empty ones kept), none with a newline."""
    body = normalize(body)
    if "\r" in body:
        body = body.replace("\r", "")
    lines = body.split("\n")  # one-character split: several times faster than "\n\n"
    if len(lines) % 2 and not any(lines[1::2]):
        # every newline is half of a paragraph break: the same parts as split("\n\n")
        return [p.strip() for p in lines[::2]]
    return [p.replace("\n", " ").strip() for p in body.split("\n\n")]


def _prep_of(article: Article, paras: list[str], keys: list[int]) -> _Prep:
    if "" in paras or len(set(keys)) != len(keys):
        # empty paragraphs go; one repeated inside the page counts once
        seen: set[int] = set()
        kept = [
            (p, k)
            for p, k in zip(paras, keys, strict=True)
            if p and not (k in seen or seen.add(k))  # type: ignore[func-returns-value]
        ]
        paras = [p for p, _ in kept]
        keys = [k for _, k in kept]
    text = "\n".join(paras)
    prep = _Prep(
        id=article.id,
        ts=0.0,
        exact=0,
        rank=version_rank(article.version),
        paras=keys,
        text=text,
        lede=policy.lede(paras),
        language=article.language,
        id_key=zlib.crc32(article.id.encode("utf-8", "surrogatepass")) ^ _ID_TAG,
    )
    prep.src = article
    if not text:  # bodiless (headline only): known by its URL and title
        prep.url_hash, prep.title_key = headline_keys(article.url, article.title)
    return prep


def _from_pack(article: Article, pk: tuple[Prepared, int], arrival: float) -> _Prep:
    """The prep of an article a :class:`Preparer` made (its text is read only if needed)."""
    pr, j = pk
    lo, hi = pr.p_off[j], pr.p_off[j + 1]
    return _Prep(
        id=article.id,
        ts=_timestamp(article.published, arrival),
        exact=0,
        rank=version_rank(article.version),
        paras=pr.paras[lo:hi].tolist(),
        text="",
        lede="",
        language=article.language,
        id_key=zlib.crc32(article.id.encode("utf-8", "surrogatepass")) ^ _ID_TAG,
        src=article,
        pack=(pr.batch, j),
        has_text=False,
    )


def _shares_later(keys: Sequence[Sequence[int]]) -> list[bool]:
    """For each list, whether one of its keys occurs in a later list."""
    out = [False] * len(keys)
    later: set[int] = set()
    for i in range(len(keys) - 1, -1, -1):
        k = keys[i]
        if not later.isdisjoint(k):
            out[i] = True
        later.update(k)
    return out


def headline_keys(url: str | None, title: str | None) -> tuple[int, int]:
    """A bodiless article's identity: a 63-bit hash of its canonical URL and a 32-bit key of
    its normalised title's words (case, Unicode form and punctuation aside; 0: none)."""
    u = canonical_url(url)
    url_hash = 0
    if u:
        digest = hashlib.blake2b(u.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        url_hash = (int.from_bytes(digest, "little") >> 1) or 1
    t = " ".join(tokens(normalize(title), "word")) if title else ""
    title_key = (zlib.crc32(t.encode("utf-8", "surrogatepass")) or 1) if t else 0
    return url_hash, title_key


class _Pending:
    """The entries a batch emitted, for the store (which numbers them at the end). Without
    ``keep`` (the memory store, which only numbers them) they are counted, not made."""

    __slots__ = ("entries", "index", "keep", "slots")

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.entries: list[Entry] = []
        self.slots: list[int] = []
        self.index: dict[int, int] = {}

    def refs(self, sup_slots: Sequence[int], table: Slots) -> tuple[int, ...]:
        """How an entry names the slots it supersedes: their ``seq``, or ``-(k + 1)`` for
        the ``k``-th entry of this batch (not numbered yet)."""
        idx = self.index
        return tuple(-idx[s] - 1 if s in idx else int(table.seq[s]) for s in sup_slots)

    def add(
        self, slot: int, p: _Prep, keys: Sequence[int], nsh: int, sig: U32, lede: U32,
        supersedes: tuple[int, ...],
    ) -> None:  # fmt: skip
        self.hold(slot)
        self.put(slot, p, keys, nsh, sig, lede, supersedes)

    def hold(self, slot: int) -> None:
        """Keep the next place among the entries for ``slot`` (:meth:`put` writes it)."""
        self.index[slot] = len(self.entries)
        self.slots.append(slot)
        self.entries.append(None)  # type: ignore[arg-type]

    def put(
        self, slot: int, p: _Prep, keys: Sequence[int], nsh: int, sig: U32, lede: U32,
        supersedes: tuple[int, ...] = (),
    ) -> None:  # fmt: skip
        if not self.keep:
            return
        self.entries[self.index[slot]] = Entry(
            p.id, p.ts, p.exact, nsh, p.rank, lede, sig, keys, p.paras, supersedes
        )
