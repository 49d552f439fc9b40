"""Throttling of the public site per client address: the lookup page with django-ratelimit, the public API with
ninja's throttles. The rates are settings, read at each request:

- `PUBLIC_LOOKUP_RATE` (default "10/m"): dossier lookups (page and API, each its own allowance) and API ratings;
- `PUBLIC_API_RATE` (default "60/m"): the API's scoreboard.

Both key on the same address: `REMOTE_ADDR` (or the META key named by `RATELIMIT_IP_META_KEY`, behind a proxy that
sets it), an IPv6 address by its /64 network -- never a header the caller chooses, such as X-Forwarded-For, which
ninja would otherwise trust.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

DEFAULT_LOOKUP_RATE = "10/m"
DEFAULT_API_RATE = "60/m"
LOOKUP_GROUP = "public-lookup"


def lookup_rate(group: str | None = None, request: HttpRequest | None = None) -> str:
    """The allowance of lookups per address (django-ratelimit calls it with the group and the request)."""
    return str(getattr(settings, "PUBLIC_LOOKUP_RATE", DEFAULT_LOOKUP_RATE))


def api_rate() -> str:
    return str(getattr(settings, "PUBLIC_API_RATE", DEFAULT_API_RATE))


def client_address(request: HttpRequest) -> str:
    """The caller's address as django-ratelimit's "ip" key reads it (IPv6 by its /64 network)."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    raw = str(
        request.META.get(meta_key if isinstance(meta_key, str) and meta_key else "REMOTE_ADDR", "") or ""
    )
    address = raw.split(",", maxsplit=1)[0].strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


class PublicThrottle(AnonRateThrottle):
    """Ninja's anonymous throttle with its own allowance (`scope`), its rate read from the settings at each
    request (`rate_of`), and the address read as the pages read it."""

    def __init__(self, scope: str, rate_of: Callable[[], str]) -> None:
        self.scope = scope
        self.rate_of = rate_of
        super().__init__(rate_of())

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.rate_of()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)
