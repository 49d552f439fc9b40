"""Issue 5's citizen story, walked through the real pages in Chromium: on the public site, with no log-in, a
citizen looks a dossier up by its code and the last four digits of the phone, and a wrong phone gets the very
answer a wrong code gets. The overdue demo dossier (XA01-MAU-002) has the apology letter the daily sweep drafted
(`seed_demo` runs the sweep, `letters.sweep`): the commune's officer writes the reason and submits it, the
commune's chairman signs it, the officer records it as sent and downloads it as PDF and Word; the citizen then
sees the new return date and the apology. The citizen rates the finished dossier (XA01-MAU-003) once, and a
second rating, sent from a page opened before the first, is refused. Another citizen reports, anonymously, an
official asking for money; gets a tracking code and the status page; the provincial Office assigns the report to
the commune, whose chairman takes it, answers it (upheld) and publishes the answer with personal data removed;
the citizen reads the answer by the tracking code and among the published answers. The public scoreboard shows
the communes with their on-time rate, apology letters and answered reports. No public page visited shows the
demo applicants' names or phone numbers.

A second, short test: the public pages on a phone (390×844) do not scroll sideways, and a citizen fills and
sends the lookup form with the keyboard alone.

The demo's story dossiers are placed relative to today (`trongtam/dossiers/demo.py`), so the story runs on the
real clock. Set E2E_SCREENSHOTS=<dir> to keep a screenshot of every step.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import expect_message, logged_in, shot
from trongtam.dossiers.enums import LetterStatus
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback
from trongtam.org.models import Unit
from trongtam.public.domain import scoreboard

pytestmark = [pytest.mark.e2e]

OFFICER, HEAD, OFFICE = "cc.xa01", "ct.xa01", "vanphong"
AT_RISK, OVERDUE, FINISHED = "XA01-MAU-001", "XA01-MAU-002", "XA01-MAU-003"
PHONE_LAST4 = {AT_RISK: "4321", OVERDUE: "3210", FINISHED: "2109"}
# What must never be on a public page: the story applicants' names and phone numbers.
PERSONAL = ["Trần Thị Mai", "Lê Văn Bình", "Phạm Minh Châu", "0987654321", "0976543210", "0965432109"]
NOT_FOUND = "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 chữ số cuối số điện thoại đã nhập."
REASON = "Hồ sơ phải lấy thêm ý kiến của Văn phòng Đăng ký đất đai về ranh giới thửa đất."
REPORT = (
    "Cán bộ tiếp nhận hồ sơ đất đai ở bộ phận một cửa xã đòi 500.000 đồng «tiền cà phê» mới nhận hồ sơ "
    "chuyển mục đích sử dụng đất của tôi."
)
PHONE_PAGES = [
    "/cong-khai/",
    "/cong-khai/bang-xep-hang/",
    "/cong-khai/phan-anh/",
    "/cong-khai/phan-anh/theo-doi/",
    "/cong-khai/phan-anh/da-tra-loi/",
]
HOTLINE = "0912 345 678"
ANSWER = (
    "Qua xác minh, phản ánh là đúng: công chức tiếp nhận đã bị tạm đình chỉ công tác tiếp dân và kiểm điểm. "
    f"Mọi vướng mắc xin liên hệ đồng chí Chủ tịch UBND xã qua số {HOTLINE}."
)


class PublicPages:
    """The public site as one citizen's browser: every page seen is kept, to look for personal data at the end."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.seen: list[tuple[str, str]] = []

    def keep(self) -> None:
        self.seen.append((self.page.url, self.page.content()))

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.keep()

    def nav(self, name: str) -> None:
        """Follow a link of the public site's navigation."""
        navigation = self.page.get_by_role("navigation", name="Điều hướng trang công khai")
        with self.page.expect_navigation():
            navigation.get_by_role("link", name=name, exact=True).click()
        self.keep()

    def lookup(self, code: str, last4: str) -> None:
        page = self.page
        self.goto("/cong-khai/")
        self.nav("Tra cứu hồ sơ")
        expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu hồ sơ thủ tục hành chính")
        page.get_by_label("Mã hồ sơ").fill(code)
        page.get_by_label("4 chữ số cuối số điện thoại").fill(last4)
        with page.expect_navigation():
            page.get_by_role("button", name="Tra cứu", exact=True).click()
        self.keep()


