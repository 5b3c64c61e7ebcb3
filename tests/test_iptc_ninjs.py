"""ninjs 1.x, 2.x and 3.x: every IPTC example and schema test-suite document, plus hand checks.

The same stories exist in several ninjs versions (the simple AP text in 1.4/2.1/3.0, the dpa and
TT items in 2.1/3.0, the Business Wire releases in 1.4/2.1/3.0): each version must give the same
article, which checks the 3.0 camelCase renames and the 1.x singular fields.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from wireingest._draft import Draft
from wireingest._formats import ninjs
from wireingest.types import Reject

NINJS = Path(__file__).resolve().parent / "data" / "iptc" / "ninjs"
EX = NINJS / "examples"
ALL = sorted(p for p in NINJS.rglob("*.json") if "schema-extension" not in p.parts)
_NOT_TEXT = {"picture", "video", "audio", "graphic", "event", "planning"}


def _parse(path: Path) -> list[Draft | Reject]:
    return list(ninjs.parse(path.read_bytes(), url=None, content_type=None, origin=path.name))


def _one(path: Path) -> Draft:
    (d,) = _parse(path)
    assert isinstance(d, Draft), d
    return d


def _same_article(a: Draft, b: Draft) -> None:
    for field in ("paragraphs", "title", "id", "url", "published", "updated", "language"):
        assert getattr(a, field) == getattr(b, field), field
    assert a.authors == b.authors
    assert a.categories == b.categories


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(NINJS)))
def test_every_document_gives_one_result_per_object(path: Path) -> None:
    obj: Any = json.loads(path.read_bytes())
    out = _parse(path)
    assert len(out) == (len(obj) if isinstance(obj, list) else 1)
    for raw, item in zip(obj if isinstance(obj, list) else [obj], out, strict=True):
        kind = str(raw.get("type") or "").lower()
        if isinstance(item, Reject):
            assert item.message and "\n" not in item.message
            if kind in _NOT_TEXT:
                assert item.reason == "not-article"
        else:
            assert kind not in _NOT_TEXT
            assert item.format == "ninjs"
            assert item.paragraphs and not any("<" in p for p in item.paragraphs)


def test_simple_text_is_the_same_article_in_1x_2x_and_3x() -> None:
    v1 = _one(EX / "1.4" / "ninjsExSimpleText1.json")
    v2 = _one(EX / "2.1" / "ninjsExSimpleText_2.json")
    v3 = _one(EX / "3.0" / "ninjsExSimpleText_3.json")
    assert v1.title == "Captain of wrecked cruise ship on trial in Italy"
    assert v1.id == "http://ninjs.example.com/newsitems/20130709simp123"
    assert v1.authors == ["Paulo Santalucia and Frances d'Emilio"]
    assert v1.published == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)  # versioncreated only
    assert len(v1.paragraphs) == 4
    assert v1.paragraphs[0].startswith("GROSSETO, Italy (AP) -- The trial of the captain")
    assert v1.paragraphs[3].endswith("Schettino has denied wrongdoing.")
    _same_article(v1, v2)
    _same_article(v1, v3)
    assert (v1.extra["ninjs_version"], v2.extra["ninjs_version"]) == ("1", "2")
    assert v3.extra["ninjs_version"] == "3"


def test_dpa_text_2x_and_3x() -> None:
    v2 = _one(EX / "2.1" / "dpa_text.json")
    v3 = _one(EX / "3.0" / "dpa_text.json")
    _same_article(v2, v3)
    assert v2.title == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert v2.id == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert v2.url is None  # a urn: is an id, not an address
    assert v2.language == "de"
    assert v2.authors == ["Christian Hollmann, dpa"]  # "Von " removed
    assert v2.updated == datetime(2019, 5, 10, 16, 2, 28, tzinfo=timezone(timedelta(hours=2)))
    assert len(v2.paragraphs) == 9
    assert v2.paragraphs[0].startswith("Für Lucien Favre war es «der größte Skandal")
    assert v2.extra["copyrightholder"] == "dpa" and v2.extra["urgency"] == "4"
    assert v2.trusted_body is True


def test_tt_prefers_the_html_body_and_matches_across_versions() -> None:
    v2 = _one(EX / "2.1" / "tt_text_image_2.json")
    v3 = _one(EX / "3.0" / "tt_text_image_3.json")
    _same_article(v2, v3)
    assert v2.extra["body_format"] == "html"
    assert v2.paragraphs[0] == "Militärövning i jätteformat hålls 2023"
    assert any(p.startswith("Pandemin satte stopp") for p in v2.paragraphs)


def test_businesswire_releases_match_across_versions() -> None:
    for name in (
        "businesswire-newsml-20130605006126.json",
        "businesswire-newsml-20130731006140.json",
    ):
        v1 = _one(EX / "1.4" / name)
        v2 = _one(EX / "2.1" / name)
        v3 = _one(EX / "3.0" / name)
        _same_article(v1, v2)
        _same_article(v2, v3)
    d = _one(EX / "1.4" / "businesswire-newsml-20130605006126.json")
    assert d.title == "Cambrios被Gartner評選為「最酷供應商」"
    assert d.language == "zh"
    assert d.source == "businesswire.com"


def test_description_only_item_falls_back_to_the_description() -> None:
    d = _one(EX / "2.1" / "ntb_text.json")
    assert d.paragraphs == [
        "IT-giganten Google har kjøpt en tomt på nærmere 2.000 mål i Skien i tilfelle det blir "
        "behov for flere datasentre i Europa."
    ]
    assert d.trusted_body is False
    assert d.extra["body_format"] == "description"
    assert d.authors == ["NTB"]
    assert d.language == "nb-NO"
    assert d.categories == ["Innenriks", "Teknologi", "Industri", "Olje og energi"]
    assert d.published == datetime(2019, 8, 9, 9, 30, 4, tzinfo=UTC)  # firstcreated
    assert d.updated == datetime(2019, 8, 9, 9, 46, 53, tzinfo=UTC)
    assert d.extra["slugline"] == "skien-google"


def test_nitf_body_inside_ninjs_30() -> None:
    name = (
        "20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever"
        "-addb-ninjs-nitf.json"
    )
    d = _one(EX / "3.0" / name)
    assert d.extra["body_format"] == "nitf"
    assert d.title == "Anti-doping measures at the 'Tour Down Under' will be the toughest ever"
    assert d.paragraphs[0].startswith("The Australian Sports Anti-Doping Authority (ASADA)")
    assert d.paragraphs[-1] == "Email: media@asada.gov.au"
    assert d.authors == ["Trond Husø, The Anti-Doping Database"]
    assert d.categories[0] == "Sport"
    assert d.extra["located"] == "Oslo, Norway"


def test_event_collection_is_fourteen_not_article_rejects() -> None:
    out = _parse(EX / "3.0" / "collection" / "20231016-event-timeline-sample.json")
    assert len(out) == 14
    assert all(isinstance(o, Reject) and o.reason == "not-article" for o in out)


def test_canceled_and_photo_items() -> None:
    canceled = {"uri": "urn:x:1", "type": "text", "pubStatus": "canceled", "headlines": []}
    (r,) = ninjs.parse_obj(canceled)
    assert isinstance(r, Reject) and r.reason == "withdrawn" and r.extra["cancels"] == "urn:x:1"
    (p,) = _parse(EX / "2.1" / "ap_image.json")
    assert isinstance(p, Reject) and p.reason == "not-article"


def test_looks_like_ninjs() -> None:
    for path in (EX / "1.4" / "ninjsExSimpleText1.json", EX / "3.0" / "dpa_text.json"):
        assert ninjs.looks_like_ninjs(json.loads(path.read_bytes()))
    assert ninjs.looks_like_ninjs({"$standard": {"name": "ninjs", "version": "1.4"}})
    assert not ninjs.looks_like_ninjs({"id": "1", "uri": "x", "body": "text"})
    assert not ninjs.looks_like_ninjs(["not", "an", "object"])


def test_generic_record_with_a_uri_is_left_to_the_json_record_parser() -> None:
    rec = {"uri": "https://x.example/1", "byline": "A. Writer", "body": "Plain body text."}
    assert not ninjs.looks_like_ninjs(rec)
    (d,) = ninjs.parse_obj(rec)
    assert isinstance(d, Draft)
    assert d.format != "ninjs" and d.paragraphs == ["Plain body text."]


def test_bad_json_is_a_reject() -> None:
    (r,) = ninjs.parse(b'{"uri": ', url=None, content_type=None, origin=None)
    assert isinstance(r, Reject) and r.message.startswith("not valid JSON")
    (r2,) = ninjs.parse(b"[1]", url=None, content_type=None, origin=None)
    assert isinstance(r2, Reject) and "not an object" in r2.message
