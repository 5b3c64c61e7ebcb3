"""A learned, per-source boilerplate model: lines that repeat across pages of one site.

Agency sites wrap every article in the same furniture: ``Publié le <date>`` lines, contact
lines, "follow us" footers, copyright lines with a year or a visit counter. Generic rules miss
many of them; this model learns them from the pages themselves.

How it works, per source (host):

* Every paragraph of up to ``max_words`` words that is not a bare number or time becomes a
  *line cluster* (bare numbers and times such as ``8,200`` or ``1400 GMT`` are content that
  digit masking would make look alike). Matching is exact on a digit-masked key (case,
  punctuation and digits ignored, so ``Publié le 2019-12-28 à 15:03`` and
  ``Publié le 2020-01-02 à 09:41`` are one line) and near through MinHash/LSH over the masked
  word bigrams (32 permutations, 8 bands x 4 rows, verified by the estimated Jaccard
  >= ``near_threshold``), so footers with a changed word or counter match too. Numbers tell
  *figure lines* apart: a line with amounts (two or more numbers that are not dates, times or
  years, or one with a decimal or thousands separator: "Shr 35 cts vs 40 cts", "Net 2,642,000
  vs 3,017,000") is keyed by its masked text and its figures, and matched exactly only, so two
  companies' results lines are two lines, while a footer with a phone number that repeats
  exactly is still learned. Short lines
  (up to 24 words) enter the LSH index at once; longer ones once they were seen in two
  stories: most of those are story paragraphs seen once, and leaving them out of the index
  saves about half of the memory.
* A cluster counts the *distinct stories* it was seen in (``df``). A story is told apart from
  another by its context: the three longest other paragraphs of the page. Two pages share a
  story when they share two of those three; so three crawls or updates of the same article do
  not make its paragraphs boilerplate, while a footer on three different articles is.
* A line also counts the pages that carried it *after their own text* (``tail``: after the
  page's last paragraph of prose not seen before; a page of known lines only counts nothing).
  Prose (more than 24 words, or a sentence of ten words or more) is furniture only where a
  footer is: a "news in brief" roundup quotes story ledes, which are then seen in as many
  stories as a footer, but in front of, or among, new text. Short lines (banners, datelines,
  counters, social and copyright lines) need no place.
* :meth:`BoilerplateModel.strip` removes paragraphs whose cluster has ``df >= min_pages``
  (and, for prose, ``tail >= min_pages``). It
  never removes most of a page: if the lines it would remove hold more than half of the page's
  words (a results item whose figure lines differ from other items' only in their numbers, a
  short release under a long shared disclaimer), the page is returned as is.
* Memory is bounded: at most ``max_sources`` sources (least recently used go first) and
  ``max_lines_per_source`` clusters per source (the rarest, least recently seen go first,
  10% at a time). A cluster costs 0.5-0.9 KB (measured with ``tracemalloc`` on the BBC
  corpus), so the defaults (128 sources x 1024 lines) bound the model near 110 MB in the
  worst case; ten busy sources take about 9 MB.
* :meth:`to_bytes`/:meth:`from_bytes` persist it (a JSON header and little-endian arrays behind
  a versioned magic header; format 1, zlib-compressed JSON, and format 2, the same layout with
  figure lines masked like any other, are still read); a state written
  with other MinHash settings is refused.

Call :meth:`strip` before :meth:`learn` for a page, and learn from the unstripped paragraphs.
The page's features (tokens, exact hashes, signatures and band keys, computed for all its
lines in one numpy batch, or in one compiled pass once numba is loaded, see :mod:`._scan`) and
the clusters :meth:`strip` found are reused by :meth:`learn`.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import struct
import sys
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np

from wireingest._clean import _scan
from wireingest._clean._minhash import _MULT, SCHEME, U32, U64, _perms, words
from wireingest._meta._ascii import ascii_standin

__all__ = ["FORMAT_VERSION", "BoilerplateModel", "figures"]

MAGIC = b"WIBOILER"
FORMAT_VERSION = 3
NUM_PERM = 32
BANDS = 8
ROWS = 4
SEED = 1337
_CTX_SIZE = 3
_CTX_SAME_STORY = 2
_CTX_STRUCT = struct.Struct("<3I")
_MASK32 = 0xFFFFFFFF
_DF_CAP = 1 << 30
_SHORT_LINE_WORDS = 24
_TAIL_CAP = 255
_PROSE_MIN_WORDS = 10
_SENTENCE_END = ".!?\u3002\uff01\uff1f"
_CLOSERS = "\"'\u201d\u2019\u00bb) "
_BAND_MULT = 0x100000001B3
_MASK64 = (1 << 64) - 1


class _Cluster:
    __slots__ = ("cid", "contexts", "df", "exact", "indexed", "last", "sig", "tail", "words")

    def __init__(self, cid: int, exact: int, sig: bytes | None, words: int, last: int) -> None:
        self.cid = cid
        self.exact = exact
        self.words = words
        self.sig = sig  # None for short lines (exact match only)
        self.df = 0
        self.last = last
        self.contexts = b""  # packed story contexts: 3 x uint32 each, 0 = none
        self.indexed = False  # whether its band keys were put in the source's LSH index
        self.tail = 0  # pages that carried it after their own text (a footer's place)


class _Source:
    __slots__ = ("bands", "clusters", "exact", "next_id", "pages")

    def __init__(self) -> None:
        self.clusters: dict[int, _Cluster] = {}
        self.exact: dict[int, int] = {}
        self.bands: dict[int, int] = {}
        self.pages = 0
        self.next_id = 0


def _band_keys(sig: bytes) -> list[int]:
    vals = np.frombuffer(sig, dtype=np.uint32).tolist()
    keys = []
    for b in range(BANDS):
        h = b + 1
        for v in vals[b * ROWS : (b + 1) * ROWS]:
            h = (h * _BAND_MULT + v) & _MASK64
        keys.append(h >> 34)  # 30 bits: small ints, and collisions only cost a verification
    return keys


# (exact hash, signature, word count, band keys): what the model needs of one paragraph
_Feature = tuple[int, bytes | None, int, tuple[int, ...] | None]

# ASCII fast path of ``words(text, mask_digits=True)``: letters lower-cased, every digit ``0``,
# any other byte a separator; then each run of ``0`` (a digit run) is squeezed to one.
_TOKEN_BYTES = bytes(
    (0x30 if chr(c).isdigit() else ord(chr(c).lower()) if chr(c).isalnum() else 0x20)
    if c < 0x80
    else 0x20
    for c in range(256)
)
# the same with newlines kept (lines stay apart), for the compiled pass
_TOKEN_TABLE_NL = np.frombuffer(_TOKEN_BYTES[:0x0A] + b"\n" + _TOKEN_BYTES[0x0B:], np.uint8)
_LITTLE_ENDIAN = sys.byteorder == "little"
_BAND_POWERS = np.array(
    [pow(_BAND_MULT, ROWS - 1 - r, 1 << 64) for r in range(ROWS)], dtype=np.uint64
)
_BAND_BASE = np.array(
    [(b + 1) * pow(_BAND_MULT, ROWS, 1 << 64) % (1 << 64) for b in range(BANDS)], dtype=np.uint64
)


def _tokens(text: str) -> list[bytes]:
    """UTF-8 tokens of ``words(text, mask_digits=True)`` (a bytes table for ASCII text)."""
    if not text.isascii():
        text = ascii_standin(text) or text
    if text.isascii():
        b = text.encode("ascii").translate(_TOKEN_BYTES)  # digits all become 0 here
        while b"00" in b:
            b = b.replace(b"00", b"0")  # so a digit run is a run of 0s: one 0 each
        return b.split()
    ws = words(text, mask_digits=True)
    return " ".join(ws).encode("utf-8", "surrogatepass").split(b" ") if ws else []


# a number as written: digit groups joined by separators ("2,642,000", "19.1", "2021-03-05")
_NUMBER = re.compile(r"\d+(?:[.,:/\-]\d+)*")
# dates, times and years: what varies on every page of a site's furniture
_DATE_TIME = re.compile(
    r"\d{1,2}:\d\d(?::\d\d)?|(?:19|20)\d\d(?:[./\-]\d{1,2}[./\-]\d{1,2})?"
    r"|\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)?\d\d"
)

_SPELLED = re.compile(r"[a-z]+")
_SMALL_NUMBERS = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])


def figures(paragraph: str) -> str | None:
    """The figures of a *figure line*, or ``None`` for any other line.

    A figure line carries amounts: two or more numbers that are not dates, times or years,
    or one with a decimal or thousands separator ("Shr 35 cts vs 40 cts", "Net 2,642,000 vs
    3,017,000", "Sales 19.1 mln"), or one next to a small number written out in English as
    wire style has it ("Shr loss two cts vs loss 12 cts"). Its numbers are its content, so
    they are part of its key: two companies' results lines are two lines. Dates, times,
    years and a lone counter ("Publié le 2021-03-05 à 10:00", "© 2021", "Cet article a été lu
    345 fois") stay masked, so furniture that only changes its date is still one line; a phone
    number (several numbers) is a figure line that repeats exactly, and is learned as such.
    """
    figures = [n for n in _NUMBER.findall(paragraph) if not _DATE_TIME.fullmatch(n)]
    if not figures:
        return None
    if len(figures) == 1 and "." not in figures[0] and "," not in figures[0]:
        # one plain number: a counter, unless the line spells out another amount the wire
        # way ("Shr loss two cts vs loss 12 cts": one to nine are written as words)
        spelled = [w for w in _SPELLED.findall(paragraph.lower()) if w in _SMALL_NUMBERS]
        if not spelled:
            return None
        figures += spelled
    return " ".join(figures)


def _is_prose(paragraph: str) -> bool:
    """A paragraph of news prose: more than ``_SHORT_LINE_WORDS`` words, or a sentence of
    ``_PROSE_MIN_WORDS`` words or more. Furniture is short and rarely a sentence: banners,
    breadcrumbs, datelines, counters, social and copyright lines."""
    n = paragraph.count(" ") + 1
    if n > _SHORT_LINE_WORDS:
        return len(paragraph.split()) > _SHORT_LINE_WORDS
    return (
        n >= _PROSE_MIN_WORDS
        and paragraph.rstrip(_CLOSERS)[-1:] in _SENTENCE_END
        and len(paragraph.split()) >= _PROSE_MIN_WORDS
    )


def _key_figures(paragraphs: Sequence[str], feats: list[_Feature | None]) -> None:
    """Give figure lines (:func:`figures`) a key of their own figures, matched exactly only
    (no signature: near matching would merge lines that differ in their figures)."""
    blake = hashlib.blake2b
    for i, f in enumerate(feats):
        if f is None:
            continue
        figs = figures(paragraphs[i])
        if figs is not None:
            h = blake(f[0].to_bytes(8, "little") + figs.encode("ascii", "replace"), digest_size=8)
            feats[i] = (int.from_bytes(h.digest(), "little"), None, f[2], None)


def _signatures(token_lists: Sequence[list[bytes]]) -> tuple[U32, list[list[int]]]:
    """MinHash signatures and LSH band keys of token lists of 3+ tokens, in one batch.

    The same values as :func:`~._minhash.signatures` over :func:`~._minhash.shingles` and
    :func:`_band_keys`, computed for the whole page in a fixed, small number of numpy calls.
    """
    flat = chain.from_iterable(token_lists)
    th = np.fromiter(map(zlib.crc32, flat), dtype=np.uint64, count=sum(map(len, token_lists)))
    pairs = th[:-1] * _MULT + th[1:]  # word bigrams, plus one across each paragraph boundary
    offsets: list[int] = []
    cross: list[int] = []
    end = 0
    for k, toks in enumerate(token_lists):
        offsets.append(end - k)
        end += len(toks)
        cross.append(end - 1)
    if len(cross) > 1:
        keep = np.ones(len(pairs), dtype=bool)
        keep[cross[:-1]] = False
        pairs = pairs[keep]
    a, b = _perms_rows()
    hv = pairs[:, np.newaxis] * a
    hv += b
    if _LITTLE_ENDIAN:
        high = hv.view(np.uint32)[:, 1::2]  # the high 32 bits, without a shift and a copy
    else:
        high = (hv >> np.uint64(32)).astype(np.uint32)
    sigs = np.minimum.reduceat(high, offsets, axis=0)
    # band key = fold of (h * MULT + v) over the ROWS values of a band, from h = band + 1
    rows = sigs.reshape(len(token_lists), BANDS, ROWS).astype(np.uint64)
    keys = (np.matmul(rows, _BAND_POWERS) + _BAND_BASE) >> np.uint64(34)
    return sigs, keys.tolist()


def _band_keys_of(sigs: Sequence[bytes]) -> list[list[int]]:
    """:func:`_band_keys` of many signatures in one numpy pass."""
    rows = np.frombuffer(b"".join(sigs), dtype=np.uint32).reshape(len(sigs), BANDS, ROWS)
    keys = (np.matmul(rows.astype(np.uint64), _BAND_POWERS) + _BAND_BASE) >> np.uint64(34)
    out: list[list[int]] = keys.tolist()
    return out


@lru_cache(maxsize=1)
def _perms_rows() -> tuple[U64, U64]:
    """The ``(NUM_PERM, SEED)`` permutations as row vectors (shingles run down the rows)."""
    a, b = _perms(NUM_PERM, SEED)
    return a.reshape(1, -1), b.reshape(1, -1)


def _read_format2(
    body: memoryview,
) -> tuple[dict[str, Any], list[int], list[list[int]], bytes, bytes, bytes]:
    """The parts of a format-2 model (see :meth:`BoilerplateModel.to_bytes`): the header and
    the cluster arrays; ``ValueError`` (or ``struct.error``) when they do not fit together."""
    (hlen,) = struct.unpack_from("<I", body, 0)
    pos = 4 + hlen
    head = json.loads(bytes(body[4:pos]).decode("utf-8"))
    n = sum(int(src["clusters"]) for src in head["sources"])

    def take(nbytes: int) -> memoryview:
        nonlocal pos
        if pos + nbytes > len(body):
            raise ValueError("truncated data")
        out = body[pos : pos + nbytes]
        pos += nbytes
        return out

    exact = np.frombuffer(take(8 * n), dtype="<u8").tolist()
    meta = np.frombuffer(take(16 * n), dtype="<u4").reshape(n, 4).tolist()
    flags = bytes(take(n))
    sig_blob = bytes(take(NUM_PERM * 4 * sum(flags)))
    ctx_blob = bytes(take(sum(m[3] for m in meta)))
    if pos != len(body):
        raise ValueError("trailing data")
    return head, exact, meta, flags, sig_blob, ctx_blob


class BoilerplateModel:
    """Learns boilerplate lines per source and strips them from later pages.

    ``min_pages`` is how many distinct stories of a source must carry a line before it counts
    as boilerplate; ``max_sources`` and ``max_lines_per_source`` bound memory;
    ``max_words`` is the longest paragraph considered (longer ones are always kept);
    ``near_threshold`` is the estimated Jaccard above which two lines are the same.
    """

    def __init__(
        self,
        *,
        min_pages: int = 3,
        max_sources: int = 128,
        max_lines_per_source: int = 1024,
        max_words: int = 80,
        near_threshold: float = 0.6,
    ) -> None:
        if min_pages < 2:
            raise ValueError("min_pages must be at least 2 (one page cannot show repetition)")
        if max_sources < 1 or max_lines_per_source < 16:
            raise ValueError("max_sources must be >= 1 and max_lines_per_source >= 16")
        if not 0.0 < near_threshold <= 1.0:
            raise ValueError("near_threshold must be in (0, 1]")
        self.min_pages = min_pages
        self.max_sources = max_sources
        self.max_lines_per_source = max_lines_per_source
        self.max_words = max_words
        self.near_threshold = near_threshold
        self._sources: OrderedDict[str, _Source] = OrderedDict()
        self._memo: tuple[tuple[str, ...], list[_Feature | None]] | None = None
        self._found: tuple[str, _Source, list[_Feature | None], list[_Cluster | None]] | None = None

    # -- inspection ------------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of sources held."""
        return len(self._sources)

    def sources(self) -> list[str]:
        return list(self._sources)

    def line_count(self, source: str) -> int:
        st = self._sources.get(source)
        return len(st.clusters) if st else 0

    def boilerplate_count(self, source: str) -> int:
        st = self._sources.get(source)
        if st is None:
            return 0
        return sum(1 for c in st.clusters.values() if c.df >= self.min_pages)

    # -- core -------------------------------------------------------------------------------

    def _features(self, paragraphs: Sequence[str]) -> list[_Feature | None]:
        """Per paragraph: (exact hash, signature, word count, band keys); None when not a line.

        Signature and band keys are None for lines under 3 words (exact match only). The
        result for the last page is memoised: the finisher strips, then learns, the same
        paragraphs.
        """
        key = tuple(paragraphs)
        if self._memo is not None and self._memo[0] == key:
            return self._memo[1]
        fast = self._features_compiled(paragraphs)
        if fast is not None:
            _key_figures(paragraphs, fast)
            self._memo = (key, fast)
            return fast
        out: list[_Feature | None] = []
        sig_rows: list[int] = []
        sig_tokens: list[list[bytes]] = []
        limit = self.max_words
        for i, p in enumerate(paragraphs):
            if p.count(" ") >= limit * 2:
                out.append(None)  # far too long to be furniture: do not even tokenise
                continue
            t = _tokens(p)
            n = len(t)
            if n > limit:
                out.append(None)
                continue
            alpha = n - t.count(b"0")  # digit runs are masked to a single 0
            if alpha == 0 or (alpha == 1 and n > 1):
                # a bare number or time ("8,200", "1400 GMT"): content that digit masking
                # would make look alike
                out.append(None)
                continue
            exact = int.from_bytes(hashlib.blake2b(b" ".join(t), digest_size=8).digest(), "little")
            out.append((exact, None, n, None))
            if n >= 3:
                sig_rows.append(i)
                sig_tokens.append(t)
        if sig_rows:
            sigs, bands = _signatures(sig_tokens)
            blob = sigs.tobytes()
            width = NUM_PERM * 4
            for row, i in enumerate(sig_rows):
                f = out[i]
                assert f is not None
                sig = blob[row * width : (row + 1) * width]
                out[i] = (f[0], sig, f[2], tuple(bands[row]))
        _key_figures(paragraphs, out)
        self._memo = (key, out)
        return out

    def _features_compiled(self, paragraphs: Sequence[str]) -> list[_Feature | None] | None:
        """:meth:`_features` in one compiled pass (the same values), or ``None`` when it cannot
        run: numba not loaded yet (see :mod:`._scan`), or text that is not ASCII after the
        stand-ins."""
        kernel = _scan.line_kernel()
        if kernel is None:
            return None
        raw = _scan.ascii_lines(paragraphs)
        if raw is None:
            return None
        m = len(paragraphs)
        if raw.count(b"\n") != m - 1:
            return None  # a paragraph with a line break of its own
        seg = np.empty((m, 4), dtype=np.int64)
        sigs = np.empty((m, NUM_PERM), dtype=np.uint32)
        bands = np.empty((m, BANDS), dtype=np.uint64)
        norm = np.empty(len(raw) + 1, dtype=np.uint8)
        a, b = _perms_rows()
        kernel(
            np.frombuffer(raw, dtype=np.uint8), _TOKEN_TABLE_NL, a.ravel(), b.ravel(),
            _BAND_POWERS, _BAND_BASE, self.max_words, norm, seg, sigs, bands,
        )  # fmt: skip
        nb = norm.tobytes()
        blob = sigs.tobytes()
        band_rows = bands.tolist()
        width = NUM_PERM * 4
        blake = hashlib.blake2b
        out: list[_Feature | None] = []
        for r, (status, n, lo, hi) in enumerate(seg.tolist()):
            if not status:
                out.append(None)
                continue
            exact = int.from_bytes(blake(nb[lo:hi], digest_size=8).digest(), "little")
            if status == 1:
                out.append((exact, None, n, None))
            else:
                out.append((exact, blob[r * width : (r + 1) * width], n, tuple(band_rows[r])))
        return out

    def _find(
        self, st: _Source, exact: int, sig: bytes | None, bands: tuple[int, ...] | None
    ) -> _Cluster | None:
        cid = st.exact.get(exact)
        if cid is not None:
            return st.clusters.get(cid)
        if sig is None or bands is None or not st.bands:
            return None
        hits = [c for c in map(st.bands.get, bands) if c is not None]
        if not hits:
            return None
        mine = np.frombuffer(sig, dtype=np.uint32)
        best: _Cluster | None = None
        best_sim = 0.0
        for cid in hits:
            c = st.clusters.get(cid)
            if c is None or c.sig is None:
                continue
            sim = float(np.count_nonzero(np.frombuffer(c.sig, dtype=np.uint32) == mine)) / NUM_PERM
            if sim >= self.near_threshold and sim > best_sim:
                best, best_sim = c, sim
        return best

    def _find_all(
        self, source: str, st: _Source, feats: list[_Feature | None]
    ) -> list[_Cluster | None]:
        """:meth:`_find` for every feature; memoised until the next :meth:`learn`."""
        memo = self._found
        if memo is not None and memo[0] == source and memo[1] is st and memo[2] is feats:
            return memo[3]
        found: list[_Cluster | None] = []
        exact_cid = st.exact.get
        clusters = st.clusters
        bands_get = st.bands.get
        for f in feats:
            if f is None:
                found.append(None)
                continue
            cid = exact_cid(f[0])
            if cid is not None:
                found.append(clusters.get(cid))
            elif f[3] is None or all(c is None for c in map(bands_get, f[3])):
                found.append(None)  # no exact match and no LSH band hit: what _find says
            else:
                found.append(self._find(st, f[0], f[1], f[3]))
        self._found = (source, st, feats, found)
        return found

    def strip(self, source: str, paragraphs: Sequence[str]) -> list[str]:
        """``paragraphs`` without the source's learned boilerplate (never most of their words)."""
        st = self._sources.get(source)
        if st is None or not paragraphs:
            return list(paragraphs)
        feats = self._features(paragraphs)
        found = self._find_all(source, st, feats)
        min_pages = self.min_pages
        kept = [p for p, c in zip(paragraphs, found, strict=True) if c is None or c.df < min_pages]
        if len(kept) == len(paragraphs):
            return list(paragraphs)
        # prose is furniture only where a footer is, after the pages' own text: a story's
        # lede that "news in brief" roundups quote is seen in as many stories as a footer is
        kept = [
            p
            for p, c in zip(paragraphs, found, strict=True)
            if c is None or c.df < min_pages or (c.tail < min_pages and _is_prose(p))
        ]
        if len(kept) == len(paragraphs):
            return list(paragraphs)
        # never most of an article: lines that are the article's own content (a results item's
        # figure lines, a template's filled-in fields) can look learned; if stripping would
        # take more than half of the words, the page is returned as it is
        if 2 * sum(len(p.split()) for p in kept) < sum(len(p.split()) for p in paragraphs):
            return list(paragraphs)
        return kept

    def is_boilerplate(self, source: str, paragraph: str) -> bool:
        st = self._sources.get(source)
        if st is None:
            return False
        f = self._features([paragraph])[0]
        if f is None:
            return False
        c = self._find(st, f[0], f[1], f[3])
        return (
            c is not None
            and c.df >= self.min_pages
            and (c.tail >= self.min_pages or not _is_prose(paragraph))
        )

    def learn(self, source: str, paragraphs: Sequence[str]) -> None:
        """Count the lines of one page of ``source``."""
        if not paragraphs:
            return
        st = self._sources.get(source)
        if st is None:
            st = _Source()
            self._sources[source] = st
            while len(self._sources) > self.max_sources:
                self._sources.popitem(last=False)
        else:
            self._sources.move_to_end(source)
        st.pages += 1
        feats = self._features(paragraphs)
        found = self._find_all(source, st, feats)
        self._found = None  # the counts change below
        # Story context: the longest paragraphs of the page that are not known boilerplate.
        ranked = sorted(
            (
                (f[2], f[0])
                for f, c in zip(feats, found, strict=True)
                if f is not None and not (c is not None and c.df >= self.min_pages)
            ),
            reverse=True,
        )
        longest = [h for _, h in ranked[: _CTX_SIZE + 1]]
        # a line's story context: the longest other paragraphs (the same for most lines)
        masked = [h & _MASK32 or 1 for h in longest]
        contexts = {
            h: tuple(x for h2, x in zip(longest, masked, strict=True) if h2 != h)[:_CTX_SIZE]
            for h in longest
        }
        default_ctx = tuple(masked[:_CTX_SIZE])
        packed: dict[tuple[int, ...], bytes] = {}  # ctx -> its packed record

        def pack(ctx: tuple[int, ...]) -> bytes:
            rec = packed.get(ctx)
            if rec is None:
                rec = packed[ctx] = _CTX_STRUCT.pack(*ctx, *([0] * (_CTX_SIZE - len(ctx))))
            return rec

        min_pages = self.min_pages
        page = st.pages
        seen: set[int] = set()
        # where the page's own text ends: its last paragraph of prose not seen before (a page
        # without any says nothing about where its lines stand)
        own_end = max(
            (i for i, (p, c) in enumerate(zip(paragraphs, found, strict=True))
             if c is None and _is_prose(p)),
            default=len(paragraphs),
        )  # fmt: skip
        for i, (f, c) in enumerate(zip(feats, found, strict=True)):
            if f is None:
                continue
            exact, sig, nwords, bands = f
            ctx = contexts.get(exact, default_ctx)
            if c is None:
                # a new line: seen in one story, this one (what the steps below would do)
                c = self._add(st, exact, sig, nwords)
                if nwords <= _SHORT_LINE_WORDS:
                    self._index_bands(st, c, bands)
                seen.add(id(c))
                c.df = 1
                c.contexts = pack(ctx)
                c.tail = int(i > own_end)
                continue
            if id(c) in seen:
                continue
            seen.add(id(c))
            c.last = page
            if i > own_end and c.tail < _TAIL_CAP:
                c.tail += 1
            if c.df >= min_pages:
                # known boilerplate: count sightings (for eviction order), stop telling stories
                c.df = min(c.df + 1, _DF_CAP)
                c.contexts = b""
                continue
            if self._new_story(c, ctx):
                c.df += 1
                c.contexts += pack(ctx)
                if c.df == 2 and f[2] > _SHORT_LINE_WORDS:
                    self._index_bands(st, c, bands if c.sig == sig else None)
        if len(st.clusters) > self.max_lines_per_source:
            self._evict(st)

    @staticmethod
    def _new_story(c: _Cluster, ctx: tuple[int, ...]) -> bool:
        """Whether ``ctx`` shows a story this line was not yet seen in."""
        if not c.contexts:
            return True
        if not ctx:
            return False
        need = min(_CTX_SAME_STORY, len(ctx))
        s = set(ctx)
        for packed in _CTX_STRUCT.iter_unpack(c.contexts):
            old = [h for h in packed if h]
            if old and len(s.intersection(old)) >= min(need, len(old)):
                return False
        return True

    @staticmethod
    def _add(st: _Source, exact: int, sig: bytes | None, words: int) -> _Cluster:
        cid = st.next_id
        st.next_id += 1
        c = _Cluster(cid, exact, sig, words, st.pages)
        st.clusters[cid] = c
        st.exact[exact] = cid
        return c

    @staticmethod
    def _index_bands(st: _Source, c: _Cluster, bands: Sequence[int] | None = None) -> None:
        """Make ``c`` findable by near matches (``bands``: its band keys, when known)."""
        if c.sig is not None:
            c.indexed = True
            for bk in bands if bands is not None else _band_keys(c.sig):
                st.bands.setdefault(bk, c.cid)

    def _evict(self, st: _Source) -> None:
        target = self.max_lines_per_source - max(1, self.max_lines_per_source // 10)
        # the rarest, least recently seen, oldest: a partial sort of plain tuples
        clusters = st.clusters
        keys = heapq.nsmallest(
            len(clusters) - target, [(c.df, c.last, cid) for cid, c in clusters.items()]
        )
        victims = [(cid, clusters[cid]) for _, _, cid in keys]
        # only clusters that were indexed can own band keys
        signed = [c.sig for _, c in victims if c.indexed and c.sig is not None]
        band_rows = iter(_band_keys_of(signed)) if signed else iter(())
        for cid, c in victims:
            del st.clusters[cid]
            if st.exact.get(c.exact) == cid:
                del st.exact[c.exact]
            if c.indexed and c.sig is not None:
                for bk in next(band_rows):
                    if st.bands.get(bk) == cid:
                        del st.bands[bk]

    # -- persistence ------------------------------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        return {
            "scheme": SCHEME,
            "num_perm": NUM_PERM,
            "bands": BANDS,
            "rows": ROWS,
            "seed": SEED,
        }

    def _header(self) -> dict[str, Any]:
        return {
            "settings": self._settings(),
            "min_pages": self.min_pages,
            "max_sources": self.max_sources,
            "max_lines_per_source": self.max_lines_per_source,
            "max_words": self.max_words,
            "near_threshold": self.near_threshold,
        }

    def to_bytes(self) -> bytes:
        """The whole model, versioned: ``WIBOILER``, the format version, then (format 2) a
        length-prefixed JSON header with the settings and the sources, and the clusters of
        all sources as little-endian arrays (exact hash, words, df, last seen, signature
        flag, context lengths; then the signatures and the contexts). Binary because it is
        saved every 30 seconds and on close: ten times faster than JSON."""
        clusters = [c for st in self._sources.values() for c in st.clusters.values()]
        head = self._header()
        head["sources"] = [
            {"source": name, "pages": st.pages, "clusters": len(st.clusters)}
            for name, st in self._sources.items()
        ]
        hb = json.dumps(head, separators=(",", ":")).encode("utf-8")
        sigs = [c.sig for c in clusters if c.sig is not None]
        ctx = [c.contexts for c in clusters]
        parts = [
            MAGIC,
            bytes([FORMAT_VERSION]),
            struct.pack("<I", len(hb)),
            hb,
            np.array([c.exact for c in clusters], dtype="<u8").tobytes(),
            np.array([[min(c.words, 0xFFFF) | c.tail << 16, c.df, c.last, len(x)]
                      for c, x in zip(clusters, ctx, strict=True)],
                     dtype="<u4").reshape(-1, 4).tobytes(),
            bytes(c.sig is not None for c in clusters),
            np.frombuffer(b"".join(sigs), dtype=np.uint32).astype("<u4").tobytes(),
            b"".join(ctx),
        ]  # fmt: skip
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> BoilerplateModel:
        """Reload a model written by :meth:`to_bytes`; ``ValueError`` if it cannot be used."""
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 1:
            raise ValueError("not a wireingest boilerplate model (bad magic header)")
        version = data[len(MAGIC)]
        if version == 1:
            return cls._from_json(data)
        if version not in (2, FORMAT_VERSION):  # 2: the same layout, figure lines masked
            raise ValueError(
                f"boilerplate model format {version} is not supported (expected "
                f"{FORMAT_VERSION}); delete the state to rebuild it"
            )
        try:
            parts = _read_format2(memoryview(data)[len(MAGIC) + 1 :])
        except (struct.error, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"corrupt boilerplate model: {exc}") from exc
        return cls._from_binary(*parts, version=version)

    @classmethod
    def _with_header(cls, doc: dict[str, Any]) -> BoilerplateModel:
        model = cls(
            min_pages=int(doc["min_pages"]),
            max_sources=int(doc["max_sources"]),
            max_lines_per_source=int(doc["max_lines_per_source"]),
            max_words=int(doc["max_words"]),
            near_threshold=float(doc["near_threshold"]),
        )
        if doc.get("settings") != model._settings():
            raise ValueError(
                "boilerplate model was written with other MinHash settings "
                f"({doc.get('settings')}); delete the state to rebuild it"
            )
        return model

    @classmethod
    def _from_binary(
        cls, head: dict[str, Any], exact: list[int], meta: list[list[int]], flags: bytes,
        sig_blob: bytes, ctx_blob: bytes, *, version: int = FORMAT_VERSION,
    ) -> BoilerplateModel:  # fmt: skip
        model = cls._with_header(head)
        width = NUM_PERM * 4
        k = 0
        s_at = 0
        c_at = 0
        for src in head["sources"]:
            st = _Source()
            st.pages = int(src["pages"])
            for _ in range(int(src["clusters"])):
                words_, df, last, clen = meta[k]
                sig = None
                if flags[k]:
                    sig = sig_blob[s_at : s_at + width]
                    s_at += width
                tail = words_ >> 16 if version >= 3 else _TAIL_CAP  # format 2 had no tail counts
                model._restore(
                    st, exact[k], sig, words_ & 0xFFFF, df, last, ctx_blob[c_at : c_at + clen], tail
                )
                c_at += clen
                k += 1
            model._sources[str(src["source"])] = st
        return model

    def _restore(
        self, st: _Source, exact: int, sig: bytes | None, words: int, df: int, last: int,
        contexts: bytes, tail: int = _TAIL_CAP,
    ) -> None:  # fmt: skip
        """Put back one saved cluster, indexed as :meth:`learn` had indexed it."""
        c = self._add(st, exact, sig, words)
        c.df, c.last, c.contexts, c.tail = df, last, contexts, tail
        if c.df >= 2 or (c.sig is not None and c.words <= _SHORT_LINE_WORDS):
            self._index_bands(st, c)

    @classmethod
    def _from_json(cls, data: bytes) -> BoilerplateModel:
        """Format 1 (zlib-compressed JSON), as earlier development versions wrote it."""
        try:
            doc = json.loads(zlib.decompress(data[len(MAGIC) + 1 :]).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"corrupt boilerplate model: {exc}") from exc
        model = cls._with_header(doc)
        for src in doc["sources"]:
            st = _Source()
            st.pages = int(src["pages"])
            for exact, sig_hex, nwords, df, last, contexts in src["clusters"]:
                sig = bytes.fromhex(sig_hex) if sig_hex else None
                model._restore(
                    st, int(exact), sig, int(nwords), int(df), int(last), bytes.fromhex(contexts)
                )
            model._sources[str(src["source"])] = st
        return model
