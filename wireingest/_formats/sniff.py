"""Content-based format detection.

``sniff(data, content_type, url)`` looks at the bytes first (BOM, first markup element, JSON
shape, binary-ness) and uses the declared content type and the URL's extension only to break ties.
It returns one of: ``feed``, ``jsonfeed``, ``newsml``, ``nitf``, ``ninjs``, ``json``, ``html``,
``text``, ``binary``, ``empty``.

What decides:

* a BOM or a UTF-16/32 NUL pattern is honoured before anything else (a UTF-16 feed is a feed);
* XML: the root element after the prolog (declaration, comments, processing instructions,
  DOCTYPE): ``rss``/``RDF``/``feed``/``channel`` are feeds, the NewsML-G2 item and message roots
  (and G2 fragments in the NAR namespace) are ``newsml``, ``nitf`` is NITF; other roots fall back to
  the IPTC namespaces and feed markers in the head, then to HTML;
* JSON: a ``jsonfeed.org/version`` marker is a JSON Feed; a single object (or array of objects)
  with ninjs markers (``$standard``/``standard`` naming ninjs, or ``uri``/``guid`` plus
  ninjs-only keys such as ``headlines``, ``bodies``, ``versioncreated``) is ninjs; JSON Lines
  and other JSON are ``json`` (whose parser hands single ninjs/JSON Feed objects to those
  parsers anyway);
* the declared content type and the URL only break ties (HTML vs text).
"""

from __future__ import annotations

import re

__all__ = ["sniff"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

_FEED_ROOTS = {"rss", "rdf", "feed", "channel"}
_NAR_NS = b"iptc.org/std/nar/"
_NITF_NS = b"iptc.org/std/NITF/"
_G2_FRAGMENT_ROOTS = {"contentset", "contentmeta", "itemmeta", "groupset", "itemset"}
_NINJS_KEY_RE = re.compile(
    rb'"(?:headlines|bodies|body_text|body_xhtml|body_html|body_html5|versioncreated|versionCreated|'
    rb"firstcreated|firstCreated|pubstatus|pubStatus|byline|renditions|representationtype|"
    rb"representationType|copyrightholder|copyrightHolder|descriptions|eventDetails|"
    rb'eventdetails|plannedCoverage|plannedcoverage)"\s*:'
)
_NINJS_STD_RE = re.compile(rb'"\$?standard"\s*:\s*\{[^{}]*"name"\s*:\s*"ninjs"', re.I)
_URI_KEY_RE = re.compile(rb'"(?:uri|guid)"\s*:')
_NEWSML_ROOTS = {
    "newsitem",
    "packageitem",
    "newsmessage",
    "conceptitem",
    "knowledgeitem",
    "planningitem",
    "catalogitem",
    "newsml",  # NewsML 1.x
}
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_SPACE_RE = re.compile(rb"\s+")
_DOCTYPE_RE = re.compile(
    rb"<!DOCTYPE(?:[^\"'\[>]+|\"[^\"]*\"|'[^']*')*+"
    rb"(?:\[(?:[^\"'\]<]+|\"[^\"]*\"|'[^']*'|<!--.*?-->|<\?.*?\?>|<(?!!--|\?))*+\])?\s*>",
    re.S | re.I,
)  # possessive, and an unterminated comment or PI ends the match: linear on any input
_HTML_HINT_RE = re.compile(
    rb"<(?:html|head|body|div|p|article|section|meta|title|span|a|table|br|h[1-6])\b", re.I
)


def _head_text(data: bytes, limit: int = 8192) -> bytes:
    """The first bytes as ASCII-compatible bytes, transcoding UTF-16/32 heads for sniffing."""
    head = data[: limit * 4]
    for bom, enc in _BOMS:
        if head.startswith(bom):
            if enc == "utf-8":
                return head[len(bom) : len(bom) + limit]
            return head[len(bom) :].decode(enc, errors="ignore").encode("utf-8", "ignore")[:limit]
    # UTF-16 without BOM: '<\x00?\x00' or '\x00<\x00?'
    if head[:4] in (b"<\x00?\x00", b"<\x00r\x00", b"<\x00f\x00"):
        return head.decode("utf-16-le", errors="ignore").encode("utf-8", "ignore")[:limit]
    if head[:4] in (b"\x00<\x00?", b"\x00<\x00r", b"\x00<\x00f"):
        return head.decode("utf-16-be", errors="ignore").encode("utf-8", "ignore")[:limit]
    return head[:limit]


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or (13 < b < 32 and b != 27))


