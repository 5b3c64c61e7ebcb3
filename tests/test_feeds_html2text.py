"""HTML fragments (feed content, IPTC XHTML/NITF) into clean paragraphs."""

from __future__ import annotations

from lxml import etree

from wireingest._html2text import (
    element_paragraphs,
    html_to_line,
    html_to_paragraphs,
    text_paragraphs,
)


def test_active_content_is_dropped() -> None:
    html = (
        "<p>Before</p><script>var x = 'secret';</script><style>p { color: red }</style>"
        '<iframe src="https://evil.example/"></iframe>'
        '<noscript>enable js</noscript><object data="x.swf"><param name="a" value="b"></object>'
        '<p onclick="steal()" style="display:none">After</p>'
        "<form><input value='v'><button>Send</button></form>"
    )
    assert html_to_paragraphs(html) == ["Before", "After"]


def test_unclosed_embeds_do_not_swallow_the_article() -> None:
    for tag in ('<iframe src="https://video.example/1">', '<embed src="x">', "<object data='x'>"):
        assert html_to_paragraphs(f"safe{tag} <b>description</b><p>More text.</p>") == [
            "safe description",
            "More text.",
        ]


def test_entities_are_decoded_once() -> None:
    assert html_to_paragraphs("<p>AT&amp;T &eacute;t&eacute; &#8212; &lt;b&gt;</p>") == [
        "AT&T été — <b>"
    ]
    # double-escaped text stays literal text
    assert html_to_paragraphs("<p>&amp;lt;b&amp;gt;</p>") == ["&lt;b&gt;"]


def test_block_structure_becomes_paragraphs() -> None:
    html = (
        "Loose text <b>bold</b>"
        "<h2>Heading</h2><div>In a div<div>nested</div>tail of div</div>"
        "<ul><li>one</li><li>two</li></ul>"
        "<blockquote>quoted</blockquote>"
        "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"
    )
    assert html_to_paragraphs(html) == [
        "Loose text bold",
        "Heading",
        "In a div",
        "nested",
        "tail of div",
        "one",
        "two",
        "quoted",
        "a b",
        "c d",
    ]


def test_br_handling() -> None:
    assert html_to_paragraphs("a<br>b<br/><br />c<br><br><br>d") == ["a\nb", "c", "d"]
    assert html_to_paragraphs("<p>  spaced \n\t out  </p>") == ["spaced out"]


def test_plain_text_and_empty_input() -> None:
    assert html_to_paragraphs("") == []
    assert html_to_paragraphs("   ") == []
    assert html_to_paragraphs("just text") == ["just text"]
    assert text_paragraphs("one\ntwo\n\n\nthree  four\r\n\r\nfive") == [
        "one\ntwo",
        "three four",
        "five",
    ]


def test_html_to_line_for_titles() -> None:
    assert html_to_line("Markets <em>rally</em>\n after &amp; cut") == "Markets rally after & cut"
    assert html_to_line("  plain   title ") == "plain title"


def test_namespaced_nitf_element() -> None:
    nitf = etree.fromstring(
        b'<body.content xmlns="http://iptc.org/std/NITF/2006-10-18/">'
        b"<p>First <em>para</em>.</p><media><media-caption>cap</media-caption></media>"
        b"<block><p>Second</p><p>Third</p></block><hl2>Sub head</hl2></body.content>"
    )
    assert element_paragraphs(nitf) == ["First para.", "Second", "Third", "Sub head"]


def test_comments_do_not_leak() -> None:
    assert html_to_paragraphs("<p>a<!-- hidden -->b</p>") == ["ab"]
