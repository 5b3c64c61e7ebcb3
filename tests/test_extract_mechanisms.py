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


# --------------------------------------------------------------------------- dates


def test_published_stays_utc_and_published_local_keeps_the_source_offset() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Lima",'
        ' "datePublished": "2023-12-27T23:10:00-05:00"}</script>'
    )
    art = article(page(f"<article><h1>Lima</h1>{paras()}</article>", ld, lang="es"))
    assert art.published == "2023-12-28T04:10:00Z"
    assert art.extra["published_local"] == "2023-12-27T23:10:00-05:00"


def test_published_local_from_a_local_time_of_the_same_instant() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2022-09-05T01:30:00Z"}</script>'
    )
    time_el = '<time datetime="2022-09-04T21:30:00-04:00">4 septembre 2022 21:30</time>'
    art = article(page(f"<h1>Le Chili vote</h1>{time_el}<div>{paras()}</div>", ld, lang="fr"))
    assert art.published == "2022-09-05T01:30:00Z"
    assert art.extra["published_local"] == "2022-09-04T21:30:00-04:00"
    # another instant is not the same publication time: the UTC one stays
    other = time_el.replace("21:30:00-04:00", "20:00:00-04:00")
    art2 = article(page(f"<h1>Le Chili vote</h1>{other}<div>{paras()}</div>", ld, lang="fr"))
    assert art2.extra["published_local"] == "2022-09-05T01:30:00+00:00"


def test_visible_date_near_the_headline_without_a_date_class() -> None:
    body = (
        '<h1 class="headline">Werft in Wolgast erhält Auftrag</h1>'
        '<div class="info">Ole Brandt | 17.05.2022 09:12</div>'
        f'<div class="text-wrap">{paras()}</div>'
    )
    d = draft(page(body))
    assert d.published is not None and (d.published.year, d.published.month) == (2022, 5)
    assert d.published.day == 17 and d.published.hour == 9
    # a date far from the headline (a footer copyright line) is not a publication date
    far = page(f"<h1>Werft in Wolgast</h1>{paras() * 4}<p>Stand: 01.01.2020</p>")
    assert draft(far).published is None


def test_video_object_upload_date_and_site_wide_dates_ignored() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "WebSite", "name": "La Voix",'
        ' "datePublished": "2015-01-01T00:00:00Z"}</script>'
        '<script type="application/ld+json">{"@type": "VideoObject", "name": "Grenoble",'
        ' "uploadDate": "2023-09-16T10:00:00+02:00"}</script>'
    )
    art = article(page(f"<h1>Grenoble</h1><div>{paras()}</div>", ld, lang="fr"))
    assert art.published == "2023-09-16T08:00:00Z"
    assert art.extra["published_local"] == "2023-09-16T10:00:00+02:00"


# --------------------------------------------------------------------------- ruby, hints

JA = [
    "会場の中心となる大屋根は木造で、完成すれば世界最大級の木造建築になるという。",
    "一方で、資材価格の高騰により建設費は当初の見込みから大きく膨らんでいる。",
    "主催者は開幕までに全ての施設を完成させると説明しているが、工期の遅れを心配する声もある。",
]


def test_ruby_annotations_are_dropped() -> None:
    first = (
        "<p>大阪・関西万博<ruby>の会場となる夢洲<rp>(</rp><rt>ゆめしま</rt><rp>)</rp></ruby>"
        "で、パビリオンの建設工事が本格的に始まった。</p>"
    )
    d = draft(
        page(f"<h1>大阪で万博会場の建設が本格化</h1><div>{first}{paras(JA)}</div>", lang="ja")
    )
    assert (
        d.paragraphs[0]
        == "大阪・関西万博の会場となる夢洲で、パビリオンの建設工事が本格的に始まった。"
    )
    assert d.paragraphs[1:] == JA


def test_jsonld_article_body_holding_only_the_first_paragraph_is_not_trusted() -> None:
    hint = " ".join(PARAS[:2])  # long enough to be a hint (200+ characters), half the body
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rhein",'
        f' "articleBody": "{hint}"}}</script>'
    )
    more = [f"Am Abend hieß es außerdem: {p}" for p in PARAS]
    d = draft(page(f"<h1>Rhein</h1><div class=entry>{paras(PARAS + more)}</div>", ld))
    assert d.paragraphs == PARAS + more
    # a full-length hint is still used, and a body that matches it is kept whole
    ld_full = ld.replace(hint, " ".join(PARAS))
    d2 = draft(page(f"<h1>Rhein</h1><div class=entry>{paras()}</div>", ld_full))
    assert d2.paragraphs == PARAS


