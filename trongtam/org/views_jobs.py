"""Job positions of a unit (Decree 62/2020/NĐ-CP) and the position each official holds: every internal role may
read them; Home Affairs and the administrator add, edit and assign them (`org.manage_job_positions`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.interfaces.forms import BootstrapFormMixin
from trongtam.core.types import AuthedRequest
from trongtam.org.domain import job_positions as jp
from trongtam.org.enums import UNIT_ROLES, JobCategory
from trongtam.org.models import JobPosition, Person, Unit


class JobPositionForm(VersionedForm):
    code = forms.CharField(label=gettext_lazy("Mã vị trí"), max_length=30, required=False)
    name = forms.CharField(label=gettext_lazy("Tên vị trí việc làm"), max_length=255, required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Nhóm vị trí việc làm"),
        choices=[("", "—"), *JobCategory.choices],
        required=False,
        help_text=gettext_lazy(
            "Theo Nghị định 62/2020/NĐ-CP. Tỷ lệ hoàn thành xuất sắc của công chức được tính trong từng nhóm."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Bản mô tả công việc"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Các công việc, sản phẩm chủ yếu của vị trí; công chức tự đánh giá theo bản này."
        ),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Đang sử dụng"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False

    def to_input(self) -> jp.JobPositionInput:
        data = self.cleaned_data
        return jp.JobPositionInput(
            code=data["code"],
            name=data["name"],
            category=data["category"],
            description=data["description"],
            is_active=data["is_active"],
        )


class PersonPositionForm(BootstrapFormMixin, forms.Form):
    job_position = forms.ModelChoiceField(
        label=gettext_lazy("Vị trí việc làm"),
        queryset=JobPosition.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Chưa xác định —"),
        error_messages={
            "invalid_choice": gettext_lazy("Vị trí việc làm được chọn không có trong danh sách.")
        },
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["job_position"].queryset = JobPosition.objects.filter(  # type: ignore[attr-defined]
            unit=unit, is_active=True
        )


def _unit(pk: int) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent"), pk=pk)


@login_required
@permission_required("org.view_directory", raise_exception=True)
def job_position_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """A unit's job positions, with who holds each (two queries whatever their number)."""
    unit = _unit(pk)
    positions = list(JobPosition.objects.filter(unit=unit).order_by("category", "code"))
    holders: dict[int, list[Person]] = {}
    staff = list(
        Person.objects.filter(unit=unit, is_active=True, role__in=UNIT_ROLES).order_by("role", "full_name")
    )
    for person in staff:
        if person.job_position_id is not None:
            holders.setdefault(person.job_position_id, []).append(person)
    rows = [(position, holders.get(position.pk, [])) for position in positions]
    by_pk = {position.pk: position for position in positions}
    return render(
        request,
        "org/job_position_list.html",
        {
            "unit": unit,
            "rows": rows,
            "staff": [(person, by_pk.get(person.job_position_id or 0)) for person in staff],
            "can_manage": request.user.has_perm("org.manage_job_positions", unit),
        },
    )


def _form_page(
    request: AuthedRequest, unit: Unit, form: Any, errors: list[str], position: JobPosition | None
) -> HttpResponse:
    return render(
        request,
        "org/job_position_form.html",
        {"unit": unit, "form": form, "page_errors": errors, "position": position},
    )


@login_required
def job_position_add(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(pk)
    if not request.user.has_perm("org.manage_job_positions", unit):
        raise PermissionDenied
    if request.method != "POST":
        return _form_page(request, unit, JobPositionForm(initial={"version": 0, "is_active": True}), [], None)
    form = JobPositionForm(request.POST)

    def run(data: dict[str, Any]) -> str:
        position = jp.create_job_position(unit, form.to_input(), by=request.user)
        return _("Đã thêm vị trí việc làm «%(name)s».") % {"name": position.name}

    return run_action(
        request,
        form,
        run,
        done_url=reverse("org:job-positions", args=[unit.pk]),
        page=lambda shown, errors: _form_page(request, unit, shown, errors, None),
        current_version=lambda: 0,
    )


@login_required
def job_position_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(JobPosition.objects.select_related("unit"), pk=pk)
    unit = position.unit
    if not request.user.has_perm("org.manage_job_positions", unit):
        raise PermissionDenied
    if request.method != "POST":
        initial = {"version": position.version, **{name: getattr(position, name) for name in jp.FIELDS}}
        return _form_page(request, unit, JobPositionForm(initial=initial), [], position)
    form = JobPositionForm(request.POST)

    def run(data: dict[str, Any]) -> str:
        jp.update_job_position(
            position.pk, form.to_input(), by=request.user, expected_version=data.get("version")
        )
        return _("Đã lưu vị trí việc làm «%(name)s».") % {"name": data["name"] or position.name}

    return run_action(
        request,
        form,
        run,
        done_url=reverse("org:job-positions", args=[unit.pk]),
        page=lambda shown, errors: _form_page(request, unit, shown, errors, position),
        current_version=lambda: JobPosition.objects.values_list("version", flat=True).get(pk=position.pk),
    )


@login_required
def person_job_position(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set the job position an official holds, among the positions of their unit."""
    person = get_object_or_404(Person.objects.select_related("unit", "job_position"), pk=pk)
    if person.unit is None or not request.user.has_perm("org.manage_job_positions", person.unit):
        raise PermissionDenied
    unit = person.unit
    seen = str(person.job_position_id or "")
    if request.method != "POST":
        form = PersonPositionForm(initial={"job_position": person.job_position_id, "seen": seen}, unit=unit)
        return _person_page(request, person, form, [])
    form = PersonPositionForm(request.POST, unit=unit)

    def run(data: dict[str, Any]) -> str:
        position = data["job_position"]
        expected = int(data["seen"]) if (data.get("seen") or "").isdigit() else None
        jp.set_job_position(
            person.pk,
            position.pk if position else None,
            by=request.user,
            expected_position_id=expected,
        )
        return _("Đã cập nhật vị trí việc làm của %(name)s.") % {"name": person}

    def page(shown: Any, errors: list[str]) -> HttpResponse:
        return _person_page(request, person, shown, errors)

    return run_action(
        request,
        form,
        run,
        done_url=reverse("org:job-positions", args=[unit.pk]),
        page=page,
        current_version=lambda: 0,
        field_of=lambda name: name,
        form_kwargs={"unit": unit},
    )


def _person_page(request: AuthedRequest, person: Person, form: Any, errors: list[str]) -> HttpResponse:
    if errors and form.is_bound:  # after a stale write, the next send is against what is stored now
        data = form.data.copy()
        data["seen"] = str(Person.objects.values_list("job_position_id", flat=True).get(pk=person.pk) or "")
        form = PersonPositionForm(data, unit=form.unit)
        form.is_valid()
    return render(
        request,
        "org/person_job_position.html",
        {"person": person, "unit": person.unit, "form": form, "page_errors": errors},
    )
