"""What the executors compute per input: parse and clean (the code ``run`` uses), then the
dedup facts of every article (the streaming engine's own preparation and kernels).

:func:`sign_articles` is the one adapter between the archive job and the engine
(:class:`wireingest._dedup.Deduplicator`): it asks a fresh, empty engine to prepare and sign a
batch, so the signatures, shingle counts, exact hashes, ledes and keys are the stream's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from wireingest._dedup import DedupConfig, Deduplicator, Signed
from wireingest._dedup._index import sig_code
from wireingest._dedup.engine import _BODILESS_KEYS, _EXACT_TAG, _M32, _TITLE_TAG
from wireingest._dedup.policy import BOILERPLATE_MIN_ARTICLES
from wireingest._draft import Draft
from wireingest._finish import finish
from wireingest._formats import DEFAULT_MAX_BYTES, parse_payload
from wireingest._kernels import minhash as K
from wireingest.types import Article, Document, Reject

__all__ = [
    "CODED",
    "HELD",
    "SIGNED",
    "Fact",
    "article_from_json",
    "coded",
    "column",
    "held_of",
    "parse_lines",
    "sign_articles",
    "signed_of",
]

_JSON_LINE = MappingProxyType({"format": "json-line"})
#: ``published`` missing: such articles sort after every dated one (and are never clamped).
NO_TIME = 1e12
_BATCH = 256


@dataclass(frozen=True, slots=True)
class Fact:
    """One article's dedup facts, as plain values a Spark row can carry."""

    node: int
    ts: float
    id: str
    rank: int
    nsh: int
    exact: int
    sig: bytes
    sh: bytes
    lede_sig: bytes
    lede_n: int
    lede_keys: bytes
    full_sig: bytes  # of the whole text when learned boilerplate was stripped for sig, else b""
    full_n: int
    keys: list[int]
    paras: list[int]


def node_of(*parts: object) -> int:
    """A stable non-negative 63-bit id."""
    h = hashlib.blake2b(
        "\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass"), digest_size=8
    )
    return int.from_bytes(h.digest(), "little") >> 1


