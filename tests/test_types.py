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
