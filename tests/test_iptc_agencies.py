"""IPTC as agencies really send it: a table over corpora/iptc-agencies (see its SOURCES.md).

Each row states, for one item, what a reader of the file sees in it: the kind (an article, or the
reject reason), the id, the headline, how the body starts, the publication date (UTC) and the
language (ISO 639-1). The rows were written by reading the files, not by running the parser.
Below the table, one test per mechanism of issue 17 checks the mechanism on its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wireingest
from wireingest import Article
from wireingest._draft import Draft
from wireingest._formats import newsml, ninjs
from wireingest._formats.jsonrec import record_to_drafts
from wireingest._formats.sniff import sniff

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "iptc-agencies"
A = "article"

# file, kind, id, headline, body start, published (UTC), language
TABLE: list[tuple[str, str, str, str, str | None, str | None, str | None]] = [
    ("aap-superdesk-ninjs-picture.json", "not-article", "20170825001315282180",
     "German Air Force Museum", None, None, None),
    # no language stated and three words of body: nothing to detect it from
    ("aap-superdesk-ninjs-text.json", A,
     "urn:newsml:localhost:2017-08-24T14:37:19.783611:c044162e-7f40-4d04-b700-49b6a66e652c",
     "headline", "The story so far.", "2017-08-24T04:37:19Z", None),
    ("afp-newsml1-declared-latin1.xml", A, "urn:newsml:afp.com:20240710:240710125902.qpsp2jzk:1",
     "Décès de Naomi Musenga: l'opératrice du Samu définitivement condamnée",
     "L'opératrice du Samu condamnée pour non-assistance", "2024-07-10T12:59:02Z", "fr"),
    # a real NewsML 1.x item: Format HTML, no MimeType, escaped HTML (upper-case <P>) in CDATA
    ("ana-mpa-newsml1-html-cdata.xml", A, "urn:newsml:ana-mpe.gr:20180404:19336333:1",
     "Wage employment balance positive in Jan-March",
     "Wage employment in the private sector grew in March", "2018-04-04T14:58:59Z", "en"),
    ("ana-mpa-g2-lang-on-contentmeta.xml", A, "urn:newsml:amna.gr:20240603:2034481",
     "Αύξηση 8% στις αφίξεις τουριστών το πρώτο τετράμηνο",
     "Αύξηση 8% σημείωσαν οι αφίξεις", "2024-06-03T10:02:10Z", "el"),
    ("ansa-g2-plain-with-p.xml", A, "tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a",
     "Catalan independence declaration unacceptable - Alfano",
     "(ANSA) - Rome, October 11 - Italian Foreign Minister", "2017-10-11T09:41:00Z", "it"),
    ("ap-ninjs-1.4-photo.json", "not-article",
     "http://ninjs.example.com/newsitems/20130709simpPh123", "Costa Concordia cruise ship",
     None, None, None),
    ("ap-ninjs-1.4-text.json", A, "http://ninjs.example.com/newsitems/20130709simp123",
     "Captain of wrecked cruise ship on trial in Italy",
     "GROSSETO, Italy (AP) -- The trial of the captain", "2013-07-09T10:37:00Z", "en"),
    ("businesswire-newsml1-en.xml", A, "urn:newsml:businesswire.com:20010714:20130731006140:1",
     "Lunch Taking a Toll? Let Applebee’s® Industrial Strength Lunch Decoy Stand In",
     "With more Applebee’s® Lunch Combos than ever", "2013-07-31T15:32:00Z", "en"),
    ("businesswire-newsml1-zh.xml", A, "urn:newsml:businesswire.com:20010714:20130612006110:1",
     "APP发布“2020 可持续发展路线图”第三次工作进展报告，并将继续落实森林保护政策",
     "亚洲浆纸业有限公司（Asia Pulp & Paper", "2013-06-12T15:29:00Z", "zh"),
    ("dpa-g2-xhtml-header.xml", A, "urn:newsml:dpa.com:20090101:240514-99-37162",
     "Hamburger Hafen: Containerumschlag wächst wieder",
     "Hamburg (dpa) - Im Hamburger Hafen sind im ersten Quartal", "2024-05-14T13:40:03Z", "de"),
    ("dpa-ninjs-2.1.json", A, "urn:newsml:dpa.com:20090101:190510-99-167362",
     "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
     "Für Lucien Favre war es «der größte Skandal", "2019-05-10T14:02:28Z", "de"),
    ("efe-newsml1-real-latin1.xml", A, "urn:newsml:efe.com:20240418:52217764:1",
     "España recibe 16,4 millones de turistas hasta marzo, un 17,7 % más",
     "Madrid, 18 abr (EFE).- España recibió 16,4 millones", "2024-04-18T16:42:00Z", "es"),
    ("efe-nitf-3.2.xml", A, "22751909", "Honduran president announces Cabinet changes",
     "Tegucigalpa, Jan 2 (EFE).- Test body.", "2017-01-02T22:28:00Z", "en"),
    ("iptc-g2-listing2.xml", A, "urn:newsml:acmenews.com:20161121:US-FINANCE-FED",
     'Fed to halt QE to avert "bubble"', "(New York, NY - October 21) Et, sent luptat",
     "2016-11-21T20:21:06Z", "en"),
    ("kyodo-newsml1-html-in-cdata.xml", A, "urn:newsml:kyodonews.net:20240605:KD2024060500412:1",
     "Japan's births hit record low for 8th straight year in 2023",
     "The number of babies born in Japan in 2023", "2024-06-05T00:27:12Z", "en"),
    ("ntb-ninjs-3.0.json", A, "urn:8d19cf88-b3ab-4972-8fec-1207599f2872",
     "Google har kjøpt giganttomt i Skien", "IT-giganten Google har kjøpt en tomt",
     "2019-08-09T09:30:04Z", "nb"),
    ("ntb-nitf-3.6-baselang-no.xml", A, "NTB-7d1c2a90-4d1e-4bb6-9a0e-3f0b7c5d2e11_3",
     "Rekordmange elbiler registrert i mars", "Nesten ni av ti nye personbiler",
     "2024-04-02T09:31:12Z", "no"),
    ("ntb-nitf-3.6-canceled.xml", "withdrawn", "NTB-7d1c2a90-4d1e-4bb6-9a0e-3f0b7c5d2e11_4",
     "KANSELLERT: Rekordmange elbiler registrert i mars", None, None, None),
    ("reuters-newsml1-nitf-in-textxml.xml", A, "urn:newsml:reuters.com:20240312:nL1N3FH0QZ:1",
     "Copper hits 11-month high as Chinese smelters plan output cuts",
     "LONDON, March 12 (Reuters) - Copper prices rose", "2024-03-12T14:12:00Z", "en"),
    ("ritzau-nitf-3.5-withheld.xml", "withdrawn", "RB-20240201-0815-4411",
     "Embargo: Nationalbanken hæver renten", None, None, None),
    ("stt-g2-declared-cp1252.xml", A, "urn:newsml:stt.fi:20240311:106123456",
     "Hämeenlinnan yöpakkaset ennätyslukemissa – lämpötila laski −31 asteeseen",
     "Hämeenlinnassa mitattiin yöllä maaliskuun", "2024-03-11T08:05:00Z", "fi"),
    ("tass-g2-lang-on-inline.xml", A, "urn:newsml:tass.ru:20240227:19964112",
     "Ледокол «Ямал» завершил проводку судов в Обской губе",
     "МУРМАНСК, 27 февраля. /ТАСС/.", "2024-02-27T09:09:00Z", "ru"),
    ("tt-cms-ninjs-body-html5.json", A,
     "urn:newsml:tt.se:20240520:a8e3b1c0-33f1-4bde-9b15-0f4d6a3c7e21",
     "Fler väljer tåget till fjällen", "Allt fler resenärer tar tåget till fjällen.",
     "2024-05-20T11:31:40Z", "sv"),
    ("tt-ninjs-2.1.json", A, "http://tt.se/media/text/210526-militarovning-a0f2d045",
     "Militärövning i jätteformat hålls 2023", "FörsvarTT", "2021-05-26T11:40:18Z", "sv"),
]  # fmt: skip


def _results(name: str) -> list[Article | wireingest.Reject]:
    return wireingest.parse((CORPUS / name).read_bytes())


def test_the_corpus_covers_what_the_issue_asks() -> None:
    files = {row[0] for row in TABLE}
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".xml", ".json")}
    assert files == on_disk  # every sample has its row
    agencies = {name.split("-")[0] for name in files} - {"iptc"}
    assert len(agencies) >= 10, agencies
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for name in files:
        assert name in sources, f"{name} has no provenance line"


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_agency_table(row: tuple[str, str, str, str, str | None, str | None, str | None]) -> None:
    name, kind, rid, headline, body_start, published, language = row
    (res,) = _results(name)
    if kind == A:
        assert isinstance(res, Article), res
        assert (res.id, res.title, res.published, res.language) == (
            rid,
            headline,
            published,
            language,
        )
        assert body_start is not None and res.body.startswith(body_start), res.body[:80]
    else:
        assert isinstance(res, wireingest.Reject), res
        assert (res.reason, res.id, res.title) == (kind, rid, headline)


# ----------------------------------------------------------------- one test per mechanism
def _one_draft(data: bytes) -> Draft:
    (d,) = list(newsml.parse(data))
    assert isinstance(d, Draft), d
    return d


def test_newsml1_content_item_decided_by_format_and_content() -> None:
    # NITF in a text/xml ContentItem whose Format is Nitf_v3.0
    reuters = _one_draft((CORPUS / "reuters-newsml1-nitf-in-textxml.xml").read_bytes())
    assert reuters.paragraphs[0].startswith("LONDON, March 12 (Reuters)")
    assert len(reuters.paragraphs) == 3
    # escaped HTML in CDATA, Format HTML and no MimeType: tags do not reach the text
    kyodo = _one_draft((CORPUS / "kyodo-newsml1-html-in-cdata.xml").read_bytes())
    assert len(kyodo.paragraphs) == 3
    assert not any("<p>" in p for p in kyodo.paragraphs)
    # a ContentItem whose MimeType says picture is still no text
    photo = (
        (CORPUS / "kyodo-newsml1-html-in-cdata.xml")
        .read_bytes()
        .replace(
            b'<Format FormalName="HTML"/>',
            b'<Format FormalName="JPEG Baseline"/><MimeType FormalName="image/jpeg"/>',
        )
    )
    (rej,) = list(newsml.parse(photo))
    assert isinstance(rej, wireingest.Reject) and rej.reason == "not-article"


def test_a_declared_charset_that_lies_loses_to_valid_utf8_and_real_latin1_stays() -> None:
    lying = (CORPUS / "afp-newsml1-declared-latin1.xml").read_bytes()
    assert lying.startswith(b'<?xml version="1.0" encoding="iso-8859-1"?>')
    d = _one_draft(lying)
    assert d.title is not None and d.title.startswith("Décès de Naomi Musenga")
    assert "Ã" not in " ".join(d.paragraphs) and "© 2024" not in d.title
    cp1252 = _one_draft((CORPUS / "stt-g2-declared-cp1252.xml").read_bytes())
    assert cp1252.title is not None and cp1252.title.startswith("Hämeenlinnan")
    # the other direction: real ISO-8859-1 bytes (not valid UTF-8) stay ISO-8859-1
    real = (CORPUS / "efe-newsml1-real-latin1.xml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        real.decode("utf-8")
    assert newsml.honest_charset(real) == (real, None)
    d = _one_draft(real)
    assert d.title == "España recibe 16,4 millones de turistas hasta marzo, un 17,7 % más"
    # a Latin-1 declaration over pure ASCII is left alone, too
    ascii_doc = b'<?xml version="1.0" encoding="ISO-8859-1"?><nitf/>'
    assert newsml.honest_charset(ascii_doc) == (ascii_doc, None)
    fixed, overruled = newsml.honest_charset(lying)
    assert overruled == "iso-8859-1" and fixed.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_cms_ninjs_is_recognised_by_its_vocabulary() -> None:
    for name in ("aap-superdesk-ninjs-text.json", "tt-cms-ninjs-body-html5.json"):
        data = (CORPUS / name).read_bytes()
        obj = json.loads(data)
        assert "uri" not in obj
        assert sniff(data) == "ninjs"
        assert ninjs.looks_like_ninjs(obj)
        # through the generic JSON record path (JSON Lines) it is ninjs all the same
        (d,) = list(record_to_drafts(obj))
        assert isinstance(d, Draft) and d.format == "ninjs" and d.id == obj["guid"]
    tt = json.loads((CORPUS / "tt-cms-ninjs-body-html5.json").read_bytes())
    (d,) = list(ninjs.parse_obj(tt))
    assert isinstance(d, Draft) and d.paragraphs[0].startswith("Allt fler resenärer")
    for key in ("body_richhtml5", "body_text", "body_xhtml", "body_html"):
        variant = {k: v for k, v in tt.items() if k != "body_html5"}
        variant[key] = tt["body_html5"]
        (d,) = list(ninjs.parse_obj(variant))
        assert isinstance(d, Draft) and d.paragraphs[0].startswith("Allt fler resenärer"), key
        assert not any("<p>" in p for p in d.paragraphs), key
    pic = json.loads((CORPUS / "aap-superdesk-ninjs-picture.json").read_bytes())
    (rej,) = list(record_to_drafts(pic))
    assert isinstance(rej, wireingest.Reject) and rej.reason == "not-article"
    # a generic JSON record with an id and a title is still not ninjs
    assert not ninjs.looks_like_ninjs({"guid": "1", "title": "t", "body": "b", "type": "x"})


def test_nitf_management_status_canceled_or_withheld_is_withdrawn() -> None:
    for name, status in (
        ("ntb-nitf-3.6-canceled.xml", "canceled"),
        ("ritzau-nitf-3.5-withheld.xml", "withheld"),
    ):
        (rej,) = list(newsml.parse((CORPUS / name).read_bytes()))
        assert isinstance(rej, wireingest.Reject)
        assert rej.reason == "withdrawn" and rej.extra["pubStatus"] == status
        assert rej.extra["cancels"] == rej.id


@pytest.mark.parametrize(
    ("name", "raw", "iso"),
    [
        ("efe-nitf-3.2.xml", "en-US", "en"),  # NITF @baselang
        ("ntb-nitf-3.6-baselang-no.xml", "no-NO", "no"),
        ("ansa-g2-plain-with-p.xml", "it", "it"),  # G2 <language tag>
        ("ana-mpa-g2-lang-on-contentmeta.xml", "el", "el"),  # @xml:lang on contentMeta
        ("tass-g2-lang-on-inline.xml", "ru", "ru"),  # @xml:lang on headline / inlineXML
        ("stt-g2-declared-cp1252.xml", "fi", "fi"),  # @xml:lang on the newsItem
    ],
)
def test_language_from_baselang_and_xml_lang(name: str, raw: str, iso: str) -> None:
    d = _one_draft((CORPUS / name).read_bytes())
    assert d.language == raw
    (art,) = _results(name)
    assert isinstance(art, Article) and art.language == iso


def test_nb_no_baselang_maps_to_nb() -> None:
    data = (CORPUS / "ntb-nitf-3.6-baselang-no.xml").read_bytes().replace(b"no-NO", b"nb-NO")
    (art,) = wireingest.parse(data)
    assert isinstance(art, Article) and art.language == "nb"


def test_xml_lang_only_on_the_inline_body_is_read() -> None:
    data = (
        (CORPUS / "tass-g2-lang-on-inline.xml")
        .read_bytes()
        .replace(b'<headline xml:lang="ru">', b"<headline>")
    )
    assert _one_draft(data).language == "ru"


def test_xhtml_header_is_metadata_not_body() -> None:
    d = _one_draft((CORPUS / "dpa-g2-xhtml-header.xml").read_bytes())
    body = "\n".join(d.paragraphs)
    assert d.paragraphs[0].startswith("Hamburg (dpa) - Im Hamburger Hafen")
    for header_text in ("Schifffahrt", "14.05.2024 15:40", "Meldung"):
        assert header_text not in body
    assert d.extra["slugline"] == "Schifffahrt/Hamburg/Hafen"
    assert "Meldung" in d.extra["genre"]
    # without firstCreated, the header's <time> still dates the item
    no_dates = (CORPUS / "dpa-g2-xhtml-header.xml").read_bytes()
    for tag in (b"firstCreated", b"versionCreated"):
        start = no_dates.index(b"<" + tag + b">")
        end = no_dates.index(b"</" + tag + b">") + len(tag) + 3
        no_dates = no_dates[:start] + no_dates[end:]
    d2 = _one_draft(no_dates)
    assert d2.published is not None and d2.published.isoformat() == "2024-05-14T15:40:03+02:00"


def test_plain_inline_data_that_carries_markup_is_stripped() -> None:
    d = _one_draft((CORPUS / "ansa-g2-plain-with-p.xml").read_bytes())
    assert d.paragraphs[0].startswith("(ANSA) - Rome, October 11")
    assert not any("<p>" in p or "</p>" in p for p in d.paragraphs)
    # real plain text with a "<" in it stays as it is
    plain = (
        (CORPUS / "ana-mpa-g2-lang-on-contentmeta.xml")
        .read_bytes()
        .replace("Αύξηση 8% σημείωσαν".encode(), "Αύξηση &lt;8% σημείωσαν".encode())
    )
    assert _one_draft(plain).paragraphs[0].startswith("Αύξηση <8% σημείωσαν")


def test_every_article_has_its_guid_as_id_and_a_date() -> None:
    for name, kind, rid, _h, _b, published, _lang in TABLE:
        for res in _results(name):
            assert res.id == rid, name
            if kind == A:
                assert isinstance(res, Article)
                assert res.published == published and res.published is not None, name


@pytest.mark.parametrize(
    "prolog", [b"", b'<?xml version="1.0"?>\n', b'<?xml version="1.0" encoding="UTF-8"?>\n']
)
def test_latin1_bytes_declared_or_defaulted_as_utf8_are_read_as_latin1(prolog: bytes) -> None:
    # the lie the other way round: old NITF wire copy in Latin-1 that says (or implies) UTF-8
    real = (CORPUS / "ntb-nitf-3.6-baselang-no.xml").read_text(encoding="utf-8")
    body = real.split("?>", 1)[1].replace("–", "-")
    d = _one_draft(prolog + body.encode("latin-1"))
    assert d.paragraphs[2].startswith("- Vi ser at elbilandelen holder seg stabilt høy")
    assert "Øyvind" in d.paragraphs[2] and "\ufffd" not in " ".join(d.paragraphs)
