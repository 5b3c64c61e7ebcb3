"""Write the multilingual extraction set: ``pages/NNN-lang-template.html`` + ``.json`` sidecars.

Run once (``python corpora/multilingual/build.py``); the pages are committed, this script
documents how they were made. Article texts come from ``articles.py`` (written for this set)
and from the BBC News 2004-05 dataset (``/work/shared/corpora/bbc-news-2225``, research /
non-commercial licence, see ``LICENCE-bbc-README.TXT``). Page markup is written here in
fourteen different styles, each modelled on a kind of page the extractor meets (a lead in
``<header>``, a standfirst before the body, live tickers, JSON-LD with one paragraph, boxes
and bios in the body, ruby, linked quotes, agency footers, menu ``<h1>``, video pages, ...).

Sidecar fields: ``lang``, ``template``, ``title`` (the visible headline), ``date`` (the
publication day as the source states it, in its own time zone), ``wanted`` (snippets that must
be in the body), ``unwanted`` (snippets that must not), ``source`` (provenance).
"""

from __future__ import annotations

import html
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from articles import ARTICLES  # noqa: E402

BBC = Path("/work/shared/corpora/bbc-news-2225")

# Per-language chrome lines.
C = {
    "de": dict(home="Startseite", news="Nachrichten", sport="Sport", more="Mehr zum Thema",
               newsletter="Melden Sie sich für unseren Newsletter an und erhalten Sie die wichtigsten Nachrichten täglich.",
               copy="© 2024 {site}. Alle Rechte vorbehalten.", privacy="Datenschutzerklärung",
               bio="{author} ist Redakteurin im Ressort Lokales und schreibt seit 2015 über Verkehr und Umwelt.",
               disclaimer="Die in Gastbeiträgen geäußerten Meinungen geben nicht die Auffassung der Redaktion wieder.",
               pdf="Artikel als PDF herunterladen", media="Verwandte Medien", share="Teilen",
               months=["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]),
    "fr": dict(home="Accueil", news="Actualités", sport="Sport", more="À lire aussi",
               newsletter="Inscrivez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.",
               copy="© 2024 {site}. Tous droits réservés.", privacy="Politique de confidentialité",
               bio="{author} est journaliste au service société et couvre les questions de transport depuis 2012.",
               disclaimer="Les opinions exprimées dans les tribunes n'engagent que leurs auteurs.",
               pdf="Télécharger l'article en PDF", media="Médias associés", share="Partager",
               months=["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]),
    "es": dict(home="Portada", news="Noticias", sport="Deportes", more="Te puede interesar",
               newsletter="Suscríbete a nuestro boletín y recibe las noticias más importantes cada mañana.",
               copy="© 2024 {site}. Todos los derechos reservados.", privacy="Política de privacidad",
               bio="{author} es periodista de la sección de sociedad y escribe sobre medio ambiente desde 2014.",
               disclaimer="Las opiniones expresadas en esta sección son responsabilidad exclusiva de sus autores.",
               pdf="Descargar artículo en PDF", media="Multimedia relacionada", share="Compartir",
               months=["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]),
    "it": dict(home="Home", news="Cronaca", sport="Sport", more="Leggi anche",
               newsletter="Iscriviti alla nostra newsletter per ricevere ogni giorno le notizie più importanti.",
               copy="© 2024 {site}. Tutti i diritti riservati.", privacy="Informativa sulla privacy",
               bio="{author} è giornalista della redazione cronaca e si occupa di ambiente e trasporti dal 2010.",
               disclaimer="Le opinioni espresse dagli autori non riflettono necessariamente quelle della testata.",
               pdf="Scarica l'articolo in PDF", media="Contenuti correlati", share="Condividi",
               months=["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"]),
    "pt": dict(home="Início", news="Notícias", sport="Desporto", more="Leia também",
               newsletter="Subscreva a nossa newsletter e receba as principais notícias todas as manhãs.",
               copy="© 2024 {site}. Todos os direitos reservados.", privacy="Política de privacidade",
               bio="{author} é jornalista da secção de sociedade e escreve sobre cidades e mobilidade desde 2016.",
               disclaimer="As opiniões expressas nos artigos de opinião são da responsabilidade dos seus autores.",
               pdf="Descarregar artigo em PDF", media="Multimédia relacionada", share="Partilhar",
               months=["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"]),
    "ru": dict(home="Главная", news="Новости", sport="Спорт", more="Читайте также",
               newsletter="Подпишитесь на нашу рассылку, чтобы каждый день получать главные новости.",
               copy="© 2024 {site}. Все права защищены.", privacy="Политика конфиденциальности",
               bio="{author} работает корреспондентом отдела городских новостей с 2013 года.",
               disclaimer="Мнение авторов может не совпадать с мнением редакции.",
               pdf="Скачать статью в PDF", media="Связанные материалы", share="Поделиться",
               months=["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]),
    "ja": dict(home="ホーム", news="ニュース", sport="スポーツ", more="関連記事",
               newsletter="メールマガジンに登録すると、毎朝主要なニュースをお届けします。",
               copy="© 2024 {site} 無断転載を禁じます。", privacy="プライバシーポリシー",
               bio="{author}　社会部記者。二〇一一年入社、防災と交通を担当している。",
               disclaimer="記事の内容は執筆者の見解であり、当社の見解を示すものではありません。",
               pdf="記事をPDFでダウンロード", media="関連メディア", share="共有",
               months=None),
    "zh": dict(home="首页", news="新闻", sport="体育", more="相关阅读",
               newsletter="订阅我们的新闻简报，每天早上获取最重要的新闻。",
               copy="© 2024 {site} 版权所有，未经授权不得转载。", privacy="隐私政策",
               bio="{author}，本报记者，长期关注城市交通与民生新闻。",
               disclaimer="本文观点仅代表作者本人，不代表本网站立场。",
               pdf="下载本文PDF版本", media="相关视频", share="分享",
               months=None),
    "nl": dict(home="Home", news="Nieuws", sport="Sport", more="Lees ook",
               newsletter="Schrijf je in voor onze nieuwsbrief en ontvang elke ochtend het belangrijkste nieuws.",
               copy="© 2024 {site}. Alle rechten voorbehouden.", privacy="Privacybeleid",
               bio="{author} is verslaggever bij de stadsredactie en schrijft sinds 2017 over wonen en verkeer.",
               disclaimer="De meningen in opiniestukken zijn die van de auteurs en niet van de redactie.",
               pdf="Download artikel als PDF", media="Gerelateerde media", share="Delen",
               months=["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]),
    "pl": dict(home="Strona główna", news="Wiadomości", sport="Sport", more="Czytaj także",
               newsletter="Zapisz się do naszego newslettera i codziennie otrzymuj najważniejsze wiadomości.",
               copy="© 2024 {site}. Wszelkie prawa zastrzeżone.", privacy="Polityka prywatności",
               bio="{author} jest dziennikarzem działu miejskiego i od 2015 roku pisze o transporcie.",
               disclaimer="Opinie wyrażone w artykule są opiniami autora, a nie redakcji.",
               pdf="Pobierz artykuł w PDF", media="Powiązane materiały", share="Udostępnij",
               months=["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"]),
    "en": dict(home="Home", news="News", sport="Sport", more="Read more",
               newsletter="Sign up for our daily newsletter to get the top stories in your inbox every morning.",
               copy="© 2024 {site}. All rights reserved.", privacy="Privacy Policy",
               bio="{author} covers energy and mining for the agency and has reported from Santiago since 2016.",
               disclaimer="The views expressed in this column are the author's own and not those of the publisher.",
               pdf="Download this article as PDF", media="Related media", share="Share",
               months=["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]),
}

RUBY = re.compile(r"(\S{1,8}?)《([^》]+)》")


def rich(text: str) -> str:
    """Escape text; ruby markers become <ruby> markup."""
    out = html.escape(text, quote=False)
    return RUBY.sub(r"<ruby>\1<rp>(</rp><rt>\2</rt><rp>)</rp></ruby>", out)


def plain(text: str) -> str:
    return RUBY.sub(r"\1", text)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def local_day(iso: str) -> str:
    return iso[:10]


def utc_iso(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dmy(iso: str, lang: str) -> str:
    d = datetime.fromisoformat(iso)
    months = C[lang]["months"]
    if lang in ("ja", "zh"):
        return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}"
    if lang == "es" or lang == "pt":
        return f"{d.day} de {months[d.month - 1]} de {d.year}, {d:%H:%M}"
    if lang == "de":
        return f"{d.day}. {months[d.month - 1]} {d.year}, {d:%H:%M} Uhr"
    return f"{d.day} {months[d.month - 1]} {d.year} {d:%H:%M}"


def head(a: dict, title_tag: str, *, og: str | None = None, ld: list | None = None,
         metas: dict | None = None, lang_attr: bool = True) -> str:
    parts = [f'<meta charset="utf-8"><title>{esc(title_tag)}</title>']
    if og:
        parts.append(f'<meta property="og:title" content="{esc(og)}">')
    parts.append(f'<meta property="og:site_name" content="{esc(a["site"])}">')
    for k, v in (metas or {}).items():
        attr = "property" if ":" in k else "name"
        parts.append(f'<meta {attr}="{k}" content="{esc(v)}">')
    parts.append(f'<link rel="canonical" href="https://{a["host"]}/{a["slug"]}">')
    for obj in ld or []:
        parts.append('<script type="application/ld+json">' + json.dumps(obj, ensure_ascii=False) + "</script>")
    lang = f' lang="{a["lang"]}"' if lang_attr else ""
    return f"<!DOCTYPE html><html{lang}><head>{''.join(parts)}</head>"


def nav(a: dict) -> tuple[str, list[str]]:
    c = C[a["lang"]]
    items = [c["home"], c["news"], c["sport"]]
    return ("<nav class=\"main-nav\"><ul>" + "".join(f'<li><a href="/{i}">{esc(i)}</a></li>' for i in items)
            + "</ul></nav>", [])


def related(a: dict, others: list[dict], cls: str = "related") -> tuple[str, list[str]]:
    c = C[a["lang"]]
    titles = [o["title"] for o in others[:3]]
    body = "".join(f'<li><a href="/x{i}">{esc(t)}</a></li>' for i, t in enumerate(titles))
    return f'<div class="{cls}"><h3>{esc(c["more"])}</h3><ul>{body}</ul></div>', titles


def site_footer(a: dict) -> tuple[str, list[str]]:
    c = C[a["lang"]]
    line = c["copy"].format(site=a["site"])
    return (f'<footer><p>{esc(line)}</p><a href="/privacy">{esc(c["privacy"])}</a></footer>', [line])


def body_ps(a: dict, paras: list[str] | None = None) -> str:
    return "".join(f"<p>{rich(p)}</p>" for p in (paras if paras is not None else a["paras"]))


def ld_article(a: dict, *, date: str | None = None, body: str | None = None, typ: str = "NewsArticle") -> dict:
    obj = {"@context": "https://schema.org", "@type": typ, "headline": a.get("og") or a["title"],
           "datePublished": date or a["date"], "author": {"@type": "Person", "name": a["author"]},
           "publisher": {"@type": "Organization", "name": a["site"]}}
    if body is not None:
        obj["articleBody"] = body
    return obj


# ---------------------------------------------------------------- templates
# Each returns (html, unwanted snippets, notes about what it exercises).

def t_header_lead(a, others):
    n, _ = nav(a)
    r, ru = related(a, others, "aside-related")
    f, fu = site_footer(a)
    page = head(a, f'{a["title"]} | {a["site"]}', og=a.get("og"), ld=[ld_article(a)]) + f"""
<body>{n}<div class="page"><article class="story">
<header class="story-header"><span class="kicker">{esc(C[a['lang']]['news'])}</span><h1>{rich(a['title'])}</h1>
<p class="subtitle">{rich(a['lead'])}</p><div class="meta">{esc(a['author'])} · <time datetime="{a['date']}">{esc(dmy(a['date'], a['lang']))}</time></div></header>
<div class="article-body">{body_ps(a)}</div></article>
<aside>{r}</aside></div>{f}</body></html>"""
    return page, ru + fu, ["lead in <header>", "og:title differs" if a.get("og") else "plain"]


def t_standfirst(a, others):
    n, _ = nav(a)
    r, ru = related(a, others)
    d = datetime.fromisoformat(a["date"])
    page = head(a, f'{a["site"]}: {a["title"]}') + f"""
<body><div id="top">{n}</div><div class="wrap"><div class="col-main">
<h1 class="headline">{rich(a['title'])}</h1>
<div class="standfirst">{rich(a['lead'])}</div>
<div class="info">{esc(a['author'])} | {d:%d.%m.%Y} {d:%H:%M}</div>
<div class="text-wrap">{body_ps(a)}</div>
{r}</div></div><div class="bottom"><p>{esc(C[a['lang']]['copy'].format(site=a['site']))}</p></div></body></html>"""
    return page, ru + [C[a["lang"]]["copy"].format(site=a["site"])], ["standfirst sibling", "dd.mm.yyyy visible date only"]


def t_live(a, others):
    n, _ = nav(a)
    d = datetime.fromisoformat(a["date"])
    entries = "".join(
        f'<div class="comment-entry live-comment"><span class="entry-time">{d:%H}:{10 + 7 * i:02d}</span><p>{rich(p)}</p></div>'
        for i, p in enumerate(reversed(a["paras"])))
    mr = "".join(f'<li><a href="/m{i}">{esc(o["title"])}</a></li>' for i, o in enumerate(others[:3]))
    page = head(a, f'LIVE: {a["title"]} - {a["site"]}', og=a.get("og") or "LIVE " + a["title"],
                metas={"article:published_time": utc_iso(a["date"])}) + f"""
<body>{n}<main><h1>{rich(a['title'])}</h1><p class="intro">{rich(a['lead'])}</p>
<div class="liveblog">{entries}</div></main>
<div class="most-read"><h2>Top</h2><ol>{mr}</ol></div></body></html>"""
    return page, [o["title"] for o in others[:3]], ["live ticker with comment classes", "UTC meta only"]


def t_jsonld_first(a, others):
    first = a["lead"] + " " + a["paras"][0]
    body = body_ps(a, [a["lead"]] + a["paras"])
    site = {"@context": "https://schema.org", "@type": "WebSite", "name": a["site"],
            "datePublished": "2015-01-01T00:00:00Z"}
    r, ru = related(a, others, "more-stories")
    page = head(a, f'{a["title"]} – {a["site"]}', og=a.get("og"),
                ld=[site, ld_article(a, body=plain(first) + " " * 0)]) + f"""
<body><header class="site-header"><a class="logo" href="/">{esc(a['site'])}</a></header>
<div class="content"><h1>{rich(a['title'])}</h1><p class="byline">{esc(a['author'])}</p>
<div class="entry">{body}</div>{r}</div></body></html>"""
    return page, ru, ["JSON-LD articleBody = first paragraph only", "site-wide WebSite date"]


def t_boxes(a, others):
    c = C[a["lang"]]
    bio = c["bio"].format(author=a["author"])
    page = head(a, f'{a["title"]} | {a["site"]}', ld=[ld_article(a)]) + f"""
<body>{nav(a)[0]}<div class="container"><h1>{rich(a['title'])}</h1>
<div class="post"><p><strong>{rich(a['lead'])}</strong></p>{body_ps(a)}
<div class="note">{esc(c['disclaimer'])}</div>
<div class="pdf-box"><a href="/a.pdf">{esc(c['pdf'])}</a></div>
<div class="bio"><b>{esc(a['author'])}</b> {esc(bio)}</div>
<h3>{esc(c['media'])}</h3><ul class="links"><li><a href="/p/1">https://{a['host']}/p/1</a></li><li><a href="/p/2">https://{a['host']}/p/2</a></li></ul>
</div></div>{site_footer(a)[0]}</body></html>"""
    return page, [c["disclaimer"], c["pdf"], bio, c["media"]], ["disclaimer/PDF/bio boxes in body"]


def t_linked_quote(a, others):
    paras = list(a["paras"])
    quoted = f'<p><a href="https://example.org/source">{rich(paras[1])}</a></p>'
    body = f"<p>{rich(a['lead'])}</p><p>{rich(paras[0])}</p>{quoted}" + body_ps(a, paras[2:])
    r, ru = related(a, others, "related-links")
    page = head(a, a["title"], og=a.get("og"), metas={"article:published_time": a["date"]}) + f"""
<body><div class="nav-bar">{nav(a)[0]}</div><div id="main"><article>
<h1>{rich(a['title'])}</h1><div class="text">{body}</div></article>{r}</div>{site_footer(a)[0]}</body></html>"""
    return page, ru, ["fully linked quote paragraph"]


def t_agency(a, others):
    c = C[a["lang"]]
    ag = {"www.reuters.com": ("Our Standards: The Thomson Reuters Trust Principles.", "Sign up here."),
          "www.afp.com": ("© Agence France-Presse. Tous droits réservés.", c["newsletter"]),
          "www.efe.com": ("© EFE 2023. Está expresamente prohibida la redistribución y la redifusión de este contenido sin su previo y expreso consentimiento.", c["newsletter"]),
          "www.ansa.it": ("© Copyright ANSA. Tutti i diritti riservati.", c["newsletter"]),
          "tass.ru": ("© ТАСС. Все права защищены.", c["newsletter"]),
          "www.news.cn": ("© 新华网版权所有", c["newsletter"]),
          "apnews.com": ("Copyright 2023 The Associated Press. All Rights Reserved. This material may not be published, broadcast, rewritten or redistributed.", c["newsletter"]),
          }.get(a["host"], (c["copy"].format(site=a["site"]), c["newsletter"]))
    privacy = f'{c["privacy"]}'
    page = head(a, f'{a["title"]} | {a["site"]}', ld=[ld_article(a, date=utc_iso(a["date"]))]) + f"""
<body>{nav(a)[0]}<div class="article-wrap"><h1 class="article-title">{rich(a['title'])}</h1>
<div class="date-line"><time datetime="{a['date']}">{esc(dmy(a['date'], a['lang']))}</time></div>
<div class="article-text"><p>{rich(a['lead'])}</p>{body_ps(a)}
<p>{esc(ag[1])}</p><p>{esc(ag[0])}</p><p><a href="/privacy">{esc(privacy)}</a></p></div></div></body></html>"""
    return page, [ag[0], ag[1], privacy], ["agency footer lines in body", "UTC JSON-LD + local <time>"]


def t_site_suffix(a, others):
    d = datetime.fromisoformat(a["date"])
    t = f'{a["title"]} | {a["site"]} | {d:%d.%m.%Y}'
    page = head(a, t, metas={"description": a["lead"]}) + f"""
<body><div class="header-nav">{nav(a)[0]}</div><div class="col"><div class="headline-block">
<h2 class="title">{rich(a['title'])}</h2></div><p class="teaser-text">{rich(a['lead'])}</p>
<div class="small">{esc(a['author'])}, {d:%d.%m.%Y}</div>
<div class="longText">{body_ps(a)}</div></div></body></html>"""
    return page, [], ["repeated site suffix in <title>", "no h1", "dd.mm.yyyy visible date"]


def t_menu_h1(a, others):
    c = C[a["lang"]]
    page = head(a, f'{a["title"]} - {a["site"]}', metas={"article:published_time": a["date"]}) + f"""
<body><header class="top"><h1 class="logo"><a href="/">{esc(c['news'])}</a></h1>{nav(a)[0]}</header>
<section class="main-section"><div class="story"><h2>{rich(a['title'])}</h2>
<p class="lead">{rich(a['lead'])}</p>{body_ps(a)}</div></section>{site_footer(a)[0]}</body></html>"""
    return page, [], ["menu-label h1"]


def t_video(a, others):
    obj = {"@context": "https://schema.org", "@type": "VideoObject", "name": a["title"],
           "uploadDate": a["date"], "description": a["lead"], "thumbnailUrl": "https://x/t.jpg"}
    page = head(a, f'{a["title"]} | {a["site"]} Video', ld=[obj]) + f"""
<body>{nav(a)[0]}<div class="video-page"><div class="player"><video src="/v.mp4"></video></div>
<h1>{rich(a['title'])}</h1><div class="video-description"><p>{rich(a['lead'])}</p>{body_ps(a)}</div>
<div class="playlist"><ul>{''.join(f'<li><a href="/v{i}">{esc(o["title"])}</a></li>' for i, o in enumerate(others[:3]))}</ul></div></div></body></html>"""
    return page, [o["title"] for o in others[:3]], ["VideoObject.uploadDate only"]


def t_caption_main(a, others):
    page = head(a, f'{a["title"]} | {a["site"]}', og=a.get("og"),
                metas={"article:published_time": a["date"]}) + f"""
<body>{nav(a)[0]}<main><h1>{rich(a['title'])}</h1><img src="/big.jpg">
<div class="photo-caption"><p>{rich(a['lead'])}</p>{body_ps(a)}</div></main>{site_footer(a)[0]}</body></html>"""
    return page, [C[a["lang"]]["copy"].format(site=a["site"])], ["caption block is the only text in <main>"]


def t_nav_anchor(a, others):
    paras = a["paras"]
    sub = paras[1].split(",")[0].split("，")[0].split("、")[0][:50]
    page = head(a, f'{a["title"]} :: {a["site"]}', ld=[ld_article(a)]) + f"""
<body>{nav(a)[0]}<div id="content"><div class="article"><h1>{rich(a['title'])}</h1>
<p class="summary-text">{rich(a['lead'])}</p><p>{rich(paras[0])}</p>
<h2 id="nav_section_2"><a id="nav_anchor_2"></a>{rich(sub)}</h2><p>{rich(paras[1])}</p>{body_ps(a, paras[2:])}
</div><div class="comments"><h3>3</h3><p>Super!</p></div></div>{site_footer(a)[0]}</body></html>"""
    return page, ["Super!"], ["heading with nav_ anchor id"]


def t_conflict(a, others):
    """Sidebar <time> elements of other stories before the article's own date."""
    side = "".join(f'<li><time datetime="2024-06-0{i + 1}T08:00:00Z">0{i + 1}.06.2024</time> <a href="/s{i}">{esc(o["title"])}</a></li>'
                   for i, o in enumerate(others[:3]))
    page = head(a, f'{a["title"]} « {a["site"]}', og=a.get("og"),
                metas={"article:published_time": a["date"], "date": "2024-06-01"}) + f"""
<body><div class="top">{nav(a)[0]}<ul class="ticker-list">{side}</ul></div>
<div class="main"><div class="article-head"><h1>{rich(a['title'])}</h1></div>
<div class="intro"><p>{rich(a['lead'])}</p></div><div class="content-body">{body_ps(a)}</div></div>{site_footer(a)[0]}</body></html>"""
    return page, [o["title"] for o in others[:3]], ["conflicting page dates", "lead in sibling div"]


def t_plain_semantic(a, others):
    c = C[a["lang"]]
    page = head(a, a["title"], ld=[ld_article(a)]) + f"""
<body>{nav(a)[0]}<main id="main-content"><article><h1>{rich(a['title'])}</h1>
<p>{rich(a['lead'])}</p>{body_ps(a)}<p class="share"><a href="#">{esc(c['share'])}</a></p>
<p>{esc(c['newsletter'])}</p></article></main>{site_footer(a)[0]}</body></html>"""
    return page, [c["newsletter"]], ["generic newsletter line at body end"]


TEMPLATES = [t_header_lead, t_standfirst, t_live, t_jsonld_first, t_boxes, t_linked_quote,
             t_site_suffix, t_menu_h1, t_video, t_caption_main, t_nav_anchor, t_conflict,
             t_plain_semantic]


def wanted(a: dict, template: str) -> list[str]:
    out = [plain(a["lead"])]
    for p in a["paras"]:
        p = plain(p)
        if len(p) > 70 and a["lang"] not in ("ja", "zh"):
            cut = p.split(" ")
            p = " ".join(cut[2 : len(cut) - 2])
        out.append(p)
    return out


def bbc_articles() -> list[dict]:
    picks = ["business/010.txt", "politics/020.txt", "tech/030.txt", "sport/040.txt",
             "entertainment/050.txt", "business/060.txt", "tech/070.txt", "politics/080.txt"]
    dates = ["2005-01-14T23:20:00+00:00", "2005-02-02T10:00:00+00:00", "2004-11-30T08:45:00+00:00",
             "2005-03-12T18:00:00+00:00", "2004-12-19T00:30:00+00:00", "2005-01-05T14:10:00+00:00",
             "2005-02-21T09:00:00+00:00", "2005-03-30T22:15:00+00:00"]
    out = []
    for rel, date in zip(picks, dates):
        text = (BBC / rel).read_text(encoding="utf-8", errors="replace")
        lines = [x.strip() for x in text.split("\n") if x.strip()]
        paras = lines[1:]
        out.append(dict(lang="en", site="BBC News", host="news.bbc-archive.example", title=lines[0],
                        lead=paras[0], paras=paras[1:7], date=date, author="BBC",
                        source=f"bbc-news-2225/{rel}"))
    return out


def main() -> None:
    out = HERE / "pages"
    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    arts = [dict(x) for x in ARTICLES] + bbc_articles()
    agency_hosts = {"www.reuters.com", "www.afp.com", "www.efe.com", "www.ansa.it", "tass.ru",
                    "www.news.cn", "apnews.com"}
    k = 0
    for i, a in enumerate(arts):
        a["slug"] = f"story-{i}"
        same = [o for o in arts if o["lang"] == a["lang"] and o is not a]
        if a["host"] in agency_hosts:
            tpl = t_agency
        elif a["lang"] == "en":
            tpl = TEMPLATES[(i * 5) % len(TEMPLATES)]
        else:
            tpl = TEMPLATES[k % len(TEMPLATES)]
            k += 1
        page, unwanted, notes = tpl(a, same)
        title = a["title"]
        name = f"{i:03d}-{a['lang']}-{tpl.__name__[2:]}"
        (out / f"{name}.html").write_text(page, encoding="utf-8")
        side = {"lang": a["lang"], "template": tpl.__name__[2:], "exercises": notes,
                "title": plain(title), "date": local_day(a["date"]),
                "wanted": wanted(a, tpl.__name__), "unwanted": unwanted,
                "url": f"https://{a['host']}/{a['slug']}",
                "source": a.get("source", "written for this set (articles.py)")}
        (out / f"{name}.json").write_text(json.dumps(side, ensure_ascii=False, indent=1), encoding="utf-8")
    print(len(arts), "pages")


if __name__ == "__main__":
    main()
