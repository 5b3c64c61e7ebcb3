"""Feed normalisation overhead on top of feedparser (pytest-benchmark, group ``feeds``).

A realistic 50-item RSS 2.0 feed is built from real agency copy (the ninjs/NewsML-G2 example
texts in ``tests/data/iptc``, MIT-licensed IPTC examples): every item has a title, a guid, a
link, a ``pubDate`` with an offset, a ``dc:creator``, two categories, an enclosure, a summary and
full ``content:encoded`` HTML of about 600 words with the markup real CMSs emit (paragraphs,
links, emphasis, a figure, an embedded script and an iframe).

The same bytes are timed three ways in one run:

* ``feedparser``: bare ``feedparser.parse`` with its defaults (what the issue compares with);
* ``feedparser_raw``: ``feedparser.parse`` as wireingest calls it, with its HTML sanitiser and
  relative-URI rewriting off (we read the HTML with lxml ourselves), i.e. the true floor;
* ``drafts``: :func:`wireingest._formats.feeds.parse` (feedparser plus our mapping, dates and
  HTML-to-paragraphs), i.e. what the issue calls "our overhead";
* ``articles``: the whole ``wireingest.parse`` path (drafts plus the finisher), when the
  package's public ``parse`` is available.

Run from the repository root::

    pytest benchmarks/bench_feeds.py --benchmark-enable --benchmark-group-by=group \\
        --benchmark-columns=min,median,mean,rounds

``test_overhead_ratio`` prints the drafts/feedparser median ratios (target: drafts under 1.30x
bare feedparser) and the overhead of our mapping over ``feedparser_raw``.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import feedparser
import pytest

from wireingest._formats import feeds

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "iptc"


def _source_paragraphs() -> list[str]:
    """Real agency paragraphs from the IPTC example items."""
    from wireingest._formats import newsml, ninjs

    paras: list[str] = []
    for path in sorted((DATA / "ninjs" / "examples").rglob("*.json")):
        for d in ninjs.parse(path.read_bytes(), url=None, content_type=None, origin=None):
            paras.extend(getattr(d, "paragraphs", []))
    for path in sorted((DATA / "newsml-g2" / "examples").glob("*.xml")):
        for d in newsml.parse(path.read_bytes(), url=None, content_type=None, origin=None):
            paras.extend(getattr(d, "paragraphs", []))
    paras = [p for p in dict.fromkeys(paras) if len(p.split()) >= 12]
    assert len(paras) > 40
    return paras


def build_feed(items: int = 50, words_per_item: int = 600) -> bytes:
    paras = _source_paragraphs()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel><title>Bench Wire</title><link>https://bench.example.com/</link>",
        "<description>Benchmark feed</description><language>en</language>",
    ]
    k = 0
    for i in range(items):
        body: list[str] = []
        words = 0
        while words < words_per_item:
            p = paras[k % len(paras)]
            k += 1
            words += len(p.split())
            first, _, rest = p.partition(" ")
            body.append(
                f"<p><strong>{escape(first)}</strong> {escape(rest)} "
                f'<a href="https://bench.example.com/tag/{k}">more</a></p>'
            )
            if len(body) == 3:
                body.append(
                    '<figure><img src="https://bench.example.com/i.jpg" alt="x"/>'
                    "<figcaption>Photo: Agency</figcaption></figure>"
                    '<script async src="https://platform.example/widgets.js"></script>'
                )
            if len(body) == 6:
                body.append('<iframe src="https://video.example/embed/1"></iframe><br/><br/>')
        html = "".join(body)
        summary = escape(paras[(k + 7) % len(paras)])
        hour = i % 24
        out.append(
            f"<item><title>Story {i}: {escape(paras[i % len(paras)][:70])}</title>"
            f"<link>https://bench.example.com/news/{i}.html</link>"
            f'<guid isPermaLink="false">urn:bench:{i}</guid>'
            f"<pubDate>Sat, 28 Dec 2019 {hour:02d}:03:00 +0800</pubDate>"
            f"<dc:creator>Reporter {i % 7}</dc:creator>"
            f"<category>World</category><category>Topic {i % 5}</category>"
            f'<enclosure url="https://bench.example.com/img/{i}.jpg" type="image/jpeg" length="1"/>'
            f"<description>{summary}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>"
        )
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


@pytest.fixture(scope="module")
def feed_bytes() -> bytes:
    return build_feed()


def _bare(data: bytes) -> Any:
    return feedparser.parse(io.BytesIO(data), response_headers={"content-type": "application/xml"})


def _raw(data: bytes) -> Any:
    return feeds.run_feedparser(data, url="https://bench.example.com/feed.xml", content_type=None)


def _drafts(data: bytes) -> list[Any]:
    return list(feeds.parse(data, url="https://bench.example.com/feed.xml", content_type=None))


def _articles() -> Callable[[bytes], list[Any]] | None:
    try:
        from wireingest import parse
    except Exception:  # the public API is not importable in this tree yet
        return None

    def run(data: bytes) -> list[Any]:
        return list(parse(data, url="https://bench.example.com/feed.xml"))

    return run


def test_feed_is_realistic(feed_bytes: bytes) -> None:
    drafts = _drafts(feed_bytes)
    assert len(drafts) == 50
    words = sum(len(" ".join(d.paragraphs).split()) for d in drafts) / len(drafts)
    assert 550 <= words <= 900, words
    assert 300_000 < len(feed_bytes) < 600_000


@pytest.mark.benchmark(group="feeds")
def test_feedparser(benchmark: Any, feed_bytes: bytes) -> None:
    result = benchmark(_bare, feed_bytes)
    assert len(result.entries) == 50


@pytest.mark.benchmark(group="feeds")
def test_feedparser_raw(benchmark: Any, feed_bytes: bytes) -> None:
    result = benchmark(_raw, feed_bytes)
    assert len(result.entries) == 50


@pytest.mark.benchmark(group="feeds")
def test_drafts(benchmark: Any, feed_bytes: bytes) -> None:
    result = benchmark(_drafts, feed_bytes)
    assert len(result) == 50


@pytest.mark.benchmark(group="feeds")
def test_articles(benchmark: Any, feed_bytes: bytes) -> None:
    run = _articles()
    if run is None:
        pytest.skip("wireingest.parse is not available")
    result = benchmark(run, feed_bytes)
    assert len(result) == 50


def test_overhead_ratio(feed_bytes: bytes) -> None:
    """Medians of interleaved runs in one process: drafts vs bare and vs raw feedparser."""
    times: dict[str, list[float]] = {"bare": [], "raw": [], "drafts": []}
    for _ in range(15):
        for name, fn in (("bare", _bare), ("raw", _raw), ("drafts", _drafts)):
            t = time.perf_counter()
            fn(feed_bytes)
            times[name].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        json.dumps(
            {
                "feedparser_ms": round(med["bare"] * 1000, 2),
                "feedparser_raw_ms": round(med["raw"] * 1000, 2),
                "drafts_ms": round(med["drafts"] * 1000, 2),
                "drafts_vs_feedparser": round(med["drafts"] / med["bare"], 3),
                "mapping_overhead_vs_raw": round(med["drafts"] / med["raw"] - 1, 3),
            }
        )
    )
    assert med["drafts"] / med["bare"] < 1.30
