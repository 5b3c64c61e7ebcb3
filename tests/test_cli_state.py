"""`wireingest run --state`: a run killed with SIGKILL and restarted loses nothing and repeats
nothing it had committed (real processes, real SQLite file)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import DATA, ROOT

BATCH = 8


def _records(tmp: Path) -> tuple[Path, dict[str, str]]:
    """Every BBC test story twice under two ids (the copy arrives 40 records later)."""
    files = sorted((DATA / "dedup" / "bbc").glob("*/*.txt"))[:160]
    seen: set[str] = set()
    stories: list[tuple[str, str, str]] = []
    for f in files:
        text = f.read_bytes().decode("utf-8", "replace")
        title, _, body = text.partition("\n")
        if body.strip() in seen:  # the BBC set has byte-identical twins
            continue
        seen.add(body.strip())
        stories.append((f"{f.parent.name}-{f.stem}", title.strip(), body.strip()))
    lines: list[str] = []
    story_of: dict[str, str] = {}
    for i, (sid, title, body) in enumerate(stories):
        lines.append(json.dumps({"id": f"{sid}-a", "title": title, "body": body}))
        story_of[f"{sid}-a"] = sid
        if i >= 40:
            prev_sid, prev_title, prev_body = stories[i - 40]
            lines.append(json.dumps({"id": f"{prev_sid}-b", "title": prev_title, "body": prev_body}))
            story_of[f"{prev_sid}-b"] = prev_sid
    path = tmp / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, story_of


def _run(inp: Path, state: Path, kill_after: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "wireingest", "run", str(inp), "--state", str(state),
           "--batch-size", str(BATCH), "--rejects", os.devnull]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    ids: list[str] = []
    for line in proc.stdout:
        ids.append(json.loads(line)["id"])
        if kill_after is not None and len(ids) >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
    rest = proc.stdout.read()
    proc.wait(timeout=120)
    # lines flushed before the kill are still emitted output
    ids.extend(json.loads(ln)["id"] for ln in rest.splitlines() if ln.strip())
    return ids


def test_killed_run_restarts_without_loss_or_committed_repeats(tmp_path: Path) -> None:
    inp, story_of = _records(tmp_path)
    stories = set(story_of.values())

    clean = _run(inp, tmp_path / "clean.sqlite")
    assert sorted(story_of[i] for i in clean) == sorted(stories)  # one copy of each story

    state = tmp_path / "killed.sqlite"
    first = _run(inp, state, kill_after=30)
    assert 30 <= len(first) < len(clean)
    second = _run(inp, state)
    both = first + second
    # nothing lost: every story was emitted by one of the two runs
    assert {story_of[i] for i in both} == stories
    # nothing committed is emitted again: only the batch in flight at the kill may repeat
    repeated = set(first) & set(second)
    assert len(repeated) <= BATCH
    # and a story is never emitted under both of its ids
    per_story: dict[str, set[str]] = {}
    for i in both:
        per_story.setdefault(story_of[i], set()).add(i)
    assert all(len(v) == 1 for v in per_story.values())
