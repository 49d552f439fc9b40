from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.workdays.domain.calendar import FIRST_YEAR, LAST_YEAR
from trongtam.workdays.models import CalendarException


def _in_range(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Chỉ nhận ngày từ năm %(first)s đến năm %(last)s."),
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class CalendarExceptionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarException
        fields = ["day", "kind", "reason", "source"]
        widgets = {"day": DATE_INPUT}
        help_texts = {
            "kind": _("«Ngày nghỉ» cho ngày thường được nghỉ; «Ngày làm việc» cho thứ Bảy, Chủ nhật làm bù."),
            "source": _("Số, ngày văn bản quyết định, ví dụ: 12729/VPCP-KGVX ngày 25/12/2025."),
        }

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        _in_range(day)
        return day


class DeadlineCalculatorForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(label=_("Tính từ ngày"), widget=DATE_INPUT)
    days = forms.IntegerField(
        label=_("Số ngày làm việc"),
        min_value=-366,
        max_value=366,
        help_text=_("Thời hạn bắt đầu tính từ ngày tiếp theo (Bộ luật Dân sự, Điều 147)."),
    )

    def clean_start(self) -> Any:
        day: dt.date = self.cleaned_data["start"]
        _in_range(day)
        return day
