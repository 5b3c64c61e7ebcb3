"""Dependency-free language identification for article bodies.

Two stages, over the first 2000 characters only (stopwords over the first 1000):

1. **Script**: letters are counted per Unicode script. Han without kana is ``zh``, any kana
   ``ja``, Hangul ``ko``; Arabic script is ``ar`` (``fa``/``ur`` when their own letters
   dominate), Hebrew ``he``, Greek ``el``, Thai ``th``, Devanagari ``hi``, Georgian ``ka``,
   Armenian ``hy``, and so on. Cyrillic is ``ru`` unless letters specific to Ukrainian,
   Belarusian, Serbian/Macedonian or Bulgarian-heavy spelling decide otherwise.
2. **Stopwords** for Latin-script text: each language's most frequent function words are
   counted; the winner must have at least 3 hits and clearly beat the runner-up, else ``None``.
"""

from __future__ import annotations

import re
from collections import Counter

from wireingest._meta._ascii import ascii_standin

__all__ = ["detect_language"]

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is that for it was on with as by at from his her are be this "
        "have has had not but were which they their said will would been an who its also",
        "fr": "le la les des du de et est une un que qui dans pour par sur au aux pas ne se "
        "ce sont avec été il elle ont plus ses leur mais cette ces être nous vous où",
        "es": "el la los las de del y en que por con para una un es se al lo su sus como más "
        "pero fue ha han este esta entre sobre también sin desde ya muy hasta",
        "de": "der die das und ist nicht ein eine mit den dem des von zu auf für sich im auch "
        "als an bei nach wird wurde sind hat haben aus dass er sie es noch über",
        "it": "il lo la gli le di del della dei e che è non per con una un sono nel alla al "
        "si anche ha più come ma da sul dalla delle questo stato essere",
        "pt": "o a os as de do da dos das e que em no na não um uma para com por se mais foi "
        "ao pelo pela como mas são seu sua também ele ela entre já está",
        "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als bij door "
        "maar om dan nog wordt werd heeft hebben naar uit zij wel",
        "sv": "och att det som en på är av för med till den har de inte om ett var men från "
        "vid sig kan så efter också eller under",
        "da": "og at det som en på er af for med til den har de ikke om et var men fra ved "
        "sig kan så efter også eller under blev",
        "no": "og at det som en på er av for med til den har de ikke om et var men fra ved "
        "seg kan så etter også eller under ble",
        "pl": "i w na z że do się nie to jest o jak ale po co od za przez już tym jego jej "
        "oraz był była które który także",
        "tr": "ve bir bu da de için ile olarak olan gibi daha çok en ama ki ya veya sonra "
        "kadar göre değil var yok her",
        "ro": "și în de la cu a pe din că care este un o nu se au mai pentru fost sunt ca "
        "acest această după",
        "ca": "el la els les de del i en que per amb una un és es al no més però també "
        "va seu seva són aquest aquesta",
        "id": "yang dan di ke dari ini itu dengan untuk dalam tidak akan pada juga ada oleh "
        "adalah karena telah sudah mereka",
    }.items()
}

LATIN_SAMPLE = 1000  # characters scored with stopwords (about 170 words)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)

# (first, last, tag) code-point ranges for scripts we decide on directly.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x0370, 0x03FF, "el"),
    (0x1F00, 0x1FFF, "el"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "hy"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x1000, 0x109F, "my"),
    (0x10A0, 0x10FF, "ka"),
    (0x1780, 0x17FF, "km"),
    (0x1200, 0x137F, "am"),
    (0x3040, 0x30FF, "kana"),
    (0x31F0, 0x31FF, "kana"),
    (0xAC00, 0xD7AF, "ko"),
    (0x1100, 0x11FF, "ko"),
    (0x3130, 0x318F, "ko"),
    (0x4E00, 0x9FFF, "han"),
    (0x3400, 0x4DBF, "han"),
    (0xF900, 0xFAFF, "han"),
)


def _script_of(cp: int) -> str | None:
    for lo, hi, tag in _RANGES:
        if lo <= cp <= hi:
            return tag
    return None


