"""Per-article cost of the finisher and of the cleaning and metadata steps it runs.

Groups (pytest-benchmark), each over the same BBC stories (the copy in
``tests/data/dedup/bbc``: first line the title, the rest the body split into paragraphs the
way the JSON Lines parser splits a ``body`` field):

* ``clean``: :func:`wireingest._clean.clean_paragraphs` on a trusted body;
* ``boilerplate``: :meth:`BoilerplateModel.strip` then ``learn`` for every story, all under
  one host (a fresh model per round, so the model fills up as in a run);
* ``language``: :func:`wireingest._meta.language.detect_language` on title and body;
* ``meta``: :func:`parse_dateline` on the first paragraph and :func:`split_version` on the
  title;
* ``finish``: :func:`wireingest._finish.finish` on a :class:`Draft` per story, with a
  boilerplate model (what ``wireingest run`` does per article after parsing).

Run from the repository root::

    pytest benchmarks/bench_clean.py --benchmark-enable --benchmark-group-by=group \\
        --benchmark-columns=min,median,mean,rounds

With ``-s`` the last test prints microseconds per article and articles/s per group. Under
the default ``--benchmark-disable`` every benchmark runs once on 30 stories as a smoke test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wireingest._clean import clean_paragraphs
from wireingest._clean.boilerplate import BoilerplateModel
from wireingest._draft import Draft
from wireingest._finish import finish
from wireingest._formats.jsonrec import _body_paragraphs
from wireingest._meta.dateline import parse_dateline
from wireingest._meta.language import detect_language
from wireingest._meta.version import split_version
from wireingest.types import Article

BBC = Path(__file__).resolve().parent.parent / "tests" / "data" / "dedup" / "bbc"
HOST = "news.example.com"

Story = tuple[str, list[str]]


@pytest.fixture(scope="module")
def stories(request: pytest.FixtureRequest) -> list[Story]:
    files = sorted(BBC.glob("*/*.txt"))
    if not files:
        pytest.skip("tests/data/dedup/bbc is missing")
    opt = request.config.getoption
    # pytest-benchmark's own rule: --benchmark-enable wins over --benchmark-disable
    if opt("benchmark_disable", default=False) and not opt("benchmark_enable", default=False):
        files = files[:30]
    out: list[Story] = []
    for f in files:
        title, _, body = f.read_bytes().decode("utf-8", "replace").partition("\n")
        out.append((title.strip(), _body_paragraphs(body.strip())[0]))
    return out


def _run(benchmark: Any, group: str, n: int, fn: Callable[[], Any]) -> Any:
    benchmark.extra_info["articles"] = n
    result = benchmark(fn)
    stats = getattr(benchmark, "stats", None)
    best = getattr(getattr(stats, "stats", stats), "min", None)
    if best is not None:
        PER_ARTICLE[group] = float(best) / n
    return result


#: group -> best seconds per article of this session (printed by the last test)
PER_ARTICLE: dict[str, float] = {}


@pytest.mark.benchmark(group="clean")
def test_clean_paragraphs(benchmark: Any, stories: list[Story]) -> None:
    def run() -> list[list[str]]:
        return [clean_paragraphs(list(ps), title=t, trusted=True) for t, ps in stories]

    out = _run(benchmark, "clean", len(stories), run)
    # BBC bodies carry no junk and no repeats: every paragraph is kept
    assert out == [ps for _, ps in stories]


@pytest.mark.benchmark(group="boilerplate")
def test_boilerplate_strip_learn(benchmark: Any, stories: list[Story]) -> None:
    def run() -> int:
        model = BoilerplateModel()
        kept = 0
        for _, ps in stories:
            kept += len(model.strip(HOST, ps))
            model.learn(HOST, ps)
        return kept

    kept = _run(benchmark, "boilerplate", len(stories), run)
    assert kept == sum(len(ps) for _, ps in stories)  # distinct stories share no furniture


@pytest.mark.benchmark(group="language")
def test_detect_language(benchmark: Any, stories: list[Story]) -> None:
    texts = [f"{t}\n" + "\n\n".join(ps) for t, ps in stories]

    def run() -> list[str | None]:
        return [detect_language(x) for x in texts]

    assert set(_run(benchmark, "language", len(stories), run)) == {"en"}


@pytest.mark.benchmark(group="meta")
def test_dateline_and_version(benchmark: Any, stories: list[Story]) -> None:
    def run() -> int:
        found = 0
        for t, ps in stories:
            found += parse_dateline(ps[0]) is not None
            found += split_version(t)[1] is not None
        return found

    assert _run(benchmark, "meta", len(stories), run) == 0  # BBC copy has neither


@pytest.mark.benchmark(group="finish")
def test_finish(benchmark: Any, stories: list[Story]) -> None:
    def run() -> list[Any]:
        model = BoilerplateModel()
        return [
            finish(
                Draft(
                    paragraphs=list(ps),
                    format="json",
                    title=t,
                    id=f"bbc-{i}",
                    url=f"https://{HOST}/{i}",
                    trusted_body=True,
                ),
                boilerplate=model,
            )
            for i, (t, ps) in enumerate(stories)
        ]

    out = _run(benchmark, "finish", len(stories), run)
    assert all(isinstance(a, Article) and a.language == "en" for a in out)


def test_per_article_summary() -> None:
    """Print the per-article figures (run last; nothing to print when benchmarks are off)."""
    for group, sec in PER_ARTICLE.items():
        print(f"{group:<12} {sec * 1e6:9.1f} us/article {1 / sec:10.0f} articles/s")
