"""wireingest.scrapy: a real crawl (``scrapy runspider``) of a local site, and the settings.

The site, served by ``http.server`` on 127.0.0.1, has seven agency pages (the six hand-written
agency pages of tests/data/html and the sample Xinhua page), a mirror of each (the same bytes
under another path), an outlet's republication of six of them (its own page chrome around the
story's paragraphs, sent as ``response.text``) and an outlet API giving the same six as JSON
records with a ``body``. One page's callback raises, so the crawl also ends with an error.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
from conftest import DATA, SAMPLE, RedisServer
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from wireingest.scrapy import WireingestPipeline, drop_message
from wireingest.types import Reject

HTML = DATA / "html"
STORIES = sorted(p.stem for p in HTML.glob("*.html"))  # de_dpa, en_ap, ... ru_tass


def _outlet_page(name: str) -> str:
    exp = json.loads((HTML / f"{name}.expected.json").read_text(encoding="utf-8"))
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in exp["paragraphs"])
    title = html.escape(exp["title"])
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | Daily Outlet"
        "</title></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1><p>Republished from the wire by Daily Outlet staff.</p>"
        f"{paras}<p>Copyright Daily Outlet. All rights reserved.</p></article>"
        "<footer>Daily Outlet, 1 Main Street</footer></body></html>"
    )


def _build_site(root: Path) -> None:
    for d in ("agency", "mirror", "outlet"):
        (root / d).mkdir()
    pages = {name: (HTML / f"{name}.html").read_bytes() for name in STORIES}
    pages["xinhua_sample"] = (SAMPLE / "02-xinhua-page.html").read_bytes()
    for name, raw in pages.items():
        (root / "agency" / f"{name}.html").write_bytes(raw)
        (root / "mirror" / f"{name}.html").write_bytes(raw)
    links = [f"/{d}/{name}.html" for d in ("agency", "mirror") for name in pages]
    api = []
    for name in STORIES:
        (root / "outlet" / f"{name}.html").write_text(_outlet_page(name), encoding="utf-8")
        links.append(f"/outlet/{name}.html")
        exp = json.loads((HTML / f"{name}.expected.json").read_text(encoding="utf-8"))
        api.append(
            {
                "url": f"https://outlet.example/api/{name}",
                "title": exp["title"],
                "published": exp["published"],
                "body": "\n\n".join(exp["paragraphs"]),
            }
        )
    (root / "outlet" / "api.json").write_text(json.dumps(api), encoding="utf-8")
    links += ["/outlet/api.json", "/broken.html"]
    (root / "broken.html").write_text("<html><body>oops</body></html>")
    index = "".join(f"<a href='{link}'>{link}</a>\n" for link in links)
    (root / "index.html").write_text(f"<html><body>{index}</body></html>")


SPIDER = """
import json, os
import scrapy


