"""The one safe way wireingest parses XML.

Every XML document the project reads (NewsML-G2, NITF, the RSS/Atom fast path, XHTML bodies)
goes through :func:`parse_xml`. It is safe against hostile input:

* the lxml parser never resolves entities (``resolve_entities=False``), never loads a DTD
  (``load_dtd=False``), never touches the network (``no_network=True``) and keeps libxml2's
  size and depth limits on (``huge_tree=False``);
* before parsing, :func:`check_entities` looks at every entity declaration in the document
  (wherever it hides: a long comment before the DOCTYPE or a ``]>`` inside an earlier entity
  value does not hide one) and rejects a document that declares more than
  :data:`MAX_ENTITY_DECLS` entities, declares an entity whose value refers to another entity
  (the shape of "billion laughs" and nested entity bombs, also through character references to
  ``&``, ``%`` or ``<``), a parameter entity whose value holds markup, or whose references
  would add more than :data:`MAX_ENTITY_EXPANSION` bytes (the "quadratic blowup": one long
  entity referenced many times). Such documents raise :class:`UnsafeXML` instead of being
  parsed. UTF-16/32 and UTF-7 documents are checked as the parsers decode them. External
  entities may be declared (real feeds
  declare the XHTML entity sets) but are never loaded.

API::

    root = parse_xml(data)                 # raises UnsafeXML or XMLSyntaxError
    root = parse_xml(data, recover=True)   # lxml recovery mode for broken markup

Callers catch :data:`XML_ERRORS` (``UnsafeXML``, ``NoRootElement``, ``XMLSyntaxError``) and
turn it into a ``Reject(reason="invalid")`` with ``str(exc)`` as the one-line message.
"""

from __future__ import annotations

import codecs
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

_ENTITY_DECL_RE = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s\"'>%]+)\s*(SYSTEM\b|PUBLIC\b|\"|')?")
# An entity reference that is not a character reference nor one of XML's five predefined ones.
_ENTITY_REF_RE = re.compile(rb"&(?!#|(?:lt|gt|amp|apos|quot);)[A-Za-z_:][\w.:-]*;|%[A-Za-z_:]")
# A character reference to '&', '%' or '<': expanded when the entity is declared, it makes a
# reference or a declaration out of the entity's value (the indirect form of an entity bomb).
_MARKUP_CHAR_REF_RE = re.compile(rb"&#(?:0*(?:38|37|60)|x0*(?:26|25|3[cC]));")
_ENCODING_DECL_RE = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})")


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


def _as_parsed(data: bytes) -> bytes:
    """The bytes as the XML parsers will read them, in an ASCII-compatible encoding.

    UTF-16/32 (BOM or NUL pattern) and declared encodings that spell ``<!ENTITY`` differently
    from ASCII (UTF-7, which feedparser decodes before expat sees the text) are decoded.
    """
    text = decode_head(data)
    if text is not data:
        return text
    m = _ENCODING_DECL_RE.match(data)
    if m is None:
        return data
    name = m.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name)
        same = "<!ENTITY&%;#".encode(codec.name, "strict") == b"<!ENTITY&%;#"
    except (LookupError, UnicodeError, ValueError):
        return data
    if same:
        return data
    return data.decode(codec.name, "replace").encode("utf-8")


def _declarations(text: bytes) -> list[tuple[bool, bytes, bytes | None]]:
    """Every entity declaration in ``text``: (is a parameter entity, name, literal value or None
    for an external entity).

    Declarations are looked for in the whole document, not only in what looks like the
    internal DTD subset: a long comment before the DOCTYPE, or a ``]>`` inside an earlier
    entity value, must not hide one. Something that only looks like a declaration (inside a
    comment or a CDATA section) is counted too; feeds and wire items have no reason to show one.
    """
    out: list[tuple[bool, bytes, bytes | None]] = []
    for m in _ENTITY_DECL_RE.finditer(text):
        quote = m.group(3)
        value: bytes | None = None
        if quote in (b'"', b"'"):
            end = text.find(quote, m.end())
            value = text[m.end() : end if end >= 0 else len(text)]
        out.append((bool(m.group(1)), m.group(2), value))
    return out


def check_entities(data: bytes) -> None:
    """Raise :class:`UnsafeXML` when ``data`` declares entities like a hostile document.

    Time and memory are linear in the size of ``data``: one count of ``<!ENTITY``, then at most
    :data:`MAX_ENTITY_DECLS` declarations are read, and one count per declared entity of its
    references.
    """
    text = _as_parsed(data)
    count = text.count(b"<!ENTITY")
    if count == 0:
        return
    if count > MAX_ENTITY_DECLS:
        raise UnsafeXML(f"unsafe XML: declares {count} entities (limit {MAX_ENTITY_DECLS})")
    expansion = 0
    for is_param, raw_name, value in _declarations(text):
        name = raw_name.decode("utf-8", "replace")
        if value is None:
            # External entities may be declared (real feeds declare the XHTML entity sets): the
            # parsers never load them (load_dtd=False, no_network=True, resolve_entities=False).
            continue
        if _ENTITY_REF_RE.search(value) or _MARKUP_CHAR_REF_RE.search(value):
            raise UnsafeXML(f"unsafe XML: entity {name!r} refers to other entities (entity bomb)")
        if is_param:
            if b"<" in value:
                raise UnsafeXML(f"unsafe XML: parameter entity {name!r} declares markup")
            continue
        if value:
            expansion += len(value) * text.count(b"&" + raw_name + b";")
            if expansion > MAX_ENTITY_EXPANSION:
                raise UnsafeXML(
                    f"unsafe XML: entity references would expand to over "
                    f"{MAX_ENTITY_EXPANSION} bytes (quadratic blowup)"
                )


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
