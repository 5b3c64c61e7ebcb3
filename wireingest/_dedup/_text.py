"""Text side of dedup: normalisation, paragraphs, tokens and the shingle hash.

Functional core only (no state). The fast array kernels in :mod:`._kernels` must give exactly the
hashes the reference functions here give; the tests check that.

Normalisation
    Unicode NFKC, then ``str.casefold``. A *word character* is any code point of Unicode category
    L* (letters), M* (combining marks, so Devanagari or Thai vowel signs stay inside words) or N*
    (digits and other numerals). Everything else (punctuation, symbols, whitespace) separates
    tokens, so ``"Don’t"``, ``"don't"`` and ``"DON T"`` give the same tokens. Code points above
    the Basic Multilingual Plane count as word characters.

Tokens
    ``word`` mode: maximal runs of word characters. ``char`` mode (Chinese, Japanese, Thai, Lao,
    Khmer, Burmese; chosen per article language, or by script when the language is unknown):
    every word character is a token.

Shingles
    Overlapping n-grams of tokens; a text with fewer tokens than ``n`` has one shingle of all its
    tokens, and a text with no tokens has none.

OCR folding (``DedupConfig(ocr_fold=True)``, the default; :func:`ocr_fold`)
    For reprints scanned from paper: before tokenisation, a text in Latin script (every code
    point below U+0250, or punctuation, symbols and spaces) is folded into a form that OCR
    damage does not change. Each character folds on its own: the letters OCR reads as two are
    written as those two (``m`` as ``rn``, ``w`` as ``vv``); ``i`` and ``1`` become ``l``,
    ``c`` ``e``, ``0`` ``o``, ``b`` ``h``, ``u`` ``n``; every separator goes (so words that
    OCR joined, split or hyphenated across a line break, ``deve- lopment``, are the same)
    but the ends of sentences and paragraphs (``.``, ``!``, ``?``, newline), which end a
    token (so copies that merged paragraphs are the same); each digit from 2 to
    9 is a token of its own; and the letters are cut into tokens after every ``e``, ``a`` and
    ``o`` (after folding): content-defined chunks of about three letters, which no space
    decides. Shingles are then n-grams of those tokens. Latin letters outside Latin-1
    (``ł``) are separators; other scripts are left as they are. The engine folds the encoded
    batch in one compiled pass (:func:`ocr_fold_codes`); :func:`_fold_bytes` is the
    reference.

Figures (:func:`figure_mask`)
    A lede's figures, for the same-story test. In each maximal run of digits, ``.``, ``,`` and
    the letters OCR reads for ``0`` and ``1`` (``o``, ``l``, ``i``), the figure is the part from
    its first digit to its last, with the ``o``, ``l``, ``i`` right next to those ends when
    no letter follows them (``"5o"`` and ``"l8%"`` are OCR's ``50`` and ``18``; in
    ``"all25in"``, words OCR joined to a figure, it is 25); it is read with ``o`` as 0 and
    ``l``, ``i`` as 1, without ``.`` and ``,`` (``"1o.5"`` is 105 like ``"10.5"``). A figure
    with a letter right before and right after it is part of a word (``"air1ines"``), none.
    The first three different figures are kept, as 10-bit hashes from 1 to 1,023 (``1 +
    ((value * 0x9E3779B97F4A7C15 mod 2**64) >> 54) mod 1023``) in bits 0-9, 10-19 and 20-29
    of one 32-bit value (0: no more figures); bit 30 is set when the text ends a sentence
    (``.``, ``!``, ``?`` or their CJK forms, before closing quotes and brackets).

Hashes (all arithmetic modulo 2**64)
    token: ``fmix64(sum((cp_i + 1) * P**i) ^ (len * G))`` over the token's code points;
    shingle: ``fmix64(sum(token_j * Q[j])) >> 32``, a 32-bit value, the input datasketch's
    ``affine32`` scheme expects from a ``hashfunc``.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from wireingest._kernels.hashing import M64
from wireingest._kernels.hashing import fmix64_int as fmix64

__all__ = [
    "CHAR_LANGUAGES",
    "MAX_SHINGLE",
    "Mode",
    "ends_sentence",
    "exact_hash",
    "figure_mask",
    "figure_masks",
    "figures_of",
    "mode_for",
    "normalize",
    "ocr_fold",
    "ocr_fold_codes",
    "ocr_fold_many",
    "paragraph_key",
    "paragraph_keys",
    "shingle_hash",
    "shingles",
    "tokens",
    "word_table",
]

Mode = Literal["word", "char"]
P_TOKEN = 0x100000001B3  # odd multiplier of the token polynomial
G_LEN = 0x9E3779B97F4A7C15  # mixes the token length in
MAX_SHINGLE = 32

#: Languages written without spaces between words: shingled as character n-grams.
CHAR_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
#: Of those, alphabetic scripts whose characters carry less information: doubled n-gram size.
ALPHABETIC_CHAR_LANGUAGES = frozenset({"th", "lo", "km", "my", "bo"})


#: Per-position odd multipliers of the shingle combination (order-sensitive).
Q_SHINGLE: tuple[int, ...] = tuple(fmix64(i + 1) | 1 for i in range(MAX_SHINGLE))


@lru_cache(maxsize=1)
def word_table() -> npt.NDArray[np.uint8]:
    """1 for word characters of the Basic Multilingual Plane, 0 for separators."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] in "LMN":
            table[cp] = 1
    return table


