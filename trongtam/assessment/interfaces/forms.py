"""Forms of the assessment shared by its pages: points typed with a decimal comma, the comment of a workflow
button, the facts that bind a classification (on a head's sheet and on an official's evaluation); and the forms
of the classification settings of a round and of the exceptions to the quota (preview page)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain import round_settings
from trongtam.assessment.domain.classification import ClassificationSettings, Fact, QuotaRounding
from trongtam.assessment.models import Round, ScoreSheet, StaffEvaluation
from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.numbers import plain_number

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}


class PointsInput(forms.TextInput):
    """Shows points with a decimal comma, as Vietnamese readers write them ("7,5")."""

    def format_value(self, value: Any) -> str | None:
        shown = super().format_value(value)
        return shown.replace(".", ",") if shown else shown


class PointsField(forms.DecimalField):
    """Points out of at most 100, typed with a decimal comma or point: "7,5" and "7.5" are both 7.5. There is no
    thousands separator to read here, and reading "7.5" as 75 (the localized parse) would silently give ten
    times the points."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value.count(",") + value.count(".") > 1:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(",", ".")
        return super().to_python(value)


def points_field(label: Any, *, help_text: Any, required: bool = True, **kwargs: Any) -> PointsField:
    """A field of points (or of a weight) typed with a decimal comma, in a text box that asks for a number."""
    return PointsField(
        label=label, required=required, widget=PointsInput(attrs=NUMBER), help_text=help_text, **kwargs
    )


def text_field(label: Any, *, rows: int = 2, help_text: Any = "") -> forms.CharField:
    """An optional text of a few lines: a comment, a reason, the grounds of a request or of a decision."""
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class ActionForm(VersionedForm):
    """A workflow button's form: the version the person loaded and an optional comment."""

    comment = text_field(_("Ý kiến"))


class FactsForm(VersionedForm):
    """The facts that bind the classification, each ticked with its reason (the decision, the inspection…).
    `offered` are the facts asked about: every fact on a head's sheet, fewer on an official's evaluation."""

    offered: ClassVar[tuple[Fact, ...]] = tuple(Fact)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for fact in self.offered:
            self.fields[fact.value] = forms.BooleanField(label=fact.label, required=False)
            self.fields[f"{fact.value}_reason"] = forms.CharField(
                label=gettext("Căn cứ: %(fact)s") % {"fact": fact.label},
                required=False,
                max_length=500,
            )

    @staticmethod
    def facts_initial(record: ScoreSheet | StaffEvaluation) -> dict[str, Any]:
        """The version of the sheet or evaluation and its facts as it stores them, ticked with their reasons."""
        initial: dict[str, Any] = {"version": record.version}
        for fact in record.facts:
            initial[fact["code"]] = True
            initial[f"{fact['code']}_reason"] = fact["reason"]
        return initial

    def facts(self) -> dict[str, str]:
        data = self.cleaned_data
        return {fact.value: data[f"{fact.value}_reason"] for fact in self.offered if data.get(fact.value)}

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[fact.value], self[f"{fact.value}_reason"]) for fact in self.offered]


class ClassificationSettingsForm(VersionedForm):
    """Thresholds, the quota and the optional house rules of a round. Numbers are read by the domain (a decimal
    comma or point), which names the field of every problem."""

    excellent = forms.CharField(
        label=_("Ngưỡng hoàn thành xuất sắc (điểm, từ)"), widget=forms.TextInput(NUMBER)
    )
    good = forms.CharField(label=_("Ngưỡng hoàn thành tốt (điểm, từ)"), widget=forms.TextInput(NUMBER))
    completed = forms.CharField(label=_("Ngưỡng hoàn thành (điểm, từ)"), widget=forms.TextInput(NUMBER))
    quota_share = forms.CharField(
        label=_("Tỷ lệ hoàn thành xuất sắc tối đa, tính trên số người hoàn thành tốt (%)"),
        widget=forms.TextInput(NUMBER),
        help_text=_(
            "Nghị định 335/2025/NĐ-CP: không quá 20 phần trăm số người được xếp loại hoàn thành tốt."
        ),
    )
    quota_rounding = forms.ChoiceField(
        label=_("Cách làm tròn số người theo tỷ lệ"),
        choices=QuotaRounding.choices,
        help_text=_("Văn bản chưa quy định cách làm tròn; mặc định làm tròn xuống để không vượt tỷ lệ."),
    )
    rules_off = forms.MultipleChoiceField(
        label=_("Không áp dụng các quy tắc mặc định của hệ thống sau"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Các điều kiện không hoàn thành nhiệm vụ của Nghị định 335/2025/NĐ-CP luôn được áp dụng."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: Any = [(rule.code, rule.explanation) for rule in round_settings.optional_rules()]
        rules_field: Any = self.fields["rules_off"]
        rules_field.choices = choices
        rules_field.widget.attrs["class"] = "form-check-input"

    @staticmethod
    def initial_for(rnd: Round) -> dict[str, Any]:
        current: ClassificationSettings = round_settings.settings_of(rnd)
        enabled = {rule.code for rule in current.hard_rules}
        return {
            "version": rnd.version,
            "excellent": plain_number(current.thresholds.excellent),
            "good": plain_number(current.thresholds.good),
            "completed": plain_number(current.thresholds.completed),
            "quota_share": plain_number(current.quota_share * 100),
            "quota_rounding": current.quota_rounding,
            "rules_off": sorted(round_settings.OPTIONAL_RULES - enabled),
        }


class QuotaExceptionForm(VersionedForm):
    person = forms.TypedChoiceField(label=_("Người đứng đầu được giữ mức hoàn thành xuất sắc"), coerce=int)
    reason = text_field(_("Lý do ngoại lệ"))
    basis = forms.CharField(
        label=_("Căn cứ (văn bản, thành tích xuất sắc, nổi trội)"), required=False, max_length=300
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field: Any = self.fields["person"]
        person_field.choices = [("", "—"), *people]
