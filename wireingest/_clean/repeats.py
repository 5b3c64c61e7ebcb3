"""In-page repetition: a page that carries its article (or parts of it) more than once.

Scraped agency pages often hold a second copy of the story (print view, AMP block, a
"mobile" twin) after the first one, sometimes with one line changed or an extra sentence.
:func:`remove_repeats` keeps each paragraph once, at its first position, with the text of its
most complete copy:

1. **Exact repeats** by paragraph key (case, punctuation and spacing ignored).
2. **Near repeats** by word 3-gram shingles. Candidates are earlier paragraphs that share the
   first or the last four words, or the first four words of a sentence (an index of these
   anchors costs next to nothing, so an article without repeats pays almost nothing); an
   extended, shortened, edited, split or merged copy keeps some of them. Candidates are
   verified by exact Jaccard of the shingle sets: a later paragraph matches an earlier one at
   Jaccard >= 0.7, or when one contains >= 90% of the other's shingles (an extended copy;
   the smaller one must have 15+ words, so headings and short pull quotes do not count).
   At page scale this exact index is cheaper than MinHash signatures and has no estimation
   error; MinHash/LSH is used across pages, in :mod:`.boilerplate`, where memory must stay
   bounded. Only paragraphs of 8+ words take part; short lines match exactly or not at all.
   First one cheap pass over the whole page collects a superset of all anchors (a bytes table
   and one regex for plain text); when no two paragraphs share one, which is the usual case,
   there is no candidate and this step is skipped.
3. **Changed lines inside a repeated block**: an unmatched paragraph ``X`` in a second copy
   ``A X C`` of ``A B C`` is the changed copy of ``B`` when at least three aligned repeats
   surround it on both sides together (with one after it), or when two do and ``X`` shares
   Jaccard >= 0.3 with ``B``. Templated pages (an interview asking everyone the same
   questions) have lone repeats between different answers and are left alone.
4. Short paragraphs (under 5 words) that repeat exactly are dropped only when they sit next to
   another repeat (part of a repeated block); a lone repeated ``0-0`` in a results list stays.

Of all copies of a paragraph, the one with most words (ties: the first) is kept, at the
position of the first copy. A later paragraph that contains several earlier ones (a copy
whose paragraphs were merged) replaces the first of them and absorbs the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from wireingest._clean.junk import paragraph_key
from wireingest._meta._ascii import ascii_standin

__all__ = ["remove_repeats"]

NEAR_THRESHOLD = 0.7
CONTAINMENT_THRESHOLD = 0.9
MIN_NEAR_WORDS = 8
MIN_LONE_WORDS = 5
ANCHOR_WORDS = 4
ANCHOR_WINDOW = 80  # characters after a sentence start that its anchor is taken from
MIN_CONTAINED_SHINGLES = 13  # about 15 words
EDGE_THRESHOLD = 0.3
MIN_BLOCK_ALIGNED = 3


def _grams(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    k = 3 if len(tokens) >= 8 else 2 if len(tokens) >= 3 else 1
    if k == 3:
        return set(zip(tokens, tokens[1:], tokens[2:], strict=False))
    if k == 2:
        return set(pairwise(tokens))
    return {(t,) for t in tokens}


# Sentence ends: the punctuation is part of the match (not a look-behind) so that the regex
# engine can skip ahead to it; the match ends, where a sentence starts, are the same.
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'»”’)\]]*\s+(?=\S)")


def _anchors(key: str, text: str) -> set[str]:
    """Head and tail words of a paragraph, plus the head words of each of its sentences."""
    head = key.split(" ", ANCHOR_WORDS)[:ANCHOR_WORDS]
    tail = key.rsplit(" ", ANCHOR_WORDS)[-ANCHOR_WORDS:]
    out = {"<" + " ".join(head), ">" + " ".join(tail)}
    for m in _SENTENCE_END_RE.finditer(text):
        words = paragraph_key(text[m.end() : m.end() + ANCHOR_WINDOW]).split(" ", ANCHOR_WORDS)
        if len(words) >= ANCHOR_WORDS:
            out.add("<" + " ".join(words[:ANCHOR_WORDS]))
    return out


# For ASCII paragraphs whose whitespace is single spaces, joined by newlines: sentence
# punctuation and closers become 0x01, letters lower case, digits stay, a newline stays (it
# parts the paragraphs), anything else is a space. A sentence start is then right after
# ``\x01 `` (a closer that ends no sentence only adds an anchor); the pattern starts with that
# literal so the engine can jump to it. The look-ahead captures the text from the sentence
# start to the end of its fourth word, and the four words; it never crosses a newline.
_GATE_BYTES = bytes(
    (
        0x01
        if chr(c) in ".!?\"')]"
        else c
        if c == 0x0A
        else ord(chr(c).lower())
        if chr(c).isalnum()
        else 0x20
    )
    if c < 0x80
    else 0x20
    for c in range(256)
)
_GATE_RE = re.compile(
    r"\x01 (?=([\x01 ]*([a-z0-9]+)[\x01 ]+([a-z0-9]+)[\x01 ]+([a-z0-9]+)[\x01 ]+([a-z0-9]+)))"
)

_Anchor = tuple[str, ...] | str  # a head/sentence anchor's 4 words, or a tail anchor's text


def _shares_anchor(
    paragraphs: Sequence[str],
    keys: Sequence[str],
    nwords: Sequence[int],
    match: list[int],
    normalised: bool,
) -> bool:
    """Whether two paragraphs that :func:`_near_matches` looks at may share an anchor.

    Without a shared anchor there is no candidate to verify, so :func:`_near_matches` would
    change nothing (the usual case: an article without repeats). This collects a superset of
    all their :func:`_anchors` at once: for plain (normalised ASCII) paragraphs one regex over
    all of them (typographic punctuation read as ASCII, see :mod:`wireingest._meta._ascii`)
    finds every sentence start (and a few other places) with its next four words,
    keyed within :func:`_anchors`' 80-character window; other paragraphs get
    :func:`_anchors` itself. A repeat inside one paragraph only makes the answer a false yes.
    """
    found: list[_Anchor] = []
    plain: list[str] = []
    looked_at = 0
    for j, key in enumerate(keys):
        if match[j] >= 0 or nwords[j] < MIN_NEAR_WORDS:
            continue
        looked_at += 1
        text = paragraphs[j]
        plain_text = (text if text.isascii() else ascii_standin(text)) if normalised else None
        if plain_text is not None:
            plain.append(plain_text)
            found.append(tuple(key.split(" ", ANCHOR_WORDS)[:ANCHOR_WORDS]))
            found.append(" ".join(key.rsplit(" ", ANCHOR_WORDS)[-ANCHOR_WORDS:]))
        else:
            for a in _anchors(key, text):
                found.append(tuple(a[1:].split(" ")) if a[0] == "<" else a[1:])
    if looked_at < 2:
        return False
    if plain:
        marked = "\n".join(plain).encode("ascii").translate(_GATE_BYTES).decode("ascii")
        heads = _GATE_RE.findall(marked)  # (text from the sentence start, 4 words)
        found.extend([h[1:] for h in heads if len(h[0]) <= ANCHOR_WINDOW])
        for h in heads:
            if len(h[0]) > ANCHOR_WINDOW:  # _anchors' window may cut the fourth word
                words = h[0][:ANCHOR_WINDOW].replace("\x01", " ").split()
                if len(words) >= ANCHOR_WORDS:
                    found.append(tuple(words[:ANCHOR_WORDS]))
    return len(set(found)) < len(found)


def _near_matches(
    paragraphs: Sequence[str], keys: Sequence[str], nwords: Sequence[int], match: list[int]
) -> None:
    """Match unmatched long paragraphs to earlier ones that share head, tail or sentence words.

    A later paragraph that contains several earlier ones (the first copy split into more
    paragraphs than the second) absorbs all of them.
    """
    owners: dict[str, list[int]] = {}
    grams: dict[int, set[tuple[str, ...]]] = {}

    def grams_of(i: int) -> set[tuple[str, ...]]:
        g = grams.get(i)
        if g is None:
            g = grams[i] = _grams(keys[i].split())
        return g

    for j, key in enumerate(keys):
        if match[j] >= 0 or nwords[j] < MIN_NEAR_WORDS:
            continue
        anchors = _anchors(key, paragraphs[j])
        cands = {q for a in anchors for q in owners.get(a, ())}
        best, best_sim = -1, 0.0
        inside: list[int] = []  # earlier paragraphs wholly contained in this one
        for q in sorted(cands):
            g, other = grams_of(j), grams_of(q)
            inter = len(g & other)
            if not inter:
                continue
            sim = inter / (len(g) + len(other) - inter)
            small = min(len(g), len(other))
            # containment counts only for a substantial smaller copy: a heading or a one-line
            # pull quote that reappears inside a paragraph is not a copy of that paragraph
            cont = inter / small if small >= MIN_CONTAINED_SHINGLES else 0.0
            if (sim >= NEAR_THRESHOLD or cont >= CONTAINMENT_THRESHOLD) and sim > best_sim:
                best, best_sim = q, sim
            if MIN_CONTAINED_SHINGLES <= len(other) < len(
                g
            ) and inter >= CONTAINMENT_THRESHOLD * len(other):
                inside.append(q)
        if best >= 0:
            match[j] = best
            for q in inside:
                if q > best and match[q] < 0:
                    match[q] = best
        for a in anchors:
            owners.setdefault(a, []).append(j)


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = _grams(a), _grams(b)
    inter = len(sa & sb)
    return inter / (len(sa) + len(sb) - inter) if inter else 0.0


def _root(match: list[int], i: int) -> int:
    while match[i] >= 0:
        i = match[i]
    return i


def remove_repeats(
    paragraphs: Sequence[str],
    keys: Sequence[str] | None = None,
    *,
    normalised: bool = False,
    anchors_shared: bool | None = None,
) -> list[str]:
    """``paragraphs`` with repeated (exact or near) paragraphs and blocks kept once.

    ``keys`` are the paragraphs' :func:`~wireingest._clean.junk.paragraph_key` values when the
    caller already has them; ``normalised`` says that the paragraphs went through
    :func:`~wireingest._clean.junk.normalise_paragraph` (single spaces: a faster path).
    ``anchors_shared=True``: the caller knows that no two paragraphs have the same key and that
    two share a near-repeat anchor (what :func:`_shares_anchor` would find out).
    """
    n = len(paragraphs)
    if n < 2:
        return list(paragraphs)
    if keys is None:
        keys = [paragraph_key(p) for p in paragraphs]
    nwords = [k.count(" ") + 1 if k else 0 for k in keys]
    match = [-1] * n
    first: dict[str, int] = {}
    for j, k in enumerate(keys):
        if not k:
            continue
        i = first.setdefault(k, j)
        if i != j:
            match[j] = i
    if anchors_shared or _shares_anchor(paragraphs, keys, nwords, match, normalised):
        _near_matches(paragraphs, keys, nwords, match)
    if max(match) < 0:
        return list(paragraphs)  # nothing repeats: the steps below would keep every paragraph

    # Short exact repeats count only inside a repeated block (next to another repeat).
    strong = [match[j] >= 0 and nwords[j] >= MIN_LONE_WORDS for j in range(n)]
    for _ in range(3):
        changed = False
        for j in range(n):
            if (
                match[j] >= 0
                and not strong[j]
                and ((j > 0 and strong[j - 1]) or (j + 1 < n and strong[j + 1]))
            ):
                strong[j] = True
                changed = True
        if not changed:
            break
    for j in range(n):
        if match[j] >= 0 and not strong[j]:
            match[j] = -1

    # A changed line inside a repeated block: A B C ... A X C  ->  X is a copy of B.
    for j in range(1, n):
        if match[j] >= 0 or not keys[j]:
            continue
        prev = match[j - 1]
        if prev < 0:
            continue
        c = prev + 1
        if c >= j - 1 or match[c] >= 0 or not keys[c]:
            continue
        left = 0
        while left < j and match[j - 1 - left] == c - 1 - left and c - 1 - left >= 0:
            left += 1
        right = 0
        while j + 1 + right < n and match[j + 1 + right] == c + 1 + right:
            right += 1
        aligned = left + right
        if aligned >= MIN_BLOCK_ALIGNED and right:
            match[j] = c
        elif aligned >= 2 and _jaccard(keys[c].split(), keys[j].split()) >= EDGE_THRESHOLD:
            # a short block, or the end of one: accept only a recognisably similar line
            match[j] = c

    groups: dict[int, list[int]] = {}
    for j in range(n):
        if match[j] >= 0:
            groups.setdefault(_root(match, j), []).append(j)
    out: list[str] = []
    for i in range(n):
        if match[i] >= 0:
            continue
        members = groups.get(i)
        if not members:
            out.append(paragraphs[i])
            continue
        best = i
        for j in members:
            if nwords[j] > nwords[best]:
                best = j
        out.append(paragraphs[best])
    return out
