"""API schemas of feedback: the internal list, one case and its steps, and the public submission and status.
Shapes and types only: the rules are the domain's, so the API and the pages report the same messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from trongtam.feedback.enums import Category, FeedbackAction, FeedbackStatus, Outcome, SubjectKind
from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of

VERSION_HELP = "Phiên bản phản ánh bạn đọc lần cuối (trường `version`); phản ánh đã đổi sau đó cho lỗi 409."


class FeedbackFilterIn(Schema):
    q: str = Field("", description="Tìm theo mã, nội dung, tên cán bộ (không phân biệt dấu).")
    status: FeedbackStatus | None = None
    category: Category | None = None
    unit: int | None = None
    overdue: bool | None = Field(None, description="true: quá hạn chưa trả lời; false: không quá hạn.")
    upheld: bool | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None


class FeedbackOut(Schema):
    id: int
    version: int
    tracking_code: str
    category: str
    category_label: str
    subject_kind: str
    unit: UnitRef
    is_anonymous: bool
    received_on: dt.date
    response_due: dt.date
    status: str
    status_label: str
    outcome: str
    answered_on: dt.date | None
    upheld: bool | None
    is_published: bool
    assigned_to: PersonRef | None
    handler: PersonRef | None

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return choice_label(Category, field_of(obj, "category"))

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(FeedbackStatus, field_of(obj, "status"))


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    by: PersonRef | None
    at: dt.datetime
    comment: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class ActionRef(Schema):
    action: str
    label: str


class FeedbackDetailOut(FeedbackOut):
    """One case with the reporter's data (internal only), its answer, its history, and the steps open to you."""

    content: str
    official_name: str
    official: PersonRef | None
    dossier_code: str
    reporter_name: str
    reporter_phone: str
    reporter_email: str
    reporter_address: str
    answer: str
    public_answer: str
    proposed_public_answer: str = Field(
        description="Nội dung công khai hệ thống đề xuất (đã bỏ thông tin cá nhân)."
    )
    outcome_reason: str
    closed_on: dt.date | None
    citizen_solved: bool | None
    reopened_count: int
    attachments: list[AttachmentOut]
    events: list[EventOut]
    actions: list[ActionRef]


class ActionIn(Schema):
    """One step; the fields it needs: assign (`unit`, `to`, `comment`), handle (`delegate_to`), answer (`text`,
    `upheld`), close (`outcome`, `reason`), publish (`public_answer`, `published`), match_official (`official`)."""

    action: FeedbackAction
    version: int = Field(description=VERSION_HELP)
    unit: int | None = None
    to: int | None = None
    comment: str = ""
    delegate_to: int | None = None
    text: str = ""
    upheld: bool | None = None
    outcome: Outcome | None = None
    reason: str = ""
    public_answer: str = ""
    published: bool = True
    official: int | None = None


class PublicFeedbackIn(Schema):
    """A report sent without log-in. Anonymous unless `anonymous` is false, in which case `name` and a `phone` or
    `email` are needed. Attachments are sent through the web form."""

    category: Category
    subject_kind: SubjectKind = SubjectKind.UNIT
    unit: int = Field(description="Mã số (id) của cơ quan, đơn vị đang hoạt động.")
    content: str
    official_name: str = ""
    dossier_code: str = ""
    anonymous: bool = True
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class PublicSubmittedOut(Schema):
    tracking_code: str
    status_url: str


class PublicCaseOut(Schema):
    """A case as the public sees it: never the reporter's data, the report's text or the internal answer."""

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
