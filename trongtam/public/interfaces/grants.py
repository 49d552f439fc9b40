"""What the visitor's session remembers after a successful lookup: the dossiers they may see, for a while.

A grant lasts `PUBLIC_LOOKUP_GRANT_MINUTES` (60 by default), so a computer left at a counter or in a library does
not show the last visitor's dossier to the next one for weeks; the visitor simply looks the dossier up again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "public_dossiers"
DEFAULT_MINUTES = 60
KEEP = 20  # dossiers remembered at most per session


@dataclass(frozen=True)
class Grant:
    pk: int
    code: str
    at: float  # POSIX timestamp of the lookup


def _minutes() -> int:
    return int(getattr(settings, "PUBLIC_LOOKUP_GRANT_MINUTES", DEFAULT_MINUTES))


def _valid(session: SessionBase, now: dt.datetime) -> list[Grant]:
    oldest = now.timestamp() - _minutes() * 60
    stored: list[dict[str, Any]] = session.get(SESSION_KEY, [])
    grants = []
    for item in stored:
        try:
            grant = Grant(int(item["pk"]), str(item["code"]), float(item["at"]))
        except (KeyError, TypeError, ValueError):
            continue
        if grant.at >= oldest:
            grants.append(grant)
    return grants


def remember(session: SessionBase, pk: int, code: str, now: dt.datetime) -> None:
    """The visitor found dossier `pk` by code and phone: they may see it for the next while."""
    kept = [g for g in _valid(session, now) if g.pk != pk][-(KEEP - 1) :]
    kept.append(Grant(pk, code, now.timestamp()))
    session[SESSION_KEY] = [{"pk": g.pk, "code": g.code, "at": g.at} for g in kept]


def granted(session: SessionBase, now: dt.datetime, code: str = "") -> Grant | None:
    """The grant for dossier `code`, or the latest one when no code is given; None if none is valid."""
    grants = _valid(session, now)
    if code:
        return next((g for g in reversed(grants) if g.code == code), None)
    return grants[-1] if grants else None
