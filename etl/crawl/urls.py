"""URL helpers: normalisation for de-duplication and the "same site" rule for redirects."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from tld import get_fld


ALLOWED_SCHEMES = ("http", "https")


def absolute_url(base: str, href: str) -> str | None:
    """`href` resolved against `base`, fragment stripped; None for non-http(s) links (mailto:, javascript:)."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urljoin(base, href)
        return normalise_url(url)
    except ValueError:  # malformed IPv6 literal, bad port, ...
        return None


def normalise_url(url: str) -> str | None:
    """Lower-case scheme and host; no fragment, credentials or default port; None unless http(s) with a host."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")  # "example.org." is the same host as "example.org"
    if not host:
        return None
    if not host.isascii():
        host = host.encode("idna").decode("ascii")  # кремль.рф -> xn--...: one spelling per host
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    # Percent-encode what a browser would (Cyrillic slugs, spaces), leaving existing escapes alone, so
    # the same page linked both ways is one URL.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(drop_tracking_parameters(parts.query), safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((scheme, netloc, path, query, ""))


# Query parameters that say how a reader came to a page, not which page it is: campaign tags, click
# ids of ad and social networks, mail campaign ids, a CMS's search-phrase counter (Bitrix appends
# ?sphrase_id=N to links from its search results). Dropped so one article is one URL.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid",
    "ttclid", "igshid", "mc_cid", "mc_eid", "_openstat", "sphrase_id", "_ga", "_gl", "mkt_tok",
    "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid",
})
TRACKING_PREFIXES = ("utm_",)


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def drop_tracking_parameters(query: str) -> str:
    """The query without tracking parameters (and empty pieces); the others keep their order and spelling."""
    if not query:
        return ""
    kept = [piece for piece in query.split("&")
            if piece and not is_tracking_parameter(piece.split("=", 1)[0])]
    return "&".join(kept)


def host_key(host: str) -> str:
    """What makes two spellings of a host the same site: case, a trailing dot and a `www.` prefix do not."""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def site_spellings(urls: Iterable[str]) -> dict[str, tuple[str, str]]:
    """{host key: (scheme, netloc)} of the origins the given URLs (a source's entry URLs) are written with."""
    spellings: dict[str, tuple[str, str]] = {}
    for url in urls:
        normal = normalise_url(url)
        if normal:
            parts = urlsplit(normal)
            spellings.setdefault(_origin_key(parts), (parts.scheme, parts.netloc))
    return spellings


def canonical_url(url: str, spellings: Mapping[str, tuple[str, str]] | None = None) -> str | None:
    """`normalise_url`, and a host variant of a known site (`www.`, other scheme) written as the site is.

    `spellings` (from `site_spellings` of a source's entry URLs) names each site's one spelling: links
    to `http://www.example.org./x?utm_source=y` and `https://example.org/x` are then one URL.
    """
    normal = normalise_url(url)
    if not normal or not spellings:
        return normal
    parts = urlsplit(normal)
    spelled = spellings.get(_origin_key(parts))
    if spelled is None or spelled == (parts.scheme, parts.netloc):
        return normal
    return urlunsplit((*spelled, parts.path, parts.query, ""))


def record_url(stated: str | None, fetched: str | None) -> str | None:
    """The URL an article is stored under: the page's own canonical URL (else the fetched one),
    normalised, and written with the fetched URL's origin when it names a variant of that host, so
    `<link rel=canonical href="http://www.example.org/x?utm_source=y">` on https://example.org/x
    does not store the article a second time. A URL that is not http(s) is kept as it is."""
    url = stated or fetched
    if url:
        url = url.replace("\x00", "")  # records hold no NUL (see strip_nul): removed, not encoded
    if fetched:
        fetched = fetched.replace("\x00", "")
    normal = normalise_url(url) if url else None
    if normal is None:
        return url
    fetched_normal = normalise_url(fetched) if fetched else None
    return canonical_url(normal, site_spellings([fetched_normal])) if fetched_normal else normal


def _origin_key(parts) -> str:
    """Host key plus an explicit non-default port (a site on another port is another site)."""
    netloc = parts.netloc
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") and ":" in netloc else (netloc, "", "")
    return f"{host_key(host)}:{port}" if port else host_key(host)


def registered_domain(host: str) -> str:
    """The registrable domain (`www.bisr.gov.by` -> `bisr.gov.by`); an IP or a bare name stands for itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def same_site(url: str, domains: frozenset[str]) -> bool:
    host = urlsplit(url).hostname
    return bool(host) and registered_domain(host) in domains


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
