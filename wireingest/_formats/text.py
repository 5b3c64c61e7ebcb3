"""Plain-text page dumps (what a scraper saves after stripping markup).

Shape we expect, learned from real dumps such as the project's seed page::

    french.xinhuanet.com                      <- optional site line (a bare host name)
    L'AG de l'ONU entend rédiger ...          <- title: first short line
    French.xinhuanet.com | Publié le ...      <- header lines: short lines with a date / byline
    NEW YORK (Nations Unies), 28 ... -- ...   <- body paragraphs
    ...

The parser only splits the dump into a title, header metadata and body paragraphs. Repeated
copies of the article, contact lines and tracking IDs are left for the shared cleaner
(:mod:`wireingest._clean`), which handles them the same way for every format.

Paragraphs: blank lines separate paragraphs. A block of several lines is re-joined into one
paragraph when it looks hard-wrapped (most lines long and not ending a sentence); otherwise each
line is its own paragraph, as in dumps that put one paragraph per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from wireingest._draft import Draft
from wireingest._formats._decode import DecodeError, decode_text, tidy_text
from wireingest.types import Reject

_HOST_LINE_RE = re.compile(
    r"^(?:https?://)?([a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9\-]+)+)/?$", re.I
)
_SENTENCE_END = (".", "!", "?", "»", '"', "”", ":", "。", "！", "？")
_LETTER_RE = re.compile(r"[^\W\d_]", re.U)
_MAX_TITLE = 300
_HEADER_LINE_MAX = 160


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _is_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    body = lines[:-1]
    long_open = sum(1 for ln in body if len(ln) >= 40 and not ln.endswith(_SENTENCE_END))
    return long_open >= max(1, int(0.6 * len(body)))


def split_paragraphs(text: str) -> list[str]:
    """Split dump text into paragraphs (see the module docstring)."""
    paras: list[str] = []
    for block in _blocks(text):
        if _is_wrapped(block):
            paras.append(" ".join(block))
        else:
            paras.extend(block)
    return paras


def _has_letters(s: str) -> bool:
    return _LETTER_RE.search(s) is not None


def parse(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    origin: str | None = None,
) -> Iterator[Draft | Reject]:
    """Parse one text dump into one draft."""
    try:
        text = tidy_text(decode_text(data, content_type))
    except DecodeError as exc:
        yield Reject(reason="invalid", message=f"not text: {exc}", url=url, origin=origin)
        return
    yield from parse_text(text, url=url, origin=origin)


def parse_text(
    text: str, *, url: str | None = None, origin: str | None = None
) -> Iterator[Draft | Reject]:
    """Parse already-decoded dump text (also used for JSON records with a ``text`` field)."""
    from wireingest._meta.dates import parse_date

    paras = split_paragraphs(text)
    if not any(_has_letters(p) for p in paras):
        yield Reject(
            reason="invalid", message="no text: the page has no words", url=url, origin=origin
        )
        return
    source = urlsplit(url).hostname if url else None
    i = 0
    m = _HOST_LINE_RE.match(paras[0]) if paras else None
    if m:
        source = source or m.group(1).lower()
        i = 1
    # Title: the first line with letters that is short and is not itself a date/banner line.
    title: str | None = None
    published = None
    header_end = i
    while header_end < len(paras) and header_end < i + 6:
        line = paras[header_end]
        if len(line) > _MAX_TITLE:
            break
        # A header line carries a date and reads like metadata, not like a sentence.
        headerish = len(line) <= _HEADER_LINE_MAX and not line.endswith((".", "!", "?"))
        if title is None:
            headerish = headerish and len(line) < 40
        dt = parse_date(line) if headerish and published is None else None
        if dt is not None:
            published = dt
            header_end += 1
            continue
        if title is None and _has_letters(line):
            if len(line) > 120 and line.endswith((".", "!", "?")):
                break  # a long line that ends like a sentence is body text, not a title
            title = line
            header_end += 1
            continue
        break
    body = paras[header_end:]
    if not body and title:
        body, title = [title], None
    yield Draft(
        paragraphs=body,
        format="text",
        title=title,
        url=url,
        source=source,
        published=published,
        origin=origin,
    )