def _is_word(cp: int) -> bool:
    return cp >= 0x10000 or bool(word_table()[cp])


_CHAR_SCRIPT = np.zeros(0x30000, dtype=bool)
for _lo, _hi in (
    (0x3040, 0x30FF),  # kana
    (0x3400, 0x4DBF),  # Han extension A
    (0x4E00, 0x9FFF),  # Han
    (0xF900, 0xFAFF),  # Han compatibility
    (0x20000, 0x2FFFF),  # Han extensions B-F
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x0F00, 0x0FFF),  # Tibetan
):
    _CHAR_SCRIPT[_lo : _hi + 1] = True


def _latin1_fold_table() -> bytes:
    """Latin-1 shortcut of :func:`normalize`: the case fold of every byte, or ``"A"`` (which
    no case fold yields) for the bytes whose NFKC form is not themselves or whose case fold is
    not one Latin-1 character."""
    fold = bytearray(range(256))
    for c in range(256):
        ch = chr(c)
        folded = ch.casefold()
        if unicodedata.normalize("NFKC", ch) != ch or len(folded) != 1 or ord(folded) > 255:
            fold[c] = ord("A")
        else:
            fold[c] = ord(folded)
    assert ord("A") not in {fold[c] for c in range(256) if chr(c).casefold() == chr(fold[c])}
    return bytes(fold)


_LATIN1_FOLD = _latin1_fold_table()


def normalize(text: str) -> str:
    """NFKC and case folding (separators are folded later, by tokenisation)."""
    if text.isascii():  # NFKC is the identity on ASCII, and casefold is lower
        return text.lower()
    # Latin-1 text without compatibility characters or "ß" is its own NFKC form (Latin-1 has
    # no combining marks, so nothing recomposes), and folds character by character into
    # Latin-1: a byte table does it several times faster than str.casefold.
    try:
        folded = text.encode("latin-1").translate(_LATIN1_FOLD)
    except UnicodeEncodeError:
        pass
    else:
        if b"A" not in folded:
            return folded.decode("latin-1")
    return unicodedata.normalize("NFKC", text).casefold()


_NON_LATIN = re.compile("[^\x00-\u024f\u2000-\u206f\u20a0-\u20cf]")
#: letters that OCR reads as two (and the reverse): written as the two, so both read the same
_OCR_PAIRS = ((b"m", b"rn"), (b"w", b"vv"))
# one bytes.translate maps the confusables and deletes every separator but the ends of
# sentences and paragraphs, which the next makes token breaks (a copy that merged or split
# paragraphs is the same text, and a byline does not run into the line after it)
_OCR_MAP = bytes.maketrans(b"icbu10", b"lehnlo")
_OCR_BREAKS = b"\n.!?"
_OCR_DELETE = bytes(c for c in range(256) if not (chr(c).isalnum() or c in _OCR_BREAKS))
_OCR_BREAK = bytes.maketrans(_OCR_BREAKS, b" " * len(_OCR_BREAKS))
_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")  # separators of a Latin text (folded as NUL)
#: a chunk (token) ends after each of these letters (after mapping)
OCR_CUTS = b"eao"
_DIGIT = re.compile(rb"([2-9])")


def _fold_bytes(b: bytes, cuts: bytes = OCR_CUTS) -> bytes:
    """The fold of Latin-1 bytes by whole-text passes (the reference of the kernel)."""
    for one, two in _OCR_PAIRS:
        b = b.replace(one, two)
    b = b.translate(_OCR_MAP, _OCR_DELETE).translate(_OCR_BREAK)
    for c in cuts:
        b = b.replace(bytes((c,)), bytes((c, 0x20)))
    return _DIGIT.sub(rb" \1 ", b)


