"""Forms of dialogues and Council recommendations: shapes and syntax only; the rules are the domain's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.followup.interfaces.forms import MultipleFileField
from trongtam.org.models import Person, Unit
from trongtam.supervision.domain.items import StepInput
from trongtam.supervision.domain.queries import ItemFilters
from trongtam.supervision.domain.records import (
    CHAIR_ROLES,
    DialogueInput,
    IssueInput,
    RecommendationInput,
    SupervisionInput,
)
from trongtam.supervision.enums import Audience, ItemStatus, Outcome, RaiserKind, Verdict

ANY = [("", _("— Tất cả —"))]
CHOOSE = [("", _("— Chọn —"))]


def units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("name")


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _unit_field(label: Any, required: bool = True) -> UnitField:
    return UnitField(label=label, queryset=units(), required=required, empty_label=_("— Chọn đơn vị —"))


class ChairField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.title}" if obj.title else str(obj.full_name)


def _pk(value: Any) -> int | None:
    return value.pk if value is not None else None


class DialogueForm(VersionedForm):
    topic = forms.CharField(label=_("Chủ đề buổi đối thoại"), max_length=300)
    audience = forms.ChoiceField(label=_("Đối tượng đối thoại"), choices=CHOOSE + Audience.choices)
    held_on = forms.DateField(label=_("Ngày đối thoại"), widget=DATE_INPUT)
    chaired_by = ChairField(
        label=_("Người chủ trì"),
        queryset=Person.objects.filter(role__in=CHAIR_ROLES, is_active=True)
        .select_related("unit")
        .order_by("role", "full_name"),
        empty_label=_("— Chọn người chủ trì —"),
        help_text=_("Chủ tịch, Phó Chủ tịch UBND tỉnh hoặc người đứng đầu đơn vị."),
    )
    organizing_unit = _unit_field(_("Đơn vị tổ chức"))
    participants = forms.CharField(
        label=_("Thành phần tham dự"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.CharField(
        label=_("Biên bản, tóm tắt nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = not creating  # a new record has no version yet

    def to_input(self) -> DialogueInput:
        data = self.cleaned_data
        return DialogueInput(
            topic=data["topic"],
            audience=data["audience"],
            held_on=data["held_on"],
            chaired_by=_pk(data["chaired_by"]),
            organizing_unit=_pk(data["organizing_unit"]),
            participants=data["participants"],
            summary=data["summary"],
        )


class FilesForm(VersionedForm):
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Tệp đính kèm"),
        help_text=_("Biên bản, giấy mời, hình ảnh: PDF, ảnh, DOCX, XLSX; tối đa 10 MB mỗi tệp."),
    )


class DeadlineMixin(forms.Form):
    deadline = forms.DateField(label=_("Hạn xử lý"), widget=DATE_INPUT, required=False)
    deadline_days = forms.IntegerField(
        label=_("Hoặc số ngày làm việc"),
        required=False,
        min_value=1,
        help_text=_("Tính theo lịch làm việc từ ngày buổi đối thoại; nhập một trong hai."),
    )


class IssueForm(BootstrapFormMixin, DeadlineMixin):
    content = forms.CharField(
        label=_("Nội dung kiến nghị"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    raiser_kind = forms.ChoiceField(label=_("Người nêu kiến nghị là"), choices=CHOOSE + RaiserKind.choices)
    raised_by = forms.CharField(
        label=_("Tên doanh nghiệp hoặc người nêu"),
        max_length=200,
        required=False,
        help_text=_(
            "Tên một người dân là thông tin cá nhân: chỉ hiện ở trang chi tiết cho người có thẩm quyền."
        ),
    )
    responsible_unit = _unit_field(_("Giao đơn vị chịu trách nhiệm (nếu đã rõ)"), required=False)

    field_order = ["content", "raiser_kind", "raised_by", "responsible_unit", "deadline", "deadline_days"]

    def to_input(self) -> IssueInput:
        data = self.cleaned_data
        return IssueInput(
            content=data["content"],
            raiser_kind=data["raiser_kind"],
            raised_by=data["raised_by"],
            responsible_unit=_pk(data["responsible_unit"]),
            deadline=data["deadline"],
            deadline_days=data["deadline_days"],
        )


class StepForm(VersionedForm):
    """One form for every step; the view keeps only the fields the step needs (`for_step`)."""

    responsible_unit = _unit_field(_("Đơn vị chịu trách nhiệm"), required=False)
    deadline = forms.DateField(label=_("Hạn xử lý"), widget=DATE_INPUT, required=False)
    deadline_days = forms.IntegerField(label=_("Hoặc số ngày làm việc"), required=False, min_value=1)
    answer = forms.CharField(
        label=_("Nội dung trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    verdict = forms.ChoiceField(label=_("Kết luận"), required=False, choices=CHOOSE + Verdict.choices)
    comment = forms.CharField(
        label=_("Lý do, ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, keep: tuple[str, ...] = (), labels: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name != "version" and name not in keep:
                del self.fields[name]
        for name, label in (labels or {}).items():
            if name in self.fields:
                self.fields[name].label = label

    def to_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            comment=data.get("comment") or "",
            responsible_unit=_pk(data.get("responsible_unit")),
            deadline=data.get("deadline"),
            deadline_days=data.get("deadline_days"),
            answer=data.get("answer") or "",
            verdict=data.get("verdict") or "",
        )


class SupervisionForm(VersionedForm):
    topic = forms.CharField(label=_("Nội dung giám sát"), max_length=300)
    held_on = forms.DateField(label=_("Ngày giám sát"), widget=DATE_INPUT)
    supervised_unit = _unit_field(_("Đơn vị được giám sát"))
    team = forms.CharField(label=_("Đoàn giám sát"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(
        label=_("Kết quả giám sát"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = not creating  # a new record has no version yet

    def to_input(self) -> SupervisionInput:
        data = self.cleaned_data
        return SupervisionInput(
            topic=data["topic"],
            held_on=data["held_on"],
            supervised_unit=_pk(data["supervised_unit"]),
            team=data["team"],
            summary=data["summary"],
        )


class RecommendationForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Nội dung kiến nghị"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    details = forms.CharField(
        label=_("Yêu cầu cụ thể"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_unit = _unit_field(_("Đơn vị chịu trách nhiệm"))
    deadline = forms.DateField(label=_("Hạn thực hiện"), widget=DATE_INPUT)

    def to_input(self) -> RecommendationInput:
        data = self.cleaned_data
        return RecommendationInput(
            title=data["title"],
            details=data["details"],
            responsible_unit=_pk(data["responsible_unit"]),
            deadline=data["deadline"],
        )


class ItemFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm theo nội dung"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ANY + ItemStatus.choices, required=False)
    responsible_unit = _unit_field(_("Đơn vị chịu trách nhiệm"), required=False)
    overdue = forms.BooleanField(label=_("Chỉ kiến nghị quá hạn"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    end = forms.ChoiceField(label=_("Kết quả"), choices=ANY, required=False)

    def __init__(self, *args: Any, ends: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].empty_label = _("— Tất cả —")  # type: ignore[attr-defined]
        self.fields["end"].choices = ANY + (ends or [])  # type: ignore[attr-defined]

    def filters(self) -> ItemFilters:
        if not self.is_valid():
            return ItemFilters()
        data = self.cleaned_data
        return ItemFilters(
            q=data["q"].strip(),
            status=data["status"],
            responsible_unit=_pk(data["responsible_unit"]),
            overdue=bool(data["overdue"]),
            year=data["year"],
            end=data["end"],
        )


ISSUE_ENDS = list(Outcome.choices)
RECOMMENDATION_ENDS = list(Verdict.choices)


class DialogueFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm theo chủ đề"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    organizing_unit = _unit_field(_("Đơn vị tổ chức"), required=False)
    audience = forms.ChoiceField(label=_("Đối tượng"), choices=ANY + Audience.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizing_unit"].empty_label = _("— Tất cả —")  # type: ignore[attr-defined]


# The fields each step's form keeps (workflow.Step says which inputs each needs), and their labels there.
GIVE = ("responsible_unit", "deadline", "deadline_days", "comment")
ISSUE_STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "assign": GIVE,
    "start": (),
    "answer": ("answer",),
    "return": ("comment",),
    "resolve": ("comment",),
    "close_unresolved": ("comment",),
    "transfer": ("comment",),
    "reject": ("comment",),
    "reopen": GIVE,
}
RECOMMENDATION_STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "start": (),
    "report": ("answer",),
    "conclude": ("verdict", "comment"),
    "return": ("comment", "deadline"),
}
STEP_LABELS: dict[str, dict[str, Any]] = {
    "transfer": {"comment": _("Chuyển đến cơ quan nào, vì sao")},
    "report": {"answer": _("Kết quả đơn vị đã thực hiện")},
    "return": {"deadline": _("Hạn mới (nếu cho thêm thời gian)")},
}


def step_form(kind: str, action: str, *args: Any, **kwargs: Any) -> StepForm:
    fields = ISSUE_STEP_FIELDS if kind == "issue" else RECOMMENDATION_STEP_FIELDS
    labels = STEP_LABELS.get(action, {}) if not (kind == "issue" and action == "return") else {}
    return StepForm(*args, keep=fields[action], labels=labels, prefix=f"step-{action}", **kwargs)
