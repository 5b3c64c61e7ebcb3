"""One site host for every parser and for finishing (issue #9: one host_of)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest import Article, Pipeline
from wireingest._meta.host import host_of


def _norm(h: str | None) -> str | None:
    if not h:
        return None
    h = h.lower().rstrip(".")
    h = h[4:] if h.startswith("www.") else h
    return h or None


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTPS", "ftp"]),
    st.text(alphabet=st.sampled_from(list("aZ09.-_@:[]% \tw")), max_size=12),
    st.sampled_from(["", "/", "/news/1?x=2", "?q", "#f", ":8080/x", "\\\\x", " y"]),
)
def test_host_of_a_url_is_urlsplit_hostname_normalised(scheme: str, host: str, rest: str) -> None:
    url = f"{scheme}://{host}{rest}"
    try:
        expected = _norm(urlsplit(url.strip()).hostname)
    except ValueError:
        expected = None
    assert host_of(url) == expected


def test_host_forms_of_one_site_agree() -> None:
    forms = ["https://www.Reuters.com/world/x", "http://reuters.com:80", "www.reuters.com",
             "REUTERS.COM.", "//www.reuters.com/a", "reuters.com:8080"]  # fmt: skip
    assert {host_of(f) for f in forms} == {"reuters.com"}
    assert host_of("www2.bbc.co.uk") == "www2.bbc.co.uk"  # another label: maybe another site
    assert host_of("/news/1") is None and host_of("news/1") is None  # relative URLs
    assert host_of("") is None and host_of(None) is None and host_of(3) is None
    assert host_of("Associated Press") is None and host_of("urn:newsml:x.org:1") is None


def test_url_only_and_source_records_get_one_source() -> None:
    body = "Markets rose on Tuesday after the central bank held rates. " * 5
    rec_url = {"id": "a", "url": "https://www.reuters.com/markets/x", "title": "T", "body": body}
    rec_src = {**rec_url, "id": "b", "source": "reuters.com"}
    rec_www = {**rec_url, "id": "c", "source": "https://www.reuters.com"}
    p = Pipeline(dedup=False)
    out = [
        p.push(json.dumps(r), content_type="application/json")[0]
        for r in (rec_url, rec_src, rec_www)
    ]
    assert all(isinstance(a, Article) for a in out)
    assert {a.source for a in out if isinstance(a, Article)} == {"reuters.com"}
    named = {**rec_url, "id": "d", "source": "Associated Press"}
    (a,) = p.push(json.dumps(named), content_type="application/json")
    assert isinstance(a, Article) and a.source == "associated press"
