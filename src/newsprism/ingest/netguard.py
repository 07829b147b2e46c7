"""Connection-level safety: refuse non-public addresses and enforce a total deadline per request.

The check runs inside the connection itself (an httpcore network backend), on the very address
the socket connects to. Checking a hostname first and letting the HTTP library resolve it again
would leave a DNS-rebinding gap; here the resolved address that passed the check is the one used,
on the first request and on every redirect hop alike.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import typing
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import httpcore
from httpcore import NetworkStream
from httpcore._backends.sync import SyncBackend

from newsprism.errors import UnsafeURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Lookups in flight at once; a lookup stuck on a dead resolver holds one thread until the
# resolver gives up, and the rest keep working.
_RESOLVER = ThreadPoolExecutor(max_workers=8, thread_name_prefix="newsprism-dns")

# The deadline of the request running on this thread (time.monotonic()); every socket read and
# connect is bounded by what is left of it, so a server that drips bytes is cut off on time.
_deadline = threading.local()


def set_deadline(deadline: float | None) -> None:
    _deadline.value = deadline


def _remaining(timeout: float | None) -> float | None:
    deadline: float | None = getattr(_deadline, "value", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the total time limit for the request was reached")
    return left if timeout is None else min(timeout, left)


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses.

    ``is_global`` already excludes private, loopback, link-local (169.254/16, where cloud
    metadata services live), shared CGNAT space, documentation and reserved ranges; multicast
    is excluded separately, and IPv4-mapped IPv6 addresses are judged as the IPv4 they carry.
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, timeout: float | None = None) -> list[tuple[int, str]]:
    """(family, address) pairs for host, in the resolver's order of preference.

    getaddrinfo has no timeout of its own (a dead resolver blocks for its full retry cycle),
    so names are looked up on a small thread pool and waited for at most ``timeout``.
    """
    try:
        ipaddress.ip_address(host.strip("[]"))
        literal = True
    except ValueError:
        literal = False
    try:
        if literal:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        else:
            lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
            infos = lookup.result(timeout=timeout)
    except FutureTimeout:
        raise httpcore.ConnectTimeout(
            f"looking up host {host!r} took longer than {timeout:g} s"
        ) from None
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host!r}: {exc}") from None
    seen: list[tuple[int, str]] = []
    for family, _type, _proto, _name, sockaddr in infos:
        pair = (int(family), str(sockaddr[0]))
        if pair not in seen:
            seen.append(pair)
    return seen


def check_addresses(host: str, addresses: list[tuple[int, str]], allow_private: bool) -> None:
    if allow_private:
        return
    for _family, address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not is_public_address(ip):
            raise UnsafeURLError(
                f"refused: {host} resolves to non-public address {ip} "
                "(set NEWSPRISM_ALLOW_PRIVATE_NETWORKS=1 to allow private networks)"
            )


class DeadlineStream(NetworkStream):
    """A socket stream whose every read and write is bounded by the request's total deadline."""

    def __init__(self, inner: NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> NetworkStream:
        return DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout))
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(SyncBackend):
    """Resolves the host once, refuses non-public addresses, and connects to the checked one."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> NetworkStream:
        addresses = resolve(host, port, _remaining(timeout))
        check_addresses(host, addresses, self.allow_private)
        last_error: Exception | None = None
        for _family, address in addresses:
            try:
                stream = super().connect_tcp(
                    address, port, _remaining(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return DeadlineStream(stream)
        assert last_error is not None
        raise last_error
