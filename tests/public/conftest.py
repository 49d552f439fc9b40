"""Fixtures of the public site's tests: a clean throttling cache for every test, and dossiers with distinctive
personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.enums import DossierStatus
from trongtam.dossiers.models import Dossier

# Personal data no public response may ever contain.
SECRET_NAME = "Quách Thị Bímật Zyx"
SECRET_PHONE = "0987654321"
SECRET_EMAIL = "bimat.zyx@example.vn"
SECRET_ADDRESS = "Số 77 ngõ Kínđáo, phường Riêngtư"
LAST4 = "4321"


@pytest.fixture(autouse=True)
def _clean_cache(db: None) -> Iterator[None]:
    """The throttles count in the cache: every test starts and ends with none of its attempts counted."""
    cache.clear()
    yield
    cache.clear()


def personal_dossier(**overrides: Any) -> Dossier:
    values: dict[str, Any] = {
        "applicant_name": SECRET_NAME,
        "applicant_phone": SECRET_PHONE,
        "applicant_email": SECRET_EMAIL,
        "applicant_address": SECRET_ADDRESS,
    }
    values.update(overrides)
    return make_dossier(**values)


@pytest.fixture
def dossier(db: None) -> Dossier:
    """A dossier in process, received on Monday 2/3/2026 (5 working days: due 9/3/2026)."""
    return personal_dossier(procedure=make_procedure("T-PUB-01", 5), received_at=at(dt.date(2026, 3, 2)))


@pytest.fixture
def finished(db: None) -> Dossier:
    """A dossier done on time."""
    return personal_dossier(
        procedure=make_procedure("T-PUB-01", 5),
        received_at=at(dt.date(2026, 3, 2)),
        status=DossierStatus.DONE,
        finished_on=dt.date(2026, 3, 6),
    )
