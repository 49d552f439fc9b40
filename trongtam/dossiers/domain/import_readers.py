"""Reading an import file as a stream of rows: CSV, Excel (.xlsx) and JSON, whatever the size of the file.

A reader never holds the file in memory: CSV and JSON Lines are read a line at a time from the binary file (each
line decoded on its own, so a byte that is not UTF-8 is reported with its line number), an .xlsx through
openpyxl's read-only mode (rows parsed as they are reached). Only a JSON *array* has to be parsed whole, so it
is accepted up to `JSON_ARRAY_MAX_BYTES`; larger exports go as JSON Lines (one object per line).

What a reader gives: `headers` (the file's own column names, in order) and `rows()`, pairs of the row number the
person sees in their file (the CSV line or Excel row; the record's position in a JSON array) and the cells in
header order. Anything that stops the file from being read at all raises `FileUnreadable` with a Vietnamese
message, the row when one is concerned; nothing is written by a reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import IO, Any, Protocol

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

FORMATS = {"csv": "csv", "txt": "csv", "xlsx": "xlsx", "json": "json", "jsonl": "json", "ndjson": "json"}
ACCEPTED_EXTENSIONS = tuple(f".{ext}" for ext in FORMATS)

MAX_ROW_CHARS = 20_000  # one dossier is a few hundred characters; a longer line is a broken file
MAX_CELL_CHARS = 5_000
JSON_ARRAY_MAX_BYTES = 20 * 1024 * 1024
XLSX_UNPACK_FACTOR = 20  # a real workbook unpacks to a few times its size; far more is a "zip bomb"
SNIFF_BYTES = 64 * 1024

ZIP_SIGNATURE = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"


class FileUnreadable(Exception):
    """The file cannot be read as rows; `row` is the line or row concerned (None: the file as a whole)."""

    def __init__(self, message: str, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


class RowReader(Protocol):
    headers: list[str]

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]: ...

    def estimated_rows(self) -> int: ...


def size_text(size: int) -> str:
    return str(filesizeformat(size))


def format_of(name: str) -> str:
    """csv, xlsx or json from the file's extension; "" when the extension is not one we read."""
    return FORMATS.get(PurePath(name).suffix.lower().lstrip("."), "")


def file_problem(name: str, size: int, head: bytes, max_bytes: int) -> str | None:
    """Why the file is refused before it is stored, from its name, size and first bytes; None if acceptable."""
    shown = PurePath(name).name
    if size == 0:
        return _("Tệp «%(name)s» rỗng (0 byte): không có gì để nhập.") % {"name": shown}
    if size > max_bytes:
        return _("Tệp «%(name)s» có dung lượng %(size)s, vượt giới hạn %(limit)s.") % {
            "name": shown,
            "size": size_text(size),
            "limit": size_text(max_bytes),
        }
    kind = format_of(shown)
    if not kind:
        return _(
            "Tệp «%(name)s» không thuộc loại được nhận. Hãy dùng tệp CSV (.csv), Excel (.xlsx) hoặc JSON "
            "(.json, .jsonl)."
        ) % {"name": shown}
    if kind == "xlsx" and not head.startswith(ZIP_SIGNATURE):
        return _(
            "Tệp «%(name)s» có đuôi .xlsx nhưng nội dung không phải tệp Excel .xlsx (có thể là tệp CSV hay tệp "
            "Excel cũ .xls được đổi tên). Hãy mở bằng Excel và lưu lại ở định dạng .xlsx."
        ) % {"name": shown}
    if kind != "xlsx":
        problem = _binary_problem(shown, head)
        if problem:
            return problem
    return None


def _binary_problem(name: str, head: bytes) -> str | None:
    if head.startswith(ZIP_SIGNATURE):
        return _(
            "Tệp «%(name)s» là tệp nén hoặc tệp Excel được đổi đuôi, không phải tệp văn bản. Nếu là tệp Excel, "
            "hãy lưu với đuôi .xlsx; nếu không, hãy xuất lại ở dạng CSV UTF-8."
        ) % {"name": name}
    if b"\x00" in head:
        return _(
            "Tệp «%(name)s» là tệp nhị phân, không phải tệp văn bản CSV hay JSON (hoặc được lưu bằng bảng mã "
            "UTF-16). Hãy xuất lại tệp ở dạng CSV UTF-8."
        ) % {"name": name}
    return None


