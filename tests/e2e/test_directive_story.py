"""Issue 3's story, walked through the real pages in Chromium: the Provincial Office enters a conclusion notice
with four tasks for three departments; the head of the lead unit sees them arrive; a coordinating unit sends its
contribution; the lead unit reports progress with a photo and a PDF and asks for an extension, which the Office
grants; the deadline passes and the daily job reminds the head, then escalates to the Vice-Chairman in charge,
without anyone pressing a button; the lead reports completion, the Office accepts it, and the Chairman reads the
province overview.

The story happens on known days: the clock is moved with time-machine (no sleeping), for the web server and the
background job alike, as `tests/followup/test_reminders.py` does. The demo province is loaded on the first day,
so its directives and their states are those of that day too. Every date asserted below was worked out on the
Vietnamese calendar by hand, so the pages are checked against the calendar, not against themselves:

- the notice is dated Thu 20/08/2026; "within 15 working days" ends on Mon 14/09/2026, not on Thu 10/09 as
  weekdays alone would give: Sat 22/08 is worked (in exchange for Mon 31/08) and 31/08, 01/09 and 02/09 are
  days off for National Day;
- the monthly report on the 25th falls due on 25/08, 25/09, Mon 26/10 (25/10 is a Sunday), 25/11 and 25/12;
- the extension moves the deadline to Mon 28/09/2026: overdue on Tue 29/09 (the head is reminded) and three
  working days overdue on Thu 01/10 (the Vice-Chairman is told).

Set E2E_SCREENSHOTS=<dir> to keep a screenshot of every step.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import expect_message, logged_in, shot
from trongtam.core.models import Notification, NotificationKind
from trongtam.followup.demo import PDF
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Reminder, ReminderKind, Task
from trongtam.followup.tasks import task_follow_up_sweep
from trongtam.org.models import Person

pytestmark = [pytest.mark.e2e]

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE, HEAD, VICE_CHAIR, CHAIRMAN = "vanphong", "gd.stc", "pct.kinhte", "chutich"
COORDINATOR = "cv.skhcn"  # an official of Sở Khoa học và Công nghệ, which coordinates task 1

NUMBER = "128/TB-UBND"
DOCUMENT = f"Thông báo kết luận số {NUMBER} ngày 20/08/2026"
EXCERPT = "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với các sở về giải ngân vốn đầu tư công"
LEAD_TASK = "Đề xuất danh mục dự án cắt giảm, điều chuyển vốn đầu tư công"
MONTHLY = "Báo cáo tình hình giải ngân vốn đầu tư công"
HOUSING = "Hoàn thiện thủ tục đầu tư các dự án nhà ở xã hội"
PLATFORM = "Xây dựng cơ sở dữ liệu theo dõi giải ngân trên nền tảng số của tỉnh"
STC, SXD, SKHCN = "Sở Tài chính", "Sở Xây dựng", "Sở Khoa học và Công nghệ"
CONTRIBUTION = "Sở Khoa học và Công nghệ đã gửi danh mục 6 dự án đề nghị điều chuyển vốn."
PROGRESS = "Đã rà soát 52/130 dự án; khảo sát hiện trường 3 dự án trọng điểm."
EXTENSION_REASON = "Chờ số liệu giải ngân quý III của Kho bạc Nhà nước."
COMPLETION = "Đã trình UBND tỉnh danh mục 17 dự án điều chuyển vốn."


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


def _png() -> bytes:
    """A real 1×1 PNG: the upload check reads the signature, a browser would show it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x2e\x7d\x32"))
        + chunk(b"IEND", b"")
    )


def _shot(page: Any, name: str) -> None:
    shot(page, f"directive-{name}")


def _open_notification(page: Any, title: str) -> None:
    page.get_by_role("link", name=re.compile(r"^Thông báo")).click()
    page.get_by_role("button", name=title, exact=True).click()


def _expect_lifecycle(page: Any, label: str) -> None:
    expect(page.get_by_role("main")).to_contain_text(re.compile(rf"Tình trạng:\s*{re.escape(label)}"))


def _actions(page: Any) -> Any:
    return page.get_by_role("region", name="Xử lý nhiệm vụ")