# --------------------------------------------------------------------------- leads

LEAD = (
    "Nach tagelangem Regen hat der Rhein bei Kaub die Marke von sechs Metern überschritten, "
    "die Fähren zwischen Bingen und Koblenz bleiben vorerst im Hafen."
)


def test_lead_inside_the_article_header_is_taken_back() -> None:
    html = page(
        '<article><header class="story-header"><span class="kicker">Nachrichten</span>'
        f'<h1>Hochwasser am Mittelrhein</h1><p class="subtitle">{LEAD}</p>'
        '<div class="meta">Jana Keller · <time datetime="2021-02-03">3. Februar 2021</time></div>'
        f'</header><div class="article-body">{paras()}</div></article>'
    )
    assert draft(html).paragraphs == [LEAD, *PARAS]


def test_lead_under_a_teaser_class_between_headline_and_body_is_taken_back() -> None:
    html = page(
        '<div class="col"><div class="headline-block"><h2 class="title">Hochwasser</h2></div>'
        f'<p class="teaser-text">{LEAD}</p><div class="small">Jana Keller, 03.02.2021</div>'
        f'<div class="longText">{paras()}</div></div>',
        "<title>Hochwasser | Rheinpost | 03.02.2021</title>",
    )
    assert draft(html).paragraphs == [LEAD, *PARAS]


def test_no_lead_from_strong_chrome_dates_or_captions_before_the_body() -> None:
    promo = (
        "Jetzt den Newsletter abonnieren und jeden Morgen alle Nachrichten aus der Region lesen."
    )
    html = page(
        "<article><header><h1>Hochwasser am Mittelrhein</h1>"
        f'<div class="newsletter-signup"><p>{promo}</p></div>'
        "<p>Aktualisiert am Mittwoch, 3. Februar 2021, um 23:40 Uhr von der Redaktion</p>"
        '<div class="photo-caption"><p>Die Fähre in Kaub liegt seit Montag im Hafen, '
        "weil der Pegel weiter steigt.</p></div>"
        f'</header><div class="article-body">{paras()}</div></article>'
    )
    assert draft(html).paragraphs == PARAS


# --------------------------------------------------------------------------- chrome words

INTRO = (
    "Der Senat will Lieferfahrern feste Ladezonen zuweisen und das Parken in zweiter Reihe "
    "härter bestrafen."
)


def test_live_ticker_entries_named_comment_are_article_text_inside_main() -> None:
    entries = "".join(
        f'<div class="comment-entry live-comment"><span class="entry-time">15:{10 + n}</span>'
        f"<p>{p}</p></div>"
        for n, p in enumerate(PARAS)
    )
    html = page(
        f'<main><h1>Neue Regeln für Lieferdienste</h1><p class="intro">{INTRO}</p>'
        f'<div class="liveblog">{entries}</div></main>'
    )
    assert draft(html).paragraphs == [INTRO, *PARAS]


def test_a_comment_thread_inside_the_article_stays_masked() -> None:
    comments = "".join(
        f'<li class="comment"><article class="comment-body"><div class="comment-content">'
        f"<p>Leserkommentar {n}: {p}</p></div></article></li>"
        for n, p in enumerate(PARAS * 2)
    )
    html = page(
        f"<main><article><h1>Neue Regeln</h1>{paras()}"
        f'<div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol>'
        "</div></article></main>"
    )
    assert draft(html).paragraphs == PARAS


# --------------------------------------------------------------------------- linked paragraphs

QUOTE = (
    "Besonders stark wuchs der Verkehr mit Häfen in Südostasien, während die Mengen aus "
    "Nordamerika leicht zurückgingen."
)


def test_a_fully_linked_prose_paragraph_between_paragraphs_is_kept() -> None:
    body = [*PARAS[:2], f'<a href="https://example.org/q">{QUOTE}</a>', *PARAS[2:]]
    d = draft(page(f"<article><h1>Hafen</h1><div class=text>{paras(body)}</div></article>"))
    assert d.paragraphs == [*PARAS[:2], QUOTE, *PARAS[2:]]


