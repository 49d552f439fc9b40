"""Importing the organization from an Excel workbook: check every row, then write everything or nothing.

The workbook has a sheet "Đơn vị" (units) and a sheet "Cán bộ" (people); `interfaces/workbooks.py` makes the
template. The work is split in three:

- `parse_workbook(file)` reads both sheets and checks each cell on its own (headers, required cells, types,
  allowed values, lengths). No database.
- `validate(parsed, known)` checks the rows against each other and against `known`, a snapshot of what the
  database holds (duplicates, unknown or circular parents, one active head per unit, what the importer may
  change). No database either, so it can be tested on generated rows. It returns every problem, or a plan.
- `apply_import(plan, by=...)` writes the plan in one transaction: units in dependency order (a parent before
  its children), then people; each created or changed record gets an audit entry.

`check_upload(file, by=...)` runs the first two with the database snapshot; views call it, then `apply_import`.
Re-importing is normal: a code or username that exists updates that record, a new one creates it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from trongtam.core import audit
from trongtam.core.errors import DomainError
from trongtam.core.models import AuditAction
from trongtam.core.search import fold
from trongtam.org.enums import UNIT_ROLES, Role, UnitKind
from trongtam.org.models import Person, Unit

# The file format. These names are what the file must contain whatever the interface language, so they are
# not translated: a file made with the English interface must import in the Vietnamese one.
UNIT_SHEET = "Đơn vị"
PERSON_SHEET = "Cán bộ"
GUIDE_SHEET = "Hướng dẫn"

U_CODE = "Mã đơn vị"
U_NAME = "Tên đơn vị"
U_KIND = "Loại"
U_PARENT = "Mã đơn vị cấp trên"
U_ACTIVE = "Đang hoạt động"
UNIT_HEADERS = (U_CODE, U_NAME, U_KIND, U_PARENT, U_ACTIVE)

P_USERNAME = "Tên đăng nhập"
P_NAME = "Họ và tên"
P_EMAIL = "Email"
P_PHONE = "Điện thoại"
P_ROLE = "Vai trò"
P_UNIT = "Mã đơn vị"
P_TITLE = "Chức danh"
PERSON_HEADERS = (P_USERNAME, P_NAME, P_EMAIL, P_PHONE, P_ROLE, P_UNIT, P_TITLE)

SHEETS = {UNIT_SHEET: UNIT_HEADERS, PERSON_SHEET: PERSON_HEADERS}
YES = "Có"
NO = "Không"

# Per sheet. One row is a save and an audit entry, all inside one request: larger lists go in several files.
MAX_DATA_ROWS = 5000
# A 5 MB .xlsx can unpack to gigabytes (a "zip bomb"); a real workbook of MAX_DATA_ROWS rows is far below this.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

UNIT_FIELDS = ["code", "name", "kind", "parent", "is_active"]
PERSON_FIELDS = ["username", "full_name", "email", "phone", "role", "unit", "title"]

_YES_WORDS = frozenset({"co", "x", "yes", "true", "1"})
_NO_WORDS = frozenset({"khong", "no", "false", "0"})


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with the file. `sheet` is "" for the file as a whole; `row` is Excel's row number (None
    for the sheet as a whole); `column` is the header of the column concerned ("" when none)."""

    sheet: str
    row: int | None
    column: str
    reason: str


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    kind: str  # a UnitKind value; "" when the cell was wrong
    parent_code: str  # "" for a unit at the top
    is_active: bool


@dataclass(frozen=True)
class PersonRow:
    row: int
    username: str
    full_name: str
    email: str
    phone: str
    role: str  # a Role value; "" when the cell was wrong
    unit_code: str
    title: str


