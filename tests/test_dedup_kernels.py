"""Shingles, hashes and signatures: the bulk kernels against the reference and datasketch."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from wireingest import _kernels as kernels
from wireingest._dedup import (
    _text,
    exact_hash,
    shingle_hash,
    shingles,
    signatures,
    to_lean_minhash,
)
from wireingest._dedup._index import BoilerplateSketch, Ids, KeyIndex
from wireingest._dedup._text import mode_for, normalize, paragraph_keys, tokens
from wireingest._dedup.policy import LEDE_MIN_CHARS
from wireingest._kernels import BACKENDS
from wireingest._kernels import minhash as K

BBC = Path(__file__).parent / "data" / "dedup" / "bbc"
ROOT = Path(__file__).resolve().parent.parent


def bbc_bodies(n: int | None = None) -> list[str]:
    files = sorted(BBC.glob("*/*.txt"))[:n]
    return [f.read_text("utf-8").partition("\n")[2].strip() for f in files]


SAMPLES = [
    ("Hello, World! This is a test of the thing, isn't it?", "en"),
    ("", "en"),
    ("two words", "en"),
    ("中国经济今年增长了百分之五，国家统计局周一表示。", "zh"),
    ("東京証券取引所で株価が上昇した。日経平均は三日続伸。", None),
    ("กรุงเทพฯ รัฐบาลไทยประกาศมาตรการใหม่ในวันนี้", "th"),
    ("Ｆｕｌｌｗｉｄｔｈ ＡＢＣ and ligature ﬁnance, café CAFÉ", "fr"),
    ("Emoji 🙂 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP, Ελληνικά κείμενα", None),
]


def datasketch_signature(text: str, language: str | None, size: int) -> np.ndarray:
    m = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
    m.update_batch(shingles(text, language, size))
    return np.asarray(m.hashvalues)


@pytest.mark.parametrize("backend", BACKENDS)
def test_signatures_equal_datasketch_minhash(backend: str) -> None:
    texts = [t for t, _ in SAMPLES] + bbc_bodies(5)
    langs = [lang for _, lang in SAMPLES] + ["en"] * 5
    sigs = signatures(texts, langs, backend=backend)
    for text, lang, sig in zip(texts, langs, sigs, strict=True):
        mode = mode_for(lang, normalize(text))
        size = 5 if mode == "word" else (8 if lang == "th" else 4)
        assert np.array_equal(sig, datasketch_signature(text, lang, size)), text[:40]


def test_numba_and_numpy_give_identical_signatures() -> None:
    if "numba" not in BACKENDS:
        pytest.skip("numba is not installed")
    texts = bbc_bodies() + [t for t, _ in SAMPLES]
    a = signatures(texts, backend="numpy")
    b = signatures(texts, backend="numba")
    assert np.array_equal(a, b)
    cps, off = K.encode_batch([normalize(t) for t in texts])
    char = np.zeros(len(texts), dtype=bool)
    sizes = np.full(len(texts), 5, dtype=np.int64)
    via_numpy = K.shingle_batch(cps, off, char, sizes, "numpy")
    via_numba = K.shingle_batch(cps, off, char, sizes, "numba")
    for j in range(3):  # shingle hashes, their offsets, exact hashes
        assert np.array_equal(via_numpy[j], via_numba[j])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=6), st.integers(1, 6))
def test_kernels_match_reference_on_any_text(texts: list[str], size: int) -> None:
    norm = [normalize(t) for t in texts]
    cps, off = K.encode_batch(norm)
    char = np.array([i % 2 == 1 for i in range(len(texts))])
    sizes = np.full(len(texts), size, dtype=np.int64)
    expected: list[int] = []
    for t, c in zip(norm, char, strict=True):
        toks = tokens(t, "char" if c else "word")
        if not toks:
            continue
        grams = (
            [tuple(toks)]
            if len(toks) < size
            else [tuple(toks[i : i + size]) for i in range(len(toks) - size + 1)]
        )
        expected.extend(shingle_hash(g) for g in grams)
    for backend in BACKENDS:
        sh, sh_off, exact = K.shingle_batch(cps, off, char, sizes, backend)
        assert sh.tolist() == expected
        assert int(sh_off[-1]) == len(expected)
        for t, c, e in zip(norm, char.tolist(), exact.tolist(), strict=True):
            toks_e = tokens(t, "char" if c else "word")  # exact hash of the token sequence
            assert e == _ref_exact(toks_e)


def _ref_exact(toks: list[str]) -> int:
    from wireingest._dedup._text import G_LEN, M64, P_TOKEN, fmix64, token_hash

    acc, pw = 0, 1
    for t in toks:
        acc = (acc + token_hash(t) * pw) & M64
        pw = (pw * P_TOKEN) & M64
    return fmix64(acc ^ ((len(toks) * G_LEN) & M64))


def test_normalisation_folds_case_punctuation_width_and_whitespace() -> None:
    a = shingles("“Don’t   stop” — the ＦＵＮＤ said.", "en", 3)
    b = shingles("don't stop, the fund said", "en", 3)
    assert a == b == [("don", "t", "stop"), ("t", "stop", "the"), ("stop", "the", "fund"),
                      ("the", "fund", "said")]  # fmt: skip
    assert exact_hash("Don’t STOP!", "en") == exact_hash("don't  stop", "en")
    assert exact_hash("don't stop", "en") != exact_hash("don't start", "en")


def test_scripts_without_spaces_get_character_ngrams() -> None:
    zh = "国家统计局周一表示"
    assert shingles(zh, "zh", 4)[:2] == [("国", "家", "统", "计"), ("家", "统", "计", "局")]
    # unknown language: chosen by script
    assert mode_for(None, zh) == "char"
    assert mode_for(None, "plain english text") == "word"
    assert mode_for(None, "Ελληνικά κείμενα εδώ") == "word"
    # a text shorter than the n-gram size is one shingle
    assert shingles("only three words", "en", 5) == [("only", "three", "words")]
    assert shingles("...", "en", 5) == []


def test_lean_minhash_round_trip_gives_same_jaccard() -> None:
    texts = bbc_bodies(2)
    edited = texts[0].replace("the", "a", 3)
    sigs = signatures([texts[0], edited, texts[1]])
    lean = [to_lean_minhash(s) for s in sigs]
    assert isinstance(lean[0], LeanMinHash)
    ours = float(np.mean(sigs[0] == sigs[1]))
    assert lean[0].jaccard(lean[1]) == pytest.approx(ours)
    full = [MinHash(num_perm=128, seed=1, hashfunc=shingle_hash) for _ in range(2)]
    full[0].update_batch(shingles(texts[0]))
    full[1].update_batch(shingles(edited))
    assert full[0].jaccard(full[1]) == pytest.approx(ours)
    assert 0.8 < ours < 1.0
    assert lean[0].jaccard(lean[2]) < 0.1
    # the datasketch byte format round-trips too
    buf = bytearray(lean[0].bytesize())
    lean[0].serialize(buf)
    assert np.array_equal(LeanMinHash.deserialize(buf).hashvalues, sigs[0])


def test_datasketch_is_optional() -> None:
    """datasketch (and the scipy it pulls in) is an extra: wireingest never imports it but
    for to_lean_minhash, which says how to install it when it is missing."""
    code = (
        "import sys\n"
        "sys.modules['datasketch'] = None  # as if not installed\n"
        "import numpy as np, wireingest, wireingest.cli\n"
        "from wireingest._dedup import Deduplicator, signatures, to_lean_minhash\n"
        "from wireingest.types import Article\n"
        "d = Deduplicator().check(Article(id='a', body='one two three four five six'))\n"
        "assert d.emit\n"
        "try:\n"
        "    to_lean_minhash(signatures(['one two three four five six'])[0])\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "to_lean_minhash needs datasketch: pip install 'wireingest[datasketch]'"
    )


def test_numpy_backend_is_used_without_numba() -> None:
    code = (
        "import wireingest._dedup as d, numpy as np;"
        "from wireingest.types import Article;"
        "assert d.BACKEND == 'numpy', d.BACKEND;"
        "x = d.Deduplicator();"
        "a = Article(id='a', body='one two three four five six seven eight nine ten');"
        "b = Article(id='b', body='One two three four five six seven eight nine ten!');"
        "print([r.reason for r in x.check_many([a, b])])"
    )
    env = {**os.environ, "WIREINGEST_NO_NUMBA": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[None, 'exact-duplicate']"
    with pytest.raises(ValueError, match="not available"):
        K.shingle_batch(np.zeros(0, np.uint32), np.zeros(1, np.int64), np.zeros(0, bool),
                        np.zeros(0, np.int64), "cuda")  # fmt: skip


def test_backends_give_identical_decisions() -> None:
    import wireingest._dedup as dedup
    from wireingest.types import Article

    bodies = bbc_bodies(120)
    arts = [Article(id=f"a{i}", body=b) for i, b in enumerate(bodies)]
    arts += [Article(id=f"c{i}", body="Staff report\n\n" + b) for i, b in enumerate(bodies[:40])]
    arts += [Article(id=f"t{i}", body=b.split("\n\n")[0]) for i, b in enumerate(bodies[40:60])]
    runs = {}
    for backend in BACKENDS:
        d = dedup.Deduplicator(backend=backend)
        runs[backend] = [x for k in range(0, len(arts), 32) for x in d.check_many(arts[k : k + 32])]
    assert sum(not x.emit for x in runs["numpy"]) >= 40
    for backend in BACKENDS:
        assert runs[backend] == runs["numpy"]


# -- fast paths of the hot path: each against the plain form it replaces ----------------------
def _normalize_reference(text: str) -> str:
    import unicodedata

    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def test_normalize_latin1_shortcut_equals_nfkc_casefold() -> None:
    latin1 = [chr(c) for c in range(256)]
    for a in latin1:  # every pair: no recomposition across characters either
        for b in latin1:
            assert normalize(a + b) == _normalize_reference(a + b), repr(a + b)
    assert normalize("Straße £5 ½ MÜNCHEN\xa0µ") == "strasse £5 1⁄2 münchen μ"
    assert normalize("CAFÉ £10") == "café £10"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aZ ßé£\xa0\xb5\x1c\t\n\u0301\u2019ΣİﬁÅ")), max_size=30)
)
def test_normalize_mixed_text_equals_nfkc_casefold(text: str) -> None:
    assert normalize(text) == _normalize_reference(text)


def _prepare_reference(body: str) -> tuple[list[str], list[int]]:
    """The paragraph loop the engine's preparation ran before its fast split."""
    import zlib

    paras: list[str] = []
    keys: list[int] = []
    seen: set[int] = set()
    body = normalize(body).replace("\r", "")
    for p in body.split("\n\n"):
        p = p.replace("\n", " ").strip()
        if not p:
            continue
        k = zlib.crc32(p.encode("utf-8", "surrogatepass"))
        if k in seen:
            continue
        seen.add(k)
        paras.append(p)
        keys.append(k)
    return paras, keys


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Ab c", "x", "", " ", "\n", "\n\n", "\r\n", "\x1c", "\xa0",
                                 "Ab c\n\nx", "\u2028", "é", "\ud800"]), max_size=12))  # fmt: skip
