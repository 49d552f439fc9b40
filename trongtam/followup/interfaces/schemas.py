"""API schemas of followed tasks and of the overview. Shapes and types only: an action's input is checked by the
task page's own form (`ProgressForm`, `ExtensionForm`, …) and then by the domain's rules, so the API and the
pages report the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from ninja import Field, Schema

from trongtam.followup.domain.workflow import BUTTON_ACTIONS
from trongtam.followup.enums import DeadlineState, Delivery, FollowAction, Lifecycle, Outcome, Source
from trongtam.followup.models import ExtensionStatus
from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of

VERSION_HELP = "Phiên bản nhiệm vụ bạn đọc lần cuối (trường `version`); nhiệm vụ đã đổi sau đó cho lỗi 409."


# The task page's buttons, as the API's path parameter: one list (workflow.BUTTON_ACTIONS), two uses.
ButtonAction = StrEnum("ButtonAction", {action.name: action.value for action in BUTTON_ACTIONS})  # type: ignore[misc]


def _label(choices: Any, value: Any) -> str | None:
    return None if value in (None, "") else choice_label(choices, value)


class DirectiveRef(Schema):
    id: int
    number: str
    issued_on: dt.date


class RegistrationRef(Schema):
    """The key-task registration a task comes from (source «key_task»)."""

    id: int
    unit: UnitRef


class TaskOut(Schema):
    """One followed task as the list shows it. `deadline_state` is given for open tasks only; `outcome` is the
    Government's 2×2 cell (none for a cancelled or refused task)."""

    id: int
    version: int
    title: str
    source: str
    source_label: str
    directive: DirectiveRef | None
    registration: RegistrationRef | None
    lead_unit: UnitRef
    urgent: bool
    assigned_on: dt.date
    original_deadline: dt.date | None
    deadline: dt.date | None
    extended: bool = Field(description="Thời hạn đã được gia hạn (khác thời hạn ban đầu).")
    lifecycle: str
    lifecycle_label: str
    deadline_state: str | None
    deadline_state_label: str | None
    outcome: str | None
    outcome_label: str | None
    percent: int
    delivery: str
    delivery_label: str | None

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return choice_label(Source, field_of(obj, "source"))

    @staticmethod
    def resolve_extended(obj: Any) -> bool:
        original, current = field_of(obj, "original_deadline"), field_of(obj, "deadline")
        return bool(original and current and original != current)

    @staticmethod
    def resolve_lifecycle_label(obj: Any) -> str:
        return choice_label(Lifecycle, field_of(obj, "lifecycle"))

    @staticmethod
    def resolve_deadline_state(obj: Any) -> str | None:
        state = field_of(obj, "state")
        return None if state is None else str(state)

    @staticmethod
    def resolve_deadline_state_label(obj: Any) -> str | None:
        return _label(DeadlineState, field_of(obj, "state"))

    @staticmethod
    def resolve_outcome(obj: Any) -> str | None:
        cell = field_of(obj, "cell")
        return None if cell is None else str(cell)

    @staticmethod
    def resolve_outcome_label(obj: Any) -> str | None:
        return _label(Outcome, field_of(obj, "cell"))

    @staticmethod
    def resolve_delivery_label(obj: Any) -> str | None:
        return _label(Delivery, field_of(obj, "delivery"))


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.file.url)


class ProgressUpdateOut(Schema):
    id: int
    at: dt.datetime
    by: PersonRef
    unit: UnitRef
    percent: int
    narrative: str
    obstacles: str
    proposals: str
    proposed_delivery: str
    delivery: str
    delivery_label: str
    override_reason: str
    is_contribution: bool = Field(description="Phần phối hợp của một đơn vị phối hợp.")
    files: list[EvidenceOut]

    @staticmethod
    def resolve_delivery_label(obj: Any) -> str:
        return choice_label(Delivery, obj.delivery)

    @staticmethod
    def resolve_files(obj: Any) -> list[Any]:
        return list(obj.files.all())


class ExtensionOut(Schema):
    id: int
    status: str
    status_label: str
    requested_by: PersonRef
    requested_at: dt.datetime
    current_deadline: dt.date
    new_deadline: dt.date
    reason: str
    decided_by: PersonRef | None
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(ExtensionStatus, obj.status)


class TaskEventOut(Schema):
    action: str
    action_label: str
    from_lifecycle: str
    from_lifecycle_label: str
    to_lifecycle: str
    to_lifecycle_label: str
    by: PersonRef
    at: dt.datetime
    comment: str

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return choice_label(FollowAction, obj.action)

    @staticmethod
    def resolve_from_lifecycle_label(obj: Any) -> str:
        return choice_label(Lifecycle, obj.from_lifecycle)

    @staticmethod
    def resolve_to_lifecycle_label(obj: Any) -> str:
        return choice_label(Lifecycle, obj.to_lifecycle)


