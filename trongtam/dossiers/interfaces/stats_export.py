"""The dossier statistics as an Excel workbook: the page's figures, for the same person and filters.

Every figure comes from `statistics.report`, the function the page uses, never a second way of counting. Sheets:
"Tổng hợp" (scope, range, filters, the totals and how the rates are defined), then one sheet per grouping --
by unit, by procedure, by channel, by month -- each with the report's columns under their Vietnamese labels, the
provincial systems' column names in the second header row, and a total row.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trongtam.dossiers.domain import statistics
from trongtam.dossiers.domain.statistics import COLUMNS, Figures, Filters, Grouping, Order, Report, UnitGroup
from trongtam.dossiers.enums import Channel
from trongtam.org.enums import PROVINCE_WIDE_ROLES, Role
from trongtam.org.interfaces.forms import XLSX_CONTENT_TYPE
from trongtam.org.models import Unit

DATE_FORMAT = "dd/mm/yyyy"
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00"
BOLD = Font(bold=True)
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def cell_value(figures: Figures, attribute: str) -> Any:
    """A column's value as the sheet holds it: a count, or a rate in percent (two decimals), empty when None."""
    value = getattr(figures, attribute)
    return None if value is None else float(value) if not isinstance(value, int) else value


def scope_label(user: Any) -> str:
    """Whose dossiers the figures cover, in words."""
    if user.role in PROVINCE_WIDE_ROLES or user.role == Role.COUNCIL:
        return _("Toàn tỉnh")
    if user.role == Role.VICE_CHAIRMAN:
        return _("Các đơn vị do %(name)s phụ trách") % {"name": user.get_full_name()}
    if user.unit_id:
        return str(user.unit)
    return "—"


def export_filename(filters: Filters) -> str:
    """`thong-ke-ho-so_2026-01-01_2026-11-23.xlsx`."""
    return f"thong-ke-ho-so_{filters.window.start.isoformat()}_{filters.window.end.isoformat()}.xlsx"


def export_statistics(
    user: Any, units: QuerySet[Unit], filters: Filters, *, order: Order, today: dt.date
) -> ExportFile:
    """The workbook of the dossiers of `units` (the person's scope, already narrowed to the unit group) that
    `filters` select: three aggregate queries per grouping, whatever the number of units or dossiers."""
    reports = {grouping: statistics.report(units, filters, grouping) for grouping in Grouping}
    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_name(_("Tổng hợp"))
    _summary(summary, user, filters, reports[Grouping.UNIT].total, today)
    for grouping, report in reports.items():
        _grouping_sheet(workbook.create_sheet(_sheet_name(str(grouping.label))), report, order)
    for sheet in workbook.worksheets:  # names people typed stay text, never a formula
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return ExportFile(export_filename(filters), XLSX_CONTENT_TYPE, out.getvalue())


def _sheet_name(label: str) -> str:
    return label.translate(SHEET_NAME_FORBIDDEN)[:SHEET_NAME_MAX]


def _filters_described(filters: Filters) -> list[tuple[str, Any]]:
    unit = Unit.objects.filter(pk=filters.unit_id).first() if filters.unit_id else None
    return [
        (_("Từ ngày"), filters.window.start),
        (_("Đến ngày"), filters.window.end),
        (_("Nhóm đơn vị"), str(UnitGroup(filters.unit_group).label)),
        (_("Đơn vị"), str(unit) if unit else _("Tất cả")),
        (_("Lĩnh vực thủ tục"), filters.field or _("Tất cả")),
        (_("Kênh nộp"), str(Channel(filters.channel).label) if filters.channel else _("Tất cả")),
    ]


