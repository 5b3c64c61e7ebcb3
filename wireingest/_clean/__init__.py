"""In-page cleaning of article paragraphs.

:func:`clean_paragraphs` is what the finisher runs on every draft, in this order:

1. whitespace normalisation (NBSP, zero-width characters) and removal of empty paragraphs;
2. junk lines (:mod:`.junk`): tracking IDs and codes, symbol-only lines, and on untrusted
   pages also interface words, contact lines, dated banners and the profile's footer and
   banner lines;
3. editors' notes (``(Adds analyst comment)``) and lone repeats of the title;
4. repeated blocks (:mod:`.repeats`): exact and near (MinHash) paragraph repeats, kept once
   at the first position with the most complete text.

Steps 3 and 4 compare paragraph keys; when the dedup engine has loaded numba, a compiled pass
(:mod:`._scan`) first checks whether any two keys or anchors could be equal at all, and most
articles, which repeat nothing, skip the key work. The result is the same either way.

It never returns an empty list for a non-empty input that had any text: when the page rules
would remove everything, only tracking IDs, empty lines and repeats are removed.
"""

from __future__ import annotations

from wireingest._clean._scan import repeat_code
from wireingest._clean.boilerplate import BoilerplateModel
from wireingest._clean.junk import is_junk, is_tracking_id, normalise_paragraph, paragraph_key
from wireingest._clean.repeats import remove_repeats
from wireingest._meta.version import is_editor_note
from wireingest._profiles import Profile

__all__ = ["BoilerplateModel", "clean_paragraphs", "remove_repeats"]


def clean_paragraphs(
    paragraphs: list[str],
    *,
    title: str | None = None,
    profile: Profile | None = None,
    trusted: bool = False,
    normalised: bool = False,
) -> list[str]:
    """The article paragraphs of ``paragraphs`` without junk, notes, title echoes and repeats.

    ``normalised``: the caller guarantees that every paragraph is non-empty and unchanged by
    :func:`~wireingest._clean.junk.normalise_paragraph` (step 1 is skipped).
    """
    if normalised:
        paras = list(paragraphs)
    else:
        paras = [q for q in (normalise_paragraph(p) for p in paragraphs) if q]
    if not paras:
        return []
    titles: list[str] = []
    if title:
        titles.append(title)
        if profile is not None:
            titles.append(profile.strip_title_suffix(title))
    kept: list[str] = []
    plain = trusted and profile is None
    for p in paras:
        # A trusted body without a profile loses only symbol lines, tracking IDs (at most 120
        # characters), end markers (at most 20) and editors' notes (at most 400, starting with
        # a bracket or e/n/h): a longer paragraph that starts with a letter or digit is none.
        if plain and len(p) > 120 and p[0].isalnum() and (len(p) > 400 or p[0] not in "EeNnHh"):
            pass
        elif is_junk(p, profile=profile, trusted=trusted) or is_editor_note(p):
            continue
        kept.append(p)
    code = repeat_code(kept, titles) if kept else None
    if code == 0:
        return kept  # no title echo and nothing that remove_repeats would remove
    title_keys = {paragraph_key(t) for t in titles}
    title_keys.discard("")
    keys = [paragraph_key(p) for p in kept]
    if title_keys:
        pairs = [(p, k) for p, k in zip(kept, keys, strict=True) if k not in title_keys]
        kept = [p for p, _ in pairs]
        keys = [k for _, k in pairs]
    if not kept:
        kept = [p for p in paras if not is_tracking_id(p)]
        keys = [paragraph_key(p) for p in kept]
    # code 3: two paragraphs share an anchor (what remove_repeats would ask first); when the
    # code came from two long paragraphs with one key, the anchor search finds nothing more
    return remove_repeats(kept, keys, normalised=True, anchors_shared=True if code == 3 else None)
