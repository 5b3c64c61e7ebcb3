"""The host name that identifies a site: one function for every parser and for finishing.

``host_of("https://WWW.Reuters.com:443/world/x")``, ``host_of("www.reuters.com")`` and
``host_of("reuters.com.")`` are all ``"reuters.com"``: lower case, without scheme, user info,
port, path, trailing dot and a leading ``www.`` (``www2.`` and other labels stay: they can be
other sites). A relative URL, a URN or a name (``"Associated Press"``) gives ``None``. Article
sources, agency profiles, boilerplate learning and stable ids all use this form, so one site is
one source whether a record gave its URL or its host.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["canonical_url", "host_of"]

# A plain http(s) URL whose host is letters, digits, dots and hyphens (and maybe a port): the
# host is what urlsplit(url).hostname gives, without its cost; anything else goes to urlsplit.
_PLAIN_URL_RE = re.compile(r"https?://([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#]|\Z)", re.IGNORECASE)
_BARE_HOST_RE = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]*)?")


def host_of(value: object) -> str | None:
    """The site host of a URL or a bare host name (see the module doc), or ``None``."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    m = _PLAIN_URL_RE.match(s)
    if m is not None:
        h: str | None = m.group(1)
    elif "//" in s:
        try:
            h = urlsplit(s).hostname
        except ValueError:
            return None
    elif "/" in s:
        return None  # a relative URL names no host
    elif _BARE_HOST_RE.fullmatch(s):
        h = s.split(":", 1)[0]
    else:
        return None  # a name ("Associated Press"), a URN: no host
    if not h:
        return None
    h = h.lower().rstrip(".")
    if h.startswith("www."):
        h = h[4:]
    return h or None


_TRACKING = re.compile(
    r"^(?:utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid|at_[a-z]+)$"
)


def canonical_url(url: object) -> str | None:
    """One form of an absolute http(s) URL for identity: host as :func:`host_of` gives it,
    scheme ``http``/``https`` alike, default port, fragment, tracking parameters (``utm_*``,
    ``fbclid``, ...) and a trailing slash dropped, remaining parameters sorted. ``None`` when
    ``url`` is not an absolute URL."""
    if not isinstance(url, str) or "//" not in url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = host_of(url)
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in ("http", "https", ""):
        return None
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k.lower())
    )
    path = parts.path.rstrip("/") or ""
    q = urlencode(query)
    return f"//{host}{path}" + (f"?{q}" if q else "")
