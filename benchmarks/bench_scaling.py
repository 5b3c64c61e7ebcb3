"""Scaling of hostile input (issue #13): time against input size must be linear.

Each axis builds one input at size ``n`` and at ``4n`` and times :func:`wireingest.parse` on
both (best of three, interleaved, one process); a linear curve gives a ratio near 4, a
quadratic one near 16. The check is ``time(4n) / time(n) < 6``.

Axes (what grows):

* ``attrs-page`` / ``attrs-packed`` / ``attrs-feed``: attributes on one element of an HTML page
  (parted by spaces / packed as ``a="1"b="2"``) / of a feed item and of the HTML in its
  description (issue item 5);
* ``value-feed``: the length of one attribute value in a feed (expat rescans long tokens);
* ``line-json``: the length of one JSON Lines record's body, a single line (item 6's parser side);
* ``line-text``: the length of one line of a plain-text page;
* ``depth-json``: the nesting depth of one JSON line (item 3; it becomes a reject);
* ``depth-jsonld``: the nesting depth of JSON-LD inside an HTML page (item 3);
* ``depth-html``: nested elements in a page;
* ``entity-refs``: references to one small, harmless entity in a feed (item 1's check);
* ``entity-comment``: a comment before a quadratic-blowup DOCTYPE (item 1; a reject);
* ``dtd-subset``: the size of a feed's internal DTD subset (item 11's sniffing).

Run from the repository root::

    pytest benchmarks/bench_scaling.py --benchmark-enable -s     # measure and assert ratios
    python benchmarks/bench_scaling.py                           # print the table only

Under the default ``--benchmark-disable`` (the CI smoke run) every axis runs once at its small
size and only the results are checked.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import pytest

from wireingest import parse
from wireingest.types import Article, Reject

_STORY = (
    "Dock workers returned to work on Tuesday after a week-long strike over pay, the union "
    "said, and the first ships were unloaded by the evening shift. "
)
MAX_RATIO = 6.0  # time(4n) / time(n): linear is about 4, quadratic about 16


def _attrs(n: int) -> str:
    return "".join(f' a{i}="v{i}"' for i in range(n))


def _rss(items: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{head}<rss version="2.0"><channel><title>T</title>'
        f"<link>https://news.example.org/</link>{items}</channel></rss>"
    ).encode()


def attrs_page(n: int) -> bytes:
    return f"<html><body><div{_attrs(n)}><p>{_STORY * 3}</p></div></body></html>".encode()


def attrs_packed(n: int) -> bytes:
    packed = "".join(f'a{i}="v{i}"' for i in range(n))  # no white space between attributes
    return f'<html><body><div x="1"{packed}><p>{_STORY * 3}</p></div></body></html>'.encode()


def attrs_feed(n: int) -> bytes:
    a = _attrs(n)
    return _rss(
        f"<item{a}><title>S</title><link>https://news.example.org/a</link>"
        f"<description>&lt;p{a}&gt;{_STORY}&lt;/p&gt;</description></item>"
    )


def value_feed(n: int) -> bytes:
    return _rss(
        f'<item x="{"v" * n}"><title>S</title><link>https://news.example.org/a</link>'
        f"<description>{_STORY}</description></item>"
    )


def line_json(n: int) -> bytes:
    words = (_STORY * (n // len(_STORY) + 1))[:n]
    return json.dumps({"id": "long", "title": "Long", "body": words}).encode() + b"\n"


def line_text(n: int) -> bytes:
    return ("A long line\n\n" + (_STORY * (n // len(_STORY) + 1))[:n]).encode()


def depth_json(n: int) -> bytes:
    return ('{"x": ' + "[" * n + "]" * n + "}\n" + json.dumps({"body": _STORY})).encode()


def depth_jsonld(n: int) -> bytes:
    deep = "[" * n + "]" * n
    return (
        '<html><head><title>T</title><script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "x": {deep}}}</script></head><body><article><p>{_STORY * 3}'
        "</p></article></body></html>"
    ).encode()


def depth_html(n: int) -> bytes:
    return ("<html><body>" + "<div>" * n + f"<p>{_STORY}</p>" + "</div>" * n).encode()


def entity_refs(n: int) -> bytes:
    return _rss(
        "<item><title>S</title><link>https://news.example.org/a</link><description>"
        + "&e; " * n
        + f"{_STORY}</description></item>",
        head='<!DOCTYPE rss [<!ENTITY e "ab">]>',
    )


def entity_comment(n: int) -> bytes:
    return _rss(
        "<item><title>t</title><description>" + "&a;" * 8000 + "</description></item>",
        head="<!--" + "c" * n + '--><!DOCTYPE rss [<!ENTITY a "' + "x" * 50_000 + '">]>',
    )


def dtd_subset(n: int) -> bytes:
    return _rss(
        f"<item><title>S</title><link>https://news.example.org/a</link><description>{_STORY}"
        "</description></item>",
        head="<!DOCTYPE rss [<!-- " + "x" * n + " -->]>",
    )


# axis -> (builder, n, the kinds of result expected)
AXES: dict[str, tuple[Callable[[int], bytes], int, list[str]]] = {
    "attrs-page": (attrs_page, 16_000, ["Article"]),
    "attrs-packed": (attrs_packed, 16_000, ["Article"]),
    "attrs-feed": (attrs_feed, 16_000, ["Article"]),
    "value-feed": (value_feed, 2_000_000, ["Article"]),
    "line-json": (line_json, 1_000_000, ["Article"]),
    "line-text": (line_text, 1_000_000, ["Article"]),
    "depth-json": (depth_json, 50_000, ["Reject", "Article"]),
    "depth-jsonld": (depth_jsonld, 50_000, ["Article"]),
    "depth-html": (depth_html, 25_000, ["Reject"]),  # past libxml2 depth 256: a reject
    "entity-refs": (entity_refs, 20_000, ["Article"]),
    "entity-comment": (entity_comment, 1_000_000, ["Reject"]),
    "dtd-subset": (dtd_subset, 1_000_000, ["Article"]),
}


def _kinds(data: bytes) -> list[str]:
    return [type(r).__name__ for r in parse(data) if isinstance(r, Article | Reject)]


def measure(axis: str, repeats: int = 3) -> dict[str, float]:
    """Best-of-``repeats`` seconds at ``n`` and ``4n``, interleaved, and their ratio."""
    build, n, _ = AXES[axis]
    small, large = build(n), build(4 * n)
    best = {"small": float("inf"), "large": float("inf")}
    for _ in range(repeats):
        for key, data in (("small", small), ("large", large)):
            t = time.perf_counter()
            parse(data)
            best[key] = min(best[key], time.perf_counter() - t)
    return {
        "n": n,
        "bytes_n": len(small),
        "s_n": round(best["small"], 4),
        "s_4n": round(best["large"], 4),
        "ratio": round(best["large"] / best["small"], 2),
    }


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("benchmark_enable", default=False)) or not bool(
        config.getoption("benchmark_disable", default=True)
    )


@pytest.mark.parametrize("axis", list(AXES))
def test_scaling_is_linear(axis: str, request: pytest.FixtureRequest) -> None:
    build, n, expected = AXES[axis]
    assert _kinds(build(n)) == expected
    if not _enabled(request.config):
        return  # smoke run: the input is handled right; timings need --benchmark-enable
    m = measure(axis)
    print(json.dumps({"axis": axis, **m}))
    assert m["ratio"] < MAX_RATIO, f"{axis}: 4x input took {m['ratio']}x time (not linear)"


if __name__ == "__main__":
    axes = sys.argv[1:] or list(AXES)
    print(f"{'axis':16} {'n':>9} {'bytes(n)':>10} {'s(n)':>8} {'s(4n)':>8} {'ratio':>6}")
    for name in axes:
        m = measure(name)
        print(
            f"{name:16} {m['n']:>9} {m['bytes_n']:>10} {m['s_n']:>8} {m['s_4n']:>8} {m['ratio']:>6}"
        )
