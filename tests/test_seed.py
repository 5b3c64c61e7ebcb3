"""The page this project exists for, cleaned end to end (golden output reviewed by hand)."""

from __future__ import annotations

import json

from conftest import DATA, SEED

from wireingest import Article, parse

EXPECTED = json.loads((DATA / "golden" / "seed.expected.json").read_text(encoding="utf-8"))


def _seed_article() -> Article:
    results = parse(SEED.read_bytes())
    assert len(results) == 1, results
    art = results[0]
    assert isinstance(art, Article), art
    return art


def test_seed_matches_golden() -> None:
    got = _seed_article().to_dict()
    for key, value in EXPECTED.items():
        assert got[key] == value, key


def test_seed_body_has_each_paragraph_once_and_no_junk() -> None:
    art = _seed_article()
    assert len(art.paragraphs) == 5
    assert len(set(art.paragraphs)) == 5
    assert "Vous avez une question" not in art.body
    assert "0100200707700000000000000111992313866320812" not in art.body
    assert "xinhuanet.com" not in art.body.lower()
    assert "Publié le" not in art.body
    assert art.title is not None and art.title not in art.body


def test_seed_id_is_stable_and_json_line_round_trips() -> None:
    a, b = _seed_article(), _seed_article()
    assert a.id == b.id and len(a.id) >= 16
    line = a.to_json()
    assert "\n" not in line
    assert json.loads(line)["id"] == a.id


def test_seed_with_url_uses_its_host() -> None:
    url = "http://french.xinhuanet.com/2019-12/28/c_138663208.htm"
    (art,) = parse(SEED.read_bytes(), url=url)
    assert isinstance(art, Article)
    assert art.url == url
    assert art.source == "french.xinhuanet.com"
    assert art.published == "2019-12-28T07:03:00Z"
