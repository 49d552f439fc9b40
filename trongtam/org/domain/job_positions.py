"""Job positions of a unit (vị trí việc làm, Decree 62/2020/NĐ-CP) and the position each official holds.

Home Affairs and the administrator keep them. Each write runs in one transaction: it checks the permission, locks
the row, compares the version the person loaded (StaleEdit, a 409), checks the input (RuleViolations, every
problem at once, nothing written), then writes the change and its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.models import AuditAction
from trongtam.org.enums import UNIT_ROLES, JobCategory
from trongtam.org.models import JobPosition, Person, Unit

FIELDS = ["code", "name", "category", "description", "is_active"]


@dataclass(frozen=True)
class JobPositionInput:
    code: str
    name: str
    category: str
    description: str = ""
    is_active: bool = True


def _problems(unit: Unit, data: JobPositionInput, *, exclude_pk: int | None) -> list[Problem]:
    problems = []
    if not data.code.strip():
        problems.append(Problem(_("Cần nhập mã vị trí việc làm."), "code"))
    elif len(data.code.strip()) > 30:
        problems.append(Problem(_("Mã vị trí việc làm dài tối đa 30 ký tự."), "code"))
    elif JobPosition.objects.filter(unit=unit, code=data.code.strip()).exclude(pk=exclude_pk or 0).exists():
        problems.append(
            Problem(
                _("Mã vị trí «%(code)s» đã có trong %(unit)s.") % {"code": data.code.strip(), "unit": unit},
                "code",
            )
        )
    if not data.name.strip():
        problems.append(Problem(_("Cần nhập tên vị trí việc làm."), "name"))
    if data.category not in JobCategory.values:
        problems.append(
            Problem(
                _(
                    "Nhóm vị trí việc làm «%(value)s» không hợp lệ: chọn một trong ba nhóm của Nghị định 62/2020."
                )
                % {"value": data.category},
                "category",
            )
        )
    return problems


def _values(data: JobPositionInput) -> dict[str, Any]:
    return {
        "code": data.code.strip(),
        "name": data.name.strip(),
        "category": data.category,
        "description": data.description.strip(),
        "is_active": data.is_active,
    }


def create_job_position(unit: Unit, data: JobPositionInput, *, by: Any) -> JobPosition:
    if not by.has_perm("org.manage_job_positions", unit):
        raise PermissionDenied
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)  # one code per unit, even at the same time
        problems = _problems(unit, data, exclude_pk=None)
        if problems:
            raise RuleViolations(problems)
        position = JobPosition.objects.create(unit=unit, **_values(data))
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=position,
            changes={k: [None, v] for k, v in audit.snapshot(position, FIELDS).items()},
            root=unit,
        )
    return position


def update_job_position(
    position_id: int, data: JobPositionInput, *, by: Any, expected_version: int | None
) -> JobPosition:
    with transaction.atomic():
        position = (
            JobPosition.objects.select_for_update(of=("self",)).select_related("unit").get(pk=position_id)
        )
        if not by.has_perm("org.manage_job_positions", position.unit):
            raise PermissionDenied
        if expected_version is not None and position.version != expected_version:
            raise audit.stale_edit(position)
        problems = _problems(position.unit, data, exclude_pk=position.pk)
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(position, FIELDS)
        for name, value in _values(data).items():
            setattr(position, name, value)
        changes = audit.diff(before, audit.snapshot(position, FIELDS))
        if changes:
            position.version += 1
            position.save()
            audit.record(
                actor=by, action=AuditAction.UPDATE, instance=position, changes=changes, root=position.unit
            )
    return position


def set_job_position(
    person_id: int, position_id: int | None, *, by: Any, expected_position_id: int | str | None = "any"
) -> Person:
    """Set (or clear, with None) the job position an official holds: a position of their own unit, in use.

    `expected_position_id` is the position the person saw (compare-and-set): if someone set another one since, the
    write is refused as stale. Only officials, deputies and heads of a unit hold a position.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person_id)
        if person.unit is None or not by.has_perm("org.manage_job_positions", person.unit):
            raise PermissionDenied
        if expected_position_id not in ("any", person.job_position_id):
            raise audit.stale_edit(person)
        problems = []
        if person.role not in UNIT_ROLES:
            problems.append(
                Problem(
                    _("%(name)s không phải cán bộ, công chức của đơn vị nên không có vị trí việc làm.")
                    % {"name": person},
                    "job_position",
                )
            )
        position = None
        if position_id is not None:
            position = JobPosition.objects.filter(pk=position_id).first()
            if position is None or position.unit_id != person.unit_id or not position.is_active:
                problems.append(
                    Problem(
                        _("Vị trí việc làm được chọn không thuộc %(unit)s hoặc đã ngừng sử dụng.")
                        % {"unit": person.unit},
                        "job_position",
                    )
                )
        if problems:
            raise RuleViolations(problems)
        before = person.job_position_id
        if before != position_id:
            person.job_position = position
            person.save(update_fields=["job_position"])
            audit.record(
                actor=by,
                action=AuditAction.UPDATE,
                instance=person,
                changes={"job_position": [before, position_id]},
            )
    return person
