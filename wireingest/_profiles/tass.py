"""TASS (tass.com in English, tass.ru in Russian).

Dateline forms ``MOSCOW, October 4. /TASS/.`` and ``МОСКВА, 4 октября. /ТАСС/.``. Local times
are Moscow time.
"""

from __future__ import annotations

from types import MappingProxyType

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="tass",
    display_name="TASS",
    agency_names=("tass", "тасс", "itar-tass", "итар-тасс"),
    domains=("tass.com", "tass.ru", "itar-tass.com"),
    tz="Europe/Moscow",
    languages=("ru", "en"),
    host_languages=MappingProxyType({"tass": "ru"}),
    dateline_patterns=compile_all(r"^[^\W\d][^/]{0,60},\s*[^/]{1,30}/\s*(?:TASS|ТАСС)\s*/"),
    footer_patterns=compile_all(
        r"^\s*(?:©|copyright)?\s*(?:\d{4}\s+)?(?:TASS|ТАСС)\b.{0,20}"
        r"(?:all rights reserved|все права защищены).{0,120}$",
        r"^\s*(?:follow|подписывайтесь на)\s+(?:TASS|ТАСС)\b.{0,80}$",
        r"^\s*подпишитесь на (?:нашу )?рассылку.{0,120}$",
        r"^\s*политика конфиденциальности\.?\s*$",
    ),
    tracking_id_patterns=compile_all(r"^\s*(?:TASS|ТАСС)-ID-[\w-]+\s*$"),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*(?:TASS|ТАСС)\s*$"),
)
