"""The upload form of an import: what kind of data, the file, the unit for rows without a unit code, and the
mapping of the file's own column names (shape only; the file itself is checked by `domain.importing`)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trongtam.core.interfaces.forms import BootstrapFormMixin
from trongtam.dossiers.domain.import_columns import DOSSIER_COLUMNS, PROCEDURE_COLUMNS, Column
from trongtam.dossiers.domain.import_readers import ACCEPTED_EXTENSIONS
from trongtam.dossiers.domain.importing import kinds_for
from trongtam.dossiers.domain.queries import units_entering_for
from trongtam.dossiers.enums import ImportKind
from trongtam.org.models import Unit

COLUMNS = {ImportKind.DOSSIERS: DOSSIER_COLUMNS, ImportKind.PROCEDURES: PROCEDURE_COLUMNS}


def map_field_name(kind: str, column: Column) -> str:
    return f"map_{kind}_{column.field}"


class ImportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Tệp cần nhập"),
        help_text=_("CSV (UTF-8), Excel .xlsx (trang tính đầu tiên) hoặc JSON (mảng hoặc JSON Lines)."),
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={
            "required": _("Hãy chọn tệp cần nhập."),
            "empty": _("Tệp rỗng (0 byte): không có gì để nhập."),
            "invalid": _("Không nhận được tệp. Hãy chọn lại tệp rồi tải lên."),
            "missing": _("Không nhận được tệp. Hãy chọn lại tệp rồi tải lên."),
        },
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị giải quyết"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Theo cột MaDonVi của tệp —"),
        help_text=_("Chỉ với tệp hồ sơ: đơn vị cho các dòng không có mã đơn vị (tệp xuất của một xã)."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = kinds_for(user)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(k.value, k.label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].value
        if ImportKind.DOSSIERS in kinds:
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_entering_for(user).order_by(
                "code"
            )
        else:  # the catalog has no unit
            del self.fields["unit"]
        self.map_fields: dict[str, list[forms.BoundField]] = {}
        for kind in kinds:
            for column in COLUMNS[kind]:
                name = map_field_name(kind.value, column)
                self.fields[name] = forms.CharField(
                    label=column.label,
                    required=False,
                    max_length=200,
                    help_text=_("Mặc định: cột «%(header)s».") % {"header": column.header},
                )
                self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        for kind in kinds:
            self.map_fields[kind.value] = [self[map_field_name(kind.value, c)] for c in COLUMNS[kind]]

    def mapping(self) -> dict[str, str]:
        """Our field -> the file's header, for the chosen kind (empty inputs left out)."""
        kind = self.cleaned_data["kind"]
        found: dict[str, str] = {}
        for column in COLUMNS[ImportKind(kind)]:
            header = (self.cleaned_data.get(map_field_name(kind, column)) or "").strip()
            if header:
                found[column.field] = header
        return found
