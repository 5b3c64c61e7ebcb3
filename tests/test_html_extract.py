"""Generic HTML extraction: agency-style golden pages, Zyte pages, hidden copies, bad pages."""

from __future__ import annotations

import codecs
import gzip
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from wireingest._draft import Draft
from wireingest._formats._htmldecode import decode_html
from wireingest._formats._htmlscore import PageScore, aggregate, score_page
from wireingest._formats.html import extract_main, parse
from wireingest.types import Reject

DATA = Path(__file__).parent / "data" / "html"
ZYTE = DATA / "zyte"


def run(data: bytes | str, **kw: Any) -> Draft | Reject:
    if isinstance(data, str):
        data = data.encode("utf-8")
    kw.setdefault("url", None)
    kw.setdefault("content_type", None)
    kw.setdefault("origin", "test")
    out = list(parse(data, **kw))
    assert len(out) == 1, out
    return out[0]


def draft(data: bytes | str, **kw: Any) -> Draft:
    item = run(data, **kw)
    assert isinstance(item, Draft), item
    return item


def page(body: str, head: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body>{body}</body></html>"
    )


ARTICLE = [
    "The city council voted on Monday to expand the bus network to three new districts, "
    "a plan that officials said would serve about forty thousand residents.",
    "The expansion will be paid for with a mix of state grants and a small increase in the "
    "parking fees charged in the city centre, according to the transport department.",
    "Opposition members criticised the timetable, arguing that the new lines should have "
    "opened before the start of the school year rather than in the spring.",
]


def article_html(extra: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return page(
        '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
        f'<div class="article-body">{paras}</div>{extra}'
        '<footer><a href="/about">About us</a> <a href="/contact">Contact</a></footer>'
    )


# --------------------------------------------------------------------------- agency pages

AGENCY_PAGES = ["en_ap", "fr_xinhua", "es_efe", "de_dpa", "it_ansa", "ru_tass"]

# Page chrome each page carries; none of it may reach the body (written by hand per page).
CHROME = {
    "en_ap": ["cookies", "Share on Facebook", "Related stories", "Hurricane season", "Senate passes",
              "Copyright 2024", "Advertisement", "U.S. News", "JANE DOE"],
    "fr_xinhua": ["cookies", "Partager", "Articles liés", "Airbus livre", "Copyright",
                  "Accueil", "Contactez notre équipe", "Publié le"],
    "es_efe": ["cookies", "WhatsApp", "Te puede interesar", "embalses andaluces", "Lo más leído",
               "Aviso legal", "Portada", "Sequía Andalucía"],
    "de_dpa": ["Cookies", "Teilen", "Mehr zum Thema", "Streik bei der Bahn", "Impressum",
               "Wirtschaft", "Anna Schmidt"],
    "it_ansa": ["cookie", "Condividi", "Leggi anche", "Frana sulla statale", "RIPRODUZIONE",
                "P.IVA", "Politica", "Fiumi oltre la soglia"],
    "ru_tass": ["cookie", "ВКонтакте", "Читайте также", "стратегию развития связи",
                "Информационное агентство", "Экономика"],
}  # fmt: skip


@pytest.mark.parametrize("name", AGENCY_PAGES)
def test_agency_page_golden(name: str) -> None:
    expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    d = draft((DATA / f"{name}.html").read_bytes())
    assert d.format == "html"
    assert d.paragraphs == expected["paragraphs"]
    assert d.title == expected["title"]
    assert d.url == expected["url"]
    assert d.source == expected["source"]
    assert d.language == expected["language"]
    assert d.authors == expected["authors"]
    assert d.categories == expected["categories"]
    assert d.published_text == expected["published_text"]
    assert (d.published.isoformat() if d.published else None) == expected["published"]
    assert (d.updated.isoformat() if d.updated else None) == expected["updated"]


@pytest.mark.parametrize("name", AGENCY_PAGES)
def test_agency_page_has_one_copy_and_no_chrome(name: str) -> None:
    d = draft((DATA / f"{name}.html").read_bytes())
    assert len(d.paragraphs) == len(set(d.paragraphs)), "hidden second copy leaked"
    body = "\n".join(d.paragraphs)
    for junk in CHROME[name]:
        assert junk not in body, junk


def test_agency_page_url_argument_wins() -> None:
    d = draft(
        (DATA / "fr_xinhua.html").read_bytes(), url="http://french.xinhuanet.com/2024-02/14/c_1.htm"
    )
    assert d.url == "http://french.xinhuanet.com/2024-02/14/c_1.htm"
    assert d.source == "french.xinhuanet.com"


# --------------------------------------------------------------------------- hidden copies


@pytest.mark.parametrize(
    "hidden",
    [
        '<div class="print" style="display:none">{}</div>',
        '<div style="visibility: hidden">{}</div>',
        "<div hidden>{}</div>",
        '<div aria-hidden="true">{}</div>',
        "<noscript>{}</noscript>",
        "<template>{}</template>",
        '<div class="sr-only">{}</div>',
    ],
)
def test_hidden_copy_never_extracted(hidden: str) -> None:
    copy = hidden.format("".join(f"<p>{p}</p>" for p in ARTICLE))
    d = draft(article_html(copy))
    assert d.paragraphs == ARTICLE


def test_hidden_copy_inside_the_article_container() -> None:
    copy = '<div style="DISPLAY : NONE">' + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</div>"
    html = page(
        '<div class="article-body">' + "".join(f"<p>{p}</p>" for p in ARTICLE) + copy + "</div>"
    )
    assert draft(html).paragraphs == ARTICLE


def test_visible_second_copy_in_the_same_container_is_dropped() -> None:
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE)
    html = page(
        f'<article><div class="desktop">{paras}</div><div class="amp">{paras}</div></article>'
    )
    assert draft(html).paragraphs == ARTICLE


