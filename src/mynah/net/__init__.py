"""Network input: fetching audio from URLs that clients give, safely (see `mynah.net.fetch`)."""

from mynah.net.fetch import (
    AddressPolicy,
    FetchedAudio,
    FetchFailed,
    FetchTimeout,
    IPAddress,
    Resolver,
    TooManyRedirects,
    UrlRefused,
    fetch_url,
    refusal_reason,
    resolve_host,
)

__all__ = [
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
]
