"""Directives: the documents that assign tasks, read in the person's scope, and entered with their tasks.

Scope, as on the pages (directives/views.py): the list needs `directives.view_directive_list` (a citizen, a deputy
or an official gets 403) and holds the directives that gave a task the person may see; province-wide roles and
the council see all. A directive none of whose tasks the person may see is a **404**, so its existence is not
revealed. Entering one needs `directives.manage_directive` (the Office, the Chairman, administrators).

Input is checked in three steps, each reporting by field: its shape and types (422), the page's forms (400), then
`create_directive`'s rules (400: a deadline before the document's date, a coordinating unit that also leads, a
document entered twice, …), named by the body's fields (`tasks.0.deadline.date`). Nothing is written unless
everything is accepted; the audit trail and the heads' notices are the page's.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time, in
# the globals of its own wrapper, where these names would not resolve.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.search import search
from trongtam.directives.domain.directives import TaskSpec, create_directive
from trongtam.directives.domain.queries import directives_visible_to
from trongtam.directives.interfaces.forms import DirectiveForm, TaskForm
from trongtam.directives.interfaces.schemas import (
    DirectiveDetailOut,
    DirectiveIn,
    DirectiveOut,
    DirectiveTaskIn,
)
from trongtam.directives.models import Directive
from trongtam.followup.domain.queries import sees_every_task, task_rows, visible_tasks
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS

router = Router(tags=["directives"])


# The task form's fields, and the last part of a domain problem's field, under the body's names.
TASK_FORM_FIELD = {
    "lead_unit": "lead_unit_id",
    "coordinating_units": "coordinating_unit_ids",
    "deadline_kind": "deadline.kind",
    "deadline_date": "deadline.date",
    "working_days": "deadline.working_days",
    "frequency": "deadline.frequency",
    "day": "deadline.day",
    "until": "deadline.until",
}
DOMAIN_FIELD = {"lead_unit": "lead_unit_id", "coordinating_units": "coordinating_unit_ids"}


def _detail(request: Any, directive_id: int) -> dict[str, Any]:
    user = request.user
    directive = get_object_or_404(Directive.objects.select_related("created_by"), pk=directive_id)
    today = timezone.localdate()
    tasks = list(task_rows(visible_tasks(user).filter(directive=directive), today))
    if not tasks and not sees_every_task(user):
        raise Http404
    return {
        **{
            name: getattr(directive, name)
            for name in (
                "id",
                "version",
                "number",
                "issued_on",
                "kind",
                "signer",
                "excerpt",
                "file",
                "created_by",
                "created_at",
            )
        },
        "task_count": len(tasks),
        "tasks": tasks,
    }


@router.get("/directives", response={200: list[DirectiveOut], **ERRORS}, summary="Văn bản giao nhiệm vụ")
@paginate(PageNumberPagination, page_size=50)
def list_directives(request: Any, q: str = "") -> QuerySet[Directive]:
    """The directives in the person's scope, the latest first. `q` searches the number, the signer and the
    excerpt, ignoring diacritics ("nha o xa hoi" finds "nhà ở xã hội")."""
    if not request.user.has_perm("directives.view_directive_list"):
        raise PermissionDenied
    directives = directives_visible_to(request.user)
    if q.strip():
        directives = search(directives, q)
    return directives.order_by("-issued_on", "-pk")


@router.get("/directives/{directive_id}", response={200: DirectiveDetailOut, **ERRORS}, summary="Một văn bản")
def get_directive(request: Any, directive_id: int) -> dict[str, Any]:
    """The document with the tasks it gave that the person may see, each with its deadline state as of today
    (the full task: GET /tasks/{id})."""
    return _detail(request, directive_id)


def _task_form(task: DirectiveTaskIn) -> TaskForm:
    deadline = task.deadline
    return TaskForm(
        data={
            "title": task.title,
            "description": task.description,
            "lead_unit": task.lead_unit_id,
            "coordinating_units": task.coordinating_unit_ids,
            "deadline_kind": deadline.kind,
            "deadline_date": deadline.date,
            "working_days": deadline.working_days,
            "frequency": deadline.frequency.value if deadline.frequency else "",
            "day": deadline.day,
            "until": deadline.until,
            "urgent": task.urgent,
        }
    )


def _form_problems(form: Any, prefix: str = "", rename: dict[str, str] | None = None) -> list[Problem]:
    rename = rename or {}
    return [
        Problem(str(message), (prefix + rename.get(name, name)) if name != "__all__" else prefix.rstrip("."))
        for name, messages in form.errors.items()
        for message in messages
    ]


def _api_field(domain_field: str) -> str:
    """ "tasks.0.lead_unit" -> "tasks.0.lead_unit_id": the rules are reported under the body's field names."""
    head, _sep, last = domain_field.rpartition(".")
    return f"{head}.{DOMAIN_FIELD[last]}" if head and last in DOMAIN_FIELD else domain_field


@router.post(
    "/directives",
    response={201: DirectiveDetailOut, **WRITE_ERRORS},
    summary="Nhập văn bản giao nhiệm vụ",
)
def create(request: Any, payload: DirectiveIn) -> tuple[int, dict[str, Any]]:
    """Enter a document and its tasks in one go (the Office, the Chairman). A recurring task becomes one task
    per occurrence; the heads of the units concerned are notified. The document's file (PDF, DOCX) is not taken
    here: attach it on the page that enters directives (/van-ban-giao-viec/them/)."""
    if not request.user.has_perm("directives.manage_directive"):
        raise PermissionDenied
    document = DirectiveForm(
        data={
            "number": payload.number,
            "issued_on": payload.issued_on,
            "kind": payload.kind.value,
            "signer": payload.signer,
            "excerpt": payload.excerpt,
        }
    )
    task_forms = [_task_form(task) for task in payload.tasks]
    problems = _form_problems(document)
    for index, form in enumerate(task_forms):
        problems += _form_problems(form, f"tasks.{index}.", TASK_FORM_FIELD)
    if problems:
        raise RuleViolations(problems)
    specs: list[TaskSpec] = [form.to_spec() for form in task_forms]
    try:
        directive = create_directive(document.to_input(), specs, by=request.user)
    except RuleViolations as exc:
        raise RuleViolations([Problem(p.message, _api_field(p.field)) for p in exc.problems]) from exc
    return 201, _detail(request, directive.pk)
