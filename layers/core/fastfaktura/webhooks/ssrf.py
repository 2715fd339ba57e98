"""Which URLs an endpoint may have, checked when it is registered and again before every attempt.

A live business's endpoint is `https://<DNS name>` whose name resolves only to public addresses: no IP
literal in any spelling (dotted, decimal `2130706433`, octal `0177.0.0.1`, hex `0x7f000001`, `[::1]`),
no `localhost`, no credentials in the URL. The delivery then connects to the address checked here, not
to a second lookup of the name (DNS rebinding), with the name as TLS SNI and `Host`. A sandbox business
on the local stack may use `http://127.0.0.1:<port>`, and only that, when the stack says so.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastfaktura.domain.errors import ValidationFailed

Resolver = Callable[[str, int], Sequence[str]]
"""(host name, port) → the addresses it resolves to, as strings; tests inject their own."""

MAX_URL_LENGTH = 2048
LOCAL_SANDBOX_HOST = "127.0.0.1"
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")  # what inet_aton reads as part of an IPv4 address
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`addresses`, in resolver order) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    addresses: tuple[str, ...]


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]).partition("%")[0] for info in infos))


def is_public_address(text: str) -> bool:
    """Globally routable unicast, including the IPv4 address inside an IPv6 one (mapped `::ffff:`,
    compatible `::`, NAT64 `64:ff9b::`, 6to4 `2002::`): refuses loopback, private, link-local (the
    metadata service 169.254.169.254), CGNAT 100.64/10, `0.0.0.0`, ULA (fd00:ec2::254), multicast."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in _NAT64 or address in _IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
    return address.is_global and not (address.is_multicast or address.is_reserved)


def check_url(url: str, *, allow_local_http: bool = False, resolve: Resolver = system_resolver) -> Target:
    """The checked target of `url`, or ValidationFailed (422, field `url`, issue `unsafe_url`) saying why.
    `allow_local_http` is true only for a sandbox business on the local stack."""
    if len(url) > MAX_URL_LENGTH or not url.isascii() or any(char.isspace() or ord(char) < 32 for char in url):
        raise _refused(url, f"must be an ASCII URL of at most {MAX_URL_LENGTH} characters without spaces")
    try:
        parts = urlsplit(url)
        port, host = parts.port, (parts.hostname or "").rstrip(".")
    except ValueError:  # e.g. an unclosed `[` or a port out of range
        raise _refused(url, "is not a valid URL") from None
    scheme = parts.scheme.lower()
    if "@" in parts.netloc:
        raise _refused(url, "must not carry credentials (user:password@)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if allow_local_http and scheme == "http" and host == LOCAL_SANDBOX_HOST:
        return Target(scheme, host, port or 80, path, (LOCAL_SANDBOX_HOST,))
    if scheme != "https":
        raise _refused(url, "must be an https URL")
    if port == 0:
        raise _refused(url, "has an invalid port")
    if not host:
        raise _refused(url, "has no host")
    if ":" in host or all(_NUMERIC_LABEL.match(label) for label in host.split(".")):
        raise _refused(url, "must name its host (an IP address is not accepted)")
    if not all(_DNS_LABEL.match(label) for label in host.split(".")):
        raise _refused(url, "has a host that is not a DNS name")
    if host == "localhost" or host.endswith(".localhost"):
        raise _refused(url, "must not point at this machine (localhost)")
    addresses = tuple(resolve(host, port or 443))
    if not addresses:
        raise _refused(url, f"has a host that does not resolve: {host}")
    private = [address for address in addresses if not is_public_address(address)]
    if private:
        raise _refused(url, f"has a host that resolves to a non-public address: {host} → {private[0]}")
    return Target(scheme, host, port or 443, path, addresses)


def _refused(url: str, reason: str) -> ValidationFailed:
    return ValidationFailed.field("url", "unsafe_url", f"url {reason}", url)
