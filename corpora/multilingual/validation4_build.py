"""Builds validation4/: 16 pages in page styles unlike build.py's (WordPress, legacy tables,
inline read-more links, JSON-LD @graph with a social og:title, paywall teasers, wire pages,
regional de/fr/es/it sites), written as an independent check and run once, untuned."""
import json, html, random
from pathlib import Path

BBC = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "bbc-news-2225"  # the shared BBC copy
OUT = Path(__file__).parent / "validation4"
E = html.escape

def bbc(rel):
    lines = [l.strip() for l in (BBC / rel).read_text(encoding="latin-1").splitlines()]
    title = lines[0]
    paras = [l for l in lines[1:] if l]
    return title, paras

def trim(p):
    w = p.split()
    return " ".join(w[2:-2]) if len(w) > 8 else p

FOREIGN = {
 "de": ("Stadtwerke Kiel bauen Wärmespeicher am Ostufer",
        ["Die Stadtwerke Kiel wollen bis 2028 einen großen Wärmespeicher am Ostufer errichten und damit rund 20.000 Haushalte im Winter zuverlässiger versorgen.",
         "Der Speicher soll überschüssigen Strom aus Windkraftanlagen in Wärme umwandeln und mehrere Tage lang vorhalten, teilte das Unternehmen am Donnerstag mit.",
         "Nach Angaben des Vorstands kostet das Projekt etwa 85 Millionen Euro, ein Teil davon werde aus Fördermitteln des Landes Schleswig-Holstein bezahlt.",
         "Anwohner hatten zuvor Bedenken wegen des Baulärms geäußert; die Stadtwerke kündigten eine Informationsveranstaltung im Januar an."]),
 "fr": ("À Nantes, la ligne de tramway 6 ouvrira avec un an de retard",
        ["La future ligne 6 du tramway nantais ne sera pas mise en service avant l'automne 2028, a reconnu mardi la présidente de la métropole lors du conseil communautaire.",
         "Les fouilles archéologiques menées sur l'île de Nantes ont mis au jour des vestiges portuaires du XVIIIe siècle, ce qui a imposé de revoir une partie du tracé.",
         "Le coût du chantier est désormais estimé à 310 millions d'euros, soit une hausse d'environ 12 % par rapport au budget voté en 2023.",
         "Les associations d'usagers demandent que des bus à haut niveau de service soient renforcés en attendant l'ouverture de la ligne."]),
 "es": ("Valencia amplía el horario del metro durante las Fallas",
        ["Metrovalencia prestará servicio ininterrumpido durante las noches principales de las Fallas, anunció este miércoles la consellera de Infraestructuras.",
         "La medida afectará a las líneas 3, 5 y 7, que conectan el centro de la ciudad con el aeropuerto y con los barrios del norte, y supondrá un refuerzo de 140 conductores.",
         "Según la empresa pública, el año pasado se registraron más de dos millones de viajes en la semana fallera, un récord desde la apertura de la red.",
         "Los sindicatos han pedido que las horas extraordinarias se compensen con días libres y no solo con pagos adicionales."]),
 "it": ("Bologna, riapre dopo tre anni il museo della musica",
        ["Il Museo internazionale della musica di Bologna riaprirà al pubblico sabato prossimo dopo un restauro durato quasi tre anni, ha annunciato il Comune.",
         "I lavori hanno riguardato gli impianti di climatizzazione e la messa in sicurezza degli affreschi del piano nobile di Palazzo Sanguinetti.",
         "La collezione, che conta oltre cento strumenti antichi e migliaia di partiture, sarà esposta con un nuovo percorso multimediale in quattro lingue.",
         "Per la prima settimana l'ingresso sarà gratuito per i residenti della città metropolitana."]),
}

FOOT_LEGAL = ["© 2026 Example Media Group. All rights reserved.", "Sign up for our daily briefing newsletter",
              "Read our privacy policy and cookie policy"]

def page(head, body):
    return f"<!DOCTYPE html>\n<html lang=\"{head['lang']}\"><head><meta charset=\"utf-8\">{head['meta']}<title>{E(head['title'])}</title></head><body>{body}</body></html>\n"

def navbar(items):
    return "<header class=\"site-header\"><div class=\"logo\">Logo</div><ul class=\"menu\">" + "".join(f"<li><a href=\"/{i.lower()}\">{i}</a></li>" for i in items) + "</ul></header>"

pages = []
def add(name, lang, htmltext, title, date, wanted, unwanted, url):
    pages.append((name, htmltext, {"lang": lang, "title": title, "date": date, "wanted": wanted, "unwanted": unwanted, "url": url}))