def _looks_binary(head: bytes) -> bool:
    """More than 1% NUL bytes (and more than one), or more than 5% control bytes: a stray NUL in
    a page is not enough (the parsers drop it)."""
    if not head:
        return False
    if head.count(0) > max(1, len(head) // 100):
        return True
    bad = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bad / len(head) > 0.05


def _xml_root(text: bytes) -> str | None:
    """The name of the root element after the prolog (declaration, comments, processing
    instructions, DOCTYPE with its internal subset, however long each of them is)."""
    pos = 0
    n = len(text)
    while pos < n:
        m = _SPACE_RE.match(text, pos)
        pos = m.end() if m else pos
        if text.startswith(b"<?", pos):
            end = text.find(b"?>", pos + 2)
            pos = n if end < 0 else end + 2
        elif text.startswith(b"<!--", pos):
            end = text.find(b"-->", pos + 4)
            pos = n if end < 0 else end + 3
        elif text[pos : pos + 9].upper() == b"<!DOCTYPE":
            # quoted literals, comments and PIs are skipped whole: a '>' or ']>' inside an
            # entity value does not end the declaration
            m = _DOCTYPE_RE.match(text, pos)
            pos = m.end() if m else n
        else:
            break
    m = _ROOT_RE.match(text, pos)
    if not m:
        return None
    return m.group(2).decode("ascii", "ignore").lower()


def _json_lines(head: bytes) -> bool:
    """Two or more one-line JSON values: JSON Lines, whatever each record holds."""
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    if len(lines) < 2:
        return False
    first = lines[0]
    return first.startswith(b"{") and first.endswith(b"}") and lines[1].startswith(b"{")


def _sniff_json(head: bytes) -> str:
    low = head.lower()
    if b"jsonfeed.org/version" in low:
        return "jsonfeed"
    if _json_lines(head):
        return "json"
    if _NINJS_STD_RE.search(head) or (_URI_KEY_RE.search(head) and _NINJS_KEY_RE.search(head)):
        return "ninjs"
    return "json"


def sniff(data: bytes, content_type: str | None = None, url: str | None = None) -> str:
    """Name the format of ``data`` (see the module docstring for the possible answers)."""
    if not data or not data.strip():
        return "empty"
    head = _head_text(data)
    stripped = head.lstrip()
    if not stripped:
        return "empty"
    if _looks_binary(head):
        return "binary"
    first = stripped[:1]
    if first in (b"{", b"["):
        return _sniff_json(stripped)
    if first == b"<":
        # the prolog may be longer than the head (a long comment, a large internal DTD
        # subset): an ASCII-compatible document is searched for its root element in full
        ascii_compatible = data.startswith(head) or data.startswith(b"\xef\xbb\xbf")
        root = _xml_root(stripped)
        if root is None and ascii_compatible and len(data) > len(head):
            root = _xml_root(data.removeprefix(b"\xef\xbb\xbf").lstrip())
        if root in _FEED_ROOTS:
            return "feed"
        if root in _NEWSML_ROOTS:
            return "newsml"
        if root == "nitf":
            return "nitf"
        if root in _G2_FRAGMENT_ROOTS or (root != "html" and _NAR_NS in stripped[:4096]):
            return "newsml"
        if root != "html" and _NITF_NS in stripped[:4096]:
            return "nitf"
        if root == "html" or _HTML_HINT_RE.search(stripped[:2048]):
            return "html"
        ct = (content_type or "").lower()
        if "rss" in ct or "atom" in ct or b"<item" in head or b"<entry" in head:
            return "feed"
        return "html"
    ct = (content_type or "").lower()
    if "html" in ct and _HTML_HINT_RE.search(head):
        return "html"
    return "text"
