"""Forms of feedback: the public submission and the reporter's verdict, the staff's action forms (each carries the
case's version; the rules are the domain's), and the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, END_BEFORE_START, BootstrapFormMixin
from trongtam.feedback.domain.cases import (
    ATTACHMENT_MAX_BYTES,
    MAX_ATTACHMENTS,
    Submission,
    submission_problems,
)
from trongtam.feedback.domain.queries import FeedbackFilters
from trongtam.feedback.enums import Category, FeedbackStatus, Outcome, SubjectKind
from trongtam.followup.interfaces.forms import MultipleFileField
from trongtam.org.models import Person, Unit

ANY = [("", _("— Tất cả —"))]
YES_NO = [("", _("— Chọn —")), ("true", _("Phản ánh đúng")), ("false", _("Phản ánh không đúng"))]


class SubmitForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Loại phản ánh"), choices=[("", _("— Chọn —")), *Category.choices])
    subject_kind = forms.ChoiceField(
        label=_("Phản ánh về"),
        choices=SubjectKind.choices,
        widget=forms.RadioSelect,
        initial=SubjectKind.UNIT,
    )
    unit = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=Unit.objects.none(),
        empty_label=_("— Chọn cơ quan, đơn vị —"),
        help_text=_("Cơ quan, đơn vị bị phản ánh, hoặc nơi cán bộ công tác, nơi giải quyết hồ sơ."),
    )
    official_name = forms.CharField(
        label=_("Họ tên hoặc chức danh cán bộ"),
        required=False,
        max_length=200,
        help_text=_("Chỉ ghi khi phản ánh về một cán bộ, công chức."),
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ"), required=False, max_length=60, help_text=_("Chỉ ghi khi phản ánh về một hồ sơ.")
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh (không ghi thông tin cá nhân)"),
        required=False,
        initial=True,
        help_text=_(
            "Gửi ẩn danh thì chỉ theo dõi được bằng mã theo dõi; cơ quan không liên hệ lại được với bạn."
        ),
    )
    name = forms.CharField(label=_("Họ và tên"), required=False, max_length=200)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    # The declarative metaclass takes the field off the class, so it does not shadow `BaseForm.files`.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Tệp đính kèm (ảnh hoặc PDF)"),
        required=False,
        help_text=_("Tối đa %(n)s tệp JPG, PNG hoặc PDF, mỗi tệp không quá %(mb)s MB.")
        % {"n": MAX_ATTACHMENTS, "mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")

    def clean(self) -> dict[str, Any]:
        """The domain's rules too, so that every problem is named in one pass (its own field's error first)."""
        data = super().clean() or {}
        problems, _unit = submission_problems(self._submission(data))
        for problem in problems:
            name = problem.field if problem.field in self.fields else None
            if name is None or name not in self.errors:
                self.add_error(name, problem.message)
        return data

    def _submission(self, data: dict[str, Any]) -> Submission:
        unit = data.get("unit")
        return Submission(
            category=data.get("category") or "",
            subject_kind=data.get("subject_kind") or "",
            unit_id=unit.pk if unit else None,
            content=data.get("content") or "",
            official_name=data.get("official_name") or "",
            dossier_code=data.get("dossier_code") or "",
            anonymous=bool(data.get("anonymous")),
            name=data.get("name") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            address=data.get("address") or "",
            files=list(data.get("files") or []),
        )

    def submission(self) -> Submission:
        return self._submission(self.cleaned_data)


class TrackForm(BootstrapFormMixin, forms.Form):
    ma = forms.CharField(
        label=_("Mã theo dõi"), max_length=30, help_text=_("Mã 10 ký tự bạn nhận khi gửi phản ánh.")
    )


class VerdictForm(BootstrapFormMixin, forms.Form):
    ma = forms.CharField(widget=forms.HiddenInput, max_length=30)
    solved = forms.TypedChoiceField(
        label=_("Vấn đề của bạn đã được giải quyết chưa?"),
        choices=[("yes", _("Đã được giải quyết")), ("no", _("Chưa được giải quyết, đề nghị xử lý lại"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Vấn đề còn tồn tại"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi khi đề nghị xử lý lại. Không ghi thông tin cá nhân."),
    )


class AssignForm(VersionedForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị xử lý"), queryset=Unit.objects.none())
    to = forms.ModelChoiceField(
        label=_("Giao cho"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Người đứng đầu đơn vị —"),
        help_text=_("Để trống để giao cho người đứng đầu; hoặc chọn một cấp phó."),
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, leaders: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")
        fields["to"].queryset = leaders if leaders is not None else Person.objects.none()


class HandleForm(VersionedForm):
    delegate_to = forms.ModelChoiceField(
        label=_("Người xử lý"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Tôi trực tiếp xử lý —"),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["delegate_to"].queryset = people if people is not None else Person.objects.none()


class AnswerForm(VersionedForm):
    text = forms.CharField(
        label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    upheld = forms.TypedChoiceField(
        label=_("Kết luận"), choices=YES_NO, coerce=lambda v: v == "true", empty_value=None
    )


class CloseForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=[("", _("— Chọn —")), *Outcome.choices])
    reason = forms.CharField(
        label=_("Lý do, nơi chuyển đến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(VersionedForm):
    public_answer = forms.CharField(
        label=_("Nội dung công khai"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "Hệ thống đã đề xuất từ câu trả lời, bỏ họ tên, điện thoại, thư điện tử, địa chỉ. Hãy đọc lại trước khi "
            "công khai."
        ),
    )
    published = forms.TypedChoiceField(
        label=_("Công khai"),
        choices=[("true", _("Công khai trên cổng thông tin")), ("false", _("Thôi công khai"))],
        coerce=lambda v: v == "true",
        initial="true",
    )


class MatchForm(VersionedForm):
    official = forms.ModelChoiceField(
        label=_("Cán bộ bị phản ánh"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Bỏ chọn —"),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["official"].queryset = people if people is not None else Person.objects.none()


class FeedbackFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm theo mã, nội dung, tên cán bộ"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ANY + FeedbackStatus.choices, required=False)
    category = forms.ChoiceField(label=_("Loại phản ánh"), choices=ANY + Category.choices, required=False)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), required=False, empty_label=_("— Tất cả —")
    )
    overdue = forms.NullBooleanField(
        label=_("Thời hạn"),
        required=False,
        widget=forms.Select(
            choices=[
                ("", _("— Tất cả —")),
                ("true", _("Quá hạn chưa trả lời")),
                ("false", _("Không quá hạn")),
            ]
        ),
    )
    upheld = forms.NullBooleanField(
        label=_("Kết luận"),
        required=False,
        widget=forms.Select(
            choices=[("", _("— Tất cả —")), ("true", _("Phản ánh đúng")), ("false", _("Không đúng"))]
        ),
    )
    received_from = forms.DateField(label=_("Tiếp nhận từ ngày"), widget=DATE_INPUT, required=False)
    received_to = forms.DateField(label=_("Đến ngày"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", END_BEFORE_START)
        return data

    def filters(self) -> FeedbackFilters:
        """The filters whose input is valid; a field with an error is left out (the page names it)."""
        if not self.is_bound:
            return FeedbackFilters()
        self.is_valid()
        data: dict[str, Any] = {name: self.cleaned_data.get(name) for name in self.fields}
        if "received_to" in self.errors:
            data["received_from"] = data["received_to"] = None
        return FeedbackFilters(
            q=data["q"] or "",
            status=data["status"] or "",
            category=data["category"] or "",
            unit=data["unit"].pk if data.get("unit") else None,
            overdue=data["overdue"],
            upheld=data["upheld"],
            received_from=data["received_from"],
            received_to=data["received_to"],
        )