def test_prepare_paragraphs_equal_the_plain_loop(pieces: list[str]) -> None:
    import wireingest._dedup as dedup
    from wireingest.types import Article

    body = "".join(pieces)
    p = dedup.Deduplicator()._prepare_many([Article(id="x", body=body)], 0.0)[0]
    paras, keys = _prepare_reference(body)
    assert (p.text.split("\n") if p.text else [], p.paras) == (paras, keys)
    lede = next((q for q in paras if len(q) >= LEDE_MIN_CHARS), paras[0] if paras else "")
    assert p.lede == lede


def test_backends_give_identical_decisions_on_briefs_updates_and_policies() -> None:
    """The compiled candidate checks and anchors against the numpy ones, on every kind of
    match (near, contained, containing, several candidates) under both policies."""
    import wireingest._dedup as dedup
    from wireingest.types import Article

    bodies = [b for b in bbc_bodies(200) if b.count("\n\n") >= 4][:60]
    arts: list[Article] = []
    for i, b in enumerate(bodies):
        paras = b.split("\n\n")
        arts.append(Article(id=f"s{i}", body=b))
        if i % 4 == 0:
            arts.append(Article(id=f"b{i}", body="\n\n".join(paras[:2])))  # brief
        if i % 4 == 1:
            extra = "Officials gave further details on Tuesday, revising the earlier figures."
            upd = "\n\n".join([paras[0], extra, *paras[1:]])
            arts.append(Article(id=f"u{i}", body=upd, version="UPDATE 1"))
            arts.append(Article(id=f"y{i}", body=f"{b}\n\nEnds."))  # may match both
        if i % 4 == 2:
            arts.append(Article(id=f"w{i}", body=f"By Staff\n\n{b}\n\nFollow us online."))
            arts.append(Article(id=f"x{i}", body=b.replace(" the ", " The ") + "\n\nEnds."))
    rng = np.random.default_rng(5)
    order = rng.permutation(len(arts))
    arts = [arts[k] for k in order]
    for i, b in enumerate(bbc_bodies(300)[200:210]):  # a copy that matches two emitted ones
        lead = "\n\n".join(b.split("\n\n")[:2])
        arts += [Article(id=f"l{i}", body=lead), Article(id=f"f{i}", body=b),
                 Article(id=f"c{i}", body=f"{b}\n\nEnds.")]  # fmt: skip
    for policy in ("first", "best"):
        runs = {}
        for backend in BACKENDS:
            d = dedup.Deduplicator(dedup.DedupConfig(policy=policy), backend=backend)
            runs[backend] = [
                x for k in range(0, len(arts), 16) for x in d.check_many(arts[k : k + 16], now=0.0)
            ]
        assert {x.reason for x in runs["numpy"]} >= {"near-duplicate", "contained"}
        assert max(len(x.matches) for x in runs["numpy"]) >= 2  # several candidates
        for backend in BACKENDS:
            assert runs[backend] == runs["numpy"], (policy, backend)


