"""Entering a directive: the document form and one form per task. Forms check shape and types; the rules
(deadlines against the document's date, units, duplicates) are the domain's, mapped back onto these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.errors import RuleViolations
from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.directives.domain.deadlines import DeadlineKind, DeadlineSpec
from trongtam.directives.domain.directives import DirectiveInput, TaskSpec
from trongtam.directives.models import DocumentKind, Frequency
from trongtam.org.models import Unit

# The last part of a domain problem's field ("tasks.1.deadline.date") → the task form's field.
TASK_FIELD_OF = {
    "title": "title",
    "description": "description",
    "lead_unit": "lead_unit",
    "coordinating_units": "coordinating_units",
    "deadline.kind": "deadline_kind",
    "deadline.date": "deadline_date",
    "deadline.working_days": "working_days",
    "deadline.frequency": "frequency",
    "deadline.day": "day",
    "deadline.until": "until",
    "urgent": "urgent",
}


class DirectiveForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)  # Directive.number
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE_INPUT)
    kind = forms.ChoiceField(
        label=_("Loại văn bản"), choices=[("", _("— Chọn loại —")), *DocumentKind.choices]
    )
    signer = forms.CharField(label=_("Người ký"), max_length=200)
    excerpt = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=_("Tệp văn bản"), required=False, help_text=_("Tệp PDF hoặc DOCX (không bắt buộc).")
    )

    def to_input(self) -> DirectiveInput:
        data = self.cleaned_data
        return DirectiveInput(
            number=data["number"],
            issued_on=data["issued_on"],
            kind=data["kind"],
            signer=data["signer"],
            excerpt=data["excerpt"],
            file=data.get("file") or None,
        )


class TaskForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=500)
    description = forms.CharField(
        label=_("Yêu cầu cụ thể"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị —")
    )
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều đơn vị."),
    )
    deadline_kind = forms.ChoiceField(
        label=_("Loại thời hạn"), choices=DeadlineKind.choices, initial=DeadlineKind.DATE
    )
    deadline_date = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_INPUT)
    working_days = forms.IntegerField(
        label=_("Số ngày làm việc"), required=False, min_value=1, max_value=366, localize=True
    )
    frequency = forms.ChoiceField(
        label=_("Tần suất"), required=False, choices=[("", _("— Không định kỳ —")), *Frequency.choices]
    )
    day = forms.IntegerField(label=_("Ngày trong tháng"), required=False, min_value=1, max_value=31)
    until = forms.DateField(label=_("Định kỳ đến ngày"), required=False, widget=DATE_INPUT)
    urgent = forms.BooleanField(label=_("Khẩn"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        units = Unit.objects.filter(is_active=True).only("pk", "name").order_by("name")
        fields["lead_unit"].queryset = units
        fields["coordinating_units"].queryset = units

    def to_spec(self) -> TaskSpec:
        data = self.cleaned_data
        kind = data["deadline_kind"]
        if kind == DeadlineKind.DATE:
            deadline = DeadlineSpec(kind=kind, date=data.get("deadline_date"))
        elif kind == DeadlineKind.WORKING_DAYS:
            deadline = DeadlineSpec(kind=kind, working_days=data.get("working_days"))
        elif kind == DeadlineKind.RECURRING:
            deadline = DeadlineSpec(
                kind=kind,
                frequency=data.get("frequency") or None,
                day=data.get("day"),
                until=data.get("until"),
            )
        else:
            deadline = DeadlineSpec(kind=kind)
        lead = data.get("lead_unit")
        return TaskSpec(
            title=data["title"],
            lead_unit_id=lead.pk if lead else None,
            deadline=deadline,
            description=data.get("description") or "",
            coordinating_unit_ids=[unit.pk for unit in data.get("coordinating_units") or []],
            urgent=bool(data.get("urgent")),
        )


TaskFormSet = forms.formset_factory(TaskForm, extra=3)


def filled_rows(formset: Any) -> list[int]:
    """The indexes of the formset's rows that hold something; untouched empty rows are ignored."""
    return [i for i, form in enumerate(formset.forms) if form.has_changed()]


def place_problems(exc: RuleViolations, form: DirectiveForm, formset: Any, rows: list[int]) -> list[str]:
    """Put each problem beside its field (the document's, or task row i's); answer the ones with no field."""
    unplaced: list[str] = []
    for problem in exc.problems:
        parts = problem.field.split(".")
        if parts[0] == "tasks" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
            name = TASK_FIELD_OF.get(".".join(parts[2:]))
            if name:
                formset.forms[rows[int(parts[1])]].add_error(name, problem.message)
                continue
        elif problem.field in form.fields:
            form.add_error(problem.field, problem.message)
            continue
        unplaced.append(problem.message)
    return unplaced
