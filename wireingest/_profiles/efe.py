"""Agencia EFE (efe.com).

Dateline form ``Tegucigalpa, 2 ene (EFE).-``. Local times are Madrid time. Copy ends with a
sign-off such as ``EFE ab/cd`` and sometimes a ``(foto)(vídeo)`` media note.
"""

from __future__ import annotations

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="efe",
    display_name="Agencia EFE",
    agency_names=("efe", "agencia efe", "efeagro", "efe verde"),
    domains=("efe.com", "efeagro.com", "efeverde.com", "efeminista.com", "efesalud.com"),
    tz="Europe/Madrid",
    languages=("es", "en", "pt", "ca", "ar", "fr"),
    dateline_patterns=compile_all(r"^[^\W\d][^()]{0,60},\s*[^()]{1,30}\(EFE\)\s*\.?\s*-"),
    footer_patterns=compile_all(
        r"^\s*EFE\s+[a-z]{2,4}(?:[/-][a-z]{2,4})*(?:\s*\([^)]{1,20}\))*\s*$",
        r"^\s*(?:\((?:foto|fotos|vídeo|video|audio|infografía)\)\s*)+$",
        r"^\s*(?:©|\(c\))\s*(?:agencia\s+)?EFE\b.{0,120}$",
        # "© EFE 2023. Está expresamente prohibida la redistribución ... consentimiento."
        r"^\s*(?:©|\(c\))\s*(?:agencia\s+)?EFE\b.{0,40}"
        r"prohibida la (?:redistribución|reproducción).{0,200}$",
        r"^\s*suscr[íi]bete\b.{0,40}\b(?:bolet[íi]n|newsletter)\b.{0,120}$",
        r"^\s*pol[íi]tica de privacidad\.?\s*$",
    ),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*(?:Agencia )?EFE(?:\.com)?\s*$"),
)
