"""Issue 5's import story, walked through the real pages in Chromium: the commune's one-stop officer (cc.xa01)
uploads yesterday's dossiers as exported by the provincial one-stop system (the sample file of the import page),
follows the import's progress and reads the result; uploads a file with a bad date and an unknown procedure code
and reads each problem by row and column, nothing written; imports the first file again and is told nothing
changed. Then the officer enters a dossier at the counter, reads its due date, and finds it in the list by the
applicant's name typed without diacritics.

The import runs on the worker (`jobs.task_run_import`, enqueued after the upload commits). In the tests the tasks
backend is immediate, so the first upload is switched to the dummy backend: the job stays queued, the page shows
it waiting and polls; the test then runs the job as the worker would, and the page reloads itself with the result.
The later uploads use the immediate backend, as a quiet worker would.

Set E2E_SCREENSHOTS=<dir> to keep a screenshot of every step.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import expect_message, logged_in, shot
from trongtam.dossiers.domain.deadlines import due_date
from trongtam.dossiers.enums import Channel, ImportStatus
from trongtam.dossiers.jobs import task_run_import
from trongtam.dossiers.models import Dossier, ImportJob, Procedure
from trongtam.org.models import Unit
from trongtam.workdays.domain.queries import work_calendar

pytestmark = [pytest.mark.e2e]

OFFICER = "cc.xa01"
SAMPLE = Path(django_settings.BASE_DIR) / "trongtam" / "dossiers" / "samples" / "ho-so-hom-qua.csv"
HEADER = (
    "MaHoSo,MaTTHC,MaDonVi,KenhThucHien,TrangThaiHoSoId,ChuHoSo,SoDienThoai,DiaChi,Email,NgayNopHoSo,"
    "NgayTiepNhan,NgayYeuCauBoSung,NgayCongDanBoSung,NgayKetThucXuLy,NgayTra,LyDoTuChoi"
)
# Three rows: the first is right, the second was received on a day that does not exist, the third is of a
# procedure the catalog does not hold. Rows are numbered as a spreadsheet shows them: the header is row 1.
BAD_ROWS = [
    "XA01-LOI-0001,1.001022,XA01,1,4,Ngô Văn Sáu,0912000201,,,23/11/2026 08:00,23/11/2026 08:05,,,,,",
    "XA01-LOI-0002,1.001022,XA01,1,4,Lý Thị Bảy,0912000202,,,23/11/2026 08:00,31/02/2026 08:05,,,,,",
    "XA01-LOI-0003,9.999999,XA01,1,4,Đinh Văn Tám,0912000203,,,23/11/2026 09:00,23/11/2026 09:05,,,,,",
]
# The worker absent: the tasks are kept, never run.
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
APPLICANT = "Nguyễn Thị Hồng Nhung"
APPLICANT_FOLDED = "nguyen thi hong nhung"


def _shot(page: Any, name: str) -> None:
    shot(page, f"import-{name}")


def _menu(page: Any, name: str) -> None:
    """A page of the one-stop menu ("Hồ sơ một cửa") in the internal navigation."""
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    navigation.get_by_role("button", name="Hồ sơ một cửa").click()
    navigation.get_by_role("link", name=name, exact=True).click()


def _upload(page: Any, path: Path) -> None:
    _menu(page, "Nhập tệp hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập tệp hồ sơ")
    page.get_by_role("link", name="Nhập tệp mới").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập tệp mới")
    page.get_by_label("Loại dữ liệu").select_option(label="Hồ sơ")
    page.get_by_label("Tệp cần nhập").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và nhập").click()
    expect_message(page, f"Đã nhận tệp «{path.name}»")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nhập tệp «{path.name}»")


def _counts(page: Any) -> dict[str, str]:
    table = page.locator("#import-counts")
    expect(table).to_be_visible()
    return {
        label: table.get_by_role("row").filter(has_text=label).get_by_role("cell").inner_text().strip()
        for label in ("Tạo mới", "Cập nhật", "Không đổi")
    }


def _previous_working_day(day: dt.date) -> dt.date:
    calendar = work_calendar()
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def test_dossier_import_story(live_server: Any, seeded_province: None, new_page: Any, tmp_path: Path) -> None:
    base = live_server.url
    sample_codes = [line.split(",", 1)[0] for line in SAMPLE.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert len(sample_codes) == 12
    assert not Dossier.objects.filter(code__in=sample_codes).exists()
    yesterday = tmp_path / "ho-so-hom-qua.csv"
    yesterday.write_bytes(SAMPLE.read_bytes())
    page = logged_in(new_page, base, OFFICER)

    # The first upload waits for the worker: the page says so and polls; the worker runs; the page shows the result.
    with override_settings(TASKS=NO_WORKER):
        _upload(page, yesterday)
        expect(page.get_by_role("status").filter(has_text="Tệp đang chờ đến lượt xử lý")).to_be_visible()
    _shot(page, "01-queued")
    job = ImportJob.objects.get(original_name=yesterday.name)
    assert job.status == ImportStatus.QUEUED
    assert task_run_import.call(job_id=job.pk) == ImportStatus.DONE
    expect(page.get_by_role("status").filter(has_text="Đã nhập xong 12 dòng.")).to_be_visible(timeout=15_000)
    assert _counts(page) == {"Tạo mới": "12", "Cập nhật": "0", "Không đổi": "0"}
    _shot(page, "02-done")
    assert Dossier.objects.filter(code__in=sample_codes, unit__code="XA01").count() == 12

    # A file with a bad date and an unknown procedure: every problem by row and column, nothing written.
    bad = tmp_path / "ho-so-co-loi.csv"
    bad.write_text("\n".join([HEADER, *BAD_ROWS]) + "\n", encoding="utf-8")
    _upload(page, bad)
    main = page.get_by_role("main")
    expect(main.get_by_role("alert").filter(has_text="Tệp có 2 lỗi. Chưa ghi dòng nào")).to_be_visible()
    errors = page.locator("#import-errors")
    expect(errors.locator("tbody tr")).to_have_count(2)
    date_error = errors.get_by_role("row").filter(has_text="31/02/2026")
    expect(date_error.get_by_role("cell").nth(0)).to_have_text("3")
    expect(date_error.get_by_role("cell").nth(1)).to_have_text("NgayTiepNhan")
    expect(date_error).to_contain_text("«31/02/2026 08:05» không phải ngày giờ hợp lệ.")
    procedure_error = errors.get_by_role("row").filter(has_text="9.999999")
    expect(procedure_error.get_by_role("cell").nth(0)).to_have_text("4")
    expect(procedure_error.get_by_role("cell").nth(1)).to_have_text("MaTTHC")
    expect(procedure_error).to_contain_text("Không có thủ tục mã «9.999999» trong danh mục thủ tục.")
    _shot(page, "03-errors")
    assert not Dossier.objects.filter(code__startswith="XA01-LOI-").exists()
    assert ImportJob.objects.get(original_name=bad.name).status == ImportStatus.FAILED

    # The same file again: nothing changes.
    again = tmp_path / "ho-so-hom-qua-lan-2.csv"
    again.write_bytes(SAMPLE.read_bytes())
    _upload(page, again)
    expect(page.get_by_role("status").filter(has_text="Đã nhập xong 12 dòng.")).to_be_visible()
    assert _counts(page) == {"Tạo mới": "0", "Cập nhật": "0", "Không đổi": "12"}
    _shot(page, "04-unchanged")
    _menu(page, "Nhập tệp hồ sơ")
    for name in (yesterday.name, bad.name, again.name):
        expect(page.get_by_role("main")).to_contain_text(name)

    # A dossier entered at the counter, received on the last working day at 09:30: its due date is shown.
    procedure = Procedure.objects.get(code="1.001022")
    received = timezone.make_aware(
        dt.datetime.combine(_previous_working_day(timezone.localdate()), dt.time(9, 30))
    )
    due = due_date(received, procedure.processing_days, work_calendar())
    _menu(page, "Tiếp nhận hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận hồ sơ tại bộ phận một cửa")
    # The officer enters for one commune only: it is chosen already.
    expect(page.get_by_label("Đơn vị giải quyết")).to_have_value(str(Unit.objects.get(code="XA01").pk))
    page.get_by_label("Thủ tục").select_option(label=str(procedure))
    page.get_by_role("textbox", name=re.compile("^Chủ hồ sơ")).fill(APPLICANT)
    page.get_by_label("Điện thoại").fill("0905123456")
    page.get_by_label("Địa chỉ").fill("Thôn Nam, phường Sơn Hà")
    page.get_by_label("Thời điểm tiếp nhận").fill(received.strftime("%d/%m/%Y %H:%M"))
    page.get_by_role("button", name="Tiếp nhận và tính ngày hẹn trả").click()
    expect_message(page, f"Ngày hẹn trả kết quả: {due:%d/%m/%Y}.")
    expect(page.locator("#due-date")).to_have_text(f"{due:%d/%m/%Y}")
    _shot(page, "05-counter")
    dossier = Dossier.objects.get(applicant_name=APPLICANT)
    assert dossier.due_date == due
    assert dossier.channel == Channel.COUNTER

    # The list, searched by the name without diacritics.
    _menu(page, "Hồ sơ thủ tục hành chính")
    page.get_by_label("Mã hồ sơ hoặc tên chủ hồ sơ").fill(APPLICANT_FOLDED)
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("#dossiers tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(APPLICANT)
    expect(rows.first.get_by_role("link", name=dossier.code)).to_be_visible()
    expect(rows.first).to_contain_text(f"{due:%d/%m/%Y}")
    _shot(page, "06-found")