def test_linked_headlines_and_link_lists_in_the_body_stay_out() -> None:
    shout = '<a href="/x">SEAN SPICER ELIMINATED FROM THE SHOW AFTER A LONG RUN OF WEEKS.</a>'
    many = (
        '<a href="/a">Der Rhein steigt weiter und weiter.</a> '
        '<a href="/b">Die Fähren stehen still in Kaub am Rhein.</a>'
    )
    for linked in (shout, many):
        body = [*PARAS[:2], linked, *PARAS[2:]]
        d = draft(page(f"<article><h1>Hafen</h1><div class=text>{paras(body)}</div></article>"))
        assert d.paragraphs == PARAS


# --------------------------------------------------------------------------- footers


def test_generic_footer_lines_at_the_end_of_a_body_are_dropped() -> None:
    footer = [
        "Suscríbete a nuestro boletín y recibe las noticias más importantes cada mañana.",
        "© 2024 El Correo Andino. Todos los derechos reservados.",
        '<a href="/privacy">Política de privacidad</a>',
    ]
    html = page(f"<article><h1>Lima</h1>{paras(PARAS + footer)}</article>", lang="es")
    assert draft(html).paragraphs == PARAS


def test_footer_words_early_in_the_body_or_in_long_paragraphs_stay() -> None:
    early = "Der Verlag verschickt den Newsletter nun auch an Pendler entlang des Rheins."
    long_last = (
        "Der Datenschutzbeauftragte des Landes kündigte an, die neue Privacy Policy der "
        "Verkehrsbetriebe zu prüfen, weil die App der Fähren Standortdaten der Pendler "
        "speichert, die nach Ansicht der Behörde nicht nötig sind, und weil die Betreiber "
        "diese Daten bis zu zwei Jahre lang aufbewahren wollen."
    )
    body = [early, *PARAS, long_last]
    html = page(f"<article><h1>Rhein</h1>{paras(body)}</article>")
    assert draft(html).paragraphs == body


# --------------------------------------------------------------------------- boxes in the body


def test_short_boxes_and_a_trailing_heading_in_a_paragraph_body_are_dropped() -> None:
    boxes = (
        '<div class="note">Die in Gastbeiträgen geäußerten Meinungen geben nicht die '
        "Auffassung der Redaktion wieder.</div>"
        '<div class="pdf-box"><a href="/a.pdf">Artikel als PDF herunterladen</a></div>'
        '<div class="bio"><b>Lukas Hofer</b> Lukas Hofer ist Redakteur im Ressort Lokales und '
        "schreibt seit 2015 über Verkehr und Umwelt.</div>"
        "<center>Anzeige</center>"
        '<h3>Verwandte Medien</h3><ul class="links"><li><a href="/p/1">https://x.example/p/1'
        '</a></li><li><a href="/p/2">https://x.example/p/2</a></li></ul>'
    )
    html = page(
        f"<div class=container><h1>Lawinen</h1><div class=post>{paras()}{boxes}</div></div>"
    )
    assert draft(html).paragraphs == PARAS


def test_div_blocks_stay_in_a_body_not_made_of_paragraphs() -> None:
    divs = "".join(f"<div>{p}</div>" for p in PARAS)
    sub = "<div>Was die Pendler jetzt wissen müssen, steht hier.</div>"
    html = page(f"<article><h1>Rhein</h1><div class=text>{divs}{sub}</div></article>")
    assert draft(html).paragraphs == [*PARAS, "Was die Pendler jetzt wissen müssen, steht hier."]


def test_caption_in_an_image_box_is_not_body_or_lead() -> None:
    caption = (
        "In this file photo made available by the agency, two ferry workers tie up a boat "
        "in the harbour of Kaub as the water keeps rising on Tuesday."
    )
    html = page(
        f'<h1>Hochwasser</h1><div class="image top"><img src="/a.jpg"><p>{caption}</p></div>'
        f'<div class="story-text">{paras()}</div>'
    )
    assert draft(html).paragraphs == PARAS
    # "has-image" is a modifier: a short article in such a box is still the body
    short = PARAS[1:4]
    assert sum(map(len, short)) < 500
    html2 = page(f'<h1>Hochwasser</h1><div class="entry has-image">{paras(short)}</div>')
    assert draft(html2).paragraphs == short


