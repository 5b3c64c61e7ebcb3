"""Format detection from content, whatever the name or declared type says."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from wireingest._formats.sniff import sniff

DATA = Path(__file__).resolve().parent / "data"
OWN_FEEDS = DATA / "feeds" / "own"
G2 = DATA / "iptc" / "newsml-g2" / "examples"
NINJS = DATA / "iptc" / "ninjs"
RSS = (OWN_FEEDS / "rss20_full.xml").read_bytes()


def test_feed_saved_as_txt() -> None:
    assert sniff(RSS, "text/plain", "https://example.com/wire-dump.txt") == "feed"


def test_newsml_without_extension() -> None:
    data = (G2 / "LISTING_2_NewsML-G2_Text_Document.xml").read_bytes()
    assert sniff(data, None, "https://example.com/items/US-FINANCE-FED") == "newsml"
    assert sniff(data, "application/octet-stream", None) == "newsml"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_feeds(encoding: str) -> None:
    text = RSS.decode("utf-8").replace('encoding="utf-8"', f'encoding="{encoding}"')
    data = text.encode(encoding)  # "utf-16"/"utf-32" write a BOM, -le/-be do not
    assert sniff(data, None, None) == "feed"


def test_utf8_bom_and_leading_space() -> None:
    assert sniff(b"\xef\xbb\xbf  \n" + RSS, None, None) == "feed"


def test_every_g2_listing_is_newsml() -> None:
    for path in sorted(G2.glob("*.xml")):
        assert sniff(path.read_bytes(), None, None) == "newsml", path.name


def test_nitf_document() -> None:
    data = (DATA / "iptc" / "own" / "story.nitf.xml").read_bytes()
    assert sniff(data, "text/xml", "story.xml") == "nitf"


def test_ninjs_examples_are_ninjs() -> None:
    paths = sorted((NINJS / "examples").rglob("*.json"))
    assert len(paths) > 30
    for path in paths:
        if "schema-extension" in path.parts:
            continue
        obj = json.loads(path.read_bytes())
        first = obj[0] if isinstance(obj, list) else obj
        if "uri" not in first and "$standard" not in first:
            continue
        assert sniff(path.read_bytes(), "application/json", None) == "ninjs", path.name


def test_json_lines_of_ninjs_are_json_records() -> None:
    obj = json.loads((NINJS / "examples" / "3.0" / "dpa_text.json").read_bytes())
    line = json.dumps(obj).encode()
    assert sniff(line + b"\n" + line + b"\n", None, None) == "json"


def test_jsonfeed_and_plain_json() -> None:
    assert sniff((OWN_FEEDS / "jsonfeed11.json").read_bytes(), None, None) == "jsonfeed"
    assert sniff((OWN_FEEDS / "jsonfeed10.json").read_bytes(), "text/plain", None) == "jsonfeed"
    assert sniff(b'{"id": "1", "title": "t", "body": "b"}', None, None) == "json"


def test_other_kinds() -> None:
    assert sniff(b"", None, None) == "empty"
    assert sniff(b" \n\t ", None, None) == "empty"
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, None) == "binary"
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>", None, None) == "html"
    assert sniff(b"MADRID, 2 dic (EFE).- Texto.", None, None) == "text"


def test_atom_with_comment_and_stylesheet_prolog() -> None:
    data = (
        b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="s.xsl"?>\n'
        b"<!-- generated -->\n" + (OWN_FEEDS / "atom10.xml").read_bytes().split(b"-->", 1)[1]
    )
    assert sniff(data, None, None) == "feed"


def test_gzip_is_unwrapped_before_sniffing() -> None:
    """A gzip payload named .xml goes through the dispatcher's gunzip, then is sniffed."""
    from wireingest._draft import Draft
    from wireingest._formats import parse_payload
    from wireingest.types import Document

    doc = Document(content=gzip.compress(RSS), url="https://example.com/feed.xml")
    out = list(parse_payload(doc))
    assert len(out) == 3
    assert all(isinstance(o, Draft) and o.format == "rss" for o in out)


def test_long_prologs_do_not_hide_a_feed() -> None:
    subset = b"".join(b'<!ENTITY e%d "v%d">' % (i, i) for i in range(20))
    rss = b'<rss version="2.0"><channel><item><title>a</title></item></channel></rss>'
    docs = [
        b'<?xml version="1.0"?><!DOCTYPE rss [' + subset + b"<!-- " + b"x" * 9000 + b" -->]>" + rss,
        b'<?xml version="1.0"?><!--' + b"c" * 70_000 + b"-->" + rss,
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY z "]>"><!ENTITY y "'
        + b"q" * 9000
        + b'">]>'
        + rss,
        b"\xef\xbb\xbf<!--" + b"c" * 9000 + b"-->" + rss,
    ]
    assert [sniff(d) for d in docs] == ["feed"] * 4
