"""The action forms of a followed task (each carries the task's version; the rules are the domain's), and the
task list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, END_BEFORE_START, BootstrapFormMixin
from trongtam.followup.domain.queries import TaskFilters
from trongtam.followup.domain.tasks import ProgressInput
from trongtam.followup.enums import DeadlineState, Delivery, Lifecycle, Outcome, Source
from trongtam.org.models import Person


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django docs, "Uploading multiple files"): cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(d, initial) for d in data]
        return [single_file_clean(data, initial)] if data else []


class ProgressForm(VersionedForm):
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("Kết quả đã thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    obstacles = forms.CharField(
        label=_("Khó khăn, vướng mắc"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposals = forms.CharField(
        label=_("Kiến nghị, đề xuất"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    delivery = forms.ChoiceField(
        label=_("Đánh giá tiến độ"),
        required=False,
        choices=[("", _("— Theo đề xuất của hệ thống —")), *Delivery.choices],
        help_text=_("Chỉ chọn khi đánh giá khác với đề xuất của hệ thống; khi đó cần nêu lý do."),
    )
    override_reason = forms.CharField(
        label=_("Lý do điều chỉnh đánh giá"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The declarative metaclass takes the field off the class, so it does not shadow `BaseForm.files`.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Tệp minh chứng"), required=False, help_text=_("PDF, ảnh, DOCX, XLSX; tối đa 10 MB mỗi tệp.")
    )

    def to_input(self) -> ProgressInput:
        data = self.cleaned_data
        return ProgressInput(
            percent=data["percent"],
            narrative=data["narrative"],
            obstacles=data["obstacles"],
            proposals=data["proposals"],
            delivery=data["delivery"],
            override_reason=data["override_reason"],
            files=list(data["files"]),
        )


class CompletionForm(VersionedForm):
    narrative = forms.CharField(label=_("Kết quả hoàn thành"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Tệp minh chứng"), required=False, help_text=_("Cần ít nhất một tệp minh chứng.")
    )


class ExtensionForm(VersionedForm):
    new_deadline = forms.DateField(label=_("Thời hạn đề nghị"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Lý do đề nghị gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("", _("— Chọn —")), ("approve", _("Đồng ý gia hạn")), ("reject", _("Không đồng ý"))],
    )
    note = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi không đồng ý."),
    )


class MilestoneForm(VersionedForm):
    """Record the day a milestone was met; `clear` withdraws an earlier record."""

    met_on = forms.DateField(label=_("Ngày đạt mốc"), widget=DATE_INPUT, required=False)
    clear = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("clear") and not data.get("met_on") and "met_on" not in self.errors:
            self.add_error("met_on", _("Cần nhập ngày đạt mốc (ngày/tháng/năm)."))
        return data


class ActionForm(VersionedForm):
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


ANY = [("", _("— Tất cả —"))]


class TaskFilterForm(BootstrapFormMixin, forms.Form):
    """The task list's filters. The choice of units and Vice-Chairmen is what the person's scope holds."""

    q = forms.CharField(label=_("Tìm theo nội dung nhiệm vụ"), required=False, max_length=200)
    unit = forms.CharField(
        label=_("Đơn vị chủ trì"),
        required=False,
        max_length=200,
        help_text=_("Một phần tên hoặc mã đơn vị, có dấu hay không dấu đều được."),
    )
    vice_chairman = forms.ModelChoiceField(
        label=_("Phó Chủ tịch phụ trách"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Tất cả —"),
    )
    outcome = forms.ChoiceField(label=_("Kết quả (2×2)"), choices=ANY + Outcome.choices, required=False)
    deadline_state = forms.ChoiceField(
        label=_("Tình trạng thời hạn"), choices=ANY + DeadlineState.choices, required=False
    )
    lifecycle = forms.ChoiceField(
        label=_("Tình trạng thực hiện"), choices=ANY + Lifecycle.choices, required=False
    )
    delivery = forms.ChoiceField(label=_("Đánh giá tiến độ"), choices=ANY + Delivery.choices, required=False)
    source = forms.ChoiceField(label=_("Nguồn"), choices=ANY + Source.choices, required=False)
    urgent = forms.NullBooleanField(
        label=_("Khẩn"),
        required=False,
        widget=forms.Select(
            choices=[("", _("— Tất cả —")), ("true", _("Chỉ nhiệm vụ khẩn")), ("false", _("Không khẩn"))]
        ),
    )
    assigned_from = forms.DateField(label=_("Giao từ ngày"), widget=DATE_INPUT, required=False)
    assigned_to = forms.DateField(label=_("Đến ngày"), widget=DATE_INPUT, required=False)
    # Set by links from the overview and a directive's page; shown as a removable chip, not as an input.
    lead_unit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    directive = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, vice_chairmen: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if vice_chairmen is None:
            del fields["vice_chairman"]
        else:
            fields["vice_chairman"].queryset = vice_chairmen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("assigned_from"), data.get("assigned_to")
        if start and end and start > end:
            self.add_error("assigned_to", END_BEFORE_START)
        return data

    def filters(self) -> TaskFilters:
        """The filters whose input is valid; a field with an error is left out (the page names it)."""
        if not self.is_bound:
            return TaskFilters()
        self.is_valid()
        data: dict[str, Any] = {name: self.cleaned_data.get(name) for name in self.fields}
        if "assigned_to" in self.errors:  # the range is judged as a pair: neither end applies
            data["assigned_from"] = data["assigned_to"] = None
        data.update({name: "" for name in ("q", "unit", "source", "lifecycle", "deadline_state", "outcome", "delivery")
                     if not data.get(name)})  # fmt: skip
        return TaskFilters(
            q=data["q"],
            unit=data["unit"],
            lead_unit=data["lead_unit"],
            vice_chairman=data["vice_chairman"].pk if data.get("vice_chairman") else None,
            source=data["source"],
            lifecycle=data["lifecycle"],
            deadline_state=data["deadline_state"],
            outcome=data["outcome"],
            delivery=data["delivery"],
            urgent=data["urgent"],
            directive=data["directive"],
            assigned_from=data["assigned_from"],
            assigned_to=data["assigned_to"],
        )
