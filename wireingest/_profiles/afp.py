"""Agence France-Presse (afp.com).

Dateline forms ``STOCKHOLM, Aug 29, 2014 (AFP) -`` and ``Paris (AFP) -``. Local times are
Paris time. Wire copy ends with desk initials (``jz/dl``, ``bur-cs/mm``).
"""

from __future__ import annotations

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="afp",
    display_name="Agence France-Presse",
    agency_names=("afp", "agence france-presse", "agence france presse", "afp-jiji"),
    domains=("afp.com", "afpforum.com", "factuel.afp.com", "factcheck.afp.com"),
    tz="Europe/Paris",
    languages=("fr", "en", "es", "de", "pt", "ar"),
    dateline_patterns=compile_all(r"^[^\W\d][^()]{0,80}\(AFP\)\s*[-—–]"),
    footer_patterns=compile_all(
        r"^\s*(?:©|copyright)\s*(?:\d{4}\s+)?(?:AFP|agence france-presse).{0,80}$",
        r"^\s*tous droits (?:de reproduction )?réservés\.?.{0,80}$",
        # newsletter sign-up and privacy-policy link lines of afp.com pages
        r"^\s*(?:inscrivez-vous|abonnez-vous|sign up)\b.{0,40}\bnewsletter\b.{0,120}$",
        r"^\s*(?:politique de confidentialité|privacy policy)\.?\s*$",
    ),
    tracking_id_patterns=compile_all(
        # desk sign-off initials: "jz/dl", "bur-cs/mm", "ab/cd/ef"
        r"^\s*[a-z]{2,4}(?:-[a-z]{2,4})?(?:/[a-z]{2,4}){1,5}\s*$",
    ),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*AFP(?:\.com)?\s*$"),
)
