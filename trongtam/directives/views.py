"""Pages of the directives: the list of documents in the person's scope and one document with its tasks.

A head or a Vice-Chairman sees the directives that gave a task to a unit in their scope; province-wide roles
and the council see all. A directive none of whose tasks the person may see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict, ErrorList
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.core.errors import RuleViolations
from trongtam.core.search import search
from trongtam.core.types import AuthedRequest
from trongtam.core.uploads import stored_file_response
from trongtam.core.views import paginate
from trongtam.directives.domain.directives import create_directive
from trongtam.directives.domain.queries import directives_visible_to
from trongtam.directives.interfaces.forms import (
    DirectiveForm,
    TaskFormSet,
    filled_rows,
    place_problems,
)
from trongtam.directives.models import Directive
from trongtam.followup.domain.queries import sees_every_task, visible_tasks
from trongtam.followup.domain.status import deadline_state


@login_required
def directive_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("directives.view_directive_list"):
        raise PermissionDenied
    directives = directives_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        directives = search(directives, q)
    page_obj = paginate(request, directives.order_by("-issued_on", "-pk"))
    return render(
        request,
        "directives/directive_list.html",
        {
            "page_obj": page_obj,
            "directives": page_obj,
            "q": q,
            "can_add": request.user.has_perm("directives.manage_directive"),
        },
    )


def _require_visible(request: AuthedRequest, directive: Directive, *, has_task: bool | None = None) -> None:
    """A document is seen by whoever sees one of its tasks (or every task); anyone else gets a 404."""
    if has_task is None:
        has_task = visible_tasks(request.user).filter(directive=directive).exists()
    if not has_task and not sees_every_task(request.user):
        raise Http404


@login_required
def directive_file(request: AuthedRequest, pk: int) -> FileResponse:
    """The document's file, to whoever may see the document."""
    directive = get_object_or_404(Directive, pk=pk)
    _require_visible(request, directive)
    return stored_file_response(directive.file)


@login_required
def directive_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    directive = get_object_or_404(Directive, pk=pk)
    tasks = list(
        visible_tasks(request.user)
        .filter(directive=directive)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    _require_visible(request, directive, has_task=bool(tasks))
    today = timezone.localdate()
    rows = [
        (
            task,
            deadline_state(
                lifecycle=task.lifecycle,
                deadline=task.deadline,
                due_soon_from=task.due_soon_from,
                today=today,
            ),
        )
        for task in tasks
    ]
    return render(request, "directives/directive_detail.html", {"directive": directive, "rows": rows})


def _quiet(form: Any) -> None:
    """Show a bound form's input again without judging it (the person only asked for another row)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


@login_required
def directive_add(request: AuthedRequest) -> HttpResponse:
    """Enter a document and its tasks in one go; the rules' problems are shown beside the fields they concern."""
    if not request.user.has_perm("directives.manage_directive"):
        raise PermissionDenied
    extra_errors: list[str] = []
    if request.method == "POST":
        if "add_row" in request.POST:
            data = request.POST.copy()
            posted = data.get("tasks-TOTAL_FORMS") or ""
            total = int(posted) if posted.isdigit() else 0
            data["tasks-TOTAL_FORMS"] = str(min(total + 1, 100))
            form = DirectiveForm(data, request.FILES)
            formset = TaskFormSet(data, prefix="tasks")
            _quiet(form)
            for row in formset.forms:
                _quiet(row)
            quiet: Any = formset
            quiet._errors = [ErrorDict() for _row in formset.forms]
            quiet._non_form_errors = ErrorList()
            if request.FILES:
                messages.info(request, _("Tệp đã chọn cần được chọn lại trước khi lưu."))
        else:
            form = DirectiveForm(request.POST, request.FILES)
            formset = TaskFormSet(request.POST, prefix="tasks")
            if form.is_valid() and formset.is_valid():
                rows = filled_rows(formset)
                try:
                    directive = create_directive(
                        form.to_input(), [formset.forms[i].to_spec() for i in rows], by=request.user
                    )
                except RuleViolations as exc:
                    extra_errors = place_problems(exc, form, formset, rows)
                else:
                    messages.success(
                        request,
                        _("Đã nhập văn bản %(doc)s với %(count)s nhiệm vụ.")
                        % {"doc": directive, "count": directive.tasks.count()},
                    )
                    return redirect(directive)
    else:
        form = DirectiveForm()
        formset = TaskFormSet(prefix="tasks")
    return render(
        request,
        "directives/directive_form.html",
        {"form": form, "formset": formset, "extra_errors": extra_errors},
    )
