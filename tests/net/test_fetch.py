"""fetch_url: SSRF refusals (no network needed: refused URLs are never connected to), and real fetches
from a local server with the checks turned off or replaced, for limits, redirects and pinning."""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from mynah.errors import InvalidRequest, PayloadTooLarge
from mynah.net import (
    FetchedAudio,
    FetchFailed,
    FetchTimeout,
    IPAddress,
    TooManyRedirects,
    UrlRefused,
    fetch_url,
    refusal_reason,
)
from tests.net.conftest import AUDIO, Certificate, Server

LIMIT = 1_000_000


def fetch(url: str, *, max_bytes: int = LIMIT, timeout: float = 5.0, **kwargs: Any) -> FetchedAudio:
    return fetch_url(url, max_bytes=max_bytes, timeout=timeout, **kwargs)


def table(mapping: dict[str, list[str]]) -> tuple[list[str], object]:
    """A resolver answering from `mapping`, and the list of names it was asked for."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> Sequence[IPAddress]:
        asked.append(host)
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [ipaddress.ip_address(a) for a in mapping[host]]

    return asked, resolve


# ------------------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://127.9.9.9:8080/a.wav", "127.9.9.9 is a loopback address"),
        ("http://localhost/a.wav", "localhost resolves to 127.0.0.1, a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://10.0.0.5/", "10.0.0.5 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://172.16.0.1/", "172.16.0.1 is a private address"),
        ("https://172.31.255.255/", "172.31.255.255 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"),
        ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified ('this network') address"),
        ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://192.0.2.1/", "192.0.2.1 is not a globally routable address"),
        ("http://2130706433/", "2130706433 is 127.0.0.1, a loopback address"),
        ("http://0x7f.0.0.1/", "0x7f.0.0.1 is 127.0.0.1, a loopback address"),
        ("http://0177.0.0.1/", "0177.0.0.1 is 127.0.0.1, a loopback address"),
        ("http://127.1/", "127.1 is 127.0.0.1, a loopback address"),
        ("http://0xa9fea9fe/", "0xa9fea9fe is 169.254.169.254, the cloud metadata address"),
        ("http://[::ffff:127.0.0.1]/", "an IPv4-mapped form of 127.0.0.1, which is a loopback address"),
        ("http://[::ffff:a9fe:a9fe]/", "an IPv4-mapped form of 169.254.169.254, which is the cloud metadata"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254 is the cloud metadata address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[fc00::1]/", "fc00::1 is a unique-local (private) address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        ("http://[::]/", ":: is the unspecified address"),
        ("http://[64:ff9b::a00:5]/", "a NAT64 form of 10.0.0.5, which is a private address"),
        ("http://[2002:7f00:1::]/", "a 6to4 form of 127.0.0.1, which is a loopback address"),
    ],
)
def test_private_addresses_are_refused(url: str, why: str) -> None:
    with pytest.raises(UrlRefused) as caught:
        fetch(url)
    message = str(caught.value)
    assert message.startswith(f"refusing to fetch {url.rstrip('/')}")
    assert why in message
    assert caught.value.param == "url"
    assert isinstance(caught.value, InvalidRequest)


def test_the_message_says_exactly_why() -> None:
    with pytest.raises(
        UrlRefused,
        match=r"^refusing to fetch http://127\.0\.0\.1/x\.wav: 127\.0\.0\.1 is a loopback address$",
    ):
        fetch("http://127.0.0.1/x.wav")


def test_a_refused_address_is_never_contacted(server: Server) -> None:
    with pytest.raises(UrlRefused):
        fetch(f"{server.base}/audio")
    with pytest.raises(UrlRefused):
        fetch(f"http://localhost:{server.port}/audio")
    assert server.paths == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/a.wav",
        "file:///etc/passwd",
        "gopher://example.com/",
        "ws://example.com/",
        "data:,x",
    ],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(UrlRefused, match="only http and https URLs are fetched"):
        fetch(url, allow_private=True)


@pytest.mark.parametrize("url", ["", "http://", "not a url at all", "http://exa mple.com/"])
def test_malformed_urls_are_invalid_requests(url: str) -> None:
    with pytest.raises(InvalidRequest):
        fetch(url)


def test_names_from_the_hosts_file_are_checked_like_any_other() -> None:
    names = []
    for line in Path("/etc/hosts").read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2 and refusal_reason(ipaddress.ip_address(fields[0].split("%")[0])) is not None:
            names += fields[1:]
    assert "localhost" in names
    for name in names:
        with pytest.raises(UrlRefused, match=f"{name} resolves to"):
            fetch(f"http://{name}/a.wav")


def test_any_private_address_among_several_refuses() -> None:
    asked, resolve = table({"mixed.example": ["93.184.216.34", "10.1.2.3"]})
    with pytest.raises(UrlRefused, match=re.escape("mixed.example resolves to 10.1.2.3, a private address")):
        fetch("http://mixed.example/a.wav", resolver=resolve)
    assert asked == ["mixed.example"]


def test_a_name_that_does_not_resolve_fails_cleanly() -> None:
    _, resolve = table({})
    with pytest.raises(FetchFailed, match=re.escape("nowhere.example does not resolve")):
        fetch("http://nowhere.example/a.wav", resolver=resolve)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


# ---------------------------------------------------------------------------------- real fetches


def test_fetches_the_body(server: Server) -> None:
    got = fetch(f"{server.base}/audio", allow_private=True)
    assert got.data == AUDIO
    assert got.content_type == "audio/wav"
    assert got.final_url == f"{server.base}/audio"


def test_follows_redirects_and_reports_where_they_ended(server: Server) -> None:
    got = fetch(f"{server.base}/redirect/3", allow_private=True)
    assert got.data == AUDIO
    assert got.final_url == f"{server.base}/audio"
    assert server.paths == ["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0", "/audio"]


@pytest.mark.parametrize(("path", "limit"), [("/redirect/3", 2), ("/redirect/1", 0), ("/loop", 5)])
def test_redirect_limit(server: Server, path: str, limit: int) -> None:
    with pytest.raises(TooManyRedirects, match=f"more than {limit} redirects"):
        fetch(f"{server.base}{path}", allow_private=True, max_redirects=limit)
    assert len(server.paths) == limit + 1


def test_exactly_max_redirects_is_fine(server: Server) -> None:
    assert fetch(f"{server.base}/redirect/2", allow_private=True, max_redirects=3).data == AUDIO


def test_size_limit_from_content_length(server: Server) -> None:
    with pytest.raises(PayloadTooLarge, match="it is 1000000 bytes, over the limit of 5000"):
        fetch(f"{server.base}/big", allow_private=True, max_bytes=5000)


def test_size_limit_while_streaming(server: Server) -> None:
    with pytest.raises(PayloadTooLarge, match="over the limit of 50000 bytes") as caught:
        fetch(f"{server.base}/flood", allow_private=True, max_bytes=50_000)
    assert caught.value.status_code == 413


def test_a_body_of_exactly_the_limit_is_fine(server: Server) -> None:
    assert fetch(f"{server.base}/audio", allow_private=True, max_bytes=len(AUDIO)).data == AUDIO


@pytest.mark.parametrize("path", ["/stall", "/stall-body"])
def test_timeout_on_a_server_that_stalls(server: Server, path: str) -> None:
    began = time.monotonic()
    with pytest.raises(FetchTimeout, match=re.escape("0.5 s")):
        fetch(f"{server.base}{path}", allow_private=True, timeout=0.5)
    assert time.monotonic() - began < 3.0


def test_http_errors_are_fetch_failures(server: Server) -> None:
    with pytest.raises(FetchFailed, match="the server answered 404 Not Found"):
        fetch(f"{server.base}/missing", allow_private=True)


def test_a_redirect_without_a_location_is_not_a_body(server: Server) -> None:
    with pytest.raises(FetchFailed, match="the server answered 302 Found"):
        fetch(f"{server.base}/to", allow_private=True)


def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago, with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchFailed, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/", allow_private=True)


# -------------------------------------------------------------------------- pinning and redirects


def test_connects_to_the_vetted_address_with_the_original_host(server: Server) -> None:
    """The name is looked up once, by us; httpx gets the IP (it could not resolve the name: there
    is no DNS here), and the server still sees the name in Host."""
    asked, resolve = table({"audio.example": ["127.0.0.1"]})
    got = fetch(f"http://audio.example:{server.port}/echo-host", allow_private=True, resolver=resolve)
    assert got.data == f"audio.example:{server.port}".encode()
    assert got.final_url == f"http://audio.example:{server.port}/echo-host"
    assert asked == ["audio.example"]


def test_a_rebinding_answer_after_the_check_is_never_used(server: Server) -> None:
    """A resolver that answers with an allowed address first and a forbidden one afterwards (DNS
    rebinding) cannot swap the address: the fetch asks it once and connects where it checked."""
    answers = iter(["127.0.0.1", "10.9.9.9"])
    checked: list[IPAddress] = []

    def rebinding(host: str, port: int) -> Sequence[IPAddress]:
        return [ipaddress.ip_address(next(answers))]

    def loopback_only(address: IPAddress) -> str | None:
        checked.append(address)
        return None if address.is_loopback else "not the test server"

    got = fetch(
        f"http://rebind.example:{server.port}/audio", resolver=rebinding, address_policy=loopback_only
    )
    assert got.data == AUDIO
    assert checked == [ipaddress.ip_address("127.0.0.1")]


def first_hop_only() -> object:
    """Allow the first address checked (the local test server), then apply the production rules."""
    seen: list[IPAddress] = []

    def policy(address: IPAddress) -> str | None:
        seen.append(address)
        return None if len(seen) == 1 else refusal_reason(address)

    return policy


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("{base}/audio", "127.0.0.1 is a loopback address"),
        ("http://localhost:{port}/audio", "localhost resolves to 127.0.0.1, a loopback address"),
        ("http://10.0.0.5/x", "10.0.0.5 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"),
        ("http://2130706433/", "2130706433 is 127.0.0.1, a loopback address"),
        ("{base}/redirect/1", "127.0.0.1 is a loopback address"),
    ],
)
def test_every_redirect_is_checked_again(server: Server, target: str, why: str) -> None:
    location = target.format(base=server.base, port=server.port)
    start = f"{server.base}/to?url={quote(location, safe='')}"
    with pytest.raises(UrlRefused) as caught:
        fetch(start, address_policy=first_hop_only())
    assert str(caught.value) == f"refusing to fetch {location} (redirected from {start}): {why}"
    assert server.paths == [f"/to?url={quote(location, safe='')}"]


def test_a_redirect_to_another_scheme_is_refused(server: Server) -> None:
    start = f"{server.base}/to?url={quote('file:///etc/passwd', safe='')}"
    with pytest.raises(UrlRefused, match="only http and https URLs are fetched, not file"):
        fetch(start, allow_private=True)


def test_redirects_are_followed_when_each_hop_is_allowed(server: Server) -> None:
    start = f"{server.base}/to?url={quote(server.base + '/redirect/1', safe='')}"
    assert fetch(start, allow_private=True).data == AUDIO


# ------------------------------------------------------------------------------------------- TLS


def test_https_keeps_the_host_name_for_sni_and_the_certificate(
    tls_server: Server, certificate: Certificate
) -> None:
    trust = ssl.create_default_context(cafile=str(certificate.cert))
    _, resolve = table({"audio.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    got = fetch(
        f"https://audio.example:{tls_server.port}/echo-host",
        allow_private=True,
        resolver=resolve,
        verify=trust,
    )
    assert got.data == f"audio.example:{tls_server.port}".encode()
    assert tls_server.server_names == ["audio.example"]
    with pytest.raises(FetchFailed, match="cannot connect"):  # the certificate is not for this name
        fetch(
            f"https://other.example:{tls_server.port}/audio",
            allow_private=True,
            resolver=resolve,
            verify=trust,
        )


def test_public_api_is_pinned() -> None:
    import mynah.net

    assert set(mynah.net.__all__) == {
        "AddressPolicy",
        "FetchFailed",
        "FetchTimeout",
        "FetchedAudio",
        "IPAddress",
        "Resolver",
        "TooManyRedirects",
        "UrlRefused",
        "fetch_url",
        "refusal_reason",
        "resolve_host",
    }
    assert all(hasattr(mynah.net, name) for name in mynah.net.__all__)
