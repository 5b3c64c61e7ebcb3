"""Article.to_json's fast body encoding gives exactly json.dumps of to_dict()."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest import Article


@settings(max_examples=400, deadline=None)
@given(
    body=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list('"\\\n\t\x00\x1f\x7f\x85\u2028\ud800é'))),
    title=st.none() | st.text(max_size=20),
)
def test_to_json_equals_json_dumps_of_to_dict(body: str, title: str | None) -> None:
    art = Article(id="a1", body=body, title=title, authors=("Zoé",), extra={"k": [1, "é"]})
    expected = json.dumps(art.to_dict(), ensure_ascii=False, separators=(",", ":"), default=str)
    assert art.to_json() == expected
    assert json.loads(art.to_json())["body"] == body


def test_every_code_point_is_written_as_the_json_module_writes_it() -> None:
    """The fast string encoder (orjson) against the standard library's, code point by code
    point (lone surrogates, which orjson refuses, go to the standard library's path)."""
    from wireingest import types

    assert types._orjson is not None  # a base dependency: the fast path is the one tested here
    expected = json.encoder.encode_basestring
    for c in range(0x110000):
        s = chr(c)
        assert types._json_string(s) == expected(s), hex(c)
    mixed = 'q"uote\\back\nline\ttab\x01\x7f\u2028 é £ 😀 \ud800 end'
    assert types._json_string(mixed) == expected(mixed)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "\\\n\t\x00\x1f\x7f\x85\u2028é£😀\ud800'))))
def test_the_standard_library_path_writes_the_same_text(s: str) -> None:
    """Without orjson (a platform without its wheel) the other fast paths give the same."""
    from wireingest import types

    saved, types._orjson = types._orjson, None
    try:
        assert types._json_string(s) == json.encoder.encode_basestring(s)
    finally:
        types._orjson = saved
