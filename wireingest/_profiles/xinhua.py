"""Xinhua News Agency: xinhuanet.com / news.cn in all their language sites.

Dateline forms: ``BEIJING, March 31 (Xinhua) --``, ``HANGZHOU, 26 novembre (Xinhua) --``,
``PEKÍN, 31 mar (Xinhua) --``, ``ПЕКИН, 31 марта /Синьхуа/ --`` and the Chinese
``新华社北京3月31日电``. Page times are Beijing time. Pages end with a contact line and a long
all-digit tracking ID.
"""

from __future__ import annotations

from types import MappingProxyType

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="xinhua",
    display_name="Xinhua News Agency",
    agency_names=("xinhua", "xinhuanet", "新华社", "синьхуа", "xinhua news agency"),
    domains=("xinhuanet.com", "news.cn", "xinhua.org", "chinaview.cn", "xinhuanet.cn"),
    tz="Asia/Shanghai",
    languages=("zh", "en", "fr", "es", "ru", "ar", "de", "pt", "it", "ja", "ko"),
    host_languages=MappingProxyType(
        {
            "english": "en",
            "french": "fr",
            "spanish": "es",
            "russian": "ru",
            "arabic": "ar",
            "german": "de",
            "portuguese": "pt",
            "italian": "it",
            "japanese": "ja",
            "jp": "ja",
            "korean": "ko",
            "kr": "ko",
            "www": "zh",
        }
    ),
    dateline_patterns=compile_all(
        r"^[^\W\d][^,()]{0,60}(?:\([^)]{1,40}\))?,\s*[^()]{1,30}\((?:Xinhua|Синьхуа)\)\s*--",
        r"^新华社\S{1,12}?\d{1,2}月\d{1,2}日电",
    ),
    footer_patterns=compile_all(
        # French, Spanish, English, ... contact lines that name a news.cn mailbox
        r"^.{0,160}\b[\w.-]+@(?:news\.cn|xinhuanet\.com)\b.{0,80}$",
        # "Source: Xinhua | Editor: huaxia", "Fuente: Xinhua", "Источник: Синьхуа"
        r"^\s*(?:source|fuente|quelle|fonte|источник)\s*[:：]\s*(?:xinhua|синьхуа)\b.{0,80}$",
        r"^\s*\[?\s*(?:editor|web editor|editeur|éditeur|rédacteur|redactor|editora?"
        r"|редактор)\s*[:：]\s*[^\]\n]{1,40}\]?\s*$",
        r"^\s*(?:责任编辑|【纠错】|\[责任编辑).{0,40}$",
        r"^\s*(?:copyright|©)\s.{0,40}xinhua.{0,80}$",
        r"^\s*(?:copyright|©)\s*新华网.{0,40}$",
        r"^\s*订阅.{0,40}(?:新闻简报|新闻|newsletter).{0,80}$",
        r"^\s*隐私政策\s*$",
    ),
    tracking_id_patterns=compile_all(r"^\s*\d{24,}\s*$"),
    site_banner_patterns=compile_all(
        r"^\s*(?:[\w-]+\.)?(?:xinhuanet\.com|news\.cn)\s*(?:\||$)",
        r"^\s*(?:xinhua|xinhuanet|新华网)\s*\|",
    ),
    title_suffix_patterns=compile_all(
        r"\s*[-|_]\s*(?:Xinhua|[\w-]+\.(?:xinhuanet\.com|news\.cn)|xinhuanet|新华网)"
        r"(?:\s*[|_-]\s*[^|_]{0,40})*\s*$",
    ),
)