def _cyrillic_language(text: str) -> str:
    low = text.lower()
    counts = {
        "uk": sum(low.count(c) for c in "іїєґ"),
        "be": low.count("ў"),
        "sr": sum(low.count(c) for c in "ђјљњћџ"),
        "mk": sum(low.count(c) for c in "ѓќѕ"),
    }
    ru_only = sum(low.count(c) for c in "ыэ")
    best = max(counts, key=lambda k: counts[k])
    if counts[best] >= 3 and counts[best] > ru_only:
        if best == "uk" and low.count("ў"):
            return "be"
        return best
    if ru_only == 0 and low.count("ъ") >= 3:
        return "bg"
    return "ru"


def _arabic_language(text: str) -> str:
    fa = sum(text.count(c) for c in "پچژگی")
    ur = sum(text.count(c) for c in "ٹڈڑںےھ")
    ar = sum(text.count(c) for c in "ةيىإأ")
    if ur >= 3 and ur > ar:
        return "ur"
    if fa >= 3 and fa > ar:
        return "fa"
    return "ar"


_ASCII_NON_LETTERS = bytes(i for i in range(128) if not chr(i).isalpha())
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


def _scripts(sample: str) -> dict[str, int]:
    """Letter counts per script tag; C-level counting, one lookup per distinct character."""
    scripts: dict[str, int] = {}
    latin = len(sample.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    if latin:
        scripts["latin"] = latin
    if not sample.isascii() and ascii_standin(sample) is None:
        # only non-ASCII characters need a look-up, and typographic punctuation is no letter
        for ch, n in Counter("".join(_NON_ASCII_RE.findall(sample))).items():
            if ch.isalpha():
                tag = _script_of(ord(ch))
                if tag is not None:
                    scripts[tag] = scripts.get(tag, 0) + n
    return scripts


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when unsure."""
    if not text:
        return None
    sample = text[:2000]
    scripts = _scripts(sample)
    if not scripts:
        return None
    total = sum(scripts.values())
    kana = scripts.get("kana", 0)
    if kana >= 5 or (kana and kana * 20 >= total):
        return "ja"
    han = scripts.get("han", 0)
    top = max(scripts, key=lambda k: scripts[k])
    if han and han * 3 >= total and top in ("han", "latin"):
        return "zh" if han >= 5 else None
    if top == "latin":
        return _latin_language(sample)
    if scripts[top] < 5:
        return None
    if top == "cyrillic":
        return _cyrillic_language(sample)
    if top == "arabic":
        return _arabic_language(sample)
    if top in ("kana", "han"):
        return "ja" if top == "kana" else "zh"
    return top


# Word tokens of ``_WORD_RE`` in C: ASCII letters to lower case, every other ASCII byte (digits
# included: ``\d`` is not a word character here) to a space; UTF-8 bytes >= 0x80 kept.
_WORD_BYTES = bytes(
    (ord(chr(c).lower()) if chr(c).isalpha() else 0x20) if c < 0x80 else c for c in range(256)
)
_LATIN_LANGS = tuple(_STOPWORDS)


def _latin_words(sample: str) -> list[str]:
    """``_WORD_RE.findall(sample)``: split at ASCII non-letters, the regex for odd tokens only."""
    if not sample.isascii():
        sample = ascii_standin(sample) or sample
    if sample.isascii():
        return sample.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    tokens = sample.encode("utf-8", "surrogatepass").translate(_WORD_BYTES)
    toks = tokens.decode("utf-8", "surrogatepass").split()
    if "".join(toks).isalpha():
        return toks
    out: list[str] = []
    for tok in toks:
        if tok.isalpha():
            out.append(tok)
        else:
            out.extend(_WORD_RE.findall(tok))
    return out


def _latin_language(sample: str) -> str | None:
    words = _latin_words(sample[:LATIN_SAMPLE].lower())
    if len(words) < 3:
        return None
    scores = dict.fromkeys(_LATIN_LANGS, 0)
    for w, n in Counter(filter(_WORD_LANGS.__contains__, words)).items():
        for lang in _WORD_LANGS[w]:
            scores[lang] += n
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, s1), (_, s2) = ranked[0], ranked[1]
    if s1 < 3 or s1 < max(2, len(words) // 20):
        return None
    if s1 < s2 * 1.25 + 1:
        # close race: Scandinavian neighbours and ca/es need a clearer margin
        return None
    return best
