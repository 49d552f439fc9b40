"""Building followed tasks for tests, through the same models the app writes."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from trongtam.directives.models import Directive, DocumentKind
from trongtam.followup.enums import Source
from trongtam.followup.models import Task
from trongtam.org.models import Person, Unit

_numbers = itertools.count(1)


def make_directive(**overrides: Any) -> Directive:
    values: dict[str, Any] = {
        "number": f"{next(_numbers)}/TB-UBND",
        "issued_on": dt.date(2026, 3, 2),
        "kind": DocumentKind.CONCLUSION,
        "signer": "Nguyễn Văn An",
        "excerpt": "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban",
        "created_by": Person.objects.get(username="vanphong"),
    }
    values.update(overrides)
    return Directive.objects.create(**values)


def make_directive_task(directive: Directive | None = None, **overrides: Any) -> Task:
    directive = directive or make_directive()
    values: dict[str, Any] = {
        "source": Source.DIRECTIVE,
        "directive": directive,
        "title": "Báo cáo kết quả thực hiện",
        "lead_unit": Unit.objects.get(code="SCT"),
        "assigned_by": directive.created_by,
        "assigned_on": directive.issued_on,
        "deadline": dt.date(2026, 6, 30),
    }
    values.update(overrides)
    values.setdefault("original_deadline", values["deadline"])
    return Task.objects.create(**values)