def _ocr_tables(cuts: bytes = OCR_CUTS) -> npt.NDArray[np.uint8]:
    """The fold of each Latin-1 byte on its own, for the kernel: row ``c`` holds the bytes
    ``c`` becomes (up to 3) and, at index 3, their number. Every pass of :func:`_fold_bytes`
    maps one byte to bytes without looking at its neighbours, so a text's fold is the rows of
    its bytes one after the other."""
    rows = np.zeros((256, 4), dtype=np.uint8)
    for c in range(256):
        out = _fold_bytes(bytes((c,)), cuts)
        rows[c, : len(out)] = list(out)
        rows[c, 3] = len(out)
    return rows


_ocr_kernel: list[Any] = []  # [the compiled fold] once the compiled kernels are loaded


def _fold_kernel() -> Any:
    if not _ocr_kernel:
        from wireingest import _kernels

        if not _kernels.loaded():
            return None
        from wireingest._dedup import _ocr_numba

        _ocr_kernel.append(_ocr_numba)
    return _ocr_kernel[0]


def ocr_fold_codes(
    cps: npt.NDArray[Any], off: npt.NDArray[np.int64], cuts: bytes = OCR_CUTS, compact: bool = True
) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]] | None:
    """:func:`ocr_fold` of every text of an encoded batch (code points ``cps``, ``uint8`` or
    ``uint32``, texts at ``off``, as :func:`wireingest._kernels.minhash.encode_batch` gives
    them), in one compiled call: the folded code points (``uint8`` when every text is Latin
    and ``compact``, else ``uint32``) and their offsets, or ``None`` when the compiled
    kernels are not loaded."""
    kernels = _fold_kernel()
    if kernels is None:
        return None
    out_off = np.empty(len(off), dtype=np.int64)
    rows = _tables(cuts).ravel()
    out = np.empty(3 * len(cps) + 1, dtype=np.uint8 if compact else np.uint32)
    if not kernels.fold_codes(cps, off, rows, out, out_off, compact):  # a text not Latin
        out = np.empty(3 * len(cps) + 1, dtype=np.uint32)
        kernels.fold_codes(cps, off, rows, out, out_off, False)
    out.flags.writeable = False  # as encode_batch gives them: the kernels compile once
    return out[: out_off[-1]], out_off


@lru_cache(maxsize=4)
def _tables(cuts: bytes) -> npt.NDArray[np.uint8]:
    return _ocr_tables(cuts)


def ocr_fold_many(texts: Sequence[str], cuts: bytes = OCR_CUTS) -> list[str]:
    """:func:`ocr_fold` of every text; with the compiled kernels loaded, one compiled call
    folds the batch."""
    if not texts or _fold_kernel() is None:
        return [ocr_fold(t, cuts=cuts) for t in texts]
    off = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=off[1:])
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    res = ocr_fold_codes(cps, off, cuts)
    assert res is not None
    out, ends = res
    folded = out.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    e = ends.tolist()
    return [folded[e[k] : e[k + 1]] for k in range(len(texts))]


def ocr_fold(normalized: str, *, compiled: bool = True, cuts: bytes = OCR_CUTS) -> str:
    """An already normalised text in the form OCR damage does not change (see the module
    docstring); a text with letters outside the Latin script comes back as it is. Latin
    letters outside Latin-1 (``ł``, ``ő``) are dropped like separators. With the compiled
    kernels loaded (and ``compiled``) one compiled pass does it, else a few whole-text byte
    passes; both give the same text."""
    if not normalized.isascii() and _NON_LATIN.search(normalized):
        return normalized
    if compiled and normalized and _fold_kernel() is not None:
        return ocr_fold_many([normalized], cuts)[0]
    return _fold_bytes(_BEYOND_LATIN1.sub("\0", normalized).encode("latin-1"), cuts).decode(
        "latin-1"
    )


def mode_for(language: str | None, normalized: str) -> Mode:
    """``char`` for languages without spaces; for an unknown language, by script.

    With no language, a text is shingled by characters when more than 30 % of its first 2,000
    word characters are Han, kana, Thai, Lao, Khmer, Burmese or Tibetan.
    """
    if language:
        return "char" if language.lower()[:2] in CHAR_LANGUAGES else "word"
    sample = normalized[:2000]
    if sample.isascii():
        return "word"
    cps = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word = (cps >= 0x10000) | (word_table()[np.minimum(cps, 0xFFFF)] == 1)
    n_word = int(word.sum())
    if not n_word:
        return "word"
    n_char = int((word & _CHAR_SCRIPT[np.minimum(cps, 0x2FFFF)]).sum())
    return "char" if n_char * 10 > n_word * 3 else "word"


