"""Exports of an assessment round (issue 4, item 8): the classification table to Excel and to Word in the official
format of Decree 30/2020 (domain-vn.md §8), and one head's score sheet to PDF.

One table feeds both the workbook and the document (`classification_table`):

- before sign-off it is the preview: `domain.rounds.preview`, the same classification the preview page shows and
  the Chairman would sign, titled "Dự kiến";
- after sign-off it is the result: the level by score, the level and the reasons *stored on each sheet* by the
  sign-off, so an appeal's decision (which writes the sheet's level and appends its reason) shows.

Groups are the preview's: the agency that rates the head and the group of similar tasks (`rounds.group_of`), in
the same order; within a group, before sign-off the preview's order (the quota's tie-break), after it by score.
A fixed number of queries whatever the number of sheets.

The score sheet's PDF is its page on paper: the explained breakdown (`rounds.score_of(...).explain()`, whose
points add up to the total), the history of changes with their reasons, the levels and their reasons, and the
signature blocks; rendered from `assessment/pdf/sheet.html` by WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trongtam.assessment.domain import round_settings, rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.appeals import APPEAL_REASON
from trongtam.assessment.domain.classification import (
    ClassificationSettings,
    Group,
    ReasonKind,
    quota_limit,
)
from trongtam.assessment.enums import CriterionKind, Level, RoundStatus, SheetStatus
from trongtam.assessment.models import Round, ScoreChange, ScoreSheet
from trongtam.core.errors import RuleViolations
from trongtam.core.interfaces import official_docx as od
from trongtam.core.numbers import plain_number
from trongtam.core.search import fold
from trongtam.org.domain.queries import vice_chairmen_in_charge_of
from trongtam.org.enums import Role, UnitKind
from trongtam.org.interfaces.forms import XLSX_CONTENT_TYPE
from trongtam.org.models import Unit

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = od.DOCX_CONTENT_TYPE
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
SCORE_FORMAT = "0.00"
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
SHEET_NAME_MAX = 31
# The preview page's headings of the task groups (views_rounds.TASK_GROUP_LABELS), and short names for sheets.
TASK_GROUPS = {
    rounds.GROUP_DEPARTMENTS: (
        gettext_lazy("Người đứng đầu sở, ban, ngành và tương đương"),
        gettext_lazy("Sở, ban, ngành"),
    ),
    rounds.GROUP_COMMUNES: (
        gettext_lazy("Chủ tịch UBND xã, phường, đặc khu"),
        gettext_lazy("Xã, phường, đặc khu"),
    ),
}
REASON_KINDS = {**dict(ReasonKind.choices), APPEAL_REASON: gettext_lazy("Giải quyết kiến nghị")}
RECIPIENTS = (
    gettext_lazy("- Thường trực Tỉnh ủy (để b/c);"),
    gettext_lazy("- Thường trực HĐND tỉnh;"),
    gettext_lazy("- Chủ tịch, các PCT UBND tỉnh;"),
    gettext_lazy("- Sở Nội vụ;"),
    gettext_lazy("- Các cơ quan, đơn vị có tên trong danh sách;"),
    gettext_lazy("- Lưu: VT."),
)


@dataclass(frozen=True)
class ExportFile:
    """A download: an ASCII file name (no diacritics), the name as people read it, the type and the bytes."""

    filename: str
    display_name: str
    content_type: str
    content: bytes


def ascii_name(text: str) -> str:
    """ "Đánh giá năm 2026" → "danh-gia-nam-2026": no diacritics (đ → d), safe in any file system."""
    return slugify(fold(text)) or "tep"


# -- the classification table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    number: int  # STT within the group
    sheet: ScoreSheet
    score: Decimal | None
    level_by_score: str  # labels; "" when the sheet has none
    level: str
    reasons: list[str]  # "kind: message", in the order they were applied
    changed: bool

    @property
    def unit(self) -> str:
        return self.sheet.unit.name

    @property
    def head(self) -> str:
        return self.sheet.person.get_full_name()

    @property
    def title(self) -> str:
        return self.sheet.person.title


@dataclass(frozen=True)
class TableGroup:
    group: Group
    heading: str  # "<agency> — <task group>", as the preview page heads it
    short: str  # a sheet's name
    rows: list[TableRow]
    counts: list[tuple[str, int, int]]  # (level label, by score, given), best level first
    quota_limit: int
    demoted: int
    held_by_hard_rules: int
    overridden: int
    appealed: int
    subject_to_quota: int | None = None  # preview only: the classification's n and k
    kept: int | None = None


@dataclass(frozen=True)
class ClassificationTable:
    round: Round
    signed: bool
    groups: list[TableGroup]
    totals: list[tuple[str, int, int]]  # the whole round: (level label, by score, given)
    tie_break: str
    notes: tuple[str, ...]
    province: Unit | None
    quota_share: Decimal
    problems: list[str] = field(default_factory=list)  # why the preview could not classify

    @property
    def size(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def title(self) -> str:
        if self.signed:
            return _("Kết quả xếp loại chất lượng người đứng đầu")
        return _("Dự kiến kết quả xếp loại chất lượng người đứng đầu")


def reason_text(kind: str, message: str) -> str:
    """A reason as the preview shows it, its kind then its message ("Quy tắc bắt buộc: …"); the kind is left out
    when the message already begins with it (the quota's messages do)."""
    label = str(REASON_KINDS.get(kind, kind))
    return message if not label or message.startswith(label) else f"{label}: {message}"


def _label(code: str) -> str:
    return str(Level(code).label) if code in Level.values else ""


def _province() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("pk").first()


def _group_heading(group: Group, agencies: dict[int, str]) -> tuple[str, str]:
    long, short = TASK_GROUPS.get(group.task_group, (group.task_group, group.task_group))
    return f"{agencies.get(group.agency, group.agency)} — {long}", str(short)


def _counts(by_score: dict[Level, int], given: dict[Level, int]) -> list[tuple[str, int, int]]:
    return [(str(level.label), by_score.get(level, 0), given.get(level, 0)) for level in Level]


def classification_table(rnd: Round) -> ClassificationTable:
    """The table of `rnd` (its rubric and signer read): the preview before sign-off, the stored result after.

    Queries: the sheets with their units and people, the agencies' names, the province; before sign-off also
    the preview's own (the sheets and their criterion rows).
    """
    signed = rnd.status == RoundStatus.SIGNED
    sheets = list(rnd.sheets.select_related("unit", "person").order_by("unit__name", "pk"))
    settings = round_settings.settings_of(rnd)  # the round's own thresholds, quota and rounding
    tie_break = ""
    notes: tuple[str, ...] = ()
    problems: list[str] = []
    if signed:
        groups = _signed_groups(sheets, settings)
    else:
        groups, tie_break, notes, problems = _preview_groups(rnd, sheets)
    agencies = dict(Unit.objects.filter(pk__in={g.group.agency for g in groups}).values_list("pk", "name"))
    named = []
    for g in groups:
        heading, short = _group_heading(g.group, agencies)
        named.append(replace(g, heading=heading, short=short))
    totals: dict[str, list[int]] = {str(level.label): [0, 0] for level in Level}
    for g in named:
        for label, by_score, given in g.counts:
            totals[label][0] += by_score
            totals[label][1] += given
    return ClassificationTable(
        round=rnd,
        signed=signed,
        groups=named,
        totals=[(label, pair[0], pair[1]) for label, pair in totals.items()],
        tie_break=tie_break,
        notes=notes,
        province=_province(),
        quota_share=settings.quota_share,
        problems=problems,
    )


def _preview_groups(
    rnd: Round, sheets: Sequence[ScoreSheet]
) -> tuple[list[TableGroup], str, tuple[str, ...], list[str]]:
    try:
        result = rounds.preview(rnd)
    except RuleViolations as exc:
        return [], "", (), [p.message for p in exc.problems]
    by_person = {s.person_id: s for s in sheets}
    rows: dict[Group, list[TableRow]] = {}
    for r in result.results:
        members = rows.setdefault(r.group, [])
        members.append(
            TableRow(
                number=len(members) + 1,
                sheet=by_person[r.person_id],
                score=r.score,
                level_by_score=str(r.level_by_score.label),
                level=str(r.level.label),
                reasons=[reason_text(x.kind, x.message) for x in r.reasons],
                changed=r.changed,
            )
        )
    groups = [
        TableGroup(
            group=g.group,
            heading="",
            short="",
            rows=rows.get(g.group, []),
            counts=_counts(dict(g.counts_by_score), dict(g.counts)),
            quota_limit=g.quota_limit,
            demoted=g.demoted,
            held_by_hard_rules=g.held_by_hard_rules,
            overridden=g.overridden,
            appealed=0,
            subject_to_quota=g.subject_to_quota,
            kept=g.kept,
        )
        for g in result.groups
    ]
    return groups, result.tie_break, result.notes, []


def _changed_by(sheet: ScoreSheet, kind: str) -> bool:
    return any(r.get("kind") == kind and r.get("before") != r.get("after") for r in sheet.level_reasons)


def _signed_groups(sheets: Sequence[ScoreSheet], settings: ClassificationSettings) -> list[TableGroup]:
    """The stored outcome per group: levels and reasons as signed, with every appeal's decision applied."""
    members: dict[Group, list[ScoreSheet]] = {}
    for sheet in sheets:
        members.setdefault(rounds.group_of(sheet.unit), []).append(sheet)
    groups = []
    for group in sorted(members):
        ordered = sorted(members[group], key=lambda s: (-(s.total or 0), s.unit.name, s.pk))
        by_score = {level: sum(1 for s in ordered if s.level_by_score == level) for level in Level}
        given = {level: sum(1 for s in ordered if s.level == level) for level in Level}
        rows = [
            TableRow(
                number=n,
                sheet=s,
                score=s.total,
                level_by_score=_label(s.level_by_score),
                level=_label(s.level),
                reasons=[reason_text(r.get("kind", ""), r.get("message", "")) for r in s.level_reasons],
                changed=s.level != s.level_by_score,
            )
            for n, s in enumerate(ordered, start=1)
        ]
        groups.append(
            TableGroup(
                group=group,
                heading="",
                short="",
                rows=rows,
                counts=_counts(by_score, given),
                quota_limit=quota_limit(
                    given[Level.GOOD], share=settings.quota_share, rounding=settings.quota_rounding
                ),
                demoted=sum(1 for s in ordered if _changed_by(s, ReasonKind.QUOTA)),
                held_by_hard_rules=sum(1 for s in ordered if _changed_by(s, ReasonKind.HARD_RULE)),
                overridden=sum(
                    1 for s in ordered if any(r.get("kind") == ReasonKind.OVERRIDE for r in s.level_reasons)
                ),
                appealed=sum(1 for s in ordered if _changed_by(s, APPEAL_REASON)),
            )
        )
    return groups


def _score_text(score: Decimal | None) -> str:
    return plain_number(score) if score is not None else "—"


def _file_stem(table: ClassificationTable) -> tuple[str, str]:
    """("ket-qua-xep-loai_danh-gia-nam-2026", "Kết quả xếp loại - Đánh giá năm 2026"); "du-kien-…" before."""
    rnd = table.round
    if table.signed:
        return f"ket-qua-xep-loai_{ascii_name(rnd.name)}", _("Kết quả xếp loại - %(round)s") % {
            "round": rnd.name
        }
    return f"du-kien-xep-loai_{ascii_name(rnd.name)}", _("Dự kiến xếp loại - %(round)s") % {"round": rnd.name}


def _status_line(table: ClassificationTable) -> str:
    rnd = table.round
    if table.signed and rnd.signed_at is not None:
        return _("Chủ tịch %(name)s phê duyệt ngày %(date)s; đã cập nhật kết quả giải quyết kiến nghị.") % {
            "name": rnd.signed_by.get_full_name() if rnd.signed_by else "",
            "date": date_format(rnd.signed_at, "d/m/Y"),
        }
    return _("Dự kiến: chưa được Chủ tịch phê duyệt, kết quả có thể còn thay đổi.")


# -- Excel ----------------------------------------------------------------------------------------------------


def _sheet_name(label: str, taken: set[str]) -> str:
    base = label.translate(SHEET_NAME_FORBIDDEN)[:SHEET_NAME_MAX]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _header(sheet: Worksheet, row: int, titles: Iterable[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _as_text_only(workbook: Workbook) -> None:
    """Names and reasons people typed stay text: openpyxl takes a string beginning with "=" for a formula, which
    Excel would run. The workbook writes no formula of its own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def export_xlsx(table: ClassificationTable) -> ExportFile:
    """The workbook: "Tổng hợp" (the round, the totals per level, each group's counts and quota, the notes),
    then one sheet per group with every head: STT, unit, head, title, score, the two levels and the reasons."""
    workbook = Workbook()
    summary = workbook.active
    taken: set[str] = set()
    summary.title = _sheet_name(_("Tổng hợp"), taken)
    _summary_sheet(summary, table)
    for group in table.groups:
        _group_sheet(workbook.create_sheet(_sheet_name(group.short, taken)), group)
    _as_text_only(workbook)
    out = io.BytesIO()
    workbook.save(out)
    stem, display = _file_stem(table)
    return ExportFile(f"{stem}.xlsx", f"{display}.xlsx", XLSX_CONTENT_TYPE, out.getvalue())


def _summary_sheet(sheet: Worksheet, table: ClassificationTable) -> None:
    rnd = table.round
    sheet.cell(row=1, column=1, value=f"{table.title}: {rnd.name}").font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=_status_line(table))
    facts: list[tuple[str, Any]] = [
        (_("Đợt đánh giá"), rnd.name),
        (_("Kỳ"), rnd.period.year),
        (_("Bộ tiêu chí"), str(rnd.rubric)),
        (_("Ngày chốt số liệu"), rnd.cut_off),
        (_("Trạng thái"), rnd.get_status_display()),
        (_("Số người được đánh giá"), table.size),
    ]
    row = 4
    for label, value in facts:
        sheet.cell(row=row, column=1, value=label).font = BOLD
        cell = sheet.cell(row=row, column=2, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
        row += 1
    for problem in table.problems:
        sheet.cell(row=row, column=1, value=problem).font = BOLD
        row += 1

    row += 1
    sheet.cell(row=row, column=1, value=_("Số người theo mức, toàn đợt")).font = Font(bold=True, size=12)
    _header(sheet, row + 1, [_("Mức"), _("Theo điểm"), _("Mức xếp loại")])
    row += 2
    for label, by_score, given in table.totals:
        sheet.cell(row=row, column=1, value=label)
        sheet.cell(row=row, column=2, value=by_score)
        sheet.cell(row=row, column=3, value=given)
        row += 1
    for column, value in enumerate((_("Cộng"), table.size, table.size), start=1):
        sheet.cell(row=row, column=column, value=value).font = BOLD
    row += 2

    sheet.cell(row=row, column=1, value=_("Theo nhóm")).font = Font(bold=True, size=12)
    levels = [str(level.label) for level in Level]
    titles = [
        _("Nhóm"),
        _("Số người"),
        *levels,
        *(_("%(level)s (theo điểm)") % {"level": label} for label in levels),
        _("Giới hạn hoàn thành xuất sắc theo tỷ lệ"),
        _("Hạ do tỷ lệ"),
        _("Bị giới hạn bởi quy tắc bắt buộc"),
        _("Ngoại lệ"),
    ]
    if table.signed:
        titles.append(_("Thay đổi do giải quyết kiến nghị"))
    else:
        titles += [_("Đạt hoàn thành xuất sắc sau quy tắc bắt buộc"), _("Được giữ hoàn thành xuất sắc")]
    _header(sheet, row + 1, titles)
    row += 2
    for group in table.groups:
        values: list[Any] = [
            group.heading,
            len(group.rows),
            *(given for _label, _by, given in group.counts),
            *(by for _label, by, _given in group.counts),
            group.quota_limit,
            group.demoted,
            group.held_by_hard_rules,
            group.overridden,
        ]
        values += [group.appealed] if table.signed else [group.subject_to_quota, group.kept]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        sheet.cell(row=row, column=1).alignment = WRAP
        row += 1
    if not table.groups:
        sheet.cell(row=row, column=1, value=_("Đợt đánh giá chưa có phiếu nào."))
        row += 1

    row += 1
    notes = [table.tie_break, *table.notes] if not table.signed else []
    notes.append(
        _(
            "Giới hạn theo tỷ lệ: số người hoàn thành xuất sắc không quá %(share)s số người hoàn thành tốt, trong mỗi nhóm."
        )
        % {"share": plain_number(table.quota_share * 100) + "%"}
    )
    for note in notes:
        sheet.cell(row=row, column=1, value=note)
        row += 1
    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(titles) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16


ROW_TITLES = (
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Đơn vị"), 34),
    (gettext_lazy("Người đứng đầu"), 24),
    (gettext_lazy("Chức danh"), 28),
    (gettext_lazy("Tổng điểm"), 10),
    (gettext_lazy("Mức theo điểm"), 20),
    (gettext_lazy("Mức xếp loại"), 20),
    (gettext_lazy("Lý do điều chỉnh mức"), 80),
)


def _group_sheet(sheet: Worksheet, group: TableGroup) -> None:
    sheet.cell(row=1, column=1, value=group.heading).font = Font(bold=True, size=12)
    _header(sheet, 2, [str(title) for title, _width in ROW_TITLES])
    for column, (_title, width) in enumerate(ROW_TITLES, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    row = 3
    for item in group.rows:
        values: list[Any] = [
            item.number,
            item.unit,
            item.head,
            item.title,
            item.score,
            item.level_by_score,
            item.level,
            "\n".join(item.reasons),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = WRAP
            if column == 5 and value is not None:
                cell.number_format = SCORE_FORMAT
        if item.changed:
            sheet.cell(row=row, column=7).font = BOLD
        row += 1
    if group.rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(ROW_TITLES))}{row - 1}"
    row += 1
    _header(sheet, row, [_("Mức"), _("Theo điểm"), _("Mức xếp loại")])
    row += 1
    for label, by_score, given in group.counts:
        sheet.cell(row=row, column=1, value=label)
        sheet.cell(row=row, column=2, value=by_score)
        sheet.cell(row=row, column=3, value=given)
        row += 1
    for column, value in enumerate((_("Cộng"), len(group.rows), len(group.rows)), start=1):
        sheet.cell(row=row, column=column, value=value).font = BOLD


# -- Word (Decree 30) -----------------------------------------------------------------------------------------


def signer_position(signer: Any) -> list[str]:
    """The signer's position lines: the Chairman signs as "CHỦ TỊCH"; a Vice-Chairman on his behalf as
    "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Decree 30, box 7a)."""
    if signer is not None and signer.role == Role.VICE_CHAIRMAN:
        return [_("KT. CHỦ TỊCH"), _("PHÓ CHỦ TỊCH")]
    return [_("CHỦ TỊCH")]


def docx_summary(table: ClassificationTable) -> str:
    """Box 5a's summary: "Kết quả đánh giá, xếp loại … năm 2026", "Dự kiến kết quả …" before sign-off."""
    values = {"year": table.round.period.year}
    if table.signed:
        return _("Kết quả đánh giá, xếp loại chất lượng người đứng đầu cơ quan, đơn vị năm %(year)s") % values
    return (
        _("Dự kiến kết quả đánh giá, xếp loại chất lượng người đứng đầu cơ quan, đơn vị năm %(year)s")
        % values
    )


def export_docx(table: ClassificationTable, *, today: dt.date) -> ExportFile:
    """The report "BÁO CÁO Kết quả đánh giá, xếp loại …" on A4 (Decree 30): boxes 1–5 and the content on a
    portrait page, the table of every group on landscape pages, totals per level, the signer and "Nơi nhận:"."""
    rnd = table.round
    province = table.province
    province_name = province.name if province is not None else _("UBND tỉnh")
    summary = docx_summary(table)
    document = od.new_document(title=summary, author=od.issuing_body(province_name))
    od.add_page_numbers(document)
    od.add_header_boxes(
        document,
        body=od.issuing_body(province_name),
        number=_("Số:") + od.NBSP * 12 + "/BC-UBND",
        place_and_date=od.official_date(od.place_name(province_name), today),
    )
    od.add_title(document, _("Báo cáo"), summary)

    values = {
        "round": rnd.name,
        "rubric": str(rnd.rubric),
        "cut_off": date_format(rnd.cut_off, "d/m/Y"),
        "count": table.size,
    }
    od.add_paragraph(
        document,
        _(
            "Thực hiện đợt đánh giá «%(round)s» theo bộ tiêu chí «%(rubric)s», với số liệu đến ngày "
            "%(cut_off)s, %(count)s người đứng đầu đã được đánh giá, xếp loại chất lượng theo Nghị định "
            "số 335/2025/NĐ-CP: mức theo điểm, các quy tắc bắt buộc và tỷ lệ hoàn thành xuất sắc không quá "
            "%(share)s số người hoàn thành tốt trong mỗi nhóm."
        )
        % {**values, "share": plain_number(table.quota_share * 100) + "%"},
    )
    if table.signed and rnd.signed_at is not None:
        od.add_paragraph(
            document,
            _(
                "Kết quả dưới đây là kết quả đã được Chủ tịch phê duyệt ngày %(date)s, đã cập nhật kết quả giải "
                "quyết kiến nghị (nếu có)."
            )
            % {"date": date_format(rnd.signed_at, "d/m/Y")},
        )
    else:
        od.add_paragraph(
            document,
            _(
                "Kết quả dưới đây là kết quả dự kiến, chưa được Chủ tịch phê duyệt, có thể còn thay đổi sau "
                "khi thẩm định và phê duyệt."
            ),
        )
    for problem in table.problems:
        od.add_paragraph(document, problem, italic=True)
    od.add_paragraph(document, _("1. Tổng hợp số người theo mức xếp loại"), bold=True)
    od.add_table(
        document,
        [
            od.Column(_("Mức xếp loại"), 8.5),
            od.Column(_("Theo điểm"), 3.5, WD_ALIGN_PARAGRAPH.CENTER),
            od.Column(_("Mức được xếp"), 4.0, WD_ALIGN_PARAGRAPH.CENTER),
        ],
        [
            *((label, str(by_score), str(given)) for label, by_score, given in table.totals),
            (_("Cộng"), str(table.size), str(table.size)),
        ],
        size=13,
        bold_rows=[len(table.totals)],
    )

    od.landscape_section(document)
    od.add_paragraph(document, _("2. Kết quả xếp loại của từng người"), bold=True)
    columns = [
        od.Column(_("STT"), 1.2, WD_ALIGN_PARAGRAPH.CENTER),
        od.Column(_("Đơn vị"), 4.4),
        od.Column(_("Người đứng đầu"), 3.4),
        od.Column(_("Chức danh"), 3.4),
        od.Column(_("Tổng điểm"), 1.8, WD_ALIGN_PARAGRAPH.CENTER),
        od.Column(_("Mức theo điểm"), 2.6),
        od.Column(_("Mức xếp loại"), 2.6),
        od.Column(_("Lý do điều chỉnh mức"), 5.8),
    ]
    for group in table.groups:
        od.add_paragraph(document, group.heading, bold=True, indent=False)
        rows = [
            (
                str(item.number),
                item.unit,
                item.head,
                item.title,
                _score_text(item.score),
                item.level_by_score or "—",
                item.level or "—",
                "\n".join(item.reasons) or "—",
            )
            for item in group.rows
        ]
        od.add_table(document, columns, rows, size=11)
        counts = "; ".join(f"{label}: {given}" for label, _by, given in group.counts)
        od.add_paragraph(
            document,
            _("Cộng %(n)s người — %(counts)s. Giới hạn hoàn thành xuất sắc theo tỷ lệ: %(limit)s.")
            % {"n": len(group.rows), "counts": counts, "limit": group.quota_limit},
            size=12,
            italic=True,
            indent=False,
        )
    if not table.groups:
        od.add_paragraph(document, _("Đợt đánh giá chưa có phiếu nào."))
    od.add_paragraph(
        document,
        _("Ủy ban nhân dân tỉnh báo cáo kết quả đánh giá, xếp loại chất lượng người đứng đầu như trên."),
    )
    signer = rnd.signed_by if table.signed else None
    od.add_signature(
        document,
        position=signer_position(signer),
        name=signer.get_full_name() if signer is not None else "",
        recipients=[str(r) for r in RECIPIENTS],
        text_cm=od.LANDSCAPE_TEXT_CM,
    )
    stem, display = _file_stem(table)
    return ExportFile(f"{stem}.docx", f"{display}.docx", DOCX_CONTENT_TYPE, od.to_bytes(document))


# -- the score sheet's PDF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfLine:
    line: rb.ExplainLine
    kind: str
    metric: str
    comment: str
    is_adjustment: bool


def sheet_context(sheet: ScoreSheet, *, today: dt.date) -> dict[str, Any]:
    """What the PDF of `sheet` shows (its round, rubric, unit and person read). The breakdown is the sheet's
    explained lines, whose points add up to `total`; the history lists every change after self-assessment."""
    rows = {row.code: row for row in sheet.scores.all()}
    scored = rounds.score_of(sheet, rows.values())
    kinds = dict(CriterionKind.choices)
    lines = []
    for line in scored.explain():
        metric = rb.METRICS.get(line.metric) if line.metric else None
        row = rows.get(line.code)
        lines.append(
            PdfLine(
                line=line,
                kind=str(kinds.get(line.kind, _("Điều chỉnh"))),
                metric=str(metric.label) if metric is not None else line.metric,
                comment=row.comment if row is not None else "",
                is_adjustment=line.kind == rb.ADJUSTMENT,
            )
        )
    labels = {c.code: c.label for c, _above in rounds.rubric_of(sheet.round.rubric).walk()}
    changes = [
        (change, labels.get(change.score.code, change.score.code))
        for change in ScoreChange.objects.filter(score__sheet=sheet)
        .select_related("by", "score")
        .order_by("at", "pk")
    ]
    province = _province()
    province_name = province.name if province is not None else _("UBND tỉnh")
    signed = sheet.status == SheetStatus.SIGNED and bool(sheet.level)
    provisional = round_settings.settings_of(sheet.round).thresholds.level_for(scored.total)
    reviewer = vice_chairmen_in_charge_of(sheet.unit).first()
    return {
        "sheet": sheet,
        "round": sheet.round,
        "lines": lines,
        "total": scored.total,
        "lines_total": sum((p.line.points for p in lines), Decimal(0)),
        "missing": [labels.get(code, code) for code in scored.missing],
        "changes": changes,
        "signed": signed,
        "level_by_score": _label(sheet.level_by_score) if signed else str(provisional.label),
        "level": _label(sheet.level) if signed else "",
        "level_reasons": [reason_text(r.get("kind", ""), r.get("message", "")) for r in sheet.level_reasons]
        if signed
        else [],
        "managing_body": od.issuing_body(province_name),
        "body": sheet.unit.name.upper(),
        "place_and_date": od.official_date(od.place_name(province_name), today),
        "cut_off": date_format(sheet.round.cut_off, "d/m/Y"),
        "reviewer": reviewer.get_full_name() if reviewer is not None else "",
        "quoc_hieu": od.QUOC_HIEU,
        "tieu_ngu": od.TIEU_NGU,
    }


def sheet_html(sheet: ScoreSheet, *, today: dt.date) -> str:
    return render_to_string("assessment/pdf/sheet.html", sheet_context(sheet, today=today))


def export_sheet_pdf(sheet: ScoreSheet, *, today: dt.date) -> ExportFile:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy (Pango): loaded for a PDF only

    pdf = HTML(string=sheet_html(sheet, today=today)).write_pdf()
    person = sheet.person.get_full_name()
    filename = (
        f"phieu-danh-gia_{ascii_name(sheet.unit.name)}_{ascii_name(person)}_{sheet.round.period.year}.pdf"
    )
    display = _("Phiếu đánh giá - %(person)s - %(unit)s.pdf") % {"person": person, "unit": sheet.unit.name}
    return ExportFile(filename, display, PDF_CONTENT_TYPE, bytes(pdf))