def test_block_elements_are_separate_paragraphs_in_order() -> None:
    html = page(
        "<article><h2>Background</h2><p>"
        + ARTICLE[0]
        + "</p><ul><li>"
        + ARTICLE[1]
        + "</li></ul><blockquote>"
        + ARTICLE[2]
        + "</blockquote><p>First line<br>second line of a short address block here.</p></article>"
    )
    d = draft(html)
    assert d.paragraphs[:4] == ["Background", *ARTICLE]
    assert d.paragraphs[4:] == ["First line", "second line of a short address block here."]


# --------------------------------------------------------------------------- Zyte pages

ZYTE_TRUTH: dict[str, dict[str, str]] = json.loads(
    (ZYTE / "ground-truth.json").read_text(encoding="utf-8")
)
# id prefix -> (precision floor, recall floor, first sentence, last sentence), checked by hand
# against the page and the ground truth.
ZYTE_GOLDEN = {
    "c7e39ac49fa1": (0.95, 0.90, "Prosecutors in Sweden have dropped an investigation",
                     "scheduled to take place at Westminster Magistrate's Court in London in February."),
    "432362af0be4": (0.95, 0.95, "A case of the bubonic plague was reported in China",
                     "With Post wires"),
    "4a44ab3e4c41": (0.90, 0.95, "Three people have died during protests in Bolivia",
                     "how sad to see something like that,” the doctor said."),
    "85439e26c41c": (0.95, 0.95, "先日、不正に改造したiPhoneを販売したとして",
                     "※「iPhone」は、Apple Inc.の商標です。"),
    "d605bdef2cde": (0.90, 0.95, "Hong Kong (CNN Business)",
                     "which is now set to expire in February."),
}  # fmt: skip


def _zyte_key(prefix: str) -> str:
    return next(k for k in ZYTE_TRUTH if k.startswith(prefix))


