"""The response deadline: N working days after receipt on the shared calendar (Civil Code Art. 147), a setting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.dossiers.factories import at
from tests.feedback.conftest import submit
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.cases import Submission, response_due
from trongtam.org.models import Unit
from trongtam.workdays.domain.calendar import WorkCalendar

pytestmark = pytest.mark.django_db

CALENDAR = WorkCalendar()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 16)),  # a Monday: two weeks later
        (dt.date(2026, 3, 6), dt.date(2026, 3, 20)),  # a Friday
        (dt.date(2026, 3, 7), dt.date(2026, 3, 20)),  # a Saturday counts from Monday, as the Friday does
        (dt.date(2026, 2, 10), dt.date(2026, 3, 3)),  # across Tết (16–20/02/2026)
        (dt.date(2026, 4, 24), dt.date(2026, 5, 13)),  # across Hùng Kings (27/4 in lieu), 30/4 and 1/5
        (dt.date(2026, 8, 28), dt.date(2026, 9, 16)),  # across National Day (31/8, 1–2/9)
    ],
)
def test_response_due_counts_working_days_from_the_day_after(received: dt.date, due: dt.date) -> None:
    assert response_due(received, CALENDAR) == due


def test_the_number_of_days_is_a_setting(settings: Any) -> None:
    settings.FEEDBACK_RESPONSE_WORKING_DAYS = 22
    assert response_due(dt.date(2026, 3, 2), CALENDAR) == dt.date(2026, 4, 1)


def test_a_case_received_after_hours_has_the_same_deadline_as_that_morning() -> None:
    early = cases.submit(_submission(), now=at(dt.date(2026, 3, 6), 8))
    late = cases.submit(_submission(), now=at(dt.date(2026, 3, 6), 21, 30))
    assert early.response_due == late.response_due == dt.date(2026, 3, 20)


def _submission() -> Submission:
    return Submission(
        category="delay", subject_kind="unit", unit_id=Unit.objects.get(code="SCT").pk,
        content="Hồ sơ của tôi quá hạn đã lâu mà chưa có kết quả.",
    )  # fmt: skip


def test_submission_stores_the_deadline() -> None:
    case = submit()
    assert case.response_due == response_due(case.received_on, CALENDAR)