def _open_form(page: Any, summary: str) -> Any:
    """Unfold the action `summary` (a closed <details>: its form is hidden until then); return that part."""
    title = page.locator("summary").filter(has_text=re.compile(rf"^\s*{re.escape(summary)}\s*$"))
    part = _actions(page).locator("details").filter(has=title)
    part.locator("summary").click()
    return part


def _extensions(page: Any) -> Any:
    return page.get_by_role("table", name="Các đề nghị gia hạn của nhiệm vụ")


def _task_row(page: Any, n: int) -> Any:
    return page.get_by_role("group", name=f"Nhiệm vụ {n}", exact=True)


def _enter_the_notice(page: Any, base: str, chairman_name: str, pdf: Path) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Văn bản giao việc"
    ).click()
    page.get_by_role("link", name="Nhập văn bản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập văn bản giao việc")
    page.get_by_role(
        "button", name="Thêm dòng nhiệm vụ"
    ).click()  # three rows are offered; the notice has four
    expect(_task_row(page, 4)).to_be_visible()

    page.get_by_label("Số, ký hiệu").fill(NUMBER)
    page.get_by_label("Ngày ban hành").fill("20/08/2026")
    page.get_by_label("Loại văn bản").select_option(label="Thông báo kết luận")
    page.get_by_label("Người ký").fill(chairman_name)
    page.get_by_label("Trích yếu").fill(EXCERPT)
    page.get_by_label("Tệp văn bản").set_input_files(str(pdf))

    row = _task_row(page, 1)
    row.get_by_label("Nội dung nhiệm vụ 1").fill(LEAD_TASK)
    row.get_by_label("Đơn vị chủ trì").select_option(label=STC)
    row.get_by_label("Đơn vị phối hợp").select_option(label=[SKHCN])
    row.get_by_label("Loại thời hạn").select_option(label="Trong số ngày làm việc kể từ ngày văn bản")
    row.get_by_label("Số ngày làm việc").fill("15")
    row.get_by_label("Khẩn").check()

    row = _task_row(page, 2)
    row.get_by_label("Nội dung nhiệm vụ 2").fill(MONTHLY)
    row.get_by_label("Đơn vị chủ trì").select_option(label=STC)
    row.get_by_label("Loại thời hạn").select_option(label="Định kỳ")
    row.get_by_label("Tần suất").select_option(label="Hằng tháng")
    row.get_by_label("Ngày trong tháng").fill("25")
    row.get_by_label("Định kỳ đến ngày").fill("31/12/2026")

    row = _task_row(page, 3)
    row.get_by_label("Nội dung nhiệm vụ 3").fill(HOUSING)
    row.get_by_label("Đơn vị chủ trì").select_option(label=SXD)
    row.get_by_label("Đến ngày", exact=True).fill("30/10/2026")

    row = _task_row(page, 4)
    row.get_by_label("Nội dung nhiệm vụ 4").fill(PLATFORM)
    row.get_by_label("Đơn vị chủ trì").select_option(label=SKHCN)
    row.get_by_label("Đơn vị phối hợp").select_option(label=[STC])
    row.get_by_label("Đến ngày", exact=True).fill("30/11/2026")

    page.get_by_role("button", name="Lưu văn bản").click()
    # Four tasks as entered, eight to follow: the monthly report is one task per month to the end of the year.
    expect_message(page, f"Đã nhập văn bản {DOCUMENT} với 8 nhiệm vụ.")
    expect(page.get_by_role("heading", level=1)).to_have_text(DOCUMENT)


def _expect_the_tasks_of_the_notice(page: Any, *, all_of_them: bool = True) -> None:
    """The notice's tasks with their deadlines on the calendar. A head sees only those of their unit (it leads
    or coordinates them): not Sở Xây dựng's."""
    tasks = page.get_by_role("table", name="Các nhiệm vụ được giao tại văn bản")
    expect(tasks.get_by_role("row").filter(has_text=LEAD_TASK)).to_contain_text(
        re.compile(rf"{STC}\s*14/09/2026\s*Chưa thực hiện")
    )
    for due in ("25/08/2026", "25/09/2026", "26/10/2026", "25/11/2026", "25/12/2026"):
        expect(tasks.get_by_role("row").filter(has_text=f"{MONTHLY} (kỳ hạn {due})")).to_contain_text(
            re.compile(rf"{STC}\s*{due}")
        )
    expect(tasks.get_by_role("row").filter(has_text=PLATFORM)).to_contain_text(
        re.compile(rf"{SKHCN}\s*30/11/2026")
    )
    housing = tasks.get_by_role("row").filter(has_text=HOUSING)
    if all_of_them:
        expect(housing).to_contain_text(re.compile(rf"{SXD}\s*30/10/2026"))
        expect(tasks.get_by_role("row")).to_have_count(1 + 8)
    else:
        expect(housing).to_have_count(0)
        expect(tasks.get_by_role("row")).to_have_count(1 + 7)


