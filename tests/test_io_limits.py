"""Reading within limits: the size limit applies while reading and per JSON Lines record, long
lines are read in linear time, what is not a regular file is rejected, every gzip member is
read, and a large .jsonl.gz streams as records."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest import Article, Document, Pipeline, Reject, iter_documents
from wireingest._formats import parse_payload


def rec(i: int, pad: int = 0) -> bytes:
    body = f"Story {i}: dock workers at port {i} walked out on Monday over pay, officials said."
    return json.dumps({"id": f"r{i}", "title": f"T{i}", "body": body + " x" * pad}).encode()


@pytest.mark.timeout(120)
def test_jsonl_limit_is_per_record_and_a_huge_line_is_skipped(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    with f.open("wb") as fh:
        fh.write(b'{"id": "big", "body": "' + b"a" * (40 << 20) + b'"}\n')  # 40 MB first
        for i in range(3):
            fh.write(rec(i) + b"\n")
        fh.write(b"not json\n")
        fh.write(rec(3) + b"\n")
    got = list(iter_documents([f], max_bytes=1 << 20))
    assert isinstance(got[0], Reject) and got[0].reason == "too-large"
    assert got[0].origin == f"{f}:1" and "41943" in got[0].message  # its length, counted
    docs = [d for d in got[1:] if isinstance(d, Document)]
    assert [d.origin for d in docs] == [f"{f}:{n}" for n in (2, 3, 4, 5, 6)]
    # the records after it are processed; a record under the limit in a big file is fine
    with Pipeline(dedup=False, max_bytes=1 << 20) as p:
        out = list(p.process(got))
    assert [r.id for r in out if isinstance(r, Article)] == ["r0", "r1", "r2", "r3"]


@pytest.mark.timeout(60)  # quadratic reading took minutes
def test_long_lines_in_small_chunks_are_linear() -> None:
    # a 20 MB line arriving in 4 KiB reads: each byte is touched a bounded number of times
    data = b'{"id": "x", "body": "' + b"b" * (20 << 20) + b'"}\n' + rec(1) + b"\n"

    class Trickle(io.RawIOBase):
        def __init__(self) -> None:
            self.pos = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            n = min(len(b), 4096, len(data) - self.pos)
            b[:n] = data[self.pos : self.pos + n]
            self.pos += n
            return n

    got = list(iter_documents(["-"], stdin=Trickle(), max_bytes=1 << 20))  # type: ignore[arg-type]
    assert [type(g).__name__ for g in got] == ["Reject", "Document"]


def test_a_whole_document_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body><p>" + b"word " * 400_000 + b"</p></body></html>")
    (r,) = iter_documents([page], max_bytes=100_000)
    assert isinstance(r, Reject) and r.reason == "too-large"
    # /dev/zero and /dev/urandom are not files: rejected without being read
    for dev in ("/dev/zero", "/dev/urandom"):
        (r,) = iter_documents([dev])
        assert isinstance(r, Reject) and "character device" in r.message


def test_fifo_in_a_directory_is_skipped_not_waited_on(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    os.mkfifo(d / "a-pipe")
    (d / "b.jsonl").write_bytes(rec(1) + b"\n")
    result: list[Document | Reject] = []
    t = threading.Thread(target=lambda: result.extend(iter_documents([d])), daemon=True)
    t.start()
    t.join(timeout=30)
    assert not t.is_alive(), "the run waited on a FIFO"
    assert isinstance(result[0], Reject) and "FIFO" in result[0].message
    assert isinstance(result[1], Document)


def test_max_bytes_above_the_default_is_honoured() -> None:
    page = b"<html><head><title>Big page</title></head><body>" + b" " * (21 << 20)
    page += b"<article><p>" + b"Dock workers walked out on Monday over pay. " * 20
    page += b"</p></article></body></html>"
    results = list(parse_payload(Document(page), max_bytes=30 << 20))
    assert not any(isinstance(r, Reject) and r.reason == "too-large" for r in results), results
    results = list(parse_payload(Document(page)))  # the default still applies
    assert isinstance(results[0], Reject) and results[0].reason == "too-large"


def test_every_gzip_member_is_read(tmp_path: Path) -> None:
    a = gzip.compress(b"".join(rec(i) + b"\n" for i in range(150)))
    b = gzip.compress(b"".join(rec(i) + b"\n" for i in range(150, 300)))
    f = tmp_path / "both.jsonl.gz"
    f.write_bytes(a + b)
    docs = list(iter_documents([f]))
    assert len(docs) == 300 and all(isinstance(d, Document) for d in docs)
    # one payload pushed whole: every member too
    with Pipeline(dedup=False) as p:
        out = p.push(gzip.compress(rec(1) + b"\n") + gzip.compress(rec(2) + b"\n"))
    assert [r.id for r in out if isinstance(r, Article)] == ["r1", "r2"]
    # a truncated member is reported after the records before it
    f.write_bytes(a + b[: len(b) // 2])
    docs = list(iter_documents([f]))
    assert isinstance(docs[-1], Reject) and "gzip" in docs[-1].message
    assert sum(isinstance(d, Document) for d in docs) >= 150


def test_a_large_jsonl_gz_streams_as_records(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl.gz"
    with gzip.open(f, "wb") as gz:
        for i in range(6000):
            gz.write(rec(i, pad=200) + b"\n")  # about 3 MB unpacked, 1 MB limit
    p = subprocess.run(
        [sys.executable, "-m", "wireingest", "parse", str(f), "--max-bytes", str(1 << 20)],
        capture_output=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert p.stdout.count(b"\n") == 6000
    assert b"6000 inputs: 6000 emitted, 0 rejected" in p.stderr


class _Pieces(io.RawIOBase):
    """A stream that hands out its bytes in the given piece sizes (as a pipe would)."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.pos, self.k = data, sizes, 0, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        n = min(len(b), self.sizes[self.k % len(self.sizes)], len(self.data) - self.pos)
        self.k += 1
        b[:n] = self.data[self.pos : self.pos + n]
        self.pos += n
        return n


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 300), min_size=1, max_size=30),
    sizes=st.lists(st.integers(1, 700), min_size=1, max_size=8),
    members=st.integers(0, 3),
    limit=st.integers(60, 400),
    final_newline=st.booleans(),
)
def test_records_are_the_same_however_the_bytes_arrive(
    lengths: list[int], sizes: list[int], members: int, limit: int, final_newline: bool
) -> None:
    lines = [json.dumps({"id": f"r{i}", "body": "w" * n}).encode() for i, n in enumerate(lengths)]
    # (one object without a newline is a JSON document, not JSON Lines: not this test's case)
    data = b"\n".join(lines) + (b"\n" if final_newline or len(lines) == 1 else b"")
    if members:  # split into gzip members at arbitrary points
        cuts = sorted({len(data) * k // (members + 1) for k in range(1, members + 1)})
        bounds = [0, *cuts, len(data)]
        data = b"".join(gzip.compress(data[a:b]) for a, b in itertools.pairwise(bounds))
    stdin = _Pieces(data, sizes)
    got = list(iter_documents(["-"], stdin=stdin, max_bytes=limit))  # type: ignore[arg-type]
    want = [
        ("doc", line.decode()) if len(line) <= limit else ("too-large", str(len(line)))
        for line in lines
    ]
    seen: list[tuple[str, str]] = []
    for g in got:
        if isinstance(g, Document):
            assert isinstance(g.content, bytes)
            seen.append(("doc", g.content.decode()))
        else:
            assert g.reason == "too-large", g
            seen.append(("too-large", g.message.split()[2]))
    assert seen == want
    assert [g.origin for g in got] == [f"<stdin>:{n}" for n in range(1, len(lines) + 1)]
