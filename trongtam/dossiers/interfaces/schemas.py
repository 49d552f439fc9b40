"""API schemas of procedures and dossiers. Shapes and types only: the input is checked by the pages' forms and
then by the domain's rules (domain/lifecycle.py), so the API and the pages give the same messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from trongtam.dossiers.domain import deadlines
from trongtam.dossiers.domain.lifecycle import DossierAction
from trongtam.dossiers.enums import ApplicantKind, Channel, DossierStatus, ProcedureLevel, Source, Timeliness
from trongtam.org.interfaces.schemas import UnitRef, choice_label, field_of

VERSION_HELP = "Phiên bản hồ sơ bạn đọc lần cuối (trường `version`); hồ sơ đã đổi sau đó cho lỗi 409."


class ProcedureOut(Schema):
    id: int
    code: str
    name: str
    field: str
    level: str
    level_label: str
    processing_days: int = Field(description="Thời hạn giải quyết, ngày làm việc (0: trong ngày tiếp nhận).")
    is_active: bool

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return choice_label(ProcedureLevel, field_of(obj, "level"))


class ProcedureIn(Schema):
    code: str
    name: str
    field: str
    level: ProcedureLevel
    processing_days: int = Field(ge=0, le=365)
    is_active: bool = True


class ProcedureFilterIn(Schema):
    q: str = Field("", description="Mã, tên hoặc lĩnh vực; có dấu hay không dấu đều được.")
    level: ProcedureLevel | None = None
    field: str = ""
    active: bool | None = None


class ProcedureRef(Schema):
    id: int
    code: str
    name: str
    processing_days: int


def _timeliness(obj: Any) -> Timeliness:
    return deadlines.timeliness(obj.status, obj.due_date, obj.finished_on, timezone.localdate())


class DossierOut(Schema):
    """A dossier as the list shows it; `timeliness` as of today, compared as dates (domain-vn.md §3.4)."""

    id: int
    version: int
    code: str
    unit: UnitRef
    procedure: ProcedureRef
    channel: int
    channel_label: str
    status: int
    status_label: str
    applicant_name: str
    received_on: dt.date | None
    due_date: dt.date | None
    appointment_date: dt.date | None
    finished_on: dt.date | None
    timeliness: str
    timeliness_label: str

    @staticmethod
    def resolve_channel_label(obj: Any) -> str:
        return choice_label(Channel, obj.channel)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(DossierStatus, obj.status)

    @staticmethod
    def resolve_timeliness(obj: Any) -> str:
        return str(_timeliness(obj).value)

    @staticmethod
    def resolve_timeliness_label(obj: Any) -> str:
        return str(_timeliness(obj).label)


class MoveRef(Schema):
    action: str
    label: str
    needs: list[str] = Field(description="Các trường cần gửi kèm: `on` (ngày), `reason` (lý do).")


class DossierDetailOut(DossierOut):
    """Everything the dossier page shows, its applicant included (internal data, never public), and the moves
    the person may make now."""

    applicant_kind: str
    applicant_kind_label: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    source: str
    source_label: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    supplement_requested_on: dt.date | None
    supplement_received_on: dt.date | None
    paused_days: int
    returned_on: dt.date | None
    refusal_reason: str
    at_risk: bool = Field(
        description="Đang xử lý và đã đến hạn lập phiếu xin lỗi (01 ngày làm việc trước hạn)."
    )
    actions: list[MoveRef]

    @staticmethod
    def resolve_applicant_kind_label(obj: Any) -> str:
        return choice_label(ApplicantKind, obj.applicant_kind)

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return choice_label(Source, obj.source)


class DossierFilterIn(Schema):
    q: str = Field("", description="Mã hồ sơ hoặc tên chủ hồ sơ; có dấu hay không dấu đều được.")
    unit: int | None = None
    procedure: int | None = None
    status: DossierStatus | None = None
    timeliness: Timeliness | None = None
    channel: Channel | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None


class CounterEntryIn(Schema):
    unit: int
    procedure: int
    applicant_name: str
    applicant_phone: str = Field(description="Ít nhất 4 chữ số.")
    applicant_kind: ApplicantKind = ApplicantKind.CITIZEN
    applicant_email: str = ""
    applicant_address: str = ""
    channel: Channel = Channel.COUNTER
    received_at: dt.datetime | None = Field(None, description="Để trống: lúc gửi.")
    code: str = Field("", description="Để trống để hệ thống cấp mã <mã đơn vị>-<yymmdd>-<số thứ tự>.")


class TransitionIn(Schema):
    action: DossierAction
    version: int = Field(description=VERSION_HELP)
    on: dt.date | None = Field(None, description="Ngày của bước (để trống: hôm nay).")
    at: dt.datetime | None = Field(
        None, description="Thời điểm tiếp nhận hồ sơ trực tuyến (để trống: lúc gửi)."
    )
    reason: str = ""