def test_a_heading_with_an_anchor_id_is_kept() -> None:
    body = (
        f"<article><h1>Rhein</h1>{paras(PARAS[:2])}"
        '<h2 id="nav_section_2"><a id="nav_anchor_2"></a>Was Pendler jetzt wissen müssen</h2>'
        f"{paras(PARAS[2:])}</article>"
    )
    d = draft(page(body))
    assert d.paragraphs == [*PARAS[:2], "Was Pendler jetzt wissen müssen", *PARAS[2:]]
    # a heading named by its class as chrome still goes
    chrome = body.replace('id="nav_section_2"', 'class="nav-heading"')
    assert draft(page(chrome)).paragraphs == PARAS


# --------------------------------------------------------------------------- validation gaps


def test_live_ticker_with_every_entry_masked_is_not_rejected() -> None:
    entries = "".join(
        f'<div class="ticker-entry comment"><time>11:0{n}</time><p>{p}</p></div>'
        for n, p in enumerate(PARAS)
    )
    html = page(f'<article class="liveblog"><h1>Hochwasser in Bayern</h1>{entries}</article>')
    assert draft(html).paragraphs == PARAS


def test_lists_and_quotes_count_as_paragraph_text_for_the_box_rule() -> None:
    items = ["Zwanzig Kilometer neue Radwege", "Vier Parkplätze an den Einfahrten"]
    quote = "Wir wollen eine Stadt, in der das Gehen wieder die erste Wahl ist."
    notice = "Dieser Inhalt wurde mit Material von Agenturen erstellt."
    body = (
        f"<p>{PARAS[0]}</p><ul>{''.join(f'<li>{i}</li>' for i in items)}</ul>"
        f"<blockquote>{quote}</blockquote>{paras(PARAS[1:])}<div>{notice}</div>"
    )
    d = draft(page(f"<div class=story><h1>Mobilität</h1><div class=body>{body}</div></div>"))
    assert d.paragraphs == [PARAS[0], *items, quote, *PARAS[1:]]


def test_caption_in_a_box_named_in_another_language() -> None:
    cap = "Een medewerker van de gemeente plant een linde aan de singel, foto van vorige week."
    html = page(
        f'<h1>Bomen</h1><div class="foto-blok"><img src="/b.jpg"><span>{cap}</span></div>'
        f'<div class="artikel-tekst">{paras()}</div>',
        lang="nl",
    )
    assert draft(html).paragraphs == PARAS


def test_polish_visible_date_and_profile_zone_published_local() -> None:
    html = page(f"<h1>Wrocław: remont mostu</h1><span>19 października 2023, 14:20</span>{paras()}")
    d = draft(html)
    assert d.published is not None and (d.published.month, d.published.day) == (10, 19)
    # a naive page time of an agency is local to the agency's zone (Xinhua: Asia/Shanghai)
    meta = '<meta name="publishdate" content="2023-12-20 10:12:35">'
    art = article(page(f"<h1>成渝高铁</h1>{paras()}", meta), url="https://www.news.cn/a.htm")
    assert art.published == "2023-12-20T02:12:35Z"
    assert art.extra["published_local"] == "2023-12-20T10:12:35+08:00"
    # without a profile zone a naive time gets no local form
    art2 = article(page(f"<h1>Brücke</h1>{paras()}", meta), url="https://x.example/a")
    assert "published_local" not in art2.extra


def test_news_sentences_about_copyright_subscriptions_or_privacy_are_not_footers() -> None:
    last = [
        "The court will rule on the copyright dispute between the two publishers next week.",
        "El Gobierno suscribió el acuerdo, que se publicará mañana en el Boletín Oficial.",
        "Customers will be able to subscribe to the service from March, the company said.",
        "Regulators said Meta must rewrite its privacy policy for users in the region.",
    ]
    html = page(f"<article><h1>Nachrichten</h1>{paras(PARAS + last)}</article>")
    assert draft(html).paragraphs == PARAS + last


def test_title_full_width_bar_suffix_is_stripped() -> None:
    head = "<title>札幌市、除雪車の自動運転を実験へ｜北海道ニュース</title>"
    assert draft(page(paras(JA), head, lang="ja")).title == "札幌市、除雪車の自動運転を実験へ"


def test_agency_footer_removed_when_the_agency_is_known_only_by_its_dateline() -> None:
    body = [f"Berlin (dpa) - {PARAS[0]}", *PARAS[1:], "dpa hm yydd"]
    art = article(page(f"<h1>Rhein</h1><div class=text>{paras(body)}</div>"), "https://x.example/a")
    assert art.agency == "dpa"
    assert "dpa hm yydd" not in art.body and PARAS[-1] in art.body


