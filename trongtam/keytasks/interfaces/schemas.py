"""API schemas of key-task registrations. Shapes and types only: a task's input is checked by `KeyTaskForm`
(the page's form) and then by the domain's rules, so the API and the pages report the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.encoding import force_str
from ninja import Field, Schema

from trongtam.keytasks.enums import ACTION_LABELS, RegistrationAction, RegistrationStatus, TaskKind
from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of

VERSION_HELP = "Phiên bản bản đăng ký bạn đọc lần cuối (trường `version`); bản đã đổi sau đó cho lỗi 409."


def _status_label(value: str) -> str:
    return choice_label(RegistrationStatus, value)


class PeriodRef(Schema):
    id: int
    year: int
    name: str


class RegistrationOut(Schema):
    id: int
    version: int
    status: str
    status_label: str
    period: PeriodRef
    unit: UnitRef
    head: PersonRef
    task_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    commitment_signed_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return _status_label(field_of(obj, "status"))


class CommonTaskRef(Schema):
    id: int
    number: int
    title: str


class AssignedTaskRef(Schema):
    id: int
    title: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    met_on: dt.date | None


class KeyTaskOut(Schema):
    id: int
    kind: str
    kind_label: str
    position: int
    common_task: CommonTaskRef | None
    assigned_task: AssignedTaskRef | None
    title: str
    description: str
    product: str
    target_value: Decimal | None
    target_unit: str
    deadline: dt.date
    lead_unit: UnitRef
    coordinating_units: list[UnitRef]
    led_personally: bool
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(TaskKind, field_of(obj, "kind"))


class StatusChangeOut(Schema):
    action: str
    action_label: str
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    by: PersonRef
    at: dt.datetime
    comment: str

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        try:
            return force_str(ACTION_LABELS[RegistrationAction(obj.action)])
        except ValueError:
            return str(obj.action)

    @staticmethod
    def resolve_from_status_label(obj: Any) -> str:
        return _status_label(obj.from_status)

    @staticmethod
    def resolve_to_status_label(obj: Any) -> str:
        return _status_label(obj.to_status)


class ActionOut(Schema):
    """An action this person may take now, and whether it needs a comment."""

    action: str
    label: str
    needs_comment: bool


class ProblemOut(Schema):
    field: str
    message: str


class ApprovedVersionOut(Schema):
    number: int
    approved_at: dt.datetime
    approved_by: PersonRef


class RegistrationDetailOut(RegistrationOut):
    approved_by: PersonRef | None
    commitment_signed_by: PersonRef | None
    can_edit: bool
    can_sign_commitment: bool
    actions: list[ActionOut]
    tasks: list[KeyTaskOut]
    history: list[StatusChangeOut]
    problems: list[ProblemOut] = Field(
        description="Những điểm còn chưa đạt để trình (chỉ khi bạn đang sửa được bản đăng ký)."
    )
    approved_versions: list[ApprovedVersionOut]


class RegistrationStateOut(Schema):
    id: int
    version: int
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return _status_label(field_of(obj, "status"))


class RegistrationCreateIn(Schema):
    period_id: int


class MilestoneIn(Schema):
    title: str
    due_date: dt.date


class TaskIn(Schema):
    """One task. Dates are ISO (YYYY-MM-DD); ids are those of GET /units, GET /periods/{id}."""

    version: int = Field(description=VERSION_HELP)
    kind: TaskKind
    title: str
    deadline: dt.date
    lead_unit_id: int
    description: str = ""
    product: str = ""
    target_value: Decimal | None = None
    target_unit: str = ""
    coordinating_unit_ids: list[int] = Field(default_factory=list)
    led_personally: bool = False
    common_task_id: int | None = Field(None, description="Khi loại là «common»: nhiệm vụ chung của kỳ.")
    assigned_task_id: int | None = Field(
        None, description="Khi loại là «assigned»: nhiệm vụ Chủ tịch giao cho đơn vị."
    )
    milestones: list[MilestoneIn] = Field(default_factory=list)


class TaskSavedOut(Schema):
    registration: RegistrationStateOut
    task: KeyTaskOut


class TransitionIn(Schema):
    version: int = Field(description=VERSION_HELP)
    comment: str = Field("", description="Bắt buộc khi trả lại, đề nghị điều chỉnh, từ chối điều chỉnh.")


class VersionIn(Schema):
    version: int = Field(description=VERSION_HELP)