class TaskActionOut(Schema):
    """An action this person may take on the task now: where to send it, and whether it needs a comment."""

    action: str
    label: str
    needs_comment: bool
    path: str = Field(description="Đường dẫn (sau /api/v1) để gửi thao tác, bằng POST.")
    extension_id: int | None = Field(None, description="Với «decision»: đề nghị gia hạn đang chờ quyết định.")


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    met_on: dt.date | None


class MilestoneIn(Schema):
    """The day the milestone was met (not after today), or null to withdraw an earlier record."""

    version: int = Field(description=VERSION_HELP)
    met_on: dt.date | None


class TaskDetailOut(TaskOut):
    description: str
    key_task_id: int | None
    coordinating_units: list[UnitRef]
    assigned_by: PersonRef
    due_soon_from: dt.date | None
    completion_reported_on: dt.date | None
    accepted_at: dt.datetime | None
    on_time: bool | None
    updates: list[ProgressUpdateOut]
    other_evidence: list[EvidenceOut]
    extensions: list[ExtensionOut]
    events: list[TaskEventOut]
    milestones: list[MilestoneOut] = Field(
        description="Mốc tiến độ của nhiệm vụ trọng tâm (rỗng với văn bản)."
    )
    actions: list[TaskActionOut]


class ProgressIn(Schema):
    """A progress report (lead unit) or a contribution (coordinating unit). Sent as the multipart field `payload`,
    in JSON, beside the evidence files."""

    version: int = Field(description=VERSION_HELP)
    percent: int
    narrative: str
    obstacles: str = ""
    proposals: str = ""
    delivery: Delivery | None = Field(
        None, description="Chỉ khi đánh giá khác đề xuất của hệ thống; khi đó cần `override_reason`."
    )
    override_reason: str = ""


class CompletionIn(Schema):
    """The completion report, sent as the multipart field `payload`, in JSON, beside at least one evidence file."""

    version: int = Field(description=VERSION_HELP)
    narrative: str


class ExtensionIn(Schema):
    version: int = Field(description=VERSION_HELP)
    new_deadline: dt.date
    reason: str


class DecisionIn(Schema):
    version: int = Field(description=VERSION_HELP)
    decision: Literal["approve", "reject"]
    note: str = Field("", description="Bắt buộc khi không đồng ý.")


class ActionIn(Schema):
    version: int = Field(description=VERSION_HELP)
    comment: str = Field("", description="Bắt buộc khi trả lại, tạm dừng, từ chối, huỷ.")


class TaskFilterIn(Schema):
    """The task list's filters (those of the task list page); every one is optional."""

    q: str = Field("", description="Tìm trong nội dung nhiệm vụ, không phân biệt dấu.")
    unit: str = Field("", description="Một phần tên hoặc mã đơn vị chủ trì, không phân biệt dấu.")
    lead_unit: int | None = Field(None, description="Mã số đơn vị chủ trì.")
    vice_chairman: int | None = Field(
        None, description="Mã số Phó Chủ tịch: các nhiệm vụ do các đơn vị Phó Chủ tịch phụ trách chủ trì."
    )
    source: Source | None = None
    lifecycle: Lifecycle | None = None
    deadline_state: DeadlineState | None = Field(None, description="Tính đến hôm nay, chỉ nhiệm vụ đang mở.")
    outcome: Outcome | None = Field(None, description="Ô của bảng 2×2, tính đến hôm nay.")
    delivery: Delivery | None = None
    urgent: bool | None = None
    directive: int | None = Field(None, description="Mã số văn bản giao nhiệm vụ.")
    assigned_from: dt.date | None = Field(None, description="Giao từ ngày.")
    assigned_to: dt.date | None = Field(None, description="Giao đến ngày.")


class RangeIn(Schema):
    """The overview's range: `start`–`end` (the day tasks were assigned), or a reporting period of Decree 09/2019
    (`period`, `year`, `number`), which takes precedence."""

    period: Literal["month", "quarter", "half", "year"] | None = None
    year: int | None = Field(None, description="Mặc định: năm nay.")
    number: int | None = Field(None, description="Tháng, quý hoặc nửa năm số mấy; mặc định 1.")
    start: dt.date | None = None
    end: dt.date | None = None


class TallyOut(Schema):
    """The Government's 2×2 (Report 1270/BC-TCTTTg) and the rates over the tasks already due, in percent."""

    done_on_time: int
    done_late: int
    open_in_time: int
    open_overdue: int
    done: int
    total: int
    due: int
    completion_rate: Decimal | None
    on_time_rate: Decimal | None


class OverviewRowOut(Schema):
    id: int | None = Field(description="Mã số đơn vị hoặc Phó Chủ tịch; không có với một lĩnh vực.")
    name: str
    tally: TallyOut


class OverviewOut(Schema):
    today: dt.date
    start: dt.date | None
    end: dt.date | None
    total: TallyOut
    units: list[OverviewRowOut] = Field(
        description="Mỗi đơn vị chủ trì; đơn vị nhiều nhiệm vụ quá hạn trước."
    )
    vice_chairmen: list[OverviewRowOut]
    sectors: list[OverviewRowOut]
