"""Reading inputs: text dumps, JSON shapes, gzip, decoding errors, streaming JSON Lines."""

from __future__ import annotations

import gzip
import io
import json
import re
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest import Article, Document, Reject, iter_documents, parse
from wireingest._formats._decode import tidy_text
from wireingest._formats.jsonrec import _fold_spaces, parse_line
from wireingest._formats.text import split_paragraphs


def test_hard_wrapped_dump_is_rejoined() -> None:
    text = (
        "Strike at the port\n\n"
        "Dock workers at the city's main port walked out on Monday in a dispute over\n"
        "pay and shift patterns, union officials said, halting container traffic for\n"
        "the first time in a decade.\n\n"
        "The port authority said talks would resume on Wednesday.\n"
    )
    paras = split_paragraphs(text)
    assert paras[0] == "Strike at the port"
    assert paras[1].startswith("Dock workers") and paras[1].endswith("in a decade.")
    assert paras[2] == "The port authority said talks would resume on Wednesday."


def test_gzip_payload_is_unwrapped() -> None:
    rec = {
        "id": "g1",
        "title": "Gz",
        "body": "A compressed record about grain exports from the port of Odesa.",
    }
    (art,) = parse(gzip.compress(json.dumps(rec).encode()))
    assert isinstance(art, Article) and art.id == "g1"


def test_corrupt_gzip_and_invalid_utf8_are_rejected() -> None:
    (r,) = parse(b"\x1f\x8b\x08\x00garbage")
    assert isinstance(r, Reject) and r.reason == "invalid" and "gzip" in r.message
    (r2,) = parse("Grève à Marseille\n\nLes dockers ont cessé le travail.".encode("cp1252"))
    assert isinstance(r2, Reject) and r2.reason == "invalid" and "utf-8" in r2.message


def test_declared_charset_is_used_for_text() -> None:
    data = "Grève à Marseille\n\nLes dockers ont cessé le travail lundi matin.".encode("cp1252")
    (art,) = parse(data, content_type="text/plain; charset=windows-1252")
    assert isinstance(art, Article)
    assert art.title == "Grève à Marseille"


def test_json_array_and_non_object_items() -> None:
    data = json.dumps(
        [
            {"id": "j1", "body": "First story about the harvest in the south of the country."},
            "oops",
            {
                "id": "j2",
                "body": "Second story about a bridge that reopened after two years of repairs.",
            },
        ]
    )
    out = parse(data)
    assert [type(r).__name__ for r in out] == ["Article", "Reject", "Article"]
    assert isinstance(out[1], Reject) and "not an object" in out[1].message


def test_jsonl_file_is_streamed_line_by_line(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(
        "\n".join(json.dumps({"id": f"r{i}", "body": f"Body {i} text."}) for i in range(5)) + "\n"
    )
    docs = list(iter_documents([f]))
    assert len(docs) == 5
    assert all(isinstance(d, Document) for d in docs)
    assert [d.origin for d in docs if isinstance(d, Document)] == [f"{f}:{i}" for i in range(1, 6)]


def test_stdin_single_page_is_one_document() -> None:
    docs = list(iter_documents(["-"], stdin=io.BytesIO(b"Title\n\nOne paragraph of text here.")))
    assert len(docs) == 1 and isinstance(docs[0], Document) and docs[0].origin == "<stdin>"


def test_text_field_record_goes_through_page_dump_parser() -> None:
    dump = "Harbour strike ends\n\nPublished 2024-03-05 10:00\n\nDock workers returned to work on Tuesday after a long strike."
    (art,) = parse(json.dumps({"id": "t1", "text": dump}))
    assert isinstance(art, Article)
    assert art.title == "Harbour strike ends"
    assert art.body == "Dock workers returned to work on Tuesday after a long strike."
    assert art.published == "2024-03-05T10:00:00Z"


_CONTROL = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ab é£\u00a0\u2003\t\n\r\u3000\u200b\ufeff\u0301e\u00c2" + _CONTROL)
        )
    )
)
def test_tidy_text_fast_paths_match_the_regex_definition(text: str) -> None:
    expected = re.sub(
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text.replace("\r\n", "\n").replace("\r", "\n")
    )
    for src, dst in (
        ("\u00a0", " "),
        ("\u2009", " "),
        ("\u202f", " "),
        ("\u200b", ""),
        ("\ufeff", ""),
    ):
        expected = expected.replace(src, dst)
    assert tidy_text(text) == unicodedata.normalize("NFC", expected)


def test_json_line_with_a_byte_order_mark() -> None:
    rec = {"id": "bom-1", "title": "Port reopens", "body": "The port reopened on Monday."}
    line = json.dumps(rec).encode()
    (draft,) = parse_line(b"\xef\xbb\xbf" + line)
    assert draft.id == "bom-1" and draft.title == "Port reopens"
    # a bad byte is reported at its offset in the line, the mark included
    (bad,) = parse_line(b"\xef\xbb\xbf" + line[:-1] + b"\xff}")
    assert isinstance(bad, Reject) and bad.reason == "invalid"
    assert f"byte {3 + len(line) - 1} of the line" in bad.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é \u00a0\u2003\t\n\x0b\x0c\x1c\x85\u3000"))))
def test_space_folding_fast_path_matches_split_join(chunk: str) -> None:
    assert _fold_spaces(chunk) == " ".join(chunk.split())


_BODY_WORD = st.sampled_from(["a", "bé", "c.", "\u200bd", "e\x1c", "", "f\u00a0g"])
_BODY_GAP = st.sampled_from(
    [" ", " ", " ", "\n\n", "\n", "  ", "\n\n\n", "\n\n\n\n", " \n", "\n ", "\t", "\u3000"]
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_BODY_WORD, _BODY_GAP), max_size=12).map(
        lambda parts: "".join(w + g for w, g in parts)
    ),
    st.sampled_from(["", " ", "\n"]),
)
def test_record_body_fast_path_matches_the_definition(body: str, edge: str) -> None:
    body = edge + body.rstrip() if edge else body.rstrip()
    from wireingest._clean.junk import normalise_paragraph
    from wireingest._formats.jsonrec import _body_paragraphs

    text = tidy_text(body)
    if "\n\n" in text or "\n \n" in text:
        chunks = text.replace("\n \n", "\n\n").split("\n\n")
    else:
        chunks = text.split("\n")
    expected = [q for q in (" ".join(c.split()) for c in chunks) if q]
    paras, normalised = _body_paragraphs(body)
    assert paras == expected
    if normalised:
        assert all(p and normalise_paragraph(p) == p for p in paras)
