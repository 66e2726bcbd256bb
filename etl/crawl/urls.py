"""URL helpers: normalisation for de-duplication and the "same site" rule for redirects."""

from __future__ import annotations

import ipaddress
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
    host = parts.hostname.lower()
    if not host.isascii():
        host = host.encode("idna").decode("ascii")  # кремль.рф -> xn--...: one spelling per host
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    # Percent-encode what a browser would (Cyrillic slugs, spaces), leaving existing escapes alone, so
    # the same page linked both ways is one URL.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((scheme, netloc, path, query, ""))


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
