"""The live progress line: shown when stderr is a terminal (a real pty here), else unchanged."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE
from rich.filesize import decimal

from wireingest._io import iter_documents
from wireingest._pipeline import Pipeline
from wireingest._progress import LiveProgress, input_bytes, wanted

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TALLY = (
    "wireingest: 5 inputs: 2 emitted, 3 rejected (contained 1, exact-duplicate 1, near-duplicate 1)"
)
LIVE = "5 read · 2 emitted · 3 rejected (contained 1, exact-duplicate 1, near-duplicate 1) · "


def _run(*args: str, tty: bool, tmp_path: Path) -> tuple[str, bytes]:
    """Run the CLI on the sample corpus; (what reached stderr, stdout bytes)."""
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, COLUMNS="250", TERM="xterm")
    cmd = [sys.executable, "-m", "wireingest", *args, str(SAMPLE)]
    with out.open("wb") as stdout:
        if not tty:
            p = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=ROOT)
            assert p.returncode == 0
            return p.stderr.decode(), out.read_bytes()
        master, slave = pty.openpty()
        try:
            proc = subprocess.Popen(cmd, stdout=stdout, stderr=slave, env=env, cwd=ROOT)
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the pty
                    break
                if not data:
                    break
                chunks.append(data)
            assert proc.wait(timeout=60) == 0
        finally:
            os.close(master)
    return b"".join(chunks).decode().replace("\r\n", "\n"), out.read_bytes()


def test_live_line_on_a_terminal_and_unchanged_output_elsewhere(tmp_path: Path) -> None:
    plain, plain_out = _run("run", tty=False, tmp_path=tmp_path)
    assert "\x1b" not in plain and "articles/s" not in plain
    lines = plain.splitlines()
    assert lines[-1] == TALLY
    assert len(lines) == 4 and all(line.startswith("reject: {") for line in lines[:3])

    live, live_out = _run("run", tty=True, tmp_path=tmp_path)
    assert live_out == plain_out  # stdout is not touched
    text = _ANSI.sub("", live)
    total = sum(f.stat().st_size for f in SAMPLE.iterdir())
    assert f"{LIVE}" in text
    final = text[text.rindex(LIVE) :].split("\n")[0]
    assert re.fullmatch(
        rf"{re.escape(LIVE)}[\d,]+ articles/s · {decimal(total)}/{decimal(total)}\s*", final
    )
    assert text.rstrip().endswith(TALLY)
    # each reject record is printed above the line whole, on one line, as without a terminal
    rejects = [line for line in text.split("\n") if "reject: {" in line]
    assert [r[r.index("reject: ") :] for r in rejects] == lines[:3]
    for r in rejects:
        json.loads(r.split("reject: ", 1)[1])


def test_quiet_silences_and_progress_forces(tmp_path: Path) -> None:
    quiet, _ = _run("parse", "--quiet", tty=True, tmp_path=tmp_path)
    assert "articles/s" not in quiet
    assert quiet.strip() == "wireingest: 5 inputs: 5 emitted, 0 rejected"
    forced, _ = _run("parse", "--progress", tty=False, tmp_path=tmp_path)
    assert "5 read · 5 emitted · 0 rejected · " in _ANSI.sub("", forced)
    assert forced.rstrip().endswith("wireingest: 5 inputs: 5 emitted, 0 rejected")


def test_bytes_done_reach_the_total(tmp_path: Path) -> None:
    jl = tmp_path / "stream.jsonl"
    recs = [
        {"id": f"r{i}", "title": f"T{i}", "body": f"Story number {i} about été."} for i in range(5)
    ]
    jl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    inputs = [str(SAMPLE), str(jl)]
    total = input_bytes(inputs)
    assert total == sum(f.stat().st_size for f in SAMPLE.iterdir()) + jl.stat().st_size
    assert input_bytes(["-", str(jl)]) is None
    pipeline = Pipeline(dedup=False)
    prog = LiveProgress(pipeline.stats, total)
    results = list(pipeline.process(prog.track(iter_documents(inputs))))
    assert prog.bytes_done == total
    assert len(results) == pipeline.stats.inputs == 10
    line = prog.line().plain
    assert line.startswith("10 read · 10 emitted · 0 rejected · ")
    assert line.endswith(f"{decimal(total)}/{decimal(total)}")


def test_wanted() -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    assert wanted(None, Tty()) is True
    assert wanted(False, Tty()) is False
    assert wanted(True, object()) is True
    assert wanted(None, object()) is False