# 1 WordPress
def s_wp(n, rel):
    t, ps = bbc(rel)
    rel_heads = ["Markets close higher on Friday", "Council approves new budget", "Weather warning for the weekend"]
    body = navbar(["News", "Sport", "Business", "Contact"]) + "<div id=\"content\"><article class=\"post type-post\"><header class=\"entry-header\"><h1 class=\"entry-title\">" + E(t) + "</h1><div class=\"entry-meta\"><span class=\"posted-on\"><a href=\"#\"><time class=\"entry-date published\" datetime=\"2026-03-14T22:40:00-05:00\">March 14, 2026</time></a></span> <span class=\"byline\">by <a href=\"/author/jane\">Jane Roe</a></span></div></header><div class=\"entry-content\">" + "".join(f"<p>{E(p)}</p>" for p in ps) + "<div class=\"sharedaddy\"><h3 class=\"sd-title\">Share this:</h3><ul><li><a href=\"#\">Twitter</a></li><li><a href=\"#\">Facebook</a></li></ul></div><div id=\"jp-relatedposts\"><h3>Related</h3>" + "".join(f"<div class=\"jp-relatedposts-post\"><a href=\"#\">{h}</a></div>" for h in rel_heads) + "</div></div></article><div id=\"comments\"><h2>2 thoughts on this</h2><ol class=\"commentlist\"><li><p>What a terrible decision by the people in charge, honestly.</p></li></ol></div></div><footer>" + FOOT_LEGAL[0] + "</footer>"
    head = {"lang": "en", "title": f"{t} – The Riverside Gazette", "meta": f"<meta property=\"og:title\" content=\"{E(t)}\"><meta property=\"og:site_name\" content=\"The Riverside Gazette\">"}
    add(n, "en", page(head, body), t, "2026-03-14", [trim(p) for p in ps], rel_heads + ["What a terrible decision by the people in charge", "Share this:"], f"https://riverside.example/{n}")

# 2 legacy table layout with <br><br>
def s_table(n, rel):
    t, ps = bbc(rel)
    body = "<table width=\"100%\"><tr><td class=\"left\"><a href=\"/\">Home</a><br><a href=\"/world\">World</a><br><a href=\"/biz\">Business</a></td><td class=\"main\"><font size=\"5\"><b>" + E(t) + "</b></font><br><font size=\"2\">Posted 07/02/2026 09:15 GMT</font><br><br>" + "<br><br>".join(E(p) for p in ps) + "<br><br><font size=\"1\">Copyright 2026 Valley Wire Service. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.</font></td><td class=\"right\"><b>Most read</b><br><a href=\"#\">Storm damages harbour wall</a><br><a href=\"#\">Rail strike called off</a></td></tr></table>"
    head = {"lang": "en", "title": f"Valley Wire: {t}", "meta": ""}
    add(n, "en", page(head, body), t, "2026-02-07", [trim(p) for p in ps], ["Storm damages harbour wall", "Rail strike called off", "may not be published, broadcast, rewritten"], f"https://valleywire.example/{n}")

# 3 inline ads + read more inside body
def s_readmore(n, rel):
    t, ps = bbc(rel)
    parts = []
    rm = ["Read more: Ministers face pressure over rail fares", "READ MORE: Airport expansion plans unveiled"]
    for i, p in enumerate(ps):
        parts.append(f"<p>{E(p)}</p>")
        if i == 1:
            parts.append("<div class=\"ad-slot\"><span>Advertisement</span></div>")
        if i == 2:
            parts.append(f"<p><strong><a href=\"/x\">{rm[0]}</a></strong></p>")
        if i == 4:
            parts.append(f"<p><a href=\"/y\">{rm[1]}</a></p>")
    body = navbar(["Home", "UK", "World"]) + "<main><div class=\"article\"><h1>" + E(t) + "</h1><p class=\"dateline\"><time datetime=\"2026-11-02T08:00:00Z\">Mon 2 Nov 2026 08.00 GMT</time></p><div class=\"article-body\">" + "".join(parts) + "</div><aside class=\"more-stories\"><h2>More stories</h2><ul><li><a href=\"#\">Police appeal after town-centre crash</a></li></ul></aside></div></main>"
    head = {"lang": "en", "title": f"{t} | UK news | The Daily Courier", "meta": f"<meta property=\"og:title\" content=\"{E(t)}\"><meta property=\"article:published_time\" content=\"2026-11-02T08:00:00Z\">"}
    add(n, "en", page(head, body), t, "2026-11-02", [trim(p) for p in ps], rm + ["Police appeal after town-centre crash"], f"https://courier.example/{n}")