@pytest.mark.parametrize("prefix", sorted(ZYTE_GOLDEN))
def test_zyte_page_quality(prefix: str) -> None:
    key = _zyte_key(prefix)
    p_floor, r_floor, first, last = ZYTE_GOLDEN[prefix]
    data = gzip.decompress((ZYTE / f"{key}.html.gz").read_bytes())
    d = draft(data, url=ZYTE_TRUTH[key]["url"])
    body = "\n".join(d.paragraphs)
    score = score_page(ZYTE_TRUTH[key]["articleBody"], body)
    assert score.precision >= p_floor
    assert score.recall >= r_floor
    assert any(p.startswith(first) for p in d.paragraphs[:2])
    assert any(p.endswith(last) for p in d.paragraphs[-2:])
    assert body.count(first) == 1


def test_zyte_pages_metadata() -> None:
    key = _zyte_key("c7e39ac49fa1")
    d = draft(gzip.decompress((ZYTE / f"{key}.html.gz").read_bytes()))
    assert d.title is not None and "Assange" in d.title
    assert d.language == "en"
    assert d.source == "bbc.com"
    assert d.published is not None and d.published.year == 2019


def test_extract_main_takes_bytes_text_or_tree() -> None:
    html = article_html()
    from_bytes = extract_main(html.encode("utf-8")).paragraphs
    from_text = extract_main(html).paragraphs
    tree = etree.fromstring(html.encode("utf-8"), etree.HTMLParser())
    from_tree = extract_main(tree).paragraphs
    assert from_bytes == from_text == from_tree == ARTICLE


# --------------------------------------------------------------------------- the metric


def test_score_identical_and_disjoint() -> None:
    text = "one two three four five six seven"
    assert score_page(text, text) == PageScore(1.0, 0.0, 0.0)
    s = score_page(text, "alpha beta gamma delta epsilon")
    assert (s.precision, s.recall) == (0.0, 0.0)
    empty = score_page("", "")
    assert (empty.precision, empty.recall) == (1.0, 1.0)


def test_score_counts_shingles_with_multiplicity() -> None:
    # truth: 7 tokens -> 4 shingles; prediction repeats the text twice -> 11 shingles, of which
    # 4 match (counts are clipped), 7 are false positives.
    truth = "a b c d e f g"
    s = score_page(truth, truth + " " + truth)
    assert s.tp == pytest.approx(4 / 11)
    assert s.fp == pytest.approx(7 / 11)
    assert s.fn == 0.0
    assert s.recall == 1.0


def test_aggregate_is_f1_of_mean_precision_and_mean_recall() -> None:
    pages = [PageScore(0.5, 0.5, 0.0), PageScore(0.5, 0.0, 0.5), PageScore(0.0, 0.0, 1.0)]
    # precisions: 0.5, 1.0 (third page has tp+fp == 0 and is left out); recalls: 1.0, 0.5, 0.0
    p, r, f = aggregate(pages)
    assert p == pytest.approx(0.75)
    assert r == pytest.approx(0.5)
    assert f == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def test_score_tokens_are_word_runs() -> None:
    # punctuation and line breaks do not matter, only \w+ runs
    assert score_page("Hello, world! It's me.", "hello world its me").precision < 1.0
    assert score_page("Hello, world! It's me.", "Hello world\nIt s me").precision == 1.0


# --------------------------------------------------------------------------- decoding


def test_decode_bom_wins() -> None:
    data = codecs.BOM_UTF16_LE + "<p>Grüße</p>".encode("utf-16-le")
    assert decode_html(data, "text/html; charset=iso-8859-1") == ("<p>Grüße</p>", "utf-16-le")


def test_decode_meta_charset_then_http_header() -> None:
    text = '<meta charset="windows-1251"><p>Привет</p>'
    assert decode_html(text.encode("cp1251"))[0] == text
    body = "<p>Привет, мир</p>".encode("koi8-r")
    assert decode_html(body, "text/html; charset=KOI8-R") == ("<p>Привет, мир</p>", "koi8-r")
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>€</p>'
    assert decode_html(equiv.encode("iso-8859-15"))[0] == equiv