def test_chinese_editor_line_at_the_end_is_dropped() -> None:
    zh = [
        "今年以来，我省新能源汽车产量同比增长百分之四十二，占全国总产量的比重进一步提高。",
        "省工业和信息化厅表示，将继续支持充电基础设施建设，计划年底前新建公共充电桩两万个。",
        "业内人士认为，产业链配套能力的提升是新能源汽车产量快速增长的重要原因。",
    ]
    html = page(f"<h1>新能源汽车</h1><div id=detail>{paras([*zh, '【责任编辑：李明】'])}</div>")
    assert draft(html).paragraphs == zh


def test_title_h1_that_is_the_site_name_loses_to_page_title() -> None:
    head = (
        "<title>Historic library reopens after renovation | The Riverside Post</title>"
        '<meta property="og:site_name" content="The Riverside Post">'
    )
    html = page(f"<header><h1>The Riverside Post</h1></header><div>{paras()}</div>", head)
    assert draft(html).title == "Historic library reopens after renovation"


def test_date_from_the_page_address_only_as_the_last_resort() -> None:
    html = page(f"<h1>Rhein</h1><div>{paras()}</div>")
    d = draft(html, url="https://x.example/2019/12/28/rhein-steigt")
    assert d.published is not None and (d.published.year, d.published.day) == (2019, 28)
    assert draft(html, url="https://x.example/2019/13/28/x").published is None
    meta = '<meta property="article:published_time" content="2020-01-02T10:00:00+01:00">'
    d2 = draft(
        page(f"<h1>Rhein</h1><div>{paras()}</div>", meta), url="https://x.example/2019/12/28/"
    )
    assert d2.published is not None and d2.published.year == 2020


def test_paywall_notice_at_the_end_is_dropped() -> None:
    notice = "Il vous reste 62% de cet article à lire. La suite est réservée aux abonnés."
    html = page(f"<article><h1>Logement</h1>{paras([*PARAS, notice])}</article>", lang="fr")
    assert draft(html).paragraphs == PARAS


def test_visible_date_follows_the_article_headline_not_the_masthead() -> None:
    head = "<title>Werft in Wolgast erhält Auftrag | Rheinpost</title>"
    html = page(
        '<header class="masthead"><h1><a href="/">Rheinpost</a></h1>'
        "<span>Freitag, 04.12.2026</span></header>"
        "<div class=story><h2>Werft in Wolgast erhält Auftrag</h2><span>17.05.2022</span>"
        f"{paras()}</div>",
        head,
    )
    d = draft(html)
    assert d.title == "Werft in Wolgast erhält Auftrag"
    assert d.published is not None and (d.published.year, d.published.month) == (2022, 5)


def test_block_size_is_judged_without_text_already_chrome_by_tag() -> None:
    # reader comments in an <aside> and a long <footer> must not make the article in a
    # "sidebar"-named wrapper look small next to the page (and mask it)
    comments = "".join(
        f"<p>Leserin {n} schreibt: {p} Das sehe ich genauso, und zwar schon seit Jahren.</p>"
        for n, p in enumerate(PARAS * 2)
    )
    about = "".join(
        f"<p>Über uns, Teil {n}: Die Rheinpost erscheint seit 1950 und berichtet täglich aus "
        "allen Orten zwischen Bingen und Koblenz, mit eigener Redaktion in jeder Stadt.</p>"
        for n in range(6)
    )
    html = page(
        f'<div class="layout-with-sidebar"><h1>Rhein</h1>{paras()}</div>'
        f'<aside class="reader-voices">{comments}</aside><footer>{about}</footer>'
    )
    assert draft(html).paragraphs == PARAS


def test_lead_inside_a_header_within_the_chosen_container_is_taken_back() -> None:
    html = page(
        '<article><header class="story-header"><h1>Hochwasser am Mittelrhein</h1>'
        f'<p class="subtitle">{LEAD}</p></header>'
        f'<div class="article-body">{paras(PARAS[:2])}</div><div class="ad">Anzeige</div>'
        f'<div class="article-body">{paras(PARAS[2:])}</div></article>'
    )
    assert draft(html).paragraphs == [LEAD, *PARAS]
