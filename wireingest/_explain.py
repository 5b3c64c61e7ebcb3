"""``wireingest explain A B``: why two inputs would or would not be merged.

``A`` and ``B`` are inputs as ``wireingest run`` reads them: a file (a page, a text dump, a
feed, an IPTC item, a JSON record) or ``FILE:LINE`` for one line of a JSON Lines file. A file
that holds several articles (a feed) needs ``FILE:N`` for its N-th article.

Each input is parsed and cleaned exactly as ``run`` does, then the pair is measured and
decided by the dedup engine's own code (:mod:`wireingest._dedup`): the same preparation
(normalisation, paragraphs repeated inside an article counted once), the same signatures and
estimates, the same same-story test, the same policy. With ``--state PATH`` (a run's state)
the inputs are cleaned with the per-source boilerplate model that run saved, and the engine
leaves out the paragraphs its boilerplate sketch has seen in other stories, as that run does;
without it nothing learned across a run applies. Decisions are pairwise: what the stream does
with the later of the two when the earlier is the only emitted article. The report gives:

* what cleaning stripped from each input (tracking IDs, junk and footer lines, editors' notes,
  title echoes, repeated blocks, learned per-source boilerplate), what the engine counts once
  and what it leaves out as boilerplate;
* the exact-duplicate test, the estimated Jaccard similarity, the containment both ways, the
  same-story (lede) test;
* the paragraphs the two share (after the engine's normalisation);
* the decision under each policy, for both arrival orders (``A`` first, then ``B``; and
  ``B`` first).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wireingest._dedup import DedupConfig
from wireingest._draft import Draft
from wireingest._finish import finish
from wireingest._formats import DEFAULT_MAX_BYTES, parse_payload
from wireingest._io import iter_documents
from wireingest.types import Article, Document, Reject

if TYPE_CHECKING:
    from wireingest._dedup import Deduplicator, Signed

__all__ = [
    "InputError",
    "Loaded",
    "add_parser",
    "explain",
    "load",
    "render",
    "run",
    "sign_articles",
]

_POLICIES: tuple[Literal["first", "best"], ...] = ("first", "best")


class InputError(ValueError):
    """An explain input that cannot be read or does not name exactly one article."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """One input, parsed and cleaned: the article and what cleaning removed (why, text)."""

    spec: str
    article: Article
    removed: tuple[tuple[str, str], ...] = ()


def _split_spec(spec: str) -> tuple[Path, int | None]:
    """``FILE`` or ``FILE:N`` (a path that exists as given wins, colons and all)."""
    path = Path(spec)
    if path.is_file():
        return path, None
    head, sep, tail = spec.rpartition(":")
    if sep and tail.isdigit() and Path(head).is_file():
        n = int(tail)
        if n < 1:
            raise InputError(f"{spec}: line and article numbers start at 1")
        return Path(head), n
    if path.exists():
        raise InputError(f"{spec}: not a file (explain compares two single inputs)")
    raise InputError(f"{spec}: no such file")


def _why_removed(p: str, article: Article, draft: Draft, kept_keys: set[str]) -> str:
    """Which cleaning rule removed paragraph ``p`` (asked of the rules themselves)."""
    from wireingest._clean.junk import is_junk, is_tracking_id, paragraph_key
    from wireingest._meta.version import is_editor_note
    from wireingest._profiles import profile_for

    if is_tracking_id(p):
        return "tracking ID"
    if is_editor_note(p):
        return "editors' note"
    key = paragraph_key(p)
    if article.title and key == paragraph_key(article.title):
        return "title repeated in the body"
    if key in kept_keys:
        return "repeat of a kept paragraph"
    profile = profile_for(host=article.source, agency=article.agency)
    if is_junk(p, profile=profile, trusted=draft.trusted_body):
        return "junk line (contact, footer, banner, interface)"
    return "near repeat of a kept block"


def _finished(doc: Document, spec: str, n: int | None, model: bytes | None) -> Loaded:
    from wireingest._clean.junk import normalise_paragraph, paragraph_key
    from wireingest._pipeline import _load_boilerplate

    results: list[tuple[Article | Reject, Draft | None, list[str]]] = []
    learned: set[str] = set()
    for item in parse_payload(doc, max_bytes=DEFAULT_MAX_BYTES):
        if isinstance(item, Draft):
            before = [q for q in (normalise_paragraph(p) for p in item.paragraphs) if q]
            if model is None:
                results.append((finish(item), item, before))
                continue
            # as the run's pipeline would: a fresh copy of the saved model for each input
            plain = finish(replace(item, paragraphs=list(item.paragraphs)))
            art = finish(item, boilerplate=_load_boilerplate(model))
            if isinstance(plain, Article) and isinstance(art, Article):
                learned.update(set(plain.paragraphs) - set(art.paragraphs))
            results.append((art, item, before))
        else:
            results.append((item, None, []))
    if n is not None and doc.meta.get("format") != "json-line":
        if n > len(results):
            raise InputError(f"{spec}: the input holds {len(results)} article(s), not {n}")
        results = [results[n - 1]]
    if len(results) != 1:
        raise InputError(f"{spec}: the input holds {len(results)} articles; name one as {spec}:N")
    result, draft, before = results[0]
    if isinstance(result, Reject):
        raise InputError(f"{spec}: rejected before dedup: {result.reason}: {result.message}")
    assert draft is not None
    kept = result.paragraphs
    kept_keys = {paragraph_key(p) for p in kept}
    kept_set = set(kept)
    removed = []
    seen: set[str] = set()
    for p in before:
        if p in kept_set and p not in seen:
            seen.add(p)
            continue
        if p in learned:
            why = f"boilerplate learned for {result.source or 'this source'} (saved model)"
        else:
            why = _why_removed(p, result, draft, kept_keys)
        removed.append((why, p))
    return Loaded(spec, result, tuple(removed))


def load(spec: str, model: bytes | None = None) -> Loaded:
    """Read, parse and clean one input named as ``FILE`` or ``FILE:N``; ``model``: a saved
    per-source boilerplate model (from a run's state) to clean with, as that run would."""
    path, n = _split_spec(spec)
    docs = list(iter_documents([path]))
    if len(docs) == 1 and isinstance(docs[0], Reject):
        raise InputError(f"{spec}: {docs[0].message}")
    jsonl = [d for d in docs if isinstance(d, Document) and d.meta.get("format") == "json-line"]
    if jsonl:
        if n is None:
            if len(jsonl) != 1:
                raise InputError(
                    f"{spec}: a JSON Lines file of {len(jsonl)} records; name one as {spec}:LINE"
                )
            return _finished(jsonl[0], spec, None, model)
        want = f"{path}:{n}"
        for d in jsonl:
            if d.origin == want:
                return _finished(d, spec, n, model)
        raise InputError(f"{spec}: line {n} of {path} is blank or past the end")
    doc = docs[0]
    assert isinstance(doc, Document)
    return _finished(doc, spec, n, model)


# --------------------------------------------------------------------------------------------
# The pair, measured and decided by the engine


@dataclass(slots=True)
class Side:
    """What the engine sees of one input."""

    paragraphs: int  # paragraphs it compares (after counting repeats once)
    repeated: int  # paragraphs of the article it counted once
    shingles: int
    boilerplate: list[str] = field(default_factory=list)  # paragraphs it leaves out (state)


@dataclass(slots=True)
class Explanation:
    a: Loaded
    b: Loaded
    config: DedupConfig
    side_a: Side
    side_b: Side
    exact: bool
    jaccard: float
    a_in_b: float  # estimated share of A's shingles found in B
    b_in_a: float
    same_story: bool
    shared: list[str]
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)  # "first: A, B" -> ...