def _cell(table: Any, row_header: str, column: int) -> Any:
    """The `column`-th number (0: done on time, 1: done late, 2: open in time, 3: open overdue) of a row."""
    header = table.page.get_by_role(
        "rowheader", name=row_header, exact=True
    )  # inside the row: `has` is relative
    row = table.get_by_role("row").filter(has=header)
    return row.get_by_role("cell").nth(column)


def test_directive_story(live_server: Any, transactional_db: None, new_page: Any, tmp_path: Path) -> None:
    base = live_server.url
    photo, report = tmp_path / "anh-hien-truong.png", tmp_path / "bao-cao-tien-do.pdf"
    photo.write_bytes(_png())
    report.write_bytes(PDF)
    notice, result = tmp_path / "thong-bao-ket-luan.pdf", tmp_path / "bao-cao-hoan-thanh.pdf"
    notice.write_bytes(PDF)
    result.write_bytes(PDF)

    with time_machine.travel(_at(dt.date(2026, 8, 19)), tick=True) as clock:
        # The demo province as loaded the day before (whatever an earlier browser test left is cleared first).
        call_command("flush", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        chairman_name = Person.objects.get(username=CHAIRMAN).get_full_name()
        vice_chair_name = Person.objects.get(username=VICE_CHAIR).get_full_name()

        # Thu 20/08: the Office enters the conclusion notice with its four tasks.
        clock.move_to(_at(dt.date(2026, 8, 20)))
        page = logged_in(new_page, base, OFFICE)
        _enter_the_notice(page, base, chairman_name, notice)
        _expect_the_tasks_of_the_notice(page)
        expect(page.get_by_role("link", name="Tải tệp văn bản")).to_be_visible()
        _shot(page, "01-notice")
        task_path = page.get_by_role("link", name=LEAD_TASK, exact=True).get_attribute("href")

        # The head of the lead unit is told, and finds the notice among the documents of their unit: seven
        # tasks (the lead task, five monthly reports, and the one Sở Tài chính coordinates).
        page = logged_in(new_page, base, HEAD)
        _open_notification(page, f"{DOCUMENT} giao 7 nhiệm vụ cho {STC}")
        expect(page.get_by_role("heading", level=1)).to_have_text(DOCUMENT)
        _expect_the_tasks_of_the_notice(page, all_of_them=False)
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Văn bản giao việc"
        ).click()
        listed = page.get_by_role("row").filter(has=page.get_by_role("link", name=NUMBER, exact=True))
        expect(listed).to_contain_text(re.compile(r"20/08/2026\s*Thông báo kết luận"))
        expect(listed.get_by_role("cell").last).to_have_text("7")
        for head, unit, count in (("gd.sxd", SXD, 1), ("gd.skhcn", SKHCN, 2)):
            assert Notification.objects.filter(
                recipient__username=head, title=f"{DOCUMENT} giao {count} nhiệm vụ cho {unit}"
            ).exists()

        # Fri 21/08: the coordinating unit sends its contribution to the lead unit's task.
        clock.move_to(_at(dt.date(2026, 8, 21), 10))
        page = logged_in(new_page, base, COORDINATOR)
        page.goto(f"{base}{task_path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(LEAD_TASK)
        form = _open_form(page, "Báo cáo tiến độ")
        form.get_by_label("Tiến độ (%)").fill("100")
        form.get_by_label("Kết quả đã thực hiện").fill(CONTRIBUTION)
        form.get_by_role("button", name="Gửi báo cáo tiến độ").click()
        expect_message(page, "Đã gửi báo cáo tiến độ.")
        updates = page.get_by_role("region", name=re.compile(r"^Báo cáo tiến độ"))
        expect(updates.get_by_role("article").filter(has_text=CONTRIBUTION)).to_contain_text("Phần phối hợp")
        _expect_lifecycle(page, "Chưa thực hiện")  # a contribution does not start the lead unit's task

        # Fri 28/08: the head reports progress with a photo and a PDF, then asks for more time.
        clock.move_to(_at(dt.date(2026, 8, 28)))
        page = logged_in(new_page, base, HEAD)
        page.goto(f"{base}{task_path}")
        form = _open_form(page, "Báo cáo tiến độ")
        form.get_by_label("Tiến độ (%)").fill("40")
        form.get_by_label("Kết quả đã thực hiện").fill(PROGRESS)
        form.get_by_label("Khó khăn, vướng mắc").fill("Một số chủ đầu tư chậm gửi số liệu.")
        form.get_by_label("Tệp minh chứng").set_input_files([str(photo), str(report)])
        form.get_by_role("button", name="Gửi báo cáo tiến độ").click()
        expect_message(page, "Đã gửi báo cáo tiến độ.")
        _expect_lifecycle(page, "Đang thực hiện")
        update = page.get_by_role("region", name=re.compile(r"^Báo cáo tiến độ")).get_by_role("article")
        update = update.filter(has_text=PROGRESS)
        expect(update).to_contain_text("40%")
        expect(update).to_contain_text("Đúng tiến độ")  # 40% done with a third of the time gone: green
        expect(update.get_by_role("link", name="anh-hien-truong.png")).to_be_visible()
        expect(update.get_by_role("link", name="bao-cao-tien-do.pdf")).to_be_visible()
        expect(page.get_by_role("progressbar", name="Tiến độ thực hiện")).to_have_attribute(
            "aria-valuenow", "40"
        )

        form = _open_form(page, "Đề nghị gia hạn")
        form.get_by_label("Thời hạn đề nghị").fill("28/09/2026")
        form.get_by_label("Lý do đề nghị gia hạn").fill(EXTENSION_REASON)
        form.get_by_role("button", name="Gửi đề nghị gia hạn").click()
        expect_message(page, "Đã gửi đề nghị gia hạn.")
        expect(_extensions(page)).to_contain_text(EXTENSION_REASON)
        expect(_extensions(page)).to_contain_text(re.compile(r"14/09/2026\s*28/09/2026[\s\S]*Chờ quyết định"))
        _shot(page, "02-progress-and-extension")

        # The Office is told and grants the extension; the original deadline stays on record.
        clock.move_to(_at(dt.date(2026, 8, 28), 14))
        page = logged_in(new_page, base, OFFICE)
        _open_notification(page, f"Đề nghị gia hạn nhiệm vụ «{LEAD_TASK}» đến 28/09/2026")
        decision = (
            _actions(page).locator("form").filter(has=page.get_by_role("button", name="Ghi quyết định"))
        )
        decision.get_by_label("Quyết định").select_option(label="Đồng ý gia hạn")
        decision.get_by_label("Ý kiến").fill("Đồng ý; đề nghị Sở hoàn thành trong thời hạn mới.")
        decision.get_by_role("button", name="Ghi quyết định").click()
        expect_message(page, "Đã quyết định đề nghị gia hạn: Đồng ý gia hạn.")
        info = page.get_by_role("region", name="Thông tin nhiệm vụ")
        expect(info).to_contain_text(re.compile(r"Thời hạn ban đầu\s*14/09/2026"))
        expect(info).to_contain_text(re.compile(r"Thời hạn hiện tại \(đã gia hạn\)\s*28/09/2026"))
        expect(_extensions(page)).to_contain_text(re.compile(r"Đồng ý gia hạn — "))

        # Nobody presses a button: the daily job runs on Tue 29/09 (one working day overdue: the head) and on
        # Thu 01/10 (three working days overdue: the Vice-Chairman in charge).
        clock.move_to(_at(dt.date(2026, 9, 29), 7))
        task_follow_up_sweep.call()
        clock.move_to(_at(dt.date(2026, 10, 1), 7))
        task_follow_up_sweep.call()
        task = Task.objects.get(title=LEAD_TASK)
        assert set(Reminder.objects.filter(task=task).values_list("person__username", "kind", "due_on")) == {
            (HEAD, ReminderKind.OVERDUE, dt.date(2026, 9, 29)),
            (VICE_CHAIR, ReminderKind.ESCALATION, dt.date(2026, 10, 1)),
        }

        clock.move_to(_at(dt.date(2026, 10, 1)))
        page = logged_in(new_page, base, HEAD)
        page.get_by_role("link", name=re.compile(r"^Thông báo")).click()
        reminders = page.get_by_role("listitem").filter(has_text="Nhắc việc ngày 29/09/2026")
        expect(reminders).to_contain_text(f"{LEAD_TASK} — đã quá hạn 28/09/2026")
        _shot(page, "03-head-reminded")
        page.goto(f"{base}{task_path}")
        expect(page.get_by_role("main")).to_contain_text(re.compile(r"Thời hạn:\s*Quá hạn"))

        page = logged_in(new_page, base, VICE_CHAIR)
        page.get_by_role("link", name=re.compile(r"^Thông báo")).click()
        escalations = page.get_by_role("listitem").filter(has_text="Nhắc việc ngày 01/10/2026")
        expect(escalations).to_contain_text(f"{LEAD_TASK} — quá hạn 28/09/2026, đơn vị {STC} chưa hoàn thành")
        # Not told on the first day overdue: that was the head's turn.
        expect(
            page.get_by_role("listitem")
            .filter(has_text="Nhắc việc ngày 29/09/2026")
            .filter(has_text=LEAD_TASK)
        ).to_have_count(0)
        _shot(page, "04-vice-chairman-escalated")

        # Fri 02/10: the head reports completion with the result; the Office accepts it -- done late.
        clock.move_to(_at(dt.date(2026, 10, 2)))
        page = logged_in(new_page, base, HEAD)
        page.goto(f"{base}{task_path}")
        form = _open_form(page, "Báo cáo hoàn thành")
        form.get_by_label("Kết quả hoàn thành").fill(COMPLETION)
        form.get_by_label("Tệp minh chứng").set_input_files(str(result))
        form.get_by_role("button", name="Báo cáo hoàn thành").click()
        expect_message(page, "Đã báo cáo hoàn thành; nhiệm vụ chờ xác nhận.")
        _expect_lifecycle(page, "Chờ xác nhận hoàn thành")

        page = logged_in(new_page, base, OFFICE)
        _open_notification(page, f"Nhiệm vụ «{LEAD_TASK}» được báo cáo hoàn thành, chờ xác nhận")
        _actions(page).get_by_role("button", name="Xác nhận hoàn thành").click()
        expect_message(page, "Đã thực hiện: Xác nhận hoàn thành.")
        _expect_lifecycle(page, "Đã hoàn thành")
        info = page.get_by_role("region", name="Thông tin nhiệm vụ")
        expect(info).to_contain_text(re.compile(r"Ngày báo cáo hoàn thành\s*02/10/2026"))
        expect(info).to_contain_text(re.compile(r"Kết quả\s*Hoàn thành quá hạn"))
        history = page.get_by_role("region", name="Quá trình xử lý").get_by_role("listitem")
        expect(history).to_have_text(
            [
                re.compile(r"^Bắt đầu thực hiện"),
                re.compile(r"^Báo cáo hoàn thành"),
                re.compile(r"^Xác nhận hoàn thành"),
            ]
        )
        _shot(page, "05-accepted")

        # The Chairman opens the province overview: the 2×2 as numbers and as charts, and what is late.
        page = logged_in(new_page, base, CHAIRMAN)
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổng quan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan theo dõi nhiệm vụ")
        expect(page.get_by_role("main")).to_contain_text("tình trạng đến ngày 02/10/2026")
        _expect_the_overview(page, vice_chair_name)
        _shot(page, "06-overview")

    task.refresh_from_db()
    assert (task.lifecycle, task.on_time) == (Lifecycle.DONE, False)
    assert (task.original_deadline, task.deadline) == (dt.date(2026, 9, 14), dt.date(2026, 9, 28))
    assert Notification.objects.filter(recipient__username=HEAD, kind=NotificationKind.TASK_ACCEPTED).exists()


def _expect_totals(page: Any, cells: dict[str, int | str]) -> None:
    total = page.get_by_role("region", name="Toàn bộ phạm vi")
    for label, count in cells.items():
        expect(total.get_by_text(label, exact=True).locator("xpath=..")).to_have_text(
            re.compile(rf"^\s*{re.escape(label)}\s*{count}\s*$")
        )


def _expect_row(table: Any, header: str, numbers: tuple[int, int, int, int]) -> None:
    for column, number in enumerate(numbers):
        expect(_cell(table, header, column)).to_have_text(str(number))


def _expect_charts(page: Any) -> None:
    for chart in ("Phó Chủ tịch phụ trách", "đơn vị chủ trì"):
        drawn = page.get_by_role("img", name=re.compile(f"Biểu đồ: số nhiệm vụ theo {chart}"))
        expect(drawn).to_have_attribute("_echarts_instance_", re.compile(r".+"))  # ECharts took the node
        expect(drawn.locator("svg, canvas").first).to_be_visible()


def _expect_the_overview(page: Any, vice_chair_name: str) -> None:
    """The whole province, against the same counts taken straight from the tasks; then the tasks assigned
    from the notice's day on, against the figures worked out by hand."""
    today = dt.date(2026, 10, 2)
    tasks = Task.objects.all()
    open_ = tasks.filter(lifecycle__in=Lifecycle.open)
    late = tasks.filter(lifecycle=Lifecycle.DONE, on_time=False)
    overdue = open_.filter(deadline__lt=today)
    _expect_totals(
        page,
        {
            "Hoàn thành đúng hạn": tasks.filter(lifecycle=Lifecycle.DONE, on_time=True).count(),
            "Hoàn thành quá hạn": late.count(),
            "Đang thực hiện trong hạn": open_.exclude(deadline__lt=today).count(),
            "Chưa hoàn thành, quá hạn": overdue.count(),
        },
    )
    assert late.count() >= 2  # the story's task and the demo's late plan
    units = page.get_by_role("table", name="Theo đơn vị chủ trì")
    expect(_cell(units, STC, 1)).to_have_text(str(late.filter(lead_unit__code="STC").count()))
    expect(_cell(units, STC, 3)).to_have_text(str(overdue.filter(lead_unit__code="STC").count()))
    _expect_charts(page)

    # The notice's tasks only: assigned from 20/08 (the demo was loaded the day before).
    page.get_by_label("Giao từ ngày").fill("20/08/2026")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Nhiệm vụ giao từ 20/08/2026 đến …")
    # done on time, done late, open in time, open overdue: the lead task was accepted late; the August and
    # September reports were never sent; three later reports and the two other tasks are not due yet.
    _expect_totals(
        page,
        {
            "Hoàn thành đúng hạn": 0,
            "Hoàn thành quá hạn": 1,
            "Đang thực hiện trong hạn": 5,
            "Chưa hoàn thành, quá hạn": 2,
            "Tỷ lệ hoàn thành": "33,33 %",  # 1 done ÷ (1 done + 2 overdue)
        },
    )
    _expect_row(page.get_by_role("table", name="Theo Phó Chủ tịch phụ trách"), vice_chair_name, (0, 1, 5, 2))
    units = page.get_by_role("table", name="Theo đơn vị chủ trì")
    _expect_row(units, STC, (0, 1, 3, 2))
    _expect_row(units, SXD, (0, 0, 1, 0))
    _expect_row(units, SKHCN, (0, 0, 1, 0))
    expect(units.get_by_role("row")).to_have_count(1 + 3)
    _expect_charts(page)

    slow = page.get_by_role("table", name="Nhiệm vụ chậm, quá hạn").get_by_role("row")
    expect(slow).to_have_count(1 + 2)
    expect(slow.nth(1)).to_contain_text(
        re.compile(rf"{MONTHLY} \(kỳ hạn 25/08/2026\)[\s\S]*{STC}\s*25/08/2026\s*0 %")
    )
    expect(slow.nth(2)).to_contain_text(
        re.compile(rf"{MONTHLY} \(kỳ hạn 25/09/2026\)[\s\S]*{STC}\s*25/09/2026\s*0 %")
    )
