"""API schemas of assessment: rubric versions, rounds, score sheets, the classification preview. Shapes and types
only: the rules (points within 0..maximum, a reason after self-assessment, the facts' codes, the period of a
rubric, …) are the domain's (`domain/rounds.py`), so the API and the pages report the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ninja import Field, Schema

from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.enums import CriterionKind, Level, RoundStatus, SheetStatus
from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of

SHEET_VERSION_HELP = (
    "Phiên bản phiếu đánh giá bạn đọc lần cuối (trường `version`); phiếu đã đổi sau đó cho lỗi 409."
)
ROUND_VERSION_HELP = (
    "Phiên bản đợt đánh giá bạn đọc lần cuối (trường `version`); đợt đã đổi sau đó cho lỗi 409."
)


class SheetAction(StrEnum):
    """The workflow buttons of the sheet page (`views_sheets.ACTIONS` and `RETURN`)."""

    SUBMIT = "submit"
    FINISH_REVIEW = "finish_review"
    VERIFY = "verify"
    RETURN = "return"


def _label(choices: Any, value: Any) -> str | None:
    return None if value in (None, "") else choice_label(choices, value)


class PeriodRef(Schema):
    id: int
    year: int
    name: str


# -- rubrics -----------------------------------------------------------------------------------------------------


class RubricOut(Schema):
    """A version of a period's rubric. `frozen_at` is set once a round uses it: a change then needs a new
    version."""

    id: int
    period: PeriodRef
    number: int
    title: str
    created_by: PersonRef
    created_at: dt.datetime
    frozen_at: dt.datetime | None
    rounds: int = Field(description="Số đợt đánh giá dùng phiên bản này.")

    @staticmethod
    def resolve_rounds(obj: Any) -> int:
        return int(getattr(obj, "n_rounds", 0))


class RubricDetailOut(RubricOut):
    data: dict[str, Any] = Field(
        description="Nội dung bộ tiêu chí, như tệp tải về; POST /rubrics đọc lại được."
    )


class RubricIn(Schema):
    """A new version of a period's rubric, from the JSON a rubric's download gives (`data` of GET /rubrics/{id})."""

    period: int = Field(description="Mã số kỳ áp dụng.")
    data: dict[str, Any] = Field(description="Nội dung bộ tiêu chí.")


class RubricRef(Schema):
    id: int
    number: int
    title: str


# -- rounds ------------------------------------------------------------------------------------------------------


class StatusCount(Schema):
    status: str
    label: str
    count: int


class RoundOut(Schema):
    id: int
    version: int
    name: str
    period: PeriodRef
    rubric: RubricRef
    cut_off: dt.date
    status: str
    status_label: str
    opened_at: dt.datetime
    signed_by: PersonRef | None
    signed_at: dt.datetime | None
    sheets: int = Field(description="Số phiếu đánh giá của đợt.")
    counts: list[StatusCount] = Field(description="Số phiếu ở từng bước.")

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(RoundStatus, field_of(obj, "status"))

    @staticmethod
    def resolve_sheets(obj: Any) -> int:
        return int(field_of(obj, "n_sheets"))

    @staticmethod
    def resolve_counts(obj: Any) -> list[dict[str, Any]]:
        if isinstance(obj, dict):
            return list(obj["counts"])
        return [
            {"status": value, "label": str(label), "count": getattr(obj, f"n_{value}")}
            for value, label in SheetStatus.choices
        ]


class RoundActionOut(Schema):
    action: str
    label: str
    path: str = Field(description="Đường dẫn (sau /api/v1); GET với «preview», POST với «sign».")


class RoundDetailOut(RoundOut):
    visible_counts: list[StatusCount] = Field(description="Số phiếu ở từng bước, trong phạm vi của bạn.")
    actions: list[RoundActionOut]


class RoundIn(Schema):
    """Open a round: the rubric is frozen, and every rated head gets a sheet with the automatic criteria computed
    as of `cut_off` (inside the period)."""

    period: int = Field(description="Mã số kỳ đánh giá.")
    rubric: int = Field(description="Mã số phiên bản bộ tiêu chí, thuộc kỳ đã chọn.")
    name: str
    cut_off: dt.date = Field(description="Ngày chốt số liệu.")


class SignIn(Schema):
    version: int = Field(description=ROUND_VERSION_HELP)


# -- sheets ------------------------------------------------------------------------------------------------------


class LevelsOut(Schema):
    """What a head's sheet and an official's evaluation give of their levels: the level by score, the level and
    its label, each null while blank. The schemas based on it declare the three fields where they list them."""

    @staticmethod
    def resolve_level_by_score(obj: Any) -> str | None:
        return field_of(obj, "level_by_score") or None

    @staticmethod
    def resolve_level(obj: Any) -> str | None:
        return field_of(obj, "level") or None

    @staticmethod
    def resolve_level_label(obj: Any) -> str | None:
        return _label(Level, field_of(obj, "level"))


class SheetOut(LevelsOut):
    """One head's sheet as a round's list shows it. The levels are given once the Chairman has signed."""

    id: int
    version: int
    round_id: int
    person: PersonRef
    unit: UnitRef
    status: str
    status_label: str
    total: Decimal | None
    level_by_score: str | None
    level: str | None
    level_label: str | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(SheetStatus, field_of(obj, "status"))


class SheetFilterIn(Schema):
    status: SheetStatus | None = Field(None, description="Chỉ các phiếu ở bước này.")


class RecordOut(Schema):
    """A record behind an automatic criterion (a followed task, say)."""

    id: str
    kind: str
    title: str | None
    path: str | None = Field(description="Đường dẫn (sau /api/v1) để đọc bản ghi, nếu API có.")


class LineOut(Schema):
    """One line of the explained total: a criterion's points, or a cap or clamp (`kind` «adjustment»). The
    lines' points add up to the sheet's `total`."""

    code: str
    label: str
    path: list[str] = Field(description="Tên các nhóm tiêu chí bên trên.")
    kind: str
    kind_label: str
    max_points: Decimal | None
    points: Decimal
    metric: str
    value: Decimal | None = Field(description="Giá trị chỉ số tại ngày chốt số liệu (tiêu chí tự động).")
    record_kind: str
    record_ids: list[str]
    note: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(CriterionKind, obj.kind)

    @staticmethod
    def resolve_path(obj: Any) -> list[str]:
        return list(obj.path)

    @staticmethod
    def resolve_record_ids(obj: Any) -> list[str]:
        return [str(pk) for pk in obj.record_ids]


class CriterionOut(Schema):
    """A criterion of the tree, with what is stored on the sheet: groups carry the sum of their children."""

    code: str
    label: str
    depth: int
    kind: str
    kind_label: str
    is_group: bool
    max_points: Decimal
    points: Decimal
    scored: bool = Field(description="Sai với tiêu chí chấm tay chưa có điểm.")
    metric: str
    metric_label: str
    value: Decimal | None
    comment: str
    records: list[RecordOut] = Field(description="Các bản ghi làm căn cứ (tiêu chí tự động).")


class ChangeOut(Schema):
    """A change to a point after self-assessment: the earlier value is kept, with the reason."""

    code: str
    label: str
    step: str
    step_label: str
    before: Decimal | None
    after: Decimal | None
    reason: str
    by: PersonRef | None
    at: dt.datetime


class FactOut(Schema):
    code: str
    label: str
    reason: str


class LevelReasonOut(Schema):
    kind: str
    before: str
    after: str
    message: str
    rule_code: str = ""


class SheetActionOut(Schema):
    """An action this person may take on the sheet now: where to send it, and what it needs."""

    action: str
    label: str
    path: str = Field(description="Đường dẫn (sau /api/v1) để gửi thao tác, bằng POST.")
    needs_comment: bool = Field(False, description="Cần `comment` (trả lại).")
    needs_reason: bool = Field(False, description="Với «points»: cần `reason` khi đổi điểm.")
    codes: list[str] = Field(
        default_factory=list,
        description="Với «points»: mã các tiêu chí chấm tay (thay {code} trong đường dẫn).",
    )


class RoundRef(Schema):
    id: int
    name: str
    status: str


class SheetDetailOut(SheetOut):
    round: RoundRef
    rubric_id: int
    cut_off: dt.date
    computed_at: dt.datetime | None
    lines: list[LineOut]
    lines_total: Decimal = Field(description="Tổng các dòng, bằng `total`.")
    missing: list[str] = Field(description="Mã các tiêu chí chấm tay chưa có điểm.")
    criteria: list[CriterionOut]
    changes: list[ChangeOut]
    facts: list[FactOut]
    level_reasons: list[LevelReasonOut]
    actions: list[SheetActionOut]


class PointsIn(Schema):
    """The points of a criterion scored by hand, at the sheet's current step. After self-assessment a `reason`
    is needed and the earlier value is kept."""

    version: int = Field(description=SHEET_VERSION_HELP)
    points: Decimal = Field(description="Từ 0 đến điểm tối đa của tiêu chí, tối đa hai chữ số thập phân.")
    comment: str = Field("", description="Nhận xét, minh chứng (khi tự chấm).")
    reason: str = Field("", description="Lý do thay đổi điểm (bắt buộc sau bước tự chấm).")


class SheetActionIn(Schema):
    version: int = Field(description=SHEET_VERSION_HELP)
    comment: str = Field("", description="Bắt buộc khi trả lại.")


class VersionIn(Schema):
    version: int = Field(description=SHEET_VERSION_HELP)


class FactsIn(Schema):
    """The facts that cap a head's level, each with its reason (the decision, the inspection…); they replace the
    earlier list, so send them all (an empty object clears them)."""

    version: int = Field(description=SHEET_VERSION_HELP)
    facts: dict[str, str] = Field(description="Mã tình tiết → căn cứ. Mã: " + ", ".join(Fact.values) + ".")


# -- the preview -------------------------------------------------------------------------------------------------


class ReasonOut(Schema):
    kind: str
    kind_label: str
    message: str
    changed: bool = Field(description="Lý do này đã làm đổi mức.")
    rule_code: str


class PreviewRowOut(Schema):
    sheet_id: int
    person: PersonRef
    unit: UnitRef
    status: str
    score: Decimal
    level_by_score: str
    level_by_score_label: str
    level: str
    level_label: str
    changed: bool
    quota_rank: int | None
    reasons: list[ReasonOut]


class LevelCount(Schema):
    level: str
    label: str
    by_score: int
    given: int


class PreviewGroupOut(Schema):
    """A group whose quota is counted together: the agency that rates the heads and the group of similar tasks."""

    agency_id: int
    agency: str
    task_group: str
    task_group_label: str
    counts: list[LevelCount]
    held_by_hard_rules: int
    subject_to_quota: int
    kept: int
    demoted: int
    overridden: int
    quota_limit: int
    rows: list[PreviewRowOut]


class PreviewOut(Schema):
    round: RoundOut
    sheet_count: int
    waiting: int = Field(description="Số phiếu chưa thẩm định: chưa phê duyệt được khi còn phiếu chờ.")
    can_sign: bool
    totals: list[LevelCount]
    groups: list[PreviewGroupOut]
    tie_break: str
    notes: list[str]
