"""IPTC formats: NewsML-G2 (every listing of the IPTC guide), NITF, and our own G2 items.

The outcome table for the IPTC listings was written by reading each listing: what kind of item
it is, whether it holds a text body, and so what wireingest must make of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from wireingest._draft import Draft
from wireingest._formats import newsml
from wireingest.types import Reject

DATA = Path(__file__).resolve().parent / "data" / "iptc"
G2 = DATA / "newsml-g2" / "examples"
OWN = DATA / "own"

D = "Draft"
NA = "not-article"
INV = "invalid"

# listing -> outcome of each item, in document order (hand-checked against the listings)
EXPECTED: dict[str, list[str]] = {
    "LISTING_1_A_NewsML-G2_News_Item.xml": [INV],  # text item whose inlineXML holds comments only
    "LISTING_2_NewsML-G2_Text_Document.xml": [D],
    "LISTING_3_Photo_in_NewsML-G2.xml": [NA],
    "LISTING_3A_Photo_in_NewsML-G2_(URI_sibling_attributes).xml": [NA],
    "LISTING_4_Multiple_Renditions_of_a_Video_in_NewsML-G2.xml": [NA],
    "LISTING_5_Multi-part_Video_in_NewsML-G2.xml": [NA],
    "LISTING_6_Simple_NewsML-G2_Package.xml": [NA],  # references items, embeds none
    "LISTING_7_Group_Set_example_showing_Hierarchical_Package_Structure.xml": [INV],  # fragment
    "LISTING_8_Group_Set_example_showing_an_ALT_Package_Mode.xml": [INV],
    "LISTING_9_Group_Set_example_showing_a_SEQ_Package_Mode.xml": [INV],
    "LISTING_10_Abstract_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml": [NA],
    "LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml": [NA],
    "LISTING_12_Knowledge_Item_for_Access_Codes.xml": [NA],
    "LISTING_13_Complete_Catalog_Item.xml": [NA],
    "LISTING_14_Event_sent_as_a_Concept_Item.xml": [NA],
    "LISTING_15_Two_Related_Events_in_a_Knowledge_Item.xml": [NA],
    "LISTING_16_A_Set_of_Events_carried_in_a_News_Item.xml": [NA],  # composite of events
    "LISTING_17_Planning_Item_a_CCL.xml": [NA],
    "LISTING_18_Planning_Item_at_PCL.xml": [NA],
    "LISTING_19_Planning_Item_with_delivery_at_CCL.xml": [NA],
    "LISTING_20_Planning_Item_with_delivery_at_PCL.xml": [NA],
    "LISTING_21_A_complete_sample_SportsML-G2_document.xml": [NA],  # SportsML statistics
    "LISTING_22_Sports_story_in_NewsML-G2NITF.xml": [D],
    "LISTING_23_SportsML-G2_Package.xml": [NA],
    # a message: the package plus four placeholder items ("....." instead of content)
    "LISTING_24_News_Message_conveying_a_complete_News_Package.xml": [NA, INV, INV, INV, INV],
    "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml": [D],  # contentSet fragment
    "LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml": [NA],
    "LISTING_27_Company_Financial_Information.xml": [D],  # empty body, abstract description
    "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml": [INV],  # contentMeta fragment
    "LISTING_29_Hop_History.xml": [INV],  # text item without content
    "Receiver View.xml": [D],
    "ap_metadata_example.xml": [NA],  # video
    "facet-example.xml": [INV],  # text item, no content
    "facet-example-2.xml": [INV],
    "facet-example-3.xml": [D],  # "Content goes here..."
}


def _parse(path: Path) -> list[Draft | Reject]:
    return list(newsml.parse(path.read_bytes(), url=None, content_type=None, origin=path.name))


def _kind(item: Draft | Reject) -> str:
    return D if isinstance(item, Draft) else item.reason


def test_every_listing_is_in_the_table() -> None:
    assert sorted(p.name for p in G2.glob("*.xml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_listing_outcome(name: str) -> None:
    out = _parse(G2 / name)
    assert [_kind(o) for o in out] == EXPECTED[name]
    for o in out:
        if isinstance(o, Reject):
            assert o.message and "\n" not in o.message
        else:
            assert o.paragraphs and all(p.strip() == p and p for p in o.paragraphs)
            assert not any("<" in p for p in o.paragraphs)


def test_listing_2_text_document() -> None:
    (d,) = _parse(G2 / "LISTING_2_NewsML-G2_Text_Document.xml")
    assert isinstance(d, Draft)
    assert d.format == "newsml"
    assert d.id == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert d.title == 'Fed to halt QE to avert "bubble"'
    assert len(d.paragraphs) == 2
    assert d.paragraphs[0].startswith("(New York, NY - October 21) Et, sent luptat luptat, commy")
    assert d.paragraphs[0].endswith("faccumsan ecte modoloreet ad ex el utat.")
    assert d.paragraphs[1].endswith("esto cons dolutpat, si.")
    assert d.authors == ["Meredith Jameson"]
    assert d.language == "en-US"
    minus5 = timezone(timedelta(hours=-5))
    assert d.published == datetime(2016, 11, 21, 15, 21, 6, tzinfo=minus5)  # contentCreated
    assert d.updated == datetime(2018, 11, 21, 16, 25, 32, tzinfo=minus5)  # versionCreated
    assert d.categories == [
        "economy, business and finance",
        "central bank",
        "money and monetary policy",
    ]
    assert d.extra["subjects"][0] == {
        "qcode": "medtop:04000000",
        "name": "economy, business and finance",
    }
    assert d.extra["slugline"] == "US-Finance-Fed"
    assert d.extra["located"] == {"qcode": "geoloc:NYC", "name": "New York, NY"}
    assert d.extra["pubStatus"] == "usable"
    assert d.trusted_body is True
    assert d.version is None


def test_listing_22_sports_story_with_nitf() -> None:
    (d,) = _parse(G2 / "LISTING_22_Sports_story_in_NewsML-G2NITF.xml")
    assert isinstance(d, Draft)
    assert d.title == (
        "Preview: Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05 p.m."
    )
    assert len(d.paragraphs) == 6
    assert d.paragraphs[0].startswith("(Sports Network) - A pair of teams coming off big weekend")
    assert d.paragraphs[5].endswith("over his last six starts.")
    assert d.authors == ["The Sports Network"]  # contentMeta/creator
    assert d.categories == ["sport", "Baseball"]
    assert d.extra["slugline"] == "AAV!PREVIEW-ARI-PHI"
    assert d.extra["located"]["qcode"] == "city:Philadelphia"
    assert d.published == datetime(2016, 10, 19, 11, 15, tzinfo=timezone(timedelta(hours=-5)))


def test_listing_25_nitf_fragment() -> None:
    (d,) = _parse(G2 / "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml")
    assert isinstance(d, Draft)
    assert d.title == "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m."
    assert d.authors == ["Sports Network"]  # NITF byline (only a byttl)
    assert len(d.paragraphs) == 1
    assert d.paragraphs[0].endswith("looks set to be a clash of the Titans.")


def test_listing_1_update_signal_without_body_is_a_reject_naming_the_item() -> None:
    (r,) = _parse(G2 / "LISTING_1_A_NewsML-G2_News_Item.xml")
    assert isinstance(r, Reject) and r.reason == "invalid"
    assert r.id == "urn:newsml:acmenews.com:20161018:US-FINANCE-FED"
    assert r.title == 'Fed to halt QE to avert "bubble"'
    assert "no body text" in r.message


def test_update_links_to_the_version_it_replaces() -> None:
    (d,) = _parse(OWN / "g2_update.xml")
    assert isinstance(d, Draft)
    assert d.version == "UPDATE"
    assert d.extra["signal"] == ["sig:update"]
    assert d.extra["replaces"] == "urn:newsml:example.com:20191228:quake"
    assert d.extra["replaces_version"] == "2"  # from the previousVersion link
    assert d.extra["item_version"] == "3"
    assert d.extra["embargoed"] == "2019-12-28T01:00:00Z"
    assert d.dateline == "TOKYO, Dec 28"
    assert d.authors == ["Kenji Sato and Amy Lee"]  # <by>, "By " removed
    tokyo = timezone(timedelta(hours=9))
    assert d.published == datetime(2019, 12, 28, 8, 3, tzinfo=tokyo)  # firstCreated
    assert d.updated == datetime(2019, 12, 28, 9, 45, tzinfo=tokyo)
    assert d.paragraphs == [
        "TOKYO, Dec 28 (Example) - A magnitude 6.2 earthquake struck off northeastern Japan "
        "on Saturday, the meteorological agency said.",
        "There was no tsunami warning & no immediate report of damage.",
    ]  # the NITF <media> caption is not body text
    assert d.categories == ["disaster, accident and emergency incident"]
    assert d.extra["located"] == {"qcode": "city:Tokyo", "name": "Tokyo", "broader": ["Japan"]}


def test_correction_links_to_the_previous_version_by_number() -> None:
    (d,) = _parse(OWN / "g2_correction.xml")
    assert isinstance(d, Draft)
    assert d.version == "CORRECTED"
    assert d.extra["replaces"] == "urn:newsml:example.com:20191228:quake"
    assert d.extra["replaces_version"] == "3"  # no link: version 4 replaces 3
    assert d.paragraphs[1] == "There was no tsunami warning & no immediate report of injuries."


def test_canceled_item_is_a_withdrawn_reject_naming_what_it_cancels() -> None:
    (r,) = _parse(OWN / "g2_canceled.xml")
    assert isinstance(r, Reject)
    assert r.reason == "withdrawn"
    assert r.extra["cancels"] == "urn:newsml:example.com:20191228:quake"
    assert r.id == "urn:newsml:example.com:20191228:quake"


def test_news_message_accounts_for_every_item() -> None:
    out = _parse(OWN / "g2_message.xml")
    assert [_kind(o) for o in out] == [NA, D, NA, D]
    xhtml, text = out[1], out[3]
    assert isinstance(xhtml, Draft) and isinstance(text, Draft)
    assert xhtml.language == "de"
    assert xhtml.paragraphs == [
        "Erdbeben",
        "Ein starkes Erdbeben hat Japan erschüttert.",
        "Es gab keine Tsunamiwarnung.",
    ]  # the XHTML <head><title> is not body
    assert xhtml.extra["body_format"] == "xhtml"
    assert text.paragraphs == ["First line of the text.", "Second paragraph."]
    assert text.extra["body_format"] == "text"


def test_package_embedding_news_items() -> None:
    out = _parse(OWN / "g2_package_embedded.xml")
    assert [_kind(o) for o in out] == [D, NA]
    d = out[0]
    assert isinstance(d, Draft)
    assert d.id == "urn:example:emb1" and d.paragraphs == ["Embedded body text."]


def test_standalone_nitf_document() -> None:
    (d,) = _parse(OWN / "story.nitf.xml")  # ISO-8859-1 with a DOCTYPE naming the NITF DTD
    assert isinstance(d, Draft)
    assert d.format == "nitf"
    assert d.id == "EFE-20191202-0001"
    assert d.title == "Madrid acoge la cumbre del clima COP25"
    assert d.authors == ["Ana García"]
    assert d.dateline == "MADRID"
    assert d.language == "es"
    assert d.published == datetime(2019, 12, 2, 9, 15, tzinfo=timezone(timedelta(hours=1)))
    assert d.published.astimezone(UTC) == datetime(2019, 12, 2, 8, 15, tzinfo=UTC)
    assert d.paragraphs == [
        "MADRID, 2 dic (EFE).- La cumbre del clima COP25 comenzó este lunes en Madrid.",
        "Asisten delegaciones de casi 200 países.",
    ]
    assert d.extra["subjects"] == [{"code": "06000000", "name": "Medio ambiente"}]
    assert d.extra["urgency"] == "3"


@pytest.mark.parametrize(
    ("norm", "expected"),
    [
        ("20191202T091500+0100", datetime(2019, 12, 2, 9, 15, tzinfo=timezone(timedelta(hours=1)))),
        ("20080219+0100", datetime(2008, 2, 19, tzinfo=timezone(timedelta(hours=1)))),
        ("20080219T1030Z", datetime(2008, 2, 19, 10, 30, tzinfo=UTC)),
        ("20080219", datetime(2008, 2, 19)),
        (
            "2008-02-19T10:30:00-05:00",
            datetime(2008, 2, 19, 10, 30, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("yesterday", None),
    ],
)
def test_nitf_norm_dates(norm: str, expected: datetime | None) -> None:
    assert newsml.nitf_date(norm) == expected


def test_broken_xml_is_recovered_or_rejected() -> None:
    data = (OWN / "g2_update.xml").read_bytes().replace(b"</contentMeta>", b"")
    out = _parse_bytes(data)
    assert len(out) == 1
    assert isinstance(out[0], Draft | Reject)
    assert _parse_bytes(b"<newsItem") and isinstance(_parse_bytes(b"<newsItem")[0], Reject)


def _parse_bytes(data: bytes) -> list[Draft | Reject]:
    return list(newsml.parse(data, url=None, content_type=None, origin=None))


NEWSML1 = DATA / "ninjs" / "examples" / "NewsML"


def test_newsml_1_2_business_wire_releases() -> None:
    """The NewsML 1.2 originals of the ninjs Business Wire examples (one NewsItem each)."""
    from wireingest._formats import ninjs
    from wireingest._formats.sniff import sniff

    paths = sorted(NEWSML1.glob("*.xml"))
    assert len(paths) == 4
    for path in paths:
        assert sniff(path.read_bytes(), None, None) == "newsml"
        (d,) = _parse(path)
        assert isinstance(d, Draft) and d.format == "newsml" and len(d.paragraphs) > 5
    (d,) = _parse(NEWSML1 / "businesswire-newsml-20130605006126.xml")
    assert isinstance(d, Draft)
    assert d.id == "urn:newsml:businesswire.com:20010714:20130605006126:1"
    assert d.title == "Cambrios被Gartner評選為「最酷供應商」"
    assert d.dateline == "加州桑尼維爾"
    assert d.language == "zh"
    assert d.published == datetime(2013, 6, 5, 21, 0, tzinfo=UTC)
    assert d.extra["slugline"] == "CA-CAMBRIOS-TECHNOLOGIES"
    assert len(d.paragraphs) == 13
    assert "Technology" in d.categories
    # the ninjs conversion kept only the release's first paragraph: it must match ours
    n = ninjs.parse(
        (
            DATA / "ninjs" / "examples" / "1.4" / "businesswire-newsml-20130605006126.json"
        ).read_bytes()
    )
    (first,) = list(n)
    assert isinstance(first, Draft)
    assert first.paragraphs == d.paragraphs[:1]
    assert first.title == d.title