def parse_lines(
    rows: Iterable[tuple[str, str, int]], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[tuple[int, str, str, Article | None, Reject | None]]:
    """``(line, origin, copy)`` -> ``(node, origin, line-id, article, reject)`` per item, with
    the parser and finisher ``run`` uses (no learned boilerplate: it is learned in order)."""
    for line, origin, copy in rows:
        doc = Document(line.encode("utf-8", "surrogatepass"), origin=origin, meta=_JSON_LINE)
        for k, item in enumerate(parse_payload(doc, max_bytes=max_bytes)):
            node = node_of(line, origin, copy, k)
            result = finish(item, boilerplate=None) if isinstance(item, Draft) else item
            if isinstance(result, Article):
                yield node, origin, line, result, None
            else:
                yield node, origin, line, None, result


def sign_articles(dedup: Deduplicator, articles: Sequence[tuple[int, Article]]) -> list[Fact]:
    """The engine's prepared and signed facts of ``articles`` (``(node, article)``), with the
    keys it would index them under: exact hash, id, LSH bands (a bodiless article: its URL,
    id and title keys), anchors. Paragraphs ``dedup`` knows as boilerplate are left out of
    the signatures, as in the stream."""
    out: list[Fact] = []
    cfg = dedup.config
    nb, nr = cfg.bands
    for lo in range(0, len(articles), _BATCH):
        part = articles[lo : lo + _BATCH]
        preps = dedup._prepare_many([a for _, a in part], NO_TIME)
        bt = dedup._signatures(preps)
        bands = K.band_keys(bt.sigs, nb, nr, dedup._row_mult, dedup._band_ids)
        exact_u = bt.exact
        exact_key = (exact_u & np.uint64(_M32)).astype(np.uint32) ^ np.uint32(_EXACT_TAG)
        for i, ((node, _), p) in enumerate(zip(part, preps, strict=True)):
            n = int(bt.nsh[i])
            keys = [int(exact_key[i]), p.id_key, *bands[i].tolist()]
            if n == 0:
                keys[2] = int(bt.lede_keys[i, 0]) ^ _TITLE_TAG
                keys = keys[:_BODILESS_KEYS]
            else:
                keys += bt.anchors[bt.a_off[i] : bt.a_off[i + 1]].tolist()
            out.append(
                Fact(
                    node=node,
                    ts=p.ts,
                    id=p.id,
                    rank=p.rank,
                    nsh=n,
                    exact=int(exact_u[i : i + 1].view(np.int64)[0]),
                    sig=bt.sigs[i].tobytes(),
                    sh=bt.sh[bt.sh_lo[i] : bt.sh_hi[i]].tobytes(),
                    lede_sig=bt.lede_sig[i].tobytes(),
                    lede_n=int(bt.lede_n[i]),
                    lede_keys=bt.lede_keys[i].tobytes(),
                    full_sig=bt.full_sig[i].tobytes() if int(bt.full_n[i]) != n else b"",
                    full_n=int(bt.full_n[i]),
                    keys=keys,
                    paras=list(p.paras),
                )
            )
    return out


def signed_of(
    id: str, ts: float, rank: int, nsh: int, exact: int, sig: bytes, sh: bytes,
    lede_sig: bytes, lede_n: int, lede_keys: bytes, full_sig: bytes | None = None,
    full_n: int | None = None,
) -> Signed:  # fmt: skip
    """The policy's :class:`~wireingest._dedup.Signed` from a fact row (``full_sig`` empty or
    missing: nothing was stripped, the signature is of the whole text)."""
    u32 = np.uint32
    return Signed(
        id, np.frombuffer(sig, u32), nsh, exact, rank, np.frombuffer(sh, u32),
        np.frombuffer(lede_sig, u32), lede_n, np.frombuffer(lede_keys, u32), ts,
        np.frombuffer(full_sig, u32) if full_sig else None, full_n or 0,
    )  # fmt: skip


#: the fields of a fact row :func:`signed_of` takes, in its order
SIGNED = (
    "id", "ts", "rank", "nsh", "exact", "sig", "sh", "lede_sig", "lede_n", "lede_keys",
    "full_sig", "full_n",
)  # fmt: skip

#: the fields of an emitted article the stream's index holds (``Slots``: signature, exact
#: hash, time, shingle count, rank, lede keys; no shingles, no lede signature), all that
#: :func:`~wireingest._dedup.verify_pair` reads of the older article of a pair
HELD = ("id", "ts", "rank", "nsh", "exact", "sig", "lede_keys")


def held_of(
    id: str, ts: float, rank: int, nsh: int, exact: int, sig: bytes, lede_keys: bytes
) -> Signed:
    """The policy's :class:`~wireingest._dedup.Signed` of an already emitted article, from
    the :data:`HELD` fields only (what the stream's index can give the policy)."""
    return signed_of(id, ts, rank, nsh, exact, sig, b"", b"", 0, lede_keys)


def coded(sig: bytes) -> bytes:
    """A signature's values (``uint32`` bytes) as the 16-bit codes the policy verifies with
    (:func:`~wireingest._dedup._index.sig_code`: monotone, and codes stay as they are, so
    every check gives what it gives on the values); empty stays empty. The archive's fact
    rows carry codes: half the bytes to shuffle and to hand to the Python workers."""
    return sig_code(np.frombuffer(sig, np.uint32)).tobytes() if sig else b""


#: the fact fields the job's rows carry as 16-bit codes (:func:`coded`)
CODED = frozenset({"sig", "lede_sig", "full_sig"})


def column(fact: Fact, name: str) -> Any:
    """A fact's field as the job's rows carry it (signatures as codes)."""
    v = getattr(fact, name)
    return coded(v) if name in CODED else v


def engine(config: DedupConfig, boilerplate: Sequence[int] = ()) -> Deduplicator:
    """An in-memory engine (one per executor partition) that knows ``boilerplate`` (paragraph
    keys) as paragraphs of enough other stories to be stripped before signing."""
    d = Deduplicator(config)
    if boilerplate:
        d._boiler.add_many(list(boilerplate) * BOILERPLATE_MIN_ARTICLES)
    return d


def article_from_json(line: str) -> Article:
    """An :class:`Article` back from its ``to_json`` line."""
    d: dict[str, Any] = json.loads(line)
    for name in ("authors", "categories", "supersedes"):
        d[name] = tuple(d.get(name) or ())
    d["extra"] = d.get("extra") or {}
    return Article(**d)