def _shot(page: Any, name: str) -> None:
    shot(page, f"citizen-{name}")


def _menu(page: Any, group: str, name: str) -> None:
    """A page of the internal site through its navigation: a group's menu, then the page's link."""
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    navigation.get_by_role("button", name=group).click()
    navigation.get_by_role("link", name=name, exact=True).click()


def _dossier_page(page: Any, code: str) -> None:
    """The officer's way to a dossier: the list, searched by the code."""
    _menu(page, "Hồ sơ một cửa", "Hồ sơ thủ tục hành chính")
    page.get_by_label("Mã hồ sơ hoặc tên chủ hồ sơ").fill(code)
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def _fact(page: Any, term: str) -> Any:
    """The <dd> after the <dt> `term` in the public dossier page's facts."""
    return page.locator("#dossier-facts dt", has_text=re.compile(rf"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def _board_row(window: scoreboard.Window, today: dt.date, code: str) -> scoreboard.UnitRow:
    """The figures the scoreboard computes for one unit (the page shows them)."""
    board = scoreboard.build(window, today)
    return next(row for group in board.groups for row in group.rows if row.code == code)


def _action(page: Any, label: str) -> Any:
    """Unfold one step of a feedback case (a closed <details>) and return its form."""
    actions = page.locator("#actions")
    actions.locator("summary", has_text=label).click()
    return actions.locator("details", has=page.locator("summary", has_text=label)).locator("form")


def test_citizen_story(live_server: Any, seeded_province: None, new_page: Any) -> None:
    base = live_server.url
    today = timezone.localdate()
    xa01 = Unit.objects.get(code="XA01")
    overdue = Dossier.objects.get(code=OVERDUE)
    assert overdue.due_date is not None
    assert overdue.due_date < today
    letter = ApologyLetter.objects.get(dossier=overdue)
    assert letter.drafted_automatically
    assert letter.status == LetterStatus.DRAFT
    window = scoreboard.window(None, None, today)
    answered_before = _board_row(window, today, "XA01").feedback_answered

    # A citizen looks the at-risk dossier up: its status and due date, no personal data.
    citizen = PublicPages(new_page(), base)
    citizen.lookup(AT_RISK, PHONE_LAST4[AT_RISK])
    page = citizen.page
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {AT_RISK}")
    at_risk = Dossier.objects.get(code=AT_RISK)
    assert at_risk.due_date is not None
    expect(_fact(page, "Ngày hẹn trả kết quả")).to_have_text(f"{at_risk.due_date:%d/%m/%Y}")
    expect(_fact(page, "Cơ quan giải quyết")).to_have_text(xa01.name)
    _shot(page, "01-found")

    # A wrong phone and a wrong code get the same answer.
    answers = []
    for code, last4 in ((AT_RISK, "0000"), ("XA01-MAU-999", PHONE_LAST4[AT_RISK])):
        citizen.lookup(code, last4)
        expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu hồ sơ thủ tục hành chính")
        summary = page.get_by_role("alert").filter(has_text="Chưa tra cứu được")
        expect(summary).to_contain_text(NOT_FOUND)
        answers.append(summary.inner_text())
    assert answers[0] == answers[1]
    _shot(page, "02-not-found")

    # The overdue dossier: no apology letter to see until the chairman signs one.
    citizen.lookup(OVERDUE, PHONE_LAST4[OVERDUE])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {OVERDUE}")
    expect(page.locator("#dossier-timeliness")).to_contain_text("quá hạn", ignore_case=True)
    expect(page.locator("#apology-letter")).to_have_count(0)
    overdue_url = page.url

    # The officer completes the letter the sweep drafted and submits it.
    officer = logged_in(new_page, base, OFFICER)
    _dossier_page(officer, OVERDUE)
    panel = officer.locator("#letter-panel")
    expect(panel).to_contain_text("Dự thảo")
    panel.get_by_role("link", name="Xem phiếu").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    expect(officer.get_by_role("main")).to_contain_text("hệ thống tự lập")
    letter_url = officer.url
    new_date = officer.get_by_label("Ngày hẹn trả kết quả mới").input_value()
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", new_date), new_date
    officer.get_by_label("Lý do chậm trả kết quả").fill(REASON)
    officer.get_by_role("button", name="Trình lãnh đạo ký duyệt").click()
    expect_message(officer, "Đã trình lãnh đạo ký duyệt.")
    expect(officer.locator("#letter-status")).to_contain_text("Chờ")
    _shot(officer, "03-submitted")

    # The chairman of XA01 finds it in the register of apology letters and signs it.
    head = logged_in(new_page, base, HEAD)
    _menu(head, "Hồ sơ một cửa", "Sổ phiếu xin lỗi")
    head.get_by_label("Mã hồ sơ hoặc chủ hồ sơ").fill(OVERDUE)
    head.get_by_role("button", name="Lọc").click()
    head.get_by_role("row").filter(has_text=OVERDUE).get_by_role("link", name="(chưa cấp số)").click()
    expect(head).to_have_url(letter_url)
    head.get_by_role("button", name="Ký duyệt").click()
    expect_message(head, "Đã ký duyệt phiếu số")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED
    assert letter.number
    expect(head.get_by_role("heading", level=1)).to_contain_text(f"số {letter.number}")
    _shot(head, "04-approved")

    # The officer records it as sent and downloads the PDF and the Word file.
    officer.reload()
    officer.get_by_label("Hình thức gửi").select_option(label="Tin nhắn SMS")
    # The field comes filled with the current minute, which is before the signature made within that minute
    # (views_letters._forms truncates the seconds): left empty, "just sent", as its help text says.
    officer.get_by_label("Thời điểm gửi").fill("")
    officer.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect_message(officer, "Đã ghi nhận gửi phiếu cho công dân.")
    expect(officer.locator("#letter-status")).to_contain_text("Đã gửi")
    with officer.expect_download() as pdf_download:
        officer.get_by_role("link", name="Tải PDF (A5)").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    with officer.expect_download() as docx_download:
        officer.get_by_role("link", name="Tải Word (A5)").click()
    docx = Path(docx_download.value.path()).read_bytes()
    assert docx_download.value.suggested_filename.endswith(".docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = archive.read("word/document.xml").decode()
    assert letter.number in document
    _shot(officer, "05-sent")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT

    # The citizen (the lookup remembered in the session) sees the new date and the apology.
    page.goto(overdue_url)
    citizen.keep()
    expect(_fact(page, "Ngày hẹn trả mới")).to_have_text(new_date)
    apology = page.locator("#apology-letter")
    expect(apology).to_contain_text(f"{xa01.name} xin lỗi")
    expect(apology).to_contain_text(REASON)
    expect(apology).to_contain_text(f"Ngày hẹn trả kết quả mới: {new_date}")
    expect(apology).to_contain_text(f"Số phiếu: {letter.number}.")
    _shot(page, "06-apology")

    # The finished dossier is rated once; a second rating, from a page opened before, is refused.
    citizen.lookup(FINISHED, PHONE_LAST4[FINISHED])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {FINISHED}")
    second = page.context.new_page()
    second.goto(page.url)
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Ý kiến góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình, trả kết quả sớm.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("alert").filter(has_text="Cảm ơn bạn đã đánh giá.")).to_be_visible()
    expect(page.locator("#rating-given")).to_contain_text("«Hài lòng»")
    expect(page.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
    citizen.keep()
    second.get_by_label("Rất không hài lòng").check()
    second.get_by_role("button", name="Gửi đánh giá").click()
    expect(second.get_by_role("alert").filter(has_text="Hồ sơ này đã được đánh giá.")).to_be_visible()
    expect(second.locator("#rating-given")).to_contain_text("«Hài lòng»")
    second.close()
    assert DossierRating.objects.filter(dossier__code=FINISHED).count() == 1
    _shot(page, "07-rated")

    # Another citizen reports, anonymously, an official asking for money.
    reporter = PublicPages(new_page(), base)
    report_page = reporter.page
    reporter.goto("/cong-khai/")
    reporter.nav("Gửi phản ánh")
    expect(report_page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    report_page.get_by_label("Loại phản ánh").select_option(label="Đòi tiền, vòi vĩnh")
    report_page.get_by_label("Cơ quan, đơn vị", exact=True).select_option(label=xa01.name)
    report_page.get_by_label("Nội dung phản ánh").fill(REPORT)
    expect(report_page.get_by_label("Gửi ẩn danh (không ghi thông tin cá nhân)")).to_be_checked()
    report_page.get_by_role("button", name="Gửi phản ánh").click()
    expect(report_page.get_by_role("heading", level=1)).to_have_text("Đã gửi phản ánh")
    tracking_code = report_page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{10}", tracking_code), tracking_code
    reporter.keep()
    _shot(report_page, "08-reported")
    report_page.get_by_role("link", name="Xem tình trạng xử lý").click()
    expect(report_page.get_by_role("heading", level=1)).to_have_text("Theo dõi phản ánh")
    case_card = report_page.locator("#case")
    expect(case_card).to_contain_text(f"Phản ánh {tracking_code}")
    expect(case_card).to_contain_text("Đã tiếp nhận")
    expect(case_card).to_contain_text(xa01.name)
    reporter.keep()
    case = Feedback.objects.get(tracking_code=tracking_code)
    assert case.is_anonymous
    assert case.status == FeedbackStatus.RECEIVED

    # The Office assigns it to the commune's chairman.
    office = logged_in(new_page, base, OFFICE)
    _menu(office, "Phản ánh, giám sát", "Phản ánh, kiến nghị")
    office.get_by_role("link", name=tracking_code).click()
    expect(office.get_by_role("heading", level=1)).to_have_text(f"Phản ánh {tracking_code}")
    form = _action(office, "Giao xử lý")
    form.get_by_label("Đơn vị xử lý").select_option(label=xa01.name)
    form.get_by_role("button", name="Giao xử lý").click()
    expect_message(office, "Đã giao phản ánh cho")
    expect(office.locator("#status")).to_have_text("Đã giao xử lý")
    _shot(office, "09-assigned")

    # The chairman takes it, answers it (upheld) and publishes the answer without the phone number in it.
    _menu(head, "Phản ánh, giám sát", "Phản ánh, kiến nghị")
    head.get_by_role("link", name=tracking_code).click()
    form = _action(head, "Nhận xử lý")
    form.get_by_role("button").click()
    expect(head.locator("#status")).to_have_text("Đang xử lý")
    form = _action(head, "Trả lời")
    form.get_by_label("Nội dung trả lời").fill(ANSWER)
    form.get_by_label("Kết luận").select_option(label="Phản ánh đúng")
    form.get_by_role("button", name="Trả lời").click()
    expect_message(head, "Đã ghi nội dung trả lời.")
    expect(head.locator("#status")).to_have_text("Đã trả lời")
    form = _action(head, "Công khai câu trả lời")
    proposed = form.get_by_label("Nội dung công khai")
    expect(proposed).not_to_have_value(re.compile(re.escape(HOTLINE)))
    expect(proposed).to_have_value(re.compile(r"\[đã ẩn\]"))
    public_answer = proposed.input_value()
    form.get_by_label("Công khai", exact=True).select_option(label="Công khai trên cổng thông tin")
    form.get_by_role("button", name="Công khai câu trả lời").click()
    expect_message(head, "Đã công khai câu trả lời.")
    _shot(head, "10-published")
    case.refresh_from_db()
    assert case.upheld is True
    assert case.is_published

    # The reporter reads the answer by the tracking code, and among the published answers.
    reporter.goto("/cong-khai/")
    reporter.nav("Theo dõi phản ánh")
    report_page.get_by_label("Mã theo dõi").fill(tracking_code)
    report_page.get_by_role("button", name="Tra cứu").click()
    case_card = report_page.locator("#case")
    expect(case_card).to_contain_text("Đã trả lời")
    expect(case_card).to_contain_text(public_answer.split("[đã ẩn]")[0].strip())
    expect(case_card).not_to_contain_text(HOTLINE)
    reporter.keep()
    _shot(report_page, "11-tracked")
    reporter.nav("Phản ánh đã trả lời")
    expect(report_page.get_by_role("heading", level=1)).to_have_text("Phản ánh đã trả lời")
    expect(report_page.get_by_role("main")).to_contain_text("Qua xác minh, phản ánh là đúng")
    expect(report_page.get_by_role("main")).not_to_contain_text(HOTLINE)
    reporter.keep()

    # The scoreboard: the communes with their on-time rate, apology letters and answered reports.
    reporter.nav("Bảng công khai kết quả")
    expect(report_page.get_by_role("heading", level=1)).to_have_text(
        "Bảng công khai kết quả phục vụ người dân, doanh nghiệp"
    )
    reporter.keep()
    expected = _board_row(window, today, "XA01")
    assert expected.feedback_answered == answered_before + 1
    assert expected.letters >= 1
    row = report_page.locator("tr[data-unit='XA01']")
    expect(row.get_by_role("cell").nth(1)).to_contain_text(xa01.name)
    rate = "—" if expected.on_time_rate is None else f"{expected.on_time_rate}%".replace(".", ",")
    expect(row.get_by_role("cell").nth(7)).to_have_text(rate)
    expect(row.get_by_role("cell").nth(9)).to_have_text(str(expected.letters))
    expect(row.get_by_role("cell").nth(10)).to_have_text(
        f"{expected.feedback_received} / {expected.feedback_answered} / {expected.feedback_on_time}"
    )
    _shot(report_page, "12-scoreboard")

    # No public page showed the applicants' names or phone numbers.
    for url, html in citizen.seen + reporter.seen:
        for value in PERSONAL:
            assert value not in html, f"{value} on {url}"


def test_lookup_on_a_phone_with_the_keyboard(live_server: Any, seeded_province: None, new_page: Any) -> None:
    base = live_server.url
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    # The public pages a citizen opens on a phone: none scrolls sideways (the scoreboard's wide table scrolls
    # inside its own box).
    for path in PHONE_PAGES:
        phone.goto(f"{base}{path}")
        expect(phone.get_by_role("heading", level=1)).to_be_in_viewport()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone.goto(f"{base}/cong-khai/tra-cuu-ho-so/")
    _shot(phone, "13-phone")

    # Tab from the top of the page to the code field, type, tab to the phone digits, type, Enter.
    code_field = phone.get_by_label("Mã hồ sơ")
    for _ in range(30):
        phone.keyboard.press("Tab")
        if code_field.evaluate("el => el === document.activeElement"):
            break
    expect(code_field).to_be_focused()
    phone.keyboard.type(FINISHED)
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("4 chữ số cuối số điện thoại")).to_be_focused()
    phone.keyboard.type(PHONE_LAST4[FINISHED])
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {FINISHED}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(phone, "14-phone-found")
