"""Junk-line rules: lines that are never article text, whatever the site.

General rules (no site named): wire end markers (``(END)``, ``-- ENDS --``), tracking IDs and
codes (long digit runs, long hex runs, UUIDs, ``TASS-ID-...``, ``dpa:220914-99-123456/3``-like
``prefix:digits`` codes), lines made only of symbols, interface words ("Advertisement",
"Share", "Lire aussi"), contact lines (a short line with an e-mail address and a contact word),
and dated banners (``Site | Publié le <date>``, see :func:`wireingest._meta.dates.is_date_line`).
A :class:`~wireingest._profiles.Profile` adds the agency's known footer, banner and
tracking-ID lines.
"""

from __future__ import annotations

import re
import unicodedata

from wireingest._meta._ascii import ascii_standin
from wireingest._meta.dates import is_date_line
from wireingest._profiles import Profile

__all__ = [
    "is_contact_line",
    "is_end_marker",
    "is_interface_line",
    "is_junk",
    "is_symbol_line",
    "is_tracking_id",
    "normalise_paragraph",
    "paragraph_key",
]

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")


_NON_PRINTABLE_ASCII = bytes(range(0x20)) + b"\x7f"


def normalise_paragraph(text: str) -> str:
    """Collapse all whitespace (incl. NBSP) to single spaces; drop zero-width characters."""
    if text.isascii():
        # printable ASCII is 0x20-0x7e: one C-level deletion instead of a lookup per character
        raw = text.encode("ascii")
        printable = len(raw.translate(None, _NON_PRINTABLE_ASCII)) == len(raw)
    else:
        printable = text.isprintable()
    if printable and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # already normal: every whitespace character other than " " and every zero-width
        # character above is non-printable, and the spaces are single and inside
        return text
    if not text.isascii():
        text = _INVISIBLE_RE.sub("", text)
    return " ".join(text.split())


_KEY_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Bytes table for the fast path: ASCII letters to lower case, ASCII digits kept, every other
# ASCII byte (punctuation, ``_``, controls) to a space; bytes >= 0x80 (UTF-8 sequences) kept.
_KEY_BYTES = bytes(
    (ord(chr(c).lower()) if chr(c).isalnum() else 0x20) if c < 0x80 else c for c in range(256)
)


def paragraph_key(text: str) -> str:
    """Comparison key: NFKC, case-folded words joined by single spaces (punctuation dropped).

    The words are the runs of ``[^\\W_]`` (Unicode letters and digits). Computed in C over
    bytes: a table turns ASCII punctuation into spaces and ASCII letters to
    lower case, then a split on whitespace (typographic quotes, dashes and the like read as
    ASCII punctuation, see :mod:`wireingest._meta._ascii`). In other text, a token left with
    a non-ASCII character that is not a letter or digit is split with the regex.
    """
    if not text.isascii():
        text = ascii_standin(text) or text
    if text.isascii():
        return b" ".join(text.encode("ascii").translate(_KEY_BYTES).split()).decode("ascii")
    folded = unicodedata.normalize("NFKC", text).casefold()
    tokens = folded.encode("utf-8", "surrogatepass").translate(_KEY_BYTES)
    key = " ".join(tokens.decode("utf-8", "surrogatepass").split())
    if key.replace(" ", "").isalnum():
        return key
    out: list[str] = []
    for tok in key.split(" "):
        if tok.isalnum():
            out.append(tok)
        else:
            out.extend(_KEY_WORD_RE.findall(tok))
    return " ".join(out)


_ID_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # an agency tag then "-ID-": TASS-ID-12345, XX-ID-ab12
        r"^[A-ZА-Я]{2,10}-ID-[\w-]{2,}$",
        # prefix:digits codes: dpa:220914-99-123456/3, urn-like afp:20220914:123
        r"^[a-z][a-z-]{1,10}:\d{4,}(?:[-:/.]\d+)*$",
        # UUID
        r"^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$",
        # labelled IDs: "ID: 1234567890", "Ref. AB-12345678", "Item ID 83749275"
        r"^(?:id|ref\.?|reference|item id|doc(?:ument)? ?(?:id|no\.?)|story id|n[°º]"
        r"|код|номер)\s*[:#.]?\s*[\w-]*\d[\w-]{5,}$",
    )
)
_TOKEN_ONLY_RE = re.compile(r"^[\[(<{]?([\w:/.#-]+)[\])>}]?\.?$", re.UNICODE)
_HEX_RE = re.compile(r"^[0-9a-f]{24,}$", re.IGNORECASE)


def is_tracking_id(paragraph: str) -> bool:
    """A paragraph that is only a tracking ID/code (long digit or hex runs, ``TASS-ID-...``)."""
    s = paragraph.strip()
    if not s or len(s) > 120:
        return False
    if any(p.match(s) for p in _ID_PATTERNS):
        return True
    m = _TOKEN_ONLY_RE.match(s)
    if m is None:
        return False
    tok = m.group(1)
    if tok.startswith(("http:", "https:", "www.")) or "@" in tok:
        return False
    digits = sum(c.isdigit() for c in tok)
    if digits >= 12 and digits * 10 >= len(tok) * 6:
        return True  # long digit runs (with a few separators or letters)
    if len(tok) >= 16 and digits >= 10 and not re.search(r"[a-z]{4,}", tok, re.IGNORECASE):
        return True
    return bool(_HEX_RE.match(tok.replace("-", "")) and any(c.isdigit() for c in tok))


