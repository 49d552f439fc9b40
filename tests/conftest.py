"""Shared fixtures.

The demo province is loaded once per test session into the test database, through the same domain functions the
app uses, so tests start from a believable province with registrations in every state. Each test then runs in a
transaction that is rolled back. Tests that need real commits (`transactional_db`, the browser) run last, as
pytest-django orders them, and load the province again for themselves with `seeded_province`.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import settings

from trongtam.cycles.models import Period
from trongtam.keytasks.models import Registration
from trongtam.org.models import Person, Unit

DEMO_PASSWORD = "TrongTam@2026"

# Property tests check rules, not speed: Hypothesis's 200 ms deadline per example would make them fail on a busy
# machine (speed is measured by the benchmarks in bench/, never by tests).
settings.register_profile("trongtam", deadline=None)
settings.load_profile("trongtam")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def seeded_province(transactional_db: None) -> None:
    """For tests with real commits: the flush after each such test empties the database, so seed again."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def person(db: None) -> Any:
    def get(username: str) -> Person:
        return Person.objects.get(username=username)

    return get


@pytest.fixture
def unit(db: None) -> Any:
    def get(code: str) -> Unit:
        return Unit.objects.get(code=code)

    return get


@pytest.fixture
def period(db: None) -> Period:
    return Period.objects.get(year=2026)


@pytest.fixture
def registration_of(db: None) -> Any:
    def get(code: str) -> Registration:
        return Registration.objects.get(unit__code=code, period__year=2026)

    return get


@pytest.fixture
def client_for(db: None) -> Any:
    """A test client logged in as the demo person `username`."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(Person.objects.get(username=username))
        return client

    return make
