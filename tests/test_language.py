"""Language identification without dependencies: scripts and stopwords."""

from __future__ import annotations

import pytest

from wireingest._meta.language import detect_language

SAMPLES = {
    "en": "The government said on Monday that it would raise taxes for the first time in a "
    "decade, a move that was criticised by the opposition.",
    "fr": "Le gouvernement a annoncé lundi qu'il allait augmenter les impôts pour la première "
    "fois depuis dix ans, une décision critiquée par l'opposition.",
    "es": "El gobierno anunció el lunes que subirá los impuestos por primera vez en una "
    "década, una medida que fue criticada por la oposición.",
    "de": "Die Regierung hat am Montag angekündigt, dass sie die Steuern zum ersten Mal seit "
    "zehn Jahren erhöhen wird, was von der Opposition kritisiert wurde.",
    "it": "Il governo ha annunciato lunedì che aumenterà le tasse per la prima volta in un "
    "decennio, una mossa che è stata criticata dall'opposizione.",
    "pt": "O governo anunciou na segunda-feira que vai aumentar os impostos pela primeira vez "
    "em uma década, uma medida que foi criticada pela oposição.",
    "nl": "De regering heeft maandag aangekondigd dat zij de belastingen voor het eerst in tien "
    "jaar zal verhogen, een stap die door de oppositie werd bekritiseerd.",
    "ru": "Правительство в понедельник объявило, что впервые за десять лет повысит налоги, что "
    "вызвало критику со стороны оппозиции.",
    "uk": "Уряд у понеділок оголосив, що вперше за десять років підвищить податки, що викликало "
    "критику з боку опозиції.",
    "zh": "新华社北京3月31日电 国务院总理今天在北京主持召开国务院常务会议，部署进一步做好稳就业工作。",
    "ja": "政府は月曜日、10年ぶりに増税すると発表した。野党はこれを批判している。",
    "ko": "정부는 월요일 10년 만에 처음으로 세금을 인상할 것이라고 발표했다.",
    "ar": "أعلنت الحكومة يوم الاثنين أنها سترفع الضرائب لأول مرة منذ عشر سنوات، وهي خطوة انتقدتها "
    "المعارضة.",
    "el": "Η κυβέρνηση ανακοίνωσε τη Δευτέρα ότι θα αυξήσει τους φόρους για πρώτη φορά μετά από "
    "μια δεκαετία.",
    "th": "รัฐบาลประกาศเมื่อวันจันทร์ว่าจะขึ้นภาษีเป็นครั้งแรกในรอบทศวรรษ",
    "he": "הממשלה הודיעה ביום שני כי תעלה את המסים לראשונה מזה עשור.",
}


@pytest.mark.parametrize(("lang", "text"), sorted(SAMPLES.items()))
def test_languages(lang: str, text: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "12345 67", "OK", "Barack Obama Angela Merkel", "•••"])
def test_unsure_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_only_the_head_is_read() -> None:
    text = SAMPLES["fr"] * 40 + " " + SAMPLES["en"] * 400
    assert detect_language(text) == "fr"


def test_english_corpus_article() -> None:
    from pathlib import Path

    seed = Path(__file__).parent / "data" / "meta" / "seed_xinhua_fr.txt"
    assert detect_language(seed.read_text(encoding="utf-8")) == "fr"
