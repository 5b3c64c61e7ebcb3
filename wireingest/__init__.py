"""wireingest: news-agency wire copy in, one clean, deduplicated stream of articles out.

The public API is what this module exports; every ``_``-prefixed module is private.

>>> from wireingest import Pipeline
>>> with Pipeline() as p:                       # in-memory dedup index
...     results = p.push(page_bytes, url="https://french.xinhuanet.com/...")  # doctest: +SKIP

* :class:`Pipeline` — parse, clean and deduplicate; ``push`` one document, or ``process`` a stream.
* :func:`parse` — parse and clean one document, no dedup.
* :func:`iter_documents` — documents from files, directories and stdin (what the CLI reads).
* :class:`Article`, :class:`Reject`, :class:`Document` — the records.
* :class:`DedupConfig`, :class:`Deduplicator` — the dedup engine, usable on its own.
"""

from wireingest._dedup import DedupConfig, Deduplicator
from wireingest._io import iter_documents
from wireingest._pipeline import Pipeline, Stats, parse
from wireingest.types import Article, Document, Reject

__all__ = [
    "Article",
    "DedupConfig",
    "Deduplicator",
    "Document",
    "Pipeline",
    "Reject",
    "Stats",
    "iter_documents",
    "parse",
]

__version__ = "0.1.0.dev0"