def size_for(language: str | None, mode: Mode, word_size: int, char_size: int) -> int:
    """The n-gram size for one article."""
    if mode == "word":
        return word_size
    if language and language.lower()[:2] in ALPHABETIC_CHAR_LANGUAGES:
        return min(2 * char_size, MAX_SHINGLE)
    return char_size


def tokens(normalized: str, mode: Mode) -> list[str]:
    """Tokens of an already normalised text (reference implementation)."""
    out: list[str] = []
    cur: list[str] = []
    for ch in normalized:
        if _is_word(ord(ch)):
            if mode == "char":
                out.append(ch)
            else:
                cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def token_hash(token: str) -> int:
    """64-bit hash of one token (reference implementation)."""
    h = 0
    pw = 1
    for ch in token:
        h = (h + (ord(ch) + 1) * pw) & M64
        pw = (pw * P_TOKEN) & M64
    return fmix64(h ^ ((len(token) * G_LEN) & M64))


def shingle_hash(shingle: Sequence[str]) -> int:
    """32-bit hash of one shingle (a sequence of tokens).

    Usable as a datasketch ``hashfunc``: ``MinHash(num_perm, seed, hashfunc=shingle_hash)``
    updated with :func:`shingles` gives the signature :func:`wireingest._dedup.signatures`
    computes in bulk.
    """
    if len(shingle) > MAX_SHINGLE:
        raise ValueError(f"a shingle has at most {MAX_SHINGLE} tokens")
    acc = 0
    for j, tok in enumerate(shingle):
        acc = (acc + token_hash(tok) * Q_SHINGLE[j]) & M64
    return fmix64(acc) >> 32


def shingles(
    text: str, language: str | None = None, size: int = 5, *, ocr: bool = False
) -> list[tuple[str, ...]]:
    """The shingles of ``text`` (normalised here), as tuples of tokens, in text order.

    Word n-grams of ``size`` tokens, or character n-grams for languages written without spaces
    (then ``size`` is the character n-gram size). Reference implementation: the bulk path
    (:func:`wireingest._dedup.signatures`) never builds these tuples.
    """
    if not 1 <= size <= MAX_SHINGLE:
        raise ValueError(f"size must be between 1 and {MAX_SHINGLE}")
    norm = normalize(text)
    mode = mode_for(language, norm)
    toks = tokens(ocr_fold(norm) if ocr else norm, mode)
    if not toks:
        return []
    if len(toks) < size:
        return [tuple(toks)]
    return [tuple(toks[i : i + size]) for i in range(len(toks) - size + 1)]


def exact_hash(text: str, language: str | None = None, *, ocr: bool = False) -> int:
    """64-bit hash of the token sequence of ``text``: equal for texts that differ only in case,
    Unicode form, punctuation and whitespace (reference implementation of the kernels' hash)."""
    norm = normalize(text)
    mode = mode_for(language, norm)
    toks = tokens(ocr_fold(norm) if ocr else norm, mode)
    acc = 0
    pw = 1
    for tok in toks:
        acc = (acc + token_hash(tok) * pw) & M64
        pw = (pw * P_TOKEN) & M64
    return fmix64(acc ^ ((len(toks) * G_LEN) & M64))


def paragraph_key(normalized_paragraph: str) -> int:
    """32-bit key of a normalised paragraph (in-page repetition and the boilerplate model)."""
    return zlib.crc32(normalized_paragraph.strip().encode("utf-8", "surrogatepass"))


def paragraph_keys(paragraphs: Sequence[str]) -> list[int]:
    """:func:`paragraph_key` of many paragraphs, stripped already and without newlines: one
    encoding of them all and, with the compiled kernels loaded, one pass (a call of
    ``zlib.crc32`` costs about half a microsecond before its first byte)."""
    if not paragraphs:
        return []
    joined = "\n".join(paragraphs)
    kernels = _fold_kernel()
    if kernels is None:
        return list(map(zlib.crc32, joined.encode("utf-8", "surrogatepass").split(b"\n")))
    try:  # Latin-1 text is copied as it is (the kernel writes its UTF-8 as it reads)
        blob, latin1 = joined.encode("latin-1"), True
    except UnicodeEncodeError:
        blob, latin1 = joined.encode("utf-8", "surrogatepass"), False
    out = np.empty(len(paragraphs), dtype=np.uint32)
    kernels.crc32_lines(np.frombuffer(blob, dtype=np.uint8), _crc_tables(), out, latin1)
    keys: list[int] = out.tolist()
    return keys