@dataclass(frozen=True)
class ParsedWorkbook:
    """What `parse_workbook` read: the data rows (cells that were wrong left empty) and the problems found.

    `units_read`/`people_read` are False when that sheet could not be read at all (missing, or a required
    header missing), so that `validate` does not call its codes unknown.
    """

    units: tuple[UnitRow, ...] = ()
    people: tuple[PersonRow, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    units_read: bool = True
    people_read: bool = True


@dataclass(frozen=True)
class KnownPerson:
    role: str
    unit_code: str  # "" when none
    is_active: bool
    privileged: bool  # an administrator account (role, staff or superuser)


@dataclass(frozen=True)
class KnownState:
    """What the database holds that the checks need.

    `unit_parents`: every unit's code and its parent's code ("" for none). `people`: the people the file names
    that exist, plus every active head. `actor_username`/`actor_is_admin`: who imports; only an administrator
    may grant the administrator role or change an administrator's account, and nobody may change their own role.
    """

    unit_parents: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, KnownPerson] = field(default_factory=dict)
    actor_username: str = ""
    actor_is_admin: bool = True


@dataclass(frozen=True)
class ImportPlan:
    """A checked file, ready to write: units ordered so that a parent in the file comes before its children."""

    units: tuple[UnitRow, ...]
    people: tuple[PersonRow, ...]


@dataclass(frozen=True)
class ImportResult:
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0


class ImportConflict(DomainError):
    """The database changed between the check and the write (HTTP 409); nothing was written."""

    status_code = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "Dữ liệu tổ chức vừa được thay đổi trong lúc nhập nên chưa nhập dòng nào. "
                "Hãy tải tệp lên lại để kiểm tra với dữ liệu mới nhất."
            )
        )


# -- allowed values ---------------------------------------------------------------------------------------


def unit_kind_labels() -> list[str]:
    """The labels the template offers for "Loại" (always the Vietnamese ones: the file format)."""
    with translation.override("vi"):
        return [str(label) for label in UnitKind.labels]


def role_labels() -> list[str]:
    """The labels the template offers for "Vai trò"."""
    with translation.override("vi"):
        return [str(label) for label in Role.labels]


def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Folded label (Vietnamese or the interface language) or value -> value."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        with translation.override("vi"):
            found[fold(str(label))] = value
        found[fold(str(label))] = value
        found[fold(value)] = value
    return found


def _allowed(choices: type[models.TextChoices]) -> str:
    return "; ".join(f"«{label}»" for label in choices.labels)


def _max_length(model: type[models.Model], name: str) -> int:
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.CharField) or model_field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text field with a length")
    return model_field.max_length


# -- reading cells ----------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ".0", dates as ISO dates, spaces trimmed, Unicode composed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


class _Row:
    """One data row being read: reads each cell and notes what is wrong with it."""

    def __init__(
        self,
        sheet: str,
        number: int,
        values: Sequence[Any],
        columns: Mapping[str, int],
        problems: list[RowProblem],
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.values = values
        self.columns = columns
        self.problems = problems

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(self.sheet, self.number, column, reason))

    def raw(self, column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, column: str, *, max_length: int, required: bool = False) -> str:
        value = cell_text(self.raw(column))
        if required and not value:
            self.problem(column, _("Bắt buộc, không được để trống."))
        elif len(value) > max_length:
            self.problem(
                column,
                _("Dài %(length)d ký tự, vượt quá giới hạn %(max)d ký tự.")
                % {"length": len(value), "max": max_length},
            )
            return ""
        return value

    def choice(
        self, column: str, choices: type[models.TextChoices], lookup: Mapping[str, str], what: str
    ) -> str:
        value = cell_text(self.raw(column))
        if not value:
            self.problem(column, _("Bắt buộc, không được để trống."))
            return ""
        found = lookup.get(fold(value))
        if found is None:
            self.problem(
                column,
                _("%(what)s «%(value)s» không hợp lệ. Các giá trị được chấp nhận: %(allowed)s.")
                % {"what": what, "value": value, "allowed": _allowed(choices)},
            )
            return ""
        return found

    def yes_no(self, column: str) -> bool:
        raw = self.raw(column)
        if isinstance(raw, bool):
            return raw
        value = cell_text(raw)
        if not value or fold(value) in _YES_WORDS:
            return True
        if fold(value) in _NO_WORDS:
            return False
        self.problem(column, _("Phải là «Có» hoặc «Không», không phải «%(value)s».") % {"value": value})
        return True


