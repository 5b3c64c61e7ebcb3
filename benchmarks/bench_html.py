"""HTML main-text extraction speed (pytest-benchmark, group ``html``).

The same 20 Zyte benchmark pages (the first 20 by id from ``corpora/zyte/``, 3.1 MB of HTML in
all) are run through:

* ``lxml``: bare ``lxml.etree.fromstring`` with an HTML parser (the floor);
* ``wireingest``: :func:`wireingest._formats.html.parse` (decoding, parsing, metadata, main text);
* ``trafilatura``: ``trafilatura.extract(html, include_comments=False)``, when installed.

Run from the repository root::

    pytest benchmarks/bench_html.py --benchmark-enable --benchmark-group-by=group \\
        --benchmark-columns=min,median,mean,rounds

Quality is measured separately by ``python benchmarks/zyte.py``.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from wireingest._formats import html

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "zyte" / "html"


@pytest.fixture(scope="module")
def pages() -> list[bytes]:
    files = sorted(CORPUS.glob("*.html.gz"))[:20]
    if not files:
        pytest.skip("corpora/zyte is missing")
    return [gzip.decompress(f.read_bytes()) for f in files]


@pytest.mark.benchmark(group="html")
def test_lxml_parse_only(benchmark: Any, pages: list[bytes]) -> None:
    def run() -> None:
        for data in pages:
            etree.fromstring(data, etree.HTMLParser(encoding="utf-8", no_network=True))

    benchmark(run)


@pytest.mark.benchmark(group="html")
def test_wireingest_html_parse(benchmark: Any, pages: list[bytes]) -> None:
    def run() -> int:
        return sum(
            len(list(html.parse(d, url=None, content_type=None, origin=None))) for d in pages
        )

    assert benchmark(run) == len(pages)


@pytest.mark.benchmark(group="html")
def test_trafilatura_extract(benchmark: Any, pages: list[bytes]) -> None:
    trafilatura = pytest.importorskip("trafilatura")
    texts = [d.decode("utf-8", "replace") for d in pages]

    def run() -> None:
        for text in texts:
            trafilatura.extract(text, include_comments=False)

    benchmark(run)