def _summary(sheet: Worksheet, user: Any, filters: Filters, total: Figures, today: dt.date) -> None:
    sheet.cell(row=1, column=1, value=_("Thống kê hồ sơ thủ tục hành chính")).font = Font(bold=True, size=14)
    facts: list[tuple[str, Any]] = [
        (_("Phạm vi"), scope_label(user)),
        *_filters_described(filters),
        (_("Ngày lập báo cáo"), today),
    ]
    row = 3
    for label, value in facts:
        sheet.cell(row=row, column=1, value=label).font = BOLD
        cell = sheet.cell(row=row, column=2, value=value)
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Chỉ tiêu")).font = BOLD
    sheet.cell(row=row, column=2, value=_("Số liệu")).font = BOLD
    sheet.cell(row=row, column=3, value=_("Cột báo cáo")).font = BOLD
    for column in COLUMNS:
        row += 1
        sheet.cell(row=row, column=1, value=str(column.label))
        cell = sheet.cell(row=row, column=2, value=cell_value(total, column.attribute))
        cell.number_format = RATE_FORMAT if column.is_rate else COUNT_FORMAT
        sheet.cell(row=row, column=3, value=column.code)
    row += 2
    notes = [
        _("Ngày được so sánh theo ngày (không theo giờ): xong đúng ngày hẹn trả là đúng hạn; hồ sơ không có ngày hẹn trả tính là đúng hạn."),
        _("Tổng số cần xử lý = tiếp nhận trong kỳ + kỳ trước chuyển qua = đã giải quyết + đang giải quyết + chờ bổ sung + dừng xử lý + chờ thực hiện nghĩa vụ tài chính + công dân rút hồ sơ."),
        _("Đang giải quyết quá hạn: chưa xong vào cuối kỳ và ngày hẹn trả trước ngày cuối kỳ; hồ sơ chờ bổ sung hoặc chờ thực hiện nghĩa vụ tài chính tính là trong hạn."),
        _("Tỷ lệ giải quyết đúng hạn (Quyết định 766/QĐ-TTg) = (trước hạn + đúng hạn + công dân rút hồ sơ) ÷ (đã giải quyết + công dân rút hồ sơ)."),
        _("Tỷ lệ trễ hạn = (giải quyết quá hạn + đang giải quyết quá hạn) ÷ tổng số cần xử lý, như cách tính hằng tháng của tỉnh Gia Lai."),
        _("Tỷ lệ tính theo phần trăm; ô để trống: chưa có hồ sơ để tính."),
    ]  # fmt: skip
    for note in notes:
        sheet.cell(row=row, column=1, value=note)
        row += 1
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 30


def _grouping_sheet(sheet: Worksheet, report: Report, order: Order) -> None:
    first = {
        Grouping.UNIT: _("Đơn vị"),
        Grouping.PROCEDURE: _("Thủ tục"),
        Grouping.CHANNEL: _("Kênh nộp"),
        Grouping.MONTH: _("Tháng"),
    }[report.grouping]
    headers = [_("Mã"), first, *(str(column.label) for column in COLUMNS)]
    for index, title in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(COLUMNS, start=3):
        sheet.cell(row=2, column=index, value=column.code).font = Font(italic=True, size=9)
    rows = report.rows if report.grouping == Grouping.MONTH else statistics.ordered(report.rows, order)
    line = 3
    for row in rows:
        _write(sheet, line, row.code, row.label, row.figures)
        line += 1
    _write(sheet, line, "", _("Tổng cộng"), report.total, bold=True)
    if report.grouping == Grouping.MONTH:
        sheet.cell(
            row=line + 2,
            column=1,
            value=_(
                "Dòng tổng cộng là số liệu của cả khoảng thời gian: cột «kỳ trước chuyển qua» và các cột tồn cuối kỳ không cộng dồn theo tháng."
            ),
        )
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    for index in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14


def _write(
    sheet: Worksheet, line: int, code: str, label: str, figures: Figures, *, bold: bool = False
) -> None:
    sheet.cell(row=line, column=1, value=code)
    sheet.cell(row=line, column=2, value=label)
    for index, column in enumerate(COLUMNS, start=3):
        cell = sheet.cell(row=line, column=index, value=cell_value(figures, column.attribute))
        cell.number_format = RATE_FORMAT if column.is_rate else COUNT_FORMAT
    if bold:
        for index in range(1, len(COLUMNS) + 3):
            sheet.cell(row=line, column=index).font = BOLD
