"""XML parsing is safe: no entity bombs, no external entities, no network, bounded memory.

The hostile documents are written here (nothing downloaded). Memory is measured in a child
process (peak RSS of the parse minus the peak RSS of the same child parsing a tiny document), so
lxml's C allocations count too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wireingest._draft import Draft
from wireingest._formats import feeds, newsml
from wireingest._xml import (
    MAX_ENTITY_DECLS,
    XML_ERRORS,
    UnsafeXML,
    XMLSyntaxError,
    check_entities,
    parse_xml,
)
from wireingest.types import Reject

ROOT = Path(__file__).resolve().parent.parent


def billion_laughs(levels: int = 10, fanout: int = 10, root: str = "rss") -> bytes:
    decls = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        decls.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * fanout}">')
    body = f"&lol{levels - 1};"
    if root == "rss":
        doc = (
            f'<rss version="2.0"><channel><title>t</title><item><title>{body}</title>'
            f"<description>{body}</description></item></channel></rss>"
        )
    else:
        doc = (
            '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><itemMeta>'
            '<itemClass qcode="ninat:text"/></itemMeta><contentMeta><headline>'
            f"{body}</headline></contentMeta></newsItem>"
        )
    dtd = "\n".join(decls)
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n{dtd}\n]>\n{doc}'.encode()


def quadratic_blowup(size: int = 50_000, refs: int = 50_000) -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "'
        + b"x" * size
        + b'">]><rss version="2.0"><channel><item><title>t</title><description>'
        + b"&a;" * refs
        + b"</description></item></channel></rss>"
    )


EXTERNAL_FILE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<rss version="2.0"><channel><item><title>leak &xxe; here</title>'
    b"<description>body &xxe;</description></item></channel></rss>"
)
EXTERNAL_NET = (
    b'<?xml version="1.0"?>\n<!DOCTYPE newsItem [<!ENTITY net SYSTEM "http://127.0.0.1:9/x">\n'
    b'<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/evil.dtd"> %dtd;]>\n'
    b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1"><itemMeta>'
    b'<itemClass qcode="ninat:text"/></itemMeta><contentMeta><headline>H &net;</headline>'
    b'</contentMeta><contentSet><inlineData contenttype="text/plain">Body &net; text.'
    b"</inlineData></contentSet></newsItem>"
)


def test_billion_laughs_is_rejected_before_parsing() -> None:
    with pytest.raises(UnsafeXML, match="entity bomb"):
        check_entities(billion_laughs())
    with pytest.raises(UnsafeXML):
        parse_xml(billion_laughs(root="newsItem"))


def test_nested_bomb_is_a_one_line_reject_from_every_xml_parser() -> None:
    for mod, root in ((feeds, "rss"), (newsml, "newsItem")):
        out = list(mod.parse(billion_laughs(root=root), url=None, content_type=None, origin="x"))
        assert len(out) == 1
        rej = out[0]
        assert isinstance(rej, Reject)
        assert rej.reason == "invalid"
        assert "unsafe XML" in rej.message and "\n" not in rej.message


def test_quadratic_blowup_is_rejected() -> None:
    out = list(feeds.parse(quadratic_blowup(), url=None, content_type=None, origin=None))
    assert len(out) == 1 and isinstance(out[0], Reject)
    assert "quadratic" in out[0].message


def test_too_many_entity_declarations() -> None:
    decls = "".join(f'<!ENTITY e{i} "v{i}">' for i in range(MAX_ENTITY_DECLS + 1))
    doc = f"<!DOCTYPE a [{decls}]><a>&e1;</a>".encode()
    with pytest.raises(UnsafeXML, match="declares"):
        parse_xml(doc)
    # the limit itself is fine
    ok_decls = "".join(f'<!ENTITY e{i} "v{i}">' for i in range(MAX_ENTITY_DECLS))
    root = parse_xml(f"<!DOCTYPE a [{ok_decls}]><a>x</a>".encode())
    assert root.tag == "a"


def test_bomb_in_utf16_is_seen_too() -> None:
    data = billion_laughs().decode().replace('<?xml version="1.0"?>', "").encode("utf-16")
    with pytest.raises(UnsafeXML):
        check_entities(data)


def test_external_file_entity_is_never_expanded() -> None:
    root = parse_xml(EXTERNAL_FILE)
    text = "".join(t for t in root.itertext() if isinstance(t, str))
    assert "root:" not in text
    drafts = list(feeds.parse(EXTERNAL_FILE, url=None, content_type=None, origin=None))
    assert len(drafts) == 1
    dumped = repr(drafts[0])
    assert "root:" not in dumped and "/bin/" not in dumped


def test_external_network_entities_are_not_fetched() -> None:
    # port 9 (discard) on localhost: a fetch attempt would fail or hang; parsing must do neither
    out = list(newsml.parse(EXTERNAL_NET, url=None, content_type=None, origin=None))
    assert len(out) == 1
    d = out[0]
    assert isinstance(d, Draft)
    assert d.title is not None and d.title.startswith("H")
    assert d.paragraphs and d.paragraphs[0].startswith("Body")


def test_syntax_errors_are_reported_not_raised() -> None:
    with pytest.raises(XMLSyntaxError):
        parse_xml(b"<a><b></a>")
    with pytest.raises(XML_ERRORS):
        parse_xml(b"")
    out = list(newsml.parse(b"\x00\x01 not xml", url=None, content_type=None, origin=None))
    assert len(out) == 1 and isinstance(out[0], Reject) and out[0].reason == "invalid"


_CHILD = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from tests.test_xml_safety import billion_laughs, quadratic_blowup
from wireingest._formats import feeds, newsml
kind = sys.argv[2]
if kind == "tiny":
    docs = [(feeds, b'<rss version="2.0"><channel><item><title>t</title></item></channel></rss>')]
else:
    docs = [
        (feeds, billion_laughs(10, 10)),
        (newsml, billion_laughs(10, 10, root="newsItem")),
        (feeds, quadratic_blowup()),
    ]
results = []
for mod, data in docs:
    results.append([type(o).__name__ for o in mod.parse(data, url=None, content_type=None, origin=None)])
if kind != "tiny":
    # the parser settings alone (without the entity pre-check) must not expand the bomb either
    from lxml import etree
    from wireingest._xml import _parser
    try:
        root = etree.fromstring(billion_laughs(10, 10), _parser(False))
        text = "".join(t for t in root.itertext() if isinstance(t, str))
        results.append(["small" if len(text) < 1000 else "expanded"])
    except etree.XMLSyntaxError:  # libxml2's own amplification limit
        results.append(["refused"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_kb": peak, "results": results}))
"""


