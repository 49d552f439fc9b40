"""Forms of the inspection pages: shape and syntax only (the rules are the domain's), and the lists' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, END_BEFORE_START, BootstrapFormMixin
from trongtam.inspections.domain.inspections import PlanInput, ViolationInput, remedy_working_days
from trongtam.inspections.domain.queries import InspectionFilters, ViolationFilters
from trongtam.inspections.enums import (
    OVERDUE,
    InspectingBody,
    InspectionKind,
    InspectionStatus,
    RemedyState,
    ViolationKind,
)
from trongtam.org.domain.queries import with_descendants
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

ANY = [("", _("— Tất cả —"))]
TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm", "inputmode": "numeric"})


def team_candidates() -> QuerySet[Person]:
    """Who may be put on a team: the staff of the inspecting bodies (the units of Home Affairs and the Office,
    with their divisions) -- a list of some dozens, not the province's sixty thousand officials."""
    body_units = Person.objects.filter(
        role__in=(Role.HOME_AFFAIRS, Role.OFFICE), is_active=True, unit__isnull=False
    ).values_list("unit_id", flat=True)
    return Person.objects.filter(
        is_active=True,
        unit_id__in=with_descendants(body_units),
        role__in=[r for r in Role if r != Role.CITIZEN],
    ).order_by("full_name", "pk")


class PlanForm(VersionedForm):
    title = forms.CharField(label=_("Tên cuộc kiểm tra"), max_length=300)
    kind = forms.ChoiceField(label=_("Hình thức kiểm tra"), choices=InspectionKind.choices)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị —")
    )
    scheduled_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DATE_INPUT)
    scheduled_time = forms.TimeField(
        label=_("Giờ kiểm tra"),
        required=False,
        widget=TIME_INPUT,
        input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
    )
    scope = forms.CharField(label=_("Nội dung, phạm vi kiểm tra"), widget=forms.Textarea(attrs={"rows": 3}))
    leader = forms.ModelChoiceField(
        label=_("Trưởng đoàn"), queryset=Person.objects.none(), empty_label=_("— Chọn trưởng đoàn —")
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên đoàn"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều người."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["version"].required = False
        fields["unit"].queryset = Unit.objects.filter(is_active=True).only("pk", "name").order_by("name")
        fields["leader"].queryset = fields["members"].queryset = team_candidates()

    def to_input(self, body: str) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            title=data["title"],
            kind=data["kind"],
            body=body,
            unit=data["unit"],
            scheduled_on=data["scheduled_on"],
            scheduled_time=data.get("scheduled_time"),
            scope=data["scope"],
            leader=data["leader"],
            members=list(data.get("members") or []),
        )


class ResultsForm(VersionedForm):
    conducted_on = forms.DateField(label=_("Ngày tiến hành kiểm tra"), widget=DATE_INPUT)
    findings = forms.CharField(
        label=_("Kết quả kiểm tra"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tình hình chấp hành kỷ luật, kỷ cương hành chính mà đoàn ghi nhận."),
    )


class ViolationForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Loại vi phạm"), choices=[("", _("— Chọn —")), *ViolationKind.choices])
    person = forms.ModelChoiceField(
        label=_("Người vi phạm"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Chưa xác định được —"),
    )
    description = forms.CharField(label=_("Mô tả vi phạm"), widget=forms.Textarea(attrs={"rows": 2}))
    remedy_deadline = forms.DateField(label=_("Hạn khắc phục"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = Person.objects.filter(
            unit_id__in=with_descendants([unit.pk]), is_active=True
        ).order_by("full_name", "pk")
        fields["remedy_deadline"].help_text = _("Để trống: %(days)s ngày làm việc sau ngày kiểm tra.") % {
            "days": remedy_working_days()
        }

    def to_input(self) -> ViolationInput:
        data = self.cleaned_data
        return ViolationInput(
            kind=data["kind"],
            description=data["description"],
            person=data.get("person"),
            remedy_deadline=data.get("remedy_deadline"),
        )


class RemedyForm(VersionedForm):
    report = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Tệp minh chứng"), required=False, help_text=_("PDF, ảnh, DOCX, XLSX; tối đa 10 MB.")
    )


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("", _("— Chọn —")), ("accept", _("Chấp nhận kết quả khắc phục")), ("return", _("Yêu cầu khắc phục lại"))],
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi yêu cầu khắc phục lại."),
    )


class InspectionFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, nội dung"), required=False, max_length=200)
    unit = forms.CharField(
        label=_("Đơn vị được kiểm tra"),
        required=False,
        max_length=200,
        help_text=_("Một phần tên hoặc mã đơn vị, có dấu hay không dấu đều được."),
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ANY + InspectionKind.choices, required=False)
    body = forms.ChoiceField(
        label=_("Cơ quan kiểm tra"), choices=ANY + InspectingBody.choices, required=False
    )
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ANY + InspectionStatus.choices, required=False)
    date_from = forms.DateField(label=_("Kiểm tra từ ngày"), widget=DATE_INPUT, required=False)
    date_to = forms.DateField(label=_("Đến ngày"), widget=DATE_INPUT, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", END_BEFORE_START)
        return data

    def filters(self) -> InspectionFilters:
        """The filters whose input is valid; a field with an error is left out (the page names it)."""
        if not self.is_bound:
            return InspectionFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        if "date_to" in self.errors:
            data["date_from"] = data["date_to"] = None
        return InspectionFilters(
            q=data["q"] or "",
            unit=data["unit"] or "",
            kind=data["kind"] or "",
            body=data["body"] or "",
            status=data["status"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class ViolationFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại vi phạm"), choices=ANY + ViolationKind.choices, required=False)
    unit = forms.CharField(label=_("Đơn vị"), required=False, max_length=200)
    person = forms.CharField(
        label=_("Người vi phạm"),
        required=False,
        max_length=200,
        help_text=_("Một phần họ tên, có dấu hay không dấu đều được."),
    )
    remedy = forms.ChoiceField(
        label=_("Tình trạng khắc phục"),
        choices=[*ANY, *RemedyState.choices, (OVERDUE, _("Quá hạn khắc phục"))],
        required=False,
    )
    inspection = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def filters(self) -> ViolationFilters:
        if not self.is_bound:
            return ViolationFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return ViolationFilters(
            kind=data["kind"] or "",
            unit=data["unit"] or "",
            person=data["person"] or "",
            remedy=data["remedy"] or "",
            inspection=data["inspection"],
        )
