"""ASCII stand-ins for the punctuation that makes most Latin-script news text non-ASCII.

Text-keying code here has fast paths for ASCII (bytes tables in C) and a slower Unicode path
(NFKC, case folding, regexes). Wire copy is often ASCII except for typographic quotes, dashes,
the ellipsis and currency signs. Each of those characters is neither a letter nor a digit nor
whitespace, is unchanged by NFKC (the ellipsis becomes ``...``) and by case folding, and has an
ASCII stand-in with the same role for word and sentence splitting: a closing quote for closing
quotes (``’ ” »``, sentence closers), a dot for the ellipsis (sentence punctuation), an opening
bracket for opening quotes (neither), a comma for the rest. Replacing them one character for
one keeps every position, so a paragraph key, word tokens or sentence starts of the stand-in
text are those of the original.
"""

from __future__ import annotations

__all__ = ["STANDINS", "ascii_standin"]

STANDINS: tuple[tuple[str, str], ...] = (
    ("’", "'"),
    ("“", "("),
    ("”", '"'),
    ("–", ","),
    ("—", ","),
    ("£", ","),
    ("€", ","),
    ("…", "."),
    ("‘", "("),
    ("«", "("),
    ("»", '"'),
    ("„", "("),
    ("•", ","),
    ("°", ","),
)


def ascii_standin(text: str) -> str | None:
    """``text`` with :data:`STANDINS` replaced when that leaves it ASCII, else ``None``."""
    for ch, rep in STANDINS:
        if ch in text:
            text = text.replace(ch, rep)
            if text.isascii():
                return text
    return text if text.isascii() else None
