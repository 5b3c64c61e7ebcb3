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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub("", text)
    if not text.isascii():
        text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
        text = text.replace("\u200b", "").replace("\ufeff", "")
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return text
