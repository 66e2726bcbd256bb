"""The transport: the only module that speaks HTTP (httpx/httpcore). It owns the connection pool, the
guard against private addresses, the wall-clock deadline of a request, and reading a body within a
size limit, decoding every Content-Encoding layer itself so no layer can grow past that limit.

The guard sits in the connection layer: it resolves the host itself, refuses private, loopback,
link-local and other non-public addresses, and connects to the very address it checked. So a redirect
to an internal host, or a DNS name that resolves to one (even one that changes its answer between two
look-ups), cannot reach it. TLS still verifies the certificate against the host name.

The deadline covers connect, headers and body: every socket operation of the request is given at
most the time left, so a server that trickles one byte a second (headers included) is cut off when
the deadline passes, not after each byte's read timeout.

Policies (retry, redirect, robots, rate, limits) live in their own modules and see only `Response`
and `TransportFailure`.
"""

from __future__ import annotations

import contextvars
import functools
import ipaddress
import os
import socket
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpcore
import httpx

from etl import __version__ as ETL_VERSION

PROJECT_URL = "https://github.com/thinktank-etl/thinktank-etl"
ROBOTS_AGENT = "thinktank-etl"
# Only encodings we decode ourselves, layer by layer within the size limit.
ACCEPT_ENCODING = "gzip, deflate"


def default_user_agent() -> str:
    contact = os.environ.get("ETL_CRAWLER_CONTACT") or PROJECT_URL
    return f"{ROBOTS_AGENT}/{ETL_VERSION} (+{contact}; news ingestion for research)"


# -- failures -------------------------------------------------------------------------------------------

class TransportFailure(Exception):
    """No usable response. `refused`: the URL or its address is not to be contacted (not retried);
    otherwise a network problem worth retrying (`timeout` tells a deadline or timeout apart)."""

    def __init__(self, message: str, *, refused: bool = False, timeout: bool = False, retryable: bool = True):
        super().__init__(message)
        self.refused, self.timeout, self.retryable = refused, timeout, retryable and not refused


class BodyOverLimit(Exception):
    """The body, at some decoding layer, is larger than the limit."""


class AddressRefused(httpcore.ConnectError):
    """The host resolves to an address the crawler must not contact."""


# -- the address guard ------------------------------------------------------------------------------------

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


# -- the deadline -------------------------------------------------------------------------------------------

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("etl_request_deadline", default=None)


def _time_left(timeout: float | None) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write gets at most the time left before the deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _time_left(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, allow_private: bool):
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        if self._allow_private:
            return _DeadlineStream(self._inner.connect_tcp(host, port, _time_left(timeout), local_address,
                                                           socket_options))
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
                return _DeadlineStream(self._inner.connect_tcp(address, port, _time_left(timeout), local_address,
                                                               socket_options))
            except httpcore.ConnectError as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise AddressRefused("unix sockets are not crawled")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@functools.cache
def _ssl_context():
    """One verifying TLS context per process: loading the CA bundle costs about 0.3 s of CPU each time."""
    return httpx.create_ssl_context()


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool):
        super().__init__(verify=_ssl_context(), http1=True, http2=False, retries=0)
        # httpx has no public hook for the network backend: swap the pool for one that uses the guard.
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=10,
            max_keepalive_connections=10,
            keepalive_expiry=30.0,
            http1=True,
            http2=False,
            network_backend=_GuardedBackend(allow_private),
        )


