"""Forms of the apology-letter pages and API: drafting by hand, each step of the workflow, the register's filters.

Shape and syntax only; the rules (a reason to submit, the new date after the due date and on a working day, the
once-only re-appointment) are the domain's (`domain.letters`), so that the pages and the API cannot differ."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.dossiers.domain.letters import LetterFilters
from trongtam.dossiers.enums import LetterStatus, SendChannel
from trongtam.org.models import Unit

DATETIME_INPUT = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm", "inputmode": "numeric"}
)
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _reason_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Lý do chậm trả kết quả"),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lý do cụ thể sẽ in trên phiếu và công dân xem được khi tra cứu hồ sơ."),
    )


def _date_field(required: bool) -> forms.DateField:
    return forms.DateField(
        label=_("Ngày hẹn trả kết quả mới"),
        required=required,
        widget=DATE_INPUT,
        input_formats=DATE_FORMATS,
        help_text=_("Sau ngày hẹn trả ban đầu và là ngày làm việc; chỉ được hẹn lại một lần."),
    )


class LetterDraftForm(VersionedForm):
    """Drafting by hand; `version` is the dossier's."""

    reason = _reason_field()
    new_due_date = _date_field(required=False)


class LetterEditForm(VersionedForm):
    """Saving or submitting a draft; `version` is the letter's."""

    reason = _reason_field()
    new_due_date = _date_field(required=True)


class LetterReviewForm(VersionedForm):
    comment = forms.CharField(
        label=_("Ý kiến của lãnh đạo"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi trả lại phiếu để sửa."),
    )


class LetterSendForm(VersionedForm):
    channel = forms.ChoiceField(label=_("Hình thức gửi"), choices=SendChannel.choices)
    sent_at = forms.DateTimeField(
        label=_("Thời điểm gửi"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Để trống nếu vừa gửi xong."),
    )


ANY = [("", _("— Tất cả —"))]
_MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


class LetterFilterForm(BootstrapFormMixin, forms.Form):
    """The register's filters; the units offered are those the person may see."""

    q = forms.CharField(label=_("Mã hồ sơ hoặc chủ hồ sơ"), required=False, max_length=200)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=ANY + list(LetterStatus.choices), required=False
    )
    month = forms.CharField(
        label=_("Tháng lập phiếu"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric"}),
    )
    late = forms.BooleanField(label=_("Chỉ phiếu lập muộn"), required=False)
    after_due = forms.BooleanField(label=_("Chỉ phiếu ban hành sau ngày hẹn trả"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date | None:
        text = self.cleaned_data.get("month") or ""
        if not text.strip():
            return None
        match = _MONTH.match(text)
        if match is None:
            raise forms.ValidationError(_("Tháng viết theo dạng mm/yyyy, ví dụ 03/2026."))
        year, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        if not 1 <= int(month) <= 12:
            raise forms.ValidationError(_("Tháng phải từ 01 đến 12."))
        return dt.date(int(year), int(month), 1)

    def filters(self) -> LetterFilters:
        if not self.is_bound or not self.is_valid():
            return LetterFilters()
        data = self.cleaned_data
        return LetterFilters(
            unit=data["unit"].pk if data.get("unit") else None,
            status=data.get("status") or "",
            late=bool(data.get("late")),
            after_due=bool(data.get("after_due")),
            month=data.get("month"),
            q=data.get("q") or "",
        )
