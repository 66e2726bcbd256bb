"""Which redirects a fetch follows: same site only, no loops, a bounded chain, http(s) only."""

from __future__ import annotations

from urllib.parse import urlsplit

from etl.crawl.urls import registered_domain

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})


def redirect_problem(chain: list[str], target: str | None, location: str | None, *, max_redirects: int,
                     site_domains: frozenset[str]) -> str | None:
    """Why the redirect from the end of `chain` to `target` is not followed, or None."""
    if target is None:
        return f"redirect to a non-http(s) location {location!r:.200}"
    if target in chain:
        return "redirect loop: " + " -> ".join(chain + [target])
    if len(chain) > max_redirects:
        return f"more than {max_redirects} redirects: " + " -> ".join(chain + [target])
    host = urlsplit(target).hostname or ""
    if registered_domain(host) not in site_domains:
        return f"redirect off the source's site to {target}"
    return None
