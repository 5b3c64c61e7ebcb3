"""Property-based fuzzing of feeds, JSON Lines and HTML (issue #13).

Each property runs all of its hypothesis examples inside one forked child under the memory cap
and timeout of :func:`test_hostile.run_isolated`; a failing example comes back with hypothesis'
report. The properties: parsing never raises, every item of a well-formed feed and every line
of a JSON Lines stream comes out as exactly one article or reject, every date is null or valid
ISO 8601 in UTC, and an empty body always carries the headline-only flag.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import run_isolated

from wireingest import parse
from wireingest.types import Article, Reject

_ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _check_results(out: list[Any]) -> None:
    for r in out:
        assert isinstance(r, Article | Reject), r
        if isinstance(r, Reject):
            assert r.reason and r.message and "\n" not in r.message
            continue
        for value in (r.published, r.updated):
            assert value is None or _ISO_UTC.fullmatch(value), value
        if not r.body:
            assert r.extra.get("headline_only") is True and (r.title or r.url)


# -- feeds ---------------------------------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
)
_printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)
_date = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.from_regex(
        r"\d{1,5}-\d{1,2}-\d{1,2}T\d{1,2}:\d{1,2}:\d{1,2}[+-]\d{2}:\d{2}", fullmatch=True
    ),
    st.from_regex(
        r"(Mon|Tue|Sun), \d{1,2} (Jan|Feb|Dec) \d{1,5} \d{1,2}:\d{2}:\d{2} [+-]\d{4}",
        fullmatch=True,
    ),
    _text,
)
_link = st.one_of(
    st.just(""),
    st.from_regex(r"https://news\.example\.org/[a-z0-9/]{0,20}", fullmatch=True),
    st.from_regex(r"/[a-z0-9/]{0,20}", fullmatch=True),
    st.from_regex(r"tag:example\.org,2024:[a-z0-9]{1,8}", fullmatch=True),
)
_entry = st.fixed_dictionaries(
    {
        "title": _text,
        "link": _link,
        "date": _date,
        "body": st.one_of(_text, _text.map(lambda t: f"<p>{escape(t)}</p>")),
        "attrs": st.integers(0, 300),
    }
)


def _feed_bytes(entries: list[dict[str, Any]], atom: bool) -> bytes:
    parts = []
    for e in entries:
        attrs = "".join(f' a{i}="{i}"' for i in range(e["attrs"]))
        t, link, d, b = (escape(e[k]) for k in ("title", "link", "date", "body"))
        if atom:
            href = f'<link rel="alternate" href="{escape(e["link"], {chr(34): "&quot;"})}"/>'
            parts.append(
                f"<entry{attrs}><id>urn:x:{len(parts)}</id><title>{t}</title>"
                f"{href if link else ''}<updated>{d}</updated>"
                f'<content type="html">{b}</content></entry>'
            )
        else:
            parts.append(
                f"<item{attrs}><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
                f"<description>{b}</description></item>"
            )
    body = "".join(parts)
    if atom:
        doc = (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
            f'<link rel="alternate" href="https://news.example.org/"/>{body}</feed>'
        )
    else:
        doc = (
            '<rss version="2.0"><channel><title>F</title><link>https://news.example.org/</link>'
            f"{body}</channel></rss>"
        )
    return ('<?xml version="1.0" encoding="utf-8"?>' + doc).encode("utf-8", "surrogatepass")


def _fuzz_feeds() -> int:
    @_SETTINGS
    @given(st.lists(_entry, min_size=1, max_size=6), st.booleans())
    def prop(entries: list[dict[str, Any]], atom: bool) -> None:
        out = parse(_feed_bytes(entries, atom))
        _check_results(out)
        assert len(out) == len(entries)

    prop()
    return 0


def _fuzz_feed_bytes() -> int:
    @_SETTINGS
    @given(st.lists(_entry, min_size=1, max_size=3), st.binary(max_size=40), st.integers(0, 400))
    def prop(entries: list[dict[str, Any]], junk: bytes, at: int) -> None:
        data = _feed_bytes(entries, False)
        at = min(at, len(data))
        out = parse(data[:at] + junk + data[at:])  # broken feeds: anything but a traceback
        _check_results(out)
        assert out

    prop()
    return 0


# -- JSON Lines ----------------------------------------------------------------------------------

_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _text)
_json_value = st.recursive(
    _json_leaf,
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(_text, kids, max_size=4)),
    max_leaves=20,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(_text, st.integers()),
        "title": _json_value,
        "url": st.one_of(_link, _json_value),
        "body": st.one_of(_text, _json_value),
        "text": _text,
        "published": st.one_of(_date, st.integers(-(10**12), 10**12), _json_value),
        "authors": _json_value,
        "tags": _json_value,
        "extra": _json_value,
    },
)
_line = st.one_of(
    _record.map(json.dumps),
    _json_value.map(json.dumps),
    _printable,  # not JSON at all (control characters would make the stream binary)
    st.integers(1, 3000).map(lambda n: '{"a": ' + "[" * n + "]" * n + "}"),
)


def _fuzz_jsonl() -> int:
    @_SETTINGS
    @given(st.lists(_line, min_size=2, max_size=8))
    def prop(lines: list[str]) -> None:
        lines = [ln.replace("\n", " ") for ln in lines if ln.strip()]
        # each line must start a JSON value or be plain text; JSON Lines needs an object first
        lines.insert(0, json.dumps({"id": "first", "body": "First record of the stream."}))
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
        out = parse(data)
        _check_results(out)
        assert len(out) == len(lines)

    prop()
    return 0


# -- HTML ----------------------------------------------------------------------------------------

_tag = st.sampled_from(["div", "p", "span", "a", "article", "section", "script", "table", "td"])


@st.composite
def _html(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 400))
    tag = draw(_tag)
    n_attrs = draw(st.integers(0, 2000))
    attrs = "".join(f' d{i}="{i}"' for i in range(n_attrs))
    text = escape(draw(_text))
    junk = draw(st.sampled_from(["", "\x00", "&#0;", "&bogus;", "<!--", "<![CDATA[", "\ufeff"]))
    jsonld = draw(st.sampled_from(["", '{"@type": "NewsArticle", "x": ' + "[" * 900 + "]" * 900]))
    return (
        f'<html><head><title>{text}</title><script type="application/ld+json">{jsonld}}}'
        f"</script></head><body>{f'<{tag}>' * depth}<p{attrs}>{text} {junk} "
        f"The council met on Monday and approved the harbour budget after a long debate.</p>"
        f"{f'</{tag}>' * depth}</body></html>"
    )


def _fuzz_html() -> int:
    @_SETTINGS
    @given(_html())
    def prop(page: str) -> None:
        out = parse(page.encode("utf-8", "surrogatepass"))
        _check_results(out)
        assert out

    prop()
    return 0


def _assert_ok(result: dict[str, Any]) -> None:
    assert result["ok"], f"{result['error']}\n{result.get('tb', '')}"


def test_fuzz_feeds_every_entry_is_one_result(tmp_path: Path) -> None:
    _assert_ok(run_isolated(_fuzz_feeds))


def test_fuzz_broken_feed_bytes(tmp_path: Path) -> None:
    _assert_ok(run_isolated(_fuzz_feed_bytes))


def test_fuzz_json_lines_every_line_is_one_result(tmp_path: Path) -> None:
    _assert_ok(run_isolated(_fuzz_jsonl))


def test_fuzz_html_pages(tmp_path: Path) -> None:
    _assert_ok(run_isolated(_fuzz_html))
