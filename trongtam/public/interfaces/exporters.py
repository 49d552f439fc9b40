"""The public scoreboard as a file: CSV (UTF-8 with a byte-order mark, so that Excel reads the diacritics) or an
Excel workbook. The same rows and columns as the page's table, and nothing personal: units and counts only.

Excel needs the period and the definitions beside the numbers (product.md, Lessons): the workbook carries them in
its header rows; the CSV, a plain table for other programs, carries the period in its file name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from trongtam.org.interfaces.forms import XLSX_CONTENT_TYPE
from trongtam.public.domain.scoreboard import GROUPS, Scoreboard, UnitRow

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A cell that a spreadsheet would take for a formula starts with one of these: such text is prefixed with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def columns() -> list[tuple[str, Callable[[UnitRow], Cell]]]:
    """The table's columns: header and value, in the page's order."""
    return [
        (_("Nhóm"), lambda r: str(GROUPS[r.group])),
        (_("Hạng"), lambda r: r.rank),
        (_("Mã đơn vị"), lambda r: r.code),
        (_("Đơn vị"), lambda r: r.name),
        (_("Hồ sơ tiếp nhận"), lambda r: r.received),
        (_("Hồ sơ đã giải quyết"), lambda r: r.processed),
        (_("Giải quyết đúng hạn, trước hạn"), lambda r: r.on_time),
        (_("Giải quyết quá hạn"), lambda r: r.late),
        (_("Công dân rút hồ sơ"), lambda r: r.withdrawn),
        (_("Tỷ lệ đúng hạn (%)"), lambda r: r.on_time_rate),
        (_("Đang xử lý quá hạn"), lambda r: r.open_overdue),
        (_("Phiếu xin lỗi đã ban hành"), lambda r: r.letters),
        (_("Phản ánh tiếp nhận"), lambda r: r.feedback_received),
        (_("Phản ánh đã trả lời"), lambda r: r.feedback_answered),
        (_("Phản ánh trả lời đúng hạn"), lambda r: r.feedback_on_time),
        (_("Lượt đánh giá"), lambda r: r.ratings),
        (_("Hài lòng, rất hài lòng (%)"), lambda r: r.satisfied_rate),
        (_("Được xếp hạng"), lambda r: _("Có") if r.rank is not None else _("Không (dưới mức tối thiểu)")),
    ]


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def filename(board: Scoreboard, extension: str) -> str:
    return f"bang-xep-hang-cong-khai_{board.window.start:%Y%m%d}-{board.window.end:%Y%m%d}.{extension}"


def export_csv(board: Scoreboard) -> ExportFile:
    out = io.StringIO()
    writer = csv.writer(out)
    cols = columns()
    writer.writerow([header for header, _value in cols])
    for row in board.rows():
        writer.writerow(["" if (v := _safe(value(row))) is None else v for _header, value in cols])
    return ExportFile(filename(board, "csv"), CSV_CONTENT_TYPE, ("\ufeff" + out.getvalue()).encode())


def export_xlsx(board: Scoreboard) -> ExportFile:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = _("Bảng xếp hạng")
    cols = columns()
    notes = [
        _("Bảng công khai kết quả phục vụ người dân, doanh nghiệp"),
        _("Kỳ: %(period)s (từ %(start)s đến %(end)s)")
        % {
            "period": board.window.label,
            "start": board.window.start.strftime("%d/%m/%Y"),
            "end": board.window.end.strftime("%d/%m/%Y"),
        },
        _(
            "Chỉ xếp hạng đơn vị có từ %(n)s hồ sơ đã giải quyết hoặc rút trong kỳ; tỷ lệ đúng hạn (Quyết định "
            "766/QĐ-TTg) = (hồ sơ giải quyết đúng hạn, trước hạn + hồ sơ công dân rút) / (hồ sơ đã giải quyết + hồ "
            "sơ công dân rút)."
        )
        % {"n": board.minimum},
    ]
    for text in notes:
        sheet.append([text])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    header_row = len(notes) + 2
    sheet.append([header for header, _value in cols])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in board.rows():
        values = []
        for _header, value in cols:
            cell = _safe(value(row))
            values.append(float(cell) if isinstance(cell, Decimal) else cell)
        sheet.append(values)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["D"].width = 48
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=5)
    out = io.BytesIO()
    workbook.save(out)
    return ExportFile(filename(board, "xlsx"), XLSX_CONTENT_TYPE, out.getvalue())
