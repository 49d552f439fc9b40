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


def dossier_in(status: int, unit: Unit | str = "XA01", days: int = 5, **overrides: Any) -> Dossier:
    """A dossier in `status` with the dates that status implies, received on Monday 2/3/2026 at 9:00 (5 working days:
    due Monday 9/3): not yet received (1, 3), paused since 4/3 (5), ended on 5/3 (7, 8, 9), returned on 6/3 (10)."""
    procedure = make_procedure(f"T-TEST-{days:02d}", processing_days=days)
    values: dict[str, Any] = {}
    if status in (DossierStatus.SUBMITTED_ONLINE, DossierStatus.REFUSED):
        values = {"submitted_at": at(dt.date(2026, 3, 1), 20), "channel": Channel.ONLINE}
    if status == DossierStatus.REFUSED:
        values["refusal_reason"] = "Không thuộc thẩm quyền"
    if status == DossierStatus.SUPPLEMENT_REQUESTED:
        values["supplement_requested_on"] = dt.date(2026, 3, 4)
    if status in (DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.DONE, DossierStatus.RETURNED):
        values["finished_on"] = dt.date(2026, 3, 5)
    if status == DossierStatus.RETURNED:
        values["returned_on"] = dt.date(2026, 3, 6)
    values.update(overrides)
    dossier = make_dossier(unit, procedure, status=status, **values)
    if status in (DossierStatus.SUBMITTED_ONLINE, DossierStatus.REFUSED):  # make_dossier always receives it
        Dossier.objects.filter(pk=dossier.pk).update(received_at=None, received_on=None, due_date=None)
        dossier.refresh_from_db()
    return dossier
