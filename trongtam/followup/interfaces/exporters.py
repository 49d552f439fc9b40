"""The follow-up report as an Excel workbook: the overview's figures, for the same person and the same range.

Every figure comes from the functions the overview page uses (`overview.by_unit`, `regroup`, `totals`,
`slow_and_missed`): one aggregate query per unit, summed in Python, never a second way of counting. The unit
groups only partition the per-unit rows, so the group sheets add up to the scope's totals.

Sheets: "Tổng hợp" (scope, range, totals, per unit group, per Vice-Chairman, per sector), one sheet per unit
group (provincial agencies, communes and wards, other units), and the slow and missed tasks (capped at
`SLOW_LIMIT` rows; the sheet says so when it is).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trongtam.followup.domain import overview
from trongtam.followup.domain.status import Tally
from trongtam.followup.enums import Outcome
from trongtam.followup.models import Task
from trongtam.org.enums import Role, UnitKind
from trongtam.org.interfaces.forms import XLSX_CONTENT_TYPE
from trongtam.org.models import Unit

SLOW_LIMIT = 2000  # rows of the slow-task sheet; the page lists every one of them, paginated
DATE_FORMAT = "dd/mm/yyyy"
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
PERCENT_FORMAT = "0%"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Characters Excel refuses in a sheet name, and its length limit.
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
SHEET_NAME_MAX = 31


class UnitGroup(Enum):
    """The groups a provincial report lists units in; a unit below another counts in its group."""

    AGENCIES = "agencies"
    COMMUNES = "communes"
    OTHERS = "others"

    @property
    def label(self) -> str:
        return {
            UnitGroup.AGENCIES: _("Sở, ban, ngành"),
            UnitGroup.COMMUNES: _("Xã, phường, đặc khu"),
            UnitGroup.OTHERS: _("Đơn vị khác"),
        }[self]


# The kinds that decide a group. A unit takes the group of the nearest of itself and its ancestors with one
# of these kinds: a department's divisions and public service units count with the department, a commune's
# with the commune. Sector agencies (ngành dọc) are agencies at the provincial level, listed with the
# departments. The province itself, the service centre, the old districts (three-tier model) and units
# directly under the province are the others.
GROUP_OF_KIND: dict[str, UnitGroup] = {
    UnitKind.DEPARTMENT: UnitGroup.AGENCIES,
    UnitKind.SECTOR_AGENCY: UnitGroup.AGENCIES,
    UnitKind.COMMUNE: UnitGroup.COMMUNES,
    UnitKind.WARD: UnitGroup.COMMUNES,
    UnitKind.SPECIAL_ZONE: UnitGroup.COMMUNES,
    UnitKind.PROVINCE: UnitGroup.OTHERS,
    UnitKind.DISTRICT: UnitGroup.OTHERS,
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class GroupRows:
    group: UnitGroup
    rows: list[overview.Row]
    total: Tally


def unit_groups(units: Sequence[overview.Row]) -> list[GroupRows]:
    """The per-unit rows partitioned into the unit groups, every group present (empty ones with zeros).

    One query over the unit tree (id, parent, kind); each row lands in exactly one group, so the groups'
    totals add up to `overview.totals(units)`.
    """
    tree = {
        pk: (parent_id, kind) for pk, parent_id, kind in Unit.objects.values_list("pk", "parent_id", "kind")
    }

    def group_of(unit_id: Any) -> UnitGroup:
        seen: set[Any] = set()
        current = unit_id
        while current is not None and current in tree and current not in seen:
            seen.add(current)
            parent_id, kind = tree[current]
            if kind in GROUP_OF_KIND:
                return GROUP_OF_KIND[kind]
            current = parent_id
        return UnitGroup.OTHERS

    members: dict[UnitGroup, list[overview.Row]] = {group: [] for group in UnitGroup}
    for row in units:
        members[group_of(row.key)].append(row)
    return [GroupRows(group, rows, overview.totals(rows)) for group, rows in members.items()]


def scope_label(user: Any) -> str:
    """Whose tasks the figures cover, in words (the same scope as `overview.tasks_in_scope`)."""
    if user.is_province_wide or user.role == Role.COUNCIL:
        return _("Toàn tỉnh")
    if user.role == Role.VICE_CHAIRMAN:
        return _("Các đơn vị do %(name)s phụ trách") % {"name": user.get_full_name()}
    if user.unit_id:
        return str(user.unit)
    return "—"


def export_filename(start: dt.date | None, end: dt.date | None) -> str:
    """`bao-cao-theo-doi_2026-01-15_2026-02-14.xlsx`; an open end says so (`tu-dau`, `den-nay`)."""
    first = start.isoformat() if start else "tu-dau"
    last = end.isoformat() if end else "den-nay"
    return f"bao-cao-theo-doi_{first}_{last}.xlsx"


def export_overview(
    user: Any, tasks: QuerySet[Task], *, start: dt.date | None, end: dt.date | None, today: dt.date
) -> ExportFile:
    """The workbook of `tasks` (already narrowed to `user`'s scope and the range), as a download.

    A fixed number of queries whatever the number of tasks: the per-unit aggregate, the areas of charge, the
    unit tree, one page of slow tasks (and their count when the page is full).
    """
    units = overview.by_unit(tasks, today)
    vice_chairmen, sectors = overview.regroup(units)
    groups = unit_groups(units)
    slow = list(overview.slow_and_missed(tasks, today)[: SLOW_LIMIT + 1])
    slow_total = overview.slow_and_missed(tasks, today).count() if len(slow) > SLOW_LIMIT else len(slow)
    slow = slow[:SLOW_LIMIT]

    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_name(_("Tổng hợp"))
    _summary(
        summary,
        scope=scope_label(user),
        start=start,
        end=end,
        today=today,
        total=overview.totals(units),
        groups=groups,
        vice_chairmen=vice_chairmen,
        sectors=sectors,
        slow_shown=len(slow),
        slow_total=slow_total,
    )
    for group in groups:
        _group_sheet(workbook.create_sheet(_sheet_name(group.group.label)), group)
    _slow_sheet(workbook.create_sheet(_sheet_name(_("Nhiệm vụ chậm, quá hạn"))), slow, slow_total)

    _as_text_only(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return ExportFile(export_filename(start, end), XLSX_CONTENT_TYPE, out.getvalue())


def _as_text_only(workbook: Workbook) -> None:
    """Text that people typed (titles, names, numbers of documents) stays text: openpyxl takes any string that
    begins with "=" for a formula, which Excel would run. The report writes no formula of its own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


# -- sheets ------------------------------------------------------------------------------------------------


def _sheet_name(label: str) -> str:
    return label.translate(SHEET_NAME_FORBIDDEN)[:SHEET_NAME_MAX]


def _tally_headers(first: str) -> list[str]:
    return [
        first,
        *(str(cell.label) for cell in Outcome),
        _("Tổng"),
        _("Tỷ lệ hoàn thành"),
        _("Tỷ lệ đúng hạn"),
    ]


def _rate(value: Any) -> float | None:
    """A rate in percent (Decimal, two places) as an Excel percentage: 60.00 -> 0.6, shown "60.00%"."""
    return None if value is None else float(value) / 100


def _write_header(sheet: Worksheet, row: int, titles: Iterable[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _write_tally(sheet: Worksheet, row: int, label: str, tally: Tally, *, bold: bool = False) -> None:
    values: list[Any] = [
        label,
        tally.done_on_time,
        tally.done_late,
        tally.open_in_time,
        tally.open_overdue,
        tally.total,
        _rate(tally.completion_rate),
        _rate(tally.on_time_rate),
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if column > 1:
            cell.number_format = RATE_FORMAT if column > 6 else COUNT_FORMAT
        if bold:
            cell.font = BOLD


def _tally_widths(sheet: Worksheet, first: int) -> None:
    for column, width in enumerate((first, 14, 14, 16, 16, 10, 14, 14), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _date_cell(sheet: Worksheet, row: int, column: int, value: dt.date | None) -> None:
    cell = sheet.cell(row=row, column=column, value=value if value is not None else "—")
    if value is not None:
        cell.number_format = DATE_FORMAT


def _summary(
    sheet: Worksheet,
    *,
    scope: str,
    start: dt.date | None,
    end: dt.date | None,
    today: dt.date,
    total: Tally,
    groups: list[GroupRows],
    vice_chairmen: list[overview.Row],
    sectors: list[overview.Row],
    slow_shown: int,
    slow_total: int,
) -> None:
    title = sheet.cell(row=1, column=1, value=_("Báo cáo theo dõi thực hiện nhiệm vụ"))
    title.font = Font(bold=True, size=14)
    if start or end:
        period = _("Nhiệm vụ giao từ %(s)s đến %(e)s") % {
            "s": f"{start:%d/%m/%Y}" if start else "…",
            "e": f"{end:%d/%m/%Y}" if end else "…",
        }
    else:
        period = _("Mọi nhiệm vụ")
    sheet.cell(
        row=2, column=1, value=f"{period}, " + _("tình trạng đến ngày %(d)s") % {"d": f"{today:%d/%m/%Y}"}
    )

    facts: list[tuple[str, Any]] = [
        (_("Phạm vi"), scope),
        (_("Giao từ ngày"), start),
        (_("Đến ngày"), end),
        (_("Ngày lập báo cáo"), today),
    ]
    row = 4
    for label, value in facts:
        sheet.cell(row=row, column=1, value=label).font = BOLD
        if isinstance(value, dt.date) or value is None:
            _date_cell(sheet, row, 2, value)
        else:
            sheet.cell(row=row, column=2, value=value)
        row += 1

    row += 1
    sheet.cell(row=row, column=1, value=_("Toàn bộ phạm vi")).font = Font(bold=True, size=12)
    _write_header(sheet, row + 1, _tally_headers(_("Phạm vi")))
    _write_tally(sheet, row + 2, scope, total, bold=True)
    row += 4

    sections: list[tuple[str, str, list[tuple[str, Tally]]]] = [
        (_("Theo nhóm đơn vị"), _("Nhóm đơn vị"), [(g.group.label, g.total) for g in groups]),
        (_("Theo Phó Chủ tịch phụ trách"), _("Phó Chủ tịch"), [(r.label, r.tally) for r in vice_chairmen]),
        (_("Theo lĩnh vực"), _("Lĩnh vực"), [(r.label, r.tally) for r in sectors]),
    ]
    for heading, first, rows in sections:
        sheet.cell(row=row, column=1, value=heading).font = Font(bold=True, size=12)
        _write_header(sheet, row + 1, _tally_headers(first))
        row += 2
        if not rows:
            sheet.cell(row=row, column=1, value=_("Không có nhiệm vụ nào trong phạm vi này."))
            row += 1
        for label, tally in rows:
            _write_tally(sheet, row, label, tally)
            row += 1
        row += 1

    notes = [
        _(
            "Tỷ lệ hoàn thành = đã hoàn thành ÷ (đã hoàn thành + chưa hoàn thành quá hạn), như báo cáo của Văn phòng Chính phủ."
        ),
        _("Tỷ lệ đúng hạn = hoàn thành đúng hạn ÷ (đã hoàn thành + chưa hoàn thành quá hạn)."),
        _("Ô tỷ lệ để trống: chưa có nhiệm vụ nào đến hạn."),
        _(
            "Một đơn vị có thể thuộc lĩnh vực của nhiều Phó Chủ tịch, nên các bảng theo Phó Chủ tịch và theo lĩnh vực không cộng thành tổng."
        ),
    ]
    if slow_shown < slow_total:
        notes.append(
            _(
                "Trang «Nhiệm vụ chậm, quá hạn» chỉ liệt kê %(shown)d trong %(total)d nhiệm vụ (thời hạn sớm nhất trước)."
            )
            % {"shown": slow_shown, "total": slow_total}
        )
    for note in notes:
        sheet.cell(row=row, column=1, value=note)
        row += 1

    _tally_widths(sheet, first=44)


def _group_sheet(sheet: Worksheet, group: GroupRows) -> None:
    _write_header(sheet, 1, _tally_headers(_("Đơn vị chủ trì")))
    row = 2
    if not group.rows:
        sheet.cell(row=row, column=1, value=_("Không có nhiệm vụ nào trong phạm vi này."))
        row += 1
    for unit in group.rows:
        _write_tally(sheet, row, unit.label, unit.tally)
        row += 1
    _write_tally(sheet, row, _("Cộng"), group.total, bold=True)
    sheet.freeze_panes = "A2"
    _tally_widths(sheet, first=56)


def _slow_sheet(sheet: Worksheet, tasks: list[Task], total: int) -> None:
    widths = {
        _("Nhiệm vụ"): 60,
        _("Đơn vị chủ trì"): 36,
        _("Số, ký hiệu văn bản"): 20,
        _("Thời hạn"): 13,
        _("Thời hạn ban đầu"): 16,
        _("Tiến độ"): 10,
        _("Đánh giá tiến độ"): 18,
    }
    _write_header(sheet, 1, widths)
    for column, width in enumerate(widths.values(), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    row = 2
    for task in tasks:
        extended = task.original_deadline is not None and task.original_deadline != task.deadline
        sheet.cell(row=row, column=1, value=task.title).alignment = WRAP
        sheet.cell(row=row, column=2, value=task.lead_unit.name).alignment = WRAP
        sheet.cell(
            row=row, column=3, value=task.directive.number if task.directive else task.get_source_display()
        )
        _date_or_blank(sheet, row, 4, task.deadline)
        _date_or_blank(sheet, row, 5, task.original_deadline if extended else None)
        sheet.cell(row=row, column=6, value=task.percent / 100).number_format = PERCENT_FORMAT
        sheet.cell(row=row, column=7, value=task.get_delivery_display() if task.delivery else None)
        row += 1
    if not tasks:
        sheet.cell(row=row, column=1, value=_("Không có nhiệm vụ chậm hoặc quá hạn."))
    elif len(tasks) < total:
        note = sheet.cell(
            row=row + 1,
            column=1,
            value=_(
                "Chỉ liệt kê %(shown)d trong %(total)d nhiệm vụ chậm, quá hạn (thời hạn sớm nhất trước); "
                "xem đầy đủ trên trang Tổng quan."
            )
            % {"shown": len(tasks), "total": total},
        )
        note.font = BOLD
    if tasks:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{len(tasks) + 1}"


def _date_or_blank(sheet: Worksheet, row: int, column: int, value: dt.date | None) -> None:
    if value is not None:
        sheet.cell(row=row, column=column, value=value).number_format = DATE_FORMAT
