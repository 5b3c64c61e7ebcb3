"""Issue #14 extraction mechanisms on small realistic pages: titles, dates, leads, chrome words,
JSON-LD hints, boxes in the body, ruby, linked paragraphs and footers."""

from __future__ import annotations

from typing import Any

from wireingest._draft import Draft
from wireingest._finish import finish
from wireingest._formats.html import parse
from wireingest.types import Article

PARAS = [
    "Die Wasserschutzpolizei sperrte am Morgen den Abschnitt für die Berufsschifffahrt, "
    "nachdem mehrere Anleger überflutet worden waren.",
    "Nach Angaben des Wetterdienstes soll der Pegel bis Donnerstag noch um etwa vierzig "
    "Zentimeter steigen, bevor eine trockenere Phase beginnt.",
    "Pendler müssen auf die Brücken in Mainz und Koblenz ausweichen, was nach Schätzung der "
    "Verkehrsbetriebe bis zu eine Stunde zusätzliche Fahrzeit bedeutet.",
    "Die Gemeinden entlang des Ufers haben Sandsäcke ausgegeben und die Uferstraßen in "
    "Bacharach und Oberwesel gesperrt.",
]
NAV = '<nav><ul><li><a href="/a">Startseite</a></li><li><a href="/b">Sport</a></li></ul></nav>'


def page(body: str, head: str = "", lang: str = "de") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body>{NAV}{body}</body></html>"
    )


def paras(items: list[str] | None = None) -> str:
    return "".join(f"<p>{p}</p>" for p in (items or PARAS))


def draft(html: str, **kw: Any) -> Draft:
    out = list(parse(html.encode("utf-8"), url=kw.get("url"), origin="test"))
    assert len(out) == 1 and isinstance(out[0], Draft), out
    return out[0]


def article(html: str, url: str | None = None) -> Article:
    art = finish(draft(html, url=url))
    assert isinstance(art, Article), art
    return art


# --------------------------------------------------------------------------- titles


def test_title_h1_agreeing_with_page_title_beats_social_title() -> None:
    head = (
        "<title>Hochwasser am Mittelrhein: Fähren stellen den Betrieb ein | Rheinpost</title>"
        '<meta property="og:title" content="Fähren stehen still – der Rhein steigt weiter">'
    )
    html = page(
        "<article><header><h1>Hochwasser am Mittelrhein: Fähren stellen den Betrieb ein</h1>"
        f'</header><div class="article-body">{paras()}</div></article>',
        head,
    )
    assert draft(html).title == "Hochwasser am Mittelrhein: Fähren stellen den Betrieb ein"


def test_title_h1_agreeing_with_live_social_title() -> None:
    head = '<meta property="og:title" content="LIVE Neue Regeln für Lieferdienste in Berlin">'
    html = page(f"<main><h1>Neue Regeln für Lieferdienste in Berlin</h1>{paras()}</main>", head)
    assert draft(html).title == "Neue Regeln für Lieferdienste in Berlin"


def test_title_unrelated_h1_loses_to_social_title() -> None:
    head = '<meta property="og:title" content="Pegel in Kaub steigt über sechs Meter">'
    html = page(f"<h1>Wetter und Verkehr im Überblick heute</h1>{paras()}", head)
    assert draft(html).title == "Pegel in Kaub steigt über sechs Meter"


def test_title_menu_label_h1_loses_to_page_title() -> None:
    head = "<title>Pêche : les marins bretons inquiets après l'accord - Ouest Matin</title>"
    html = page(
        '<header class="top"><h1 class="logo"><a href="/">Actualités</a></h1></header>'
        f"<div class=story><h2>Pêche : les marins bretons inquiets</h2>{paras()}</div>",
        head,
        lang="fr",
    )
    assert draft(html).title == "Pêche : les marins bretons inquiets après l'accord"


def test_title_strips_every_repeated_site_suffix_segment() -> None:
    head = (
        "<title>Marseille : le tramway prolongé | Le Courrier du Sud | 09.03.2023</title>"
        '<meta property="og:site_name" content="Le Courrier du Sud">'
    )
    assert draft(page(paras(), head)).title == "Marseille : le tramway prolongé"
    head2 = "<title>Neue Brücke in Dresden eröffnet | DW | 28.12.2019</title>"
    assert draft(page(paras(), head2)).title == "Neue Brücke in Dresden eröffnet"
    head3 = "<title>Buenos Aires amplía la red de ciclovías « Diario del Plata</title>"
    assert draft(page(paras(), head3)).title == "Buenos Aires amplía la red de ciclovías"