# -- the backend switch (issue #11 goal 1) ------------------------------------------------------
def _decide_in_child(
    env: dict[str, str], extra_path: str | None = None
) -> subprocess.CompletedProcess[str]:
    code = (
        "import wireingest._kernels as k;"
        "from wireingest._dedup import Deduplicator;"
        "from wireingest.types import Article;"
        "x = Deduplicator();"
        "a = Article(id='a', body='one two three four five six seven eight nine ten');"
        "b = Article(id='b', body='One two three four five six seven eight nine ten!');"
        "print(x.backend, [r.reason for r in x.check_many([a, b])])"
    )
    path = os.pathsep.join(p for p in (extra_path, str(ROOT)) if p)
    return subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env, "PYTHONPATH": path},
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_compiled_kernels_are_the_default() -> None:
    out = _decide_in_child({})
    assert out.stdout.strip() == "numba [None, 'exact-duplicate']"
    assert "warning" not in out.stderr.lower()


def test_broken_numba_falls_back_with_one_warning(tmp_path: Path) -> None:
    fake = tmp_path / "numba"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('llvmlite is broken here')\n")
    out = _decide_in_child({}, extra_path=str(tmp_path))
    assert out.stdout.strip() == "numpy [None, 'exact-duplicate']"
    lines = [x for x in out.stderr.splitlines() if "numba kernels could not load" in x]
    assert len(lines) == 1 and "llvmlite is broken here" in lines[0]