def _encoding_message(line: int) -> str:
    return _(
        "Dòng %(line)d có ký tự không đọc được theo bảng mã UTF-8: tệp có lẽ được lưu bằng bảng mã "
        "Windows-1258 hoặc Windows-1252 (cp1252). Hãy mở tệp và lưu lại ở dạng «CSV UTF-8» rồi tải lên lại."
    ) % {"line": line}


def _huge_row_message(line: int) -> str:
    return _(
        "Dòng %(line)d dài hơn %(max)s ký tự: tệp bị hỏng, hoặc một ô có dấu ngoặc kép không được đóng."
    ) % {"line": line, "max": number_format(MAX_ROW_CHARS, force_grouping=True)}


def text_lines(binary: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, each decoded strictly as UTF-8 (a leading BOM dropped), at most MAX_ROW_CHARS
    bytes each: a line that is not UTF-8, or too long, stops the reading with its line number."""
    binary.seek(0)
    limit = (
        MAX_ROW_CHARS * 4
    )  # UTF-8 takes up to 4 bytes a character; the characters are counted after decoding
    number = 0
    while True:
        raw = binary.readline(limit + 1)
        if not raw:
            return
        number += 1
        if number == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
        if len(raw) > limit:
            raise FileUnreadable(_huge_row_message(number), row=number)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_encoding_message(number), row=number) from exc
        if "\x00" in line:
            raise FileUnreadable(_("Dòng %(line)d có byte nhị phân (NUL).") % {"line": number}, row=number)
        yield line


def _count_lines(binary: IO[bytes]) -> int:
    """Lines in the file, counted on the bytes (a quick upper bound on the rows, for the progress bar)."""
    binary.seek(0)
    count, last = 0, b"\n"
    while chunk := binary.read(1024 * 1024):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    binary.seek(0)
    return count + (last != b"\n")


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ".0", spaces trimmed, Unicode composed (NFC)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        return text if text.isascii() else unicodedata.normalize("NFC", text)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# -- CSV ----------------------------------------------------------------------------------------------------


class CsvReader:
    """A CSV file in UTF-8 (with or without BOM), delimited by commas, semicolons or tabs (found in the header)."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        lines = text_lines(binary)
        first = next(lines, "")
        self.delimiter = max((",", ";", "\t"), key=first.count)
        header = next(csv.reader([first], delimiter=self.delimiter), [])
        self.headers = [cell_text(h) for h in header]

    def estimated_rows(self) -> int:
        return max(_count_lines(self.binary) - 1, 0)

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        lines = text_lines(self.binary)
        reader = csv.reader(lines, delimiter=self.delimiter)
        width = len(self.headers)
        try:
            next(reader, None)
            for cells in reader:
                number = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    message = _(
                        "Dòng có %(cells)d ô, nhiều hơn %(width)d cột của dòng tiêu đề: có lẽ một ô chứa dấu "
                        "phân cách «%(sep)s» mà không được đặt trong dấu ngoặc kép."
                    ) % {"cells": len(cells), "width": width, "sep": self.delimiter.replace("\t", "Tab")}
                    yield number, BadRow(message)
                    continue
                yield number, cells
        except csv.Error as exc:
            line = reader.line_num
            raise FileUnreadable(
                _("Dòng %(line)d không đọc được theo định dạng CSV (%(error)s).")
                % {"line": line, "error": exc},
                row=line,
            ) from exc


class BadRow(list[str]):
    """A row that cannot be read as cells (more cells than headers, a JSON record that is not an object): an
    empty row carrying its message, which the row checker reports as the row's problem."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


# -- JSON ---------------------------------------------------------------------------------------------------


def _json_text(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


class JsonLinesReader:
    """JSON Lines: one object per line; the keys of the first object are the columns."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.headers = []
        for number, record in self._records():
            if not isinstance(record, dict):
                raise FileUnreadable(_not_object(number), row=number)
            self.headers = [str(k) for k in record]
            break

    def estimated_rows(self) -> int:
        return _count_lines(self.binary)

    def _records(self) -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(text_lines(self.binary), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise FileUnreadable(
                    _(
                        "Dòng %(line)d không phải một đối tượng JSON hoàn chỉnh (%(error)s). Tệp JSON phải là một "
                        "mảng các đối tượng, hoặc JSON Lines: mỗi dòng một đối tượng."
                    )
                    % {"line": number, "error": exc.msg},
                    row=number,
                ) from exc

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        headers = self.headers
        for number, record in self._records():
            if not isinstance(record, dict):
                yield number, BadRow(_not_object(number))
                continue
            yield number, [_json_text(record.get(h)) for h in headers]


def _not_object(number: int) -> str:
    return _("Bản ghi %(n)d không phải một đối tượng JSON {…}.") % {"n": number}


class JsonArrayReader:
    """A JSON array of objects, parsed whole (hence its size limit); a record's number is its position."""

    def __init__(self, binary: IO[bytes], size: int) -> None:
        if size > JSON_ARRAY_MAX_BYTES:
            raise FileUnreadable(
                _(
                    "Tệp JSON dạng mảng lớn hơn %(limit)s. Hãy xuất tệp lớn ở dạng JSON Lines (.jsonl, mỗi dòng "
                    "một hồ sơ) hoặc CSV."
                )
                % {"limit": size_text(JSON_ARRAY_MAX_BYTES)}
            )
        binary.seek(0)
        raw = binary.read()
        if raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_encoding_message(raw[: exc.start].count(b"\n") + 1)) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileUnreadable(
                _("Tệp JSON không hợp lệ ở dòng %(line)d, cột %(col)d (%(error)s).")
                % {"line": exc.lineno, "col": exc.colno, "error": exc.msg},
                row=exc.lineno,
            ) from exc
        if not isinstance(data, list):
            raise FileUnreadable(_("Tệp JSON phải là một mảng các đối tượng [{…}, {…}] hoặc JSON Lines."))
        self.records: list[Any] = data
        first = next((r for r in data if isinstance(r, dict)), {})
        self.headers = [str(k) for k in first]

    def estimated_rows(self) -> int:
        return len(self.records)

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        headers = self.headers
        for number, record in enumerate(self.records, start=1):
            if not isinstance(record, dict):
                yield number, BadRow(_not_object(number))
                continue
            yield number, [_json_text(record.get(h)) for h in headers]


def _json_reader(binary: IO[bytes], size: int, name: str) -> RowReader:
    binary.seek(0)
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    start = head.removeprefix(UTF8_BOM).lstrip()[:1]
    if start == b"[" and PurePath(name).suffix.lower() == ".json":
        return JsonArrayReader(binary, size)
    return JsonLinesReader(binary)


# -- Excel --------------------------------------------------------------------------------------------------


class XlsxReader:
    """The first sheet of an .xlsx workbook, read row by row (openpyxl read-only mode)."""

    def __init__(self, binary: IO[bytes], size: int) -> None:
        from openpyxl import load_workbook

        binary.seek(0)
        try:
            with zipfile.ZipFile(binary) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise FileUnreadable(_("Tệp Excel bị hỏng, không mở được.")) from exc
        if unpacked > max(size, 1024 * 1024) * XLSX_UNPACK_FACTOR:
            raise FileUnreadable(_("Tệp Excel giải nén ra quá lớn so với dung lượng tệp; không đọc tệp này."))
        binary.seek(0)
        try:
            self.workbook = load_workbook(binary, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise FileUnreadable(_("Tệp Excel bị hỏng, không mở được.")) from exc
        self.sheet = self.workbook.worksheets[0]
        first = next(self.sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        headers = [cell_text(h) for h in first]
        while headers and not headers[-1]:
            headers.pop()
        self.headers = headers

    def estimated_rows(self) -> int:
        return max((self.sheet.max_row or 1) - 1, 0)

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        width = len(self.headers)
        for number, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
            if all(v is None or v == "" for v in values):
                continue
            if len(values) > width and any(v not in (None, "") for v in values[width:]):
                yield (
                    number,
                    BadRow(
                        _("Dòng có dữ liệu ở cột không có tiêu đề (sau cột thứ %(width)d).")
                        % {"width": width}
                    ),
                )
                continue
            yield number, values


def open_reader(binary: IO[bytes], name: str, size: int) -> RowReader:
    """The reader for the file `name` (its format from the extension), after a look at its first bytes."""
    kind = format_of(name)
    binary.seek(0)
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    problem = _binary_problem(PurePath(name).name, head) if kind != "xlsx" else None
    if problem:
        raise FileUnreadable(problem)
    if kind == "xlsx":
        return XlsxReader(binary, size)
    if kind == "json":
        return _json_reader(binary, size, name)
    return CsvReader(binary)


def first_bytes(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head