def _blank(values: Sequence[Any]) -> bool:
    return all(cell_text(v) == "" for v in values)


def _read_header(
    sheet: str, header: Sequence[Any], problems: list[RowProblem]
) -> tuple[dict[str, int], bool]:
    """Map each expected header to its column index. Returns (columns, readable): readable is False when a
    header is missing, so the sheet's rows are not read against a wrong layout."""
    expected = SHEETS[sheet]
    by_fold = {fold(h): h for h in expected}
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        text = cell_text(value)
        if not text:
            continue
        name = by_fold.get(fold(text))
        if name is None:
            problems.append(
                RowProblem(
                    sheet,
                    1,
                    text,
                    _("Cột «%(column)s» không có trong mẫu. Các cột của trang này là: %(expected)s.")
                    % {"column": text, "expected": ", ".join(f"«{h}»" for h in expected)},
                )
            )
        elif name in columns:
            problems.append(RowProblem(sheet, 1, name, _("Cột «%(column)s» có hai lần.") % {"column": name}))
        else:
            columns[name] = index
    missing = [h for h in expected if h not in columns]
    for name in missing:
        problems.append(
            RowProblem(
                sheet, 1, name, _("Thiếu cột «%(column)s» ở dòng tiêu đề (dòng 1).") % {"column": name}
            )
        )
    return columns, not missing


def _data_rows(
    sheet: str, rows: Iterator[Sequence[Any]], problems: list[RowProblem]
) -> Iterator[tuple[int, Sequence[Any]]]:
    """The non-blank rows after the header, numbered as Excel numbers them, at most MAX_DATA_ROWS."""
    count = 0
    for number, values in enumerate(rows, start=2):
        if _blank(values):
            continue
        count += 1
        if count > MAX_DATA_ROWS:
            problems.append(
                RowProblem(
                    sheet,
                    None,
                    "",
                    _("Trang tính có hơn %(max)d dòng dữ liệu; hãy chia thành nhiều tệp.")
                    % {"max": MAX_DATA_ROWS},
                )
            )
            return
        yield number, values


def _read_units(
    rows: Iterator[Sequence[Any]], columns: Mapping[str, int], problems: list[RowProblem]
) -> list[UnitRow]:
    kinds = _lookup(UnitKind)
    code_max, name_max = _max_length(Unit, "code"), _max_length(Unit, "name")
    units = []
    for number, values in _data_rows(UNIT_SHEET, rows, problems):
        row = _Row(UNIT_SHEET, number, values, columns, problems)
        units.append(
            UnitRow(
                row=number,
                code=row.text(U_CODE, max_length=code_max, required=True),
                name=row.text(U_NAME, max_length=name_max, required=True),
                kind=row.choice(U_KIND, UnitKind, kinds, _("Loại")),
                parent_code=row.text(U_PARENT, max_length=code_max),
                is_active=row.yes_no(U_ACTIVE),
            )
        )
    return units


