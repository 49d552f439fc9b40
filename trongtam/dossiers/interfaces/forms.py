"""The dossier pages' forms: the list's filters, the counter entry, the officer's moves, and the procedure catalog.

Forms check shape only (a date is a date, a choice is one of the list); the rules -- who may enter for which unit,
what a move needs, which days are allowed -- are the domain's (domain/lifecycle.py), which names the field of each
problem so the page can show it beside the input.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, END_BEFORE_START, BootstrapFormMixin
from trongtam.core.search import search
from trongtam.dossiers.domain.lifecycle import TRANSITIONS, CounterEntry, DossierAction, DossierFilters, Move
from trongtam.dossiers.enums import ApplicantKind, Channel, DossierStatus, ProcedureLevel, Timeliness
from trongtam.dossiers.models import Procedure
from trongtam.org.models import Unit

ANY: list[tuple[Any, Any]] = [("", _("— Tất cả —"))]
DATETIME_INPUT = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm", "inputmode": "numeric"}
)
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.name}"


class DossierFilterForm(BootstrapFormMixin, forms.Form):
    """The list's filters; the units offered are those of the person's scope."""

    q = forms.CharField(
        label=_("Mã hồ sơ hoặc tên chủ hồ sơ"),
        required=False,
        max_length=200,
        help_text=_("Có dấu hay không dấu đều được."),
    )
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), required=False, empty_label=_("— Tất cả —")
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"), queryset=Procedure.objects.all(), required=False, empty_label=_("— Tất cả —")
    )
    status = forms.TypedChoiceField(
        label=_("Trạng thái"),
        choices=ANY + DossierStatus.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    timeliness = forms.ChoiceField(
        label=_("Tình hình hạn xử lý"), choices=ANY + Timeliness.choices, required=False
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"), choices=ANY + Channel.choices, coerce=int, empty_value=None, required=False
    )
    received_from = forms.DateField(label=_("Tiếp nhận từ ngày"), widget=DATE_INPUT, required=False)
    received_to = forms.DateField(label=_("Đến ngày"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = units.order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", END_BEFORE_START)
        return data

    def filters(self) -> DossierFilters:
        """The filters whose input is valid; a field with an error is left out (the page names it)."""
        if not self.is_bound:
            return DossierFilters()
        self.is_valid()
        data: dict[str, Any] = {name: self.cleaned_data.get(name) for name in self.fields}
        if "received_to" in self.errors:  # the range is judged as a pair: neither end applies
            data["received_from"] = data["received_to"] = None
        return DossierFilters(
            unit=data["unit"].pk if data.get("unit") else None,
            procedure=data["procedure"].pk if data.get("procedure") else None,
            status=data.get("status"),
            timeliness=data.get("timeliness") or "",
            channel=data.get("channel"),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            q=data.get("q") or "",
        )


class CounterEntryForm(BootstrapFormMixin, forms.Form):
    """The counter entry (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Form 01): the units are those the person may
    enter for, the procedures those in force."""

    unit = UnitChoiceField(
        label=_("Đơn vị giải quyết"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị —")
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"), queryset=Procedure.objects.none(), empty_label=_("— Chọn thủ tục —")
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        coerce=int,
        initial=Channel.COUNTER,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Loại chủ hồ sơ"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    applicant_name = forms.CharField(label=_("Chủ hồ sơ"), max_length=200)
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        help_text=_("Ít nhất 4 chữ số: công dân tra cứu hồ sơ bằng mã hồ sơ và 4 số cuối điện thoại."),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_(
            "Để trống: lúc lưu. Tiếp nhận sau 17 giờ hoặc vào ngày nghỉ được tính từ ngày làm việc kế tiếp."
        ),
    )
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        required=False,
        help_text=_("Để trống để hệ thống cấp mã theo dạng <mã đơn vị>-<yymmdd>-<số thứ tự>."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = units.order_by("code")
        fields["procedure"].queryset = Procedure.objects.filter(is_active=True).order_by("code")
        if units.count() == 1:
            fields["unit"].initial = units.first()

    def to_entry(self) -> CounterEntry:
        data = self.cleaned_data
        return CounterEntry(
            unit=data["unit"],
            procedure=data["procedure"],
            channel=data["channel"],
            applicant_kind=data["applicant_kind"],
            applicant_name=data["applicant_name"],
            applicant_phone=data["applicant_phone"],
            applicant_email=data["applicant_email"],
            applicant_address=data["applicant_address"],
            received_at=data["received_at"],
            code=data["code"],
        )


class MoveForm(VersionedForm):
    """One move of the dossier: the fields it needs (`TRANSITIONS[action].needs`) and the dossier's version."""

    on = forms.DateField(
        label=_("Ngày"), widget=DATE_INPUT, required=False, help_text=_("Để trống: hôm nay.")
    )
    at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Để trống: lúc lưu."),
    )
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    DAY_LABELS: dict[DossierAction, Any] = {
        DossierAction.REQUEST_SUPPLEMENT: _("Ngày yêu cầu bổ sung"),
        DossierAction.SUPPLEMENT_RECEIVED: _("Ngày công dân bổ sung"),
        DossierAction.FINISH: _("Ngày xử lý xong"),
        DossierAction.RETURN_RESULT: _("Ngày trả kết quả"),
        DossierAction.WITHDRAW: _("Ngày rút hồ sơ"),
        DossierAction.STOP: _("Ngày dừng xử lý"),
    }

    def __init__(self, *args: Any, action: DossierAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        fields: Any = self.fields
        needs = TRANSITIONS[action].needs
        if "on" not in needs:
            del fields["on"]
        else:
            fields["on"].label = self.DAY_LABELS.get(action, fields["on"].label)
        if action != DossierAction.RECEIVE:
            del fields["at"]
        if "reason" not in needs:
            del fields["reason"]
        else:
            fields["reason"].widget.attrs["required"] = "required"

    def to_move(self) -> Move:
        data = self.cleaned_data
        on: dt.date | None = data.get("on")
        return Move(on=on, at=data.get("at"), reason=data.get("reason") or "")


class ProcedureFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Tìm theo mã, tên, lĩnh vực"),
        required=False,
        max_length=200,
        help_text=_("Có dấu hay không dấu đều được."),
    )
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=ANY + ProcedureLevel.choices, required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=ANY, required=False)
    active = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[("", _("— Tất cả —")), ("1", _("Đang áp dụng")), ("0", _("Ngừng áp dụng"))],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        names = Procedure.objects.order_by("field").values_list("field", flat=True).distinct()
        fields["field"].choices = ANY + [(name, name) for name in names]

    def filter(self, queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["level"]:
            queryset = queryset.filter(level=data["level"])
        if data["field"]:
            queryset = queryset.filter(field=data["field"])
        if data["active"]:
            queryset = queryset.filter(is_active=data["active"] == "1")
        return search(queryset, data["q"]) if data["q"].strip() else queryset


class ProcedureForm(BootstrapFormMixin, forms.Form):
    """A procedure of the catalog. `version` carries the digest of the procedure as loaded (a lost update is
    refused)."""

    code = forms.CharField(label=_("Mã thủ tục"), max_length=40)
    name = forms.CharField(label=_("Tên thủ tục"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.CharField(label=_("Lĩnh vực"), max_length=200)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=ProcedureLevel.choices)
    processing_days = forms.IntegerField(
        label=_("Thời hạn giải quyết (ngày làm việc)"),
        min_value=0,
        max_value=365,
        help_text=_("0: giải quyết trong ngày tiếp nhận."),
    )
    is_active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)
    version = forms.CharField(widget=forms.HiddenInput, required=False)
