"""Forms of the organization app: the upload of an organization workbook (shape only; the rows are the domain's)."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.core.interfaces.forms import BootstrapFormMixin

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_SIGNATURE = b"PK\x03\x04"  # an .xlsx is a zip archive


def size_text(size: int) -> str:
    """A file size as people read it, in the interface language's number format: "5,0 MB", "1,0 KB"."""
    return str(filesizeformat(size))


class OrganizationImportForm(BootstrapFormMixin, forms.Form):
    """One .xlsx file no larger than settings.MAX_UPLOAD_BYTES whose bytes are those of a zip archive.

    Whether openpyxl can read it, and what its rows say, is checked by `org.domain.importing`.
    """

    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Tệp theo mẫu, gồm hai trang tính «Đơn vị» và «Cán bộ»."),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp Excel cần nhập."),
            "empty": gettext_lazy("Tệp rỗng (0 byte): không có gì để nhập."),
            "invalid": gettext_lazy("Không nhận được tệp. Hãy chọn lại tệp rồi tải lên."),
            "missing": gettext_lazy("Không nhận được tệp. Hãy chọn lại tệp rồi tải lên."),
        },
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = PurePath(upload.name or "").name
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("Tệp «%(name)s» có dung lượng %(size)s, vượt giới hạn %(limit)s.")
                % {"name": name, "size": size_text(upload.size), "limit": size_text(limit)}
            )
        if PurePath(name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(
                _("Tệp «%(name)s» không phải tệp Excel .xlsx. Hãy dùng tệp mẫu và lưu ở định dạng .xlsx.")
                % {"name": name}
            )
        upload.seek(0)
        head = upload.read(len(ZIP_SIGNATURE))
        upload.seek(0)
        if head != ZIP_SIGNATURE:
            raise forms.ValidationError(
                _(
                    "Tệp «%(name)s» có đuôi .xlsx nhưng nội dung không phải tệp Excel .xlsx "
                    "(có thể là tệp CSV, văn bản hay PDF được đổi tên). Hãy mở bằng Excel và lưu lại "
                    "ở định dạng .xlsx."
                )
                % {"name": name}
            )
        return upload
