"""API schemas of directives. Shapes and types only: a document and its tasks are checked by the page's forms
(`DirectiveForm`, `TaskForm`) and then by `create_directive`'s rules, so the API and the page report the same
messages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from trongtam.directives.models import DocumentKind, Frequency
from trongtam.followup.interfaces.schemas import TaskOut
from trongtam.org.interfaces.schemas import PersonRef, choice_label, field_of


class DirectiveOut(Schema):
    id: int
    number: str
    issued_on: dt.date
    kind: str
    kind_label: str
    signer: str
    excerpt: str
    file_url: str | None = Field(description="Tệp văn bản đính kèm, nếu có.")
    task_count: int = Field(description="Số nhiệm vụ của văn bản trong phạm vi của bạn.")
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(DocumentKind, field_of(obj, "kind"))

    @staticmethod
    def resolve_file_url(obj: Any) -> str | None:
        file = field_of(obj, "file")
        return str(file.url) if file else None


class DirectiveDetailOut(DirectiveOut):
    version: int
    created_by: PersonRef
    tasks: list[TaskOut] = Field(description="Các nhiệm vụ của văn bản mà bạn được xem, hạn gần nhất trước.")


class DeadlineIn(Schema):
    """The deadline as the document states it: a `date`; `working_days` counted from the document's date
    (holidays skipped); a recurrence (`frequency`, `day` of the month, `until`), one task per occurrence; or
    `none`. Only the fields of the chosen `kind` are read."""

    kind: Literal["date", "working_days", "recurring", "none"]
    date: dt.date | None = None
    working_days: int | None = Field(None, description="Từ 1 đến 366 ngày làm việc.")
    frequency: Frequency | None = None
    day: int | None = Field(None, description="Ngày trong tháng, từ 1 đến 31.")
    until: dt.date | None = Field(None, description="Ngày kết thúc của nhiệm vụ định kỳ (tối đa 3 năm).")


class DirectiveTaskIn(Schema):
    """One task of the document. Unit ids are those of GET /units (active units only)."""

    title: str
    lead_unit_id: int
    deadline: DeadlineIn
    description: str = ""
    coordinating_unit_ids: list[int] = Field(default_factory=list)
    urgent: bool = False


class DirectiveIn(Schema):
    """A document and its tasks, written together or not at all. Dates are ISO (YYYY-MM-DD)."""

    number: str
    issued_on: dt.date
    kind: DocumentKind
    signer: str
    excerpt: str
    tasks: list[DirectiveTaskIn]
