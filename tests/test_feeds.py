"""Feeds (RSS 2.0, Atom 1.0, RSS 1.0/RDF, JSON Feed 1.0/1.1) into drafts, checked by hand.

The feeds in ``tests/data/feeds/own/`` were written for these tests; every expected value below
was read off the feed by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from wireingest import parse as parse_doc
from wireingest._draft import Draft
from wireingest._formats import feeds, jsonfeed
from wireingest._formats._feedutil import parse_date
from wireingest.types import Article, Reject

OWN = Path(__file__).resolve().parent / "data" / "feeds" / "own"


def _parse(
    name: str, url: str | None = "https://feeds.example.org/wire.xml"
) -> list[Draft | Reject]:
    data = (OWN / name).read_bytes()
    mod = jsonfeed if name.endswith(".json") else feeds
    return list(mod.parse(data, url=url, content_type=None, origin=name))


def _drafts(items: list[Draft | Reject]) -> list[Draft]:
    out = [d for d in items if isinstance(d, Draft)]
    assert len(out) == len(items), [r for r in items if isinstance(r, Reject)]
    return out


def test_rss20_full_content_is_cleaned_into_paragraphs() -> None:
    first, second, third = _drafts(_parse("rss20_full.xml"))
    assert first.format == "rss"
    assert first.title == "Séisme au large du Japon"
    assert first.paragraphs == [
        "TOKYO, 28 décembre (Xinhua) -- Un séisme de magnitude 6,2 a frappé samedi matin.",
        "Aucune victime n'a été signalée & les trains roulent.",
        "Ligne un\nligne deux",
        "Nouveau paragraphe",
    ]
    body = "\n".join(first.paragraphs)
    for bad in ("alert", "color:red", "steal", "evil.example", "<"):
        assert bad not in body
    assert first.trusted_body is True  # full content:encoded
    assert first.id == "urn:example:wire:1001"
    # relative link resolved against xml:base
    assert first.url == "https://news.example.org/world/2019/12/28/seisme.html"
    assert first.source == "news.example.org"
    assert first.language == "fr-FR"
    assert first.authors == ["Marie Dupont"]
    assert first.categories == ["Monde", "Asie"]
    assert first.extra["enclosures"] == [
        {"href": "https://news.example.org/img/seisme.jpg", "type": "image/jpeg", "length": "12345"}
    ]
    assert first.extra["media"][0]["url"] == "https://news.example.org/img/seisme-big.jpg"
    assert first.extra["feed_title"] == "Example Wire – World"
    # the offset of the source is kept: 08:03 +01:00
    assert first.published == datetime(2019, 12, 28, 8, 3, tzinfo=timezone(timedelta(hours=1)))
    assert first.updated is None  # RSS says nothing about updates

    # summary only: the description's HTML becomes paragraphs, the title's markup text
    assert second.title == "Summary only bold"
    assert second.paragraphs == ["First sentence.", "Second paragraph."]
    assert second.trusted_body is False
    assert second.id == second.url == "https://news.example.org/world/2019/12/28/summary.html"
    assert second.published == datetime(2019, 12, 28, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert second.published.astimezone(UTC) == datetime(2019, 12, 29, 4, 30, tzinfo=UTC)

    # no guid and no link: the finisher hashes the content
    assert third.id is None and third.url is None
    assert third.published == datetime(2019, 12, 29, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def test_atom10_xhtml_content_xml_base_and_languages() -> None:
    first, second = _drafts(_parse("atom10.xml"))
    assert first.format == "atom"
    assert first.title == "Markets rally after rate cut"
    assert first.paragraphs == ["NEW YORK (Example) -- Stocks rose on Friday.", "Bond yields fell."]
    assert first.url == "https://wire.example.com/stories/markets-rally"
    assert first.id == "tag:wire.example.com,2019:markets-rally"
    assert first.language == "en-GB"  # the content's xml:lang wins over the feed's
    assert first.authors == ["Jane Roe", "John Doe"]
    assert first.categories == ["Business"]
    assert first.published == datetime(2019, 12, 28, 7, 3, tzinfo=timezone(timedelta(hours=-5)))
    assert first.updated == datetime(
        2019, 12, 28, 9, 15, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert first.source == "wire.example.com"

    # only <updated>: published falls back to it; a tag: id is not taken for a URL
    assert second.published == second.updated
    assert second.published == datetime(2019, 12, 28, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert second.url is None
    assert second.language == "de"
    # type="text" content is not read as HTML
    assert second.paragraphs == ["Zeile mit <spitzen Klammern> bleibt Text."]


def test_relative_links_resolve_against_the_feed_url() -> None:
    data = (
        b'<rss version="2.0"><channel><title>t</title><link>/</link>'
        b"<item><title>x</title><link>../news/1.html</link><description>d</description></item>"
        b"</channel></rss>"
    )
    (d,) = _drafts(list(feeds.parse(data, url="https://wire.example.net/feeds/world.xml")))
    assert d.url == "https://wire.example.net/news/1.html"
    assert d.source == "wire.example.net"  # the channel link is relative: the feed URL's host


def test_rss10_rdf() -> None:
    (d,) = _drafts(_parse("rss10.rdf"))
    assert d.format == "rdf"
    assert d.paragraphs == ["MADRID, 28 dic (EFE).- Texto de la nota."]
    assert d.language == "es"
    assert d.authors == ["Redacción"]
    assert d.published == datetime(2019, 12, 28, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def test_jsonfeed_11() -> None:
    items = _parse("jsonfeed11.json")
    assert len(items) == 4  # nothing lost: 4 items, 3 drafts and one reject
    a, b, c, rej = items
    assert isinstance(a, Draft) and isinstance(b, Draft) and isinstance(c, Draft)
    assert a.format == "jsonfeed"
    assert a.paragraphs == ["First para & more.", "Second para."]
    assert a.url == "https://json.example.com/2019/12/28/second"  # resolved
    assert a.id == "2"
    assert a.published == datetime(2019, 12, 28, 7, 3, tzinfo=timezone(timedelta(hours=8)))
    assert a.updated == datetime(2019, 12, 28, 8, 0, tzinfo=UTC)
    assert a.authors == ["Li Wei"]
    assert a.categories == ["asia", "markets"]
    assert a.language == "zh"
    assert a.extra["attachments"] == [
        {"url": "https://json.example.com/a.mp3", "mime_type": "audio/mpeg"}
    ]
    assert a.trusted_body is True
    assert b.id == "1"  # JSON Feed 1.0-style numeric id
    assert b.paragraphs == ["Plain text body.", "Second paragraph."]
    assert b.language == "en" and b.authors == ["Desk"]  # feed-level fallbacks
    assert c.paragraphs == ["Summary only item."] and c.trusted_body is False
    assert isinstance(rej, Reject) and rej.reason == "invalid" and rej.id == "4"


def test_jsonfeed_10_author() -> None:
    a, b = _drafts(_parse("jsonfeed10.json"))
    assert a.authors == ["Item Author"]
    assert b.authors == ["Feed Author"]
    assert b.paragraphs == ["Body B."]
    assert a.published == datetime(2017, 5, 17, 10, 2, 12, tzinfo=timezone(timedelta(hours=-7)))


def test_jsonfeed_helpers() -> None:
    assert jsonfeed.looks_like_jsonfeed({"version": "https://jsonfeed.org/version/1.1"})
    assert not jsonfeed.looks_like_jsonfeed({"version": "1.1", "items": []})
    out = list(jsonfeed.parse_obj({"version": "https://jsonfeed.org/version/1", "items": []}))
    assert len(out) == 1 and isinstance(out[0], Reject)
    assert out[0].message == "feed has no entries"
    bad = list(jsonfeed.parse(b"{not json", url=None, content_type=None, origin=None))
    assert isinstance(bad[0], Reject) and bad[0].message.startswith("not valid JSON")


def test_empty_feed_is_one_reject() -> None:
    data = b'<rss version="2.0"><channel><title>Nothing</title></channel></rss>'
    out = list(feeds.parse(data, url=None, content_type=None, origin=None))
    assert len(out) == 1
    assert isinstance(out[0], Reject)
    assert out[0].message == "feed has no entries"
    assert out[0].title == "Nothing"


def test_n_entries_give_n_results() -> None:
    items = "".join(
        f"<item><title>T{i}</title><description>Body {i}</description></item>"
        if i % 3
        else "<item><guid>urn:x:" + str(i) + "</guid></item>"  # no title, no text
        for i in range(30)
    )
    data = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()
    out = list(feeds.parse(data, url=None, content_type=None, origin=None))
    assert len(out) == 30
    rejects = [o for o in out if isinstance(o, Reject)]
    assert len(rejects) == 10
    assert all(r.message.startswith("feed entry ") for r in rejects)


def test_utf16_feed_with_bom() -> None:
    text = (
        (OWN / "rss20_full.xml").read_text("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    )
    out = _drafts(
        list(feeds.parse(text.encode("utf-16"), url=None, content_type=None, origin=None))
    )
    assert len(out) == 3
    assert out[0].title == "Séisme au large du Japon"


def test_feed_declared_as_text_plain_is_still_parsed() -> None:
    data = (OWN / "rss20_full.xml").read_bytes()
    out = list(feeds.parse(data, url="file.txt", content_type="text/plain", origin=None))
    assert len(_drafts(out)) == 3
    first = out[0]
    assert isinstance(first, Draft) and "feed_warning" not in first.extra


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Sat, 28 Dec 2019 08:03:00 +0100",
            datetime(2019, 12, 28, 8, 3, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("Sat, 28 Dec 2019 08:03:00 GMT", datetime(2019, 12, 28, 8, 3, tzinfo=UTC)),
        (
            "28 Dec 2019 08:03 EST",
            datetime(2019, 12, 28, 8, 3, tzinfo=timezone(timedelta(hours=-5))),
        ),
        (
            "Sat, 28 Dec 2019 08:03:00 MSK",
            datetime(2019, 12, 28, 8, 3, tzinfo=timezone(timedelta(hours=3))),
        ),
        ("Sat, 28 Dec 2019 08:03:00 -0000", datetime(2019, 12, 28, 8, 3, tzinfo=UTC)),
        ("Sat, 28 Dec 2019 08:03:00", datetime(2019, 12, 28, 8, 3)),  # no zone: naive
        (
            "2019-12-28T07:03:00+08:00",
            datetime(2019, 12, 28, 7, 3, tzinfo=timezone(timedelta(hours=8))),
        ),
        ("2019-12-28T07:03:00.250Z", datetime(2019, 12, 28, 7, 3, 0, 250000, tzinfo=UTC)),
        (
            "2019-12-28 07:03:00 +0530",
            datetime(2019, 12, 28, 7, 3, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("2019-12-28", datetime(2019, 12, 28)),
        ("le 28 décembre", None),
        ("", None),
    ],
)
def test_parse_date_keeps_offsets(raw: str, expected: datetime | None) -> None:
    got = parse_date(raw)
    assert got == expected
    if expected is not None and got is not None:
        assert (got.tzinfo is None) == (expected.tzinfo is None)
        if expected.tzinfo is not None:
            assert got.utcoffset() == expected.utcoffset()


def test_unreadable_date_goes_to_published_text() -> None:
    data = (
        b'<rss version="2.0"><channel><item><title>t</title><description>b</description>'
        b"<pubDate>hier soir, vers minuit</pubDate></item></channel></rss>"
    )
    (d,) = _drafts(list(feeds.parse(data, url=None, content_type=None, origin=None)))
    assert d.published is None
    assert d.published_text == "hier soir, vers minuit"


def test_feedparser_parsed_tuple_is_utc_and_agrees_with_the_raw_offset() -> None:
    """NOTES.md says feedparser's *_parsed tuples are UTC with the offset applied: verify."""
    import io

    import feedparser

    data = (OWN / "atom10.xml").read_bytes()
    result = feedparser.parse(io.BytesIO(data))
    entry = result.entries[0]
    y, mo, d, h, mi, sec = entry.published_parsed[:6]
    parsed = datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    (first, _) = _drafts(_parse("atom10.xml"))
    assert first.published is not None
    assert first.published.astimezone(UTC) == parsed == datetime(2019, 12, 28, 12, 3, tzinfo=UTC)


