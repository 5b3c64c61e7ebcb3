"""Deterministic generator of a labelled syndication corpus for the dedup quality benchmark.

Real base stories (the BBC News 2004-05 set and the Reuters-21578 subset in
``/work/shared/corpora``) are copied into *syndicated variants* the way outlets and aggregators
republish wire copy. Every record carries a label: the cluster it belongs to (one cluster per
real story), the kind of variant and the record it was made from.

Variant kinds (all made from one base story, all in the base's cluster):

``exact``
    A byte copy of title and body under another id, outlet and time.
``natural-exact``
    The BBC set's own byte-identical twin of a base (two file names, one text).
``outlet-wrap``
    Outlet header and footer paragraphs around the body: byline, date line, copyright,
    "Follow us on ...", related headlines.
``retyped``
    A retyped copy: 1-3 % of the words get a typo (adjacent characters swapped, a character
    dropped or doubled, the case of the first letter flipped).
``reflowed``
    The same words with paragraph boundaries moved (paragraphs merged and split, lines hard
    wrapped), straight and typographic quotes and dashes swapped, spacing changed.
``update``
    A later version: ``UPDATE n-`` before the title, one new paragraph, one sentence edited.
``doubled``
    A scraped page that holds the body twice, with a contact line, the title and a date line
    in between and a 40-48 digit tracking id at the end (like the seed page of this project).
``brief``
    A teaser: the first one or two paragraphs, sometimes cut at a word and ended with "...".

Hard negatives (each is its own cluster; merging one with anything is a false merge):

``shared-boilerplate``
    Different short stories (60-100 words, the lead of an unused real story) that all carry
    the same press-release disclaimer of about 150 words.
``same-topic``
    A different real story from the same BBC category or Reuters topic as a base, chosen as
    the unused story with the most vocabulary in common with that base.

Base stories are picked so that labels are right: every story of the pool is compared with
every other (word 5-gram containment); stories with byte-identical text form one cluster, and
stories that overlap without being identical (re-sends, rewrites) are left out entirely.

Run ``python -m benchmarks.synth --out corpora/syndication`` from the repository root.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import html
import json
import random
import re
import shutil
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "HARD_NEGATIVE_KINDS",
    "HARD_VARIANT_KINDS",
    "VARIANT_KINDS",
    "BaseStory",
    "HardConfig",
    "Record",
    "build_corpus",
    "build_hard_corpus",
    "load_bbc",
    "load_reuters",
    "main",
    "make_hard_variant",
    "make_variant",
    "ocr_noise",
    "write_corpus",
]

DEFAULT_SEED = 2005
SHARED_CORPORA = Path("/work/shared/corpora")

VARIANT_KINDS: tuple[str, ...] = (
    "exact",
    "outlet-wrap",
    "retyped",
    "reflowed",
    "update",
    "doubled",
    "brief",
)
HARD_NEGATIVE_KINDS: tuple[str, ...] = ("shared-boilerplate", "same-topic")
ALL_KINDS: tuple[str, ...] = ("base", "natural-exact", *VARIANT_KINDS, *HARD_NEGATIVE_KINDS)

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class BaseStory:
    """One real story of the pool: where it came from, its headline and its paragraphs."""

    key: str  # "bbc/tech/132" or "reuters/3007"
    corpus: str  # "bbc" or "reuters"
    topic: str  # BBC category or first Reuters topic ("" when Reuters gives none)
    title: str
    paragraphs: tuple[str, ...]
    published: datetime | None = None  # Reuters only; BBC files carry no date
    raw: bytes = b""  # the exact source text, to find byte-identical twins

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(slots=True)
class Record:
    """One corpus record: the wireingest input fields plus its label."""

    id: str
    url: str
    source: str
    title: str
    body: str
    published: str
    language: str
    cluster: str
    kind: str
    base: str  # id of the record this one was made from (its own id for bases)
    story: str  # BaseStory.key of the text it carries
    extra: dict[str, Any] = field(default_factory=dict)

    def article(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "body": self.body,
            "published": self.published,
            "language": self.language,
        }

    def label(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "cluster": self.cluster,
            "kind": self.kind,
            "base": self.base,
            "story": self.story,
        }
        out.update(self.extra)
        return out


# --------------------------------------------------------------------------------------------
# Loading the base stories


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _paragraphs(text: str) -> list[str]:
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in paras if p]


def load_bbc(root: Path) -> list[BaseStory]:
    """Read ``<category>/NNN.txt`` files: headline, blank line, body paragraphs."""
    stories: list[BaseStory] = []
    for path in sorted(root.glob("*/*.txt")):
        raw = path.read_bytes()
        text = _decode(raw).replace("\r\n", "\n")
        head, _, rest = text.strip("\n").partition("\n")
        paras = _paragraphs(rest)
        if not head.strip() or not paras:
            continue
        category = path.parent.name
        stories.append(
            BaseStory(
                key=f"bbc/{category}/{path.stem}",
                corpus="bbc",
                topic=category,
                title=head.strip(),
                paragraphs=tuple(paras),
                raw=raw,
            )
        )
    return stories


_REUTERS_DOC = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_CONTROL_REF = re.compile(r"&#(?:[0-9]|[12][0-9]|3[01]|127);")


def _tag(doc: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", doc, re.S)
    return m.group(1) if m else None


def _reuters_text(s: str) -> str:
    return html.unescape(_CONTROL_REF.sub("", s))


def load_reuters(root: Path) -> list[BaseStory]:
    """Parse the SGML ``<REUTERS>`` documents of ``reut2-*.sgm`` (those with a ``<BODY>``)."""
    stories: list[BaseStory] = []
    for path in sorted(root.glob("reut2-*.sgm")):
        sgml = path.read_bytes().decode("latin-1")
        for m in _REUTERS_DOC.finditer(sgml):
            attrs, doc = m.group(1), m.group(2)
            body = _tag(doc, "BODY")
            title = _tag(doc, "TITLE")
            if body is None or title is None:
                continue
            newid = re.search(r'NEWID="(\d+)"', attrs)
            topics = re.findall(r"<D>(.*?)</D>", _tag(doc, "TOPICS") or "")
            dateline = re.sub(r"\s+", " ", _reuters_text(_tag(doc, "DATELINE") or "")).strip()
            text = _reuters_text(body)
            text = re.sub(r"\s*\bReuter\s*$", "", text.rstrip(), flags=re.I)
            # A paragraph starts on a line indented by spaces; other lines continue it.
            paras: list[str] = []
            for line in text.split("\n"):
                if not line.strip():
                    continue
                if line.startswith(" ") or not paras:
                    paras.append(line.strip())
                else:
                    paras[-1] += " " + line.strip()
            paras = [re.sub(r"\s+", " ", p) for p in paras if p]
            if not paras:
                continue
            if dateline:
                paras[0] = f"{dateline} {paras[0]}"
            published = None
            date = _tag(doc, "DATE")
            if date:
                try:
                    published = datetime.strptime(date.strip()[:20], "%d-%b-%Y %H:%M:%S")
                    published = published.replace(tzinfo=UTC)
                except ValueError:
                    published = None
            stories.append(
                BaseStory(
                    key=f"reuters/{newid.group(1) if newid else len(stories)}",
                    corpus="reuters",
                    topic=topics[0] if topics else "",
                    title=re.sub(r"\s+", " ", _reuters_text(title)).strip(),
                    paragraphs=tuple(paras),
                    published=published,
                    raw=(title + "\n" + body).encode("utf-8"),
                )
            )
    return stories


# --------------------------------------------------------------------------------------------
# Grouping the pool: byte-identical twins and overlapping stories


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(text: str, k: int = 5) -> set[int]:
    w = words(text)
    if len(w) < k:
        return {zlib.crc32(" ".join(w).encode())} if w else set()
    return {zlib.crc32(" ".join(w[i : i + k]).encode()) for i in range(len(w) - k + 1)}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True, slots=True)
class _Pool:
    stories: list[BaseStory]
    groups: list[list[int]]  # story indices; a group is one real story (twins) or one tangle
    clean: list[bool]  # group usable: one story, or only byte-identical twins


def _group_pool(stories: Sequence[BaseStory], overlap: float = 0.3) -> _Pool:
    """Group stories that are byte-identical or share >= ``overlap`` of the shorter's 5-grams."""
    n = len(stories)
    uf = _UnionFind(n)
    by_text: dict[bytes, int] = {}
    for i, s in enumerate(stories):
        digest = hashlib.sha1(s.raw).digest()
        if digest in by_text:
            uf.union(i, by_text[digest])
        else:
            by_text[digest] = i
    sh = [_shingles(s.title + "\n" + s.body) for s in stories]
    index: dict[int, list[int]] = defaultdict(list)
    for i, sset in enumerate(sh):
        for h in sset:
            index[h].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for posting in index.values():
        if len(posting) < 2 or len(posting) > 40:  # skip stock phrases shared by many
            continue
        for a in range(len(posting)):
            for b in range(a + 1, len(posting)):
                shared[(posting[a], posting[b])] += 1
    tangled: set[int] = set()
    for (i, j), c in shared.items():
        if c / max(1, min(len(sh[i]), len(sh[j]))) >= overlap:
            uf.union(i, j)
            if stories[i].raw != stories[j].raw:
                tangled.update((i, j))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[uf.find(i)].append(i)
    groups = sorted(members.values())
    clean = [not any(i in tangled for i in g) for g in groups]
    return _Pool(list(stories), groups, clean)


