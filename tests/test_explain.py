"""``wireingest explain A B``: inputs, what cleaning stripped, the engine's numbers and decisions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from wireingest._explain import InputError, load

SEED = f"{SAMPLE}/01-xinhua-seed.txt"
PAGE = f"{SAMPLE}/02-xinhua-page.html"
REPUBLISHED = f"{SAMPLE}/03-republished.jsonl"
FEED = f"{SAMPLE}/04-wire-feed.xml"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wireingest", "explain", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


# -- inputs ------------------------------------------------------------------------------------


def test_inputs_are_read_as_run_reads_them() -> None:
    seed = load(SEED)
    assert seed.article.format == "text" and len(seed.article.paragraphs) == 5
    why = [w for w, _ in seed.removed]
    # the page dump holds the article twice, a contact line, a dated banner and a tracking ID
    assert why.count("repeat of a kept paragraph") == 5
    assert "tracking ID" in why
    assert any(t.startswith("Vous avez une question") for _, t in seed.removed)
    rec = load(f"{REPUBLISHED}:1")
    assert rec.article.id == "example-afrique-20191228-onu-cyber"
    assert load(REPUBLISHED).article.id == rec.article.id  # one record: no :LINE needed
    teaser = load(f"{FEED}:1")
    assert teaser.article.id == "wire-monitor-20191228-0001"
    assert load(f"{FEED}:2").article.id != teaser.article.id


def test_jsonl_line_numbers_are_physical_lines(tmp_path: Path) -> None:
    body = "Paragraph one of a story about ports.\n\nParagraph two, with more words in it."
    recs = [{"id": "x1", "title": "One", "body": body}, {"id": "x2", "title": "Two", "body": body}]
    f = tmp_path / "two.jsonl"
    f.write_text(json.dumps(recs[0]) + "\n\n" + json.dumps(recs[1]) + "\n")
    assert load(f"{f}:3").article.id == "x2"
    with pytest.raises(InputError, match="line 2 .* is blank"):
        load(f"{f}:2")
    with pytest.raises(InputError, match="JSON Lines file of 2 records; name one"):
        load(str(f))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nope.txt", "no such file"),
        (str(SAMPLE), "not a file"),
        (FEED, "holds 2 articles; name one"),
        (f"{FEED}:3", "holds 2 article"),
        (f"{SEED}:0", "start at 1"),
    ],
)
def test_bad_inputs_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load(spec)


def test_rejected_input_says_why(tmp_path: Path) -> None:
    f = tmp_path / "empty.jsonl"
    f.write_text('{"id": "e", "title": "no text"}\n')
    with pytest.raises(InputError, match="rejected before dedup: invalid"):
        load(str(f))
    p = _cli(str(f), SEED)
    assert p.returncode == 2 and "rejected before dedup" in p.stderr and not p.stdout