def test_decode_wrong_declared_charset() -> None:
    # declared latin-1, really UTF-8
    text = '<meta charset="iso-8859-1"><p>Müller sagte: „Nein“</p>'
    assert decode_html(text.encode("utf-8")) == (text, "utf-8")
    # declared (or assumed) UTF-8, really windows-1252
    text2 = "<p>Les élèves ont déjà reçu leurs résultats à l’école.</p>"
    assert decode_html(text2.encode("cp1252"), "text/html; charset=utf-8") == (text2, "cp1252")
    # an unknown label is ignored
    assert decode_html('<meta charset="klingon"><p>ok ü</p>'.encode())[1] == "utf-8"


def test_decode_xml_declaration() -> None:
    text = '<?xml version="1.0" encoding="windows-1252"?><html><p>café – ok</p></html>'
    assert decode_html(text.encode("cp1252")) == (text, "cp1252")


def test_decode_latin1_label_means_windows_1252() -> None:
    text = "<p>“Quoted” – dash</p>"
    assert decode_html(text.encode("cp1252"), "text/html; charset=ISO-8859-1")[0] == text


def test_parse_page_in_cp1252_with_declaration() -> None:
    html = (
        article_html()
        .replace("utf-8", "windows-1252")
        .replace("city council", "conseil municipal élu")
    )
    d = draft(html.encode("cp1252"))
    assert d.paragraphs[0].startswith("The conseil municipal élu voted")


# --------------------------------------------------------------------------- metadata


def test_title_sources_and_site_suffix() -> None:
    head = "<title>Bus network grows - City Herald</title>"
    d = draft(article_html().replace("<head>", "<head>" + head))
    assert d.title == "Bus network grows"
    head2 = '<title>Bus network grows | Herald</title><meta property="og:title" content="Buses!">'
    assert draft(article_html().replace("<head>", "<head>" + head2)).title == "Buses!"
    d3 = draft(page("<h1>Council expands buses</h1>" + "".join(f"<p>{p}</p>" for p in ARTICLE)))
    assert d3.title == "Council expands buses"
    assert d3.paragraphs == ARTICLE  # the headline is not repeated in the body


def test_dates_aware_naive_and_text() -> None:
    meta = '<meta property="article:published_time" content="2024-01-02T03:04:05-05:00">'
    d = draft(article_html().replace("<head>", "<head>" + meta))
    assert d.published == datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5)))
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-01-02T03:04"}</script>'
    d2 = draft(article_html().replace("<head>", "<head>" + ld))
    assert d2.published == datetime(2024, 1, 2, 3, 4) and d2.published.tzinfo is None
    time_el = '<time datetime="Tue, 02 Jan 2024 08:00:00 GMT">2 Jan</time>'
    d3 = draft(article_html(time_el))
    assert d3.published == datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
    visible = '<span class="fecha">Publicado el 3 de marzo de 2024</span>'
    d4 = draft(article_html().replace("<nav>", visible + "<nav>"))
    assert d4.published is None
    assert d4.published_text == "Publicado el 3 de marzo de 2024"


def test_language_fallbacks() -> None:
    html = article_html().replace(' lang="en"', "")
    assert draft(html).language is None
    og = '<meta property="og:locale" content="pt_BR">'
    assert draft(html.replace("<head>", "<head>" + og)).language == "pt"
    cl = '<meta http-equiv="content-language" content="nl-BE">'
    assert draft(html.replace("<head>", "<head>" + cl)).language == "nl"


def test_authors_from_jsonld_meta_and_rel() -> None:
    ld = (
        '<script type="application/ld+json">[{"@type":"WebPage"},{"@type":"Article",'
        '"author":[{"name":"Ana Pérez"},"Luis Gómez"]}]</script>'
    )
    assert draft(article_html().replace("<head>", "<head>" + ld)).authors == [
        "Ana Pérez",
        "Luis Gómez",
    ]
    meta = '<meta name="author" content="Marc Dubois">'
    assert draft(article_html().replace("<head>", "<head>" + meta)).authors == ["Marc Dubois"]
    rel = '<p class="x"><a rel="author" href="/a/k">By Kim Lee</a></p>'
    assert draft(article_html().replace("<nav>", rel + "<nav>")).authors == ["Kim Lee"]