def _read_people(
    rows: Iterator[Sequence[Any]], columns: Mapping[str, int], problems: list[RowProblem]
) -> list[PersonRow]:
    roles = _lookup(Role)
    username_validator = UnicodeUsernameValidator()
    people = []
    for number, values in _data_rows(PERSON_SHEET, rows, problems):
        row = _Row(PERSON_SHEET, number, values, columns, problems)
        username = row.text(P_USERNAME, max_length=_max_length(Person, "username"), required=True)
        if username:
            try:
                username_validator(username)
            except ValidationError:
                row.problem(
                    P_USERNAME,
                    _(
                        "«%(value)s»: tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không có dấu cách)."
                    )
                    % {"value": username},
                )
                username = ""
        email = row.text(P_EMAIL, max_length=_max_length(Person, "email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.problem(P_EMAIL, _("«%(value)s» không phải là địa chỉ email hợp lệ.") % {"value": email})
                email = ""
        people.append(
            PersonRow(
                row=number,
                username=username,
                full_name=row.text(P_NAME, max_length=_max_length(Person, "full_name"), required=True),
                email=email,
                phone=row.text(P_PHONE, max_length=_max_length(Person, "phone")),
                role=row.choice(P_ROLE, Role, roles, _("Vai trò")),
                unit_code=row.text(P_UNIT, max_length=_max_length(Unit, "code")),
                title=row.text(P_TITLE, max_length=_max_length(Person, "title")),
            )
        )
    return people


def _file_problem(reason: str) -> ParsedWorkbook:
    return ParsedWorkbook(problems=(RowProblem("", None, "", reason),), units_read=False, people_read=False)


def parse_workbook(file: IO[bytes]) -> ParsedWorkbook:
    """Read both sheets of an .xlsx file and check each cell on its own. Touches no database."""
    not_excel = _(
        "Không mở được tệp: đây không phải là tệp Excel .xlsx hợp lệ. "
        "Hãy lưu tệp bằng Excel (Lưu thành… → Sổ làm việc Excel .xlsx) rồi tải lên lại."
    )
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        file.seek(0)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _file_problem(not_excel)
    if unpacked > MAX_UNPACKED_BYTES:
        return _file_problem(_("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."))

    problems: list[RowProblem] = []
    units: list[UnitRow] = []
    people: list[PersonRow] = []
    read = {UNIT_SHEET: False, PERSON_SHEET: False}
    sheet_missing = False
    data_rows = 0
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        return _file_problem(not_excel)
    try:
        names = {unicodedata.normalize("NFC", name).strip(): name for name in workbook.sheetnames}
        for sheet in SHEETS:
            worksheet = workbook[names[sheet]] if sheet in names else None
            if worksheet is None or not hasattr(worksheet, "iter_rows"):
                problems.append(
                    RowProblem(sheet, None, "", _("Thiếu trang tính «%(sheet)s».") % {"sheet": sheet})
                )
                sheet_missing = True
                continue
            if hasattr(worksheet, "reset_dimensions"):
                # Read-only mode trusts the size the file declares; some programs write a wrong one.
                worksheet.reset_dimensions()
            rows = worksheet.iter_rows(values_only=True)
            columns, read[sheet] = _read_header(sheet, next(rows, ()), problems)
            if not read[sheet]:
                # Rows are not read against a wrong layout; only counted, so the file is not called empty.
                data_rows += sum(1 for _row in _data_rows(sheet, rows, []))
            elif sheet == UNIT_SHEET:
                units = _read_units(rows, columns, problems)
            else:
                people = _read_people(rows, columns, problems)
    except Exception:  # a sheet whose XML is damaged fails only when its rows are read
        return _file_problem(not_excel)
    finally:
        workbook.close()
    data_rows += len(units) + len(people)
    if data_rows == 0 and not sheet_missing:
        problems.insert(0, RowProblem("", None, "", _("Tệp không có dòng dữ liệu nào.")))
    return ParsedWorkbook(tuple(units), tuple(people), tuple(problems), read[UNIT_SHEET], read[PERSON_SHEET])


# -- checking rows against each other and the database ----------------------------------------------------


def _first_rows(
    rows: Iterable[Any], problems: list[RowProblem], *, key: str, sheet: str, column: str, message: str
) -> dict[str, Any]:
    """The first row for each key; every later row with the same key is a problem."""
    first: dict[str, Any] = {}
    for row in rows:
        value = getattr(row, key)
        if not value:
            continue
        if value in first:
            problems.append(
                RowProblem(sheet, row.row, column, message % {"value": value, "row": first[value].row})
            )
        else:
            first[value] = row
    return first


def _check_units(
    parsed: ParsedWorkbook, known: KnownState, problems: list[RowProblem]
) -> tuple[dict[str, UnitRow], dict[str, str]]:
    """Duplicates, unknown parents and cycles. Returns the file's units by code and every unit's final parent."""
    in_file: dict[str, UnitRow] = _first_rows(
        parsed.units,
        problems,
        key="code",
        sheet=UNIT_SHEET,
        column=U_CODE,
        message=_("Mã đơn vị «%(value)s» trùng với dòng %(row)d."),
    )
    parents: dict[str, str] = dict(known.unit_parents)
    for code, unit in in_file.items():
        parents[code] = unit.parent_code
    for code, unit in in_file.items():
        if not unit.parent_code:
            continue
        if unit.parent_code == code:
            problems.append(
                RowProblem(UNIT_SHEET, unit.row, U_PARENT, _("Đơn vị không thể là cấp trên của chính nó."))
            )
        elif unit.parent_code not in parents:
            problems.append(
                RowProblem(
                    UNIT_SHEET,
                    unit.row,
                    U_PARENT,
                    _("Không có đơn vị mã «%(code)s» trong tệp hay trong hệ thống.")
                    % {"code": unit.parent_code},
                )
            )
        else:
            chain = [code]
            current = unit.parent_code
            while current and current != code and current not in chain:
                chain.append(current)
                current = parents.get(current, "")
            if current == code:
                problems.append(
                    RowProblem(
                        UNIT_SHEET,
                        unit.row,
                        U_PARENT,
                        _("Vòng lặp cấp trên: đơn vị sẽ là cấp trên của chính nó (%(chain)s).")
                        % {"chain": " → ".join([*chain, code])},
                    )
                )
    return in_file, parents


def _check_people(
    parsed: ParsedWorkbook, known: KnownState, unit_codes: Mapping[str, str], problems: list[RowProblem]
) -> None:
    in_file: dict[str, PersonRow] = _first_rows(
        parsed.people,
        problems,
        key="username",
        sheet=PERSON_SHEET,
        column=P_USERNAME,
        message=_("Tên đăng nhập «%(value)s» trùng với dòng %(row)d."),
    )
    role_names = dict(Role.choices)
    for person in in_file.values():
        if person.role in UNIT_ROLES and not person.unit_code:
            problems.append(
                RowProblem(
                    PERSON_SHEET,
                    person.row,
                    P_UNIT,
                    _("Vai trò «%(role)s» cần mã đơn vị.") % {"role": role_names[person.role]},
                )
            )
        if person.unit_code and parsed.units_read and person.unit_code not in unit_codes:
            problems.append(
                RowProblem(
                    PERSON_SHEET,
                    person.row,
                    P_UNIT,
                    _("Không có đơn vị mã «%(code)s» trong tệp hay trong hệ thống.")
                    % {"code": person.unit_code},
                )
            )
        existing = known.people.get(person.username)
        if (
            person.username == known.actor_username
            and existing
            and person.role
            and person.role != existing.role
        ):
            problems.append(
                RowProblem(PERSON_SHEET, person.row, P_ROLE, _("Không thể tự đổi vai trò của chính mình."))
            )
        if not known.actor_is_admin:
            if person.role == Role.ADMIN and (existing is None or existing.role != Role.ADMIN):
                problems.append(
                    RowProblem(
                        PERSON_SHEET,
                        person.row,
                        P_ROLE,
                        _("Chỉ quản trị mới được cấp vai trò «%(role)s».") % {"role": role_names[Role.ADMIN]},
                    )
                )
            elif existing is not None and existing.privileged:
                problems.append(
                    RowProblem(
                        PERSON_SHEET,
                        person.row,
                        P_USERNAME,
                        _("Chỉ quản trị mới được sửa tài khoản quản trị «%(username)s».")
                        % {"username": person.username},
                    )
                )

    # One active head per unit, as it will be after the import (the model's constraint, as a row problem).
    heads: dict[str, list[str]] = defaultdict(list)
    final = {username: (p.role, p.unit_code, p.is_active) for username, p in known.people.items()}
    for person in in_file.values():
        if person.role:
            existing = known.people.get(person.username)
            final[person.username] = (person.role, person.unit_code, existing.is_active if existing else True)
    for username, (role, unit_code, is_active) in final.items():
        if role == Role.HEAD and is_active and unit_code:
            heads[unit_code].append(username)
    for person in in_file.values():
        others = sorted(u for u in heads.get(person.unit_code, []) if u != person.username)
        if person.role == Role.HEAD and person.unit_code and final[person.username][2] and others:
            problems.append(
                RowProblem(
                    PERSON_SHEET,
                    person.row,
                    P_ROLE,
                    _(
                        "Mỗi đơn vị chỉ có một người đứng đầu đang hoạt động; đơn vị «%(code)s» "
                        "đã có hoặc sẽ có: %(others)s."
                    )
                    % {"code": person.unit_code, "others": ", ".join(f"«{u}»" for u in others)},
                )
            )


def _dependency_order(units: Mapping[str, UnitRow]) -> tuple[UnitRow, ...]:
    """The file's units, each parent in the file before its children (the file has no cycle by now)."""
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        seen: list[str] = []
        current = code
        while current in units and current not in depth:
            seen.append(current)
            current = units[current].parent_code
        base = depth.get(current, -1)
        for code_seen in reversed(seen):
            base += 1
            depth[code_seen] = base
        return depth[code]

    return tuple(sorted(units.values(), key=lambda u: (depth_of(u.code), u.row)))


def _sort_key(problem: RowProblem) -> tuple[int, int, int]:
    sheets = ["", UNIT_SHEET, PERSON_SHEET]
    headers = SHEETS.get(problem.sheet, ())
    column = headers.index(problem.column) if problem.column in headers else len(headers)
    return (
        sheets.index(problem.sheet) if problem.sheet in sheets else len(sheets),
        problem.row or 0,
        column,
    )


def validate(parsed: ParsedWorkbook, known: KnownState) -> list[RowProblem] | ImportPlan:
    """Check the rows against each other and `known`; every problem, sorted by sheet, row and column, or the plan.

    Pure: reads nothing but its arguments.
    """
    problems = list(parsed.problems)
    in_file, parents = _check_units(parsed, known, problems)
    _check_people(parsed, known, parents, problems)
    if problems:
        return sorted(problems, key=_sort_key)
    return ImportPlan(units=_dependency_order(in_file), people=parsed.people)


# -- the database -----------------------------------------------------------------------------------------


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def known_state(usernames: Iterable[str], *, by: Any) -> KnownState:
    """The snapshot `validate` needs: every unit's parent, the people named, every active head. Two queries or so."""
    unit_parents = {code: parent or "" for code, parent in Unit.objects.values_list("code", "parent__code")}
    people: dict[str, KnownPerson] = {}
    fields = ("username", "role", "unit__code", "is_active", "is_staff", "is_superuser")
    wanted = sorted(set(usernames))
    queries = [Q(role=Role.HEAD, is_active=True, unit__isnull=False)]
    queries += [Q(username__in=chunk) for chunk in _chunks(wanted)]
    for query in queries:
        rows = Person.objects.filter(query).values_list(*fields)
        for username, role, unit_code, is_active, is_staff, is_superuser in rows:
            people[username] = KnownPerson(
                role=role,
                unit_code=unit_code or "",
                is_active=is_active,
                privileged=role == Role.ADMIN or is_staff or is_superuser,
            )
    return KnownState(
        unit_parents=unit_parents,
        people=people,
        actor_username=by.get_username(),
        actor_is_admin=getattr(by, "role", None) == Role.ADMIN,
    )


def check_upload(file: IO[bytes], *, by: Any) -> list[RowProblem] | ImportPlan:
    """Read and check an uploaded workbook against the database as it is now."""
    parsed = parse_workbook(file)
    if not parsed.units and not parsed.people:
        return validate(parsed, KnownState())  # nothing to compare with the database
    known = known_state((p.username for p in parsed.people if p.username), by=by)
    return validate(parsed, known)


def apply_import(plan: ImportPlan, *, by: Any) -> ImportResult:
    """Write `plan` in one transaction: units (parents first), then people; one audit entry per record changed.

    Existing codes and usernames are updated, new ones created; new people get an unusable password (an
    administrator sets one in the Django admin). Records whose values do not change are left alone. Raises
    PermissionDenied if `by` may not import, ImportConflict if the database changed since the check so that a
    constraint fails (nothing is written then).
    """
    if not by.has_perm("org.import_organization"):
        raise PermissionDenied
    try:
        with transaction.atomic():
            units, counts = _apply_units(plan.units, by=by)
            counts.update(_apply_people(plan.people, units, by=by))
    except IntegrityError as exc:
        raise ImportConflict from exc
    return ImportResult(**counts)


def _apply_units(rows: Sequence[UnitRow], *, by: Any) -> tuple[dict[str, Unit], dict[str, int]]:
    units: dict[str, Unit] = Unit.objects.in_bulk(field_name="code")
    counts = {"units_created": 0, "units_updated": 0, "units_unchanged": 0}
    for row in rows:
        unit = units.get(row.code)
        before = audit.snapshot(unit, UNIT_FIELDS) if unit is not None else {}
        if unit is None:
            unit = Unit(code=row.code)
        unit.name, unit.kind, unit.is_active = row.name, row.kind, row.is_active
        unit.parent = units[row.parent_code] if row.parent_code else None
        changes = audit.diff(before, audit.snapshot(unit, UNIT_FIELDS))
        if not changes:
            counts["units_unchanged"] += 1
            continue
        counts["units_created" if unit.pk is None else "units_updated"] += 1
        unit.save()
        units[row.code] = unit
        audit.record(actor=by, action=AuditAction.IMPORT, instance=unit, changes=changes)
    return units, counts


def _apply_people(rows: Sequence[PersonRow], units: Mapping[str, Unit], *, by: Any) -> dict[str, int]:
    existing: dict[str, Person] = {}
    for chunk in _chunks(sorted({r.username for r in rows})):
        existing.update((p.username, p) for p in Person.objects.filter(username__in=chunk))
    befores = {username: audit.snapshot(p, PERSON_FIELDS) for username, p in existing.items()}
    # One active head per unit must hold after every single save: people who will not be heads are saved first,
    # and a head moving to another unit leaves the old one before anyone takes it.
    moving_heads = [
        person.pk
        for r in rows
        if r.role == Role.HEAD
        and (person := existing.get(r.username)) is not None
        and person.role == Role.HEAD
        and person.is_active
        and person.unit_id != (units[r.unit_code].pk if r.unit_code else None)
    ]
    if moving_heads:
        Person.objects.filter(pk__in=moving_heads).update(unit=None)
    counts = {"people_created": 0, "people_updated": 0, "people_unchanged": 0}
    for row in sorted(rows, key=lambda r: r.role == Role.HEAD):
        person = existing.get(row.username)
        if person is None:
            person = Person(username=row.username)
            person.set_unusable_password()
        person.full_name, person.email, person.phone = row.full_name, row.email, row.phone
        person.role, person.title = row.role, row.title
        person.unit = units[row.unit_code] if row.unit_code else None
        changes = audit.diff(befores.get(row.username, {}), audit.snapshot(person, PERSON_FIELDS))
        if not changes:
            counts["people_unchanged"] += 1
            continue
        counts["people_created" if person.pk is None else "people_updated"] += 1
        person.save()
        audit.record(actor=by, action=AuditAction.IMPORT, instance=person, changes=changes)
    return counts
