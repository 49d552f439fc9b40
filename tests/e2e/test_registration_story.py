"""The README's story, walked through the real pages in Chromium: a head registers the year's key tasks, the
Vice-Chairman in charge returns them, the head mends and resubmits, the Vice-Chairman approves, the head asks
for a change and gets it. Every locator is a role or a label: what a screen reader would find.

Set E2E_SCREENSHOTS=<dir> to keep a screenshot of every step for looking at the pages.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.conftest import expect_message, log_in, shot
from trongtam.core.models import Notification
from trongtam.keytasks.enums import RegistrationStatus
from trongtam.keytasks.models import Registration
from trongtam.org.models import Person

pytestmark = [pytest.mark.e2e]

HEAD = "gd.stc"
VICE_CHAIR = "pct.kinhte"
RETURN_COMMENT = "Nhiệm vụ 2 chưa nêu rõ sản phẩm; đề nghị bổ sung số liệu cụ thể."
CHANGE_COMMENT = "Điều chỉnh thời hạn nhiệm vụ 1 do Trung ương ban hành hướng dẫn mới."

OWN_TASKS = [
    # title, product, (target value, unit), deadline, milestone, milestone date
    (
        "Rà soát, sắp xếp lại các đơn vị sự nghiệp trực thuộc Sở",
        "Quyết định phê duyệt phương án sắp xếp",
        None,
        "30/06/2026",
        "Trình dự thảo phương án",
        "31/03/2026",
    ),
    (
        "Nâng tỷ lệ giải ngân vốn đầu tư công",
        "",
        ("95", "%"),
        "31/12/2026",
        "Đạt 60% kế hoạch vốn",
        "30/09/2026",
    ),
    (
        "Số hoá hồ sơ quyết toán dự án hoàn thành",
        "",
        ("1200", "hồ sơ"),
        "30/11/2026",
        "Số hoá xong 600 hồ sơ",
        "30/06/2026",
    ),
]


def _log_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile(r"Tài khoản")).click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def _expect_status(page: Any, label: str) -> None:
    expect(page.get_by_role("main")).to_contain_text(re.compile(rf"Trạng thái:\s*{re.escape(label)}"))


def _fill_task(
    page: Any,
    *,
    title: str,
    product: str = "",
    target: tuple[str, str] | None = None,
    deadline: str,
    milestone: tuple[str, str] | None = None,
) -> None:
    page.get_by_label("Tên nhiệm vụ").fill(title)
    page.get_by_label("Sản phẩm", exact=True).fill(product)
    if target:
        page.get_by_label("Giá trị mục tiêu").fill(target[0])
        page.get_by_label("Đơn vị tính").fill(target[1])
    page.get_by_label("Thời hạn hoàn thành").fill(deadline)
    expect(page.get_by_label("Đơn vị chủ trì")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Đơn vị chủ trì").select_option(label="Sở Tài chính")
    if milestone:
        page.get_by_label("Mốc tiến độ 1", exact=True).fill(milestone[0])
        page.get_by_label("Thời hạn của mốc 1").fill(milestone[1])


def _open_review(page: Any) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chờ phê duyệt").click()
    page.get_by_role("link", name="Sở Tài chính").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sở Tài chính")


def test_registration_story(live_server: Any, seeded_province: None, new_page: Any) -> None:
    base = live_server.url
    head_name = Person.objects.get(username=HEAD).get_full_name()
    # The demo's directives have already told this head of tasks: count only what this story adds.
    unread = Notification.objects.filter(recipient__username=HEAD, read_at=None).count()
    vice_chair_name = Person.objects.get(username=VICE_CHAIR).get_full_name()
    page = new_page()

    # The head starts the year's registration.
    log_in(page, base, HEAD)
    page.get_by_role("link", name="Đăng ký của tôi").click()
    page.get_by_role("button", name="Tạo bản đăng ký năm 2026").click()
    expect_message(page, "Đã tạo bản đăng ký nhiệm vụ trọng tâm năm 2026.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ trọng tâm năm 2026 — Sở Tài chính")
    _expect_status(page, "Dự thảo")
    shot(page, "01-draft")
    registration_url = page.url

    # Three own tasks. The first try has a deadline outside the period: the error is summarised at the top,
    # shown beside the field, and what was typed is kept.
    page.get_by_role("link", name="Thêm nhiệm vụ tự đăng ký").click()
    title, product, target, deadline, ms_title, ms_date = OWN_TASKS[0]
    _fill_task(page, title=title, product=product, deadline="15/01/2027", milestone=(ms_title, ms_date))
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    summary = page.get_by_role("alert").filter(has_text="Chưa lưu được")
    expect(summary).to_contain_text("nằm ngoài kỳ công tác (01/01/2026 – 31/12/2026)")
    expect(summary.get_by_role("link", name="Thời hạn hoàn thành")).to_be_visible()
    expect(page.get_by_label("Thời hạn hoàn thành")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Tên nhiệm vụ")).to_have_value(title)
    expect(page.get_by_label("Thời hạn hoàn thành")).to_have_value("15/01/2027")
    expect(page.get_by_label("Mốc tiến độ 1", exact=True)).to_have_value(ms_title)
    shot(page, "02-task-error")
    page.get_by_label("Thời hạn hoàn thành").fill(deadline)
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect_message(page, "Đã lưu nhiệm vụ.")
    for title, product, target, deadline, ms_title, ms_date in OWN_TASKS[1:]:
        page.get_by_role("link", name="Thêm nhiệm vụ tự đăng ký").click()
        _fill_task(
            page,
            title=title,
            product=product,
            target=target,
            deadline=deadline,
            milestone=(ms_title, ms_date),
        )
        page.get_by_role("button", name="Lưu nhiệm vụ").click()
        expect_message(page, "Đã lưu nhiệm vụ.")
    own = page.get_by_role("region", name=re.compile("^Nhiệm vụ tự đăng ký"))
    expect(own.get_by_role("article")).to_have_count(3)
    expect(own).to_contain_text("30/06/2026")
    expect(own).to_contain_text("31/03/2026 — Trình dự thảo phương án")

    # The five common tasks, made concrete for the department, from the checklist's links.
    for number in range(1, 6):
        page.get_by_role("link", name=re.compile(rf"^Cụ thể hoá {number}\.")).click()
        expect(page.get_by_label("Loại nhiệm vụ")).to_have_value("common")
        expect(page.get_by_label("Nhiệm vụ chung được cụ thể hoá")).not_to_have_value("")
        _fill_task(
            page,
            title=f"Sở Tài chính thực hiện nhiệm vụ chung số {number}",
            product=f"Báo cáo kết quả thực hiện nhiệm vụ chung số {number}",
            deadline="15/12/2026",
        )
        page.get_by_role("button", name="Lưu nhiệm vụ").click()
        expect_message(page, "Đã lưu nhiệm vụ.")
    expect(
        page.get_by_role("region", name=re.compile("^Nhiệm vụ chung cụ thể hoá")).get_by_role("article")
    ).to_have_count(5)

    # The Chairman's assigned task.
    page.get_by_role("link", name=re.compile(r"^Đăng ký nhiệm vụ này\s*:\s*Tham mưu")).click()
    expect(page.get_by_label("Loại nhiệm vụ")).to_have_value("assigned")
    _fill_task(
        page,
        title="Triển khai Đề án chuyển đổi số trọng điểm tại Sở Tài chính",
        product="Hệ thống quản lý ngân sách trực tuyến đưa vào vận hành",
        deadline="15/12/2026",
        milestone=("Hoàn thành thiết kế hệ thống", "30/06/2026"),
    )
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect_message(page, "Đã lưu nhiệm vụ.")
    expect(page.get_by_role("region", name=re.compile("^Còn .* điểm cần hoàn thiện"))).to_have_count(0)
    expect(page.get_by_text("Bản đăng ký đã đủ nội dung theo quy định.")).to_be_visible()

    # Sign the commitment, submit.
    page.get_by_role("button", name="Ký cam kết thực hiện chủ đề năm").click()
    expect(page.get_by_text(f"Đã ký cam kết: {head_name}", exact=False)).to_be_visible()
    shot(page, "03-ready")
    page.get_by_role("button", name="Trình phê duyệt").click()
    expect_message(page, "Đã thực hiện: Trình phê duyệt.")
    _expect_status(page, "Đã trình, chờ phê duyệt")
    _log_out(page)

    # The Vice-Chairman in charge finds it in the queue and returns it; without a comment that is refused.
    log_in(page, base, VICE_CHAIR)
    _open_review(page)
    shot(page, "04-review")
    actions = page.get_by_role("region", name="Xử lý", exact=True)
    actions.get_by_role("button", name="Trả lại").click()
    expect_message(page, "Cần nhập ý kiến khi «Trả lại».")
    _expect_status(page, "Đã trình, chờ phê duyệt")
    shot(page, "05-return-without-comment")
    actions.get_by_label("Ý kiến khi «Trả lại»").fill(RETURN_COMMENT)
    actions.get_by_role("button", name="Trả lại").click()
    expect_message(page, "Đã thực hiện: Trả lại.")
    _expect_status(page, "Bị trả lại")
    _log_out(page)

    # The head sees the notification, the returned status and the comment; mends a task and resubmits.
    log_in(page, base, HEAD)
    notifications = page.get_by_role("link", name=re.compile(r"^Thông báo"))
    expect(notifications).to_have_accessible_name(re.compile(rf"Thông báo\s+{unread + 1} chưa đọc"))
    notifications.click()
    page.get_by_role("button", name=re.compile("bị trả lại")).click()
    expect(page).to_have_url(registration_url)
    expect(page.get_by_role("link", name=re.compile(r"^Thông báo"))).to_have_accessible_name(
        re.compile(rf"Thông báo\s+{unread} chưa đọc") if unread else "Thông báo"
    )
    _expect_status(page, "Bị trả lại")
    expect(page.get_by_role("region", name="Lý do trả lại")).to_contain_text(RETURN_COMMENT)
    expect(page.get_by_role("region", name="Lý do trả lại")).to_contain_text(vice_chair_name)
    history = page.get_by_role("region", name="Quá trình xử lý", exact=True)
    expect(history).to_contain_text(RETURN_COMMENT)
    shot(page, "06-returned")
    page.get_by_role("link", name=f"Sửa {OWN_TASKS[1][0]}").click()
    edit_url = page.url
    expect(page.get_by_label("Giá trị mục tiêu")).to_have_value("95,00")
    page.get_by_label("Sản phẩm", exact=True).fill("Báo cáo giải ngân hằng quý gửi UBND tỉnh")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect_message(page, "Đã lưu nhiệm vụ.")
    expect(page.get_by_role("article").filter(has_text=OWN_TASKS[1][0])).to_contain_text(
        "Báo cáo giải ngân hằng quý gửi UBND tỉnh"
    )
    page.get_by_role("button", name="Trình phê duyệt").click()
    _expect_status(page, "Đã trình, chờ phê duyệt")
    _log_out(page)

    # The Vice-Chairman approves.
    log_in(page, base, VICE_CHAIR)
    _open_review(page)
    page.get_by_role("region", name="Xử lý", exact=True).get_by_role("button", name="Phê duyệt").click()
    expect_message(page, "Đã thực hiện: Phê duyệt.")
    _expect_status(page, "Đã phê duyệt")
    _log_out(page)

    # Approved is locked: no edit buttons, the edit page refuses with a message. The head asks for a change.
    log_in(page, base, HEAD)
    page.get_by_role("link", name="Đăng ký của tôi").click()
    _expect_status(page, "Đã phê duyệt")
    expect(page.get_by_role("link", name=re.compile(r"^Sửa "))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Xoá "))).to_have_count(0)
    expect(page.get_by_role("link", name="Thêm nhiệm vụ tự đăng ký")).to_have_count(0)
    page.goto(edit_url)
    expect(page).to_have_url(registration_url)
    expect_message(page, "Bản đăng ký đã khoá. Hãy gửi đề nghị điều chỉnh trước khi sửa.")
    expect(page.get_by_text("Bản đăng ký đã được phê duyệt và khoá")).to_be_visible()
    shot(page, "07-locked")
    actions = page.get_by_role("region", name="Xử lý", exact=True)
    actions.get_by_label("Ý kiến khi «Đề nghị điều chỉnh»").fill(CHANGE_COMMENT)
    actions.get_by_role("button", name="Đề nghị điều chỉnh").click()
    _expect_status(page, "Đề nghị điều chỉnh")
    _log_out(page)

    # The Vice-Chairman approves the change.
    log_in(page, base, VICE_CHAIR)
    _open_review(page)
    expect(page.get_by_role("region", name="Nội dung đề nghị điều chỉnh")).to_contain_text(CHANGE_COMMENT)
    page.get_by_role("region", name="Xử lý", exact=True).get_by_role(
        "button", name="Chấp thuận điều chỉnh"
    ).click()
    _expect_status(page, "Đang điều chỉnh")
    _log_out(page)

    # The head may edit again; approved version 1 stays readable; the history and audit trail show every step.
    log_in(page, base, HEAD)
    page.get_by_role("link", name="Đăng ký của tôi").click()
    _expect_status(page, "Đang điều chỉnh")
    expect(page.get_by_role("link", name=f"Sửa {OWN_TASKS[0][0]}")).to_be_visible()
    history = page.get_by_role("region", name="Quá trình xử lý", exact=True).get_by_role("listitem")
    expected_steps = [
        ("Đã trình, chờ phê duyệt", head_name, ""),
        ("Bị trả lại", vice_chair_name, RETURN_COMMENT),
        ("Đã trình, chờ phê duyệt", head_name, ""),
        ("Đã phê duyệt", vice_chair_name, ""),
        ("Đề nghị điều chỉnh", head_name, CHANGE_COMMENT),
        ("Đang điều chỉnh", vice_chair_name, ""),
    ]
    expect(history).to_have_count(len(expected_steps))
    for n, (status, who, comment) in enumerate(expected_steps):
        expect(history.nth(n)).to_contain_text(f"{status} — {who}")
        if comment:
            expect(history.nth(n)).to_contain_text(comment)
    audit_region = page.get_by_role("region", name="Nhật ký thay đổi", exact=True)
    audit_region.get_by_text(re.compile(r"^Xem \d+ mục nhật ký")).click()
    audit = audit_region.get_by_role("table")
    transitions = audit.get_by_role("row").filter(has_text="Chuyển trạng thái")
    expect(transitions).to_have_count(len(expected_steps))
    expect(audit.get_by_role("row").filter(has_text="Tạo mới").first).to_contain_text(head_name)
    expect(audit).to_contain_text(RETURN_COMMENT)
    expect(audit).to_contain_text(CHANGE_COMMENT)
    shot(page, "08-revising")
    page.get_by_role("link", name="Phiên bản 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phiên bản đã phê duyệt số 1")
    expect(page.get_by_role("main")).to_contain_text(
        "Báo cáo giải ngân hằng quý gửi UBND tỉnh · chỉ tiêu 95 %"
    )
    expect(page.get_by_role("main")).to_contain_text("chỉ tiêu 1.200 hồ sơ")
    expect(
        page.get_by_role("main").get_by_role("listitem").filter(has_text="Nhiệm vụ tự đăng ký")
    ).to_have_count(3)
    shot(page, "09-version-1")

    registration = Registration.objects.get(unit__code="STC", period__year=2026)
    assert registration.status == RegistrationStatus.REVISING
    assert registration.tasks.count() == 9


def test_language_switch_and_phone_layout(live_server: Any, seeded_province: None, new_page: Any) -> None:
    base = live_server.url
    page = new_page()
    log_in(page, base, HEAD)

    page.get_by_role("combobox", name="Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi ngôn ngữ").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with translation.override("en"):
        my_registration = gettext("Đăng ký của tôi")
    # Whatever the English catalogue holds today, the navigation shows its translation (or the original).
    expect(page.get_by_role("link", name=my_registration)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "10-english")
    page.get_by_role("combobox", name=re.compile("Ngôn ngữ|Language")).select_option("vi")
    page.get_by_role("button", name=re.compile("Đổi ngôn ngữ|Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # A phone: the navigation folds behind the menu button, the content is visible and nothing overflows.
    phone = new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    log_in(phone, base, VICE_CHAIR)
    nav = phone.get_by_role("navigation", name="Điều hướng chính")
    menu_link = nav.get_by_role("link", name="Chờ phê duyệt")
    expect(menu_link).to_be_hidden()
    nav.get_by_role("button", name="Mở menu").click()
    expect(menu_link).to_be_visible()
    menu_link.click()
    phone.get_by_role("link", name="Sở Công Thương").click()
    main = phone.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_be_in_viewport()
    expect(
        main.get_by_role("region", name="Xử lý", exact=True).get_by_role("button", name="Phê duyệt")
    ).to_be_visible()
    shot(phone, "11-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # A laptop, with the longest navigation (the Chairman's): the links wrap, the account menu stays on screen.
    laptop = new_page(viewport={"width": 1280, "height": 800})
    log_in(laptop, base, "chutich")
    assert laptop.evaluate("document.documentElement.scrollWidth") <= 1280
    expect(laptop.get_by_role("link", name=re.compile("Thông báo"))).to_be_in_viewport()
