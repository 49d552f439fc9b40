"""Fixtures of the feedback tests: a case submitted through the domain, and moved along its steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from trongtam.feedback.domain import cases
from trongtam.feedback.enums import Category, FeedbackStatus, Outcome, SubjectKind
from trongtam.feedback.models import Feedback
from trongtam.org.models import Person, Unit

By = Callable[[str], Person]
REPORTER = {
    "name": "Đặng Thị Huyền Trang",
    "phone": "0987 654 321",
    "email": "huyentrang.dang@example.vn",
    "address": "Số 17 ngõ Hoa Sữa, tổ dân phố 5",
}


def submit(unit: str = "XA01", *, anonymous: bool = False, **changes: Any) -> Feedback:
    values: dict[str, Any] = {
        "category": Category.ASKING_MONEY,
        "subject_kind": SubjectKind.OFFICIAL,
        "unit_id": Unit.objects.get(code=unit).pk,
        "content": "Cán bộ một cửa đòi 500.000 đồng «bồi dưỡng» để giải quyết hồ sơ nhanh.",
        "official_name": "Anh Nam ở quầy số 2",
        "anonymous": anonymous,
        **({} if anonymous else REPORTER),
        **changes,
    }
    return cases.submit(cases.Submission(**values))


def _by(username: str) -> Person:
    return Person.objects.get(username=username)


def move(case: Feedback, status: str, *, upheld: bool = True) -> Feedback:
    """Take `case` (received) to `status` through the domain, as the Office and the unit's head would."""
    head = Person.objects.get(unit=case.unit, role="head", is_active=True)
    steps: list[tuple[str, Callable[[Feedback], Feedback]]] = [
        (FeedbackStatus.ASSIGNED, lambda c: cases.assign(c.pk, by=_by("vanphong"), expected_version=c.version)),
        (FeedbackStatus.IN_HANDLING, lambda c: cases.handle(c.pk, by=head, expected_version=c.version)),
        (
            FeedbackStatus.ANSWERED,
            lambda c: cases.answer(
                c.pk, by=head, expected_version=c.version,
                text=f"Đã xác minh và xử lý. Đã liên hệ bà {REPORTER['name']} qua số {REPORTER['phone']}.",
                upheld=upheld,
            ),
        ),
        (
            FeedbackStatus.CLOSED,
            lambda c: cases.close(c.pk, by=head, expected_version=c.version, outcome=Outcome.RESOLVED),
        ),
    ]  # fmt: skip
    for target, step in steps:
        if case.status == status:
            break
        case = step(case)
        assert case.status == target
    return case


@pytest.fixture
def by() -> By:
    return _by
