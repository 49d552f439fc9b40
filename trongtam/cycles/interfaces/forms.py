from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.cycles.models import AssignedTask, CommonTask, Period
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit


class PeriodForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    class Meta:
        model = Period
        fields = [
            "year",
            "name",
            "theme",
            "start_date",
            "end_date",
            "registration_deadline",
            "midyear_review_date",
            "final_assessment_date",
            "own_min",
            "own_max",
            "common_count",
            "assigned_min",
            "assigned_max",
            "rating_regime",
            "commitment_text",
        ]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 2}),
            "commitment_text": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "registration_deadline": DATE_INPUT,
            "midyear_review_date": DATE_INPUT,
            "final_assessment_date": DATE_INPUT,
        }


class CommonTaskForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CommonTask
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.period = period

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        period = self.instance.period
        if not 1 <= number <= period.common_count:
            raise forms.ValidationError(
                _("Số thứ tự phải từ 1 đến %(n)s (số nhiệm vụ chung của kỳ).") % {"n": period.common_count}
            )
        taken = CommonTask.objects.filter(period=period, number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Kỳ này đã có nhiệm vụ chung số %(n)s.") % {"n": number})
        return number


class AssignedTaskForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AssignedTask
        fields = ["unit", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = Unit.objects.filter(
            is_active=True,
            kind__in=[
                UnitKind.DEPARTMENT,
                UnitKind.SECTOR_AGENCY,
                UnitKind.COMMUNE,
                UnitKind.WARD,
                UnitKind.SPECIAL_ZONE,
                UnitKind.DISTRICT,
                UnitKind.SERVICE_CENTER,
            ],
        ).order_by("name")
