"""Main-text extraction from a parsed HTML tree.

One walk over the tree (``lxml.etree.iterwalk``, no recursion in Python, the tree is not
modified), then arithmetic over the blocks it produced:

1. **Skip.** Subtrees that never hold article text are skipped during the walk: scripts, styles,
   ``<noscript>``, ``<template>``, embeds, form controls. Hidden elements are skipped too, so a
   hidden second copy of the body (print version, ``display:none``, ``visibility:hidden``,
   ``hidden``, ``aria-hidden``, ``sr-only``-style classes) can never be extracted.
2. **Segment.** The body is cut into text blocks at block-level element boundaries (and
   ``<br>``). Each block knows its characters and the characters inside links. Every element
   owns a contiguous range of blocks. A block is *good* (article-like) when it has enough words
   and few links, *bad* otherwise. Good blocks between linked headlines, repeated as in a story
   list, are teasers and count as bad.
3. **Mask chrome.** Page chrome is recognised by tag (``nav``, ``aside``, ``footer``,
   ``header``, ``figure``), ARIA role (``navigation``, ``banner``, ``complementary``, ...) and the
   tokens of its ``class``/``id`` (``share``, ``related``, ``comments``, ``newsletter``,
   ``cookie``, ...); its blocks are masked. A chrome-looking element is kept when it holds a
   large share of the page's good text or the marked-up article body
   (``itemprop=articleBody``), so a wrapper named ``content-with-sidebar`` is not thrown away
   with its article.
4. **Choose.** Every element scores ``good - ALPHA * bad`` over its range (prefix sums, so
   O(1) per element): good text counts its non-link characters, bad text its link characters
   plus half its other characters; headings are neutral unless they are links. The best
   element is the article container; ties go to the deepest one. When the page carries a
   JSON-LD ``articleBody`` that the blocks cover well, blocks found in it count as good
   whatever their length and blocks absent from it as bad.
   Inside the ``<main>``/``<article>`` holding the container, text and link density come
   before class words: entries masked one by one by class words (live-ticker entries named
   ``comment``) are unmasked when masking removed most of that element's good text. A short
   text in an image/photo box is a caption (masked).
5. **Emit.** The container's blocks in document order, without non-article blocks at its
   start, link lists at its end, teasers, the headline, and exact repeats of a block already
   emitted (a visible second copy of the body, e.g. AMP and desktop markup side by side).
   Before them comes the lead: prose blocks between the headline and the container (a
   standfirst, even inside ``<header>``). A fully linked paragraph that reads as prose stays.
   In a body made of paragraphs, short non-paragraph blocks (disclaimer, bio, download boxes)
   and trailing headings are dropped, and so are short legal, subscription and policy lines
   among the last blocks (copyright lines, newsletter sign-ups, privacy-policy links).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from wireingest._meta.dates import is_date_line

__all__ = ["Block", "MainText", "Segmentation", "extract_from_tree", "segment"]

# Skipped with their subtree whatever their position.
_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "video", "audio", "picture", "img", "button", "select", "input", "textarea",
        "option", "head", "link", "meta", "map", "dialog", "source", "track", "label", "rt", "rp",
    }
)  # fmt: skip
# Chrome by tag (kept when protected, see segment).
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "header", "figure", "figcaption", "menu"})
_CHROME_ROLES = frozenset(
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog",
        "alertdialog", "menu", "menubar", "toolbar", "tablist", "alert", "marquee",
    }
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td",
        "th", "ul", "caption", "br", "legend", "frameset", "noframes",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Class/id tokens of image boxes: their short text is a caption or a credit (CAPTION_CHARS).
_MEDIA_TOKENS = frozenset(
    {
        "image", "images", "photo", "photos", "img", "picture", "pic", "foto", "fotos", "bild",
        "bilder", "imagen", "imagem", "immagine", "immagini",
    }
)  # fmt: skip
_MEDIA_MODIFIERS = frozenset({"no", "has", "with", "without"})
# Weak chrome words that also name an article's lead paragraph.
_LEAD_WORDS = frozenset({"teaser", "teasers"})
# Elements that signal the article body whatever their class words.
_BODY_TAGS = frozenset({"main", "article"})
# Chrome tags that also wrap an article's own headline and lead (see _lead).
_SOFT_CHROME_TAGS = frozenset({"header", "hgroup"})

# Class/id tokens that mark page chrome (matched as whole tokens after splitting on
# non-alphanumerics and camelCase).
_JUNK_TOKENS = frozenset(
    {
        "share", "sharing", "shares", "sharebar", "sharetools", "social", "socials", "related",
        "relatedarticles", "comments", "comment", "disqus", "newsletter", "newsletters",
        "promo", "promos", "promotion", "advert", "adverts", "advertisement", "advertising",
        "ad", "ads", "adsense", "adslot", "adunit", "dfp", "sponsor", "sponsored", "sidebar",
        "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "subscribe",
        "subscription", "footer", "nav", "navbar", "navigation", "menu", "popup", "modal",
        "banner", "outbrain", "taboola", "recirc", "recirculation", "trending", "popular",
        "mostread", "tags", "tagging", "taglist", "keywords", "pagination", "pager", "byline",
        "author", "authors", "meta", "caption", "credit", "credits", "figcaption", "toolbar",
        "widget", "widgets", "rail", "signup", "login", "skip", "hidden", "hide", "masthead",
        "print", "printonly", "teaser", "teasers", "readmore", "tooltip", "overlay",
        "dateline_meta", "timestamp", "published", "updated", "date", "disclaimer",
        "copyright", "infobox", "sharethis", "addthis", "follow", "donate", "feedback",
        "rating", "ratings", "reactions", "playlist", "carousel", "slider", "gallery",
        "ticker", "newsticker", "marquee", "contact", "correlati", "relacionadas",
        "relacionados", "lesen", "voir",
    }
)  # fmt: skip
_JUNK_PHRASES = (
    "most-popular", "read-next", "see-also", "also-read", "more-stories", "you-may-like",
    "more-from", "read-more", "visually-hidden", "sr-only", "screen-reader", "print-only",
    "d-none", "is-hidden", "hidden-print", "more-news", "latest-news", "top-stories",
    "editors-picks", "in-case-you-missed", "up-next", "more-on", "breaking-news",
)  # fmt: skip
_STRONG_TOKENS = frozenset(
    {
        "share", "sharing", "sharebar", "sharetools", "social", "socials", "related",
        "relatedarticles", "comments", "comment", "disqus", "newsletter", "newsletters",
        "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "outbrain",
        "taboola", "recirc", "recirculation", "sharethis", "addthis", "footer", "navbar",
        "navigation", "nav", "advertisement", "masthead",
    }
)  # fmt: skip
# Class/id phrases that mark the article body itself: such an element is never chrome.
_BODY_PHRASES = (
    "articlebody", "article-body", "storybody", "story-body", "entry-content", "postbody",
    "post-body", "article-content", "post-content", "story-content", "article-text",
    "articletext", "story-text", "news-text", "main-content", "embed", "tweet",
)  # fmt: skip

# Whole class names that hide an element on screen (CSS frameworks, print-only copies).
_HIDDEN_CLASSES = frozenset(
    {
        "hidden", "hide", "d-none", "is-hidden", "u-hidden", "invisible", "sr-only",
        "visually-hidden", "visuallyhidden", "screen-reader-text", "screenreader-only",
        "element-invisible", "offscreen", "print-only", "printonly", "visible-print",
        "visible-print-block", "show-for-print", "show-for-sr", "a11y-hidden",
    }
)  # fmt: skip
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…:;\"'»”’)。！？」』]\s*$")

# Legal, subscription and policy words of footer lines (see _drop_footer_lines).
# Footer phrases (see _drop_footer_lines). Legal and subscription lines are phrased as
# notices and invitations ("All rights reserved", "Sign up for our newsletter"), so a news
# sentence that mentions a copyright case or a subscription service does not match.
_LEGAL_WORDS = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\s+(?:©\s*)?(?:\d{4}|by)\b|all rights reserved"
    r"|droits (?:de reproduction )?réservés|derechos reservados|diritti riservati"
    r"|riproduzione riservata|rechte vorbehalten|rechten voorbehouden|direitos reservados"
    r"|prawa zastrzeżone|права защищены|版权所有|無断転載"
    r"|may not be (?:published|reproduced|redistributed)"
    r"|prohibida (?:la|su) (?:reproducción|redistribución)",
    re.IGNORECASE,
)
_SUBSCRIBE_WORDS = re.compile(
    r"newsletter|nieuwsbrief|nuestro boletín|boletín de noticias|на (?:нашу )?рассылку"
    r"|подпишитесь|подписывайтесь|\bsubscribe (?:to (?:our|my)|now|here|today)\b"
    r"|suscr[íi]bete|suscr[íi]base|abonnez-vous|jetzt abonnieren|iscriviti|inscrivez-vous"
    r"|inscreva-se|assine (?:já|agora|a)|\bsign up\b|zapisz się|schrijf je in|meld je aan"
    r"|订阅我们|メールマガジン|责任编辑"
    r"|réservée? aux abonnés|reserved for subscribers|for subscribers only|nur für abonnenten"
    r"|exclusivo para suscriptores|riservato agli abbonati|только для подписчиков",
    re.IGNORECASE,
)
# Policy links are lines of their own ("Privacy Policy"): matched only in short lines.
_POLICY_WORDS = re.compile(
    r"privacy (?:policy|notice|statement)|politique de confidentialité"
    r"|pol[íi]tica de privacidad[e]?|informativa sulla privacy|политика конфиденциальности"
    r"|datenschutzerklärung|polityka prywatności|privacybeleid|隐私政策|プライバシーポリシー"
    r"|trust principles|our standards|cookie policy|terms of (?:use|service)",
    re.IGNORECASE,
)
FOOTER_TAIL = 4  # footer lines are looked for among the last blocks of a body
FOOTER_CHARS = 200  # ... and are at most this long
POLICY_CHARS = 60  # a policy-link line is at most this long
# Blocks that are article text by their tag (paragraphs, list items, quotes).
_PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "td", "th"})
BOX_MIN_PARAGRAPHS = 3  # a body needs this many <p> blocks ...
P_SHARE = 0.6  # ... holding this share of its text for short non-<p> blocks to be dropped
BOX_CHARS = 200  # a non-<p> block shorter than this is a box in such a body
ALPHA = 1.0  # weight of bad text against good text in the container score
MIN_GOOD_WORDS = 8  # a block with fewer words is good only if it ends like a sentence
MAX_LINK_DENSITY = 0.35  # above this share of link characters a short block is bad
TEASER_CHARS = 600  # longer blocks are never teasers
HINT_COVERAGE = 0.6  # share of the JSON-LD articleBody the chosen blocks must cover
HINT_MIN_SHARE = 0.7  # a hint shorter than this share of the unhinted pick's text is dropped
_SHORT_LINE = 40  # plain lines shorter than this (dates, bylines) do not break a pattern
_REPEAT_CHARS = 40  # a repeated block this long is a duplicate copy, not a refrain
CAPTION_CHARS = 500  # an image/photo box with at most this much text is a caption
LEAD_BLOCKS = 6  # most blocks between the headline and the container searched for a lead
ENTRY_BLOCKS = 4  # chrome spanning more blocks than this is a section, never unmasked
UNMASK_SHARE = 0.5  # share of the chosen container's good text masked by words that unmasks it
PROTECT_RATIO = 0.3  # chrome holding more than this (x level) of the good text is kept


@dataclass(slots=True)
class Block:
    """One text block of the page, in document order."""

    text: str
    tag: str
    link_chars: int
    good: bool = False
    teaser: bool = False
    junk: bool = False
    links: int = 0  # number of links starting in the block

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass(slots=True)
class MainText:
    """The extracted body and how it was found."""

    paragraphs: list[str]
    container: str | None = None  # tag#id.class of the chosen element, for diagnostics
    score: float = 0.0
    blocks_total: int = 0
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=16384)
def _class_parts(value: str) -> tuple[str, ...]:
    """The lower-case tokens of a ``class``/``id`` string, split on non-alphanumerics and
    camelCase (memoised)."""
    low = _CAMEL.sub("-", value).lower()
    return tuple(t for t in _SPLIT.split(low) if t)


@lru_cache(maxsize=16384)
def _class_level(value: str) -> int:
    """Chrome level of a ``class``/``id`` string (pure, memoised: pages repeat class names)."""
    parts = _class_parts(value)
    joined = "-".join(parts)
    if any(p in joined for p in _BODY_PHRASES):
        return 0
    tokens = set(parts)
    if not tokens.isdisjoint(_STRONG_TOKENS):
        return 2
    if not tokens.isdisjoint(_JUNK_TOKENS) or any(p in joined for p in _JUNK_PHRASES):
        return 1
    return 0


def _lead_words_only(el: etree._Element) -> bool:
    """Is ``el`` weak chrome only by words that also name a lead (``teaser-text``)?"""
    if _media_box(el):
        return False
    parts = _class_parts(f"{el.get('class') or ''} {el.get('id') or ''}")
    joined = "-".join(parts)
    if any(p in joined for p in _JUNK_PHRASES):
        return False
    return set(parts) & _JUNK_TOKENS <= _LEAD_WORDS


def _media_box(el: etree._Element) -> bool:
    """Does ``el``'s class or id name an image or photo box (``div.image``, ``photo-wrap``)?"""
    value = el.get("class") or el.get("id")
    if not value:
        return False
    parts = _class_parts(value)
    # "has-image", "no-image" are modifiers of another box, not image boxes
    return any(
        t in _MEDIA_TOKENS and (i == 0 or parts[i - 1] not in _MEDIA_MODIFIERS)
        for i, t in enumerate(parts)
    )


