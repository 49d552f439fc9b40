"""Importing dossiers and procedures from files: every refusal names its row and column and writes nothing; a
re-import is a no-op; a changed row updates the dossier with an audited diff; CSV, Excel and JSON alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.dossiers.factories import at, make_procedure
from trongtam.core.audit import verify_chain
from trongtam.core.models import AuditEntry
from trongtam.dossiers.domain.deadlines import schedule
from trongtam.dossiers.domain.import_columns import parse_moment
from trongtam.dossiers.domain.import_readers import format_of
from trongtam.dossiers.domain.importing import MAX_SHOWN_ERRORS, error_total, run_import, shown_errors
from trongtam.dossiers.enums import ImportKind, ImportStatus, Source
from trongtam.dossiers.models import Dossier, ImportJob, Procedure
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.queries import work_calendar

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = [
    "MaHoSo",
    "MaTTHC",
    "MaDonVi",
    "KenhThucHien",
    "TrangThaiHoSoId",
    "ChuHoSo",
    "SoDienThoai",
    "DiaChi",
    "Email",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayYeuCauBoSung",
    "NgayCongDanBoSung",
    "NgayKetThucXuLy",
    "NgayTra",
    "LyDoTuChoi",
]
PROCEDURE = "T-IMP-05"


@pytest.fixture(autouse=True)
def procedure(db: None) -> Procedure:
    return make_procedure(PROCEDURE, processing_days=5)


def dossier_row(code: str = "IMP-0001", **cells: str) -> dict[str, str]:
    row = {
        "MaHoSo": code,
        "MaTTHC": PROCEDURE,
        "MaDonVi": "XA01",
        "KenhThucHien": "1",
        "TrangThaiHoSoId": "4",
        "ChuHoSo": "Nguyễn Thị Hoa",
        "SoDienThoai": "0912345678",
        "DiaChi": "Số 5, đường Trần Phú",
        "NgayNopHoSo": "02/03/2026 08:55",
        "NgayTiepNhan": "02/03/2026 09:00",
    }
    row.update(cells)
    return row


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None, *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header or HEADER, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode()


def run(
    data: bytes,
    name: str = "ho-so.csv",
    *,
    user: str | None = "cc.xa01",
    kind: ImportKind = ImportKind.DOSSIERS,
    unit: Unit | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    job = ImportJob.objects.create(
        kind=kind,
        original_name=name,
        file_format=format_of(name),
        status=ImportStatus.RUNNING,
        created_by=Person.objects.get(username=user) if user else None,
        unit=unit,
        mapping=mapping or {},
    )
    return run_import(job, io.BytesIO(data), name=name, size=len(data))


def imported() -> int:
    return Dossier.objects.filter(code__startswith="IMP-").count()


def only_error(job: ImportJob) -> dict[str, Any]:
    assert job.status == ImportStatus.FAILED
    errors = shown_errors(job)
    assert len(errors) == 1, errors
    return errors[0]


# -- what is written ---------------------------------------------------------------------------------------------


def test_csv_import_creates_dossiers_with_the_schedule_due_date(procedure: Procedure, unit: Any) -> None:
    data = csv_bytes([dossier_row("IMP-0001"), dossier_row("IMP-0002", NgayTiepNhan="02/03/2026 17:30")])

    job = run(data)

    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("done", 2, 0, 0)
    first = Dossier.objects.get(code="IMP-0001")
    calendar = work_calendar()
    received = at(dt.date(2026, 3, 2), 9)
    assert first.due_date == schedule(received, 5, calendar).due_date
    assert first.received_on == dt.date(2026, 3, 2)
    assert (first.unit, first.procedure, first.status, first.channel) == (unit("XA01"), procedure, 4, 1)
    assert (first.source, first.version, first.phone_last4) == (Source.IMPORT, 1, "5678")
    assert first.search_text == "imp-0001 nguyen thi hoa"
    after_hours = Dossier.objects.get(code="IMP-0002")
    assert after_hours.due_date == schedule(received.replace(hour=17, minute=30), 5, calendar).due_date
    assert first.due_date is not None
    assert after_hours.due_date is not None
    assert after_hours.due_date > first.due_date  # received after 17:00: counted from the next working day
    assert (job.rows_total, job.rows_done, job.finished_at is not None) == (2, 2, True)


def test_reimporting_the_same_file_changes_nothing() -> None:
    data = csv_bytes(
        [dossier_row("IMP-0001"), dossier_row("IMP-0002", TrangThaiHoSoId="9", NgayKetThucXuLy="04/03/2026")]
    )
    run(data)
    before = list(Dossier.objects.filter(code__startswith="IMP-").order_by("code").values())
    entries = AuditEntry.objects.count()

    again = run(data)

    assert (again.status, again.created_count, again.updated_count, again.unchanged_count) == (
        "done",
        0,
        0,
        2,
    )
    assert list(Dossier.objects.filter(code__startswith="IMP-").order_by("code").values()) == before
    assert AuditEntry.objects.count() == entries


def test_a_changed_row_updates_the_dossier_and_is_audited_with_its_diff() -> None:
    run(csv_bytes([dossier_row("IMP-0001"), dossier_row("IMP-0002")]))
    entries = AuditEntry.objects.count()
    changed = dossier_row("IMP-0002", TrangThaiHoSoId="9", NgayKetThucXuLy="05/03/2026")

    job = run(csv_bytes([dossier_row("IMP-0001"), changed]))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    dossier = Dossier.objects.get(code="IMP-0002")
    assert (dossier.status, dossier.finished_on, dossier.version) == (9, dt.date(2026, 3, 5), 2)
    entry = AuditEntry.objects.get(object_type="dossiers.dossier", object_id=str(dossier.pk))
    assert entry.changes == {"status": [4, 9], "finished_on": [None, "2026-03-05"]}
    assert entry.action == "import"
    assert entry.actor_name
    assert AuditEntry.objects.count() == entries + 2  # the dossier's diff and the import's own entry
    assert verify_chain() is None


def test_a_supplement_pause_moves_the_due_date_by_schedule() -> None:
    row = dossier_row(
        "IMP-0001", TrangThaiHoSoId="4", NgayYeuCauBoSung="03/03/2026", NgayCongDanBoSung="06/03/2026"
    )

    run(csv_bytes([row]))

    dossier = Dossier.objects.get(code="IMP-0001")
    plan = schedule(
        at(dt.date(2026, 3, 2), 9),
        5,
        work_calendar(),
        supplement_requested_on=dt.date(2026, 3, 3),
        supplement_received_on=dt.date(2026, 3, 6),
    )
    assert (dossier.due_date, dossier.paused_days) == (plan.due_date, plan.paused_days)
    assert dossier.paused_days == 3


def test_xlsx_import_reads_typed_and_text_cells(procedure: Procedure) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["IMP-0001", PROCEDURE, "XA01", 2, 9, "Lê Văn Bình", "0976543210", "", "", None,
                  dt.datetime(2026, 3, 2, 9, 0), None, None, dt.datetime(2026, 3, 4), None, None])  # fmt: skip  # noqa: DTZ001 -- Excel keeps no zone
    sheet.append(["IMP-0002", PROCEDURE, "XA01", "1", "2", "Phạm Minh Châu", "0965432109", "", "", "",
                  "2026-03-02T10:15:00", "", "", "", "", ""])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = run(buffer.getvalue(), "ho-so.xlsx")

    assert (job.status, job.created_count) == ("done", 2)
    first = Dossier.objects.get(code="IMP-0001")
    assert (first.channel, first.status, first.finished_on) == (2, 9, dt.date(2026, 3, 4))
    assert timezone.localtime(Dossier.objects.get(code="IMP-0002").received_at).hour == 10


def test_json_array_and_json_lines_import_alike() -> None:
    records: list[dict[str, Any]] = [
        dossier_row("IMP-0001"),
        {**dossier_row("IMP-0002"), "KenhThucHien": 2, "TrangThaiHoSoId": 2},
    ]
    array = json.dumps(records, ensure_ascii=False).encode()
    lines = "\n".join(json.dumps({**r, "MaHoSo": r["MaHoSo"] + "L"}, ensure_ascii=False) for r in records)

    from_array = run(array, "ho-so.json")
    from_lines = run(lines.encode(), "ho-so.jsonl")

    assert (from_array.status, from_array.created_count) == ("done", 2)
    assert (from_lines.status, from_lines.created_count) == ("done", 2)
    assert Dossier.objects.get(code="IMP-0002L").channel == 2


def test_a_mapping_names_the_files_own_headers() -> None:
    header = ["SoHoSoGoc", *HEADER[1:]]
    row = {**dossier_row("IMP-0001"), "SoHoSoGoc": "IMP-0001"}

    job = run(csv_bytes([row], header), mapping={"code": "SoHoSoGoc"})

    assert (job.status, job.created_count) == ("done", 1)


def test_a_file_without_unit_codes_takes_the_chosen_unit(unit: Any) -> None:
    header = [h for h in HEADER if h != "MaDonVi"]

    job = run(csv_bytes([dossier_row("IMP-0001")], header), unit=unit("XA01"))

    assert job.status == "done"
    assert Dossier.objects.get(code="IMP-0001").unit == unit("XA01")


def test_semicolon_separated_csv_without_bom_is_read() -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, extrasaction="ignore", delimiter=";")
    writer.writeheader()
    writer.writerow(dossier_row("IMP-0001", DiaChi="Số 5, đường Trần Phú"))

    job = run(buffer.getvalue().encode())

    assert (job.status, job.created_count) == ("done", 1)


# -- refusals: a row-and-column message, and nothing written -----------------------------------------------------


def _cp1258() -> bytes:
    good = csv_bytes([dossier_row("IMP-0001")], bom=False)
    return good + "IMP-0002,T-IMP-05,XA01,1,4,Đào Văn Hà,0912345678,,,,02/03/2026 09:00,,,,,\r\n".encode(
        "cp1258"
    )


REFUSALS = {
    "missing header": (
        csv_bytes([dossier_row()], [h for h in HEADER if h != "MaHoSo"]),
        "ho-so.csv",
        (1, "MaHoSo", "Thiếu cột bắt buộc «MaHoSo» (Mã hồ sơ) ở dòng tiêu đề."),
    ),
    "misspelt header": (
        csv_bytes([dossier_row()], ["MaHoSoo", *HEADER[1:]]),
        "ho-so.csv",
        (1, "MaHoSo", "Các cột không nhận ra: «MaHoSoo»."),
    ),
    "bad date": (
        csv_bytes([dossier_row(NgayTiepNhan="31/02/2026 09:00")]),
        "ho-so.csv",
        (2, "NgayTiepNhan", "«31/02/2026 09:00» không phải ngày giờ hợp lệ."),
    ),
    "unknown procedure": (
        csv_bytes([dossier_row(MaTTHC="9.999999")]),
        "ho-so.csv",
        (2, "MaTTHC", "Không có thủ tục mã «9.999999» trong danh mục thủ tục."),
    ),
    "unknown unit": (
        csv_bytes([dossier_row(MaDonVi="XA99")]),
        "ho-so.csv",
        (2, "MaDonVi", "Không có đơn vị mã «XA99»."),
    ),
    "unit not allowed": (
        csv_bytes([dossier_row(MaDonVi="XA02")]),
        "ho-so.csv",
        (2, "MaDonVi", "Bạn không được nhập hồ sơ cho đơn vị «XA02"),
    ),
    "status out of range": (
        csv_bytes([dossier_row(TrangThaiHoSoId="11")]),
        "ho-so.csv",
        (2, "TrangThaiHoSoId", "Trạng thái «11» không hợp lệ: phải là số từ 1 đến 10."),
    ),
    "channel out of range": (
        csv_bytes([dossier_row(KenhThucHien="4")]),
        "ho-so.csv",
        (2, "KenhThucHien", "Kênh nộp «4» không hợp lệ"),
    ),
    "received date missing": (
        csv_bytes([dossier_row(NgayTiepNhan="")]),
        "ho-so.csv",
        (2, "NgayTiepNhan", "Hồ sơ ở trạng thái 4 (Đang xử lý) phải có ngày tiếp nhận."),
    ),
    "required cell empty": (
        csv_bytes([dossier_row(ChuHoSo="")]),
        "ho-so.csv",
        (2, "ChuHoSo", "Bắt buộc, không được để trống."),
    ),
    "zero bytes": (b"", "ho-so.csv", (None, "", "Tệp «ho-so.csv» rỗng (0 byte): không có gì để nhập.")),
    "header only": (csv_bytes([]), "ho-so.csv", (2, "", "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")),
    "windows-1258": (_cp1258(), "ho-so.csv", (3, "", "Dòng 3 có ký tự không đọc được theo bảng mã UTF-8")),
    "binary": (b"\x00\x01\x02\x03" * 100, "ho-so.csv", (None, "", "là tệp nhị phân")),
    "xlsx renamed csv": (b"PK\x03\x04" + b"\x00" * 100, "ho-so.csv", (None, "", "là tệp nén hoặc tệp Excel")),
    "not xlsx": (csv_bytes([dossier_row()]), "ho-so.xlsx", (None, "", "nội dung không phải tệp Excel .xlsx")),
    "wrong type": (b"%PDF-1.7 ...", "ho-so.pdf", (None, "", "không thuộc loại được nhận")),
    "huge cell": (
        csv_bytes([dossier_row(DiaChi="x" * 6000)]),
        "ho-so.csv",
        (2, "DiaChi", "Ô dài 6.000 ký tự, vượt giới hạn 5.000 ký tự của một ô."),
    ),
    "huge line": (
        csv_bytes([dossier_row()]) + b"IMP-9," + b"y" * 100_000 + b"\r\n",
        "ho-so.csv",
        (3, "", "Dòng 3 dài hơn 20.000 ký tự"),
    ),
    "too many cells": (
        csv_bytes([dossier_row()])
        + ",".join(
            ["IMP-0002", PROCEDURE, "XA01", "1", "4", "A", "0912345678", "Số 5", " Trần Phú", *[""] * 8, "x"]
        ).encode()
        + b"\r\n",
        "ho-so.csv",
        (3, "", "Dòng có 18 ô, nhiều hơn 16 cột của dòng tiêu đề"),
    ),
    "broken json": (b'{"MaHoSo": "IMP-1"\n', "ho-so.jsonl", (1, "", "Dòng 1 không phải một đối tượng JSON")),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_file_names_row_and_column_and_writes_nothing(case: str) -> None:
    data, name, (row, column, message) = REFUSALS[case]
    entries = AuditEntry.objects.count()

    error = only_error(run(data, name))

    assert (error["row"], error["column"]) == (row, column)
    assert message in error["message"]
    assert imported() == 0
    assert AuditEntry.objects.count() == entries


def test_duplicates_inside_the_file_name_both_rows() -> None:
    rows = [
        dossier_row("IMP-0001"),
        dossier_row("IMP-0002"),
        dossier_row("IMP-0001"),
        dossier_row("IMP-0002"),
    ]

    job = run(csv_bytes(rows))

    assert [(e["row"], e["column"], e["message"]) for e in shown_errors(job)] == [
        (4, "MaHoSo", "Mã «IMP-0001» trùng với dòng 2 của tệp."),
        (5, "MaHoSo", "Mã «IMP-0002» trùng với dòng 3 của tệp."),
    ]
    assert imported() == 0


def test_one_bad_row_among_good_ones_writes_nothing() -> None:
    rows = [dossier_row(f"IMP-{n:04d}") for n in range(1, 50)] + [
        dossier_row("IMP-0050", NgayTiepNhan="hôm qua")
    ]

    job = run(csv_bytes(rows))

    assert (only_error(job)["row"], job.created_count) == (51, 0)
    assert imported() == 0


@override_settings(DOSSIERS_IMPORT_MAX_BYTES=200)
def test_a_file_over_the_size_limit_is_refused() -> None:
    error = only_error(run(csv_bytes([dossier_row()])))

    assert error["message"].startswith("Tệp «ho-so.csv» có dung lượng")
    assert "vượt giới hạn 200" in error["message"]
    assert imported() == 0


def test_errors_beyond_the_first_200_are_counted() -> None:
    rows = [dossier_row(f"IMP-{n:04d}", MaTTHC="9.9") for n in range(250)]

    job = run(csv_bytes(rows))

    assert job.status == ImportStatus.FAILED
    assert len(shown_errors(job)) == MAX_SHOWN_ERRORS
    assert error_total(job) == 250
    assert [e["row"] for e in shown_errors(job)[:3]] == [2, 3, 4]


def test_a_person_who_may_not_import_gets_nothing_written() -> None:
    error = only_error(run(csv_bytes([dossier_row()]), user="hdnd"))

    assert error["message"] == "Bạn không có quyền nhập loại dữ liệu này."
    assert imported() == 0


def test_the_operators_command_path_imports_for_any_unit() -> None:
    job = run(csv_bytes([dossier_row("IMP-0001", MaDonVi="XA02")]), user=None)

    assert (job.status, job.created_count) == ("done", 1)


# -- the procedure catalog ---------------------------------------------------------------------------------------

PROCEDURE_HEADER = ["MaTTHC", "TenTTHC", "LinhVuc", "CapThucHien", "ThoiHanGiaiQuyet"]


def procedure_csv(*rows: tuple[str, ...]) -> bytes:
    lines = [",".join(PROCEDURE_HEADER), *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_procedure_catalog_import_creates_then_updates_with_audit() -> None:
    data = procedure_csv(("T-IMP-90", "Đăng ký kết hôn", "Hộ tịch", "Cấp xã", "1"))

    created = run(data, "danh-muc.csv", user="vanphong", kind=ImportKind.PROCEDURES)
    again = run(data, "danh-muc.csv", user="vanphong", kind=ImportKind.PROCEDURES)
    changed = run(
        procedure_csv(("T-IMP-90", "Đăng ký kết hôn", "Hộ tịch", "Cấp xã", "3")),
        "danh-muc.csv",
        user="vanphong",
        kind=ImportKind.PROCEDURES,
    )

    assert (created.created_count, again.unchanged_count, changed.updated_count) == (1, 1, 1)
    procedure = Procedure.objects.get(code="T-IMP-90")
    assert (procedure.processing_days, procedure.level, procedure.search_text) == (
        3,
        "commune",
        "t-imp-90 dang ky ket hon ho tich",
    )
    entries = AuditEntry.objects.filter(
        object_type="dossiers.procedure", object_id=str(procedure.pk)
    ).order_by("seq")
    assert [e.changes.get("processing_days") for e in entries] == [[None, 1], [1, 3]]


def test_procedure_import_refuses_a_bad_level_and_needs_the_catalog_permission() -> None:
    bad = run(
        procedure_csv(("T-IMP-91", "Thủ tục", "Hộ tịch", "Cấp huyện", "1")),
        "danh-muc.csv",
        user="vanphong",
        kind=ImportKind.PROCEDURES,
    )
    forbidden = run(
        procedure_csv(("T-IMP-92", "Thủ tục", "Hộ tịch", "Cấp xã", "1")),
        "danh-muc.csv",
        user="cc.xa01",
        kind=ImportKind.PROCEDURES,
    )

    assert (only_error(bad)["row"], only_error(bad)["column"]) == (2, "CapThucHien")
    assert only_error(forbidden)["message"] == "Bạn không có quyền nhập loại dữ liệu này."
    assert not Procedure.objects.filter(code__in=["T-IMP-91", "T-IMP-92"]).exists()


# -- the dates of the provincial systems -------------------------------------------------------------------------

# Naive, as the provincial files write them: the province's local time.
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 12, 31)).map(  # noqa: DTZ001
    lambda d: d.replace(microsecond=0)
)


@given(moments)
def test_dates_read_back_the_same_in_both_written_forms(moment: dt.datetime) -> None:
    tz = timezone.get_default_timezone()
    expected = moment.replace(tzinfo=tz)

    assert parse_moment(moment.strftime("%d/%m/%Y %H:%M:%S"), tz) == expected
    assert parse_moment(moment.isoformat(), tz) == expected
    assert parse_moment(moment.strftime("%d/%m/%Y"), tz) == expected.replace(hour=0, minute=0, second=0)


def test_a_json_array_over_its_limit_asks_for_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trongtam.dossiers.domain.import_readers.JSON_ARRAY_MAX_BYTES", 100)
    data = json.dumps([dossier_row("IMP-0001"), dossier_row("IMP-0002")], ensure_ascii=False).encode()

    error = only_error(run(data, "ho-so.json"))

    assert "JSON Lines" in error["message"]
    assert imported() == 0


def test_a_due_date_beyond_the_calendar_is_a_row_error() -> None:
    error = only_error(run(csv_bytes([dossier_row(NgayTiepNhan="31/12/2100 09:00")])))

    assert (error["row"], error["column"]) == (2, "NgayTiepNhan")
    assert imported() == 0


def test_row_errors_and_duplicates_are_listed_together_in_row_order() -> None:
    rows = [dossier_row("IMP-0001"), dossier_row("IMP-0001"), dossier_row("IMP-0003", TrangThaiHoSoId="12")]

    job = run(csv_bytes(rows))

    assert [(e["row"], e["column"]) for e in shown_errors(job)] == [(3, "MaHoSo"), (4, "TrangThaiHoSoId")]
    assert error_total(job) == 2
