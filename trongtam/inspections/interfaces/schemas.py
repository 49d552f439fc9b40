"""API schemas of discipline inspections. Shapes and types only: input is checked by the pages' own forms and then
by the domain's rules, so the API and the pages report the same messages."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from trongtam.inspections.enums import (
    OVERDUE,
    InspectingBody,
    InspectionKind,
    InspectionStatus,
    RemedyState,
    ViolationKind,
)
from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of

VERSION_HELP = "Phiên bản cuộc kiểm tra bạn đọc lần cuối (trường `version`); đã đổi sau đó thì lỗi 409."

RemedyFilter = StrEnum("RemedyFilter", {**{s.name: s.value for s in RemedyState}, "OVERDUE": OVERDUE})  # type: ignore[misc]


class Decision(StrEnum):
    ACCEPT = "accept"
    RETURN = "return"


class InspectionOut(Schema):
    id: int
    version: int
    title: str
    kind: str
    kind_label: str
    body: str
    body_label: str
    unit: UnitRef
    scheduled_on: dt.date
    scheduled_time: dt.time | None
    leader: PersonRef
    status: str
    status_label: str
    conducted_on: dt.date | None
    violation_count: int = Field(description="Số vi phạm đã ghi nhận.")

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(InspectionKind, field_of(obj, "kind"))

    @staticmethod
    def resolve_body_label(obj: Any) -> str:
        return choice_label(InspectingBody, field_of(obj, "body"))

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(InspectionStatus, field_of(obj, "status"))


class ViolationOut(Schema):
    id: int
    inspection_id: int
    unit: UnitRef
    kind: str
    kind_label: str
    person: PersonRef | None
    description: str
    remedy_deadline: dt.date
    remedy_state: str
    remedy_state_label: str
    overdue: bool = Field(description="Còn nợ khắc phục và đã quá hạn khắc phục (tính đến hôm nay).")
    remedy_report: str
    remedy_reported_at: dt.datetime | None
    remedy_comment: str
    evidence_name: str
    evidence_url: str | None = Field(description="Trang tải tệp minh chứng (kiểm tra quyền xem).")

    @staticmethod
    def resolve_unit(obj: Any) -> Any:
        return obj.inspection.unit

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(ViolationKind, obj.kind)

    @staticmethod
    def resolve_remedy_state_label(obj: Any) -> str:
        return choice_label(RemedyState, obj.remedy_state)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        from django.utils import timezone

        return bool(obj.remedy_state in RemedyState.owed and obj.remedy_deadline < timezone.localdate())

    @staticmethod
    def resolve_evidence_name(obj: Any) -> str:
        return str(obj.remedy_evidence_name)

    @staticmethod
    def resolve_evidence_url(obj: Any) -> str | None:
        if not obj.remedy_evidence:
            return None
        return reverse("inspections:evidence-file", args=[obj.inspection_id, obj.pk])


class ActionOut(Schema):
    action: str
    label: str
    path: str = Field(description="Đường dẫn (sau /api/v1) để gửi thao tác, bằng POST.")


class InspectionDetailOut(InspectionOut):
    scope: str
    members: list[PersonRef]
    findings: str
    closed_at: dt.datetime | None
    violations: list[ViolationOut]
    actions: list[ActionOut] = Field(description="Các thao tác bạn được làm với cuộc kiểm tra lúc này.")


class PlanIn(Schema):
    title: str
    kind: InspectionKind
    unit_id: int
    scheduled_on: dt.date
    scheduled_time: dt.time | None = None
    scope: str
    leader_id: int
    member_ids: list[int] = Field(default_factory=list)


class PlanChangeIn(PlanIn):
    version: int = Field(description=VERSION_HELP)


class ResultsIn(Schema):
    version: int = Field(description=VERSION_HELP)
    conducted_on: dt.date
    findings: str


class ViolationIn(Schema):
    version: int = Field(description=VERSION_HELP)
    kind: ViolationKind
    person_id: int | None = Field(None, description="Người vi phạm; để trống khi chưa xác định được.")
    description: str
    remedy_deadline: dt.date | None = Field(
        None, description="Để trống: số ngày làm việc mặc định sau ngày kiểm tra."
    )


class RemedyIn(Schema):
    version: int = Field(description=VERSION_HELP)
    report: str


class DecisionIn(Schema):
    version: int = Field(description=VERSION_HELP)
    decision: Decision
    comment: str = Field("", description="Bắt buộc khi yêu cầu khắc phục lại.")


class VersionIn(Schema):
    version: int = Field(description=VERSION_HELP)


class InspectionFilterIn(Schema):
    q: str = Field("", description="Tìm trong tên và nội dung kiểm tra, không phân biệt dấu.")
    unit: str = Field("", description="Một phần tên hoặc mã đơn vị được kiểm tra, không phân biệt dấu.")
    kind: InspectionKind | None = None
    body: InspectingBody | None = None
    status: InspectionStatus | None = None
    date_from: dt.date | None = Field(None, description="Kiểm tra từ ngày.")
    date_to: dt.date | None = Field(None, description="Kiểm tra đến ngày.")


class ViolationFilterIn(Schema):
    kind: ViolationKind | None = None
    unit: str = Field("", description="Một phần tên hoặc mã đơn vị, không phân biệt dấu.")
    person: str = Field("", description="Một phần họ tên người vi phạm, không phân biệt dấu.")
    remedy: RemedyFilter | None = Field(
        None, description="Tình trạng khắc phục, hoặc «overdue»: quá hạn khắc phục."
    )
    inspection: int | None = Field(None, description="Mã số cuộc kiểm tra.")
