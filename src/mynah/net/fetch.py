"""Fetch audio from a URL a client gave us, without letting the URL reach inside our network (SSRF).

Every hop, the first URL and each redirect, goes through the same checks:

1. the scheme must be http or https;
2. the host is turned into addresses: an IP literal directly (including the forms the C library
   also accepts, such as `2130706433`, `0x7f.0.0.1`, `0177.0.0.1` and `127.1`, which all mean
   127.0.0.1), anything else with `socket.getaddrinfo`;
3. if ANY address is loopback, private, link-local, multicast, reserved, unspecified, shared
   (100.64.0.0/10), a cloud metadata address (169.254.169.254, fd00:ec2::254), not globally
   routable, or an IPv6 form that embeds such an IPv4 address (IPv4-mapped, SIIT, NAT64 well-known and
   local-use, 6to4, Teredo, ISATAP: `mynah.net.addresses`), the fetch is refused, unless
   `allow_private`;
4. the connection goes to the first vetted address itself (the URL's host is replaced by the IP,
   the `Host` header and the TLS server name, SNI and certificate check, keep the original host name),
   so a DNS answer that changes between the check and the connection (DNS rebinding) is never used;
5. redirects are not followed by httpx but here, each target checked from step 1, at most
   `max_redirects` of them.

The body is streamed: a `Content-Length` over `max_bytes` is refused before reading, and reading stops
as soon as more than `max_bytes` arrived. `timeout` bounds the whole fetch, every hop and the name
look-ups included (a single stalled read is cut at the time left). Proxies from the environment are
ignored: a proxy would connect to whatever the URL names.

Errors, all `mynah.errors` (400 unless noted), with messages that say what was refused and why:

    InvalidRequest
    ├── UrlRefused          the URL's scheme or an address it leads to is not allowed
    └── FetchFailed         the fetch did not work: unknown host, connection refused, HTTP error status
        ├── FetchTimeout    the fetch took longer than `timeout`
        └── TooManyRedirects
    PayloadTooLarge (413)   the body is larger than `max_bytes`
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from mynah.errors import InvalidRequest, PayloadTooLarge
from mynah.net.addresses import IPAddress, refusal_reason

__all__ = [
    "AddressPolicy",
    "FetchFailed",
    "FetchTimeout",
    "FetchedAudio",
    "IPAddress",
    "Resolver",
    "TooManyRedirects",
    "UrlRefused",
    "check_url",
    "fetch_url",
    "refusal_reason",
    "resolve_host",
]

Resolver = Callable[[str, int], Sequence[IPAddress]]
"""Host name and port to every address a connection could go to."""

AddressPolicy = Callable[[IPAddress], str | None]
"""Why an address must not be fetched from ("a loopback address"), or None when it may."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "mynah (audio fetch)"
_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")


class UrlRefused(InvalidRequest):
    code = "url_refused"


class FetchFailed(InvalidRequest):
    code = "fetch_failed"


class FetchTimeout(FetchFailed):
    code = "fetch_timeout"


class TooManyRedirects(FetchFailed):
    code = "too_many_redirects"


@dataclass(frozen=True)
class FetchedAudio:
    """The body of a fetched URL; `final_url` is where the redirects ended, with its host name."""

    data: bytes
    content_type: str | None
    final_url: str


def fetch_url(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    max_redirects: int = 5,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    address_policy: AddressPolicy | None = None,
    verify: ssl.SSLContext | bool = True,
    param: str = "url",
) -> FetchedAudio:
    """GET `url` with the protections the module docstring lists, returning the body.

    `allow_private` turns the address checks off (for trusted deployments fetching from their own
    network). `resolver` (default `resolve_host`) and `address_policy` (default `refusal_reason`, or
    nothing refused with `allow_private`) replace the name look-up and the address rules; `verify` is
    httpx's TLS verification (a context for a private CA). `param` names the request field in errors.
    """
    if max_bytes < 0:
        raise ValueError(f"max_bytes must not be negative, got {max_bytes}")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    if max_redirects < 0:
        raise ValueError(f"max_redirects must not be negative, got {max_redirects}")
    resolve = resolver if resolver is not None else resolve_host
    if address_policy is not None:
        policy: AddressPolicy = address_policy
    elif allow_private:
        policy = _allow_all
    else:
        policy = refusal_reason
    deadline = time.monotonic() + timeout
    current = _parse(url, policy, param)
    origin: str | None = None  # the URL that redirected here, for messages
    for _hop in range(max_redirects + 1):
        address = _vet(current, origin, resolve, policy, deadline, timeout, param)
        response_or_next = _get(current, address, max_bytes, deadline, timeout, verify, param)
        if isinstance(response_or_next, FetchedAudio):
            return response_or_next
        origin, current = str(current), response_or_next
    raise TooManyRedirects(
        f"cannot fetch {url}: more than {max_redirects} redirects (the last one to {current})", param=param
    )


def check_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    resolver: Resolver | None = None,
    param: str = "url",
) -> tuple[httpx.URL, IPAddress]:
    """Steps 1-3 of the module docstring for a URL mynah will send to rather than fetch (a callback):
    the parsed URL and the vetted address to connect to. Raises UrlRefused, InvalidRequest or
    FetchFailed (the host does not resolve) with the same messages a fetch would."""
    policy: AddressPolicy = _allow_all if allow_private else refusal_reason
    parsed = _parse(url, policy, param)
    deadline = time.monotonic() + timeout
    return parsed, _vet(parsed, None, resolver or resolve_host, policy, deadline, timeout, param)


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `getaddrinfo` gives for `host` (TCP), in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]
        address = ipaddress.ip_address(text)
        if address not in out:
            out.append(address)
    return out


