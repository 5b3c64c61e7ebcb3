"""Public record types: what wireingest hands out.

* :class:`Document` is what a caller hands in: one fetched page, feed, IPTC item, text dump or
  JSON record, as bytes or text, with the URL and content type it came with.
* :class:`Article` is one clean article. Its JSON form (:meth:`Article.to_dict`) is the stable
  contract of the command line: the field names listed there never change meaning.
* :class:`Reject` is an input that was not emitted, with the reason why. Every input is either
  emitted as an :class:`Article` or rejected; nothing is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Article", "Document", "Reject", "RejectReason"]

_orjson: Any
try:
    import orjson as _orjson
except ImportError:  # a platform without its wheel: the standard library writes the same text
    _orjson = None

# What ``json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)`` builds on
# every call; one shared encoder gives the same text without that setup per record.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
_CONTROLS_BUT_NL = bytes(c for c in range(0x20) if c != 0x0A)


def _json_string(s: str) -> str:
    """``json.encoder.encode_basestring(s)`` (the ``ensure_ascii=False`` form), faster.

    That function escapes only ``"``, ``\\`` and characters below U+0020, one character
    at a time. orjson writes the same text for every string it takes (all but lone
    surrogates: checked code point by code point in the tests) several times faster.
    Without it, ASCII text without DEL comes out the same from the (faster) ASCII encoder;
    other text with no control character but newlines is three ``str.replace`` calls.
    """
    if _orjson is not None:
        try:
            return str(_orjson.dumps(s).decode("utf-8"))
        except TypeError:  # a lone surrogate, which json writes as it is
            pass
    if s.isascii():
        if "\x7f" not in s:  # the ASCII encoder also escapes DEL
            return json.encoder.encode_basestring_ascii(s)
        return json.encoder.encode_basestring(s)
    raw = s.encode("utf-8", "surrogatepass")  # bytes below 0x80 only stand for themselves
    if len(raw.translate(None, _CONTROLS_BUT_NL)) == len(raw):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return json.encoder.encode_basestring(s)


RejectReason = Literal[
    "invalid",  # the input could not be read or holds no article
    "exact-duplicate",  # same normalised body as an emitted article
    "near-duplicate",  # MinHash/LSH match, verified by estimated Jaccard
    "contained",  # a brief/teaser whose text is contained in an emitted article
    "superseded",  # an older or less complete version of an emitted article
    "withdrawn",  # a canceled/withdrawn wire item (names the item it cancels)
    "too-large",  # over the configured size limit
    "not-article",  # a well-formed item that carries no text article (photo, event, ...)
]


@dataclass(frozen=True, slots=True)
class Document:
    """One input as a scraper or a file hands it in.

    ``content`` is the raw payload (bytes are preferred: the format and charset are detected from
    them). ``content_type`` is the HTTP ``Content-Type`` header when known, including any
    ``charset`` parameter. ``id`` overrides the article id for single-article inputs.
    ``origin`` says where the input came from (``path``, ``path:line``, ``<stdin>:3``); it appears
    in diagnostics and reject records.
    """

    content: bytes | str
    url: str | None = None
    content_type: str | None = None
    id: str | None = None
    origin: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Article:
    """One clean article.

    Fixed fields (their names and meanings are the JSON Lines contract):

    ``id``
        The input record's id when it had one (JSON ``id``, feed guid, IPTC guid), else a stable
        hash of source, url, title and body.
    ``url``, ``source``
        The article URL and the site or feed host it came from (``french.xinhuanet.com``).
    ``agency``
        Lower-case short name of the originating agency (``xinhua``, ``ap``, ``reuters``,
        ``afp``, ``dpa``, ``efe``, ``tass``, ``ansa``, ...) or ``None``.
    ``title``, ``body``
        Headline, and the body paragraphs joined by a blank line (``"\\n\\n"``).
    ``published``, ``updated``
        ISO-8601 in UTC with a ``Z`` suffix (``2019-12-28T07:03:00Z``) or ``None``.
    ``language``
        ISO 639-1 code or ``None``.
    ``dateline``
        The place as written in the dateline (``NEW YORK (Nations Unies)``) or ``None``.
    ``authors``
        Bylines, in order.
    ``version``
        Wire version marker moved out of the title (``UPDATE 1``, ``CORRECTED``) or ``None``.

    Further fields: ``format`` (which parser produced it), ``categories``, ``supersedes`` (ids
    of articles this one replaces, under the ``best`` dedup policy) and ``extra`` (format-specific
    metadata such as IPTC subjects, slugline, enclosures).
    """

    id: str
    body: str
    url: str | None = None
    source: str | None = None
    agency: str | None = None
    title: str | None = None
    published: str | None = None
    updated: str | None = None
    language: str | None = None
    dateline: str | None = None
    authors: tuple[str, ...] = ()
    version: str | None = None
    format: str | None = None
    categories: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        """The body split back into its paragraphs."""
        return [p for p in self.body.split("\n\n") if p]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, with the fixed field names first."""
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "agency": self.agency,
            "title": self.title,
            "body": self.body,
            "published": self.published,
            "updated": self.updated,
            "language": self.language,
            "dateline": self.dateline,
            "authors": list(self.authors),
            "version": self.version,
            "format": self.format,
            "categories": list(self.categories),
            "supersedes": list(self.supersedes),
            "extra": dict(self.extra),
        }

    def to_json(self) -> str:
        """One line of JSON (no trailing newline).

        The same text as ``json.dumps(self.to_dict(), ensure_ascii=False,
        separators=(",", ":"), default=str)``, built field by field over :meth:`to_dict`:
        strings go through :func:`_json_string` (the body is most of the line), empty lists and
        mappings are written directly and anything else goes through the shared encoder.
        """
        js = _json_string
        enc = _JSON.encode
        parts = []
        for name, value in self.to_dict().items():
            if value is None:
                text = "null"
            elif type(value) is str:
                text = js(value)
            elif not value:
                text = "{}" if name == "extra" else "[]"
            else:
                text = enc(value)
            parts.append(f'"{name}":{text}')
        return "{" + ",".join(parts) + "}"


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that was not emitted.

    ``reason`` is one of :data:`RejectReason`; ``message`` says in words what was wrong.
    For duplicates, ``duplicate_of`` is the id of the emitted article it matched and
    ``similarity`` the estimated Jaccard similarity (1.0 for exact duplicates).
    """

    reason: str
    message: str
    id: str | None = None
    url: str | None = None
    origin: str | None = None
    title: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "reason": self.reason,
            "message": self.message,
            "url": self.url,
            "origin": self.origin,
            "title": self.title,
        }
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
        if self.similarity is not None:
            out["similarity"] = round(self.similarity, 4)
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    def to_json(self) -> str:
        return _JSON.encode(self.to_dict())
