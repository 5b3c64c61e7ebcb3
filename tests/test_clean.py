"""In-page cleaning: junk lines, repeated blocks (exact and near), the seed page."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest._clean import clean_paragraphs
from wireingest._clean._minhash import words
from wireingest._clean.boilerplate import _tokens
from wireingest._clean.junk import (
    is_contact_line,
    is_junk,
    is_tracking_id,
    normalise_paragraph,
    paragraph_key,
)
from wireingest._clean.repeats import _shares_anchor, remove_repeats
from wireingest._meta import dateline as dateline_mod
from wireingest._meta._ascii import ascii_standin
from wireingest._meta.dateline import parse_dateline
from wireingest._meta.dates import find_date_line, to_utc_iso
from wireingest._meta.language import detect_language
from wireingest._profiles import profile_for

SEED = Path(__file__).parent / "data" / "meta" / "seed_xinhua_fr.txt"

SEED_BODY_STARTS = (
    "NEW YORK (Nations Unies), 28 décembre (Xinhua) -- L'Assemblée générale",
    "Le texte, adopté par 79 voix contre 60 et 33 abstentions,",
    "Ce comité ad hoc, à participation ouverte,",
    "La résolution demande au secrétaire général des Nations Unies,",
    "Avant le vote, les Etats-Unis et la Finlande,",
)


def _seed_paragraphs() -> list[str]:
    return [p for p in SEED.read_text(encoding="utf-8").split("\n\n")]


@pytest.mark.parametrize("with_profile", [True, False])
def test_seed_page_body_is_the_five_paragraphs_once(with_profile: bool) -> None:
    paras = _seed_paragraphs()
    host, title = paras[0].strip(), paras[1].strip()
    assert host == "french.xinhuanet.com"
    profile = profile_for(host=host) if with_profile else None
    body = clean_paragraphs(paras[1:], title=title, profile=profile)
    assert len(body) == 5
    for para, start in zip(body, SEED_BODY_STARTS, strict=True):
        assert para.startswith(start)
    text = "\n".join(body)
    assert "Vous avez une question" not in text
    assert "010020070770" not in text
    assert "xinhuanet.com" not in text.lower()
    assert "Publié le" not in text
    assert title not in body


def test_seed_page_metadata() -> None:
    paras = [p.strip() for p in _seed_paragraphs()]
    found = find_date_line(paras[1:])
    assert found is not None
    idx, dt = found
    assert paras[1 + idx].startswith("French.xinhuanet.com | Publié le")
    profile = profile_for(host=paras[0])
    assert profile is not None and profile.name == "xinhua"
    assert to_utc_iso(dt, profile.tz) == "2019-12-28T07:03:00Z"
    body = clean_paragraphs(paras[1:], title=paras[1], profile=profile)
    dl = parse_dateline(body[0])
    assert dl is not None
    assert dl.place == "NEW YORK (Nations Unies)"
    assert dl.agency == "xinhua"
    assert body[0][dl.end :].startswith("L'Assemblée générale")
    assert detect_language("\n\n".join(body)) == "fr"


def test_seed_without_title_still_has_one_copy() -> None:
    paras = _seed_paragraphs()
    body = clean_paragraphs(paras[1:], profile=None)
    # the title line itself survives once (nobody said it is the title), the article once
    assert sum(p.startswith("NEW YORK (Nations Unies)") for p in body) == 1
    assert sum(p.startswith("L'AG de l'ONU") for p in body) == 1
    assert not any("010020070770" in p for p in body)


@pytest.mark.parametrize(
    "line",
    [
        "010020070770000000000000011199231386632081",
        "TASS-ID-2c9f1e",
        "dpa:220914-99-123456/3",
        "3f2b8c9d4e5f60718293a4b5c6d7e8f9",
        "123e4567-e89b-12d3-a456-426614174000",
        "[20221114091200123456]",
        "ID: 20191228150301",
    ],
)
def test_tracking_ids_are_junk(line: str) -> None:
    assert is_tracking_id(line)
    assert is_junk(line, trusted=True)


@pytest.mark.parametrize(
    "line",
    [
        "2019",
        "+33 1 40 41 46 46",
        "https://www.example.com/2019/12/28/story-123456789012",
        "contact@example.com",
        "The index rose 12345678 points.",
        "COVID-19",
        "Flight AF447",
    ],
)
def test_not_tracking_ids(line: str) -> None:
    assert not is_tracking_id(line)


@pytest.mark.parametrize("line", ["(END)", "-- ENDS --", "(fin)", "[Ende]", "END", "(FINE)"])
def test_end_markers_are_junk(line: str) -> None:
    assert is_junk(line, trusted=True)


@pytest.mark.parametrize("line", ["Fine.", "The End", "End of story", "Fin de semana"])
def test_words_that_are_not_end_markers(line: str) -> None:
    assert not is_junk(line, trusted=True)


def test_contact_lines() -> None:
    assert is_contact_line(
        "Vous avez une question, une remarque, des suggestions ? Contactez notre équipe de "
        "rédaction par email à xinhuanet_french@news.cn"
    )
    assert is_contact_line("Have a news tip? Contact us at tips@example.org")
    assert not is_contact_line("Police said the suspect wrote to the victim at a gmail address.")


def test_trusted_keeps_banners_but_drops_ids_and_repeats() -> None:
    paras = [
        "Updated 14 NOV 2022, 09:12",
        "The first paragraph of the wire story, with enough words to count.",
        "The second paragraph of the wire story, also long enough to count here.",
        "The first paragraph of the wire story, with enough words to count.",
        "dpa:221114-99-123456/2",
    ]
    out = clean_paragraphs(paras, trusted=True)
    assert out == paras[:3]
    out_page = clean_paragraphs(paras, trusted=False)
    assert out_page == paras[1:3]


def test_editor_notes_and_title_echo_removed() -> None:
    out = clean_paragraphs(
        [
            "Oil rises on supply worries",
            "(Adds analyst comment, updates prices)",
            "LONDON, April 9 (Reuters) - Oil prices rose on Tuesday.",
        ],
        title="Oil rises on supply worries",
    )
    assert out == ["LONDON, April 9 (Reuters) - Oil prices rose on Tuesday."]


def test_never_empties_a_page() -> None:
    assert clean_paragraphs(["Advertisement", "Share"]) == ["Advertisement", "Share"]
    assert clean_paragraphs(["", "\u00a0", "   "]) == []


P1 = "The government announced on Monday a new plan to expand rail links between the cities."
P2 = "Officials said construction would begin next year and cost about 2 billion euros."
P3 = "Critics warned that the budget did not include money for maintenance of older lines."
P3_EXT = (
    "Critics warned that the budget did not include money for maintenance of older lines, "
    "which they said were already in poor condition."
)
P4 = "The opposition is expected to challenge the plan in parliament later this month."


def test_exact_block_repeat_kept_once() -> None:
    assert remove_repeats([P1, P2, P3, P1, P2, P3]) == [P1, P2, P3]


def test_near_copy_keeps_most_complete_version_at_first_position() -> None:
    assert remove_repeats([P1, P2, P3, P4, P1, P2, P3_EXT, P4]) == [P1, P2, P3_EXT, P4]


def test_changed_line_inside_repeated_block() -> None:
    changed = "A totally different sentence replaced this line in the second copy of the page."
    out = remove_repeats([P1, P2, P3, P4, P1, changed, P3, P4])
    assert out == [P1, changed, P3, P4]  # the changed copy is longer, it wins


def test_teaser_then_full_story() -> None:
    assert remove_repeats([P1, P2, P1, P2, P3, P4]) == [P1, P2, P3, P4]


def test_distinct_paragraphs_survive() -> None:
    paras = [P1, P2, P3, P4]
    assert remove_repeats(paras) == paras
    # similar but distinct result lines, and a lone short exact repeat, stay
    results = ["Team A 2, Team B 1", "Draw", "Team C 0, Team D 3", "Draw"]
    assert remove_repeats(results) == results


# -- properties --------------------------------------------------------------------------------


_PARAS = st.lists(
    st.one_of(
        st.sampled_from([P1, P2, P3, P3_EXT, P4, "Advertisement", "dpa:220914-99-1/2", ""]),
        st.text(min_size=0, max_size=80),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(_PARAS, st.booleans())
def test_cleaning_only_removes_and_is_idempotent(paras: list[str], trusted: bool) -> None:
    out = clean_paragraphs(paras, trusted=trusted)
    normalised = {normalise_paragraph(p) for p in paras}
    assert all(p in normalised for p in out)
    assert clean_paragraphs(out, trusted=trusted) == out


def test_seed_with_a_changed_second_copy_keeps_the_more_complete_paragraph() -> None:
    paras = _seed_paragraphs()
    title = paras[1].strip()
    # second copy: one paragraph extended by a sentence, another one replaced entirely
    second_start = max(i for i, p in enumerate(paras) if p.strip() == title)
    changed = list(paras)
    third = second_start + 4  # title, banner, first, second, THIRD
    assert changed[third].startswith("Ce comité ad hoc")
    changed[third] = changed[third] + " Aucune date précise n'a encore été fixée."
    fourth = third + 1
    assert changed[fourth].startswith("La résolution demande")
    changed[fourth] = (
        "Le secrétaire général devra présenter un rapport sur les moyens nécessaires "
        "avant la prochaine session de l'Assemblée générale."
    )
    body = clean_paragraphs(changed[1:], title=title, profile=profile_for(host=paras[0]))
    assert len(body) == 5
    assert body[2].endswith("Aucune date précise n'a encore été fixée.")
    # the replaced line sits inside the repeated block: one copy is kept (the longer one)
    assert sum(p.startswith(("La résolution demande", "Le secrétaire général")) for p in body) == 1
    assert body[4].startswith("Avant le vote")


def test_wire_page_with_version_note_and_footer() -> None:
    from wireingest._meta.version import split_version

    title, version = split_version("UPDATE 2-Oil rises as supply worries grow")
    assert (title, version) == ("Oil rises as supply worries grow", "UPDATE 2")
    page = [
        "Oil rises as supply worries grow",
        "(Adds analyst comment, updates prices)",
        "LONDON, April 9 (Reuters) - Oil prices rose on Tuesday as supply worries grew.",
        "Brent crude futures were up 1% at $70 a barrel by 0900 GMT.",
        "Our Standards: The Thomson Reuters Trust Principles.",
        "LONDON, April 9 (Reuters) - Oil prices rose on Tuesday as supply worries grew.",
        "Brent crude futures were up 1% at $70 a barrel by 0900 GMT.",
    ]
    body = clean_paragraphs(page, title=title, profile=profile_for(host="www.reuters.com"))
    assert body == page[2:4]
    dl = parse_dateline(body[0])
    assert dl is not None and (dl.place, dl.agency) == ("LONDON", "reuters")


def test_merged_and_split_copies() -> None:
    q1 = P1 + " The plan, the largest in a decade, was presented by the transport minister."
    q2 = P2 + " Most of the money will come from the European Union's recovery fund."
    q3 = P3 + " The ministry said a separate budget for repairs would follow next year."
    merged = f"{q1} {q2} {q3}"
    # merged copy first, split copy later
    assert remove_repeats([merged, P4, q1, q2, q3]) == [merged, P4]
    # split copy first, merged copy later: the merged one replaces the first and absorbs
    assert remove_repeats([q1, q2, q3, P4, merged]) == [merged, P4]


def test_heading_repeated_inside_a_paragraph_stays() -> None:
    heading = "2. Don't throw yourself in the deep end on Day 1"
    summary = (
        "Don't throw yourself in the deep end on Day 1. Remember, online leadership takes "
        "time, and the early days are the perfect time to experiment."
    )
    paras = [heading, P1, P2, summary]
    assert remove_repeats(paras) == paras


# -- fast paths agree with their reference definitions ----------------------------------------
# paragraph_key, the near-repeat gate and the boilerplate tokens have C-level fast paths for
# ASCII text (and text whose only non-ASCII characters are typographic punctuation); these
# properties pin them to the plain regex definitions they replace.

_KEY_RE = re.compile(r"[^\W_]+", re.UNICODE)
_OLD_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+(?=\S)")
_TRICKY = "’“”–—£€…‘«»„•°éßİ²½ﬁ\u00a0\u200b\u0301Ωſ_"
_TEXT = st.text(alphabet=st.sampled_from(list("ab AZ09.,;:!?'\"()[]-\n\t") + list(_TRICKY)))
_WORD_LIST = [
    "the",
    "a",
    "of",
    "said",
    "it",
    "was",
    "on",
    "rail",
    "plan",
    "U.S.",
    "e.g.",
    "Mr.",
    "co-op",
    "£5",
    "’s",
    "“yes”",
    "—",
]
_WORDS = st.sampled_from([*_WORD_LIST, "x" * 30, "y" * 79, "z" * 81])
_PUNCT = st.sampled_from(["", "", "", ".", "!", "?", '."', ".’", ".)", "…", ",", "”", "»."])


def _reference_key(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(_KEY_RE.findall(text.casefold()))


def _reference_anchors(key: str, text: str) -> set[str]:
    head = key.split(" ", 4)[:4]
    tail = key.rsplit(" ", 4)[-4:]
    out = {"<" + " ".join(head), ">" + " ".join(tail)}
    for m in _OLD_SENTENCE_END_RE.finditer(text):
        words = _reference_key(text[m.end() : m.end() + 80]).split(" ", 4)
        if len(words) >= 4:
            out.add("<" + " ".join(words[:4]))
    return out


@st.composite
def _sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.tuples(_WORDS, _PUNCT), min_size=1, max_size=30))
    return " ".join(w + p for w, p in words)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_paragraph_key_and_normalisation_match_the_regex_definitions(text: str) -> None:
    assert paragraph_key(text) == _reference_key(text)
    invisible = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff"), None)
    assert normalise_paragraph(text) == " ".join(text.translate(invisible).split())
    plain = ascii_standin(text)
    if plain is not None:  # stand-ins change neither the key nor the word tokens
        assert plain.isascii() and len(plain) == len(text)
        assert paragraph_key(plain) == paragraph_key(text)
        assert words(plain, mask_digits=True) == words(text, mask_digits=True)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_boilerplate_tokens_match_the_regex_words(text: str) -> None:
    assert _tokens(text) == [w.encode("utf-8") for w in words(text, mask_digits=True)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_sentences(), min_size=2, max_size=5), st.data())
def test_near_repeat_gate_never_misses_a_shared_anchor(
    paras: list[str], data: st.DataObject
) -> None:
    # give some paragraphs a sentence of another one, so that anchors are shared
    if data.draw(st.booleans()):
        i, j = data.draw(st.permutations(range(len(paras))))[:2]
        tail = paras[i].split(" ")
        paras[j] += ". " + " ".join(tail[data.draw(st.integers(0, len(tail) - 1)) :])
    paras = [normalise_paragraph(p) for p in paras]
    keys = [paragraph_key(p) for p in paras]
    nwords = [k.count(" ") + 1 if k else 0 for k in keys]
    seen: set[str] = set()
    shared = False
    for p, k, n in zip(paras, keys, nwords, strict=True):
        if n >= 8:
            a = _reference_anchors(k, p)
            shared = shared or not seen.isdisjoint(a)
            seen |= a
    if shared:
        assert _shares_anchor(paras, keys, nwords, [-1] * len(paras), True)
    assert remove_repeats(paras, keys, normalised=True) == remove_repeats(paras)


def test_near_repeat_with_typographic_punctuation_and_long_words() -> None:
    # non-ASCII punctuation and a 4-word sentence head longer than the 80-character window
    first = (
        "The minister said “the plan is final” on Monday, and that "
        "Supercalifragilisticexpialidocious administrative-reorganisation-programmes would "
        "follow. The money — about £5bn — will come from the transport budget, which the "
        "treasury said was large enough."
    )
    edited = first.replace("£5bn", "£6bn") + " Critics objected."
    paras = [first, P1, P2, edited]
    assert remove_repeats(paras) == [edited, P1, P2]
    assert clean_paragraphs(paras) == [edited, P1, P2]


_HEAD_PARTS = [*"ABCNEWYORK aeiou,.-—–_/()0123\n"]
_HEAD_PARTS += ["Feb ", "(AP) ", "(Reuters) ", "/TASS/ ", "March 3 ", "3 marzo ", "ROMA "]
_HEAD_PARTS += ["新华社北京3月31日电", "新华社", "NEW YORK, Feb 26 - ", "Toronto, March 3 -- "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_PARTS), max_size=40).map("".join))
def test_dateline_prefilter_only_skips_forms_that_cannot_match(
    head: str,
) -> None:
    fast = parse_dateline(head)
    with (
        mock.patch.object(dateline_mod, "_form_may_match", lambda index, head: True),
        mock.patch.object(dateline_mod, "_may_have_dateline", lambda head: True),
    ):
        slow = parse_dateline(head)
    assert repr(fast) == repr(slow)


# -- the compiled pre-check (wireingest._clean._scan) ------------------------------------------
# clean_paragraphs skips paragraph keys and the repeat scan when a compiled pass over the
# text proves that nothing would be removed. These tests pin that pass to the exact code.


@pytest.fixture(scope="module")
def scan_kernel() -> None:
    from wireingest import _kernels

    if "numba" not in _kernels.BACKENDS:
        pytest.skip("numba is not installed (the pre-check needs it; cleaning is exact without)")
    _kernels.load()


def _exact_code(paras: list[str], titles: list[str]) -> int:
    """1: two paragraphs have one key; 2: one has a title's key; 3: remove_repeats changes
    the page; 0: none of these (the page is returned as it is)."""
    keys = [paragraph_key(p) for p in paras]
    nonempty = [k for k in keys if k]
    if len(set(nonempty)) < len(nonempty):
        return 1
    title_keys = {paragraph_key(t) for t in titles} - {""}
    if title_keys & set(nonempty):
        return 2
    return 3 if remove_repeats(paras, keys, normalised=True) != list(paras) else 0


@st.composite
def _long_sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.tuples(_WORDS, _PUNCT), min_size=6, max_size=24))
    return " ".join(w + p for w, p in words)


@settings(max_examples=400, deadline=None)
@given(st.lists(_long_sentences(), min_size=1, max_size=5), st.data())
def test_compiled_precheck_gives_the_exact_answer(
    scan_kernel: None, paras: list[str], data: st.DataObject
) -> None:
    from wireingest._clean._scan import repeat_code

    how = data.draw(st.sampled_from(["none", "sentence", "tail", "lead", "copy", "title"]))
    titles: list[str] = []
    if how in ("sentence", "tail") and len(paras) > 1:
        i, j = data.draw(st.permutations(range(len(paras))))[:2]
        words = paras[i].split(" ")
        if how == "sentence":  # a sentence of one paragraph in another
            cut = data.draw(st.integers(0, len(words) - 1))
            paras[j] += ". " + " ".join(words[cut:])
        else:  # the same last words, in the middle of a sentence
            paras[j] += " " + " ".join(words[-data.draw(st.integers(4, 6)) :])
    elif how == "lead":  # a paragraph that opens with a quote or a bracket
        paras[0] = data.draw(st.sampled_from(['" ', '". ', '(" ', ") ", "» "])) + paras[0]
    elif how == "copy":  # the same words, other punctuation and case
        paras.append(paras[0].upper().replace(" ", " , "))
    elif how == "title":
        titles.append(data.draw(st.sampled_from(paras)).rstrip(".!?") + "!")
    else:
        titles.append(data.draw(_sentences()))
    paras = [q for q in map(normalise_paragraph, paras) if q]
    code = repeat_code(paras, titles)
    if ascii_standin("\n".join([*paras, *titles])) is None:
        assert code is None  # text the pass cannot read is left to the exact code
    else:
        exact = _exact_code(paras, titles)
        # never 0 when cleaning would change something; two long paragraphs with one key share
        # their head anchor, so the pass may report them as 3 (or a title echo first); a pair
        # that shares an anchor and overlaps enough is a "maybe" (3) even when the exact test
        # then finds it is not a repeat
        assert code in {0: (0, 3), 1: (1, 2, 3), 2: (2,), 3: (3,)}[exact]
        keys = [paragraph_key(p) for p in paras]
        nwords = [k.count(" ") + 1 if k else 0 for k in keys]
        if exact == 0 and not _shares_anchor(paras, keys, nwords, [-1] * len(paras), True):
            assert code == 0  # no shared anchor at all: nothing to look at


def test_precheck_reads_a_sentence_head_cut_by_the_80_character_window(scan_kernel: None) -> None:
    from wireingest._clean._scan import repeat_code

    a, b, c = "a" * 20, "b" * 20, "c" * 20
    # four words over 85 characters: the anchor keeps 80, so the fourth word is cut to 17
    long_head = f"The vote was close. {a} {b} {c} {'d' * 22} was the result of the count."
    cut_head = f"Officials spoke on Monday afternoon. {a} {b} {c} {'d' * 17} came next, they said."
    other_head = (
        f"Officials spoke on Monday afternoon. {a} {b} {c} {'d' * 16} came next, they said."
    )
    # the shared head alone is too little for a near repeat: the pass now says so (0)
    assert repeat_code([long_head, cut_head]) == 0 == _exact_code([long_head, cut_head], [])
    assert repeat_code([long_head, other_head]) == 0 == _exact_code([long_head, other_head], [])
    # two near copies of one long sentence whose only shared anchor is that cut head (other
    # heads, other tails, no other sentence start): the pass must find it
    rest = " ".join(f"w{i}" for i in range(56))
    first = f"Alpha beta gamma delta. {a} {b} {c} {'d' * 22} {rest} end one two"
    second = f"Zeta eta theta iota. {a} {b} {c} {'d' * 18} {rest} end three four"
    assert _exact_code([first, second], []) == 3
    assert repeat_code([first, second]) == 3


def test_precheck_keeps_an_extended_copy_for_the_exact_code(scan_kernel: None) -> None:
    from wireingest._clean._scan import repeat_code

    # the later copy holds all of the earlier paragraph and much more: a near repeat by
    # containment although its Jaccard similarity is low
    base = (
        "Critics warned on Tuesday that the budget did not include any money for maintenance "
        "of the older lines in the north."
    )
    extended = base[:-1] + ", " + " ".join(f"extra{i}" for i in range(40)) + "."
    assert _exact_code([base, P1, extended], []) == 3
    assert repeat_code([base, P1, extended]) == 3
    # a copy whose only anchor in common is the tail: other first words, no sentence break
    clause = " ".join(f"v{i}" for i in range(40))
    one, two = f"Alpha beta gamma delta {clause}", f"Zeta eta theta iota {clause}"
    assert _exact_code([one, two], []) == 3
    assert repeat_code([one, two]) == 3


def test_precheck_changes_no_cleaning_result_on_the_bbc_stories(scan_kernel: None) -> None:
    from wireingest._clean import _scan

    texts = sorted((Path(__file__).parent / "data" / "dedup" / "bbc").glob("*/*.txt"))
    assert len(texts) >= 100
    pages = []
    for f in texts:
        title, _, body = f.read_text(encoding="utf-8", errors="replace").partition("\n")
        paras = [p for p in body.split("\n") if p.strip()]
        pages.append((title, paras))
        pages.append((title, paras + paras[:3]))  # a page that repeats its first paragraphs
        pages.append((title, [title, *paras]))  # a page that echoes its title
    fast = [clean_paragraphs(p, title=t, trusted=True) for t, p in pages]
    skipped = sum(
        _scan.may_repeat([normalise_paragraph(q) for q in p], [t]) is False for t, p in pages[::3]
    )
    with mock.patch.object(_scan, "_kernel", None), mock.patch.object(_scan, "_load", lambda: None):
        exact = [clean_paragraphs(p, title=t, trusted=True) for t, p in pages]
    assert fast == exact
    # the pass decides most plain stories, and never the ones with a repeat or a title echo
    assert skipped >= len(texts) // 2
    assert all(fast[i + 1] == fast[i] for i in range(0, len(pages), 3))
    assert all(fast[i + 2] == fast[i] for i in range(0, len(pages), 3))


def test_precheck_waits_for_numba_to_be_loaded() -> None:
    from wireingest import _kernels
    from wireingest._clean import _scan

    with (
        mock.patch.object(_scan, "_kernel", None),
        mock.patch.object(_kernels, "loaded", lambda: False),
    ):
        assert _scan.may_repeat([P1, P2], [P3]) is None
        assert clean_paragraphs([P1, P2, P1], title=P3) == [P1, P2]