def sign_articles(
    cfg: DedupConfig, articles: Sequence[Article], engine: Deduplicator | None = None
) -> tuple[list[Signed], list[Any], Any]:
    """The articles prepared and signed by the engine, exactly as it does for a batch
    (:meth:`Deduplicator._prepare_many`, :meth:`Deduplicator._signatures`: with ``engine`` opened
    on a state, without the paragraphs its boilerplate sketch knows), packed as the policy
    takes them (as ``Deduplicator._decide`` packs them). Default: a fresh in-memory engine."""
    import numpy as np

    from wireingest._dedup import Deduplicator, Signed

    eng = engine if engine is not None else Deduplicator(cfg)
    try:
        now = time.time()
        preps = eng._prepare_many(articles, now)
        bt = eng._signatures(preps)
    finally:
        if engine is None:
            eng.close()
    exact = bt.exact.view(np.int64).tolist()
    signed = [
        Signed(
            p.id,
            bt.sigs[i],
            int(bt.nsh[i]),
            exact[i],
            p.rank,
            bt.sh[bt.sh_lo[i] : bt.sh_hi[i]],
            bt.lede_sig[i],
            int(bt.lede_n[i]),
            bt.lede_keys[i],
            p.ts,
        )
        for i, p in enumerate(preps)
    ]
    return signed, preps, bt


