"""The HTTP client: one connection pool per crawler, and a guard against private addresses.

The guard sits in the connection layer: it resolves the host itself, refuses private, loopback,
link-local and other non-public addresses, and connects to the very address it checked. So a redirect
to an internal host, or a DNS name that resolves to one (even one that changes its answer between two
look-ups), cannot reach it. TLS still verifies the certificate against the host name.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import httpcore
import httpx

from etl import __version__ as ETL_VERSION

PROJECT_URL = "https://github.com/thinktank-etl/thinktank-etl"
ROBOTS_AGENT = "thinktank-etl"


def default_user_agent() -> str:
    contact = os.environ.get("ETL_CRAWLER_CONTACT") or PROJECT_URL
    return f"{ROBOTS_AGENT}/{ETL_VERSION} (+{contact}; news ingestion for research)"


class AddressRefused(httpcore.ConnectError):
    """The host resolves to an address the crawler must not contact."""


def non_public_reason(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for label, flag in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                        ("private", ip.is_private), ("multicast", ip.is_multicast),
                        ("unspecified", ip.is_unspecified), ("reserved", ip.is_reserved),
                        ("non-global", not ip.is_global)):
        if flag:
            return f"{label} address {ip}"
    return None


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_host(host: str, port: int, allow_private: bool) -> str | None:
    """Why `host` must not be contacted, or None. DNS failures are left to the request (retried)."""
    if allow_private:
        return None
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        return None
    for address in addresses:
        reason = non_public_reason(address)
        if reason:
            return f"{host} resolves to a {reason}"
    return None


class _GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, allow_private: bool):
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        if self._allow_private:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        for address in addresses:
            reason = non_public_reason(address)
            if reason:
                raise AddressRefused(f"{host} resolves to a {reason}")
        last_error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise AddressRefused("unix sockets are not crawled")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool):
        super().__init__(http1=True, http2=False, retries=0)
        # httpx has no public hook for the network backend: swap the pool for one that uses the guard.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            max_keepalive_connections=10,
            keepalive_expiry=30.0,
            http1=True,
            http2=False,
            network_backend=_GuardedBackend(allow_private),
        )


def build_client(*, user_agent: str, timeout: float, allow_private: bool) -> httpx.Client:
    return httpx.Client(
        transport=_GuardedTransport(allow_private),
        headers={"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,  # redirects are checked one by one (same site, loops, addresses)
        trust_env=False,  # no proxy from the environment: the address guard must see the real peer
    )


def is_address_refusal(exc: BaseException) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, AddressRefused):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
