"""The library API a scraper uses: push one document at a time, or stream lazily."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from conftest import SAMPLE, SEED

from wireingest import Article, Document, Pipeline, Reject, iter_documents, parse


def test_push_returns_article_then_duplicate_with_pointer() -> None:
    with Pipeline() as p:
        (first,) = p.push(
            SEED.read_bytes(), url="http://french.xinhuanet.com/2019-12/28/c_138663208.htm"
        )
        assert isinstance(first, Article)
        (again,) = p.push(
            SEED.read_bytes(), url="http://french.xinhuanet.com/2019-12/28/c_138663208.htm"
        )
        assert isinstance(again, Reject)
        assert again.reason == "exact-duplicate"
        assert again.duplicate_of == first.id and again.similarity == 1.0
        assert p.stats.inputs == 2 and p.stats.emitted == 1 and p.stats.rejected == 1


def test_push_accepts_str_and_content_type() -> None:
    html = (SAMPLE / "02-xinhua-page.html").read_text(encoding="utf-8")
    (art,) = parse(
        html, content_type="text/html; charset=utf-8", url="http://french.xinhuanet.com/x.htm"
    )
    assert isinstance(art, Article)
    assert (
        art.title
        == "L'AG de l'ONU entend rédiger une convention sur la lutte contre la cybercriminalité"
    )
    assert len(art.paragraphs) == 5
    assert "cookies" not in art.body and "Articles connexes" not in art.body


def test_process_is_lazy() -> None:
    seen: list[int] = []

    def docs() -> Iterator[Document]:
        for i in range(1000):
            seen.append(i)
            body = f"Story number {i} about the harbour strike in city {i} and its {i * 7} workers."
            yield Document(json.dumps({"id": f"s{i}", "title": f"T{i}", "body": body}).encode())

    with Pipeline(batch_size=4) as p:
        stream = p.process(docs())
        first = next(stream)
        assert isinstance(first, Article) and first.id == "s0"
        assert len(seen) < 20


def test_every_input_is_emitted_or_rejected() -> None:
    records = [
        {
            "id": "x1",
            "title": "Harbour strike ends",
            "body": "Dock workers in the port returned to work on Tuesday after a week-long strike over pay.",
        },
        {
            "id": "x2",
            "title": "Harbour strike ends",
            "body": "Dock workers in the port returned to work on Tuesday after a week-long strike over pay.",
        },
        {"id": "x3", "title": "No body"},
        {
            "id": "x4",
            "title": "Rain",
            "body": "Heavy rain flooded roads in the north of the country, officials said on Wednesday.",
        },
    ]
    data = "\n".join(json.dumps(r) for r in records).encode() + b"\n[]\n"
    with Pipeline() as p:
        out = list(p.process(iter_documents(["-"], stdin=io.BytesIO(data))))
    assert len(out) == 5 == p.stats.inputs
    assert p.stats.emitted + p.stats.rejected == p.stats.inputs
    kinds = [(r.id, type(r).__name__, getattr(r, "reason", None)) for r in out]
    assert kinds[:4] == [
        ("x1", "Article", None),
        ("x2", "Reject", "exact-duplicate"),
        ("x3", "Reject", "invalid"),
        ("x4", "Article", None),
    ]
    assert kinds[4][1:] == ("Reject", "invalid")


def test_record_id_is_kept_and_fields_override() -> None:
    rec = {
        "id": "wire-123",
        "url": "https://apnews.com/article/abc",
        "title": "UPDATE 2-Storm hits coast",
        "body": "WASHINGTON (AP) — A storm hit the coast on Monday.\n\nThousands lost power.",
        "published": "2024-03-05T10:00:00-05:00",
        "authors": ["Jane Doe", "John Roe"],
        "language": "en-US",
    }
    (art,) = parse(json.dumps(rec))
    assert isinstance(art, Article)
    assert art.id == "wire-123"
    assert art.published == "2024-03-05T15:00:00Z"
    assert art.language == "en"
    assert art.authors == ("Jane Doe", "John Roe")
    assert art.paragraphs == [
        "WASHINGTON (AP) — A storm hit the coast on Monday.",
        "Thousands lost power.",
    ]
    assert art.title == "Storm hits coast" and art.version == "UPDATE 2"
    assert art.agency == "ap" and art.source == "apnews.com"


def test_oversized_input_is_rejected() -> None:
    p = Pipeline(dedup=False, max_bytes=1000)
    (r,) = p.push(b"word " * 1000)
    assert isinstance(r, Reject) and r.reason == "too-large"