# 4 social og:title differs; JSON-LD @graph
def s_graph(n, rel):
    t, ps = bbc(rel)
    social = "WATCH: " + t + " (video)"
    ld = {"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "Metro Today", "foundingDate": "1999-01-01"},
          {"@type": "WebPage", "datePublished": "2020-05-05T00:00:00Z"},
          {"@type": "NewsArticle", "headline": t, "datePublished": "2026-06-30T23:30:00+09:00", "dateModified": "2026-07-01T10:00:00+09:00"}]}
    body = navbar(["Top", "Tokyo", "Biz"]) + "<div class=\"wrap\"><article><h1 class=\"headline\">" + E(t) + "</h1><div class=\"byline\">By Ken Sato, Staff Writer</div><div class=\"story\">" + "".join(f"<p>{E(p)}</p>" for p in ps) + "</div><div class=\"tags\"><a href=\"#\">Economy</a> <a href=\"#\">Trade</a></div></article><section class=\"recommend\"><h3>Recommended</h3><a href=\"#\">Typhoon nears southern islands as ferries halted</a></section></div>"
    head = {"lang": "en", "title": f"{t} - Metro Today", "meta": f"<meta property=\"og:title\" content=\"{E(social)}\"><script type=\"application/ld+json\">{json.dumps(ld)}</script>"}
    add(n, "en", page(head, body), t, "2026-06-30", [trim(p) for p in ps], ["Typhoon nears southern islands as ferries halted"], f"https://metrotoday.example/{n}")

# 5 paywall teaser + subscription box, bio
def s_paywall(n, rel):
    t, ps = bbc(rel)
    ps = ps[:4]
    body = navbar(["Opinion", "Politics"]) + "<article class=\"story\"><h1>" + E(t) + "</h1><p class=\"deck\">An analysis of what changed, and what did not.</p><span class=\"date\">4 September 2026</span><section class=\"story-body\">" + "".join(f"<p>{E(p)}</p>" for p in ps) + "<div class=\"paywall-box\"><h3>Subscribe to continue reading</h3><p>Get unlimited access for just £1 a week. Cancel anytime.</p><a href=\"#\">Subscribe now</a></div><div class=\"author-bio\"><p>Tom Reed is our political correspondent and has covered Westminster since 2011.</p></div></section></article>"
    head = {"lang": "en", "title": t, "meta": ""}
    add(n, "en", page(head, body), t, "2026-09-04", [trim(p) for p in ps] + ["An analysis of what changed, and what did not."], ["Get unlimited access for just", "Tom Reed is our political correspondent"], f"https://northpost.example/{n}")

# 6 wire with trust line
def s_wire(n, rel):
    t, ps = bbc(rel)
    ps = [f"LONDON, Jan 9 (Wire) - {ps[0]}"] + ps[1:]
    body = "<div class=\"page\">" + navbar(["World", "Markets"]) + "<div class=\"ArticleHeader\"><h1>" + E(t) + "</h1><div class=\"ArticleHeader_date\">January 9, 2026 / 6:42 PM / Updated 2 hours ago</div></div><div class=\"StandardArticleBody_body\">" + "".join(f"<p>{E(p)}</p>" for p in ps) + "<p class=\"Attribution\">Reporting by Anna Holt; Editing by Mark Dean</p></div><div class=\"trust\"><a href=\"#\">Our Standards: The Global Wire Trust Principles.</a></div></div>"
    head = {"lang": "en", "title": f"{t} | Global Wire", "meta": f"<meta name=\"analyticsAttributes.articleDate\" content=\"2026-01-09T18:42:00Z\">"}
    add(n, "en", page(head, body), t, "2026-01-09", [trim(p) for p in ps], ["Our Standards: The Global Wire Trust Principles."], f"https://globalwire.example/{n}")

# 7 German with Stand date and Mehr zum Thema
def s_de(n):
    t, ps = FOREIGN["de"]
    body = navbar(["Startseite", "Regional", "Wirtschaft"]) + "<div class=\"seite\"><div class=\"artikel\"><span class=\"dachzeile\">Energie</span><h1>" + E(t) + "</h1><p class=\"metatextline\">Stand: 03.12.2026 23:41 Uhr</p><p class=\"teasertext\"><strong>Kiel will unabhängiger von fossiler Fernwärme werden. Ein Speicher soll helfen.</strong></p>" + "".join(f"<p class=\"textabsatz\">{E(p)}</p>" for p in ps) + "<div class=\"mehrzumthema\"><h2>Mehr zum Thema</h2><ul><li><a href=\"#\">Fernwärmepreise steigen im Norden deutlich</a></li></ul></div></div></div><footer><p>Impressum | Datenschutz</p></footer>"
    head = {"lang": "de", "title": f"{t} | NDR-Nord.example", "meta": ""}
    add(n, "de", page(head, body), t, "2026-12-03", [trim(p) for p in ps] + ["Kiel will unabhängiger von fossiler Fernwärme werden."], ["Fernwärmepreise steigen im Norden deutlich", "Impressum | Datenschutz"], f"https://nord.example/{n}")

