"""Multilingual date parsing and UTC conversion (expected values computed by hand)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest._meta.dateline import parse_dateline
from wireingest._meta.dates import find_date_line, is_date_line, parse_date, to_utc_iso
from wireingest._meta.language import detect_language
from wireingest._meta.version import split_version


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # the seed's banner: Beijing time, UTC+8
        (
            "French.xinhuanet.com | Publié le 2019-12-28 à 15:03",
            "Asia/Shanghai",
            "2019-12-28T07:03:00Z",
        ),
        # ANSA forms, Rome: CET (+1) in November, CEST (+2) in October
        ("14 NOV 2022, 09:12", "Europe/Rome", "2022-11-14T08:12:00Z"),
        ("11 ottobre 2021 | 18:24", "Europe/Rome", "2021-10-11T16:24:00Z"),
        ("Aggiornato il 3 agosto 2021 alle 09:00", "Europe/Rome", "2021-08-03T07:00:00Z"),
        # Spanish, Madrid (+1 in winter)
        ("2 ene 2020 10:30", "Europe/Madrid", "2020-01-02T09:30:00Z"),
        (
            "Publicado el 28 de diciembre de 2019 a las 10:05",
            "Europe/Madrid",
            "2019-12-28T09:05:00Z",
        ),
        # Russian, Moscow (+3)
        ("4 октября 2022 г., 12:30", "Europe/Moscow", "2022-10-04T09:30:00Z"),
        ("Обновлено 15 марта 2023, 08:00", "Europe/Moscow", "2023-03-15T05:00:00Z"),
        # German, Berlin (+1 in December)
        ("28. Dezember 2019, 15:03 Uhr", "Europe/Berlin", "2019-12-28T14:03:00Z"),
        ("Stand: 03.03.2022 17:45", "Europe/Berlin", "2022-03-03T16:45:00Z"),
        ("11. März 2021 um 08:30", "Europe/Berlin", "2021-03-11T07:30:00Z"),
        # Portuguese, Lisbon (+0 in winter)
        ("28 de dezembro de 2019 às 15h03", "Europe/Lisbon", "2019-12-28T15:03:00Z"),
        ("Atualizado em 5 de fevereiro de 2021, 10:00", "Europe/Lisbon", "2021-02-05T10:00:00Z"),
        # French, Paris (+1 in January)
        ("1er janvier 2020 à 08h15", "Europe/Paris", "2020-01-01T07:15:00Z"),
        ("Mis à jour le 3 févr. 2020 à 18:40", "Europe/Paris", "2020-02-03T17:40:00Z"),
        # English month-first, Stockholm (+2 in August)
        ("Aug 29, 2014 09:15", "Europe/Stockholm", "2014-08-29T07:15:00Z"),
        ("December 28th, 2019 10:00 pm", "UTC", "2019-12-28T22:00:00Z"),
        # time before the date
        ("15:03, 28 décembre 2019", "Asia/Shanghai", "2019-12-28T07:03:00Z"),
        ("2019年12月28日 15:03", "Asia/Shanghai", "2019-12-28T07:03:00Z"),
        # numeric forms
        ("28/12/2019 15:03", None, "2019-12-28T15:03:00Z"),
        ("12/28/2019", None, "2019-12-28T00:00:00Z"),
        ("2019/12/28 23:59:59", None, "2019-12-28T23:59:59Z"),
        ("28/12/19 15:03", "Europe/Madrid", "2019-12-28T14:03:00Z"),
        ("12/28/19 3:03 PM", "America/New_York", "2019-12-28T20:03:00Z"),
    ],
)
def test_local_times_become_utc(text: str, tz: str | None, expected: str) -> None:
    dt = parse_date(text)
    assert dt is not None
    assert dt.tzinfo is None  # no offset in the text: site-local (naive)
    assert to_utc_iso(dt, tz) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, 28 Dec 2019 07:03:00 GMT", "2019-12-28T07:03:00Z"),
        ("Sat, 28 Dec 2019 15:03:00 +0800", "2019-12-28T07:03:00Z"),
        ("2019-12-28T15:03:00+08:00", "2019-12-28T07:03:00Z"),
        ("2019-12-28T07:03:00Z", "2019-12-28T07:03:00Z"),
        ("2019-12-28T07:03:00.123456Z", "2019-12-28T07:03:00Z"),
        ("Dec. 28, 2019 3:03 p.m. EST", "2019-12-28T20:03:00Z"),
        ("Updated 3:03 PM EST, December 28, 2019", "2019-12-28T20:03:00Z"),
        ("30 марта 2023, 14:00 MSK", "2023-03-30T11:00:00Z"),
        ("14 NOV 2022, 09:12 CET", "2022-11-14T08:12:00Z"),
        ("2022-11-14 09:12 UTC+1", "2022-11-14T08:12:00Z"),
    ],
)
def test_offsets_make_aware_datetimes(text: str, expected: str) -> None:
    dt = parse_date(text)
    assert dt is not None and dt.tzinfo is not None
    # the site zone is ignored for an aware datetime
    assert to_utc_iso(dt, "Asia/Shanghai") == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "March 31",
        "no date in this line",
        "2019-13-45",
        "31 février 2020",
        "15:03",
        "Room 2019-2020",
        "In 1999 the bank was founded",
        "Score 28/12/19",
        "Version 1.2.19.4 released 10:00",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_month_abbreviations_in_seven_languages() -> None:
    cases = {
        "3 ene 2020": 1,
        "3 févr 2020": 2,
        "3 Mär 2020": 3,
        "3 abr 2020": 4,
        "3 mag 2020": 5,
        "3 juin 2020": 6,
        "3 lug 2020": 7,
        "3 ago 2020": 8,
        "3 set 2020": 9,
        "3 OTT 2020": 10,
        "3 out 2020": 10,
        "3 нояб 2020": 11,
        "3 dic 2020": 12,
        "3 Dez. 2020": 12,
        "3 янв 2020": 1,
        "3 sept. 2020": 9,
        "3 okt 2020": 10,
        "3 gen 2020": 1,
    }
    for text, month in cases.items():
        dt = parse_date(text)
        assert dt is not None, text
        assert (dt.year, dt.month, dt.day) == (2020, month, 3), text


def test_to_utc_iso_fallbacks() -> None:
    naive = datetime(2020, 6, 1, 12, 0)
    assert to_utc_iso(naive, None) == "2020-06-01T12:00:00Z"
    assert to_utc_iso(naive, "Not/AZone") == "2020-06-01T12:00:00Z"
    assert to_utc_iso(naive, "America/New_York") == "2020-06-01T16:00:00Z"
    aware = datetime(2020, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=-3)))
    assert to_utc_iso(aware, "Asia/Tokyo") == "2020-06-01T15:00:00Z"
    assert to_utc_iso(datetime(2020, 6, 1, tzinfo=UTC), None) == "2020-06-01T00:00:00Z"


def test_date_lines_versus_prose() -> None:
    assert is_date_line("French.xinhuanet.com | Publié le 2019-12-28 à 15:03")
    assert is_date_line("Updated 14 NOV 2022, 09:12")
    assert is_date_line("11 ottobre 2021 | 18:24")
    assert is_date_line("Publicado: 2 ene 2020 10:30 CET")
    assert not is_date_line(
        "Le texte, adopté le 28 décembre 2019 par 79 voix contre 60, décide de créer un comité."
    )
    assert not is_date_line("The bank said on 28 December 2019 that profits had risen sharply.")
    lines = [
        "L'AG de l'ONU entend rédiger une convention sur la lutte contre la cybercriminalité",
        "French.xinhuanet.com | Publié le 2019-12-28 à 15:03",
        "NEW YORK (Nations Unies), 28 décembre (Xinhua) -- L'Assemblée générale ...",
    ]
    assert find_date_line(lines) == (1, datetime(2019, 12, 28, 15, 3))
    assert find_date_line(lines[2:]) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_metadata_parsers_never_raise(text: str) -> None:
    dt = parse_date(text)
    assert dt is None or isinstance(dt, datetime)
    if dt is not None:
        to_utc_iso(dt, "Europe/Paris")
    dl = parse_dateline(text)
    assert dl is None or 0 < dl.end <= len(text)
    lang = detect_language(text)
    assert lang is None or len(lang) == 2
    rest, version = split_version(text)
    assert version is None or (rest.strip() and version)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(-14 * 60, 14 * 60),
)
def test_utc_iso_formatting_matches_strftime(dt: datetime, offset_minutes: int) -> None:
    aware = dt.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    expected = aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert to_utc_iso(aware, None) == expected


# -- impossible dates give null, never an invented date (issue #13) ------------------------------

_IMPOSSIBLE = [
    "2019-02-30T10:00:00Z",
    "2019-13-01T10:00:00Z",
    "2019-05-01T10:00:00+99:99",
    "2019-05-01T10:00:00+24:00",
    "99999-01-01T00:00:00Z",
    "2019-05-01T25:00:00Z",
    "2019-05-01T10:61:00Z",
    "0000-00-00T00:00:00Z",
    "Sat, 30 Feb 2019 10:00:00 GMT",
    "Mon, 01 Jan 2019 10:00:00 +9999",
    "Mon, 01 Jan 2019 10:00:00 +2400",
    "Mon, 01 Jan 99999 10:00:00 GMT",
    "Tue, 01 Jan 0001 00:00:00 GMT",
]


def _rss(dates: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>https://news.example.org/{i}</link>"
        f"<pubDate>{d}</pubDate><description>Story number {i} says something new about the "
        f"harbour works in the city.</description></item>"
        for i, d in enumerate(dates)
    )
    return (
        f'<rss version="2.0"><channel><title>T</title><link>https://news.example.org/</link>'
        f"{items}</channel></rss>"
    ).encode()


@pytest.mark.parametrize("raw", _IMPOSSIBLE)
def test_impossible_feed_dates_give_null(raw: str) -> None:
    from wireingest import parse as parse_doc
    from wireingest.types import Article

    for data in (_rss([raw]), _rss([raw]).replace(b"pubDate", b"dc:date")):
        out = parse_doc(data)
        assert len(out) == 1 and isinstance(out[0], Article), out
        assert out[0].published is None


def test_possible_feed_dates_are_kept_with_their_offset() -> None:
    from wireingest import parse as parse_doc

    out = parse_doc(_rss(["Mon, 01 Jan 2019 10:00:00 +1400", "2019-02-28T23:30:00-12:00"]))
    assert [a.published for a in out] == ["2018-12-31T20:00:00Z", "2019-03-01T11:30:00Z"]


def test_a_bad_offset_does_not_lose_the_items_after_it() -> None:
    from wireingest import parse as parse_doc
    from wireingest.types import Article

    dates = ["Mon, 01 Jan 2019 10:00:00 GMT"] * 29
    dates[11] = "Mon, 01 Jan 2019 10:00:00 +9999"
    out = parse_doc(_rss(dates))
    assert len(out) == 29 and all(isinstance(a, Article) for a in out)
    assert [a.published is None for a in out].count(True) == 1


@pytest.mark.parametrize(
    "text", ["2019-05-01T10:00:00+99:99", "1 May 2019 10:00 GMT+15", "28.12.2019 25:00"]
)
def test_free_text_dates_with_impossible_parts_give_none(text: str) -> None:
    assert parse_date(text) is None


def test_offset_helpers_accept_real_offsets_only() -> None:
    from wireingest._meta.dates import fixed_offset

    assert fixed_offset("+", "14", "00") == timezone(timedelta(hours=14))
    assert fixed_offset("-", "09", "30") == timezone(-timedelta(hours=9, minutes=30))
    assert fixed_offset("+", "14", "01") is None
    assert fixed_offset("+", "05", "99") is None


def test_utc_iso_has_four_digit_years_and_placeholder_years_are_null() -> None:
    from wireingest._draft import Draft
    from wireingest._finish import finish

    assert to_utc_iso(datetime(999, 5, 1, tzinfo=UTC), None) == "0999-05-01T00:00:00Z"
    d = Draft(
        paragraphs=["The council approved the new harbour budget on Monday evening."],
        format="html",
        published=datetime(1, 1, 1, tzinfo=UTC),
    )
    art = finish(d)
    assert art.published is None  # type: ignore[union-attr]


@pytest.mark.parametrize("norm", ["20190501T100000+9999", "2019-05-01T10:00:00+99:99"])
def test_nitf_bad_offset_gives_a_null_date_not_a_reject(norm: str) -> None:
    from wireingest import parse as parse_doc
    from wireingest.types import Article

    doc = (
        '<?xml version="1.0"?><nitf><head><title>Quake</title><docdata>'
        f'<date.issue norm="{norm}"/></docdata></head><body><body.head><hedline><hl1>Quake hits '
        "coast</hl1></hedline></body.head><body.content><p>A strong earthquake struck the coast "
        "on Wednesday, officials said, with no reports of damage.</p></body.content></body></nitf>"
    )
    out = parse_doc(doc.encode())
    assert len(out) == 1 and isinstance(out[0], Article) and out[0].published is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-05-01 10:00:00 UTC", "2019-05-01T10:00:00Z"),
        ("20190501T100000Z", "2019-05-01T10:00:00Z"),
        ("2019-05-01T10:00:00.1234567Z", "2019-05-01T10:00:00Z"),
        ("Wed May  1 10:00:00 2019", "2019-05-01T10:00:00Z"),
        ("Wed, 01 May 19 10:00:00 GMT", "2019-05-01T10:00:00Z"),
        ("Wed, 01 May 2019 10:00:00 CEST", "2019-05-01T08:00:00Z"),
        ("2019-05", None),  # no day was said
        ("2019", None),
    ],
)
def test_feed_dates_in_other_shapes(raw: str, expected: str | None) -> None:
    from wireingest import parse as parse_doc

    out = parse_doc(_rss([raw]))
    assert [a.published for a in out] == [expected]
