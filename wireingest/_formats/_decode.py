"""Strict text decoding for the text and JSON formats.

HTML and XML declare their own charsets and have their own decoders; plain text and JSON have no
such declaration, so they must be UTF-8 (or UTF-16/32 with a byte-order mark, or the charset of
the ``Content-Type`` header). Anything else is rejected with the byte offset of the first error
rather than guessed at: a mis-decoded article would poison deduplication downstream.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.I)
# C0/C1 controls except tab and newline; wire copy carries SOH/STX/ETX etc.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C1_UTF8_RE = re.compile(rb"\xc2[\x80-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_LATIN1 = _CONTROL_BYTES + bytes(range(0x80, 0xA0))  # ...and C1, as Latin-1 bytes


class DecodeError(ValueError):
    """The bytes are not text in any encoding we may assume."""


def decode_text(data: bytes, content_type: str | None = None) -> str:
    """Decode ``data`` as BOM-declared, header-declared or UTF-8 text, else raise DecodeError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {enc} at byte {exc.start + len(bom)}") from None
    enc = "utf-8"
    if content_type:
        m = _CHARSET_RE.search(content_type)
        if m:
            try:
                enc = codecs.lookup(m.group(1)).name
            except LookupError:
                enc = "utf-8"
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"invalid {enc} at byte {exc.start} (0x{data[exc.start]:02x}); "
            "declare the charset in the content type"
        ) from None


def tidy_text(text: str) -> str:
    """Normalise line ends, drop control characters and fold exotic spaces to plain spaces."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        # the same deletion as _CONTROL_RE, as one C-level pass over bytes
        raw = text.encode("ascii")
        kept = raw.translate(None, _CONTROL_BYTES)
        return text if len(kept) == len(raw) else kept.decode("ascii")
    try:
        latin = text.encode("latin-1")  # one byte per character: most Western European text
    except UnicodeEncodeError:
        pass
    else:
        # Latin-1 holds none of the other spaces below, and every Latin-1 text is its own NFC
        # form (no combining marks, no singleton decompositions)
        if len(latin.translate(None, _CONTROL_LATIN1)) != len(latin):
            text = _CONTROL_RE.sub("", text)
        return text.replace("\u00a0", " ") if "\u00a0" in text else text
    # C0 controls show as their own bytes in UTF-8, C1 controls as \xc2\x80-\xc2\x9f: two C-level
    # scans instead of a Python regex over every character
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw) or _C1_UTF8_RE.search(raw):
        text = _CONTROL_RE.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