def build_client(*, user_agent: str, timeout: float, allow_private: bool,
                 transport: httpx.HTTPTransport | None = None) -> httpx.Client:
    return httpx.Client(
        transport=transport or _GuardedTransport(allow_private),
        headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING,
                 "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
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


# -- bounded decoding -----------------------------------------------------------------------------------------

class _Inflate:
    """One gzip or deflate layer, whose output may not pass `limit` bytes in all."""

    def __init__(self, encoding: str, limit: int):
        self.encoding, self.limit, self.produced = encoding, limit, 0
        self._raw_deflate_tried = False
        self._new()

    def _new(self, wbits: int | None = None):
        self._wbits = wbits if wbits is not None else (16 + zlib.MAX_WBITS if self.encoding == "gzip" else zlib.MAX_WBITS)
        self._z = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> bytes:
        out = []
        while data:
            try:
                chunk = self._z.decompress(data, self.limit - self.produced + 1)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._started and not self._raw_deflate_tried:
                    self._raw_deflate_tried = True  # servers send raw deflate for `deflate` too
                    self._new(-zlib.MAX_WBITS)
                    continue
                raise TransportFailure(f"cannot decode the {self.encoding} body: {exc}", retryable=False) from None
            self._started = True
            self.produced += len(chunk)
            if self.produced > self.limit:
                raise BodyOverLimit(f"{self.encoding} layer decodes to more than {self.limit} bytes")
            out.append(chunk)
            if self._z.unconsumed_tail:
                data = self._z.unconsumed_tail
            elif self._z.eof and self._z.unused_data and self.encoding == "gzip":
                data = self._z.unused_data  # a further gzip member
                self._new(self._wbits)
            else:
                data = b""
        return b"".join(out)


def _decoders(content_encoding: str | None, limit: int) -> list[_Inflate]:
    """The decoders for a Content-Encoding, in the order to apply them (last applied first)."""
    layers = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    decoders = []
    for encoding in reversed(layers):
        if encoding in ("identity", ""):
            continue
        if encoding in ("gzip", "x-gzip"):
            decoders.append(_Inflate("gzip", limit))
        elif encoding == "deflate":
            decoders.append(_Inflate("deflate", limit))
        else:
            raise TransportFailure(f"unsupported Content-Encoding {encoding!r} (we ask for {ACCEPT_ENCODING})",
                                   retryable=False)
    return decoders


# -- requests -------------------------------------------------------------------------------------------------------

@dataclass
class Response:
    """Status and headers of a response whose body is still unread; `read` reads it within limits."""

    status: int
    headers: dict[str, str]  # lower-case names
    _stream: httpx.Response
    _deadline: float = 0.0
    _deadline_seconds: float = 0.0

    def read(self, max_bytes: int, *, truncate: bool = False) -> bytes | None:
        """The decoded body; None when it (or any decoding layer) is over `max_bytes`, or with
        `truncate` its first `max_bytes` bytes. Memory stays within a few times `max_bytes`."""
        try:
            return self._read(max_bytes, truncate)
        except httpx.TimeoutException as exc:
            raise TransportFailure(_describe_timeout(exc, self._deadline, self._deadline_seconds), timeout=True) from None
        except httpx.HTTPError as exc:
            raise TransportFailure(_describe(exc)) from None

    def _read(self, max_bytes: int, truncate: bool) -> bytes | None:
        # Each layer may produce up to the limit (plus one byte, to see that it is over).
        decoders = _decoders(self.headers.get("content-encoding"), max_bytes + 1 if truncate else max_bytes)
        chunks, size = [], 0
        # The raw bytes as the connection gives them (httpx's exceptions, as iter_raw, without its
        # re-chunking copy): the limit is checked after each piece whatever its size.
        for raw in self._stream.stream:
            data = raw
            try:
                for decoder in decoders:
                    data = decoder.feed(data)
                    if not data:
                        break
            except BodyOverLimit:
                return b"".join(chunks)[:max_bytes] if truncate else None
            size += len(data)
            chunks.append(data)
            if size > max_bytes:
                if truncate:
                    return b"".join(chunks)[:max_bytes]
                return None
        return b"".join(chunks)


class Transport:
    """One connection pool; `open(url)` is one GET (no redirect followed) under a wall-clock deadline."""

    def __init__(self, *, user_agent: str, timeout: float, allow_private: bool):
        self._http = _GuardedTransport(allow_private)
        self.client = build_client(user_agent=user_agent, timeout=timeout, allow_private=allow_private,
                                   transport=self._http)

    @contextmanager
    def open(self, url: str, headers: dict[str, str], deadline_seconds: float) -> Iterator[Response]:
        deadline = time.monotonic() + deadline_seconds
        token = _DEADLINE.set(deadline)
        try:
            try:
                # The client builds the request (its headers, cookies and timeouts, the URL checked) and
                # keeps the cookies of the answer; the request itself goes straight to the transport:
                # no redirect, auth or event-hook layers, which a GET that follows no redirect never
                # uses (nor httpx's log line per request), at a tenth of a millisecond a request.
                request = self.client.build_request("GET", url, headers=headers)
                stream = self._http.handle_request(request)
                stream.request = request
                self.client.cookies.extract_cookies(stream)
            except httpx.InvalidURL as exc:
                raise TransportFailure(f"invalid URL: {exc}", refused=True) from None
            except httpx.TransportError as exc:
                if is_address_refusal(exc):
                    raise TransportFailure(f"{exc} (allow_private_hosts is off)", refused=True) from None
                if isinstance(exc, httpx.TimeoutException):
                    raise TransportFailure(_describe_timeout(exc, deadline, deadline_seconds), timeout=True) from None
                raise TransportFailure(_describe(exc)) from None
            except httpx.HTTPError as exc:
                raise TransportFailure(_describe(exc)) from None
            try:
                yield Response(stream.status_code, {k.lower(): v for k, v in stream.headers.items()}, stream,
                               deadline, deadline_seconds)
            finally:
                try:
                    stream.close()
                except httpx.HTTPError:
                    pass  # closing a broken connection: the pool drops it
        finally:
            _DEADLINE.reset(token)

    def close(self) -> None:
        self.client.close()


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        kind = {httpx.ConnectTimeout: "connect", httpx.ReadTimeout: "read", httpx.WriteTimeout: "write",
                httpx.PoolTimeout: "pool"}.get(type(exc), "")
        return f"timeout{' (' + kind + ')' if kind else ''}: {exc or 'no response in time'}"
    return f"{type(exc).__name__}: {exc or 'connection failed'}"


def _describe_timeout(exc: Exception, deadline: float, deadline_seconds: float) -> str:
    if time.monotonic() >= deadline - 0.01:
        return f"timeout: the {deadline_seconds:g}s deadline for the whole request (connect, headers, body) passed"
    return _describe(exc)


describe_error = _describe
