"""The Excel template for importing the organization, made fresh on every download with openpyxl."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from trongtam.org.domain import importing as im
from trongtam.org.interfaces.forms import size_text

# Rows offered with drop-down lists; more rows can be typed, they just have no list.
VALIDATED_ROWS = 2000
UNIT_WIDTHS = {im.U_CODE: 16, im.U_NAME: 48, im.U_KIND: 34, im.U_PARENT: 20, im.U_ACTIVE: 16}
PERSON_WIDTHS = {
    im.P_USERNAME: 20,
    im.P_NAME: 30,
    im.P_EMAIL: 30,
    im.P_PHONE: 16,
    im.P_ROLE: 30,
    im.P_UNIT: 16,
    im.P_TITLE: 40,
}
TEXT_COLUMNS = {im.U_CODE, im.U_PARENT, im.P_USERNAME, im.P_PHONE, im.P_UNIT}


def _header(sheet: Worksheet, widths: dict[str, int]) -> dict[str, str]:
    """Bold header row, widths, frozen; returns header -> column letter."""
    letters = {}
    for index, (title, width) in enumerate(widths.items(), start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if title in TEXT_COLUMNS:
            # Text, so that codes like 001 and phone numbers keep their leading zeros.
            sheet.column_dimensions[letter].number_format = "@"
        letters[title] = letter
    sheet.freeze_panes = "A2"
    return letters


def _list_validation(sheet: Worksheet, letter: str, formula: str, prompt: str) -> None:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = prompt
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.prompt = prompt
    validation.showErrorMessage = True
    validation.showInputMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")


def import_template() -> bytes:
    """The template workbook: sheets "Đơn vị" and "Cán bộ" to fill, and "Hướng dẫn" with the allowed values."""
    workbook = Workbook()
    units = workbook.active
    units.title = im.UNIT_SHEET
    people = workbook.create_sheet(im.PERSON_SHEET)
    guide = workbook.create_sheet(im.GUIDE_SHEET)

    kinds, roles = im.unit_kind_labels(), im.role_labels()
    guide.cell(row=1, column=1, value=_("Giá trị của cột «Loại»")).font = Font(bold=True)
    guide.cell(row=1, column=2, value=_("Giá trị của cột «Vai trò»")).font = Font(bold=True)
    guide.cell(row=1, column=4, value=_("Quy tắc")).font = Font(bold=True)
    for row, label in enumerate(kinds, start=2):
        guide.cell(row=row, column=1, value=label)
    for row, label in enumerate(roles, start=2):
        guide.cell(row=row, column=2, value=label)
    for row, rule in enumerate(_rules(), start=2):
        guide.cell(row=row, column=4, value=rule).alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 34
    guide.column_dimensions["C"].width = 3
    guide.column_dimensions["D"].width = 110
    guide.freeze_panes = "A2"

    guide_name = quote_sheetname(im.GUIDE_SHEET)
    unit_columns = _header(units, UNIT_WIDTHS)
    _list_validation(
        units,
        unit_columns[im.U_KIND],
        f"{guide_name}!$A$2:$A${len(kinds) + 1}",
        _("Chọn một loại đơn vị trong danh sách (trang «Hướng dẫn»)."),
    )
    _list_validation(
        units,
        unit_columns[im.U_ACTIVE],
        f'"{im.YES},{im.NO}"',
        _("Chọn «Có» hoặc «Không»; để trống là «Có»."),
    )
    person_columns = _header(people, PERSON_WIDTHS)
    _list_validation(
        people,
        person_columns[im.P_ROLE],
        f"{guide_name}!$B$2:$B${len(roles) + 1}",
        _("Chọn một vai trò trong danh sách (trang «Hướng dẫn»)."),
    )

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rules() -> list[str]:
    return [
        _("Điền trang «Đơn vị» và trang «Cán bộ»; giữ nguyên tên trang và dòng tiêu đề (dòng 1)."),
        _("Mỗi dòng là một đơn vị hoặc một cán bộ; dòng trống được bỏ qua."),
        _(
            "Mã đơn vị và tên đăng nhập đã có trong hệ thống thì dòng đó cập nhật bản ghi đã có; "
            "mã hoặc tên đăng nhập mới thì tạo mới. Có thể nhập lại cùng một tệp nhiều lần."
        ),
        _(
            "Bắt buộc: Mã đơn vị, Tên đơn vị, Loại (trang «Đơn vị»); Tên đăng nhập, Họ và tên, Vai trò (trang «Cán bộ»)."
        ),
        _("Mã đơn vị không được trùng nhau trong tệp; tên đăng nhập cũng vậy."),
        _(
            "Mã đơn vị cấp trên: để trống nếu là đơn vị cao nhất; phải là mã của một đơn vị trong tệp "
            "(ở trên hay ở dưới đều được) hoặc đã có trong hệ thống; một đơn vị không được là cấp trên của chính nó."
        ),
        _("Đang hoạt động: «Có» hoặc «Không»; để trống là «Có»."),
        _(
            "Mã đơn vị của cán bộ: bắt buộc với Người đứng đầu, Cấp phó và Cán bộ, công chức, viên chức. "
            "Mỗi đơn vị chỉ có một Người đứng đầu đang hoạt động."
        ),
        _(
            "Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ ; email (nếu có) phải đúng dạng ten@donvi.gov.vn."
        ),
        _(
            "Cán bộ mới được tạo chưa có mật khẩu đăng nhập: quản trị viên đặt mật khẩu trong trang quản trị "
            "(/quan-tri/). Nhập dữ liệu không đổi mật khẩu của cán bộ đã có."
        ),
        _(
            "Tệp có bất kỳ dòng nào sai thì không nhập dòng nào; trang nhập liệt kê mọi lỗi "
            "theo trang tính, dòng và cột để sửa một lần."
        ),
        _("Tệp .xlsx tối đa %(size)s, mỗi trang tính tối đa %(rows)d dòng dữ liệu.")
        % {"size": size_text(settings.MAX_UPLOAD_BYTES), "rows": im.MAX_DATA_ROWS},
    ]
