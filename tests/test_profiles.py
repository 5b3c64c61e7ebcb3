"""Agency profiles: lookup by host and agency, and what each profile knows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from wireingest._clean import clean_paragraphs
from wireingest._meta.dateline import parse_dateline
from wireingest._profiles import PROFILES, agency_for_host, language_for_host, profile_for


@pytest.mark.parametrize(
    ("host", "agency"),
    [
        ("french.xinhuanet.com", "xinhua"),
        ("spanish.news.cn", "xinhua"),
        ("english.news.cn", "xinhua"),
        ("www.xinhuanet.com", "xinhua"),
        ("https://russian.news.cn/20221004/abc.htm", "xinhua"),
        ("apnews.com", "ap"),
        ("www.reuters.com", "reuters"),
        ("afp.com", "afp"),
        ("www.dpa.com", "dpa"),
        ("efe.com", "efe"),
        ("www.efe.com", "efe"),
        ("tass.com", "tass"),
        ("tass.ru", "tass"),
        ("www.ansa.it", "ansa"),
        ("FRENCH.XINHUANET.COM:443", "xinhua"),
    ],
)
def test_hosts(host: str, agency: str) -> None:
    assert agency_for_host(host) == agency
    p = profile_for(host=host)
    assert p is not None and p.name == agency


@pytest.mark.parametrize("host", ["example.com", "notreuters.com", "news.cn.example.org", "", None])
def test_unknown_hosts(host: str | None) -> None:
    assert agency_for_host(host) is None
    assert profile_for(host=host) is None


def test_lookup_by_agency_and_precedence() -> None:
    p = profile_for(agency="Xinhua")
    assert p is not None and p.name == "xinhua"
    assert profile_for(agency="unknown-agency") is None
    # a known host wins over the agency the parser reported
    p = profile_for(host="apnews.com", agency="reuters")
    assert p is not None and p.name == "ap"
    p = profile_for(host="example.com", agency="tass")
    assert p is not None and p.name == "tass"


def test_all_profiles_are_well_formed() -> None:
    names = {p.name for p in PROFILES}
    assert names >= {"xinhua", "ap", "reuters", "afp", "dpa", "efe", "tass", "ansa"}
    for p in PROFILES:
        ZoneInfo(p.tz)  # a real IANA zone
        assert p.domains and p.languages


def test_language_for_host() -> None:
    assert language_for_host("french.xinhuanet.com") == "fr"
    assert language_for_host("spanish.news.cn") == "es"
    assert language_for_host("tass.ru") == "ru"
    assert language_for_host("apnews.com") == "en"
    assert language_for_host("reuters.com") is None


@pytest.mark.parametrize(
    ("agency", "first_paragraph"),
    [
        ("xinhua", "BEIJING, March 31 (Xinhua) -- China's economy grew."),
        ("ap", "WASHINGTON (AP) — The Senate voted."),
        ("reuters", "LONDON, April 9 (Reuters) - Oil prices rose."),
        ("afp", "STOCKHOLM, Aug 29, 2014 (AFP) - Sweden said."),
        ("dpa", "Berlin (dpa) - Die Regierung will."),
        ("efe", "Tegucigalpa, 2 ene (EFE).- El Gobierno dijo."),
        ("tass", "MOSCOW, October 4. /TASS/. The ministry said."),
        ("ansa", "(ANSA) - ROMA, 11 OTT - Il governo ha detto."),
    ],
)
def test_profile_dateline_pattern_agrees_with_parser(agency: str, first_paragraph: str) -> None:
    p = profile_for(agency=agency)
    assert p is not None
    assert any(rx.search(first_paragraph) for rx in p.dateline_patterns)
    dl = parse_dateline(first_paragraph)
    assert dl is not None and dl.agency == agency


BODY = [
    "LONDON, April 9 (Reuters) - Oil prices rose on Tuesday as supply worries grew.",
    "Brent crude futures were up 1% at $70 a barrel by 0900 GMT.",
]


@pytest.mark.parametrize(
    ("agency", "footer"),
    [
        (
            "xinhua",
            "Vous avez une question, une remarque, des suggestions ? Contactez notre "
            "équipe de rédaction par email à xinhuanet_french@news.cn",
        ),
        ("xinhua", "[Editor: huaxia]"),
        ("xinhua", "Source: Xinhua | Editor: huaxia"),
        ("dpa", "/ck/jha"),
        ("xinhua", "010020070770000000000000011199231386632081"),
        (
            "ap",
            "Copyright 2023 The Associated Press. All rights reserved. This material may not "
            "be published, broadcast, rewritten or redistributed.",
        ),
        ("reuters", "Our Standards: The Thomson Reuters Trust Principles."),
        ("reuters", "Reuter"),
        ("afp", "jz/dl"),
        ("afp", "bur-cs/mm"),
        ("dpa", "dpa:220914-99-123456/3"),
        ("dpa", "© dpa-infocom, dpa:220914-99-123456/3"),
        ("efe", "EFE ab/cd"),
        ("efe", "(foto)(vídeo)"),
        ("tass", "TASS-ID-1530467"),
        ("ansa", "RIPRODUZIONE RISERVATA © Copyright ANSA"),
        # newsletter sign-up, rights and privacy-policy lines of agency pages
        ("afp", "Inscrivez-vous à notre newsletter pour recevoir l'essentiel chaque matin."),
        ("afp", "Politique de confidentialité"),
        (
            "efe",
            "© EFE 2023. Está expresamente prohibida la redistribución y la redifusión de este "
            "contenido sin su previo y expreso consentimiento.",
        ),
        ("efe", "Suscríbete a nuestro boletín y recibe las noticias más importantes."),
        ("efe", "Política de privacidad"),
        ("ansa", "Iscriviti alla nostra newsletter per ricevere ogni giorno le notizie."),
        ("ansa", "Informativa sulla privacy"),
        ("tass", "Подпишитесь на нашу рассылку, чтобы получать главные новости."),
        ("tass", "Политика конфиденциальности"),
        ("xinhua", "© 新华网版权所有"),
        ("xinhua", "订阅我们的新闻简报，每天早上获取最重要的新闻。"),
        ("xinhua", "隐私政策"),
        ("ap", "Sign up for our daily newsletter to get the top stories in your inbox."),
        ("ap", "Privacy Policy"),
        ("reuters", "Privacy Policy"),
        ("reuters", "Reporting by Suban Abdulla; Editing by Kate Holton"),
        ("reuters", "Editing by Kate Holton"),
        ("dpa", "Jetzt Newsletter abonnieren und informiert bleiben"),
        ("dpa", "Datenschutzerklärung"),
    ],
)
def test_profile_footers_and_ids_are_removed(agency: str, footer: str) -> None:
    p = profile_for(agency=agency)
    assert clean_paragraphs([*BODY, footer], profile=p) == BODY


def test_afp_initials_only_with_afp_profile() -> None:
    # desk initials look like nothing in general: only the AFP profile removes them
    assert clean_paragraphs([*BODY, "jz/dl"]) == [*BODY, "jz/dl"]


def test_title_suffixes() -> None:
    p = profile_for(agency="xinhua")
    assert p is not None
    assert p.strip_title_suffix("China's economy grows - Xinhua | English.news.cn") == (
        "China's economy grows"
    )
    r = profile_for(agency="reuters")
    assert r is not None
    assert r.strip_title_suffix("Oil rises | Reuters") == "Oil rises"


def test_profile_newsletter_patterns_keep_article_sentences() -> None:
    # a sentence about a newsletter or privacy inside the copy is not a footer line
    lines = [
        "El Gobierno anunció que la política de privacidad de la aplicación será revisada.",
        "Die Zeitung will ihren Newsletter abonnieren lassen, sagte der Verleger am Montag.",
        "Reuters reported that the bank changed its privacy policy after the breach.",
        "Reporting by the BBC suggested that the minister had known about the plan.",
    ]
    for agency, line in zip(("efe", "dpa", "reuters", "reuters"), lines, strict=True):
        p = profile_for(agency=agency)
        assert p is not None and not p.is_footer(line)
