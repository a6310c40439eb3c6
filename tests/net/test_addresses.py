"""Every IPv6 form that carries an IPv4 address is judged by that address."""

from __future__ import annotations

import ipaddress

import pytest

from mynah.net.addresses import embedded_ipv4, refusal_reason


@pytest.mark.parametrize(
    ("address", "carried"),
    [
        ("64:ff9b:1::a9fe:a9fe", "169.254.169.254"),
        ("64:ff9b:1::a00:1", "10.0.0.1"),
        ("64:ff9b:1:a9fe:a9:fe00::", None),  # the /48 position: judged, and refused
        ("::ffff:0:a9fe:a9fe", "169.254.169.254"),
        ("::ffff:0:7f00:1", "127.0.0.1"),
        ("64:ff9b::7f00:1", "127.0.0.1"),
        ("::ffff:192.168.1.1", "192.168.1.1"),
        ("::10.0.0.1", "10.0.0.1"),
        ("2002:a9fe:a9fe::1", "169.254.169.254"),
        ("fe80::5efe:a00:1", None),
        ("2607:f8b0::200:5efe:a9fe:a9fe", "169.254.169.254"),
    ],
)
def test_private_ipv4_inside_ipv6_is_refused(address: str, carried: str | None) -> None:
    reason = refusal_reason(ipaddress.IPv6Address(address))
    assert reason is not None
    if carried is not None:
        assert carried in reason


@pytest.mark.parametrize("address", ["64:ff9b::8.8.8.8", "::ffff:8.8.8.8", "2001:4860:4860::8888", "8.8.8.8"])
def test_public_addresses_and_their_translations_are_allowed(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_a_local_use_nat64_address_is_read_at_every_rfc6052_position() -> None:
    carried = {str(v4) for _, v4 in embedded_ipv4(ipaddress.IPv6Address("64:ff9b:1:a9fe:a9:fe00::"))}
    assert "169.254.169.254" in carried  # the /40 position


@pytest.mark.parametrize("address", ["100::1", "2001:db8::1", "fc00::1", "::", "::1"])
def test_unroutable_ipv6_is_refused(address: str) -> None:
    assert refusal_reason(ipaddress.IPv6Address(address)) is not None
