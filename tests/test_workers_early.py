"""The early parser of ``wireingest run --workers N`` (:func:`wireingest._workers.start_early`):
what it parses while the main process starts takes the place of the pool's work, in input
order, and the decisions are those of one process."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wireingest._dedup import DedupConfig
from wireingest._io import _JSON_LINE, Stop
from wireingest._pipeline import Parsed, Pipeline, WorkOptions
from wireingest._workers import _GROUP, Early, parse_in_workers, start_early
from wireingest.types import Article, Document, Reject

DATA = Path(__file__).parent / "data" / "dedup" / "bbc"
OPTIONS = WorkOptions(16 << 20, False, True, None, None)  # the early parser's: no dedup


def _documents() -> list[Document | Reject]:
    """Real stories as JSON lines, with copies of some of them later on (decided against the
    originals across the early parser's and the pool's parts) and a reject from the reading."""
    recs = []
    for i, f in enumerate(sorted(DATA.glob("*/*.txt"))[:180]):
        title, _, body = f.read_text("utf-8", "replace").partition("\n")
        recs.append({"id": f"s{i}", "title": title.strip(), "body": body.strip(),
                     "url": f"https://news.example/{i}"})  # fmt: skip
    recs += [{**r, "id": "copy-" + r["id"]} for r in recs[::9]]
    docs: list[Document | Reject] = [
        Document(json.dumps(r).encode(), origin=f"in:{k}", meta=_JSON_LINE)
        for k, r in enumerate(recs)
    ]
    docs.insert(70, Reject(reason="too-large", message="record is too large", origin="in:x"))
    return docs


def _wait_until_parsed(early: Early, groups: int) -> None:
    """Until the early parser has put ``groups`` groups and its end mark (or a minute)."""
    out = early._out
    deadline = time.monotonic() + 60
    while out.qsize() < groups + 1 and time.monotonic() < deadline:
        time.sleep(0.05)


def _decided(items: object) -> list[tuple[str | None, str, str | None]]:
    """(id, "emitted" or the reject reason, the id it duplicates) of each result."""
    with Pipeline(dedup=DedupConfig(), boilerplate=True) as p:
        return [
            (r.id, "emitted", None) if isinstance(r, Article) else (r.id, r.reason, r.duplicate_of)
            for r in p.process(items)  # type: ignore[arg-type]
        ]


def _pool_options() -> WorkOptions:
    """What the pool of a dedup pipeline gets (the early parser's plus dedup preparation)."""
    with Pipeline(dedup=DedupConfig(), boilerplate=True) as probe:
        return probe._work_options()


def _started(docs: list[Document | Reject], groups: int = 0) -> Early:
    """An early parser on ``docs``, once it has put ``groups`` groups."""
    early = start_early(iter(docs), OPTIONS)
    assert early is not None
    if groups:
        _wait_until_parsed(early, groups)
    return early


def _through_the_pool(early: Early, opts: WorkOptions) -> list[Parsed | Reject]:
    got = list(parse_in_workers(early.items(), workers=2, options=opts, ahead=64))
    assert all(isinstance(g, Parsed | Reject) for g in got)
    return got  # type: ignore[return-value]


def _same_as_one_process(got: list[Parsed | Reject], docs: list[Document | Reject]) -> None:
    """Every input once, in order, decided as one process decides the inputs."""
    assert [g.doc if isinstance(g, Parsed) else g for g in got] == docs
    assert _decided(got) == _decided(docs)


def test_what_the_early_parser_finished_comes_in_order_and_decides_alike() -> None:
    docs = _documents()
    n_docs = sum(isinstance(d, Document) for d in docs)
    opts = _pool_options()
    early = _started(docs, -(-n_docs // _GROUP))
    got = _through_the_pool(early, opts)
    # every document parsed by the early parser, none by the pool; the pool prepared their
    # articles for dedup (the consumer does not sign them)
    assert early.finished == n_docs
    assert [type(g) for g in got] == [Parsed if isinstance(d, Document) else Reject for d in docs]
    assert all(g.prepared is not None for g in got if isinstance(g, Parsed))
    _same_as_one_process(got, docs)
    copies = [(i, dup) for i, _, dup in _decided(docs) if i and i.startswith("copy-")]
    assert len(copies) == 20 and all(dup == i[5:] for i, dup in copies)


def test_without_dedup_what_the_early_parser_finished_passes_as_it_is() -> None:
    docs = _documents()
    early = _started(docs, -(-sum(isinstance(d, Document) for d in docs) // _GROUP))
    got = list(parse_in_workers(early.items(), workers=2, options=OPTIONS, ahead=64))
    assert [g.doc if isinstance(g, Parsed) else g for g in got] == docs
    assert all(g.prepared is None for g in got if isinstance(g, Parsed))
    assert _decided(got) == _decided(docs)


def test_a_halted_early_parser_leaves_the_rest_to_the_pool() -> None:
    docs = _documents() * 4  # sixteen groups: it is halted long before the last
    opts = _pool_options()
    early = _started(docs, 1)
    got = _through_the_pool(early, opts)
    # a prefix from the early parser (at least the group it had put), then the pool's
    assert _GROUP <= early.finished < sum(isinstance(d, Document) for d in docs)
    assert all(g.prepared is not None for g in got if isinstance(g, Parsed))
    _same_as_one_process(got, docs)


def test_a_killed_early_parser_loses_nothing() -> None:
    docs = _documents()
    early = _started(docs)
    os.kill(early._proc.pid, signal.SIGKILL)
    early._proc.join()
    _same_as_one_process(_through_the_pool(early, _pool_options()), docs)


def test_a_stop_ends_what_was_read_ahead() -> None:
    early = _started(_documents())
    stop = Stop()
    got = []
    for item in early.items(stop=stop):
        got.append(item)
        if len(got) == 10:
            stop.signum = signal.SIGTERM
    assert len(got) == 10


def test_a_message_cut_short_by_a_dying_early_parser_loses_nothing() -> None:
    """The early parser killed while it writes a group: the reader gets an end of file for
    that message; what came whole stands and the pool parses the rest."""
    docs = _documents()
    opts = _pool_options()
    early = _started(docs, 2)
    real_get = early._out.get
    calls = []

    def get(timeout: float) -> object:
        calls.append(timeout)
        if len(calls) == 2:
            raise EOFError  # what Connection.recv raises on a message cut short
        return real_get(timeout=timeout)

    early._out.get = get
    got = _through_the_pool(early, opts)
    assert early.finished == _GROUP  # the first group came whole; the pool parsed the rest
    _same_as_one_process(got, docs)


def test_a_read_error_comes_after_what_was_read_ahead() -> None:
    """The reading fails while the early parser reads ahead: the documents read before come
    first, then the error, where the reading would have raised it."""
    docs = _documents()[:100]

    def reading() -> Iterator[Document | Reject]:
        yield from docs
        raise OSError(5, "Input/output error", "-")

    early = start_early(reading(), OPTIONS)
    assert early is not None
    got: list[object] = []
    with pytest.raises(OSError, match="Input/output error"):
        for item in early.items():
            got.append(item)
    assert [g.doc if isinstance(g, Parsed) else g for g in got] == docs


def test_the_pool_gets_the_documents_after_the_early_parsers_at_once() -> None:
    """While its consumer works through what the early parser finished, the pool parses the
    documents after it: they are read and sent before the first finished item is handed
    over, however many finished items come first."""
    docs = [d for d in _documents() * 4 if isinstance(d, Document)]
    early_part = len(docs) - 3 * _GROUP  # the early parser finished all but three groups
    opts = _pool_options()
    reads = 0

    def reading() -> Iterator[Document | Parsed]:
        nonlocal reads
        for k, d in enumerate(docs):
            reads += 1
            yield Parsed(d, []) if k < early_part else d

    got = parse_in_workers(reading(), workers=2, options=opts, ahead=64)
    first = next(got)
    assert isinstance(first, Parsed) and first.doc == docs[0]
    assert reads == len(docs)  # every document read (and sent to the pool) already
    rest = list(got)
    assert [g.doc for g in [first, *rest]] == docs  # type: ignore[union-attr]
    assert all(g.prepared is not None for g in rest[early_part - 1 :])  # type: ignore[union-attr]
