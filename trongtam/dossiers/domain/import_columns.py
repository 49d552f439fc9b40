"""The columns of an import file and how one row's cells become the values of a dossier or a procedure.

The provincial one-stop systems export their own column names (domain-vn.md §3.3: `MaHoSo`, `MaTTHC`,
`TrangThaiHoSoId`…); each of our fields knows those names and a few Vietnamese ones, compared without case,
diacritics, spaces or underscores, so "Mã hồ sơ", "MA_HO_SO" and "MaHoSo" are the same column. A person whose
file uses other names maps them on the upload form (`ImportJob.mapping`, our field -> their header), which wins
over the defaults. Codes map one to one: status 1–10 (`TrangThaiHoSoId`), channel 1–3 (`KenhThucHien`).

The checkers here are pure: a row's cells in, a dict of values out, or the row's problems (column named as in the
person's file); the catalog and the units they look codes up in are loaded once per file by `importing.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise

from trongtam.core.search import fold
from trongtam.dossiers.domain.deadlines import schedule
from trongtam.dossiers.domain.import_readers import MAX_CELL_CHARS, MAX_ROW_CHARS, cell_text
from trongtam.dossiers.enums import NOT_RECEIVED, ApplicantKind, Channel, DossierStatus, ProcedureLevel
from trongtam.workdays.domain.calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar

MEMO_SIZE = 8192
MIN_PHONE_DIGITS = 4  # the public lookup asks for the last four digits of the phone (issue #5, item 4)
# Ended dossiers are counted by the day they ended (domain-vn.md §3.4): without it they would count nowhere.
NEEDS_FINISHED_ON = frozenset({DossierStatus.DONE, DossierStatus.RETURNED})


@dataclass(frozen=True)
class Column:
    """One of our fields: the provincial system's header (shown in the guide), its Vietnamese name, the other
    headers recognised by default, and whether the file must have it."""

    field: str
    header: str
    label: StrPromise
    aliases: tuple[str, ...] = ()
    required: bool = False


DOSSIER_COLUMNS = (
    Column("code", "MaHoSo", gettext_lazy("Mã hồ sơ"), ("SoHoSo", "SoBienNhan"), required=True),
    Column(
        "procedure", "MaTTHC", gettext_lazy("Mã thủ tục"), ("MaThuTuc", "MaThuTucHanhChinh"), required=True
    ),
    Column("unit", "MaDonVi", gettext_lazy("Mã đơn vị"), ("MaCoQuan", "DonVi", "MaDonViXuLy"), required=True),
    Column("channel", "KenhThucHien", gettext_lazy("Kênh nộp"), ("KenhNop",), required=True),
    Column(
        "status", "TrangThaiHoSoId", gettext_lazy("Trạng thái"), ("TrangThaiHoSo", "TrangThai"), required=True
    ),
    Column("applicant_name", "ChuHoSo", gettext_lazy("Chủ hồ sơ"), ("TenChuHoSo",), required=True),
    Column(
        "applicant_phone",
        "SoDienThoai",
        gettext_lazy("Điện thoại"),
        ("SoDienThoaiChuHoSo", "DienThoai"),
        required=True,
    ),
    Column("applicant_address", "DiaChi", gettext_lazy("Địa chỉ"), ("DiaChiChuHoSo",)),
    Column("applicant_email", "Email", gettext_lazy("Thư điện tử"), ("EmailChuHoSo", "ThuDienTu")),
    Column("applicant_kind", "LoaiChuHoSo", gettext_lazy("Loại chủ hồ sơ"), ("DoiTuongNop",)),
    Column("submitted_at", "NgayNopHoSo", gettext_lazy("Ngày nộp"), ("NgayNop",)),
    Column("received_at", "NgayTiepNhan", gettext_lazy("Ngày tiếp nhận")),
    Column("supplement_requested_on", "NgayYeuCauBoSung", gettext_lazy("Ngày yêu cầu bổ sung")),
    Column("supplement_received_on", "NgayCongDanBoSung", gettext_lazy("Ngày công dân bổ sung")),
    Column("finished_on", "NgayKetThucXuLy", gettext_lazy("Ngày kết thúc xử lý"), ("NgayKetThuc",)),
    Column("returned_on", "NgayTra", gettext_lazy("Ngày trả kết quả"), ("NgayTraKetQua",)),
    Column("refusal_reason", "LyDoTuChoi", gettext_lazy("Lý do từ chối, dừng xử lý"), ("LyDo",)),
)

PROCEDURE_COLUMNS = (
    Column("code", "MaTTHC", gettext_lazy("Mã thủ tục"), ("MaThuTuc",), required=True),
    Column("name", "TenTTHC", gettext_lazy("Tên thủ tục"), ("TenThuTuc",), required=True),
    Column("field", "LinhVuc", gettext_lazy("Lĩnh vực"), ("TenLinhVuc",), required=True),
    Column("level", "CapThucHien", gettext_lazy("Cấp thực hiện"), ("Cap",), required=True),
    Column(
        "processing_days",
        "ThoiHanGiaiQuyet",
        gettext_lazy("Thời hạn giải quyết (ngày làm việc)"),
        ("SoNgayGiaiQuyet", "ThoiGianGiaiQuyet", "SoNgayLamViec"),
        required=True,
    ),
    Column("is_active", "DangApDung", gettext_lazy("Đang áp dụng"), ("ApDung",)),
)


def header_key(header: str) -> str:
    """A header as compared: no case, diacritics, spaces, underscores, dashes or dots."""
    return re.sub(r"[\s_.\-]+", "", fold(header))


@dataclass(frozen=True)
class Layout:
    """Where each of our fields is in the file: field -> (column index, the file's header)."""

    positions: Mapping[str, tuple[int, str]]


class Problems:
    """The problems of a file: every one counted, the first `limit` kept (row, column, message)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.shown: list[dict[str, Any]] = []

    def add(self, row: int | None, column: str, message: str) -> None:
        self.total += 1
        if len(self.shown) < self.limit:
            self.shown.append({"row": row, "column": column, "message": message})


def resolve_layout(
    headers: Sequence[str],
    columns: Sequence[Column],
    mapping: Mapping[str, str],
    problems: Problems,
    *,
    optional_fields: frozenset[str] = frozenset(),
) -> Layout | None:
    """Match the file's headers to our fields: the person's mapping first, then the default names. Reports a
    missing required column, a header that two fields claim, a mapped header the file does not have; returns
    None when the rows cannot be read against these headers."""
    by_key: dict[str, int] = {}
    for position, header in enumerate(headers):
        if not header:
            continue
        key = header_key(header)
        if key in by_key:
            problems.add(1, header, _("Cột «%(column)s» có hai lần trong dòng tiêu đề.") % {"column": header})
            continue
        by_key[key] = position
    positions: dict[str, tuple[int, str]] = {}
    taken: dict[int, Column] = {}
    failed = False
    for column in columns:
        index: int | None
        chosen = (mapping.get(column.field) or "").strip()
        if chosen:
            index = by_key.get(header_key(chosen))
            if index is None:
                problems.add(
                    1,
                    chosen,
                    _("Tệp không có cột «%(header)s» (được chọn cho «%(field)s» trong ánh xạ cột).")
                    % {"header": chosen, "field": column.label},
                )
                failed = True
                continue
        else:
            names = (column.header, str(column.label), *column.aliases)
            index = next((by_key[k] for k in map(header_key, names) if k in by_key), None)
            if index is not None and index in taken and not mapping.get(taken[index].field):
                index = None  # claimed by a default name of an earlier field: not two fields from one cell
        if index is None:
            if column.required and column.field not in optional_fields:
                known = {header_key(n) for c in columns for n in (c.header, str(c.label), *c.aliases)}
                known |= {header_key(h) for h in mapping.values() if h}
                unknown = [h for h in headers if h and header_key(h) not in known]
                message = _("Thiếu cột bắt buộc «%(header)s» (%(label)s) ở dòng tiêu đề.") % {
                    "header": column.header,
                    "label": column.label,
                }
                if unknown:
                    message += " " + _(
                        "Các cột không nhận ra: %(unknown)s. Hãy đổi tên cột, hoặc chọn cột tương ứng trong "
                        "phần «Ánh xạ cột» khi tải lên."
                    ) % {"unknown": ", ".join(f"«{h}»" for h in unknown[:12])}
                problems.add(1, column.header, message)
                failed = True
            continue
        if index in taken:
            problems.add(
                1,
                headers[index],
                _("Cột «%(header)s» được chọn cho cả «%(a)s» và «%(b)s».")
                % {"header": headers[index], "a": taken[index].label, "b": column.label},
            )
            failed = True
            continue
        taken[index] = column
        positions[column.field] = (index, headers[index])
    return None if failed else Layout(positions)


# -- cells --------------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?")


class BadCell(ValueError):
    """A cell that cannot be read; the message says why, in Vietnamese."""


def _bad_date(text: str) -> BadCell:
    return BadCell(
        _(
            "«%(value)s» không phải ngày giờ hợp lệ. Dùng dạng dd/mm/yyyy, dd/mm/yyyy HH:MM[:SS] hoặc "
            "yyyy-mm-dd[THH:MM:SS]."
        )
        % {"value": text[:60]}
    )


def parse_moment(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """A moment from a cell: dd/mm/yyyy [HH:MM[:SS]], ISO 8601, or an Excel date; in `tz` (the province's time)
    when no zone is given. None for an empty cell; BadCell otherwise."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001 -- made aware below
    else:
        text = cell_text(value)
        if not text:
            return None
        match = _DMY.fullmatch(text)
        try:
            if match:
                day, month, year, hour, minute, second = match.groups()
                moment = dt.datetime(  # noqa: DTZ001 -- made aware below
                    int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
                )
            elif len(text) >= 8 and text[:4].isdigit() and text[4] == "-":
                moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
            else:
                raise _bad_date(text)
        except ValueError as exc:
            raise _bad_date(text) from exc
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadCell(
            _("Năm %(year)d nằm ngoài khoảng %(first)d–%(last)d.")
            % {"year": moment.year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment


def parse_day(value: Any, tz: dt.tzinfo) -> dt.date | None:
    """A date from a cell (a time, if given, is dropped: the reports compare dates)."""
    moment = parse_moment(value, tz)
    if moment is None:
        return None
    return moment.date() if moment.tzinfo is tz else moment.astimezone(tz).date()


def parse_code(value: Any, low: int, high: int) -> int | None:
    """A whole number in [low, high] ("4", "04", 4.0 from Excel); None for an empty cell."""
    if isinstance(value, bool):
        raise BadCell("")
    if isinstance(value, int | float):
        if float(value).is_integer() and low <= value <= high:
            return int(value)
        raise BadCell("")
    text = cell_text(value)
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    raise BadCell("")


def _choice_lookup(choices: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[fold(str(value))] = value
        found[fold(str(label))] = value
    return found


_APPLICANT_KINDS = {
    **{
        "cong dan": ApplicantKind.CITIZEN,
        "ca nhan": ApplicantKind.CITIZEN,
        "doanh nghiep": ApplicantKind.BUSINESS,
        "to chuc": ApplicantKind.ORGANIZATION,
        "to chuc nha nuoc": ApplicantKind.ORGANIZATION,
    },
}
_YES = frozenset({"co", "x", "1", "true", "yes", "dang ap dung"})
_NO = frozenset({"khong", "0", "false", "no", "ngung ap dung"})
_LEVELS = {
    "tinh": ProcedureLevel.PROVINCE,
    "cap tinh": ProcedureLevel.PROVINCE,
    "xa": ProcedureLevel.COMMUNE,
    "cap xa": ProcedureLevel.COMMUNE,
    "trung uong": ProcedureLevel.CENTRAL,
}


# -- rows ---------------------------------------------------------------------------------------------------


class RowChecker:
    """Reads one row's cells against the layout; `problem()` collects what is wrong with the row."""

    columns: Sequence[Column] = ()
    max_lengths: Mapping[str, int] = {}

    def __init__(self, layout: Layout, problems: Problems) -> None:
        self.layout = layout
        self.problems = problems
        self.positions = [(f, i, h) for f, (i, h) in layout.positions.items()]
        self.headers = {f: h for f, (_i, h) in layout.positions.items()}
        self.bad = False
        self.row = 0
        self.tz = timezone.get_current_timezone()
        # Exports are sorted by date: the same dates recur row after row. Bounded, so memory stays flat.
        self.memo: dict[Any, Any] = {}

    def problem(self, field: str, message: str) -> None:
        self.bad = True
        self.problems.add(self.row, self.headers.get(field, field), message)

    def check(self, number: int, values: Sequence[Any]) -> dict[str, Any] | None:
        """The row's values for the database, or None when it has problems (reported)."""
        raise NotImplementedError

    def cells(self, number: int, values: Sequence[Any]) -> dict[str, Any] | None:
        """The row's raw cells by field, or None (reported) when the row is too long as a whole."""
        self.row, self.bad = number, False
        message = getattr(values, "message", None)
        if message:
            self.problems.add(number, "", message)
            return None
        raw: dict[str, Any] = {}
        width = len(values)
        total = 0
        for field, index, _header in self.positions:
            value = values[index] if index < width else None
            if isinstance(value, str):
                size = len(value)
                total += size
                if size > MAX_CELL_CHARS:
                    self.problem(
                        field,
                        _("Ô dài %(length)s ký tự, vượt giới hạn %(max)s ký tự của một ô.")
                        % {"length": _n(size), "max": _n(MAX_CELL_CHARS)},
                    )
                    value = None
            raw[field] = value
        if total > MAX_ROW_CHARS:
            self.problems.add(
                number,
                "",
                _("Dòng dài %(length)s ký tự, vượt giới hạn %(max)s ký tự của một dòng.")
                % {"length": _n(total), "max": _n(MAX_ROW_CHARS)},
            )
            return None
        return raw

    def text(self, raw: Mapping[str, Any], field: str, *, required: bool = False) -> str:
        value = cell_text(raw.get(field))
        if not value:
            if required:
                self.problem(field, _("Bắt buộc, không được để trống."))
            return ""
        limit = self.max_lengths.get(field)
        if limit is not None and len(value) > limit:
            self.problem(
                field,
                _("Dài %(length)s ký tự, vượt quá giới hạn %(max)s ký tự.")
                % {"length": _n(len(value)), "max": _n(limit)},
            )
            return ""
        return value

    def read(self, raw: Mapping[str, Any], field: str, parse: Callable[[Any, dt.tzinfo], Any]) -> Any:
        value = raw.get(field)
        if value is None or value == "":
            return None
        key = (parse, value)
        found = self.memo.get(key, self.memo)
        if found is not self.memo:
            return found
        try:
            found = parse(value, self.tz)
        except BadCell as exc:
            self.problem(field, str(exc))
            return None
        self.remember(key, found)
        return found

    def remember(self, key: Any, value: Any) -> None:
        if len(self.memo) >= MEMO_SIZE:
            self.memo.clear()
        self.memo[key] = value


def _n(number: int) -> str:
    return number_format(number, force_grouping=True)


def text_lengths(model: type[models.Model], names: Sequence[str]) -> dict[str, int]:
    """The maximum length of each text field among `names` (the database's limit, checked before writing)."""
    found: dict[str, int] = {}
    for name in names:
        field = next((f for f in model._meta.concrete_fields if f.name == name), None)
        if isinstance(field, models.CharField) and field.max_length:
            found[name] = field.max_length
    return found


@dataclass(frozen=True)
class DossierContext:
    """What the dossier rows are checked against, loaded once per file (sizes bounded by the catalog)."""

    procedures: Mapping[str, tuple[int, int]]  # code -> (id, processing days)
    units: Mapping[str, tuple[int, str]]  # code -> (id, name)
    allowed_unit_ids: frozenset[int] | None  # None: any unit (an operator's command)
    default_unit_id: int | None
    calendar: WorkCalendar


class DossierRowChecker(RowChecker):
    columns = DOSSIER_COLUMNS

    def __init__(self, layout: Layout, problems: Problems, context: DossierContext) -> None:
        super().__init__(layout, problems)
        from trongtam.dossiers.models import Dossier

        self.context = context
        self.max_lengths = text_lengths(Dossier, [c.field for c in DOSSIER_COLUMNS])
        self.max_lengths["refusal_reason"] = MAX_CELL_CHARS
        self.kinds = {**_choice_lookup(ApplicantKind), **_APPLICANT_KINDS}
        self.channels = ", ".join(f"{c.value} ({c.label})" for c in Channel)

    def check(self, number: int, values: Sequence[Any]) -> dict[str, Any] | None:
        """The dossier's values (our field names, foreign keys as ids, the dates `deadlines.schedule` derives),
        or None when the row has problems (each reported with the row and the file's column)."""
        raw = self.cells(number, values)
        if raw is None:
            return None
        code = self.text(raw, "code", required=True)
        procedure_code = self.text(raw, "procedure", required=True)
        procedure = self.context.procedures.get(procedure_code) if procedure_code else None
        if procedure_code and procedure is None:
            self.problem(
                "procedure",
                _("Không có thủ tục mã «%(code)s» trong danh mục thủ tục.") % {"code": procedure_code},
            )
        unit_id = self._unit(raw)
        status = self._code(
            raw,
            "status",
            1,
            10,
            lambda v: _("Trạng thái «%(value)s» không hợp lệ: phải là số từ 1 đến 10.") % {"value": v},
        )
        channel = self._code(
            raw,
            "channel",
            1,
            3,
            lambda v: (
                _("Kênh nộp «%(value)s» không hợp lệ: phải là %(allowed)s.")
                % {"value": v, "allowed": self.channels}
            ),
        )
        applicant = self._applicant(raw)
        dates = self._dates(raw, status)
        if self.bad or status is None or channel is None or procedure is None or dates is None:
            return None
        received_local = dates.pop("received_local")
        key = (
            received_local,
            procedure[1],
            dates["supplement_requested_on"],
            dates["supplement_received_on"],
        )
        plan = self.memo.get(key)
        if plan is None:
            try:
                plan = schedule(
                    received_local,
                    procedure[1],
                    self.context.calendar,
                    supplement_requested_on=dates["supplement_requested_on"],
                    supplement_received_on=dates["supplement_received_on"],
                )
            except ValueError:  # the due date would fall beyond the working-day calendar
                self.problem(
                    "received_at",
                    _("Không tính được ngày hẹn trả: ngày tiếp nhận nằm ở cuối phạm vi lịch ngày làm việc."),
                )
                return None
            self.remember(key, plan)
        return {
            "code": code,
            "unit_id": unit_id,
            "procedure_id": procedure[0],
            "channel": channel,
            "status": status,
            **applicant,
            **dates,
            "received_on": plan.received_on,
            "due_date": plan.due_date,
            "paused_days": plan.paused_days,
            "refusal_reason": self.text(raw, "refusal_reason"),
        }

    def _applicant(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        phone = self.text(raw, "applicant_phone", required=True)
        if phone and sum(ch.isdigit() for ch in phone) < MIN_PHONE_DIGITS:
            self.problem(
                "applicant_phone",
                _("Số điện thoại «%(value)s» phải có ít nhất %(n)d chữ số (công dân tra cứu bằng 4 số cuối).")
                % {"value": phone, "n": MIN_PHONE_DIGITS},
            )
        email = self.text(raw, "applicant_email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.problem(
                    "applicant_email",
                    _("«%(value)s» không phải địa chỉ thư điện tử hợp lệ.") % {"value": email},
                )
        kind_text = self.text(raw, "applicant_kind")
        kind = self.kinds.get(fold(kind_text)) if kind_text else ApplicantKind.CITIZEN.value
        if kind is None:
            self.problem(
                "applicant_kind",
                _("Loại chủ hồ sơ «%(value)s» không hợp lệ: Công dân, Doanh nghiệp hoặc Tổ chức.")
                % {"value": kind_text},
            )
        return {
            "applicant_name": self.text(raw, "applicant_name", required=True),
            "applicant_kind": str(kind),
            "applicant_phone": phone,
            "applicant_email": email,
            "applicant_address": self.text(raw, "applicant_address"),
        }

    def _dates(self, raw: Mapping[str, Any], status: int | None) -> dict[str, Any] | None:
        """The dates of the row, checked against its status and against each other; `received_local` is the
        local time of receipt without its zone, as `schedule` reads it."""
        received_at = self.read(raw, "received_at", parse_moment)
        dates = {
            "submitted_at": self.read(raw, "submitted_at", parse_moment),
            "received_at": received_at,
            "supplement_requested_on": self.read(raw, "supplement_requested_on", parse_day),
            "supplement_received_on": self.read(raw, "supplement_received_on", parse_day),
            "finished_on": self.read(raw, "finished_on", parse_day),
            "returned_on": self.read(raw, "returned_on", parse_day),
        }
        if self.bad or status is None:
            return None
        received_local = received_at.astimezone(self.tz).replace(tzinfo=None) if received_at else None
        label = DossierStatus(status).label
        if received_at is None and status not in NOT_RECEIVED:
            self.problem(
                "received_at" if "received_at" in self.headers else "status",
                _("Hồ sơ ở trạng thái %(status)d (%(label)s) phải có ngày tiếp nhận.")
                % {"status": status, "label": label},
            )
        if dates["finished_on"] is None and status in NEEDS_FINISHED_ON:
            self.problem(
                "finished_on" if "finished_on" in self.headers else "status",
                _("Hồ sơ ở trạng thái %(status)d (%(label)s) phải có ngày kết thúc xử lý.")
                % {"status": status, "label": label},
            )
        if received_local is not None:
            received_day = received_local.date()
            for field in ("supplement_requested_on", "finished_on", "returned_on"):
                day = dates[field]
                if day is not None and day < received_day:
                    self.problem(
                        field,
                        _("Ngày %(day)s trước ngày tiếp nhận %(received)s.")
                        % {"day": day.strftime("%d/%m/%Y"), "received": received_day.strftime("%d/%m/%Y")},
                    )
        requested, supplied = dates["supplement_requested_on"], dates["supplement_received_on"]
        if supplied and not requested:
            self.problem(
                "supplement_received_on", _("Có ngày công dân bổ sung nhưng không có ngày yêu cầu bổ sung.")
            )
        elif requested and supplied and supplied < requested:
            self.problem("supplement_received_on", _("Ngày công dân bổ sung trước ngày yêu cầu bổ sung."))
        if self.bad:
            return None
        return {**dates, "received_local": received_local}

    def _code(
        self, raw: Mapping[str, Any], field: str, low: int, high: int, message: Callable[[str], str]
    ) -> int | None:
        value = raw.get(field)
        try:
            code = parse_code(value, low, high)
        except BadCell:
            self.problem(field, message(cell_text(value)[:40]))
            return None
        if code is None:
            self.problem(field, _("Bắt buộc, không được để trống."))
        return code

    def _unit(self, raw: Mapping[str, Any]) -> int | None:
        ctx = self.context
        if "unit" not in self.headers:
            return ctx.default_unit_id
        unit_code = self.text(raw, "unit", required=ctx.default_unit_id is None)
        if not unit_code:
            return ctx.default_unit_id
        found = ctx.units.get(unit_code)
        if found is None:
            self.problem("unit", _("Không có đơn vị mã «%(code)s».") % {"code": unit_code})
            return None
        if ctx.allowed_unit_ids is not None and found[0] not in ctx.allowed_unit_ids:
            self.problem(
                "unit",
                _("Bạn không được nhập hồ sơ cho đơn vị «%(code)s – %(name)s».")
                % {"code": unit_code, "name": found[1]},
            )
            return None
        return found[0]


class ProcedureRowChecker(RowChecker):
    columns = PROCEDURE_COLUMNS

    def __init__(self, layout: Layout, problems: Problems) -> None:
        super().__init__(layout, problems)
        from trongtam.dossiers.models import Procedure

        self.max_lengths = text_lengths(Procedure, ["code", "name", "field"])
        self.levels = {**_choice_lookup(ProcedureLevel), **_LEVELS}

    def check(self, number: int, values: Sequence[Any]) -> dict[str, Any] | None:
        raw = self.cells(number, values)
        if raw is None:
            return None
        code = self.text(raw, "code", required=True)
        name = self.text(raw, "name", required=True)
        field = self.text(raw, "field", required=True)
        level_text = self.text(raw, "level", required=True)
        level = self.levels.get(fold(level_text)) if level_text else None
        if level_text and level is None:
            self.problem(
                "level",
                _("Cấp thực hiện «%(value)s» không hợp lệ: %(allowed)s.")
                % {
                    "value": level_text,
                    "allowed": ", ".join(f"«{label}»" for label in ProcedureLevel.labels),
                },
            )
        days = None
        try:
            days = parse_code(raw.get("processing_days"), 0, 3650)
            if days is None:
                self.problem("processing_days", _("Bắt buộc, không được để trống."))
        except BadCell:
            self.problem(
                "processing_days",
                _("Thời hạn «%(value)s» không hợp lệ: phải là số ngày làm việc, từ 0 trở lên.")
                % {"value": cell_text(raw.get("processing_days"))[:40]},
            )
        active_text = fold(self.text(raw, "is_active"))
        is_active = True
        if active_text in _NO:
            is_active = False
        elif active_text and active_text not in _YES:
            self.problem("is_active", _("Phải là «Có» hoặc «Không»."))
        if self.bad:
            return None
        return {
            "code": code,
            "name": name,
            "field": field,
            "level": str(level),
            "processing_days": days,
            "is_active": is_active,
        }