class SiteSpider(scrapy.Spider):
    name = "site"
    custom_settings = {
        "ITEM_PIPELINES": {"wireingest.scrapy.WireingestPipeline": 300},
        "WIREINGEST_STATE": os.environ["WI_STATE"],
        "WIREINGEST_THRESHOLD": 0.8,
        "WIREINGEST_POLICY": "first",
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": 1,  # the agency pages first, as the index lists them
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "FEEDS": {
            os.environ["WI_ITEMS"]: {"format": "jsonlines", "fields": ["url", "title", "article"]}
        },
    }

    async def start(self):
        yield scrapy.Request(os.environ["WI_BASE"] + "/index.html")

    def start_requests(self):  # Scrapy before 2.13
        yield scrapy.Request(os.environ["WI_BASE"] + "/index.html")

    def parse(self, response):
        for i, href in enumerate(response.css("a::attr(href)").getall()):
            yield response.follow(href, self.page, priority=-i)

    def page(self, response):
        path = response.url.split("/", 3)[3]
        if path == "broken.html":
            raise ValueError("a spider bug")
        if path.endswith("api.json"):
            for rec in json.loads(response.text):
                yield rec
        elif path.startswith("outlet/"):
            yield {"url": response.url, "html": response.text}
        else:
            yield {"url": response.url, "html": response.body}

    def closed(self, reason):
        with open(os.environ["WI_STATS"], "w") as fh:
            json.dump(self.crawler.stats.get_stats(), fh, default=str)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    _build_site(root)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _start(base: str, work: Path, state: Path | str, tag: str) -> tuple[Any, Path, Path]:
    spider = work / "site_spider.py"
    spider.write_text(SPIDER)
    items, stats = work / f"items-{tag}.jsonl", work / f"stats-{tag}.json"
    env = dict(
        os.environ,
        WI_BASE=base,
        WI_STATE=str(state),
        WI_ITEMS=str(items),
        WI_STATS=str(stats),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "runspider", str(spider)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, items, stats


def _finish(started: tuple[Any, Path, Path]) -> tuple[list[dict], dict, str]:
    proc, items, stats = started
    _, log = proc.communicate(timeout=120)
    assert proc.returncode == 0, log[-3000:]
    kept = [json.loads(line) for line in items.read_text().splitlines()] if items.exists() else []
    return kept, json.loads(stats.read_text()), log


def _crawl(base: str, work: Path, state: Path | str, tag: str) -> tuple[list[dict], dict, str]:
    return _finish(_start(base, work, state, tag))


def _story(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".html")


def test_crawl_keeps_each_story_once_and_drops_copies(site: str, tmp_path: Path) -> None:
    state = tmp_path / "dedup.sqlite"
    kept, stats, log = _crawl(site, tmp_path, state, "first")

    stories = [*STORIES, "xinhua_sample"]
    assert sorted(_story(it["url"]) for it in kept) == sorted(stories)
    assert all("/agency/" in it["url"] for it in kept)  # the first copy crawled is kept
    for it in kept:  # the item's own fields intact, plus the article with the JSON fields
        art = it["article"]
        assert art["url"] == it["url"]
        assert list(art)[:5] == ["id", "url", "source", "agency", "title"]
        assert art["body"] and art["title"]
        if "title" in it:  # an API record: its fields win over what the parsers find
            assert art["title"] == it["title"]
    copies = len(stories) + 2 * len(STORIES)
    assert stats["wireingest/emitted"] == len(stories)
    rejected = {
        k.removeprefix("wireingest/rejected/"): v
        for k, v in stats.items()
        if k.startswith("wireingest/rejected/")
    }
    assert sum(rejected.values()) == copies
    assert set(rejected) <= {"exact-duplicate", "near-duplicate", "contained"}
    assert stats["item_dropped_count"] == copies
    assert stats["item_scraped_count"] == len(stories)
    assert stats["spider_exceptions/ValueError"] == 1
    assert "Deprecat" not in log  # process_item(item, spider=None) suits Scrapy 2.14+
    dropped = [line for line in log.splitlines() if "Dropped: " in line]
    assert len(dropped) == copies
    kept_ids = {it["article"]["id"] for it in kept}
    for line in dropped:  # reason first, then the kept article it copies and the similarity
        msg = line.split("Dropped: ", 1)[1]
        reason, _, rest = msg.partition(" of ")
        assert reason in rejected, msg
        assert rest.split(" ")[0] in kept_ids, msg
        assert rest.split(" ")[1].startswith("(")

    # the state was committed although the crawl had an error: a second crawl drops everything
    kept2, stats2, _ = _crawl(site, tmp_path, state, "second")
    assert kept2 == []
    assert stats2.get("wireingest/emitted", 0) == 0
    assert stats2["item_dropped_count"] == len(stories) + copies


def test_disabled_pipeline_is_not_configured() -> None:
    crawler = get_crawler(settings_dict={"WIREINGEST_ENABLED": False})
    with pytest.raises(NotConfigured):
        WireingestPipeline.from_crawler(crawler)


def test_settings_reach_the_engine(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={
            "WIREINGEST_THRESHOLD": "0.9",
            "WIREINGEST_POLICY": "best",
            "WIREINGEST_WINDOW": "72h",
            "WIREINGEST_STATE": str(tmp_path / "s.sqlite"),
        }
    )
    pipe = WireingestPipeline.from_crawler(crawler)
    assert pipe.config.threshold == 0.9
    assert pipe.config.policy == "best"
    assert pipe.config.window == 72 * 3600
    assert pipe.state == str(tmp_path / "s.sqlite")
    with pytest.raises(ValueError, match="WIREINGEST_POLICY"):
        WireingestPipeline.from_crawler(get_crawler(settings_dict={"WIREINGEST_POLICY": "last"}))
    with pytest.raises(ValueError, match="WIREINGEST_WINDOW"):
        WireingestPipeline.from_crawler(get_crawler(settings_dict={"WIREINGEST_WINDOW": "soon"}))


def test_items_without_text_are_dropped_with_the_reason_and_counted() -> None:
    crawler = get_crawler()
    pipe = WireingestPipeline.from_crawler(crawler)
    pipe.open_spider()
    try:
        with pytest.raises(DropItem, match=r"^invalid: "):
            pipe.process_item({"title": "No body, no link"})
        # a title and a link without text is a headline-only article, as in JSON Lines: kept
        # (with an empty body and the flag), so the spider can fetch the page
        headline = pipe.process_item({"url": "https://example.com/a", "title": "No body"})
        assert headline["article"]["body"] == ""
        assert headline["article"]["extra"]["headline_only"] is True
        page = (HTML / "en_ap.html").read_bytes()
        item = pipe.process_item({"url": "https://example.com/b", "html": page, "x": 1})
        assert item["x"] == 1 and item["article"]["language"] == "en"
    finally:
        pipe.close_spider()
    assert crawler.stats.get_value("wireingest/rejected/invalid") == 1
    assert crawler.stats.get_value("wireingest/emitted") == 2


def test_item_class_without_article_field_gets_a_clear_error() -> None:
    class Page(scrapy.Item):
        url = scrapy.Field()
        html = scrapy.Field()

    pipe = WireingestPipeline()
    try:
        with pytest.raises(TypeError, match=r"article = scrapy\.Field"):
            pipe.process_item(Page(url="u", html=(HTML / "en_ap.html").read_text()))
    finally:
        pipe.close_spider()


def test_drop_message_puts_the_reason_first() -> None:
    r = Reject(reason="near-duplicate", message="m", duplicate_of="abc", similarity=0.9312)
    assert drop_message(r) == "near-duplicate of abc (0.93)"
    r = Reject(reason="contained", message="m", duplicate_of="abc", similarity=0.41)
    assert drop_message(r) == "contained in abc (0.41)"
    assert drop_message(Reject(reason="too-large", message="over")) == "too-large: over"


def test_two_crawlers_share_one_redis_index(
    site: str, tmp_path: Path, redis_server: RedisServer
) -> None:
    """Two crawls of the same site at once, WIREINGEST_STATE on one real redis-server: each
    story is kept once across both, every other copy is dropped by one or the other."""
    state = redis_server.state()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    started = [_start(site, tmp_path / d, state, d) for d in ("a", "b")]
    (kept_a, stats_a, _), (kept_b, stats_b, _) = (_finish(s) for s in started)
    stories = [*STORIES, "xinhua_sample"]
    assert sorted(_story(it["url"]) for it in kept_a + kept_b) == sorted(stories)
    assert stats_a.get("wireingest/emitted", 0) + stats_b.get("wireingest/emitted", 0) == 7
    pages = len(stories) + len(stories) + 2 * len(STORIES)  # agency, mirror, outlet, API
    assert stats_a["item_dropped_count"] + stats_b["item_dropped_count"] == 2 * pages - 7