# ------------------------------------------------------------------------------------------ checks


def _allow_all(address: IPAddress) -> str | None:
    return None


def _parse(url: str, policy: AddressPolicy, param: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        # httpx rejects some numeric hosts the C library takes (0177.0.0.1 is octal for 127.0.0.1);
        # say so when the address they spell is one we would refuse anyway.
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        literal = _literal(host) if host else None
        reason = policy(literal) if literal is not None else None
        if literal is not None and reason is not None:
            raise UrlRefused(f"refusing to fetch {url}: {host} is {literal}, {reason}", param=param) from None
        raise InvalidRequest(f"not a valid URL: {url!r} ({exc})", param=param) from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "(none)"
        raise UrlRefused(
            f"refusing to fetch {url}: only http and https URLs are fetched, not {scheme}", param=param
        )
    if not parsed.host:
        raise InvalidRequest(f"not a valid URL: {url!r} has no host", param=param)
    return parsed


def _literal(host: str) -> IPAddress | None:
    """The address `host` spells, in any form the C library's resolver would also take as one."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _vet(
    url: httpx.URL,
    origin: str | None,
    resolve: Resolver,
    policy: AddressPolicy,
    deadline: float,
    timeout: float,
    param: str,
) -> IPAddress:
    """The address to connect to for `url`, after checking every address its host has."""
    what = f"{url}" if origin is None else f"{url} (redirected from {origin})"
    if url.scheme not in ("http", "https"):
        raise UrlRefused(
            f"refusing to fetch {what}: only http and https URLs are fetched, not {url.scheme}", param=param
        )
    host = url.host
    port = url.port or (443 if url.scheme == "https" else 80)
    literal = _literal(host)
    if literal is not None:
        addresses: Sequence[IPAddress] = [literal]
    else:
        addresses = _resolve(resolve, url.raw_host.decode("ascii"), port, what, deadline, timeout, param)
    for address in addresses:
        reason = policy(address)
        if reason is None:
            continue
        if literal is not None and str(literal) == host:
            subject = f"{host} is"
        elif literal is not None:
            subject = f"{host} is {address},"
        else:
            subject = f"{host} resolves to {address},"
        raise UrlRefused(f"refusing to fetch {what}: {subject} {reason}", param=param)
    return addresses[0]


def _resolve(
    resolve: Resolver, host: str, port: int, what: str, deadline: float, timeout: float, param: str
) -> Sequence[IPAddress]:
    """`resolve(host, port)` within the time left; `getaddrinfo` has no timeout of its own."""
    outcome: list[Sequence[IPAddress] | BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(resolve(host, port))
        except BaseException as exc:  # handed to the calling thread below
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=work, name=f"resolve {host}", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        raise FetchTimeout(
            f"cannot fetch {what}: looking up {host} took longer than {timeout:g} s", param=param
        )
    result = outcome[0]
    if isinstance(result, socket.gaierror):
        raise FetchFailed(
            f"cannot fetch {what}: the host {host} does not resolve ({result.strerror})", param=param
        )
    if isinstance(result, BaseException):
        raise result
    if not result:
        raise FetchFailed(f"cannot fetch {what}: the host {host} has no address", param=param)
    return result


# ------------------------------------------------------------------------------------------ fetching


def _get(
    url: httpx.URL,
    address: IPAddress,
    max_bytes: int,
    deadline: float,
    timeout: float,
    verify: ssl.SSLContext | bool,
    param: str,
) -> FetchedAudio | httpx.URL:
    """One GET of `url` on a connection to `address`: the body, or where a redirect points."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout(f"cannot fetch {url}: no time left of the {timeout:g} s allowed", param=param)
    pinned = url.copy_with(host=str(address))
    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": _USER_AGENT,
        "Accept-Encoding": "identity",
    }
    extensions = {}
    if url.scheme == "https" and _literal(url.host) is None:
        extensions["sni_hostname"] = url.raw_host.decode("ascii")
    try:
        # A fresh client per hop: connections are pooled by IP, and must not be shared across names.
        with (
            httpx.Client(trust_env=False, verify=verify, follow_redirects=False) as client,
            client.stream(
                "GET", pinned, headers=headers, extensions=extensions, timeout=httpx.Timeout(left)
            ) as response,
        ):
            if response.status_code in _REDIRECTS and "location" in response.headers:
                try:
                    return url.join(response.headers["location"])
                except httpx.InvalidURL as exc:
                    raise FetchFailed(
                        f"cannot fetch {url}: it redirects to an invalid URL ({exc})", param=param
                    ) from None
            if not 200 <= response.status_code < 300:
                raise FetchFailed(
                    f"cannot fetch {url}: the server answered {response.status_code} "
                    f"{response.reason_phrase}".rstrip(),
                    param=param,
                )
            data = _read(response, url, max_bytes, deadline, timeout, param)
            return FetchedAudio(
                data=data, content_type=response.headers.get("content-type"), final_url=str(url)
            )
    except httpx.TimeoutException:
        raise FetchTimeout(
            f"cannot fetch {url}: no answer within the {timeout:g} s allowed", param=param
        ) from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"cannot fetch {url}: {_describe(exc)}", param=param) from None


def _read(
    response: httpx.Response, url: httpx.URL, max_bytes: int, deadline: float, timeout: float, param: str
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(
            f"cannot fetch {url}: it is {int(declared)} bytes, over the limit of {max_bytes}", param=param
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(
                f"cannot fetch {url}: the body is over the limit of {max_bytes} bytes", param=param
            )
        if time.monotonic() > deadline:
            raise FetchTimeout(
                f"cannot fetch {url}: the download took longer than {timeout:g} s", param=param
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})" if str(exc) else "cannot connect"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