def test_numba_cache_goes_to_a_user_dir_when_the_package_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wireingest._kernels as k

    if "numba" in sys.modules:  # restored afterwards, like the environment
        from numba.core import config

        monkeypatch.setattr(config, "CACHE_DIR", getattr(config, "CACHE_DIR", ""), raising=False)
    monkeypatch.setenv("NUMBA_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(k.os, "access", lambda path, mode: False)
    k._ensure_cache_dir()
    assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "wireingest" / "numba")
    assert (tmp_path / "wireingest" / "numba").is_dir()


_LATIN1 = st.characters(max_codepoint=0xFF, blacklist_characters="\n")
_ANY = st.characters(blacklist_characters="\n")


@given(
    st.lists(st.text(alphabet=_ANY, max_size=40), max_size=12)
    | st.lists(st.text(alphabet=_LATIN1, max_size=40), max_size=12)
)
@settings(max_examples=400, deadline=None)
def test_paragraph_keys_are_zlib_crc32_of_each_paragraph(paras: list[str]) -> None:
    """The bulk paragraph keys (one compiled CRC-32 pass when the kernels are loaded: slicing
    by eight bytes, then byte by byte; Latin-1 text read as it is and its UTF-8 written on
    the way) are zlib.crc32 of each paragraph's UTF-8, lone surrogates included, at every
    length around the eight-byte steps."""
    if "numba" in BACKENDS:
        kernels.load()
    want = [zlib.crc32(p.encode("utf-8", "surrogatepass")) for p in paras]
    assert paragraph_keys(paras) == want


