from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Every date the product asks for is typed dd/mm/yyyy (the Vietnamese format, also the English locale's here).
# A date range whose end comes before its start (equal dates are a one-day range, and allowed).
END_BEFORE_START = _("Ngày kết thúc không được trước ngày bắt đầu.")

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class BootstrapFormMixin:
    """Adds Bootstrap classes to every widget, and `is-invalid` to the widgets of fields with errors.

    Errors are marked as they are added (`add_error`), never looked up in `__init__`: reading `errors` there
    would validate the form before a subclass's `__init__` has set its querysets, and cache the wrong result.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        fields = self.fields  # type: ignore[attr-defined]
        for name in self._errors or {}:  # type: ignore[attr-defined]
            if name in fields:
                attrs = fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", "").split():
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class ApiTokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"), max_length=100, help_text=_("Ví dụ: «Đồng bộ với phần mềm quản lý văn bản».")
    )
