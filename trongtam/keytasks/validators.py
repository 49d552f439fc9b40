"""The rules a registration must satisfy to be submitted, as a pure function over plain facts.

`registration_problems` names every broken rule at once; `task_problems` is the per-task part that forms and
the API also use before saving. Neither touches the database, so they are tested with hypothesis directly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core.errors import Problem
from trongtam.keytasks.enums import TaskKind


@dataclass(frozen=True)
class PeriodFacts:
    start: dt.date
    end: dt.date
    own_min: int
    own_max: int
    common_count: int
    assigned_min: int
    assigned_max: int
    common_tasks: dict[int, str] = field(default_factory=dict)  # id -> "1. title"
    assigned_tasks: dict[int, str] = field(default_factory=dict)  # this unit's, id -> title


@dataclass(frozen=True)
class TaskFacts:
    ref: str  # how the API names the task: its id, or its index in a new list
    title: str
    kind: str
    deadline: dt.date | None
    product: str = ""
    target_value: object | None = None
    target_unit: str = ""
    lead_unit_id: int | None = None
    coordinating_unit_ids: frozenset[int] = frozenset()
    common_task_id: int | None = None
    assigned_task_id: int | None = None
    milestone_dates: tuple[dt.date, ...] = ()

    @property
    def has_measurable_product(self) -> bool:
        return bool(self.product.strip()) or (
            self.target_value is not None and bool(self.target_unit.strip())
        )


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def task_problems(period: PeriodFacts, task: TaskFacts) -> list[Problem]:
    """Rules that concern one task alone."""
    name = task.title.strip() or _("(chưa có tên)")
    prefix = _("Nhiệm vụ «%(name)s»: ") % {"name": name}
    here = f"tasks.{task.ref}."
    problems: list[Problem] = []
    if not task.title.strip():
        problems.append(Problem(prefix + _("chưa có tên nhiệm vụ."), here + "title"))
    if task.deadline is None:
        problems.append(Problem(prefix + _("chưa có thời hạn hoàn thành."), here + "deadline"))
    elif not period.start <= task.deadline <= period.end:
        problems.append(
            Problem(
                prefix
                + _("thời hạn %(deadline)s nằm ngoài kỳ công tác (%(start)s – %(end)s).")
                % {"deadline": _d(task.deadline), "start": _d(period.start), "end": _d(period.end)},
                here + "deadline",
            )
        )
    if not task.has_measurable_product:
        problems.append(
            Problem(
                prefix + _("chưa có sản phẩm đo được (tên sản phẩm, hoặc giá trị mục tiêu kèm đơn vị tính)."),
                here + "product",
            )
        )
    if task.target_value is not None and not task.target_unit.strip():
        problems.append(Problem(prefix + _("giá trị mục tiêu cần có đơn vị tính."), here + "target_unit"))
    if task.lead_unit_id is None:
        problems.append(Problem(prefix + _("chưa có đơn vị chủ trì."), here + "lead_unit"))
    elif task.lead_unit_id in task.coordinating_unit_ids:
        problems.append(
            Problem(
                prefix + _("đơn vị chủ trì không được đồng thời là đơn vị phối hợp."),
                here + "coordinating_units",
            )
        )
    if task.kind == TaskKind.COMMON and task.common_task_id not in period.common_tasks:
        problems.append(
            Problem(prefix + _("chưa chọn nhiệm vụ chung được cụ thể hoá."), here + "common_task")
        )
    if task.kind == TaskKind.ASSIGNED and task.assigned_task_id not in period.assigned_tasks:
        problems.append(
            Problem(prefix + _("chưa chọn nhiệm vụ Chủ tịch giao cho đơn vị."), here + "assigned_task")
        )
    for day in task.milestone_dates:
        if not period.start <= day <= period.end:
            problems.append(
                Problem(
                    prefix + _("mốc tiến độ ngày %(day)s nằm ngoài kỳ công tác.") % {"day": _d(day)},
                    here + "milestones",
                )
            )
        elif task.deadline is not None and day > task.deadline:
            problems.append(
                Problem(
                    prefix + _("mốc tiến độ ngày %(day)s muộn hơn thời hạn hoàn thành.") % {"day": _d(day)},
                    here + "milestones",
                )
            )
    return problems


def _count_problem(kind_label: str, count: int, low: int, high: int, field_name: str) -> Problem | None:
    if low <= count <= high:
        return None
    expected = str(low) if low == high else _("từ %(low)s đến %(high)s") % {"low": low, "high": high}
    return Problem(
        _("Có %(count)s %(kind)s; cần %(expected)s.")
        % {"count": count, "kind": kind_label, "expected": expected},
        field_name,
    )


def registration_problems(period: PeriodFacts, tasks: Sequence[TaskFacts]) -> list[Problem]:
    """Every rule a submission breaks, registration-wide rules first, then each task's."""
    problems: list[Problem] = []
    kinds = Counter(t.kind for t in tasks)

    own = _count_problem(
        _("nhiệm vụ tự đăng ký"), kinds[TaskKind.OWN], period.own_min, period.own_max, "tasks.own"
    )
    if own:
        problems.append(own)

    if len(period.common_tasks) != period.common_count:
        problems.append(
            Problem(
                _(
                    "Kỳ công tác mới xác định %(defined)s/%(count)s nhiệm vụ chung; hãy báo Văn phòng UBND tỉnh."
                )
                % {"defined": len(period.common_tasks), "count": period.common_count},
                "tasks.common",
            )
        )
    made_concrete = Counter(t.common_task_id for t in tasks if t.kind == TaskKind.COMMON)
    for common_id, label in sorted(period.common_tasks.items(), key=lambda item: item[1]):
        if made_concrete[common_id] == 0:
            problems.append(
                Problem(
                    _("Nhiệm vụ chung «%(label)s» chưa được cụ thể hoá.") % {"label": label}, "tasks.common"
                )
            )
        elif made_concrete[common_id] > 1:
            problems.append(
                Problem(
                    _("Nhiệm vụ chung «%(label)s» được cụ thể hoá nhiều lần.") % {"label": label},
                    "tasks.common",
                )
            )

    assigned = _count_problem(
        _("nhiệm vụ Chủ tịch giao"),
        kinds[TaskKind.ASSIGNED],
        period.assigned_min,
        period.assigned_max,
        "tasks.assigned",
    )
    if assigned:
        problems.append(assigned)
    included = Counter(t.assigned_task_id for t in tasks if t.kind == TaskKind.ASSIGNED)
    for assigned_id, title in sorted(period.assigned_tasks.items(), key=lambda item: item[1]):
        if included[assigned_id] == 0:
            problems.append(
                Problem(
                    _("Nhiệm vụ Chủ tịch giao «%(title)s» chưa có trong bản đăng ký.") % {"title": title},
                    "tasks.assigned",
                )
            )
        elif included[assigned_id] > 1:
            problems.append(
                Problem(
                    _("Nhiệm vụ Chủ tịch giao «%(title)s» được đăng ký nhiều lần.") % {"title": title},
                    "tasks.assigned",
                )
            )

    for task in tasks:
        problems.extend(task_problems(period, task))
    return problems