_END_MARK_RE = re.compile(
    r"^(?:[(\[<]\s*(?i:end|ends|fin|fine|ende|конец|fim|final)\s*[)\]>]"
    r"|[-=*#\s]*(?:END|ENDS|FIN|ENDE|КОНЕЦ)[-=*#\s]*)\.?$"
)


def is_end_marker(paragraph: str) -> bool:
    """A wire end-of-story marker standing alone: ``(END)``, ``-- ENDS --``, ``(fin)``."""
    return len(paragraph) <= 20 and bool(_END_MARK_RE.match(paragraph.strip()))


def is_symbol_line(paragraph: str) -> bool:
    """A paragraph with no letter or digit at all (``***``, ``———``, ``•``)."""
    if paragraph[:1].isalnum():
        return False
    return not any(c.isalnum() for c in paragraph)


_INTERFACE_WORDS = frozenset(
    paragraph_key(w)
    for w in (
        "Advertisement",
        "Advertising",
        "Sponsored",
        "Publicité",
        "Anzeige",
        "Werbung",
        "Publicidad",
        "Pubblicità",
        "Publicidade",
        "Реклама",
        "Share",
        "Share this article",
        "Share this",
        "Partager",
        "Partager cet article",
        "Compartir",
        "Teilen",
        "Condividi",
        "Compartilhar",
        "Поделиться",
        "Tweet",
        "Print",
        "Imprimer",
        "Imprimir",
        "Drucken",
        "Stampa",
        "Email",
        "E-mail",
        "Facebook",
        "Twitter",
        "WhatsApp",
        "LinkedIn",
        "Telegram",
        "Read more",
        "Read More",
        "Lire aussi",
        "Lire la suite",
        "Leer más",
        "Lee también",
        "Mehr zum Thema",
        "Weiterlesen",
        "Leggi anche",
        "Leia mais",
        "Leia também",
        "Читайте также",
        "Related",
        "Related articles",
        "Related stories",
        "Articles connexes",
        "Noticias relacionadas",
        "Top of page",
        "Back to top",
        "Retour en haut",
        "Subscribe",
        "S'abonner",
        "Suscríbete",
        "Abonnieren",
        "Comments",
        "Commentaires",
        "Comentarios",
        "Kommentare",
        "Commenti",
        "Комментарии",
        "Close",
        "Fermer",
        "Cerrar",
        "Schließen",
        "Chiudi",
        "Menu",
        "Skip to content",
        "Aller au contenu",
        "Cookie settings",
        "Accept cookies",
        "Tags",
        "Mots-clés",
        "Etiquetas",
        "Schlagworte",
        "Photo",
        "Video",
        "Vidéo",
        "Vídeo",
        "Foto",
        "Audio",
        "Listen",
        "Écouter",
        "Escuchar",
        "Anhören",
        "Ascolta",
    )
)


def is_interface_line(paragraph: str) -> bool:
    """A page-interface word or phrase standing alone (``Advertisement``, ``Lire aussi``)."""
    return len(paragraph) <= 40 and paragraph_key(paragraph) in _INTERFACE_WORDS


_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_CONTACT_RE = re.compile(
    r"contact|écrivez|ecrivez|write to|e-?mail us|send us|envoyez|escríb|escrib|kontakt"
    r"|schreiben sie|scriveteci|contatt|fale conosco|свяж|пишите|напишите|your question"
    r"|une question|alguna pregunta|domande|fragen|questions?\s*\?|suggestions?|tips?\b",
    re.IGNORECASE,
)


def is_contact_line(paragraph: str) -> bool:
    """A short line inviting readers to write to an e-mail address."""
    if len(paragraph) > 260:
        return False
    return bool(_EMAIL_RE.search(paragraph) and _CONTACT_RE.search(paragraph))


def is_junk(
    paragraph: str,
    *,
    profile: Profile | None = None,
    trusted: bool = False,
) -> bool:
    """Whether ``paragraph`` (already whitespace-normalised) is junk rather than article text.

    Trusted bodies (feed/IPTC) only lose tracking IDs, symbol-only lines and the profile's
    tracking codes; page heuristics (banners, interface words, contact lines) are skipped.
    """
    if not paragraph:
        return True
    if is_symbol_line(paragraph) or is_tracking_id(paragraph) or is_end_marker(paragraph):
        return True
    if profile is not None and profile.is_tracking_id(paragraph):
        return True
    if trusted:
        return False
    if profile is not None and (profile.is_footer(paragraph) or profile.is_site_banner(paragraph)):
        return True
    return is_interface_line(paragraph) or is_contact_line(paragraph) or is_date_line(paragraph)
