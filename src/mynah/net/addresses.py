"""Which addresses an outbound request (URL input, SSML <audio src>, callbacks) may connect to.

`refusal_reason(address)` says why an address is refused, or None. Refused:

- IPv4: unspecified, loopback, link-local (and the cloud metadata address), private, shared
  (100.64.0.0/10), multicast, broadcast, reserved, and anything else not globally routable;
- IPv6: unspecified, loopback, link-local, site-local, unique-local, multicast, the discard prefix,
  documentation, ORCHID and anything else not globally routable;
- every IPv6 form that carries an IPv4 address, judged by the IPv4 address it carries:
  IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), SIIT IPv4-translated
  (`::ffff:0:a.b.c.d`, RFC 6145), NAT64 with the well-known prefix (`64:ff9b::/96`) and with the
  local-use prefix (`64:ff9b:1::/48`, RFC 8215; the IPv4 address at each RFC 6052 position: /32, /40,
  /48, /56, /64, /96), 6to4 (`2002::/16`), Teredo (`2001::/32`, server and client), and ISATAP
  interface identifiers (`...:0:5efe:a.b.c.d`, `...:200:5efe:a.b.c.d`).

A translation prefix is a way to reach an IPv4 network through a gateway: its IPv6 address is never
judged by itself, only by what it embeds, so `64:ff9b::8.8.8.8` is allowed and `64:ff9b:1::a9fe:a9fe`
(169.254.169.254) is not. A local-use NAT64 address is judged at every RFC 6052 position (its prefix
length is a local choice) and refused if any of them is not public.
"""

from __future__ import annotations

import ipaddress

__all__ = ["IPAddress", "embedded_ipv4", "refusal_reason"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
}

_V4_RULES: list[tuple[ipaddress.IPv4Network, str]] = [
    (ipaddress.IPv4Network("0.0.0.0/8"), "an unspecified ('this network') address"),
    (ipaddress.IPv4Network("127.0.0.0/8"), "a loopback address"),
    (ipaddress.IPv4Network("169.254.0.0/16"), "a link-local address"),
    (ipaddress.IPv4Network("10.0.0.0/8"), "a private address"),
    (ipaddress.IPv4Network("172.16.0.0/12"), "a private address"),
    (ipaddress.IPv4Network("192.168.0.0/16"), "a private address"),
    (ipaddress.IPv4Network("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
    (ipaddress.IPv4Network("224.0.0.0/4"), "a multicast address"),
    (ipaddress.IPv4Network("255.255.255.255/32"), "the broadcast address"),
    (ipaddress.IPv4Network("240.0.0.0/4"), "a reserved address"),
]

_V6_RULES: list[tuple[ipaddress.IPv6Network, str]] = [
    (ipaddress.IPv6Network("::/128"), "the unspecified address"),
    (ipaddress.IPv6Network("::1/128"), "a loopback address"),
    (ipaddress.IPv6Network("fe80::/10"), "a link-local address"),
    (ipaddress.IPv6Network("fec0::/10"), "a site-local address"),
    (ipaddress.IPv6Network("fc00::/7"), "a unique-local (private) address"),
    (ipaddress.IPv6Network("ff00::/8"), "a multicast address"),
    (ipaddress.IPv6Network("100::/64"), "a discard-only address"),
    (ipaddress.IPv6Network("2001:db8::/32"), "a documentation address"),
]

_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_LOW32 = 0xFFFFFFFF


def refusal_reason(address: IPAddress) -> str | None:
    """Why `address` must not be connected to, as a phrase ("a loopback address"), or None."""
    if isinstance(address, ipaddress.IPv4Address):
        return _ipv4_reason(address)
    return _ipv6_reason(address)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """Every IPv4 address `address` carries, each with the form that carries it."""
    value = int(address)
    low = ipaddress.IPv4Address(value & _LOW32)
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if address in _MAPPED:
        found.append(("an IPv4-mapped form of", low))
    if address in _SIIT:
        found.append(("an SIIT (IPv4-translated) form of", low))
    if address in _COMPATIBLE and value > 1:
        found.append(("an IPv4-compatible form of", low))
    if address in _NAT64_WELL_KNOWN:
        found.append(("a NAT64 form of", low))
    if address in _NAT64_LOCAL:
        found += [("a local-use NAT64 form of", v4) for v4 in _rfc6052_positions(value)]
    if address.sixtofour is not None:
        found.append(("a 6to4 form of", address.sixtofour))
    if address.teredo is not None:
        server, client = address.teredo
        found += [("a Teredo form of", server), ("a Teredo form of", client)]
    if (value >> 32) & 0xFDFFFFFF == 0x00005EFE:  # ISATAP interface id: [02]00:5efe:a.b.c.d
        found.append(("an ISATAP form of", low))
    return found


def _rfc6052_positions(value: int) -> list[ipaddress.IPv4Address]:
    """The IPv4 address an RFC 6052 address would carry under each prefix length (bits 64-71, the
    `u` octet, are skipped)."""
    octets = value.to_bytes(16, "big")
    out = [ipaddress.IPv4Address(value & _LOW32)]  # /96 first: the common choice names best
    for prefix in (32, 40, 48, 56, 64):
        start = prefix // 8
        positions = [i for i in range(start, 16) if i != 8][:4]
        out.append(ipaddress.IPv4Address(bytes(octets[i] for i in positions)))
    return list(dict.fromkeys(out))


def _ipv4_reason(address: ipaddress.IPv4Address) -> str | None:
    if address in _METADATA:
        return "the cloud metadata address"
    for network, reason in _V4_RULES:
        if address in network:
            return reason
    if not address.is_global:
        return "not a globally routable address"
    return None


def _ipv6_reason(address: ipaddress.IPv6Address) -> str | None:
    if address.scope_id:
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    if address in _METADATA:
        return "the cloud metadata address"
    embedded = embedded_ipv4(address)
    for form, v4 in embedded:
        reason = _ipv4_reason(v4)
        if reason is not None:
            return f"{form} {v4}, which is {reason}"
    if address in _NAT64_LOCAL:
        return None if embedded else "a local-use NAT64 address"
    if embedded and (address in _MAPPED or address in _SIIT or address in _NAT64_WELL_KNOWN):
        return None  # a translation form: the public IPv4 address it carries decides
    for network, reason in _V6_RULES:
        if address in network:
            return reason
    if address in _COMPATIBLE:
        return "an IPv4-compatible address (deprecated)"
    if not address.is_global:
        return "not a globally routable address"
    return None
