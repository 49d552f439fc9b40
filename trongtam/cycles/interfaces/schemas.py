"""API schemas of the annual cycle. Shapes and types only: the period's rules are `PeriodForm`'s and
`Period.clean()`'s, so the API reports exactly the messages the pages show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from trongtam.cycles.models import RatingRegime
from trongtam.org.interfaces.schemas import PersonRef, UnitRef, choice_label, field_of


class PeriodOut(Schema):
    id: int
    version: int
    year: int
    name: str
    theme: str
    start_date: dt.date
    end_date: dt.date
    registration_deadline: dt.date
    midyear_review_date: dt.date
    final_assessment_date: dt.date
    rating_regime: str
    rating_regime_label: str

    @staticmethod
    def resolve_rating_regime_label(obj: Any) -> str:
        return choice_label(RatingRegime, field_of(obj, "rating_regime"))


class TaskCounts(Schema):
    """The task counts in force for the period."""

    own_min: int
    own_max: int
    common_count: int
    assigned_min: int
    assigned_max: int


class CommonTaskOut(Schema):
    id: int
    number: int
    title: str
    description: str


class AssignedTaskOut(Schema):
    id: int
    period_id: int
    unit: UnitRef
    title: str
    description: str
    assigned_by: PersonRef
    created_at: dt.datetime


class PeriodDetailOut(PeriodOut):
    counts: TaskCounts
    commitment_text: str
    common_tasks: list[CommonTaskOut]
    assigned_tasks: list[AssignedTaskOut]


class PeriodIn(Schema):
    """A new period. Dates are ISO (YYYY-MM-DD); the counts default to the Decree's 3–5, 5 and 1–2."""

    year: int
    name: str
    theme: str
    start_date: dt.date
    end_date: dt.date
    registration_deadline: dt.date
    midyear_review_date: dt.date
    final_assessment_date: dt.date
    own_min: int = 3
    own_max: int = 5
    common_count: int = 5
    assigned_min: int = 1
    assigned_max: int = 2
    rating_regime: RatingRegime = RatingRegime.ND335
    commitment_text: str = ""


class PeriodPatch(Schema):
    """The fields to change; those left out keep their value. `version` is the one last read (required)."""

    version: int
    year: int | None = None
    name: str | None = None
    theme: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    registration_deadline: dt.date | None = None
    midyear_review_date: dt.date | None = None
    final_assessment_date: dt.date | None = None
    own_min: int | None = None
    own_max: int | None = None
    common_count: int | None = None
    assigned_min: int | None = None
    assigned_max: int | None = None
    rating_regime: RatingRegime | None = None
    commitment_text: str | None = None


class AssignedTaskIn(Schema):
    unit_id: int = Field(description="Đơn vị được giao (sở, ngành, xã, phường… đang hoạt động).")
    title: str
    description: str = ""