# -- headline-only items (issue #13) -------------------------------------------------------------

_HEADLINES_RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<link>https://news.example.org/</link>
<item><title>Headline one</title><link>https://news.example.org/a</link><description></description></item>
<item><title>Headline two</title><link>https://news.example.org/b</link></item>
<item><link>https://news.example.org/c</link></item>
<item><title>Only a title</title></item>
<item><description>  </description><author>nobody@example.org</author></item>
</channel></rss>"""


def test_headline_only_items_are_emitted_with_an_empty_body() -> None:
    out = parse_doc(_HEADLINES_RSS)
    assert [type(r).__name__ for r in out] == ["Article"] * 4 + ["Reject"]
    arts = [r for r in out if isinstance(r, Article)]
    assert [(a.url, a.title, a.body) for a in arts] == [
        ("https://news.example.org/a", "Headline one", ""),
        ("https://news.example.org/b", "Headline two", ""),
        ("https://news.example.org/c", None, ""),
        (None, "Only a title", ""),
    ]
    assert all(a.extra["headline_only"] is True for a in arts)
    assert out[-1].reason == "invalid"
    assert "no title, no text and no link" in out[-1].message


def test_require_body_rejects_headline_only_items_with_a_reason() -> None:
    out = parse_doc(_HEADLINES_RSS, require_body=True)
    assert [getattr(r, "reason", None) for r in out] == ["not-article"] * 4 + ["invalid"]
    assert all("headline only" in r.message for r in out[:4])


def test_items_with_text_carry_no_headline_flag() -> None:
    data = _HEADLINES_RSS.replace(
        b"<description></description>",
        b"<description>Port workers went back to work on Tuesday after a week-long strike "
        b"over pay, the union said.</description>",
    )
    first = parse_doc(data)[0]
    assert isinstance(first, Article) and first.body
    assert "headline_only" not in first.extra


def test_json_feed_and_json_records_agree_with_feeds_on_headlines() -> None:
    jf = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "T",
        "home_page_url": "https://news.example.org/",
        "items": [
            {"id": "1", "title": "Headline", "url": "/a"},
            {"id": "2", "url": "https://news.example.org/b"},
            {"id": "3"},
        ],
    }
    out = parse_doc(json.dumps(jf).encode())
    assert [type(r).__name__ for r in out] == ["Article", "Article", "Reject"]
    assert out[0].url == "https://news.example.org/a" and out[0].extra["headline_only"]
    lines = [
        {"id": "r1", "title": "Headline", "url": "https://news.example.org/r1"},
        {"id": "r2", "title": "A title and no link"},
    ]
    out = parse_doc("\n".join(json.dumps(r) for r in lines).encode())
    assert isinstance(out[0], Article) and out[0].body == "" and out[0].extra["headline_only"]
    assert out[0].title == "Headline"
    assert out[1].reason == "invalid" and "no text and no link" in out[1].message


# -- relative links (issue #13) ------------------------------------------------------------------


def _atom(feed_link: str, entry_link: str, xml_base: str = "") -> bytes:
    base = f' xml:base="{xml_base}"' if xml_base else ""
    alt = f'<link rel="alternate" type="text/html" href="{feed_link}"/>' if feed_link else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US">
  <id>tag:github.com,2008:https://github.com/owner/repo/releases</id>{alt}
  <link type="application/atom+xml" rel="self" href="https://github.com/owner/repo/releases.atom"/>
  <title>Release notes from repo</title><updated>2024-05-01T10:00:00Z</updated>
  <entry{base}><id>tag:github.com,2008:Repository/1/v1.1</id><updated>2024-05-01T10:00:00Z</updated>
    <link rel="alternate" type="text/html" href="{entry_link}"/><title>v1.1</title>
    <content type="html">&lt;p&gt;Fixes a crash on empty input.&lt;/p&gt;</content>
  </entry>
</feed>""".encode()


