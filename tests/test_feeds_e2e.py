"""Feeds and IPTC items end to end: ``wireingest.parse`` and the command line's tally."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import wireingest
from wireingest.types import Article, Reject

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
OWN_FEEDS = DATA / "feeds" / "own"
OWN_IPTC = DATA / "iptc" / "own"

_SENTENCES = [
    "The central bank left its main rate unchanged on Thursday, as analysts had expected.",
    "Officials said the decision reflected easing inflation and a weaker labour market.",
    "Markets barely moved after the announcement, and the currency held its gains.",
    "The next meeting is scheduled for early March, when new forecasts are due.",
]


def _feed(n: int, empty_every: int) -> bytes:
    items = []
    for i in range(n):
        if empty_every and i % empty_every == 0:
            items.append(f"<item><guid>urn:e2e:{i}</guid></item>")  # no title, no text
            continue
        body = " ".join(_SENTENCES[(i + k) % 4] for k in range(3)) + f" Story number {i}."
        items.append(
            f"<item><title>Story {i}</title><guid>urn:e2e:{i}</guid>"
            f"<link>https://e2e.example.com/{i}</link>"
            f"<pubDate>Mon, 06 Jan 2020 10:{i % 60:02d}:00 +0200</pubDate>"
            f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>E2E</title>'
        "<link>https://e2e.example.com/</link>" + "".join(items) + "</channel></rss>"
    ).encode()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wireingest", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_parse_gives_articles_with_utc_dates_and_feed_fields() -> None:
    out = wireingest.parse(
        (OWN_FEEDS / "rss20_full.xml").read_bytes(), url="https://feeds.example.org/wire.xml"
    )
    assert [type(o) for o in out] == [Article, Article, Article]
    first = out[0]
    assert isinstance(first, Article)
    d = first.to_dict()
    assert d["id"] == "urn:example:wire:1001"
    assert d["format"] == "rss"
    assert d["published"] == "2019-12-28T07:03:00Z"  # 08:03 +01:00
    assert d["updated"] is None
    assert d["source"] == "news.example.org"
    assert d["url"] == "https://news.example.org/world/2019/12/28/seisme.html"
    assert d["language"] == "fr"
    assert d["categories"] == ["Monde", "Asie"]
    assert d["extra"]["enclosures"][0]["href"] == "https://news.example.org/img/seisme.jpg"
    assert "alert" not in d["body"] and "<" not in d["body"]
    third = out[2]
    assert isinstance(third, Article)
    assert third.published == "2019-12-29T09:00:00Z"  # 10:00 CET
    assert third.id  # no guid, no link: a stable hash
    again = wireingest.parse((OWN_FEEDS / "rss20_full.xml").read_bytes())
    assert isinstance(again[2], Article) and again[2].id == third.id


def test_cli_tally_counts_every_entry(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_bytes(_feed(30, empty_every=3))
    rejects = tmp_path / "rejects.jsonl"
    p = _cli("parse", str(feed), "--rejects", str(rejects))
    assert p.returncode == 0, p.stderr
    articles = [json.loads(line) for line in p.stdout.splitlines()]
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert len(articles) == 20 and len(rejected) == 10
    assert all(r["reason"] == "invalid" for r in rejected)
    assert "30 inputs: 20 emitted, 10 rejected (invalid 10)" in p.stderr
    assert {a["published"] for a in articles} >= {"2020-01-06T08:01:00Z"}


def test_cli_detects_gzip_utf16_and_extensionless_inputs(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(gzip.compress(_feed(5, empty_every=0)))
    text = (OWN_FEEDS / "rss20_full.xml").read_text("utf-8")
    utf16 = text.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    (tmp_path / "dump.txt").write_bytes(utf16)
    (tmp_path / "US-FINANCE-FED").write_bytes(
        (
            DATA / "iptc" / "newsml-g2" / "examples" / "LISTING_2_NewsML-G2_Text_Document.xml"
        ).read_bytes()
    )
    p = _cli("parse", str(tmp_path))
    assert p.returncode == 0, p.stderr
    formats = sorted(json.loads(line)["format"] for line in p.stdout.splitlines())
    assert formats == ["newsml"] + ["rss"] * 8
    assert "9 inputs: 9 emitted, 0 rejected" in p.stderr


def test_iptc_update_and_withdrawal_end_to_end() -> None:
    (upd,) = wireingest.parse((OWN_IPTC / "g2_update.xml").read_bytes())
    assert isinstance(upd, Article)
    assert upd.version == "UPDATE"
    assert upd.published == "2019-12-27T23:03:00Z"  # 08:03 +09:00
    assert upd.updated == "2019-12-28T00:45:00Z"
    assert upd.dateline == "TOKYO, Dec 28"
    assert upd.extra["replaces"] == "urn:newsml:example.com:20191228:quake"
    (rej,) = wireingest.parse((OWN_IPTC / "g2_canceled.xml").read_bytes())
    assert isinstance(rej, Reject)
    assert rej.reason == "withdrawn"
    assert rej.extra["cancels"] == "urn:newsml:example.com:20191228:quake"


def test_ninjs_and_jsonfeed_end_to_end() -> None:
    ninjs = DATA / "iptc" / "ninjs" / "examples" / "3.0" / "dpa_text.json"
    (a,) = wireingest.parse(ninjs.read_bytes())
    assert isinstance(a, Article) and a.format == "ninjs"
    assert a.published == "2019-05-10T14:02:28Z"
    out = wireingest.parse((OWN_FEEDS / "jsonfeed11.json").read_bytes())
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Article", "Reject"]
    assert all(o.format == "jsonfeed" for o in out if isinstance(o, Article))


def test_whole_feedparser_corpus_end_to_end_loses_nothing() -> None:
    """Every corpus feed through wireingest.parse: one result per entry (or one reject)."""
    from wireingest._formats import feeds

    corpus = DATA / "feeds" / "feedparser-tests"
    files = sorted(corpus.rglob("*.xml"))
    assert len(files) > 800
    for path in files:
        data = path.read_bytes()
        out = wireingest.parse(data, url="http://example.com/feed.xml")
        entries = len(feeds.run_feedparser(data, url=None, content_type=None).entries)
        assert len(out) == max(1, entries), path.name
        for o in out:
            if isinstance(o, Reject):
                assert o.message and "\n" not in o.message, path.name
            else:
                assert "<script" not in o.body.lower(), path.name