# --------------------------------------------------------------------------------------------
# Outlets and text helpers

_OUTLETS: tuple[tuple[str, str], ...] = (
    ("The Northern Courier", "northerncourier.example"),
    ("Daily Ledger", "dailyledger.example"),
    ("Metro Wire Online", "metrowire.example"),
    ("The Harbour Times", "harbourtimes.example"),
    ("Valley Gazette", "valleygazette.example"),
    ("NewsNow Aggregator", "newsnow-agg.example"),
    ("Capital Evening Post", "capitalpost.example"),
    ("The Commercial Review", "commercialreview.example"),
    ("Westside Herald", "westsideherald.example"),
    ("Global Briefing", "globalbriefing.example"),
    ("The Morning Dispatch", "morningdispatch.example"),
    ("Lakeshore Tribune", "lakeshoretribune.example"),
)

_BYLINES = ("Staff", "Staff Reporter", "Wire Desk", "News Desk", "Our Correspondent", "Agencies")

_DISCLAIMERS: tuple[str, ...] = (
    "This press release contains forward-looking statements within the meaning of applicable "
    "securities laws. Such statements are based on current expectations and assumptions that "
    "are subject to risks and uncertainties, many of which are beyond the control of the "
    "company. Actual results may differ materially from those expressed or implied by these "
    "statements because of changes in market conditions, competition, regulation, interest and "
    "exchange rates, the availability of financing and other factors described in the "
    "company's most recent annual report. Readers are cautioned not to place undue reliance on "
    "forward-looking statements, which speak only as of the date of this release. The company "
    "undertakes no obligation to update or revise any forward-looking statement, whether as a "
    "result of new information, future events or otherwise, except as required by law. "
    "Trademarks mentioned in this release are the property of their respective owners.",
    "About this service: the information in this bulletin is supplied by the issuing "
    "organisation and is distributed unedited on its behalf. The distributor has not verified "
    "the accuracy or completeness of the content and accepts no liability for any loss or "
    "damage arising from its use. Nothing in this bulletin constitutes an offer, invitation or "
    "recommendation to buy or sell any security or to enter into any transaction. Opinions "
    "expressed are those of the issuer and may change without notice. Recipients should seek "
    "independent professional advice before acting on any information contained herein. "
    "Redistribution, reproduction or storage of this material in any form is prohibited "
    "without the prior written consent of the distributor. For media enquiries, subscription "
    "changes or to report an error, contact the distribution desk during normal business hours "
    "quoting the reference number shown at the top of the bulletin.",
    "Notes to editors: the organisation is an independent body established to promote public "
    "understanding and to support members through research, training and advice. It is funded "
    "by member subscriptions, grants and the sale of publications, and it does not receive "
    "direct support from government. Statements in this release reflect the views of the "
    "organisation at the date of issue and are provided for information only. Photographs and "
    "further background material are available on request from the press office, which also "
    "arranges interviews with spokespeople. Embargoed copies of reports are supplied to "
    "accredited journalists on condition that the embargo time is respected. The press office "
    "can be contacted by telephone or email during office hours, and an out-of-hours duty "
    "officer deals with urgent enquiries at weekends and on public holidays throughout the "
    "year.",
)