def _same_story(new: Signed, old: Signed, cfg: DedupConfig) -> bool:
    """The policy's same-story (lede) test alone: the engine's candidate check with every
    similarity rule made to hold (Jaccard threshold below 0), so only that test can veto."""
    from wireingest._dedup import verify_pair
    from wireingest._kernels import verifier

    verify = verifier()

    def lede_only(*args: Any) -> Any:
        params = args[-1].copy()
        params[0] = -1.0  # verify_params order: threshold first
        return verify(*args[:-1], params)

    return verify_pair(new, old, cfg, lede_only).kind != 0


def _engine_boilerplate(engine: Deduplicator, prep: Any) -> list[str]:
    """The paragraphs of a prepared article that the engine leaves out of its signature: seen
    in at least ``BOILERPLATE_MIN_ARTICLES`` emitted stories (its sketch), unless too little
    would be left (the engine's own ``_strip_boilerplate`` says)."""
    import numpy as np

    from wireingest._dedup.policy import BOILERPLATE_MIN_ARTICLES

    if not prep.paras:
        return []
    counts = engine._boiler.counts(np.asarray(prep.paras, dtype=np.uint32))
    flags = (counts >= BOILERPLATE_MIN_ARTICLES).tolist()
    if not any(flags) or engine._strip_boilerplate(prep, flags) is None:
        return []
    return [t for t, f in zip(prep.text.split("\n"), flags, strict=True) if f]


def explain(
    a: Loaded,
    b: Loaded,
    config: DedupConfig | None = None,
    *,
    engine: Deduplicator | None = None,
) -> Explanation:
    """Measure and decide the pair with the engine's own code (see the module docstring).

    ``engine``: a :class:`Deduplicator` opened on a run's state, whose learned boilerplate
    paragraphs are then left out as that run leaves them out. The decisions stay pairwise:
    what the stream does when the earlier of the two is the only emitted article.
    """
    from wireingest._dedup import verify_pair

    cfg = config or DedupConfig()
    (sa, sb), (pa, pb), _ = sign_articles(cfg, [a.article, b.article], engine)
    boiler = (
        (_engine_boilerplate(engine, pa), _engine_boilerplate(engine, pb))
        if engine is not None
        else ([], [])
    )
    facts = verify_pair(sb, sa, cfg)  # B checked against an emitted A
    decisions: dict[str, dict[str, Any]] = {}
    for policy in _POLICIES:
        pcfg = replace(cfg, policy=policy)
        for order, later, new, old in (("A then B", "B", sb, sa), ("B then A", "A", sa, sb)):
            d = verify_pair(new, old, pcfg).decision
            decisions[f"{policy}: {order}"] = {
                "later": later,
                "emit": d.emit,
                "reason": d.reason,
                "similarity": d.similarity,
                "containment": d.containment,
                "supersedes": bool(d.supersedes),
                "related": d.related is not None,
            }
    b_keys = set(pb.paras)
    shared = [t for t, k in zip(pa.text.split("\n"), pa.paras, strict=True) if k in b_keys]
    return Explanation(
        a=a,
        b=b,
        config=cfg,
        side_a=Side(len(pa.paras), len(a.article.paragraphs) - len(pa.paras), sa.nsh, boiler[0]),
        side_b=Side(len(pb.paras), len(b.article.paragraphs) - len(pb.paras), sb.nsh, boiler[1]),
        exact=facts.exact,
        jaccard=facts.jaccard,
        a_in_b=facts.containment_old_in_new,
        b_in_a=facts.containment_new_in_old,
        same_story=_same_story(sb, sa, cfg),
        shared=shared if pa.text else [],
        decisions=decisions,
    )


