"""Bytes to text for HTML pages: BOM, then the page's own declaration, then HTTP, then UTF-8.

Order of evidence (first that names a charset Python knows wins, subject to the checks below):

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. ``<meta charset=...>`` or ``<meta http-equiv="Content-Type" content="...; charset=...">``
   in the first 16 KB, else the ``encoding`` of an XML declaration (XHTML);
3. the ``charset`` parameter of the HTTP ``Content-Type``;
4. UTF-8.

Declared charsets are often wrong. Two repairs:

* a single-byte declaration (latin-1, windows-125x, iso-8859-x, koi8, ...) over bytes that are
  valid UTF-8 *and* contain multi-byte sequences is taken as UTF-8 (random latin-1 text is
  practically never valid UTF-8);
* a UTF-8 (or missing) declaration over bytes that are not valid UTF-8 is decoded as UTF-8 with
  replacement when the bad bytes are rare (a stray byte in an otherwise UTF-8 page), else as
  windows-1252.

As in browsers, ``iso-8859-1``/``latin-1``/``ascii`` mean windows-1252, and a ``utf-16``
declaration inside an ASCII-compatible byte stream means UTF-8.
"""

from __future__ import annotations

import codecs
import re
from typing import overload

__all__ = ["MAX_ATTRIBUTES", "cap_attributes", "declared_charset", "decode_html"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_:.+-]{1,40})""")
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE)

_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-user-defined": "cp1252",
}

_HIGH = bytes(range(0x80, 0x100))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _normalise(name: str | bytes | None) -> str | None:
    """A Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset the page or the HTTP header declares (page first), as a codec name."""
    m = _META_CHARSET.search(data, 0, 16384)
    if m:
        enc = _normalise(m.group(1))
        if enc:
            return enc
    m = _XML_DECL.match(data, 0, 512)
    if m:
        enc = _normalise(m.group(1))
        if enc:
            return enc
    if content_type:
        m2 = _CT_CHARSET.search(content_type)
        if m2:
            return _normalise(m2.group(1))
    return None


def _is_single_byte(enc: str) -> bool:
    return enc.startswith(("cp", "iso8859", "latin", "koi8", "mac-", "windows-", "tis"))


#: Attributes of one start tag that are kept; the rest are dropped before libxml2 sees them.
MAX_ATTRIBUTES = 128
# A start tag with more than MAX_ATTRIBUTES attributes: group 1 is the tag up to the end of its
# last kept attribute. Possessive throughout, quoted values read whole ('>' may stand in one):
# an attempt reads one tag and stops at the first character that cannot continue it.
# Attributes are parted by white space or '/', or follow a quoted value directly (a="1"b="2").
_ATTR = r"""(?:[\s/]++|(?<=["']))[^\s<>"'=/]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s<>"']*+))?+"""
_MANY_ATTRS_RE = re.compile(rf"(<[A-Za-z][^\s<>/]*+(?:{_ATTR}){{{MAX_ATTRIBUTES}}})(?:{_ATTR})++")
_MANY_ATTRS_BYTES_RE = re.compile(_MANY_ATTRS_RE.pattern.encode("ascii"))


@overload
def cap_attributes(text: str) -> str: ...
@overload
def cap_attributes(text: bytes) -> bytes: ...
def cap_attributes(text: str | bytes) -> str | bytes:
    """``text`` with every start tag cut to its first :data:`MAX_ATTRIBUTES` attributes.

    libxml2's HTML parser checks each new attribute against all earlier ones of its tag, and
    lxml's ``items()`` and the SAX attributes feedparser reads are quadratic too: 64k
    attributes on one element took 16 s in a page and 100 s in a feed. Real documents use a
    few dozen. Linear: one regex pass, each attempt reading one tag. Works on ``str`` and on
    ASCII-compatible ``bytes`` (the same object comes back when nothing was cut).
    """
    if len(text) < 2 * MAX_ATTRIBUTES:
        return text
    if isinstance(text, bytes):
        out_b, n = _MANY_ATTRS_BYTES_RE.subn(rb"\1", text)
        return out_b if n else text
    out, n = _MANY_ATTRS_RE.subn(r"\1", text)
    return out if n else text


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML payload; returns ``(text, encoding_used)``.

    Start tags are cut to their first :data:`MAX_ATTRIBUTES` attributes
    (:func:`cap_attributes`).
    """
    text, encoding = _decode(data, content_type)
    return cap_attributes(text), encoding


def _decode(data: bytes, content_type: str | None) -> tuple[str, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, "replace"), enc
    declared = declared_charset(data, content_type)
    if declared and declared.startswith(("utf-16", "utf-32")):
        declared = "utf-8"  # an ASCII-compatible stream cannot be UTF-16; browsers do the same
    if declared and declared != "utf-8":
        if _is_single_byte(declared) and not data.isascii():
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # wrong declaration: fall through to the UTF-8 / cp1252 guess
        except LookupError:  # pragma: no cover - _normalise already checked the codec
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    non_ascii = len(data) - len(data.translate(None, _HIGH))
    if bad * 10 < non_ascii // 2:  # a few stray bytes in a UTF-8 page
        return text, "utf-8"
    return data.decode("cp1252", "replace"), "cp1252"
