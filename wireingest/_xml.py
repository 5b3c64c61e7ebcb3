"""The one safe way wireingest parses XML.

Every XML document the project reads (NewsML-G2, NITF, the RSS/Atom fast path, XHTML bodies)
goes through :func:`parse_xml`. It is safe against hostile input:

* the lxml parser never resolves entities (``resolve_entities=False``), never loads a DTD
  (``load_dtd=False``), never touches the network (``no_network=True``) and keeps libxml2's
  size and depth limits on (``huge_tree=False``);
* before parsing, :func:`check_entities` looks at the document's internal DTD subset and
  rejects a document that declares more than :data:`MAX_ENTITY_DECLS` entities, declares an
  entity whose value refers to another entity (the shape of "billion laughs" and nested entity
  bombs), or whose references would add more than :data:`MAX_ENTITY_EXPANSION` bytes (the
  "quadratic blowup": one long entity referenced many times). Such documents raise
  :class:`UnsafeXML` instead of being parsed. External entities may be declared (real feeds
  declare the XHTML entity sets) but are never loaded.

API::

    root = parse_xml(data)                 # raises UnsafeXML or XMLSyntaxError
    root = parse_xml(data, recover=True)   # lxml recovery mode for broken markup

Callers catch :data:`XML_ERRORS` (``UnsafeXML``, ``NoRootElement``, ``XMLSyntaxError``) and
turn it into a ``Reject(reason="invalid")`` with ``str(exc)`` as the one-line message.
"""

from __future__ import annotations

import re

from lxml import etree

__all__ = [
    "MAX_ENTITY_DECLS",
    "MAX_ENTITY_EXPANSION",
    "XML_ERRORS",
    "NoRootElement",
    "UnsafeXML",
    "XMLSyntaxError",
    "check_entities",
    "decode_head",
    "parse_xml",
]

#: More entity declarations than this in an internal DTD subset make a document unsafe.
MAX_ENTITY_DECLS = 32
#: Internal entity references may add at most this many bytes of text when expanded.
MAX_ENTITY_EXPANSION = 1_000_000

XMLSyntaxError = etree.XMLSyntaxError


class UnsafeXML(ValueError):
    """The document declares entities in a way only a hostile document would."""


class NoRootElement(ValueError):
    """Recovery mode found no element at all in the document."""


#: Everything :func:`parse_xml` raises for bad input.
XML_ERRORS: tuple[type[Exception], ...] = (UnsafeXML, NoRootElement, XMLSyntaxError)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_NUL_PATTERNS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)

_DOCTYPE_RE = re.compile(rb"<!DOCTYPE", re.I)
_SUBSET_END_RE = re.compile(rb"\]\s*>")
_ENTITY_DECL_RE = re.compile(
    rb"<!ENTITY\s+(%\s*)?([^\s\"'>]+)\s*(?:(SYSTEM|PUBLIC)\b|(\"[^\"]*\"|'[^']*'))", re.S
)
# An entity reference that is not a character reference nor one of XML's five predefined ones.
_ENTITY_REF_RE = re.compile(rb"&(?!#|(?:lt|gt|amp|apos|quot);)[A-Za-z_:][\w.:-]*;|%[A-Za-z_:]")


def decode_head(data: bytes) -> bytes:
    """``data`` as UTF-8 when it is UTF-16/32 (by BOM or NUL pattern), else unchanged."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc == "utf-8":
                return data
            return data[len(bom) :].decode(enc, "replace").encode("utf-8")
    for pat, enc in _NUL_PATTERNS:
        if data.startswith(pat):
            return data.decode(enc, "replace").encode("utf-8")
    return data


def _internal_subset(text: bytes) -> bytes | None:
    """The internal DTD subset (between ``[`` and ``]>``) of the DOCTYPE, if there is one."""
    m = _DOCTYPE_RE.search(text, 0, 65536)
    if m is None:
        return None
    # The internal subset starts at the first '[' before the DOCTYPE's closing '>'.
    i = m.end()
    n = len(text)
    quote = 0
    while i < n:
        c = text[i]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):
            quote = c
        elif c == 0x5B:  # '['
            # the subset ends at ']' followed by optional space and '>'
            m2 = _SUBSET_END_RE.search(text, i)
            end = m2.start() if m2 else n
            return text[i + 1 : end]
        elif c == 0x3E:  # '>'
            return None
        i += 1
    return None


def check_entities(data: bytes) -> None:
    """Raise :class:`UnsafeXML` when ``data`` declares entities like a hostile document.

    Only the internal DTD subset is inspected; documents without a DOCTYPE pass at once.
    """
    if b"<!" not in data[:65536] and b"\x00" not in data[:4]:
        return
    text = decode_head(data)
    subset = _internal_subset(text)
    if subset is None:
        return
    count = 0
    expansion = 0
    for m in _ENTITY_DECL_RE.finditer(subset):
        count += 1
        name = m.group(2).decode("utf-8", "replace")
        # External entities are allowed to be declared: the parser never loads them
        # (load_dtd=False, no_network=True, resolve_entities=False).
        value = m.group(4) or b""
        if _ENTITY_REF_RE.search(value):
            raise UnsafeXML(f"unsafe XML: entity {name!r} refers to other entities (entity bomb)")
        if len(value) > 2 and not m.group(1):
            expansion += (len(value) - 2) * text.count(b"&" + m.group(2) + b";")
            if expansion > MAX_ENTITY_EXPANSION:
                raise UnsafeXML(
                    f"unsafe XML: entity references would expand to over "
                    f"{MAX_ENTITY_EXPANSION} bytes (quadratic blowup)"
                )
    # Count any declaration the strict pattern above did not match, too.
    count = max(count, subset.count(b"<!ENTITY"))
    if count > MAX_ENTITY_DECLS:
        raise UnsafeXML(f"unsafe XML: declares {count} entities (limit {MAX_ENTITY_DECLS})")


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
        collect_ids=False,
    )


def parse_xml(data: bytes, *, recover: bool = False) -> etree._Element:
    """Parse ``data`` safely and return the root element.

    Raises :class:`UnsafeXML` for entity bombs and external entities, and
    :class:`XMLSyntaxError` when the document is not well-formed (unless ``recover`` is set and
    libxml2 can recover a tree), is empty, or has no root element.
    """
    check_entities(data)
    root = etree.fromstring(data, _parser(recover))
    if root is None:  # recover mode on hopeless input
        raise NoRootElement("no root element")
    return root
