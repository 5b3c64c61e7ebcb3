"""The README's promises: it opens with exactly two commands, CI runs the second verbatim,
and every CLI option is documented in --help."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _opening_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ")
    start = lines.index("```sh")
    end = lines.index("```", start + 1)
    assert all(not ln.strip() for ln in lines[1:start]), "the README must open with the commands"
    return [ln for ln in lines[start + 1 : end] if ln.strip()]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one() -> None:
    cmds = _opening_commands()
    assert len(cmds) == 2
    assert "corpora/sample" in cmds[0] and "wireingest run" in cmds[0]
    assert "pytest" in cmds[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert cmds[1] in ci.splitlines()


def test_cli_help_lists_the_documented_options() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "wireingest", "run", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for opt in ("--rejects", "--threshold", "--num-perm", "--window", "--state", "--policy", "--url"):
        assert opt in out
        assert opt in readme