_UPDATE_PARAGRAPHS: tuple[str, ...] = (
    "Later on {day}, a spokesperson said further details would be made public {when}, and "
    "declined to comment on reports that the figures had been revised before publication.",
    "The announcement came as pressure grew for a fuller explanation, with critics saying "
    "the questions raised earlier in the week had still not been answered in full.",
    "Analysts said the move had been widely expected, although the timing surprised some "
    "observers, who had not expected a decision before the end of the {period}.",
    "In a statement issued on {day} evening, officials said they were aware of the reports "
    "and would respond {when}, adding that no final decision had yet been taken.",
    "Reaction was mixed. Supporters welcomed the news as long overdue, while others warned "
    "that it could take until the end of the {period} before any effect was felt.",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WHEN = ("next week", "in the coming days", "later this month", "as soon as possible")
_PERIOD = ("year", "quarter", "month", "season")

_EDITS: tuple[tuple[str, str], ...] = (
    (" said ", " told reporters "),
    (" says ", " told reporters "),
    (" has ", " had "),
    (" will ", " would "),
    (" is ", " was "),
    (" the ", " this "),
)


def _slug(title: str) -> str:
    return "-".join(words(title)[:8]) or "story"


def _fmt(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_SENT_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z0-9])")


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENT_END.split(paragraph) if s]


def _word_count(paras: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paras)


# --------------------------------------------------------------------------------------------
# The variant makers: each returns (title, body)


def _typo(rng: random.Random, w: str) -> str:
    letters = [i for i, c in enumerate(w) if c.isalpha()]
    if len(letters) < 4:
        return w
    op = rng.choice(("swap", "drop", "double", "case"))
    if op == "case":
        i = letters[0]
        c = w[i]
        return w[:i] + (c.lower() if c.isupper() else c.upper()) + w[i + 1 :]
    i = rng.choice(letters[1:-1])
    if op == "swap" and w[i + 1].isalpha() and w[i + 1] != w[i]:
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    if op == "double":
        return w[: i + 1] + w[i] + w[i + 1 :]
    return w[:i] + w[i + 1 :]


def _retype(rng: random.Random, paras: Sequence[str]) -> tuple[list[str], int]:
    rate = rng.uniform(0.01, 0.03)
    out: list[str] = []
    changed = 0
    for p in paras:
        toks = p.split(" ")
        for i, t in enumerate(toks):
            if rng.random() < rate:
                new = _typo(rng, t)
                changed += new != t
                toks[i] = new
        out.append(" ".join(toks))
    if not changed:  # a short story may draw no typo at all: force one
        for k in rng.sample(range(len(out)), len(out)):
            toks = out[k].split(" ")
            cands = [i for i, t in enumerate(toks) if _typo(random.Random(0), t) != t]
            if cands:
                i = rng.choice(cands)
                while (new := _typo(rng, toks[i])) == toks[i]:
                    pass
                toks[i] = new
                out[k] = " ".join(toks)
                changed = 1
                break
    return out, changed


_QUOTE_SWAPS = {'"': ("“", "”"), "'": ("‘", "’")}


def _curl(text: str) -> str:
    out: list[str] = []
    for i, c in enumerate(text):
        if c in _QUOTE_SWAPS:
            prev = text[i - 1] if i else " "
            opening = prev.isspace() or prev in "([{-—–"
            out.append(_QUOTE_SWAPS[c][0] if opening else _QUOTE_SWAPS[c][1])
        else:
            out.append(c)
    return "".join(out)


