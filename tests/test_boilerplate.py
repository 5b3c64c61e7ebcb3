"""The learned per-source boilerplate model, on a synthetic agency site of 40 pages."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from wireingest._clean.boilerplate import MAGIC, BoilerplateModel

_VOCAB = [
    "government",
    "minister",
    "council",
    "economy",
    "growth",
    "market",
    "bank",
    "prices",
    "inflation",
    "energy",
    "gas",
    "oil",
    "election",
    "vote",
    "party",
    "coalition",
    "court",
    "judge",
    "ruling",
    "police",
    "border",
    "migrants",
    "summit",
    "talks",
    "climate",
    "drought",
    "harvest",
    "farmers",
    "exports",
    "factory",
    "workers",
    "strike",
    "union",
    "wages",
    "budget",
    "tax",
    "deficit",
    "debt",
    "bond",
    "investors",
    "shares",
    "company",
    "profit",
    "quarter",
    "forecast",
    "survey",
    "report",
    "region",
    "province",
    "capital",
    "city",
    "mayor",
    "hospital",
    "doctors",
    "vaccine",
    "outbreak",
    "school",
    "students",
    "teachers",
    "university",
    "research",
    "scientists",
    "satellite",
    "launch",
    "rocket",
    "station",
    "army",
    "troops",
    "ceasefire",
    "refugees",
    "aid",
    "agency",
    "charity",
    "storm",
    "flood",
    "rescue",
    "earthquake",
    "damage",
    "bridge",
    "railway",
    "airport",
    "airline",
    "flights",
    "tourism",
    "hotel",
    "festival",
    "film",
    "museum",
    "football",
    "league",
    "coach",
    "player",
    "match",
    "title",
    "season",
    "record",
    "fans",
    "stadium",
]
_GLUE = [
    "the",
    "a",
    "of",
    "in",
    "on",
    "for",
    "with",
    "after",
    "before",
    "said",
    "by",
    "as",
    "and",
    "to",
    "from",
    "at",
    "over",
    "under",
]


def _sentence(rng: random.Random, n: int) -> str:
    ws = [rng.choice(_VOCAB) if i % 3 != 1 else rng.choice(_GLUE) for i in range(n)]
    return " ".join(ws).capitalize() + "."


def _story(rng: random.Random, n_paras: int) -> list[str]:
    return [
        " ".join(_sentence(rng, rng.randint(9, 16)) for _ in range(rng.randint(2, 3)))
        for _ in range(n_paras)
    ]


@dataclass
class Page:
    paragraphs: list[str]
    story: list[str]  # the article paragraphs (everything else is boilerplate)


def synthetic_site(n_pages: int, *, seed: int = 7) -> list[Page]:
    """Pages of one invented French-language agency site ("agence.example").

    Every page: a dated banner with the page's own date and time, a breadcrumb, the story, a
    visit counter, a contact line, a social line in two variants (near-duplicates), and a
    copyright line with a varying year. Pages 20-22 are three versions of one story (crawl
    repeats with one paragraph changed); their story paragraphs must never be learned.
    """
    rng = random.Random(seed)
    pages: list[Page] = []
    repeated = _story(rng, 5)
    for i in range(n_pages):
        if 20 <= i <= 23:
            story = list(repeated)
            story[3] = _sentence(rng, 14)  # each version changes one paragraph
        else:
            story = _story(rng, rng.randint(3, 7))
        day, hour, minute = 1 + i % 28, rng.randint(0, 23), rng.randint(0, 59)
        header = [
            f"Agence.example | Publié le 2021-03-{day:02d} à {hour:02d}:{minute:02d}",
            "Accueil > Monde > Actualités",
        ]
        social = (
            "Suivez-nous sur Facebook, Twitter et Instagram pour ne rien manquer de l'actualité"
            if i % 2
            else "Suivez-nous sur Facebook, X et Instagram pour ne rien manquer de l'actualité"
        )
        footer = [
            f"Cet article a été lu {rng.randint(10, 99999)} fois",
            "Vous avez une question ? Écrivez à notre rédaction : redaction@agence.example",
            social,
            f"© {2015 + i % 8} Agence Example. Tous droits réservés. Reproduction interdite.",
        ]
        pages.append(Page(header + story + footer, story))
    return pages


def test_learns_site_furniture_and_keeps_every_story_paragraph() -> None:
    pages = synthetic_site(40)
    model = BoilerplateModel(min_pages=3)
    removed_boiler = total_boiler = 0
    for idx, page in enumerate(pages):
        out = model.strip("agence.example", page.paragraphs)
        model.learn("agence.example", page.paragraphs)
        # story paragraphs are never stripped, whatever the model has learned
        assert [p for p in out if p in page.story] == page.story
        if idx >= 5:  # after a few pages, all furniture is recognised
            assert out == page.story, idx
        boiler = [p for p in page.paragraphs if p not in page.story]
        total_boiler += len(boiler)
        removed_boiler += len([p for p in boiler if p not in out])
    assert model.boilerplate_count("agence.example") == 6
    assert removed_boiler / total_boiler > 0.85


def test_repeated_story_versions_are_not_learned_as_boilerplate() -> None:
    pages = synthetic_site(40)
    model = BoilerplateModel(min_pages=3)
    for page in pages[:23]:
        model.learn("agence.example", page.paragraphs)
    # page 23 is the fourth version of the story of pages 20-22
    out = model.strip("agence.example", pages[23].paragraphs)
    assert out == pages[23].story


def test_sources_are_separate() -> None:
    pages = synthetic_site(10)
    model = BoilerplateModel()
    for page in pages:
        model.learn("agence.example", page.paragraphs)
    assert model.strip("other.example", pages[9].paragraphs) == pages[9].paragraphs


def test_never_removes_the_whole_page() -> None:
    pages = synthetic_site(10)
    model = BoilerplateModel()
    for page in pages:
        model.learn("agence.example", page.paragraphs)
    furniture_only = [p for p in pages[9].paragraphs if p not in pages[9].story]
    assert model.strip("agence.example", furniture_only) == furniture_only


def test_below_min_pages_nothing_is_stripped() -> None:
    pages = synthetic_site(3)
    model = BoilerplateModel(min_pages=3)
    for page in pages[:2]:
        model.learn("agence.example", page.paragraphs)
    assert model.strip("agence.example", pages[2].paragraphs) == pages[2].paragraphs


def test_memory_is_bounded() -> None:
    pages = synthetic_site(200, seed=3)
    model = BoilerplateModel(min_pages=3, max_sources=4, max_lines_per_source=64)
    for page in pages:
        model.learn("agence.example", page.paragraphs)
    assert model.line_count("agence.example") <= 64
    assert model.strip("agence.example", pages[-1].paragraphs) == pages[-1].story
    for k in range(10):
        model.learn(f"site{k}.example", ["A line", "Another line here"])
    assert len(model) == 4
    assert "agence.example" not in model.sources()  # least recently used went first


def test_round_trip_and_versioning() -> None:
    pages = synthetic_site(12)
    model = BoilerplateModel(min_pages=3)
    for page in pages[:11]:
        model.learn("agence.example", page.paragraphs)
    data = model.to_bytes()
    assert data.startswith(MAGIC)
    again = BoilerplateModel.from_bytes(data)
    assert again.strip("agence.example", pages[11].paragraphs) == pages[11].story
    assert again.to_bytes() == data
    with pytest.raises(ValueError, match="magic"):
        BoilerplateModel.from_bytes(b"nonsense")
    with pytest.raises(ValueError, match="format 9"):
        BoilerplateModel.from_bytes(MAGIC + bytes([9]) + data[len(MAGIC) + 1 :])
    with pytest.raises(ValueError, match="corrupt"):
        BoilerplateModel.from_bytes(MAGIC + bytes([1]) + b"\x00garbage")
    for cut in (len(data) - 1, len(data) - 700, len(MAGIC) + 3):
        with pytest.raises(ValueError, match="corrupt"):
            BoilerplateModel.from_bytes(data[:cut])


def test_a_format_1_model_from_an_earlier_version_still_loads() -> None:
    # tests/data/boilerplate/README.md: written by the JSON-format code after the same pages
    old = (Path(__file__).parent / "data" / "boilerplate" / "model-format1.bin").read_bytes()
    assert old.startswith(MAGIC + bytes([1]))
    pages = synthetic_site(12)
    model = BoilerplateModel.from_bytes(old)
    assert model.strip("agence.example", pages[11].paragraphs) == pages[11].story
    fresh = BoilerplateModel(min_pages=3)
    for page in pages[:11]:
        fresh.learn("agence.example", page.paragraphs)
    # the same lines and counts (format 1 knew no footer places: its lines count as footers)
    assert model.line_count("agence.example") == fresh.line_count("agence.example")
    assert model.boilerplate_count("agence.example") == fresh.boilerplate_count("agence.example")
    for page in pages:
        assert model.strip("agence.example", page.paragraphs) == fresh.strip(
            "agence.example", page.paragraphs
        )
    again = BoilerplateModel.from_bytes(model.to_bytes())  # now in the current format
    assert again.to_bytes() == model.to_bytes()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        BoilerplateModel(min_pages=1)
    with pytest.raises(ValueError):
        BoilerplateModel(max_lines_per_source=2)


def test_state_does_not_depend_on_the_process_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = (
        "from wireingest._clean.boilerplate import BoilerplateModel\n"
        "import sys\n"
        "m = BoilerplateModel()\n"
        "m.learn('s', ['Publié le 2021-03-01 à 10:00', 'Suivez-nous sur Facebook et X',"
        " 'Une phrase de l article avec assez de mots pour compter ici.'])\n"
        "sys.stdout.write(m.to_bytes().hex())\n"
    )
    outs = set()
    for seed in ("1", "2"):
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
        res = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outs.add(res.stdout)
    assert len(outs) == 1


def test_near_matching_footer_with_a_changed_word() -> None:
    pages = synthetic_site(12)
    model = BoilerplateModel(min_pages=3)
    for page in pages[:10]:
        model.learn("agence.example", page.paragraphs)
    reworded = "Vous avez une question ? Écrivez à toute notre rédaction : redaction@agence.example"
    paras = [*pages[10].story, reworded]
    assert model.strip("agence.example", paras) == pages[10].story
    # an unrelated short line of the same length is not taken for the footer
    other = "Le ministre a répondu à une question du journal sur la réforme des retraites"
    assert model.strip("agence.example", [*pages[11].story, other]) == [
        *pages[11].story,
        other,
    ]


def test_page_features_are_the_persisted_minhash_scheme() -> None:
    # The model computes a page's signatures and band keys in one batch (with an ASCII fast
    # path for the tokens); they must stay those of the scheme that saved states carry.
    from wireingest._clean._minhash import shingles, signatures, words
    from wireingest._clean.boilerplate import NUM_PERM, SEED, _band_keys, figures

    page = [
        *synthetic_site(1)[0].paragraphs,
        "Publié le 2019-12-28 à 15:03 — « Lire aussi » : l’article sur l’économie",
        "Straße, Ölpreis und 12 000 Fässer: die Förderung steigt um 3,5 %",
        "8,200",
        "Two words",
        "one two three",
    ]
    feats = BoilerplateModel()._features(page)
    for p, f in zip(page, feats, strict=True):
        toks = words(p, mask_digits=True)
        alpha = sum(1 for w in toks if not w.isdigit())
        if len(toks) > 80 or alpha == 0 or (alpha == 1 and len(toks) > 1):
            assert f is None
            continue
        assert f is not None and f[2] == len(toks)
        if len(toks) < 3 or figures(p) is not None:  # figure lines match exactly only
            assert f[1] is None and f[3] is None
            continue
        sig = signatures([shingles(toks)], num_perm=NUM_PERM, seed=SEED)[0].tobytes()
        assert f[1] == sig
        assert f[3] == tuple(_band_keys(sig))


def test_prose_is_furniture_only_in_a_footer_place() -> None:
    # a newsletter sentence after every story is learned; a story's lede that other pages
    # quote (in front of their own text, or all known) never is
    rng = random.Random(5)
    footer = "Sign up for our daily newsletter to get the latest news in your inbox."
    model = BoilerplateModel(min_pages=3)
    ledes = [_sentence(rng, 16) for _ in range(6)]
    for i in range(6):
        story = [ledes[i], *(_sentence(rng, 30) for _ in range(3))]
        page = [*story, footer, "Accueil > Monde"]
        out = model.strip("site.example", page)
        model.learn("site.example", page)
        if i >= 4:  # (on the first page the footer is new text: places count from the second)
            assert out == story, i
    for k in range(4):  # roundups: ledes of the stories above, one new lede each
        page = [ledes[k], ledes[k + 1], ledes[k + 2], _sentence(rng, 18), "Accueil > Monde"]
        out = model.strip("site.example", page)
        model.learn("site.example", page)
        assert out == page[:4], k
    assert model.is_boilerplate("site.example", footer)
    assert not model.is_boilerplate("site.example", ledes[2])
