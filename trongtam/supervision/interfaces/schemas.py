"""API schemas of dialogues and Council recommendations. Shapes and types only: a step's input is checked by the
page's own form and then by the domain's rules, so the API and the pages report the same messages.

A person's name raised at a dialogue is personal data: lists give `raised_by` only for a business, the detail of
an issue gives it to whoever may see the issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of
from trongtam.supervision.enums import Audience, ItemStatus, Outcome, RaiserKind, Verdict

VERSION_HELP = "Phiên bản bạn đọc lần cuối (trường `version`); bản ghi đã đổi sau đó cho lỗi 409."


def _label(choices: Any, value: Any) -> str | None:
    return None if value in (None, "") else choice_label(choices, value)


class ItemBase(Schema):
    id: int
    version: int
    responsible_unit: UnitRef | None
    deadline: dt.date | None
    original_deadline: dt.date | None
    status: str
    status_label: str
    overdue: bool = Field(description="Đang chờ đơn vị chịu trách nhiệm và đã quá hạn xử lý.")
    answered_on: dt.date | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(ItemStatus, field_of(obj, "status"))

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj["overdue"] if isinstance(obj, dict) else getattr(obj, "is_overdue", False))


class DialogueRef(Schema):
    id: int
    topic: str
    held_on: dt.date


class IssueOut(ItemBase):
    dialogue: DialogueRef
    content: str
    raiser_kind: str
    raised_by: str = Field(
        description="Tên doanh nghiệp; trống khi người nêu là một người dân (thông tin cá nhân)."
    )
    outcome: str
    outcome_label: str | None

    @staticmethod
    def resolve_raised_by(obj: Any) -> str:
        return str(field_of(obj, "raised_by")) if field_of(obj, "raiser_kind") == RaiserKind.BUSINESS else ""

    @staticmethod
    def resolve_outcome_label(obj: Any) -> str | None:
        return _label(Outcome, field_of(obj, "outcome"))


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    by: PersonRef
    at: dt.datetime
    comment: str


class StepOut(Schema):
    action: str
    label: str
    path: str = Field(description="Đường dẫn (sau /api/v1) để gửi thao tác, bằng POST.")
    fields: list[str] = Field(description="Các trường thao tác này nhận, ngoài `version`.")


class ItemDetailMixin(Schema):
    answer: str
    close_reason: str
    events: list[EventOut]
    actions: list[StepOut]


class IssueDetailOut(IssueOut, ItemDetailMixin):
    raised_by_full: str = Field(
        description="Người nêu kiến nghị, kể cả tên một người dân (chỉ ở trang chi tiết)."
    )
    deadline_days: int | None


class RecommendationOut(ItemBase):
    supervision_id: int
    title: str
    verdict: str
    verdict_label: str | None

    @staticmethod
    def resolve_verdict_label(obj: Any) -> str | None:
        return _label(Verdict, field_of(obj, "verdict"))


class RecommendationDetailOut(RecommendationOut, ItemDetailMixin):
    details: str


class DialogueOut(Schema):
    id: int
    version: int
    topic: str
    audience: str
    audience_label: str
    held_on: dt.date
    chaired_by: PersonRef
    organizing_unit: UnitRef

    @staticmethod
    def resolve_audience_label(obj: Any) -> str:
        return choice_label(Audience, field_of(obj, "audience"))


class FileOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime


class DialogueDetailOut(DialogueOut):
    participants: str
    summary: str
    files: list[FileOut]
    issues: list[IssueOut]


class SupervisionOut(Schema):
    id: int
    version: int
    topic: str
    held_on: dt.date
    supervised_unit: UnitRef


class SupervisionDetailOut(SupervisionOut):
    team: str
    summary: str
    recommendations: list[RecommendationOut]


class ItemFilterIn(Schema):
    q: str = ""
    status: ItemStatus | None = None
    responsible_unit: int | None = None
    overdue: bool = False
    year: int | None = None


class DialogueIn(Schema):
    version: int | None = Field(None, description=VERSION_HELP + " Bỏ trống khi tạo mới.")
    topic: str
    audience: Audience
    held_on: dt.date
    chaired_by: int
    organizing_unit: int
    participants: str = ""
    summary: str = ""


class IssueIn(Schema):
    content: str
    raiser_kind: RaiserKind
    raised_by: str = ""
    responsible_unit: int | None = None
    deadline: dt.date | None = None
    deadline_days: int | None = Field(
        None, description="Hạn tính bằng số ngày làm việc kể từ buổi đối thoại."
    )


class SupervisionIn(Schema):
    version: int | None = Field(None, description=VERSION_HELP + " Bỏ trống khi tạo mới.")
    topic: str
    held_on: dt.date
    supervised_unit: int
    team: str = ""
    summary: str = ""


class RecommendationIn(Schema):
    title: str
    details: str = ""
    responsible_unit: int
    deadline: dt.date


class StepIn(Schema):
    version: int = Field(description=VERSION_HELP)
    comment: str = ""
    responsible_unit: int | None = None
    deadline: dt.date | None = None
    deadline_days: int | None = None
    answer: str = ""
    verdict: Verdict | None = None