def _straighten(text: str) -> str:
    table: dict[str, str | int | None] = {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-"}
    return text.translate(str.maketrans(table))


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    cur = ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return "\n".join(lines)


def _reflow(rng: random.Random, paras: Sequence[str]) -> list[str]:
    ps = list(paras)
    # Move paragraph boundaries: merge some neighbours, split some paragraphs at a sentence.
    merged: list[str] = []
    for p in ps:
        if merged and rng.random() < 0.35:
            merged[-1] = merged[-1] + " " + p
        else:
            merged.append(p)
    split: list[str] = []
    for p in merged:
        sents = _sentences(p)
        if len(sents) >= 2 and rng.random() < 0.5:
            cut = rng.randrange(1, len(sents))
            split.extend([" ".join(sents[:cut]), " ".join(sents[cut:])])
        else:
            split.append(p)
    if len(split) == len(ps) and len(split) >= 2:  # make sure at least one boundary moved
        split[0:2] = [split[0] + " " + split[1]]
    text = "\n\n".join(split)
    text = _straighten(text) if any(c in text for c in "“”‘’") else _curl(text)
    text = text.replace(" - ", " – ") if rng.random() < 0.5 else text.replace(" - ", " -- ")
    if rng.random() < 0.5:
        text = re.sub(r"([.!?]) (?=[A-Z])", r"\1  ", text)
    if rng.random() < 0.5:
        width = rng.randrange(60, 80)
        text = "\n\n".join(_wrap(p, width) for p in text.split("\n\n"))
    return text.split("\n\n")


def _update(rng: random.Random, title: str, paras: Sequence[str]) -> tuple[str, list[str]]:
    n = rng.randint(1, 3)
    new_title = f"UPDATE {n}-{title}"
    ps = list(paras)
    # Edit one sentence in a paragraph other than the first.
    candidates = [i for i in range(1, len(ps)) if any(a in ps[i] for a, _ in _EDITS)] or [0]
    i = rng.choice(candidates)
    for a, b in _EDITS:
        if a in ps[i]:
            ps[i] = ps[i].replace(a, b, 1)
            break
    else:
        ps[i] = ps[i].rstrip(".") + ", officials said."
    template = rng.choice(_UPDATE_PARAGRAPHS)
    added = template.format(
        day=rng.choice(_DAYS), when=rng.choice(_WHEN), period=rng.choice(_PERIOD)
    )
    pos = rng.randint(1, len(ps))
    ps.insert(pos, added)
    return new_title, ps


def _brief(rng: random.Random, paras: Sequence[str]) -> list[str]:
    """The leading sentences of the first paragraphs (usually one or two): 35-80 words."""
    out: list[str] = []
    for p in paras[:4]:
        taken: list[str] = []
        for s in _sentences(p):
            if taken and _word_count([*out, *taken, s]) > 80:
                break
            taken.append(s)
            if _word_count([*out, *taken]) >= 35:
                break
        out.append(" ".join(taken))
        if _word_count(out) >= 35 or len(taken) < len(_sentences(p)):
            break
    if rng.random() < 0.5:
        last = out[-1].split(" ")
        if len(last) >= 12:
            keep = rng.randint(int(len(last) * 0.6), len(last) - 2)
            out[-1] = " ".join(last[:keep]) + "..."
    return out


def _date_words(ts: datetime) -> str:
    return f"{ts.day} {ts.strftime('%B %Y, %H:%M')} GMT"


def make_variant(
    rng: random.Random,
    kind: str,
    story: BaseStory,
    outlet: tuple[str, str],
    when: datetime,
    related: Sequence[str] = (),
) -> tuple[str, str]:
    """Make one syndicated variant of ``story``: returns ``(title, body)``."""
    name, domain = outlet
    title, paras = story.title, list(story.paragraphs)
    if kind == "exact":
        return title, story.body
    if kind == "outlet-wrap":
        head = [
            rng.choice(
                (
                    f"By {rng.choice(_BYLINES)} | Published {_date_words(when)}",
                    f"{name} | {_date_words(when)}",
                    f"Published: {when:%d/%m/%Y %H:%M} | By {rng.choice(_BYLINES)}",
                )
            )
        ]
        if rng.random() < 0.5:
            head.insert(0, name)
        foot = [f"Copyright {when.year} {name}. All rights reserved."]
        if rng.random() < 0.7:
            foot.append(
                rng.choice(("Follow us on Twitter", "Follow us on Facebook"))
                + f" and at {domain} for the latest news."
            )
        if related:
            foot.append("Related stories:")
            foot.extend(related)
        if rng.random() < 0.5:
            foot.append(
                "This material may not be published, broadcast, rewritten or redistributed."
            )
        return title, "\n\n".join([*head, *paras, *foot])
    if kind == "retyped":
        new, _ = _retype(rng, paras)
        return title, "\n\n".join(new)
    if kind == "reflowed":
        return title, "\n\n".join(_reflow(rng, paras))
    if kind == "update":
        t, new = _update(rng, title, paras)
        return t, "\n\n".join(new)
    if kind == "doubled":
        contact = rng.choice(
            (
                f"Have a question or a comment? Write to our newsroom at newsroom@{domain}",
                f"Questions, remarks, suggestions? Contact the {name} editorial team by email "
                f"at desk@{domain}",
            )
        )
        tracking = str(rng.randint(1, 9)) + "".join(
            str(rng.randint(0, 9)) for _ in range(rng.randint(39, 47))
        )
        dateline = f"{name} | Published {when:%Y-%m-%d at %H:%M}"
        return title, "\n\n".join([*paras, contact, title, dateline, *paras, tracking])
    if kind == "brief":
        return title, "\n\n".join(_brief(rng, paras))
    raise ValueError(f"unknown variant kind {kind!r}")


# --------------------------------------------------------------------------------------------
# Building the corpus


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    seed: int = DEFAULT_SEED
    bbc_bases: int = 300  # spread evenly over the five categories
    reuters_bases: int = 100
    natural_exact: int = 20  # bases chosen among BBC byte-identical twins
    min_variants: int = 3
    max_variants: int = 5
    same_topic: int = 150
    boilerplate_groups: int = 20
    boilerplate_group_size: int = 5
    min_base_words: int = 90


def _vocab(story: BaseStory) -> set[str]:
    return {w for w in words(story.title + " " + story.body) if len(w) > 3 and not w.isdigit()}


def _lead(story: BaseStory, lo: int = 60, hi: int = 100) -> str | None:
    """The story's opening sentences, ``lo``..``hi`` words, or None if it cannot be cut so."""
    sents = [s for p in story.paragraphs for s in _sentences(p)]
    out: list[str] = []
    for s in sents:
        if _word_count([*out, s]) > hi:
            break
        out.append(s)
        if _word_count(out) >= lo:
            return " ".join(out)
    return None


def _digits_ratio(story: BaseStory) -> float:
    toks = story.body.split()
    return sum(any(c.isdigit() for c in t) for t in toks) / max(1, len(toks))


def _is_results_item(s: BaseStory) -> bool:
    """A Reuters results table ("Shr 12 cts vs 10 cts", one line per paragraph)."""
    return s.corpus == "reuters" and (
        _digits_ratio(s) > 0.2 or _word_count(s.paragraphs) / len(s.paragraphs) < 12
    )


def _eligible(s: BaseStory, cfg: CorpusConfig) -> bool:
    """A base story: long enough, two paragraphs or more, not a results table."""
    if _word_count(s.paragraphs) < cfg.min_base_words or len(s.paragraphs) < 2:
        return False
    return not _is_results_item(s)


def build_corpus(stories: Sequence[BaseStory], config: CorpusConfig | None = None) -> list[Record]:
    """Build the labelled corpus from the story pool. Same pool and config, same records."""
    cfg = config or CorpusConfig()
    rng = random.Random(cfg.seed)
    pool = _group_pool(stories)
    st = pool.stories

    def eligible(g: list[int]) -> bool:
        return _eligible(st[g[0]], cfg)

    usable = [gi for gi, g in enumerate(pool.groups) if pool.clean[gi]]
    twins = [gi for gi in usable if len(pool.groups[gi]) > 1 and eligible(pool.groups[gi])]
    singles = [gi for gi in usable if len(pool.groups[gi]) == 1 and eligible(pool.groups[gi])]
    rng.shuffle(twins)
    rng.shuffle(singles)

    chosen: list[int] = []
    bbc_twins = [gi for gi in twins if st[pool.groups[gi][0]].corpus == "bbc"]
    chosen.extend(bbc_twins[: cfg.natural_exact])
    per_cat = Counter(st[pool.groups[gi][0]].topic for gi in chosen)
    cats = sorted({s.topic for s in st if s.corpus == "bbc"})
    quota = {c: cfg.bbc_bases // max(1, len(cats)) for c in cats}
    n_reuters = 0
    for gi in singles:
        s = st[pool.groups[gi][0]]
        if s.corpus == "bbc" and per_cat[s.topic] < quota[s.topic]:
            per_cat[s.topic] += 1
            chosen.append(gi)
        elif s.corpus == "reuters" and n_reuters < cfg.reuters_bases:
            n_reuters += 1
            chosen.append(gi)
    used = set(chosen)
    chosen.sort()
    rng.shuffle(chosen)

    records: list[Record] = []
    t0 = datetime(2004, 6, 1, tzinfo=UTC)

    def add(
        story: BaseStory,
        kind: str,
        cluster: str,
        title: str,
        body: str,
        outlet: tuple[str, str],
        when: datetime,
        base: Record | None,
        **extra: Any,
    ) -> Record:
        rec = Record(
            id="",
            url=f"https://{outlet[1]}/news/{when:%Y/%m/%d}/{_slug(title)}",
            source=outlet[1],
            title=title,
            body=body,
            published=_fmt(when),
            language="en",
            cluster=cluster,
            kind=kind,
            base="",
            story=story.key,
            extra=dict(extra),
        )
        rec.extra["_base_obj"] = base
        records.append(rec)
        return rec

    def origin_outlet(story: BaseStory) -> tuple[str, str]:
        return (
            ("BBC News", "news.bbc.co.uk") if story.corpus == "bbc" else ("Reuters", "reuters.com")
        )

    # Headlines by topic, for "related stories" links in outlet wraps.
    headlines: dict[str, list[str]] = defaultdict(list)
    for gi in chosen:
        s = st[pool.groups[gi][0]]
        headlines[s.topic].append(s.title)

    for n, gi in enumerate(chosen):
        members = pool.groups[gi]
        story = st[members[0]]
        cluster = f"c{n:04d}"
        when = story.published or (t0 + timedelta(minutes=rng.randrange(0, 365 * 24 * 60)))
        base = add(
            story, "base", cluster, story.title, story.body, origin_outlet(story), when, None
        )
        for m in members[1:]:
            twin = st[m]
            add(
                twin,
                "natural-exact",
                cluster,
                twin.title,
                twin.body,
                origin_outlet(twin),
                when + timedelta(minutes=rng.randint(1, 600)),
                base,
            )
        k = rng.randint(cfg.min_variants, cfg.max_variants)
        kinds = rng.sample(VARIANT_KINDS, k)
        outlets = rng.sample(_OUTLETS, k)
        for kind, outlet in zip(kinds, outlets, strict=True):
            vwhen = when + timedelta(minutes=rng.randint(5, 24 * 60))
            if kind == "update":
                vwhen = when + timedelta(minutes=rng.randint(90, 12 * 60))
            related = [h for h in headlines[story.topic] if h != story.title]
            picks = rng.sample(related, min(len(related), rng.randint(2, 3)))
            title, body = make_variant(rng, kind, story, outlet, vwhen, picks)
            add(story, kind, cluster, title, body, outlet, vwhen, base)

    # Hard negatives 1: different real stories on the same topic as a base.
    free = [
        gi
        for gi in usable
        if gi not in used and eligible(pool.groups[gi]) and len(pool.groups[gi]) == 1
    ]
    by_topic: dict[str, list[int]] = defaultdict(list)
    for gi in free:
        s = st[pool.groups[gi][0]]
        if s.topic:
            by_topic[s.topic].append(gi)
    base_recs = [r for r in records if r.kind == "base"]
    vocab_cache: dict[int, set[str]] = {}
    n_neg = 0
    for base in base_recs:
        if n_neg >= cfg.same_topic:
            break
        story = next(s for s in st if s.key == base.story)
        cands = [gi for gi in by_topic.get(story.topic, []) if gi not in used]
        if not cands:
            continue
        bv = _vocab(story)

        def overlap(gi: int, bv: set[str] = bv) -> tuple[float, int]:
            if gi not in vocab_cache:
                vocab_cache[gi] = _vocab(st[pool.groups[gi][0]])
            v = vocab_cache[gi]
            return (len(v & bv) / max(1, len(v | bv)), -gi)

        best = max(cands, key=overlap)
        used.add(best)
        other = st[pool.groups[best][0]]
        outlet = rng.choice(_OUTLETS)
        when = datetime.fromisoformat(base.published.replace("Z", "+00:00"))
        when += timedelta(minutes=rng.randint(-600, 600))
        add(
            other,
            "same-topic",
            f"n-topic-{n_neg:04d}",
            other.title,
            other.body,
            outlet,
            when,
            None,
            negative_of=base,
            topic=story.topic,
            vocab_jaccard=round(overlap(best)[0], 3),
        )
        n_neg += 1

    # Hard negatives 2: short different stories carrying the same press-release disclaimer.
    leads: list[tuple[int, str]] = []
    for gi in free:
        if gi in used:
            continue
        lead = _lead(st[pool.groups[gi][0]])
        if lead:
            leads.append((gi, lead))
    rng.shuffle(leads)
    need = cfg.boilerplate_groups * cfg.boilerplate_group_size
    for j in range(min(need, len(leads)) // cfg.boilerplate_group_size):
        disclaimer = _DISCLAIMERS[j % len(_DISCLAIMERS)]
        outlet = _OUTLETS[j % len(_OUTLETS)]
        when = t0 + timedelta(days=rng.randrange(0, 365))
        for k in range(cfg.boilerplate_group_size):
            gi, lead = leads[j * cfg.boilerplate_group_size + k]
            used.add(gi)
            other = st[pool.groups[gi][0]]
            body = "\n\n".join([lead, disclaimer])
            add(
                other,
                "shared-boilerplate",
                f"n-bp-{j:02d}-{k}",
                other.title,
                body,
                outlet,
                when + timedelta(minutes=rng.randint(0, 3000)),
                None,
                group=f"bp-{j:02d}",
            )

    return _number(records, rng, "syn")


def _number(records: list[Record], rng: random.Random, prefix: str) -> list[Record]:
    """Shuffle the file order, number the records in that order, and turn the records that
    labels point at (base, ``negative_of``, ``quotes``) into their ids."""
    rng.shuffle(records)
    for i, r in enumerate(records):
        r.id = f"{prefix}-{i:05d}"
        r.url += f"-{i:05d}"
    for r in records:
        b = r.extra.pop("_base_obj")
        r.base = b.id if isinstance(b, Record) else r.id
        for key, v in r.extra.items():
            if isinstance(v, Record):
                r.extra[key] = v.id
            elif isinstance(v, list) and v and isinstance(v[0], Record):
                r.extra[key] = [x.id for x in v]
    return records


# --------------------------------------------------------------------------------------------
# The hard corpus (issue #15): noisy reprints, abridged and re-edited copies, hard negatives

#: Copy kinds of the hard corpus (all made from one base story, all in the base's cluster).
HARD_VARIANT_KINDS: tuple[str, ...] = ("noisy", "noisy-abridged", "abridged-edited", "re-edited")
#: Hard negatives of the hard corpus (each its own cluster).
HARD_CORPUS_NEGATIVE_KINDS: tuple[str, ...] = ("roundup", "results-template", "disclaimer-release")
HARD_ALL_KINDS: tuple[str, ...] = ("base", *HARD_VARIANT_KINDS, *HARD_CORPUS_NEGATIVE_KINDS)

# OCR confusions (both directions), as scanned newsprint shows them
_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("m", "rn"), ("l", "1"), ("1", "l"), ("e", "c"), ("c", "e"), ("o", "0"),
    ("0", "o"), ("I", "l"), ("h", "b"), ("cl", "d"), ("vv", "w"), ("u", "n"), ("n", "u"),
)  # fmt: skip
_CONFUSION_RE = re.compile("|".join(sorted({re.escape(a) for a, _ in _CONFUSIONS}, key=len,
                                              reverse=True)))  # fmt: skip
_CONFUSION_MAP: dict[str, list[str]] = defaultdict(list)
for _a, _b in _CONFUSIONS:
    _CONFUSION_MAP[_a].append(_b)
_LONG_WORD = re.compile(r"[A-Za-z]{7,}")


def ocr_noise(rng: random.Random, text: str, rate: float) -> str:
    """OCR-style damage to about ``rate`` of the characters of ``text``.

    Each damage is one of: a confusion (``rn``/``m``, ``l``/``1``, ``e``/``c``, ``o``/``0``,
    ``I``/``l``, ``h``/``b``, ``cl``/``d``, ``u``/``n``; 60 %), two words joined (the space
    between them dropped; 20 %), or a hyphenated line break inside a word of seven letters or
    more (``deve- lopment``; 20 %). Paragraph breaks are kept.
    """
    n_ops = max(1, round(rate * len(text))) if rate > 0 else 0
    conf = [(m.start(), m.end()) for m in _CONFUSION_RE.finditer(text)]
    spaces = [(i, i + 1) for i, c in enumerate(text) if c == " "]
    breaks = [
        (m.start() + k, m.start() + k)
        for m in _LONG_WORD.finditer(text)
        for k in range(3, len(m.group()) - 3)
    ]
    edits: dict[int, tuple[int, str]] = {}  # start -> (end, replacement)
    taken: set[int] = set()
    for _ in range(n_ops):
        r = rng.random()
        pool, kind = (conf, "c") if r < 0.6 else (spaces, "j") if r < 0.8 else (breaks, "h")
        if not pool:
            pool, kind = conf, "c"
        if not pool:
            break
        a, b = pool[rng.randrange(len(pool))]
        if any(i in taken for i in range(a - 1, max(b, a + 1) + 1)):
            continue
        if kind == "c":
            rep = rng.choice(_CONFUSION_MAP[text[a:b]])
        elif kind == "j":
            rep = ""
        else:
            rep = "- "
        edits[a] = (b, rep)
        taken.update(range(a, max(b, a + 1)))
    out: list[str] = []
    pos = 0
    for a in sorted(edits):
        b, rep = edits[a]
        out.append(text[pos:a])
        out.append(rep)
        pos = b
    out.append(text[pos:])
    return "".join(out)


#: Confusions of the second noise model (:func:`ocr_noise_other`): those of :func:`ocr_noise`
#: plus some the OCR fold does not undo (``h``/``li``, ``n``/``ri``, ``t``/``f``, ``i``/``j``).
_OTHER_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "m": ("rn",), "rn": ("m",), "l": ("1", "I"), "1": ("l",), "I": ("l", "1"), "e": ("c",),
    "c": ("e",), "o": ("0",), "0": ("o",), "O": ("0",), "w": ("vv",), "d": ("cl",),
    "h": ("b", "li"), "n": ("u", "ri"), "u": ("n",), "i": ("l", "j"), "t": ("f",),
}  # fmt: skip


def ocr_noise_other(rng: random.Random, text: str, rate: float) -> str:
    """A second OCR noise model, to check that dedup is not tuned to :func:`ocr_noise`: about
    ``rate`` of the characters damaged, each damage at a random place (not drawn from a list
    of sites): a confusion at the next confusable character (55 %, a wider set than
    :func:`ocr_noise`'s, some of which the OCR fold does not undo), the next space dropped
    (25 %), or a hyphen with a line break, a space or nothing inside the next long word
    (20 %)."""
    n_ops = max(1, round(rate * len(text))) if rate > 0 and text else 0
    out = list(text)
    for _ in range(n_ops):
        r = rng.random()
        i = rng.randrange(len(out))
        if r < 0.55:
            for j in range(i, min(i + 40, len(out))):
                if out[j] in _OTHER_CONFUSIONS:
                    out[j] = rng.choice(_OTHER_CONFUSIONS[out[j]])
                    break
        elif r < 0.8:
            for j in range(i, min(i + 40, len(out))):
                if out[j] == " ":
                    out[j] = ""
                    break
        else:
            m = _LONG_WORD.search("".join(out[i : i + 60]))
            if m:
                k = i + m.start() + rng.randrange(3, len(m.group()) - 3)
                out[k] += rng.choice(("-\n", "- ", "-"))
    return "".join(out)


def _abridge(rng: random.Random, paras: Sequence[str], keep: float) -> list[str]:
    """About ``keep`` of the words: whole sentences, the lede always; cut from the end, and
    now and then a middle paragraph dropped as well."""
    total = _word_count(paras)
    paras = list(paras)
    if len(paras) > 3 and rng.random() < 0.3:
        del paras[rng.randrange(1, len(paras) - 1)]
    out: list[str] = []
    n = 0
    for p in paras:
        taken: list[str] = []
        for sent in _sentences(p):
            if out and n >= keep * total:
                break
            taken.append(sent)
            n += len(sent.split())
        if taken:
            out.append(" ".join(taken))
        if n >= keep * total:
            break
    return out


_LIGHT_EDITS: tuple[tuple[str, str], ...] = (
    *_EDITS,
    (" also ", " "), (" very ", " "), (" but ", " however "), (" per cent", "%"),
    (" Mr ", " "), (" about ", " around "), (" more than ", " over "),
)  # fmt: skip


def _light_edits(rng: random.Random, paras: Sequence[str]) -> list[str]:
    """A copy editor's pass: a few words changed or dropped in about a third of the paragraphs."""
    out = []
    for p in paras:
        if rng.random() < 0.35:
            for a, b in rng.sample(_LIGHT_EDITS, 2):
                if a in p:
                    p = p.replace(a, b, 1)
        out.append(p)
    return out


def _outlet_footer(rng: random.Random, outlet: tuple[str, str], when: datetime) -> list[str]:
    name, domain = outlet
    foot = [f"Copyright {when.year} {name}. All rights reserved."]
    if rng.random() < 0.6:
        foot.append(
            rng.choice(("Follow us on Twitter", "Follow us on Facebook"))
            + f" and at {domain} for the latest news."
        )
    return foot


def _re_edit(rng: random.Random, paras: Sequence[str]) -> list[str]:
    """A fifth of the sentences cut (never the first), two pairs of neighbouring sentences of
    a paragraph swapped."""
    sents = [[s for s in _sentences(p)] for p in paras]
    flat = [(i, j) for i, ss in enumerate(sents) for j in range(len(ss)) if (i, j) != (0, 0)]
    cut = set(rng.sample(flat, len(flat) // 5)) if flat else set()
    out = []
    for i, ss in enumerate(sents):
        kept = [x for j, x in enumerate(ss) if (i, j) not in cut]
        out.append(kept)
    swappable = [i for i, ss in enumerate(out) if len(ss) >= 2 and i > 0]
    for i in rng.sample(swappable, min(2, len(swappable))):
        k = rng.randrange(len(out[i]) - 1)
        out[i][k], out[i][k + 1] = out[i][k + 1], out[i][k]
    return [" ".join(ss) for ss in out if ss]


def make_hard_variant(
    rng: random.Random,
    kind: str,
    story: BaseStory,
    outlet: tuple[str, str],
    when: datetime,
    noise: float,
) -> tuple[str, str]:
    """One copy of the hard corpus: returns ``(title, body)``; ``noise``: character error rate
    for the noisy kinds."""
    paras = list(story.paragraphs)
    if kind == "noisy":
        return story.title, ocr_noise(rng, "\n\n".join(paras), noise)
    if kind == "noisy-abridged":
        kept = _abridge(rng, paras, rng.uniform(0.5, 0.8))
        return story.title, ocr_noise(rng, "\n\n".join(kept), noise)
    if kind == "abridged-edited":
        kept = _light_edits(rng, _abridge(rng, paras, rng.uniform(0.4, 0.7)))
        return story.title, "\n\n".join([*kept, *_outlet_footer(rng, outlet, when)])
    if kind == "re-edited":
        byline = f"By {rng.choice(_BYLINES)}, {outlet[0]}"
        body = [byline, *_re_edit(rng, paras), *_outlet_footer(rng, outlet, when)]
        return story.title, "\n\n".join(body)
    raise ValueError(f"unknown hard variant kind {kind!r}")


@dataclass(frozen=True, slots=True)
class HardConfig:
    seed: int = DEFAULT_SEED + 15
    bbc_bases: int = 300
    reuters_bases: int = 100
    min_variants: int = 1
    max_variants: int = 3
    noise: tuple[float, float] = (0.01, 0.05)  # character error rate, drawn per copy
    roundups: int = 60
    results_items: int = 100
    release_groups: int = 10
    release_group_size: int = 5
    min_base_words: int = 90


def build_hard_corpus(
    stories: Sequence[BaseStory], config: HardConfig | None = None
) -> list[Record]:
    """The hard corpus: bases with 1-3 noisy, abridged or re-edited copies each, plus hard
    negatives: "news in brief" roundups quoting the ledes of four bases, Reuters results
    items (one template, different companies) and short releases (one figure line or
    sentence) under a shared disclaimer. Same pool and config, same records."""
    cfg = config or HardConfig()
    rng = random.Random(cfg.seed)
    pool = _group_pool(stories)
    st = pool.stories
    base_cfg = CorpusConfig(min_base_words=cfg.min_base_words)
    usable = [gi for gi, g in enumerate(pool.groups) if pool.clean[gi]]
    singles = [gi for gi in usable if len(pool.groups[gi]) == 1]
    rng.shuffle(singles)
    chosen: list[int] = []
    n_bbc = n_reuters = 0
    results: list[BaseStory] = []
    for gi in singles:
        s = st[pool.groups[gi][0]]
        if _eligible(s, base_cfg):
            if s.corpus == "bbc" and n_bbc < cfg.bbc_bases:
                n_bbc += 1
                chosen.append(gi)
            elif s.corpus == "reuters" and n_reuters < cfg.reuters_bases:
                n_reuters += 1
                chosen.append(gi)
        elif s.corpus == "reuters" and _is_results_item(s) and len(results) < cfg.results_items:
            results.append(s)
    records: list[Record] = []
    t0 = datetime(2004, 6, 1, tzinfo=UTC)

    def add(story: BaseStory, kind: str, cluster: str, title: str, body: str,
            outlet: tuple[str, str], when: datetime, base: Record | None,
            **extra: Any) -> Record:  # fmt: skip
        rec = Record(
            id="", url=f"https://{outlet[1]}/news/{when:%Y/%m/%d}/{_slug(title)}",
            source=outlet[1], title=title, body=body, published=_fmt(when), language="en",
            cluster=cluster, kind=kind, base="", story=story.key, extra=dict(extra),
        )  # fmt: skip
        rec.extra["_base_obj"] = base
        records.append(rec)
        return rec

    bases: list[tuple[BaseStory, Record]] = []
    for n, gi in enumerate(chosen):
        story = st[pool.groups[gi][0]]
        origin = ("BBC News", "news.bbc.co.uk") if story.corpus == "bbc" else (
            "Reuters", "reuters.com")  # fmt: skip
        when = story.published or (t0 + timedelta(minutes=rng.randrange(0, 365 * 24 * 60)))
        base = add(story, "base", f"h{n:04d}", story.title, story.body, origin, when, None)
        bases.append((story, base))
        k = rng.randint(cfg.min_variants, cfg.max_variants)
        for kind, outlet in zip(rng.sample(HARD_VARIANT_KINDS, k), rng.sample(_OUTLETS, k),
                                strict=True):  # fmt: skip
            noise = round(rng.uniform(*cfg.noise), 4) if kind.startswith("noisy") else 0.0
            vwhen = when + timedelta(minutes=rng.randint(5, 24 * 60))
            title, body = make_hard_variant(rng, kind, story, outlet, vwhen, noise)
            extra = {"noise": noise} if noise else {}
            add(story, kind, f"h{n:04d}", title, body, outlet, vwhen, base, **extra)
    # roundups: the first paragraphs of four different bases, under a heading
    for r in range(cfg.roundups):
        quoted = rng.sample(bases, 4)
        outlet = rng.choice(_OUTLETS)
        when = t0 + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        body = "\n\n".join(s.paragraphs[0] for s, _ in quoted)
        add(quoted[0][0], "roundup", f"n-roundup-{r:03d}", "News in brief", body, outlet, when,
            None, quotes=[b for _, b in quoted])  # fmt: skip
    # one-template results items from one source
    for r, s in enumerate(results):
        when = s.published or (t0 + timedelta(minutes=rng.randrange(0, 365 * 24 * 60)))
        add(s, "results-template", f"n-results-{r:03d}", s.title, s.body,
            ("Reuters", "reuters.com"), when, None)  # fmt: skip
    # short releases under a shared disclaimer: one figure line or one short sentence each
    lines = [s.paragraphs[0] for s in results if len(s.paragraphs[0]) < 60]
    leads = [_sentences(st[pool.groups[gi][0]].paragraphs[0])[0] for gi in singles[-200:]]
    leads = [x for x in leads if 30 <= len(x) <= 160]
    rng.shuffle(lines)
    rng.shuffle(leads)
    own = [x for pair in zip(lines, leads, strict=False) for x in pair]
    for g in range(cfg.release_groups):
        disclaimer = _DISCLAIMERS[g % len(_DISCLAIMERS)]
        outlet = _OUTLETS[(g + 3) % len(_OUTLETS)]
        when = t0 + timedelta(days=rng.randrange(0, 365))
        for k in range(cfg.release_group_size):
            text = own[(g * cfg.release_group_size + k) % len(own)]
            add(results[0], "disclaimer-release", f"n-release-{g:02d}-{k}",
                f"Release {g}-{k}", f"{text}\n\n{disclaimer}", outlet,
                when + timedelta(minutes=rng.randint(0, 3000)), None,
                group=f"release-{g:02d}")  # fmt: skip
    return _number(records, rng, "hard")


def write_corpus(records: Sequence[Record], out: Path) -> dict[str, int]:
    """Write ``articles.jsonl`` and ``labels.jsonl``; returns counts per kind."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "articles.jsonl").open("w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r.article(), ensure_ascii=False) + "\n")
    with (out / "labels.jsonl").open("w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r.label(), ensure_ascii=False) + "\n")
    counts = Counter(r.kind for r in records)
    return {k: counts[k] for k in (*ALL_KINDS, *HARD_ALL_KINDS) if counts[k]}


def load_pool(corpora: Path = SHARED_CORPORA) -> list[BaseStory]:
    return load_bbc(corpora / "bbc-news-2225") + load_reuters(corpora / "reuters21578-subset")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--corpora",
        type=Path,
        default=SHARED_CORPORA,
        help="folder holding bbc-news-2225/ and reuters21578-subset/",
    )
    ap.add_argument("--out", type=Path, default=Path("corpora/syndication"))
    ap.add_argument("--seed", type=int, default=None,
                    help=f"default {DEFAULT_SEED} ({HardConfig().seed} with --hard)")  # fmt: skip
    ap.add_argument("--bbc-bases", type=int, default=CorpusConfig().bbc_bases)
    ap.add_argument("--reuters-bases", type=int, default=CorpusConfig().reuters_bases)
    ap.add_argument(
        "--copy-licences",
        action="store_true",
        help="copy the base corpora's licence files next to the output",
    )
    ap.add_argument(
        "--hard",
        action="store_true",
        help="build the hard corpus instead (issue #15: noisy, abridged and re-edited copies, "
        "roundups, results items, short releases under a disclaimer; default --out "
        "corpora/syndication-hard)",
    )
    args = ap.parse_args(argv)
    stories = load_pool(args.corpora)
    if args.hard:
        if args.out == Path("corpora/syndication"):
            args.out = Path("corpora/syndication-hard")
        hard = HardConfig(bbc_bases=args.bbc_bases, reuters_bases=args.reuters_bases)
        if args.seed is not None:  # another draw of the same kinds (a held-out check)
            hard = dataclasses.replace(hard, seed=args.seed)
        records = build_hard_corpus(stories, hard)
    else:
        cfg = CorpusConfig(
            seed=DEFAULT_SEED if args.seed is None else args.seed, bbc_bases=args.bbc_bases,
            reuters_bases=args.reuters_bases,
        )
        records = build_corpus(stories, cfg)
    counts = write_corpus(records, args.out)
    if args.copy_licences:
        shutil.copyfile(
            args.corpora / "bbc-news-2225" / "README.TXT", args.out / "LICENCE-bbc-README.TXT"
        )
        shutil.copyfile(
            args.corpora / "reuters21578-subset" / "README.TXT",
            args.out / "LICENCE-reuters21578-README.TXT",
        )
    clusters = len({r.cluster for r in records})
    print(f"{len(records)} records, {clusters} clusters -> {args.out}", file=sys.stderr)
    for k, v in counts.items():
        print(f"  {k:20s} {v}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