def _label(el: etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else "?"
    out = tag
    if el.get("id"):
        out += "#" + (el.get("id") or "")
    cls = (el.get("class") or "").split()
    if cls:
        out += "." + ".".join(cls[:3])
    return out


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(slots=True)
class _Span:
    el: etree._Element
    first: int
    end: int
    chrome: int  # 0, 1 (weak sign) or 2 (strong sign)
    body_mark: bool  # itemprop=articleBody


@dataclass(slots=True)
class Segmentation:
    """Blocks of a page (masked chrome removed) and the best container among its elements."""

    blocks: list[Block]  # all blocks, in document order
    live: list[bool]  # False for blocks inside masked chrome
    hard: list[bool]  # True for blocks masked by strong chrome (not only <header>/weak words)
    container: etree._Element | None
    first: int
    end: int
    score: float

    def chosen(self) -> list[Block]:
        return [
            b
            for b, ok in zip(
                self.blocks[self.first : self.end], self.live[self.first : self.end], strict=True
            )
            if ok
        ]


def _verdict(tag: str, attrs: list[tuple[str, str]]) -> int:
    """-1 if the element is hidden, else its chrome level (0, 1 or 2)."""
    cls = ident = role = None
    for key, value in attrs:
        if key == "class":
            cls = value
        elif key == "id":
            ident = value
        elif key == "style":
            if _HIDDEN_STYLE.search(value):
                return -1
        elif key == "hidden":
            return -1
        elif key == "aria-hidden":
            if value.strip().lower() == "true":
                return -1
        elif key == "role":
            role = value
    if cls and _hidden_class(cls):
        return -1
    if tag in _CHROME_TAGS:
        return 2
    if role and role.strip().lower() in _CHROME_ROLES:
        return 2
    if tag in _HEADINGS:
        ident = None  # an anchor id on a heading (``nav_section_2``) says nothing of its text
    if cls or ident:
        return _class_level(f"{cls or ''} {ident or ''}")
    return 0


@lru_cache(maxsize=16384)
def _hidden_class(cls: str) -> bool:
    return not _HIDDEN_CLASSES.isdisjoint(cls.lower().split())


def _walk(body: etree._Element) -> tuple[list[Block], list[_Span]]:
    """Cut ``body`` into blocks; also return every element that owns blocks, with its range."""
    blocks: list[Block] = []
    spans: list[_Span] = []
    # per open element: (first block, chrome level, is boundary, skipped)
    stack: list[tuple[int, int, bool, bool]] = []
    buf: list[str] = []
    link_chars = 0
    links = 0
    link_depth = 0
    block_tags: list[str] = []
    block_set = _BLOCK_TAGS
    drop_set = _DROP_TAGS
    chrome_tags = _CHROME_TAGS

    def flush() -> None:
        nonlocal link_chars, links
        if buf:
            text = _norm("".join(buf))
            buf.clear()
            if text:
                tag = block_tags[-1] if block_tags else "body"
                blocks.append(Block(text, tag, min(link_chars, len(text)), links=links))
        link_chars = 0
        links = 0

    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # comments and PIs are removed by the parser
            continue
        if event == "start":
            chrome = 0
            if el is not body:
                if tag in drop_set:
                    walker.skip_subtree()
                    stack.append((0, 0, False, True))
                    continue
                attrs = el.items()
                if attrs:
                    chrome = _verdict(tag, attrs)
                    if chrome < 0:
                        walker.skip_subtree()
                        stack.append((0, 0, False, True))
                        continue
                elif tag in chrome_tags:
                    chrome = 2
            boundary = chrome > 0 or tag in block_set
            if boundary:
                flush()
                block_tags.append(tag if tag in block_set else "div")
            if tag == "a":
                link_depth += 1
                links += 1
            stack.append((len(blocks), chrome, boundary, False))
            text = el.text
            if text:
                buf.append(text)
                if link_depth:
                    link_chars += len(text)
            continue
        first, chrome, boundary, skipped = stack.pop()
        if not skipped:
            if boundary:
                flush()
                block_tags.pop()
            if tag == "a":
                link_depth -= 1
            if len(blocks) > first:
                spans.append(
                    _Span(el, first, len(blocks), chrome, el.get("itemprop") == "articleBody")
                )
        tail = el.tail
        if tail and el is not body:
            buf.append(tail)
            if link_depth:
                link_chars += len(tail)
    flush()
    return blocks, spans


def _word_count(text: str) -> int:
    """Words of a block; in scripts without spaces (CJK, Thai) four characters count as one."""
    words = text.count(" ") + 1
    n = len(text)
    if words * 12 < n:
        words = max(words, n // 4)
    return words


def _classify(blocks: list[Block], hint: str | None) -> None:
    hint_norm = _norm(hint).lower() if hint else None
    for blk in blocks:
        blk.teaser = False
        text = blk.text
        n = len(text)
        words = _word_count(text)
        ld = blk.link_chars / n
        if text.startswith("<") and "=" in text:  # markup leaked as text (noscript in head)
            blk.good = False
            blk.junk = True
            continue
        if hint_norm is not None and words >= 3:
            blk.good = ld < 0.5 and text.lower() in hint_norm
        else:
            max_ld = MAX_LINK_DENSITY if words < 25 else 0.5
            blk.good = ld < max_ld and (
                words >= MIN_GOOD_WORDS
                or (words >= 4 and bool(_SENTENCE_END.search(text)) and blk.tag not in _HEADINGS)
            )
    # Teasers: good blocks between link-only blocks (a linked headline before, another linked
    # headline or nothing after; short plain lines such as dates in between are skipped),
    # repeated as in a story list, are not article text. A single such block is more likely a
    # paragraph after an inline "read also" link, and stays.
    candidates: list[int] = []
    prev_link = True
    for i, blk in enumerate(blocks):
        if blk.good and len(blk.text) < TEASER_CHARS and prev_link:
            nxt = _next_linkish(blocks, i)
            if nxt:
                candidates.append(i)
        if blk.good or blk.link_density > 0.5 or len(blk.text) >= _SHORT_LINE:
            prev_link = _linkish(blk)
    for j, i in enumerate(candidates):
        near_prev = j > 0 and i - candidates[j - 1] <= 4
        near_next = j + 1 < len(candidates) and candidates[j + 1] - i <= 4
        if near_prev or near_next:
            blocks[i].good = False
            blocks[i].teaser = True


def _linkish(blk: Block) -> bool:
    """A linked headline or a "read more" link: mostly link text, headline length."""
    return not blk.good and blk.link_density > 0.8 and len(blk.text) < 200


def _next_linkish(blocks: list[Block], i: int) -> bool:
    """Is the next block that is not a short plain line a link block (or the end)?"""
    for j in range(i + 1, min(len(blocks), i + 4)):
        nxt = blocks[j]
        if nxt.good or nxt.link_density > 0.5 or len(nxt.text) >= _SHORT_LINE:
            return _linkish(nxt)
    return i + 1 >= len(blocks)


def _prefix(blocks: list[Block], live: list[bool]) -> tuple[list[float], list[float]]:
    good_prefix = [0.0]
    bad_prefix = [0.0]
    g = b = 0.0
    for blk, ok in zip(blocks, live, strict=True):
        if ok:
            nonlink = len(blk.text) - blk.link_chars
            if blk.tag in _HEADINGS and blk.link_density <= 0.5:
                pass  # headings neither make nor break a container
            elif blk.good:
                g += nonlink
                b += blk.link_chars * 0.5
            else:
                b += blk.link_chars + 0.5 * nonlink
        good_prefix.append(g)
        bad_prefix.append(b)
    return good_prefix, bad_prefix


def _classify_live(blocks: list[Block], live: list[bool], hint: str | None) -> None:
    _classify([b for b, ok in zip(blocks, live, strict=True) if ok], hint)


def _choose(
    blocks: list[Block], spans: list[_Span], live: list[bool]
) -> tuple[float, int, int, etree._Element | None]:
    good_prefix, bad_prefix = _prefix(blocks, live)
    live_prefix = [0]
    for ok in live:
        live_prefix.append(live_prefix[-1] + ok)
    best: tuple[float, int, int, etree._Element | None] = (float("-inf"), 0, 0, None)
    for sp in spans:
        gs = good_prefix[sp.end] - good_prefix[sp.first]
        if gs <= 0 or live_prefix[sp.end] == live_prefix[sp.first]:
            continue
        score = gs - ALPHA * (bad_prefix[sp.end] - bad_prefix[sp.first])
        if score > best[0]:
            best = (score, sp.first, sp.end, sp.el)
    return best


def _structural(el: etree._Element) -> bool:
    """Chrome by tag or ARIA role (``nav``, ``aside``, ``role=complementary``), not by words."""
    return el.tag in _CHROME_TAGS or (el.get("role") or "").strip().lower() in _CHROME_ROLES


def _unmask_body(
    blocks: list[Block], live: list[bool], structural: list[bool], first: int, end: int
) -> bool:
    """Inside a ``<main>``/``<article>`` (body signals) spanning blocks ``first:end``, text
    and link density come before class words: when masking by class/id words removed most of
    that element's good text one small entry at a time (live-ticker entries named
    ``comment``), its prose blocks under those words are unmasked; text masked by tag or role,
    or as a whole section (a comment thread under one ``comments`` element), stays masked.
    Returns whether any block was unmasked. O(end - first).
    """
    live_good = masked_good = 0
    for i in range(first, end):
        blk = blocks[i]
        if blk.good and blk.link_density < 0.2:
            if live[i]:
                live_good += len(blk.text)
            elif not structural[i]:
                masked_good += len(blk.text)
    if masked_good <= UNMASK_SHARE * (live_good + masked_good):
        return False
    for i in range(first, end):
        if not live[i] and not structural[i] and blocks[i].good and blocks[i].link_density < 0.2:
            live[i] = True
    return True


def _body_ranges(spans: list[_Span], first: int, end: int) -> list[tuple[int, int]]:
    """Block ranges of the ``<main>``/``<article>`` elements to judge by density: the innermost
    one holding the chosen container ``first:end``; with no container (``end == 0``), every
    outermost one (disjoint ranges, so the work stays linear)."""
    body_spans = [sp for sp in spans if sp.el.tag in _BODY_TAGS and not sp.chrome]
    if end:
        # spans are listed innermost first
        for sp in body_spans:
            if sp.first <= first and end <= sp.end:
                return [(sp.first, sp.end)]
        return []
    body_spans.sort(key=lambda sp: (sp.first, -sp.end))
    out: list[tuple[int, int]] = []
    for sp in body_spans:
        if not out or sp.first >= out[-1][1]:
            out.append((sp.first, sp.end))
    return out


def segment(body: etree._Element, hint: str | None = None) -> Segmentation:
    """Walk ``body`` once, mask chrome and pick the best container (see the module doc)."""
    blocks, spans = _walk(body)
    live = [True] * len(blocks)
    _classify(blocks, None)
    good_prefix, _ = _prefix(blocks, live)
    total = max(1.0, good_prefix[-1])
    marks = [(sp.first, sp.end) for sp in spans if sp.body_mark and sp.end > sp.first]
    # Judge sizes without the text already marked as chrome by tag or role (navigation,
    # asides, footers, comment sections under <aside>...): a long thread must not make the
    # article look small next to the page. Chrome by words is then judged against the rest.
    struct_mask = [0] * (len(blocks) + 1)
    for sp in spans:
        if sp.end == sp.first or sp.el.tag in _SOFT_CHROME_TAGS or not _structural(sp.el):
            continue
        if any(sp.first <= a and b <= sp.end for a, b in marks):
            continue  # holds the marked-up article body: never masked below
        if good_prefix[sp.end] - good_prefix[sp.first] <= PROTECT_RATIO * 2 * total:
            struct_mask[sp.first] += 1
            struct_mask[sp.end] -= 1
    depth = 0
    outside = 0.0
    for i in range(len(blocks)):
        depth += struct_mask[i]
        if depth == 0:
            outside += good_prefix[i + 1] - good_prefix[i]
    content_total = max(1.0, outside)
    # Mask chrome: a difference array over block indexes, O(blocks + spans).
    diff = [0] * (len(blocks) + 1)
    hard_diff = [0] * (len(blocks) + 1)
    struct_diff = [0] * (len(blocks) + 1)
    chars = [0]
    for blk in blocks:
        chars.append(chars[-1] + len(blk.text))
    for sp in spans:
        if sp.end == sp.first:
            continue
        if not sp.chrome:
            if chars[sp.end] - chars[sp.first] > CAPTION_CHARS or not _media_box(sp.el):
                continue
            sp.chrome = 1  # a short text in an image/photo box: a caption or credit
        if _structural(sp.el) or sp.end - sp.first > ENTRY_BLOCKS:
            # even when protected below: such text is never unmasked by _unmask_body
            struct_diff[sp.first] += 1
            struct_diff[sp.end] -= 1
        good = good_prefix[sp.end] - good_prefix[sp.first]
        if good > PROTECT_RATIO * sp.chrome * (total if _structural(sp.el) else content_total):
            continue
        if any(sp.first <= a and b <= sp.end for a, b in marks):
            continue
        diff[sp.first] += 1
        diff[sp.end] -= 1
        if (sp.chrome == 2 and sp.el.tag not in _SOFT_CHROME_TAGS) or (
            sp.chrome == 1 and not _lead_words_only(sp.el)
        ):
            hard_diff[sp.first] += 1
            hard_diff[sp.end] -= 1
    depth = hard_depth = struct_depth = 0
    hard = [False] * len(blocks)
    structural = [False] * len(blocks)  # masked by tag/role or by a whole section
    for i in range(len(blocks)):
        depth += diff[i]
        hard_depth += hard_diff[i]
        struct_depth += struct_diff[i]
        live[i] = depth == 0
        hard[i] = hard_depth > 0
        structural[i] = struct_depth > 0
    _classify_live(blocks, live, None)
    score, first, end, container = _choose(blocks, spans, live)
    unmasked = False
    for lo, hi in _body_ranges(spans, first, end if container is not None else 0):
        unmasked |= _unmask_body(blocks, live, structural, lo, hi)
    if unmasked:
        _classify_live(blocks, live, None)
        score, first, end, container = _choose(blocks, spans, live)
    seg = Segmentation(blocks, live, hard, container, first, end, score)
    if hint is not None:
        # A hint much shorter than the unhinted pick (an articleBody holding only the first
        # paragraph) would shrink the body: it is dropped.
        plain = sum(len(b.text) for b in seg.chosen() if b.good)
        if len(_norm(hint)) < HINT_MIN_SHARE * plain:
            return seg
        _classify_live(blocks, live, hint)
        score, first, end, container = _choose(blocks, spans, live)
        hinted = Segmentation(blocks, live, hard, container, first, end, score)
        # Trust the hint only when the chosen blocks cover most of it.
        covered = sum(len(b.text) for b in hinted.chosen() if b.good)
        if container is not None and covered >= HINT_COVERAGE * len(_norm(hint)):
            return hinted
        _classify_live(blocks, live, None)
    return seg


def _lead(seg: Segmentation, title_norm: str | None) -> list[Block]:
    """Prose blocks between the headline and the chosen container's text (a lead, a
    standfirst, a summary), even inside ``<header>`` or under weak class words such as
    ``teaser``, and also when that ``<header>`` lies inside the container.

    The body starts at the container's first live good block; the headline is the last
    heading before it that equals the title (or the last ``<h1>``), at most ``LEAD_BLOCKS``
    blocks away. Blocks under strong chrome words (``related``, ``share``...), link-heavy
    blocks and teasers stay out; live blocks inside the container are emitted with it.
    """
    blocks = seg.blocks
    body_start = seg.first
    while body_start < seg.end and not (
        seg.live[body_start]
        and blocks[body_start].good
        and blocks[body_start].tag not in _HEADINGS
    ):
        body_start += 1
    start = None
    for i in range(body_start - 1, max(-1, body_start - LEAD_BLOCKS - 2), -1):
        blk = blocks[i]
        if blk.tag in _HEADINGS and (
            blk.tag == "h1" or (title_norm is not None and blk.text.lower() == title_norm)
        ):
            start = i
            break
    if start is None:
        return []
    return [
        blk
        for i, blk in enumerate(blocks[start + 1 : body_start], start + 1)
        if (i < seg.first or not seg.live[i])
        and blk.good
        and not blk.teaser
        and not blk.junk
        and not seg.hard[i]
        and blk.tag not in _HEADINGS
        and _lead_like(blk)
    ]


def _linked_prose(body: list[Block], j: int) -> bool:
    """A fully linked paragraph that reads as prose (a quote, a question linked to its
    source): a ``<p>`` with one link that ends like a sentence, with enough words and not in
    capitals, between good blocks."""
    blk = body[j]
    if blk.tag != "p" or blk.links != 1 or not 0 < j < len(body) - 1:
        return False
    if not (body[j - 1].good and body[j + 1].good):
        return False
    text = blk.text
    words = _word_count(text)
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    return (
        words >= MIN_GOOD_WORDS
        and upper <= lower  # not a shouted headline
        and _SENTENCE_END.search(text) is not None
    )


def _lead_like(blk: Block) -> bool:
    """A good block that reads as a sentence and is not a date line (a lead, a standfirst)."""
    return (
        blk.good
        and blk.link_density < 0.2
        and _SENTENCE_END.search(blk.text) is not None
        and not is_date_line(blk.text)
    )


def _box(blk: Block) -> bool:
    """A short block that is neither a paragraph-like block nor a heading."""
    return (
        len(blk.text) < BOX_CHARS and blk.tag not in _PARAGRAPH_TAGS and blk.tag not in _HEADINGS
    )


def _drop_boxes(body: list[Block]) -> list[Block]:
    """In a body made mostly of ``<p>``, drop short ``<div>`` blocks (disclaimer, bio and
    download boxes; a lead-like standfirst before the first paragraph stays) and headings left
    at its end ("Related media")."""
    p_chars = sum(len(b.text) for b in body if b.tag in _PARAGRAPH_TAGS)
    p_count = sum(b.tag == "p" for b in body)
    if p_count >= BOX_MIN_PARAGRAPHS and p_chars >= P_SHARE * sum(len(b.text) for b in body):
        first_p = next(i for i, b in enumerate(body) if b.tag == "p")
        body = [
            b
            for i, b in enumerate(body)
            if not _box(b) or (i < first_p and _lead_like(b))
        ]
    while body and body[-1].tag in _HEADINGS:
        body.pop()
    return body


def _drop_footer_lines(paragraphs: list[str]) -> list[str]:
    """Drop short lines near the end of a body that carry a legal, subscription or policy
    word (copyright and rights lines, newsletter sign-ups, privacy-policy and standards
    links), in any of the languages the pattern knows."""
    if not paragraphs:
        return paragraphs
    start = max(0, len(paragraphs) - FOOTER_TAIL)
    keep = paragraphs[:start]
    for text in paragraphs[start:]:
        if len(text) <= FOOTER_CHARS and (
            _LEGAL_WORDS.search(text)
            or _SUBSCRIBE_WORDS.search(text)
            or (len(text) <= POLICY_CHARS and _POLICY_WORDS.search(text))
        ):
            continue
        keep.append(text)
    return keep


def extract_from_tree(
    root: etree._Element,
    *,
    title: str | None = None,
    hint: str | None = None,
) -> MainText:
    """Extract the main text of a parsed page (the tree is not modified).

    ``title`` is the headline (dropped when it opens the body); ``hint`` is a JSON-LD
    ``articleBody`` if the page has one.
    """
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        body = root
    seg = segment(body, hint)
    if seg.container is None:
        return MainText([], None, 0.0, len(seg.blocks), ["no text block with enough words"])
    chosen = seg.chosen()
    # Trim chrome left at the container's edges (bylines, share lines, "more" links).
    lo, hi = 0, len(chosen)
    while lo < hi and not chosen[lo].good and chosen[lo].tag not in _HEADINGS:
        lo += 1
    while hi > lo and not chosen[hi - 1].good and chosen[hi - 1].link_density > 0.3:
        hi -= 1
    title_norm = _norm(title).lower() if title else None
    lead = _lead(seg, title_norm)
    seen: set[str] = {blk.text for blk in lead}
    emitted: list[Block] = []
    kept = chosen[lo:hi]
    for j, blk in enumerate(kept):
        if blk.tag in _HEADINGS and title_norm and blk.text.lower() == title_norm:
            continue
        if blk.teaser or blk.junk:
            continue
        if blk.link_density > 0.6 and not blk.good and not _linked_prose(kept, j):
            continue
        if len(blk.text) >= _REPEAT_CHARS:
            # A visible second copy of the body (AMP or mobile markup in the same container).
            if blk.text in seen:
                continue
            seen.add(blk.text)
        emitted.append(blk)
    out = [blk.text for blk in lead + _drop_boxes(emitted)]
    return MainText(_drop_footer_lines(out), _label(seg.container), seg.score, len(seg.blocks))