# --------------------------------------------------------------------------------------------
# Output


def _short(text: str, width: int = 96) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _verdict(d: dict[str, Any], cfg: DedupConfig) -> str:
    later = d["later"]
    other = "A" if later == "B" else "B"
    sim = d["similarity"]
    if not d["emit"]:
        what = {
            "exact-duplicate": f"exact duplicate of {other}",
            "near-duplicate": f"near-duplicate of {other}",
            "contained": f"contained in {other}",
            "superseded": f"superseded by {other}",
        }.get(d["reason"], f"{d['reason']} of {other}")
        s = f"{later} dropped: {what}"
        if d["reason"] == "near-duplicate" and sim is not None:
            s += f" (Jaccard {sim:.3f} >= {cfg.threshold})"
        elif d["reason"] == "contained" and d["containment"] is not None:
            s += f" (containment {d['containment']:.3f} >= {cfg.containment})"
        return s
    if d["supersedes"]:
        return f"both emitted: {later} replaces {other} (supersedes it)"
    if d["related"]:
        return f"both emitted: {later} extends {other} (related)"
    return "both emitted: different stories for the engine"


def render(e: Explanation) -> str:
    """The report as text."""
    cfg = e.config
    out: list[str] = []
    for name, ld, side in (("A", e.a, e.side_a), ("B", e.b, e.side_b)):
        art = ld.article
        out.append(f"{name}  {ld.spec}")
        out.append(f"   id {art.id}  format {art.format}  language {art.language or '-'}")
        out.append(f"   title {_short(art.title or '-', 90)}")
        line = f"   {len(art.paragraphs)} paragraphs after cleaning, {side.shingles} shingles"
        if side.repeated:
            line += f"; the engine counts {side.repeated} repeated paragraph(s) once"
        out.append(line)
        if ld.removed:
            out.append(f"   cleaning stripped {len(ld.removed)}:")
            for why, text in ld.removed:
                out.append(f"     - {why}: {_short(text, 80)}")
        else:
            out.append("   cleaning stripped nothing")
        if side.boilerplate:
            out.append(
                f"   the engine leaves out {len(side.boilerplate)} paragraph(s) the state has "
                "seen in other stories (boilerplate):"
            )
            for text in side.boilerplate:
                out.append(f"     - {_short(text, 80)}")
    out.append("")
    b, r = cfg.bands
    out.append(
        f"similarity (MinHash, {cfg.num_perm} permutations, "
        f"{'OCR-folded chunk' if cfg.ocr_fold else 'word'} {cfg.shingle_size}-grams, "
        f"bands {b}x{r})"
    )

    def row(label: str, value: str, note: str = "") -> None:
        out.append(f"   {label:<38} {value:>5}" + (f"  {note}" if note else ""))

    def vs(v: float, limit: float, name: str) -> str:
        return f"({'>=' if v >= limit else '< '} {name} {limit})"

    row("exact duplicate (same token sequence)", "yes" if e.exact else "no")
    row("estimated Jaccard", f"{e.jaccard:.3f}", vs(e.jaccard, cfg.threshold, "threshold"))
    row("containment of A in B", f"{e.a_in_b:.3f}", vs(e.a_in_b, cfg.containment, "containment"))
    row("containment of B in A", f"{e.b_in_a:.3f}", vs(e.b_in_a, cfg.containment, "containment"))
    row(
        "same story (lede test)",
        "yes" if e.same_story else "no",
        "(a lede of one found in the other)",
    )
    out.append("")
    if e.shared:
        out.append(f"shared paragraphs ({len(e.shared)}, as the engine normalises them):")
        for p in e.shared:
            out.append(f"   = {_short(p, 92)}")
    else:
        out.append("shared paragraphs: none")
    out.append("")
    out.append("decision")
    for key, d in e.decisions.items():
        policy, order = key.split(": ", 1)
        out.append(f"   {policy + ',':<7}{order + ':':<10} {_verdict(d, cfg)}")
    return "\n".join(out)


