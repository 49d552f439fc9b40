"""What the public sees of a case: `PublicCase`, a whitelist read by the tracking page, the answered-cases page
and the public API. The reporter's name, phone, e-mail and address, the report's own text (which may name people)
and the staff's internal answer are never read into it; the answer shown is the `public_answer` the staff
confirmed, and only once it is published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from trongtam.feedback.domain.workflow import reopen_allowed
from trongtam.feedback.enums import FeedbackStatus

PLAIN_STATUS: dict[str, Any] = {
    FeedbackStatus.RECEIVED: _("Phản ánh đã được tiếp nhận, đang chờ chuyển đơn vị có trách nhiệm xử lý."),
    FeedbackStatus.ASSIGNED: _("Phản ánh đã được giao cho đơn vị có trách nhiệm xử lý."),
    FeedbackStatus.IN_HANDLING: _("Đơn vị đang xem xét, xử lý phản ánh."),
    FeedbackStatus.ANSWERED: _("Phản ánh đã được trả lời."),
    FeedbackStatus.CLOSED: _("Phản ánh đã kết thúc xử lý."),
}


@dataclass(frozen=True)
class PublicCase:
    tracking_code: str
    category: str
    unit: str
    received_on: dt.date
    response_due: dt.date
    status: str
    status_label: str
    status_text: str
    outcome_label: str
    answered_on: dt.date | None
    public_answer: str
    may_give_verdict: bool
    citizen_solved: bool | None


def public_case(case: Any) -> PublicCase:
    published = bool(case.is_published and case.answered_on)
    return PublicCase(
        tracking_code=case.tracking_code,
        category=str(case.get_category_display()),
        unit=case.unit.name,
        received_on=case.received_on,
        response_due=case.response_due,
        status=case.status,
        status_label=str(case.get_status_display()),
        status_text=str(PLAIN_STATUS[case.status]),
        outcome_label=str(case.get_outcome_display()) if case.outcome else "",
        answered_on=case.answered_on,
        public_answer=case.public_answer if published else "",
        may_give_verdict=reopen_allowed(case.status, case.outcome),
        citizen_solved=case.citizen_solved,
    )
