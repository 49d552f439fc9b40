"""Types shared by views: a request whose user is known to be logged in (behind @login_required)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from trongtam.org.models import Person


class AuthedRequest(HttpRequest):
    user: Person