def test_paragraph_keys_on_articles_with_and_without_the_kernels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paras = [p.strip() for body in bbc_bodies(40) for p in normalize(body).split("\n") if p]
    paras += ["", "é", "中国经济", "x" * 7, "y" * 8, "z" * 9]
    want = [zlib.crc32(p.encode("utf-8")) for p in paras]
    if "numba" in BACKENDS:
        kernels.load()
        assert _text._fold_kernel() is not None  # the compiled pass is the one under test
    assert paragraph_keys(paras) == want
    monkeypatch.setattr(_text, "_fold_kernel", lambda: None)
    assert paragraph_keys(paras) == want


def _kernel_path(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run on the compiled kernels (loaded; no numba, no compiled path to test) or on the
    numpy path (the kernels reported as not loaded)."""
    if compiled:
        if "numba" not in BACKENDS:
            pytest.skip("numba is not installed: no compiled kernel to test")
        assert kernels.load()
    else:
        monkeypatch.setattr(kernels, "loaded", lambda: False)


@pytest.mark.parametrize("compiled", [True, False])
def test_key_index_merge_keeps_every_entry_in_key_then_insertion_order(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The buffer of recent entries merges into the sorted arrays (a compiled one-pass merge
    when the kernels are loaded, numpy masks when not) as a stable sort of everything in
    insertion order would put it: duplicate keys, keys below and above every array key,
    over several merges."""
    _kernel_path(compiled, monkeypatch)
    rng = np.random.default_rng(7)
    index = KeyIndex()
    all_keys: list[int] = []
    all_vals: list[int] = []
    slot = 0
    for round_ in range(6):
        for _ in range(200 + 150 * round_):
            ks = rng.integers(0, 400 + 100 * round_, int(rng.integers(1, 9))).tolist()
            index.add(ks, slot)
            all_keys += ks
            all_vals += [slot] * len(ks)
            slot += 1
        index.merge()
        order = np.argsort(np.asarray(all_keys, dtype=np.uint32), kind="stable")
        assert index.keys.tolist() == np.asarray(all_keys)[order].tolist()
        assert index.vals.tolist() == np.asarray(all_vals)[order].tolist()


@pytest.mark.parametrize("compiled", [True, False])
def test_key_index_ranges_are_the_binary_search_bounds(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``KeyIndex.ranges`` (galloping from key to key in increasing order when the kernels
    are loaded, numpy's binary search when not) gives each key's first position and the one
    after its last: keys held once, many times (a stock phrase), not at all, below and above
    every key of the index, repeated in the query, and an empty index."""
    _kernel_path(compiled, monkeypatch)
    rng = np.random.default_rng(11)
    for trial in range(120):
        top = int(rng.integers(2, 6000))
        held = rng.integers(0, top, int(rng.integers(0, 3000))).astype(np.uint32)
        if trial % 4 == 0:
            held = np.concatenate([held, np.full(int(rng.integers(1, 400)), top // 2, np.uint32)])
        index = KeyIndex()
        index.bulk_add(held, np.arange(len(held), dtype=np.int32))
        arr = index.keys
        keys = rng.integers(0, top + 5, int(rng.integers(1, 500))).astype(np.uint32)
        if len(arr):
            keys = np.concatenate([keys, arr[:3], arr[-3:], [0, 2**32 - 1], keys[:4]])
        keys = keys.astype(np.uint32)
        lo, hi = index.ranges(keys)
        assert lo.tolist() == np.searchsorted(arr, keys, side="left").tolist()
        assert hi.tolist() == np.searchsorted(arr, keys, side="right").tolist()


@pytest.mark.parametrize("compiled", [True, False])
def test_boilerplate_sketch_bulk_counts_are_the_one_by_one_counts(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``BoilerplateSketch.add_many`` (a compiled loop when the kernels are loaded, numpy
    when not) counts as ``add`` does key by key, saturating at 255, across a rotation; and
    ``counts`` reads the smaller of the two cells, the old generation's added."""
    _kernel_path(compiled, monkeypatch)
    rng = np.random.default_rng(5)
    bulk = BoilerplateSketch(width_bits=8, generation=20_000)
    one = BoilerplateSketch(width_bits=8, generation=1 << 40)  # rotated as bulk is (below)
    rotations = 0
    for r in range(12):
        keys = rng.integers(0, 2**32, int(rng.integers(0, 3000)), dtype=np.uint64).tolist()
        keys += [7] * (300 if r % 3 == 0 else 0)  # saturates
        before = bulk.taken
        bulk.add_many(keys)
        for k in keys:  # add() takes one article's distinct keys: one key per call here
            one.add([k])
        if bulk.taken < before + len(keys):  # (a bulk rotates after its last key)
            one.rotate()
            rotations += 1
        assert (bulk.cur, bulk.old) == (one.cur, one.old)
        probe = np.asarray([*keys[:400], 1, 2, 3], dtype=np.uint32)
        m = one.mask
        a = probe.astype(np.int64) & m
        b = (((probe * np.uint32(0x9E3779B1)) >> np.uint32(11)) & m).astype(np.int64) + m + 1
        cur = np.frombuffer(one.cur, dtype=np.uint8).astype(np.int32)
        old = np.frombuffer(one.old, dtype=np.uint8).astype(np.int32)
        want = np.minimum(cur[a] + old[a], cur[b] + old[b])
        assert bulk.counts(probe).tolist() == want.tolist()
    assert rotations >= 1


def test_long_tokens_hash_the_same_in_both_kernels() -> None:
    """The compiled shingle kernel takes a token's powers of P from a table of 256 and reads
    a text with a longer token (a URL, a run of letters) again with the running product: the
    hashes of tokens of 255, 256, 257 and more characters are those of the numpy kernel, in
    texts with and without such a token, the long one first, last or alone."""
    if "numba" not in BACKENDS:
        pytest.skip("numba is not installed: no compiled kernel to compare")
    words = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "again"]
    texts = [
        " ".join(words),
        "x" * 255 + " " + " ".join(words),
        " ".join(words) + " " + "y" * 256,
        " ".join(words[:3]) + " " + "z" * 257 + " " + " ".join(words[3:]),
        "w" * 1000,
        "q" * 300 + " " + "r" * 257 + " end",
        "é" * 400 + " " + " ".join(words),
    ]
    char = np.zeros(len(texts), dtype=bool)
    sizes = np.full(len(texts), 5, dtype=np.int64)
    want = K.shingle_batch(*K.encode_batch(texts), char, sizes, "numpy")
    for compact in (True, False):  # (bytes when every text is Latin-1: the numba kernel only)
        got = K.shingle_batch(*K.encode_batch(texts, compact=compact), char, sizes, "numba")
        for g, w in zip(got, want, strict=True):
            assert g.tolist() == w.tolist()


def test_ids_find_the_rows_of_an_id_after_a_selection() -> None:
    """``Ids.with_id`` finds exactly the rows holding an id (non-ASCII and lone surrogates
    included, prefixes and the empty id apart), also after ``select`` dropped rows."""
    names = ["a-1", "é\ud800", "a-1", "a-10", "", "urn:x:1", "a-1", "a"]
    ids = Ids(names)
    rows = range(len(names))
    for name in set(names):
        assert ids.with_id(name, rows) == [i for i, n in enumerate(names) if n == name]
    assert ids.with_id("a-2", rows) == []
    assert ids.with_id("a-1", [3, 6, 0]) == [6, 0]
    keep = [i % 2 == 1 for i in range(len(names))]
    kept = [n for n, k in zip(names, keep, strict=True) if k]
    small = ids.select(keep)
    assert list(small) == kept
    for name in set(names):
        want = [i for i, n in enumerate(kept) if n == name]
        assert small.with_id(name, range(len(kept))) == want