def _child(kind: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), kind],
        capture_output=True,
        text=True,
        timeout=60,  # a hang fails the test instead of blocking the suite
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_bombs_stay_within_a_small_memory_bound() -> None:
    base = _child("tiny")
    bombs = _child("bombs")
    assert bombs["results"][:3] == [["Reject"], ["Reject"], ["Reject"]]
    assert bombs["results"][3] in (["small"], ["refused"])
    extra_mb = (int(bombs["peak_kb"]) - int(base["peak_kb"])) / 1024
    assert extra_mb < 32, f"parsing the bombs used {extra_mb:.1f} MB more than a tiny feed"


# -- declarations the old subset scan could not see (issue #13) ----------------------------------


def blowup(prefix: bytes = b"", decl_extra: bytes = b"", encoding: str = "") -> bytes:
    """One 50 KB entity referenced 8,000 times (400 MB expanded) behind a hiding trick."""
    enc = f' encoding="{encoding}"' if encoding else ""
    return (
        f'<?xml version="1.0"{enc}?>'.encode()
        + prefix
        + b"<!DOCTYPE rss ["
        + decl_extra
        + b'<!ENTITY a "'
        + b"x" * 50_000
        + b'">]><rss version="2.0"><channel><item><title>t</title><description>'
        + b"&a;" * 8_000
        + b"</description></item></channel></rss>"
    )


@pytest.mark.parametrize(
    "doc",
    [
        blowup(prefix=b"<!--" + b"c" * 70_000 + b"-->"),
        blowup(decl_extra=b'<!ENTITY z "]>">'),
        blowup(decl_extra=b"<!ENTITY z ']>'>", prefix=b"<!-- <a -->"),
        blowup(encoding="utf-7"),
    ],
    ids=["long-comment", "bracket-in-value", "element-in-comment", "utf-7"],
)
def test_hidden_blowups_are_rejected(doc: bytes) -> None:
    with pytest.raises(UnsafeXML, match="quadratic blowup"):
        check_entities(doc)
    out = list(feeds.parse(doc, content_type="application/rss+xml"))
    assert len(out) == 1 and isinstance(out[0], Reject) and "unsafe XML" in out[0].message


def test_entity_made_of_ampersand_character_references_is_a_bomb() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY b "yy"><!ENTITY a "&#38;b;&#x26;b;">]>'
        b'<rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>'
    )
    with pytest.raises(UnsafeXML, match="entity bomb"):
        check_entities(doc)


def test_parameter_entity_holding_declarations_is_rejected() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p \'<!ENTITY a "x">\'> %p;]>'
        b'<rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>'
    )
    with pytest.raises(UnsafeXML, match="parameter entity"):
        check_entities(doc)


def test_harmless_entities_and_external_sets_still_parse() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY % HTMLlat1 '
        b'PUBLIC "-//W3C//ENTITIES Latin 1 for XHTML//EN" "xhtml-lat1.ent"> %HTMLlat1;]>'
        b'<rss version="2.0"><channel><item><title>Port&nbsp;strike</title><link>https://a.example/1'
        b"</link></item></channel></rss>"
    )
    check_entities(doc)
    out = list(feeds.parse(doc))
    assert len(out) == 1 and isinstance(out[0], Draft) and out[0].title == "Port strike"