def test_url_and_source_from_canonical() -> None:
    link = '<link rel="canonical" href="https://www.example.org/news/buses-123">'
    d = draft(article_html().replace("<head>", "<head>" + link))
    assert d.url == "https://www.example.org/news/buses-123"
    assert d.source == "example.org"
    d2 = draft(article_html().replace("<head>", "<head>" + link), url="https://m.example.org/b")
    assert d2.url == "https://m.example.org/b"
    assert d2.source == "m.example.org"


def test_broken_jsonld_is_ignored() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    d = draft(article_html().replace("<head>", "<head>" + ld))
    assert d.paragraphs == ARTICLE


def test_jsonld_article_body_hint_keeps_short_paragraphs() -> None:
    short = "He declined to comment."
    paras = [*ARTICLE, short]
    body_text = " ".join(paras)
    ld = (
        '<script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "articleBody": body_text})
        + "</script>"
    )
    html = page(
        '<div class="story">' + "".join(f"<p>{p}</p>" for p in paras) + "</div>"
        '<div class="x"><p>Sign up for our newsletter today and win.</p></div>',
        head=ld,
    )
    assert draft(html).paragraphs == paras


# --------------------------------------------------------------------------- bad pages


def test_empty_and_blank_pages_are_rejected() -> None:
    for data in (b"", b"   \n  ", b"<html></html>", b"<html><body>  </body></html>"):
        r = run(data)
        assert isinstance(r, Reject)
        assert r.reason == "invalid"


def test_navigation_only_page_is_not_an_article() -> None:
    links = "".join(
        f'<li><a href="/s{i}">Section number {i} of the site</a></li>' for i in range(40)
    )
    r = run(
        page(f"<nav><ul>{links}</ul></nav><div class='menu'><ul>{links}</ul></div><ul>{links}</ul>")
    )
    assert isinstance(r, Reject)
    assert r.reason == "not-article"
    assert "no article body" in r.message


def test_size_limit_rejects_50_mb_of_nested_divs() -> None:
    data = b"<html><body>" + b"<div>" * 10_000_000 + b"</body></html>"
    r = run(data)
    assert isinstance(r, Reject)
    assert r.reason == "too-large"
    assert "20971520" in r.message


def test_size_limit_is_configurable() -> None:
    data = article_html().encode()
    r = run(data, max_bytes=100)
    assert isinstance(r, Reject) and r.reason == "too-large"
    assert isinstance(run(data, max_bytes=len(data)), Draft)


def test_deep_nesting_under_the_limit_does_not_crash() -> None:
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE)
    deep = (
        "<div>" * 100_000
        + "<p>deep text that sits below the nesting limit</p>"
        + "</div>" * 100_000
    )
    d = draft(page(paras + deep))  # the article comes first and survives the cut
    assert d.paragraphs == ARTICLE
    assert "truncated" in d.extra
    r = run(page(deep + paras))  # the article sits past the cut: a reject naming the reason
    assert isinstance(r, Reject) and "256 levels" in r.message


def test_broken_markup_gives_best_effort_article() -> None:
    html = (
        "<html><head><title>Broken</head><body><div class=article><p>"
        + ARTICLE[0]
        + "<p>"
        + ARTICLE[1]
        + "</b></i></div></div></span><p>"
        + ARTICLE[2]
        + "<table><tr><td>"
    )
    d = draft(html)
    assert d.paragraphs == ARTICLE


def test_binary_garbage_and_nul_bytes() -> None:
    data = article_html().encode().replace(b"<p>", b"<p>\x00\xff\xfe", 1)
    d = draft(data)
    assert d.paragraphs[1:] == ARTICLE[1:]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    out = list(parse(b"<html><body>" + data, url=None, content_type=None, origin=None))
    assert len(out) == 1
    assert isinstance(out[0], Draft | Reject)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="<>/divpa =\"'&;#x!-bodyhtml\n", max_size=400))
def test_parse_never_raises_on_tag_soup(soup: str) -> None:
    out = list(parse(soup.encode(), url=None, content_type="text/html", origin=None))
    assert len(out) == 1
