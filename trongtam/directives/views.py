"""Pages of the directives: the list of documents in the person's scope and one document with its tasks.

A head or a Vice-Chairman sees the directives that gave a task to a unit in their scope; province-wide roles
and the council see all. A directive none of whose tasks the person may see is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from trongtam.core.search import search
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.directives.models import Directive
from trongtam.followup.domain.status import deadline_state
from trongtam.followup.views import sees_every_task, visible_tasks


@login_required
def directive_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("directives.view_directive_list"):
        raise PermissionDenied
    directives = Directive.objects.all()
    if sees_every_task(request.user):
        directives = directives.annotate(task_count=Count("tasks"))
    else:
        in_scope = visible_tasks(request.user).values("pk")
        directives = directives.filter(pk__in=visible_tasks(request.user).values("directive_id")).annotate(
            task_count=Count("tasks", filter=Q(tasks__pk__in=in_scope))
        )
    q = request.GET.get("q", "").strip()
    if q:
        directives = search(directives, q)
    page_obj = paginate(request, directives.order_by("-issued_on", "-pk"))
    return render(
        request, "directives/directive_list.html", {"page_obj": page_obj, "directives": page_obj, "q": q}
    )


@login_required
def directive_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    directive = get_object_or_404(Directive, pk=pk)
    tasks = list(
        visible_tasks(request.user)
        .filter(directive=directive)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    if not tasks and not sees_every_task(request.user):
        raise Http404
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
