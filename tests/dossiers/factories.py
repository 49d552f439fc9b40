"""Building procedures and dossiers for tests, with their dates derived by the same domain functions the app uses."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from trongtam.dossiers.domain.deadlines import schedule
from trongtam.dossiers.enums import Channel, DossierStatus, ProcedureLevel
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Unit
from trongtam.workdays.domain.queries import work_calendar

_numbers = itertools.count(1)


def make_procedure(code: str = "T-TEST-01", processing_days: int = 5, **overrides: Any) -> Procedure:
    values: dict[str, Any] = {
        "name": "Chứng thực bản sao từ bản chính",
        "field": "Chứng thực",
        "level": ProcedureLevel.COMMUNE,
        "processing_days": processing_days,
    }
    values.update(overrides)
    procedure, _created = Procedure.objects.get_or_create(code=code, defaults=values)
    return procedure


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware local datetime on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_dossier(
    unit: Unit | str = "XA01",
    procedure: Procedure | None = None,
    received_at: dt.datetime | None = None,
    status: int = DossierStatus.IN_PROCESS,
    **overrides: Any,
) -> Dossier:
    unit = unit if isinstance(unit, Unit) else Unit.objects.get(code=unit)
    procedure = procedure or make_procedure()
    received_at = received_at or at(dt.date(2026, 3, 2))
    values: dict[str, Any] = {
        "code": f"H99.{next(_numbers):06d}",
        "unit": unit,
        "procedure": procedure,
        "channel": Channel.COUNTER,
        "status": status,
        "applicant_name": "Nguyễn Thị Hoa",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 5 đường Trần Phú",
        "submitted_at": received_at,
        "received_at": received_at,
    }
    values.update(overrides)
    plan = schedule(
        values["received_at"],
        procedure.processing_days,
        work_calendar(),
        supplement_requested_on=values.get("supplement_requested_on"),
        supplement_received_on=values.get("supplement_received_on"),
    )
    values.setdefault("received_on", plan.received_on)
    values.setdefault("due_date", plan.due_date)
    values.setdefault("paused_days", plan.paused_days)
    return Dossier.objects.create(**values)
