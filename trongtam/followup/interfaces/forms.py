"""The action forms of a followed task. Each carries the task's version; the rules are the domain's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.followup.domain.tasks import ProgressInput
from trongtam.followup.enums import Delivery


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


class VersionedForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


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


class ActionForm(VersionedForm):
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
