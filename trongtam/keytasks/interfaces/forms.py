"""Forms check shape and types; the rules (period, counts, product) are the domain's, reported per field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.cycles.models import AssignedTask, CommonTask
from trongtam.keytasks.domain.registration import TaskInput
from trongtam.keytasks.enums import TaskKind
from trongtam.keytasks.models import KeyTask, Registration
from trongtam.org.models import Unit


class KeyTaskForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Loại nhiệm vụ"), choices=TaskKind.choices)
    common_task = forms.ModelChoiceField(
        label=_("Nhiệm vụ chung được cụ thể hoá"),
        queryset=CommonTask.objects.none(),
        required=False,
        empty_label=_("— Không chọn —"),
        help_text=_("Chỉ chọn khi loại là «Nhiệm vụ chung cụ thể hoá»."),
    )
    assigned_task = forms.ModelChoiceField(
        label=_("Nhiệm vụ Chủ tịch giao"),
        queryset=AssignedTask.objects.none(),
        required=False,
        empty_label=_("— Không chọn —"),
        help_text=_("Chỉ chọn khi loại là «Nhiệm vụ Chủ tịch giao»."),
    )
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung, giải pháp"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    product = forms.CharField(
        label=_("Sản phẩm"),
        max_length=300,
        required=False,
        help_text=_(
            "Sản phẩm cụ thể (văn bản, công trình, đề án…). Nếu không, nhập giá trị mục tiêu và đơn vị tính."
        ),
    )
    target_value = forms.DecimalField(
        label=_("Giá trị mục tiêu"), max_digits=14, decimal_places=2, required=False, localize=True
    )
    target_unit = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)
    deadline = forms.DateField(label=_("Thời hạn hoàn thành"), widget=DATE_INPUT)
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị —")
    )
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều đơn vị."),
    )
    led_personally = forms.BooleanField(label=_("Người đứng đầu trực tiếp chỉ đạo"), required=False)

    def __init__(self, *args: Any, registration: Registration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["common_task"].queryset = CommonTask.objects.filter(period=registration.period_id)
        fields["assigned_task"].queryset = AssignedTask.objects.filter(
            period=registration.period_id, unit=registration.unit_id
        )
        units = Unit.objects.filter(is_active=True).only("pk", "name").order_by("name")
        fields["lead_unit"].queryset = units
        fields["coordinating_units"].queryset = units

    @staticmethod
    def initial_for(task: KeyTask) -> dict[str, Any]:
        return {
            "kind": task.kind,
            "common_task": task.common_task_id,
            "assigned_task": task.assigned_task_id,
            "title": task.title,
            "description": task.description,
            "product": task.product,
            "target_value": task.target_value,
            "target_unit": task.target_unit,
            "deadline": task.deadline,
            "lead_unit": task.lead_unit_id,
            "coordinating_units": [u.pk for u in task.coordinating_units.all()],
            "led_personally": task.led_personally,
        }

    def to_input(self, milestones: list[tuple[str, Any]]) -> TaskInput:
        data = self.cleaned_data
        return TaskInput(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            product=data["product"],
            target_value=data["target_value"],
            target_unit=data["target_unit"],
            deadline=data["deadline"],
            lead_unit_id=data["lead_unit"].pk,
            coordinating_unit_ids=[u.pk for u in data["coordinating_units"]],
            led_personally=data["led_personally"],
            common_task_id=data["common_task"].pk if data["common_task"] else None,
            assigned_task_id=data["assigned_task"].pk if data["assigned_task"] else None,
            milestones=milestones,
        )


class MilestoneForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Mốc tiến độ"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Thời hạn của mốc"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("due_date"):
            self.add_error("due_date", _("Mốc tiến độ cần có thời hạn."))
        if data.get("due_date") and not data.get("title"):
            self.add_error("title", _("Mốc tiến độ cần có tên."))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=12)


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
