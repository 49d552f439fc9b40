"""The public site's forms: the dossier lookup, the rating, and the scoreboard's period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.forms import BootstrapFormMixin
from trongtam.dossiers.enums import Satisfaction
from trongtam.public.domain import scoreboard
from trongtam.public.domain.lookup import CODE_MAX_LENGTH, normalize_code
from trongtam.public.domain.rating import COMMENT_MAX_LENGTH

FOUR_DIGITS = RegexValidator(r"^[0-9]{4}$", _("Nhập đúng 4 chữ số cuối của số điện thoại, ví dụ 5678."))


class LookupForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.15.H12-260302-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone_last4 = forms.CharField(
        label=_("4 chữ số cuối số điện thoại"),
        min_length=4,
        max_length=4,
        validators=[FOUR_DIGITS],
        help_text=_("Của số điện thoại bạn đã khai khi nộp hồ sơ."),
        # Never sent back in the page: like a password, it is typed again after a failed attempt.
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}", "maxlength": "4"}
        ),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Nhập mã hồ sơ."))
        return code


class RatingForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=CODE_MAX_LENGTH)
    satisfaction = forms.TypedChoiceField(
        label=_("Mức độ hài lòng của bạn"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến góp ý (không bắt buộc)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("Xin đừng ghi họ tên, số điện thoại hay địa chỉ của bạn vào ý kiến."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].widget.attrs["class"] = "form-check-input"


class PeriodForm(BootstrapFormMixin, forms.Form):
    """The scoreboard's period, read from the query string (`nam`, `ky`): wrong values fall back to this year."""

    nam = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    ky = forms.ChoiceField(label=_("Kỳ"), required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [(year, str(year)) for year in scoreboard.year_choices(today)]
        self.fields["nam"].choices = years  # type: ignore[attr-defined]
        self.fields["ky"].choices = scoreboard.part_choices()  # type: ignore[attr-defined]
