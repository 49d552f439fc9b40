"""The public API's schemas: what anyone may read, with nothing personal in any of them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from trongtam.public.domain.lookup import CODE_MAX_LENGTH
from trongtam.public.domain.rating import COMMENT_MAX_LENGTH

CODE_HELP = "Mã hồ sơ, in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả."
PHONE_HELP = "4 chữ số cuối của số điện thoại đã khai khi nộp hồ sơ."


class LookupIn(Schema):
    code: str = Field(min_length=1, max_length=CODE_MAX_LENGTH, description=CODE_HELP)
    phone_last4: str = Field(pattern=r"^[0-9]{4}$", description=PHONE_HELP)


class RatingIn(LookupIn):
    satisfaction: int = Field(
        ge=1,
        le=5,
        description="5 rất hài lòng, 4 hài lòng, 3 bình thường, 2 không hài lòng, 1 rất không hài lòng.",
    )
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)


class LetterOut(Schema):
    """The apology letter, once the unit's leader has signed it."""

    status_label: str
    number: str
    reason: str
    new_due_date: dt.date
    issued_on: dt.date | None
    sent_on: dt.date | None


class RatingOut(Schema):
    satisfaction: int
    satisfaction_label: str
    comment: str
    rated_on: dt.date


class DossierOut(Schema):
    """A dossier as the public lookup shows it. `timeliness`: early, on_time, late, open_in_time, open_overdue,
    not_counted (dates compared as dates). `appointment_date`: the new return date of the apology letter."""

    code: str
    procedure_code: str
    procedure_name: str
    field: str
    unit_name: str
    channel: int
    channel_label: str
    received_on: dt.date | None
    due_date: dt.date | None
    appointment_date: dt.date | None
    finished_on: dt.date | None
    status: int
    status_label: str
    status_explained: str
    timeliness: str
    timeliness_label: str
    is_late: bool
    letter: LetterOut | None
    rating: RatingOut | None
    can_rate: bool


class PeriodOut(Schema):
    year: int
    part: str = Field(description="Rỗng: cả năm; q1…q4: quý; t1…t12: tháng.")
    label: str
    start: dt.date
    end: dt.date


class ScoreRowOut(Schema):
    """One unit's figures (definitions in the scoreboard's description). `rank` is null below the minimum."""

    rank: int | None
    unit_code: str
    unit_name: str
    received: int
    processed: int
    on_time: int
    late: int
    withdrawn: int
    on_time_rate: Decimal | None = Field(
        description="Phần trăm, hai chữ số thập phân: (đúng hạn + rút) / (đã giải quyết + rút)."
    )
    open_overdue: int
    apology_letters: int
    feedback_received: int
    feedback_answered: int
    feedback_answered_on_time: int
    ratings: int
    satisfied_rate: Decimal | None


class ScoreGroupOut(Schema):
    key: str
    label: str
    rows: list[ScoreRowOut]


class ScoreboardOut(Schema):
    period: PeriodOut
    cut_off: dt.date
    minimum_settled: int = Field(
        description="Số hồ sơ đã giải quyết hoặc rút (mẫu số của tỷ lệ) tối thiểu trong kỳ để được xếp hạng."
    )
    groups: list[ScoreGroupOut]
