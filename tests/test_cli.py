"""The command line, run as a real subprocess: JSON Lines out, rejects to a side file, tally."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE, SEED


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wireingest", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )


def lines(data: bytes) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in data.decode("utf-8").splitlines() if ln.strip()]


def test_parse_seed_prints_one_article() -> None:
    p = run_cli("parse", str(SEED))
    assert p.returncode == 0, p.stderr
    (art,) = lines(p.stdout)
    assert (
        art["title"]
        == "L'AG de l'ONU entend rédiger une convention sur la lutte contre la cybercriminalité"
    )
    assert art["language"] == "fr" and art["agency"] == "xinhua"
    assert art["source"] == "french.xinhuanet.com"
    assert art["published"] == "2019-12-28T07:03:00Z"
    assert str(art["dateline"]).startswith("NEW YORK")
    assert b"1 inputs: 1 emitted, 0 rejected" in p.stderr


def test_run_sample_emits_once_and_rejects_copies_with_pointer(tmp_path: Path) -> None:
    rej = tmp_path / "rejects.jsonl"
    p = run_cli(
        "run",
        str(SEED),
        str(SAMPLE / "02-xinhua-page.html"),
        str(SAMPLE / "03-republished.jsonl"),
        "--rejects",
        str(rej),
    )
    assert p.returncode == 0, p.stderr
    (art,) = lines(p.stdout)
    rejects = lines(rej.read_bytes())
    assert len(rejects) == 2
    for r in rejects:
        assert r["duplicate_of"] == art["id"]
        assert r["reason"] in ("exact-duplicate", "near-duplicate")
        assert isinstance(r["similarity"], float) and 0.5 < r["similarity"] <= 1.0
        assert r["origin"]
    by_id = {r["id"]: r for r in rejects}
    near = by_id["example-afrique-20191228-onu-cyber"]
    assert near["reason"] == "near-duplicate" and near["similarity"] < 1.0
    assert b"3 inputs: 1 emitted, 2 rejected" in p.stderr


def test_directory_input_and_stdin_default() -> None:
    p = run_cli("run", str(SAMPLE))
    assert p.returncode == 0, p.stderr
    # the Xinhua story once (its page, republication and feed teaser are rejected) + one other story
    arts = lines(p.stdout)
    assert [a["id"] for a in arts][1:] == ["wire-monitor-20191228-0002"]
    assert arts[0]["title"].startswith("L'AG de l'ONU") and arts[0]["format"] == "text"
    assert b"5 inputs: 2 emitted, 3 rejected (contained 1, exact-duplicate 1, near-duplicate 1)" in p.stderr
    p2 = run_cli("parse", stdin=SEED.read_bytes())
    assert p2.returncode == 0, p2.stderr
    (art,) = lines(p2.stdout)
    assert art["agency"] == "xinhua"


def test_bad_inputs_are_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "empty.txt").write_bytes(b"")
    (inp / "junk.bin").write_bytes(bytes(range(256)) * 8)
    (inp / "latin1.txt").write_bytes(
        "Titre\n\nLe prix a augmenté de 3 % à Paris.".encode("latin-1")
    )
    (inp / "records.jsonl").write_text(
        '{"id": "a1", "title": "Oil rises", "body": "Oil prices rose on Monday in London trading."}\n'
        "[1, 2, 3]\n"
        "not json at all\n"
        '{"id": "a2", "title": "Nothing here"}\n',
        encoding="utf-8",
    )
    (inp / "blank.html").write_text(
        "<html><body><div> </div><script>x=1</script></body></html>"
    )
    rej = tmp_path / "rej.jsonl"
    p = run_cli("run", str(inp), "--rejects", str(rej))
    assert p.returncode == 0, p.stderr
    assert b"Traceback" not in p.stderr
    emitted = lines(p.stdout)
    rejects = lines(rej.read_bytes())
    assert [a["id"] for a in emitted] == ["a1"]
    assert all(r["reason"] == "invalid" and r["message"] for r in rejects)
    origins = sorted(str(r["origin"]) for r in rejects)
    assert len(rejects) == 7, rejects
    assert any(o.endswith("records.jsonl:2") for o in origins)
    assert any(o.endswith("records.jsonl:3") for o in origins)
    assert any(o.endswith("empty.txt") for o in origins)
    assert any(o.endswith("latin1.txt") for o in origins)
    assert b"8 inputs: 1 emitted, 7 rejected (invalid 7)" in p.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli().returncode == 2
    assert run_cli("run", str(tmp_path / "missing.txt")).returncode == 2
    p = run_cli("run", "--threshold", "1.5", str(SEED))
    assert p.returncode == 2 and b"threshold" in p.stderr
    assert run_cli("run", "--window", "soon", str(SEED)).returncode == 2


def test_window_and_best_policy_from_the_command_line(tmp_path: Path) -> None:
    body = (
        "Dock workers at the port of Antwerp walked out on Monday in a dispute over pay and shift "
        "patterns, halting container traffic for the first time in a decade, union officials said.\n\n"
        "The port authority said talks with the unions would resume on Wednesday in Brussels."
    )
    recs = [
        {"id": "old", "title": "Port strike", "body": body, "published": "2024-03-01T08:00:00Z"},
        {"id": "new", "title": "Port strike", "body": body, "published": "2024-03-06T08:00:00Z"},
        {"id": "upd", "title": "UPDATE 1-Port strike", "published": "2024-03-06T09:00:00Z",
         "body": body + "\n\nShipping lines began diverting vessels to Rotterdam on Tuesday evening."},
    ]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    # without a window the repeat five days later is a duplicate; with 72h it is news again
    p = run_cli("run", str(inp))
    assert [a["id"] for a in lines(p.stdout)] == ["old"]
    p = run_cli("run", str(inp), "--window", "72h")
    assert [a["id"] for a in lines(p.stdout)] == ["old", "new"]
    # policy best: the UPDATE is emitted and names the version it replaces
    p = run_cli("run", str(inp), "--window", "72h", "--policy", "best")
    out = lines(p.stdout)
    assert [a["id"] for a in out] == ["old", "new", "upd"]
    assert out[2]["version"] == "UPDATE 1" and out[2]["supersedes"] == ["new"]


def test_main_called_from_python_with_stdout_redirected() -> None:
    """``cli.main`` inside a program whose stdout is a Python object with no file descriptor:
    the articles go to that object (the streaming writer otherwise writes to fd 1)."""
    import contextlib
    import io

    from wireingest.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["run", str(SAMPLE)]) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["id"] for line in lines)
    assert err.getvalue().splitlines()[-1].startswith("wireingest: 5 inputs: 2 emitted")
