"""Deutsche Presse-Agentur (dpa.com, dpa-international.com).

Dateline form ``Berlin (dpa) -`` (``FRANKFURT (dpa-AFX) -``). Local times are Berlin time.
Items carry a tracking code ``dpa:220914-99-123456/3``.
"""

from __future__ import annotations

from wireingest._profiles import Profile, compile_all

PROFILE = Profile(
    name="dpa",
    display_name="Deutsche Presse-Agentur",
    agency_names=("dpa", "dpa-afx", "deutsche presse-agentur", "dpa-infocom"),
    domains=("dpa.com", "dpa-international.com", "dpa-afx.de", "dpa.de", "dpa-infocom.de"),
    tz="Europe/Berlin",
    languages=("de", "en", "es", "ar"),
    dateline_patterns=compile_all(r"^[^\W\d][^()]{0,60}\(dpa(?:-AFX)?\)\s*[-—–]"),
    footer_patterns=compile_all(
        r"^\s*(?:©|\(c\))\s*dpa(?:-infocom|-AFX)?\b.{0,120}$",
        r"^\s*(?:jetzt\s+)?(?:den\s+|unseren\s+)?newsletter\s+(?:abonnieren|bestellen)\b.{0,120}$",
        r"^\s*datenschutz(?:erklärung|hinweise)?\.?\s*$",
        r"^\s*dpa\s+[a-z]{2,4}(?:\s+[a-z]{2,4})?(?:\s+(?:yy|zz|xx)\w*)*\s*$",
        # dpa-AFX desk sign-off at the end of an item: "/ck/jha", "/ys/he/stk"
        r"^\s*/[a-z]{2,4}(?:/[a-z]{2,4}){1,4}\s*$",
    ),
    tracking_id_patterns=compile_all(
        r"^\s*(?:©\s*dpa-infocom,?\s*)?dpa:\d{6}-\d{2}-\d+(?:/\d+)?\s*$"
    ),
    title_suffix_patterns=compile_all(r"\s*[|-]\s*dpa(?: International)?\s*$"),
)