def to_dict(e: Explanation) -> dict[str, Any]:
    """The report as JSON-ready data (``--json``)."""

    def side(ld: Loaded, s: Side) -> dict[str, Any]:
        return {
            "input": ld.spec,
            "id": ld.article.id,
            "title": ld.article.title,
            "paragraphs": len(ld.article.paragraphs),
            "shingles": s.shingles,
            "repeated_paragraphs": s.repeated,
            "engine_boilerplate": s.boilerplate,
            "stripped": [{"why": w, "text": t} for w, t in ld.removed],
        }

    return {
        "a": side(e.a, e.side_a),
        "b": side(e.b, e.side_b),
        "settings": {
            "threshold": e.config.threshold,
            "containment": e.config.containment,
            "num_perm": e.config.num_perm,
            "shingle_size": e.config.shingle_size,
            "bands": list(e.config.bands),
        },
        "exact": e.exact,
        "jaccard": round(e.jaccard, 4),
        "containment_a_in_b": round(e.a_in_b, 4),
        "containment_b_in_a": round(e.b_in_a, 4),
        "same_story": e.same_story,
        "shared_paragraphs": e.shared,
        "decisions": e.decisions,
    }


# --------------------------------------------------------------------------------------------
# Command line


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``explain`` on the command line's subparsers."""
    p = sub.add_parser(
        "explain",
        parents=parents,
        help="why two inputs would or would not be merged",
        description="Parse and clean two inputs (files, or FILE:LINE for JSON Lines) and show "
        "why the dedup engine would or would not merge them: estimated Jaccard, containment "
        "both ways, the same-story lede test, shared paragraphs, what cleaning stripped, and "
        "the decision under each policy.",
    )
    p.add_argument("a", metavar="A", help="first input: FILE, or FILE:LINE / FILE:N")
    p.add_argument("b", metavar="B", help="second input")
    # --threshold, --num-perm, --params, --containment come from the command line's shared
    # settings (``parents``): give the ones the run used
    p.add_argument("--shingle-size", type=int, default=5, help="word n-gram size (default 5)")
    p.add_argument(
        "--state",
        metavar="PATH",
        help="a run's dedup state: clean and compare with the boilerplate it has learned",
    )
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")


def run(args: argparse.Namespace) -> int:
    """``wireingest explain``: 0 on success, 2 on bad inputs, settings or state."""
    from wireingest._dedup import Deduplicator
    from wireingest._pipeline import _BOILERPLATE_BLOB
    from wireingest.errors import WireingestError

    engine = None
    try:
        cfg = DedupConfig(
            threshold=args.threshold,
            containment=args.containment,
            num_perm=args.num_perm,
            ocr_fold=args.ocr_fold,
            shingle_size=args.shingle_size,
            params=args.params,
        )
        model = None
        if args.state:
            if "://" not in args.state and not Path(args.state).is_file():
                raise InputError(f"{args.state}: no such state file")
            engine = Deduplicator(cfg, state=args.state)
            model = engine.load_meta(_BOILERPLATE_BLOB)
        a, b = load(args.a, model), load(args.b, model)
        e = explain(a, b, cfg, engine=engine)
    except (ValueError, WireingestError) as exc:  # InputError, settings, state
        print(f"wireingest explain: error: {exc}", file=sys.stderr)
        return 2
    finally:
        if engine is not None:
            engine.close()
    text = json.dumps(to_dict(e), ensure_ascii=False, indent=1) if args.json else render(e)
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `wireingest explain A B | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