# 8 French Publié le + Lire aussi
def s_fr(n):
    t, ps = FOREIGN["fr"]
    parts = [f"<p>{E(p)}</p>" for p in ps]
    parts.insert(2, "<p class=\"lire-aussi\">Lire aussi : <a href=\"#\">Bordeaux : le RER métropolitain prend forme</a></p>")
    body = navbar(["Accueil", "Régions"]) + "<main><article><h1 class=\"article__title\">" + E(t) + "</h1><p class=\"article__desc\">Des fouilles archéologiques ont retardé le chantier, dont le coût grimpe à 310 millions d'euros.</p><p class=\"meta__date\">Publié le 12 mai 2026 à 18h30</p><div class=\"article__content\">" + "".join(parts) + "</div><p class=\"article__copyright\">© Ouest Example - Reproduction interdite</p></article></main>"
    head = {"lang": "fr", "title": f"{t}", "meta": f"<meta property=\"og:title\" content=\"{E(t)}\">"}
    add(n, "fr", page(head, body), t, "2026-05-12", [trim(p) for p in ps] + ["Des fouilles archéologiques ont retardé le chantier"], ["Bordeaux : le RER métropolitain prend forme", "Reproduction interdite"], f"https://ouest.example/{n}")

# 9 Spanish
def s_es(n):
    t, ps = FOREIGN["es"]
    body = navbar(["Portada", "Comunitat"]) + "<div class=\"nota\"><h1>" + E(t) + "</h1><div class=\"fecha\">Valencia, 18 de febrero de 2026 - 07:15 h</div><div class=\"cuerpo\">" + "".join(f"<p>{E(p)}</p>" for p in ps) + "</div><div class=\"te-puede-interesar\"><h4>Te puede interesar</h4><a href=\"#\">Cortes de tráfico en el centro por la mascletà</a></div><p class=\"legal\">Queda prohibida la reproducción total o parcial de este contenido.</p></div>"
    head = {"lang": "es", "title": f"{t} | Diario Levante Ejemplo", "meta": ""}
    add(n, "es", page(head, body), t, "2026-02-18", [trim(p) for p in ps], ["Cortes de tráfico en el centro por la mascletà", "Queda prohibida la reproducción total"], f"https://levante.example/{n}")

# 10 Italian with time element only and figcaption
def s_it(n):
    t, ps = FOREIGN["it"]
    body = navbar(["Home", "Cronaca", "Cultura"]) + "<div class=\"container\"><div class=\"art\"><h1 class=\"title-art\">" + E(t) + "</h1><time datetime=\"2026-10-21T00:20:00+02:00\">21 ottobre 2026</time><figure><img src=\"a.jpg\"><figcaption>Palazzo Sanguinetti (foto archivio)</figcaption></figure><div class=\"testo\">" + "".join(f"<p>{E(p)}</p>" for p in ps) + "</div><div class=\"social\">Condividi su Facebook · Condividi su X</div></div><div class=\"sidebar\"><h3>I più letti</h3><a href=\"#\">Maltempo, allerta arancione in Romagna</a></div></div>"
    head = {"lang": "it", "title": f"{t} - Corriere Emiliano", "meta": ""}
    add(n, "it", page(head, body), t, "2026-10-21", [trim(p) for p in ps], ["Maltempo, allerta arancione in Romagna", "Condividi su Facebook"], f"https://emiliano.example/{n}")

rels = ["business/200.txt", "politics/210.txt", "tech/220.txt", "sport/230.txt", "entertainment/240.txt", "business/250.txt",
        "politics/260.txt", "tech/270.txt", "sport/280.txt", "entertainment/290.txt", "business/300.txt", "tech/310.txt"]
styles = [s_wp, s_table, s_readmore, s_graph, s_paywall, s_wire]
k = 0
for s in styles:
    for _ in range(2):
        s(f"{k:03d}-{s.__name__[2:]}", rels[k]); k += 1
s_de("100-de"); s_fr("101-fr"); s_es("102-es"); s_it("103-it")
OUT.mkdir(exist_ok=True)
for name, h, side in pages:
    (OUT / f"{name}.html").write_text(h, encoding="utf-8")
    (OUT / f"{name}.json").write_text(json.dumps(side, ensure_ascii=False, indent=1), encoding="utf-8")
print(len(pages), "pages")
