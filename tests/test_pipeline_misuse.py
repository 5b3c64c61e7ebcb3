"""Using a Pipeline wrongly raises a clear error; a consumer that stops part way through a
batch commits nothing it did not take."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from wireingest import Article, Document, Pipeline
from wireingest.errors import PipelineUsageError

_WORDS = ["harbour", "crane", "pilot", "tide", "cargo", "berth", "quay", "ferry", "tanker", "barge", "dredger", "lock", "pier", "wharf", "warehouse", "manifest", "customs", "freight", "docker", "shift", "union", "ballot", "wage", "overtime", "roster", "strike", "picket", "talks", "offer", "claim", "dispute", "council", "mayor", "minister", "inspector", "engineer", "container", "vessel", "captain", "crew", "anchor", "channel", "beacon", "buoy", "tugboat", "gantry", "forklift"]


def story(i: int) -> Document:
    # (ocr15) one story per i in its own words, not only its own numbers (stories that
    # differ in a few numbers alone are one template, which dedup may join)
    rng = random.Random(i)
    words = " ".join(rng.sample(_WORDS, 14))
    body = (
        f"Dock workers at port {i} walked out on Monday in a dispute over {words}, union "
        f"officials said at berth {i * 13}. Talks about {' and '.join(rng.sample(_WORDS, 3))} "
        f"resume on Wednesday."
    )
    return Document(json.dumps({"id": f"s{i}", "title": f"Strike {i}", "body": body}).encode())


def test_use_after_close_raises() -> None:
    p = Pipeline()
    p.close()
    with pytest.raises(PipelineUsageError, match="closed"):
        p.push(b"text")
    with pytest.raises(PipelineUsageError, match="closed"):
        p.process([story(1)])
    p.close()  # closing twice is harmless


def test_bad_arguments_name_themselves() -> None:
    p = Pipeline(dedup=False)
    with pytest.raises(TypeError, match=r"push\(\) content must be bytes or str, not NoneType"):
        p.push(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"push\(\) url must be a str or None, not int"):
        p.push(b"x", url=123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Document, Reject or None items, not str"):
        list(p.process(["not a document"]))  # type: ignore[list-item]
    for bad in (-1, 0, 1.5, True):
        with pytest.raises(ValueError, match="max_bytes"):
            Pipeline(dedup=False, max_bytes=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_delay"):
        Pipeline(dedup=False, max_delay=-1)
    assert p.stats.inputs == 0


def test_concurrent_use_is_refused_not_corrupted() -> None:
    p = Pipeline(batch_size=4)
    stream = p.process(story(i) for i in range(20))
    assert isinstance(next(stream), Article)  # a batch is in flight
    errors: list[BaseException] = []

    def other() -> None:
        try:
            p.push(story(99).content)
        except PipelineUsageError as exc:
            errors.append(exc)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert len(errors) == 1 and "one Pipeline per thread" in str(errors[0])
    with pytest.raises(PipelineUsageError):  # the same thread, too, while the batch is open
        p.push(story(98).content)
    rest = list(stream)
    assert len(rest) == 19
    assert p.push(story(97).content)[0].id == "s97"  # free again once the iterator is done


def test_threads_racing_on_one_pipeline_get_errors_never_double_emissions() -> None:
    p = Pipeline()
    emitted: list[str] = []
    refused = 0
    lock = threading.Lock()

    def worker(k: int) -> None:
        nonlocal refused
        for i in range(40):
            doc = story(i)  # every thread pushes the same 40 stories
            try:
                out = p.push(doc.content)
            except PipelineUsageError:
                with lock:
                    refused += 1
                continue
            with lock:
                emitted.extend(r.id for r in out if isinstance(r, Article) and r.id)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(emitted) == len(set(emitted))  # no story emitted twice
    assert p.stats.inputs + refused == 160  # every push either ran or was refused


def test_consumer_that_raises_commits_only_what_it_took(tmp_path: Path) -> None:
    state = tmp_path / "s.sqlite"
    docs = [story(i) for i in range(100)]
    with Pipeline(batch_size=16) as clean:  # what one uninterrupted run emits
        order = [r.id for r in clean.process(docs) if isinstance(r, Article)]
    assert len(order) > 90

    def from_(k: int) -> list[str | None]:
        return [i for i in order if int(str(i)[1:]) >= k]

    taken: list[str] = []
    with pytest.raises(RuntimeError), Pipeline(state=state, batch_size=16) as p:
        for r in p.process(docs):
            if len(taken) == 40:
                raise RuntimeError("the consumer failed")
            assert isinstance(r, Article) and r.id
            taken.append(r.id)
    assert p.stats.emitted == 40 and taken == order[:40]
    with Pipeline(state=state, batch_size=16) as p2:
        again = [r.id for r in p2.process(docs) if isinstance(r, Article)]
    # nothing is lost: every story not taken is emitted by the rerun, and what the rerun
    # repeats is only the batch that was in flight (s32 to s47), never committed
    assert again == from_(32)
    # the same holds for an iterator that is closed part way, or abandoned before close()
    state2 = tmp_path / "s2.sqlite"
    p3 = Pipeline(state=state2, batch_size=16)
    it = p3.process(docs)
    first = [next(it) for _ in range(20)]
    assert len(first) == 20
    p3.close()
    with Pipeline(state=state2, batch_size=16) as p4:
        again = [r.id for r in p4.process(docs) if isinstance(r, Article)]
    assert again == from_(16)


def test_checkpoint_is_committed_with_the_decisions(tmp_path: Path) -> None:
    state = tmp_path / "s.sqlite"
    with Pipeline(state=state) as p:
        assert p.checkpoint is None
        p.set_checkpoint(b"start")
    docs = [story(i) for i in range(10)]
    marks = iter(range(100))
    with Pipeline(state=state, batch_size=4) as p:
        assert p.checkpoint == b"start"
        it = p.process(docs, before_commit=lambda: str(next(marks)).encode())
        taken = [next(it) for _ in range(6)]  # batch 1 committed with mark 0; batch 2 open
        assert len(taken) == 6
        it.close()
    with Pipeline(state=state) as p:
        assert p.checkpoint == b"0"  # the open batch's mark was never committed
        with pytest.raises(TypeError, match="bytes"):
            p.set_checkpoint("text")  # type: ignore[arg-type]
