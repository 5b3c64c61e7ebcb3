"""Extraction quality on the multilingual set: wireingest next to trafilatura, one process.

Usage::

    python benchmarks/multilingual.py [--pages DIR] [--json] [--show K] [--no-trafilatura]

Reads every ``*.html`` page and its ``*.json`` sidecar from ``corpora/multilingual/pages`` (62
pages in 11 languages, see ``corpora/multilingual/README.md``; ``--pages`` points at another
directory such as the validation sets ``corpora/multilingual/validation``, ``validation2``
and ``validation3``) and scores, for both extractors on the same pages in the same process:

* **body**: every wanted snippet found in the body is a true positive, every wanted one missing
  a false negative, every unwanted one found a false positive (snippets and body are compared
  after NFKC, case folding and whitespace collapsing). Precision, recall and F1 are computed
  over the snippet counts of the whole set (the scheme of trafilatura's own evaluation);
* **title**: the share of pages whose title equals the visible headline (word characters only,
  case folded);
* **date**: the share of pages whose publication day equals the day the page states in its own
  time zone. For wireingest that is the day of ``extra["published_local"]`` when present, else
  of ``published``; for trafilatura its ``date``.

wireingest runs its whole HTML path (``wireingest._formats.html.parse`` and the shared finisher,
so agency profiles and footer cleaning apply, no boilerplate model); trafilatura runs
``bare_extraction(html, with_metadata=True, include_comments=False)``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wireingest._finish import finish  # noqa: E402
from wireingest._formats.html import parse  # noqa: E402
from wireingest.types import Article  # noqa: E402

PAGES = ROOT / "corpora" / "multilingual" / "pages"
_WS = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")


def norm(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).casefold().strip()


def title_key(text: str | None) -> str:
    return " ".join(_WORDS.findall(norm(text or "")))


def load(pages: Path) -> list[tuple[str, bytes, dict[str, Any]]]:
    out = []
    for path in sorted(pages.glob("*.html")):
        side = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((path.stem, path.read_bytes(), side))
    return out


def run_wireingest(data: bytes, url: str) -> tuple[str, str | None, str | None]:
    for item in parse(data, url=url):
        if not hasattr(item, "paragraphs"):
            return "", None, None
        art = finish(item)  # type: ignore[arg-type]
        if not isinstance(art, Article):
            return "", None, None
        local = art.extra.get("published_local") if art.extra else None
        day = str(local)[:10] if local else (art.published[:10] if art.published else None)
        return art.body, art.title, day
    return "", None, None


def run_trafilatura(data: bytes) -> tuple[str, str | None, str | None]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        data.decode("utf-8"), with_metadata=True, include_comments=False
    )
    if doc is None:
        return "", None, None
    return doc.text or "", doc.title, (doc.date or None)


def score(results: dict[str, tuple[str, str | None, str | None]],
          pages: list[tuple[str, bytes, dict[str, Any]]]) -> dict[str, Any]:
    tp = fn = fp = 0
    titles = dates = 0
    missed: dict[str, list[str]] = {}
    for name, _, side in pages:
        body, title, day = results[name]
        nb = norm(body)
        for w in side["wanted"]:
            if norm(w) in nb:
                tp += 1
            else:
                fn += 1
                missed.setdefault(name, []).append("MISS " + w[:70])
        for u in side["unwanted"]:
            if norm(u) in nb:
                fp += 1
                missed.setdefault(name, []).append("LEAK " + u[:70])
        if title_key(title) == title_key(side["title"]):
            titles += 1
        else:
            missed.setdefault(name, []).append(f"TITLE {title!r}")
        if day == side["date"]:
            dates += 1
        else:
            missed.setdefault(name, []).append(f"DATE {day} != {side['date']}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    n = len(pages)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "title": round(titles / n, 4), "date": round(dates / n, 4),
            "missed_wanted": fn, "leaked_unwanted": fp, "problems": missed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="list problems of K pages per extractor")
    ap.add_argument("--no-trafilatura", action="store_true")
    args = ap.parse_args(argv)
    pages = load(args.pages)
    langs = sorted({side["lang"] for _, _, side in pages})
    out: dict[str, Any] = {"pages": len(pages), "languages": langs}
    runners = [("wireingest", lambda name, data, side: run_wireingest(
        data, side.get("url") or f"https://page.example/{name}"))]
    if not args.no_trafilatura:
        runners.append(("trafilatura", lambda name, data, side: run_trafilatura(data)))
    for label, fn in runners:
        t0 = time.process_time()
        res = {name: fn(name, data, side) for name, data, side in pages}
        secs = time.process_time() - t0
        out[label] = score(res, pages)
        out[label]["seconds"] = round(secs, 3)
    if args.json:
        print(json.dumps(out, indent=1, ensure_ascii=False))
        return 0
    print(f"multilingual set: {len(pages)} pages, {len(langs)} languages ({', '.join(langs)})")
    print(f"{'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'title':>6} {'date':>6} {'miss':>5} {'leak':>5}")
    for label, _ in runners:
        s = out[label]
        print(f"{label:<12} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
              f" {s['title']:>6.3f} {s['date']:>6.3f} {s['missed_wanted']:>5} {s['leaked_unwanted']:>5}")
    if args.show:
        for label, _ in runners:
            print(f"\n{label} problems:")
            for name, probs in list(out[label]["problems"].items())[: args.show]:
                print(f"  {name}")
                for pr in probs:
                    print(f"      {pr}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
