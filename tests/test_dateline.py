"""Datelines in many agencies' forms and languages."""

from __future__ import annotations

import pytest

from wireingest._meta.dateline import agency_short_name, parse_dateline


@pytest.mark.parametrize(
    ("paragraph", "place", "agency", "date_text", "rest"),
    [
        (
            "BEIJING, March 31 (Xinhua) -- China's economy grew.",
            "BEIJING",
            "xinhua",
            "March 31",
            "China's economy grew.",
        ),
        (
            "HANGZHOU, 26 novembre (Xinhua) -- La ville a accueilli",
            "HANGZHOU",
            "xinhua",
            "26 novembre",
            "La ville a accueilli",
        ),
        (
            "NEW YORK (Nations Unies), 28 décembre (Xinhua) -- L'Assemblée générale",
            "NEW YORK (Nations Unies)",
            "xinhua",
            "28 décembre",
            "L'Assemblée générale",
        ),
        (
            "PEKÍN, 31 mar (Xinhua) -- China anunció hoy",
            "PEKÍN",
            "xinhua",
            "31 mar",
            "China anunció hoy",
        ),
        (
            "ПЕКИН, 31 марта /Синьхуа/ -- Китай объявил",
            "ПЕКИН",
            "xinhua",
            "31 марта",
            "Китай объявил",
        ),
        (
            "新华社北京3月31日电（记者 张三）国务院总理今天",
            "北京",
            "xinhua",
            "3月31日",
            "国务院总理今天",
        ),
        (
            "WASHINGTON (AP) — The Senate voted on Tuesday",
            "WASHINGTON",
            "ap",
            None,
            "The Senate voted on Tuesday",
        ),
        ("NEW YORK (AP) _ Stocks fell", "NEW YORK", "ap", None, "Stocks fell"),
        # from the IPTC ninjs AP example
        (
            "GROSSETO, Italy (AP) -- The trial of the captain",
            "GROSSETO, Italy",
            "ap",
            None,
            "The trial of the captain",
        ),
        (
            "Berlin (dpa) - Die Bundesregierung will",
            "Berlin",
            "dpa",
            None,
            "Die Bundesregierung will",
        ),
        ("FRANKFURT (dpa-AFX) - Der Dax hat", "FRANKFURT", "dpa", None, "Der Dax hat"),
        ("(ANSA) - ROMA, 11 OTT - Il governo ha", "ROMA", "ansa", "11 OTT", "Il governo ha"),
        ("(ANSA) - ROME, OCT 11 - The government", "ROME", "ansa", "OCT 11", "The government"),
        (
            "Tegucigalpa, 2 ene (EFE).- El Gobierno de Honduras",
            "Tegucigalpa",
            "efe",
            "2 ene",
            "El Gobierno de Honduras",
        ),
        (
            "Río de Janeiro, 5 may (EFE).- La policía",
            "Río de Janeiro",
            "efe",
            "5 may",
            "La policía",
        ),
        (
            "MOSCOW, October 4. /TASS/. Russia's foreign ministry",
            "MOSCOW",
            "tass",
            "October 4",
            "Russia's foreign ministry",
        ),
        ("МОСКВА, 4 октября. /ТАСС/. Министерство", "МОСКВА", "tass", "4 октября", "Министерство"),
        (
            "STOCKHOLM, Aug 29, 2014 (AFP) - Sweden's",
            "STOCKHOLM",
            "afp",
            "Aug 29, 2014",
            "Sweden's",
        ),
        ("Paris (AFP) - Le gouvernement", "Paris", "afp", None, "Le gouvernement"),
        ("LONDON, April 9 (Reuters) - Oil prices", "LONDON", "reuters", "April 9", "Oil prices"),
        (
            "NEW YORK, Feb 26 - Shearson Lehman Brothers",
            "NEW YORK",
            None,
            "Feb 26",
            "Shearson Lehman Brothers",
        ),
        # more Reuters-21578 (1987) forms: <DATELINE> followed by the body
        ("PORTLAND, Ore., Feb 26 - Red Lion", "PORTLAND, Ore.", None, "Feb 26", "Red Lion"),
        ("RICHMOND, Va. Feb 26 - Qtly div", "RICHMOND, Va.", None, "Feb 26", "Qtly div"),
        ("Scarborough, Ontario, Feb 26 - Shr", "Scarborough, Ontario", None, "Feb 26", "Shr"),
        ("NEW YORK , March 5 - Responsibility", "NEW YORK", None, "March 5", "Responsibility"),
        ("NEW DELHI, Jan 3 (IANS) - The ministry", "NEW DELHI", "ians", "Jan 3", "The ministry"),
        ("SEOUL, Jan. 3 (Yonhap) -- South Korea", "SEOUL", "yonhap", "Jan. 3", "South Korea"),
    ],
)
def test_dateline_forms(
    paragraph: str, place: str, agency: str | None, date_text: str | None, rest: str
) -> None:
    dl = parse_dateline(paragraph)
    assert dl is not None
    assert dl.place == place
    assert dl.agency == agency
    assert dl.date_text == date_text
    assert paragraph[dl.end :] == rest


@pytest.mark.parametrize(
    "paragraph",
    [
        "",
        "The Senate voted on Tuesday to pass the bill.",
        "Sen. John Smith (R-Texas) - said he would vote no.",
        "The company said on Monday (local time) - that it had no comment.",
        "In a statement, the ministry said: the talks would continue.",
        "However, officials said (in private) - that the deal was close.",
        "Il governo ha detto che, 11 volte (almeno) - ha cambiato idea.",
    ],
)
def test_not_datelines(paragraph: str) -> None:
    assert parse_dateline(paragraph) is None


def test_agency_short_names() -> None:
    assert agency_short_name("Xinhua") == "xinhua"
    assert agency_short_name("The Associated Press") == "ap"
    assert agency_short_name("dpa-AFX") == "dpa"
    assert agency_short_name("AFP/Getty") == "afp"
    assert agency_short_name("Nations Unies") is None
    assert agency_short_name("Kathimerini Wire", strict=False) == "kathimerini-wire"