@lru_cache(maxsize=1)
def _crc_tables() -> npt.NDArray[np.uint32]:
    """Slicing-by-8 tables of zlib's CRC-32 (reflected polynomial 0xEDB88320): row 0 the
    byte table, row ``k`` a byte followed by ``k`` zero bytes."""
    t = np.zeros((8, 256), dtype=np.uint32)
    for b in range(256):
        c = b
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        t[0, b] = c
    for k in range(1, 8):
        prev = t[k - 1]
        t[k] = (prev >> 8) ^ t[0, prev & 0xFF]
    return t


_FIGURE_RUN = re.compile(r"[0-9oli.,]+")
_AS_DIGITS = str.maketrans("oli", "011", ".,")
FIGURE_MULT = 0x9E3779B97F4A7C15
SENTENCE_BIT = 1 << 30
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_SENTENCE_ENDS = ".!?\u3002\uff01\uff1f"


def _is_letter(c: int) -> bool:
    """A letter, for the bounds of a figure: ``a``-``z`` or a code point from U+00C0 that is
    not ``×``, ``÷``, general punctuation or a currency sign (the text is case-folded)."""
    return 97 <= c <= 122 or (
        c >= 0xC0 and c != 0xD7 and c != 0xF7 and not 0x2000 <= c <= 0x20CF
    )


def figure_mask(normalized: str) -> int:
    """The first three figures of a normalised text (see the module docstring; 0: none) and
    whether it ends a sentence. Reference of the compiled :func:`figure_masks`."""
    kept: list[int] = []
    n = len(normalized)
    for m in _FIGURE_RUN.finditer(normalized):
        digits = [i for i in range(m.start(), m.end()) if normalized[i].isdigit()]
        if not digits:
            continue
        lo, hi = digits[0], digits[-1] + 1
        j = lo
        while j > m.start() and normalized[j - 1] in "oli":
            j -= 1
        if j < lo and not (j and _is_letter(ord(normalized[j - 1]))):
            lo = j
        k = hi
        while k < m.end() and normalized[k] in "oli":
            k += 1
        if k > hi and not (k < n and _is_letter(ord(normalized[k]))):
            hi = k
        if lo and hi < n and _is_letter(ord(normalized[lo - 1])) and _is_letter(
            ord(normalized[hi])
        ):
            continue  # inside a word
        value = int(normalized[lo:hi].translate(_AS_DIGITS)) & M64
        h = 1 + (((value * FIGURE_MULT) & M64) >> 54) % 1023
        if h not in kept:
            kept.append(h)
            if len(kept) == 3:
                break
    end = normalized.rstrip(" \n\t\r" + _CLOSERS)[-1:]
    return sum(h << (10 * i) for i, h in enumerate(kept)) | (
        SENTENCE_BIT if end and end in _SENTENCE_ENDS else 0
    )


def ends_sentence(packed: int) -> bool:
    """Whether the text of a :func:`figure_mask` ends a sentence."""
    return bool(packed & SENTENCE_BIT)


def figures_of(packed: int) -> list[int]:
    """The figure hashes :func:`figure_mask` packed into one value."""
    return [h for h in (packed & 1023, (packed >> 10) & 1023, (packed >> 20) & 1023) if h]


def figure_masks(
    cps: npt.NDArray[Any], off: npt.NDArray[np.int64], texts: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint32]:
    """:func:`figure_mask` of the texts ``texts`` of an encoded batch (code points ``cps``,
    texts at ``off``, as :func:`wireingest._kernels.minhash.encode_batch` gives them), in one
    compiled call when the compiled kernels are loaded."""
    out = np.zeros(len(texts), dtype=np.uint32)
    kernels = _fold_kernel()
    if kernels is not None:
        kernels.figure_masks(cps, off, texts, np.uint64(FIGURE_MULT), out)
        return out
    raw = cps.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    base = int(off[0])
    for r, t in enumerate(texts.tolist()):
        out[r] = figure_mask(raw[int(off[t]) - base : int(off[t + 1]) - base])
    return out