def _links(data: bytes, url: str | None = None) -> list[str | None]:
    return [d.url for d in feeds.parse(data, url=url) if isinstance(d, Draft)]


def test_github_releases_relative_links_resolve_against_the_alternate_link() -> None:
    data = _atom("https://github.com/owner/repo/releases", "/owner/repo/releases/tag/v1.1")
    assert _links(data) == ["https://github.com/owner/repo/releases/tag/v1.1"]
    drafts = list(feeds.parse(data))
    assert drafts[0].id == "tag:github.com,2008:Repository/1/v1.1"  # the guid stays the id


def test_xml_base_wins_over_the_alternate_link_and_the_feed_url() -> None:
    data = _atom("https://github.com/owner/repo/releases", "tag/v1.1", "https://mirror.example/r/")
    assert _links(data, url="https://feeds.example/x.atom") == ["https://mirror.example/r/tag/v1.1"]


def test_alternate_link_wins_over_the_feed_url() -> None:
    data = _atom("https://github.com/owner/repo/", "releases/tag/v1.1")
    assert _links(data, url="https://feeds.example/a/x.atom") == [
        "https://github.com/owner/repo/releases/tag/v1.1"
    ]


def test_feed_url_resolves_when_there_is_no_alternate_link() -> None:
    data = _atom("", "/owner/repo/releases/tag/v1.1")
    # no base at all: the link is kept as the source gave it rather than lost
    assert _links(data) == ["/owner/repo/releases/tag/v1.1"]
    assert _links(data, url="https://github.com/owner/repo/releases.atom") == [
        "https://github.com/owner/repo/releases/tag/v1.1"
    ]


def test_cli_require_body_option(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from wireingest.cli import main

    feed = tmp_path / "headlines.xml"
    feed.write_bytes(_HEADLINES_RSS)
    rejects = tmp_path / "rejects.jsonl"
    assert main(["parse", str(feed), "--rejects", str(rejects)]) == 0
    # the command line writes articles to the stdout file descriptor: capture at that level
    emitted = [json.loads(line) for line in capfd.readouterr().out.splitlines()]
    assert len(emitted) == 4 and all(a["extra"]["headline_only"] for a in emitted)
    assert main(["parse", str(feed), "--require-body", "--rejects", str(rejects)]) == 0
    assert capfd.readouterr().out == ""
    reasons = [json.loads(line)["reason"] for line in rejects.read_text().splitlines()]
    assert reasons == ["not-article"] * 4 + ["invalid"]


@pytest.mark.parametrize(
    ("text", "depth"),
    [("[]", 1), ('{"a": [1, {"b": "[[[["}]}', 3), ('"]]]"', 0), ('[["\\"["]]', 2)],
)
def test_json_depth_ignores_brackets_in_strings(text: str, depth: int) -> None:
    from wireingest._formats._feedutil import json_depth

    assert json_depth(text) == depth
