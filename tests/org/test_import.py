"""Importing the organization from Excel: the template, the checks (every problem, by sheet, row and column),
all-or-nothing writes with audit entries, and who may do it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from trongtam.core.audit import verify_chain
from trongtam.core.models import AuditAction, AuditEntry
from trongtam.org.domain.importing import (
    P_EMAIL,
    P_ROLE,
    P_UNIT,
    P_USERNAME,
    PERSON_HEADERS,
    PERSON_SHEET,
    U_ACTIVE,
    U_CODE,
    U_KIND,
    U_NAME,
    U_PARENT,
    UNIT_HEADERS,
    UNIT_SHEET,
    ImportConflict,
    ImportPlan,
    KnownState,
    RowProblem,
    apply_import,
    check_upload,
    parse_workbook,
    validate,
)
from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import Person, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Rows = Sequence[Sequence[Any]]


def make_workbook(
    units: Rows = (),
    people: Rows = (),
    *,
    unit_headers: Sequence[str] | None = UNIT_HEADERS,
    person_headers: Sequence[str] | None = PERSON_HEADERS,
) -> bytes:
    """An .xlsx in memory: a header row then `rows` on each sheet; a sheet whose headers are None is left out."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for title, headers, rows in ((UNIT_SHEET, unit_headers, units), (PERSON_SHEET, person_headers, people)):
        if headers is None:
            continue
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
    if not workbook.sheetnames:
        workbook.create_sheet("Sheet1")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client: Client, content: bytes, name: str = "to-chuc.xlsx", **extra: Any) -> Any:
    return client.post(
        reverse("org:import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)}, **extra
    )


def counts() -> tuple[int, int, int]:
    return Unit.objects.count(), Person.objects.count(), AuditEntry.objects.count()


def problems_of(response: Any) -> list[RowProblem]:
    assert response.status_code == 200
    return list(response.context["problems"])


def file_errors(response: Any) -> list[str]:
    assert response.status_code == 200
    return list(response.context["form"].errors.get("file", []))


def unit_row(
    code: str, name: str = "Xã Thử Nghiệm", kind: str = "Xã", parent: str = "UBND", active: Any = "Có"
) -> list[Any]:
    return [code, name, kind, parent, active]


def person_row(
    username: str,
    name: str = "Nguyễn Thị Thử",
    *,
    email: str = "",
    phone: Any = "",
    role: str = "Cán bộ, công chức, viên chức",
    unit: str = "STC",
    title: str = "Chuyên viên",
) -> list[Any]:
    return [username, name, email, phone, role, unit, title]


# -- a good file ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_new_and_updates_existing_units_and_people(client_for: Any) -> None:
    stp = Unit.objects.get(code="STP")
    units = [
        unit_row(
            "XA31.P1", "Văn phòng HĐND và UBND xã Tân Lập", "Phòng, ban chuyên môn", "XA31"
        ),  # parent below
        unit_row("XA31", "Xã Tân Lập", "Xã", "UBND", "Có"),
        unit_row("STP", "Sở Tư pháp tỉnh Sơn Hà", "Sở, ban, ngành", "UBND", "Có"),
    ]
    people: list[list[Any]] = [
        ["ct.xa31", "Lê Văn Tân", "ct.xa31@sonha.gov.vn", 912345678, "Người đứng đầu", "XA31", "Chủ tịch"],
        [
            "cv.stc",
            Person.objects.get(username="cv.stc").full_name,
            "cv.stc@sonha.gov.vn",
            "",
            "Cán bộ, công chức, viên chức",
            "STC",
            "Chuyên viên chính",
        ],
    ]
    last_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    response = upload(client_for("noivu"), make_workbook(units, people), follow=True)

    assert response.redirect_chain == [(reverse("org:unit-list"), 302)]
    message = [str(m) for m in response.context["messages"]]
    assert message == ["Đã nhập: 2 đơn vị mới, 1 đơn vị cập nhật, 1 cán bộ mới, 1 cán bộ cập nhật."]
    commune = Unit.objects.get(code="XA31")
    assert (commune.name, commune.kind, commune.parent, commune.is_active) == (
        "Xã Tân Lập",
        UnitKind.COMMUNE,
        Unit.objects.get(code="UBND"),
        True,
    )
    assert Unit.objects.get(code="XA31.P1").parent == commune
    stp.refresh_from_db()
    assert stp.name == "Sở Tư pháp tỉnh Sơn Hà"
    assert stp.search_text == "so tu phap tinh son ha stp"
    head = Person.objects.get(username="ct.xa31")
    assert (head.full_name, head.role, head.unit, head.phone, head.title) == (
        "Lê Văn Tân",
        Role.HEAD,
        commune,
        "912345678",
        "Chủ tịch",
    )
    assert not head.has_usable_password()
    assert head.is_active
    assert "le van tan" in head.search_text
    official = Person.objects.get(username="cv.stc")
    assert official.title == "Chuyên viên chính"
    assert official.has_usable_password()  # an update never touches the password

    entries = AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")
    assert [(e.action, e.object_type, e.object_repr) for e in entries] == [
        (AuditAction.IMPORT, "org.unit", "Xã Tân Lập"),
        (AuditAction.IMPORT, "org.unit", "Sở Tư pháp tỉnh Sơn Hà"),
        (AuditAction.IMPORT, "org.unit", "Văn phòng HĐND và UBND xã Tân Lập"),
        (AuditAction.IMPORT, "org.person", official.full_name),
        (AuditAction.IMPORT, "org.person", "Lê Văn Tân"),
    ]
    assert {e.actor_name for e in entries} == {Person.objects.get(username="noivu").full_name}
    assert entries[1].changes == {"name": ["Sở Tư pháp", "Sở Tư pháp tỉnh Sơn Hà"]}
    assert entries[3].changes == {"title": ["Chuyên viên", "Chuyên viên chính"]}
    assert entries[4].changes["unit"] == [None, commune.pk]
    assert verify_chain() is None


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(client_for: Any) -> None:
    content = make_workbook([unit_row("XA31", "Xã Tân Lập")], [person_row("cv2.xa31", unit="XA31")])
    upload(client_for("noivu"), content)
    before = counts()

    response = upload(client_for("noivu"), content, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Đã nhập: 0 đơn vị mới, 0 đơn vị cập nhật, 0 cán bộ mới, 0 cán bộ cập nhật. 2 dòng không có gì thay đổi."
    ]
    assert counts() == before


@pytest.mark.django_db
def test_heads_can_swap_units_in_one_file(client_for: Any) -> None:
    stc, sct = Unit.objects.get(code="STC"), Unit.objects.get(code="SCT")
    people = [
        person_row("gd.stc", "Người Một", role="Người đứng đầu", unit="SCT", title="Giám đốc"),
        person_row("gd.sct", "Người Hai", role="Người đứng đầu", unit="STC", title="Giám đốc"),
    ]

    response = upload(client_for("noivu"), make_workbook([], people))

    assert response.status_code == 302
    assert Person.objects.get(username="gd.stc").unit == sct
    assert Person.objects.get(username="gd.sct").unit == stc


@pytest.mark.django_db
def test_a_head_can_be_replaced_in_one_file(client_for: Any) -> None:
    people = [
        person_row("gd.moi.stc", "Giám đốc Mới", role="Người đứng đầu", unit="STC", title="Giám đốc"),
        person_row("gd.stc", "Giám đốc Cũ", role="Cấp phó", unit="STC", title="Phó Giám đốc"),
    ]

    response = upload(client_for("noivu"), make_workbook([], people))

    assert response.status_code == 302
    assert Person.objects.get(role=Role.HEAD, unit__code="STC", is_active=True).username == "gd.moi.stc"


@pytest.mark.django_db
def test_numbers_and_yes_no_cells_are_read_as_text_and_booleans(client_for: Any) -> None:
    units = [unit_row("123", "Đơn vị số", active=False), unit_row("XA32", "Xã Khác", active="không")]

    response = upload(client_for("noivu"), make_workbook(units, []))

    assert response.status_code == 302
    assert Unit.objects.get(code="123").is_active is False
    assert Unit.objects.get(code="XA32").is_active is False


@pytest.mark.django_db
def test_an_administrator_may_grant_the_administrator_role(client_for: Any) -> None:
    people = [person_row("qt2", "Quản Trị Hai", role="Quản trị", unit="")]

    response = upload(client_for("quantri"), make_workbook([], people))

    assert response.status_code == 302
    assert Person.objects.get(username="qt2").role == Role.ADMIN


@pytest.mark.django_db
def test_a_conflicting_change_between_check_and_write_writes_nothing() -> None:
    noivu = Person.objects.get(username="noivu")
    content = make_workbook(
        [unit_row("XA31", "Xã Tân Lập")], [person_row("ct.xa31", role="Người đứng đầu", unit="XA31")]
    )
    plan = check_upload(io.BytesIO(content), by=noivu)
    assert isinstance(plan, ImportPlan)
    # Meanwhile someone else creates the unit and gives it a head.
    other = Unit.objects.create(code="XA31", name="Xã do người khác tạo", kind=UnitKind.COMMUNE)
    Person.objects.create(username="ct2.xa31", full_name="Người Khác", role=Role.HEAD, unit=other)
    before = counts()

    with pytest.raises(ImportConflict):
        apply_import(plan, by=noivu)

    assert counts() == before
    assert Unit.objects.get(code="XA31").name == "Xã do người khác tạo"
    assert not Person.objects.filter(username="ct.xa31").exists()


@pytest.mark.django_db
def test_apply_import_refuses_someone_without_the_permission() -> None:
    plan = ImportPlan(units=(), people=())

    with pytest.raises(PermissionDenied):
        apply_import(plan, by=Person.objects.get(username="vanphong"))


# -- the template -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_downloads_and_imports_once_filled(client_for: Any) -> None:
    client = client_for("noivu")

    response = client.get(reverse("org:import-template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [UNIT_SHEET, PERSON_SHEET, "Hướng dẫn"]
    units, people, guide = workbook[UNIT_SHEET], workbook[PERSON_SHEET], workbook["Hướng dẫn"]
    assert [c.value for c in units[1]] == list(UNIT_HEADERS)
    assert [c.value for c in people[1]] == list(PERSON_HEADERS)
    assert all(c.font.bold for c in units[1])
    assert units.freeze_panes == people.freeze_panes == "A2"
    kinds = [guide.cell(row=r, column=1).value for r in range(2, 2 + len(UnitKind))]
    roles = [guide.cell(row=r, column=2).value for r in range(2, 2 + len(Role))]
    assert kinds == [str(label) for label in UnitKind.labels]
    assert roles == [str(label) for label in Role.labels]
    unit_lists = {str(v.sqref): v.formula1 for v in units.data_validations.dataValidation}
    assert unit_lists == {"C2:C2001": "'Hướng dẫn'!$A$2:$A$11", "E2:E2001": '"Có,Không"'}
    assert [v.formula1 for v in people.data_validations.dataValidation] == ["'Hướng dẫn'!$B$2:$B$11"]

    units.append(["XA40", "Phường Mẫu", kinds[8], "UBND", "Có"])
    people.append(
        ["ct.xa40", "Phạm Thị Mẫu", "ct.xa40@sonha.gov.vn", "0912000111", roles[4], "XA40", "Chủ tịch"]
    )
    filled = io.BytesIO()
    workbook.save(filled)
    response = upload(client, filled.getvalue())

    assert response.status_code == 302
    assert Unit.objects.get(code="XA40").kind == UnitKind.WARD
    assert Person.objects.get(username="ct.xa40").phone == "0912000111"


# -- bad rows: every problem named by sheet, row and column; nothing written ------------------------------

LONG = "x" * 256
BAD_FILES = [
    pytest.param(
        {
            "units": [unit_row("XA31")[:2] + unit_row("XA31")[3:]],
            "unit_headers": [U_CODE, U_NAME, U_PARENT, U_ACTIVE],
        },
        (UNIT_SHEET, 1, U_KIND),
        "Thiếu cột «Loại»",
        id="missing-header",
    ),
    pytest.param(
        {"units": [[*unit_row("XA31"), "ghi chú"]], "unit_headers": [*UNIT_HEADERS, "Ghi chú"]},
        (UNIT_SHEET, 1, "Ghi chú"),
        "Cột «Ghi chú» không có trong mẫu",
        id="unexpected-header",
    ),
    pytest.param(
        {"units": [unit_row("XA31", active="Đúng")]},
        (UNIT_SHEET, 2, U_ACTIVE),
        "Phải là «Có» hoặc «Không», không phải «Đúng».",
        id="active-not-yes-no",
    ),
    pytest.param(
        {"people": [person_row("cv.moi", email="khong-phai-email")]},
        (PERSON_SHEET, 2, P_EMAIL),
        "«khong-phai-email» không phải là địa chỉ email hợp lệ.",
        id="bad-email",
    ),
    pytest.param(
        {"units": [unit_row("XA31", kind="Tổng cục")]},
        (UNIT_SHEET, 2, U_KIND),
        "Loại «Tổng cục» không hợp lệ. Các giá trị được chấp nhận: «UBND tỉnh»; «Sở, ban, ngành»;",
        id="unknown-kind",
    ),
    pytest.param(
        {"people": [person_row("cv.moi", role="Giám đốc")]},
        (PERSON_SHEET, 2, P_ROLE),
        "Vai trò «Giám đốc» không hợp lệ. Các giá trị được chấp nhận: «Chủ tịch UBND tỉnh»;",
        id="unknown-role",
    ),
    pytest.param(
        {"units": [unit_row("XA31", parent="KHONGCO")]},
        (UNIT_SHEET, 2, U_PARENT),
        "Không có đơn vị mã «KHONGCO» trong tệp hay trong hệ thống.",
        id="unknown-parent",
    ),
    pytest.param(
        {"people": [person_row("cv.moi", unit="KHONGCO")]},
        (PERSON_SHEET, 2, P_UNIT),
        "Không có đơn vị mã «KHONGCO» trong tệp hay trong hệ thống.",
        id="unknown-unit-of-person",
    ),
    pytest.param(
        {"units": [unit_row("XA31"), unit_row("XA31", "Xã Trùng")]},
        (UNIT_SHEET, 3, U_CODE),
        "Mã đơn vị «XA31» trùng với dòng 2.",
        id="duplicate-code",
    ),
    pytest.param(
        {"people": [person_row("cv.moi"), person_row("cv.moi", "Người Khác")]},
        (PERSON_SHEET, 3, P_USERNAME),
        "Tên đăng nhập «cv.moi» trùng với dòng 2.",
        id="duplicate-username",
    ),
    pytest.param(
        {"units": [unit_row("A1", parent="B1"), unit_row("B1", parent="A1")]},
        (UNIT_SHEET, 3, U_PARENT),
        "Vòng lặp cấp trên: đơn vị sẽ là cấp trên của chính nó (B1 → A1 → B1).",
        id="cycle-in-file",
    ),
    pytest.param(
        {"units": [unit_row("XA31", parent="XA31")]},
        (UNIT_SHEET, 2, U_PARENT),
        "Đơn vị không thể là cấp trên của chính nó.",
        id="own-parent",
    ),
    pytest.param(
        {"units": [unit_row("UBND", "UBND tỉnh Sơn Hà", "UBND tỉnh", "STP")]},
        (UNIT_SHEET, 2, U_PARENT),
        "(UBND → STP → UBND)",
        id="cycle-through-database",
    ),
    pytest.param(
        {"units": [unit_row("XA31", name="")]},
        (UNIT_SHEET, 2, U_NAME),
        "Bắt buộc, không được để trống.",
        id="empty-required-cell",
    ),
    pytest.param(
        {"units": [unit_row("XA31", name=LONG)]},
        (UNIT_SHEET, 2, U_NAME),
        "Dài 256 ký tự, vượt quá giới hạn 255 ký tự.",
        id="too-long",
    ),
    pytest.param(
        {"people": [person_row("gd2.stc", role="Người đứng đầu", unit="STC")]},
        (PERSON_SHEET, 2, P_ROLE),
        "Mỗi đơn vị chỉ có một người đứng đầu đang hoạt động; đơn vị «STC» đã có hoặc sẽ có: «gd.stc».",
        id="second-active-head",
    ),
    pytest.param(
        {"people": [person_row("cv.moi", unit="")]},
        (PERSON_SHEET, 2, P_UNIT),
        "Vai trò «Cán bộ, công chức, viên chức» cần mã đơn vị.",
        id="unit-role-without-unit",
    ),
    pytest.param(
        {"people": [person_row("nguyen van a")]},
        (PERSON_SHEET, 2, P_USERNAME),
        "tên đăng nhập chỉ gồm chữ, số",
        id="bad-username",
    ),
    pytest.param(
        {"people": [person_row("qt.moi", role="Quản trị", unit="")]},
        (PERSON_SHEET, 2, P_ROLE),
        "Chỉ quản trị mới được cấp vai trò «Quản trị».",
        id="home-affairs-grants-admin",
    ),
    pytest.param(
        {"people": [person_row("quantri", "Quản trị", role="Quản trị", unit="")]},
        (PERSON_SHEET, 2, P_USERNAME),
        "Chỉ quản trị mới được sửa tài khoản quản trị «quantri».",
        id="home-affairs-edits-admin",
    ),
    pytest.param(
        {"people": [person_row("noivu", role="Chủ tịch UBND tỉnh", unit="UBND")]},
        (PERSON_SHEET, 2, P_ROLE),
        "Không thể tự đổi vai trò của chính mình.",
        id="own-role",
    ),
    pytest.param(
        {"person_headers": None, "units": [unit_row("XA31")]},
        (PERSON_SHEET, None, ""),
        "Thiếu trang tính «Cán bộ».",
        id="missing-sheet",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("spec", "where", "reason"), BAD_FILES)
def test_a_bad_file_names_sheet_row_and_column_and_writes_nothing(
    spec: dict[str, Any], where: tuple[str, int | None, str], reason: str, client_for: Any
) -> None:
    before = counts()

    response = upload(client_for("noivu"), make_workbook(**spec))

    found = [p for p in problems_of(response) if (p.sheet, p.row, p.column) == where]
    assert found, problems_of(response)
    assert reason in found[0].reason
    assert counts() == before
    assert "chưa nhập dòng nào" in response.content.decode()


@pytest.mark.django_db
def test_every_problem_is_reported_and_one_bad_row_stops_the_whole_file(client_for: Any) -> None:
    units = [unit_row("XA31"), unit_row("XA32", kind="Tỉnh"), unit_row("XA33", parent="KHONGCO")]
    people = [person_row("cv.moi", unit="XA31"), person_row("cv.moi2", email="sai")]
    before = counts()

    response = upload(client_for("noivu"), make_workbook(units, people))

    assert [(p.sheet, p.row, p.column) for p in problems_of(response)] == [
        (UNIT_SHEET, 3, U_KIND),
        (UNIT_SHEET, 4, U_PARENT),
        (PERSON_SHEET, 3, P_EMAIL),
    ]
    assert counts() == before
    page = response.content.decode()
    assert "Tệp có 3 lỗi" in page
    assert "<td>Cán bộ</td><td>3</td><td>Email</td><td>«sai» không phải là địa chỉ email hợp lệ.</td>" in page


# -- files that are not a filled workbook -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(b"", "to-chuc.xlsx", "Tệp rỗng (0 byte)", id="zero-bytes"),
        pytest.param(make_workbook(), "to-chuc.xlsx", "Tệp không có dòng dữ liệu nào.", id="no-data-rows"),
        pytest.param(
            "Mã đơn vị,Tên đơn vị\nXA31,Xã Tân Lập\n".encode(),
            "to-chuc.xlsx",
            "nội dung không phải tệp Excel .xlsx",
            id="text-named-xlsx",
        ),
        pytest.param(
            b"%PDF-1.7\n%...", "to-chuc.xlsx", "nội dung không phải tệp Excel .xlsx", id="pdf-named-xlsx"
        ),
        pytest.param(b"PK\x03\x04 not really a zip", "to-chuc.xlsx", "Không mở được tệp", id="broken-zip"),
        pytest.param(
            make_workbook([unit_row("XA31")]), "to-chuc.csv", "không phải tệp Excel .xlsx", id="csv-name"
        ),
    ],
)
def test_a_file_that_is_not_a_filled_workbook_is_refused_clearly(
    content: bytes, name: str, message: str, client_for: Any
) -> None:
    before = counts()

    response = upload(client_for("noivu"), content, name)

    assert any(message in error for error in file_errors(response)), file_errors(response)
    assert counts() == before


@pytest.mark.django_db
def test_a_zip_that_is_not_a_workbook_is_refused(client_for: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    response = upload(client_for("noivu"), out.getvalue())

    assert file_errors(response) == [
        "Không mở được tệp: đây không phải là tệp Excel .xlsx hợp lệ. "
        "Hãy lưu tệp bằng Excel (Lưu thành… → Sổ làm việc Excel .xlsx) rồi tải lên lại."
    ]


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(client_for: Any, settings: Any) -> None:
    content = make_workbook([unit_row("XA31")])
    settings.MAX_UPLOAD_BYTES = 1024
    before = counts()

    response = upload(client_for("noivu"), content)

    assert file_errors(response) == [
        f"Tệp «to-chuc.xlsx» có dung lượng {filesizeformat(len(content))}, vượt giới hạn 1,0\xa0KB."
    ]
    assert counts() == before


# -- pages and permissions --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["noivu", "quantri"])
def test_the_import_page_explains_the_format_and_links_the_template(username: str, client_for: Any) -> None:
    response = client_for(username).get(reverse("org:import"))

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("org:import-template") in page
    assert 'enctype="multipart/form-data"' in page
    assert 'hx-indicator="#import-progress"' in page
    assert "chưa có mật khẩu đăng nhập" in page
    assert '<label class="form-label required" for="id_file">Tệp Excel (.xlsx)</label>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["gd.stc", "chutich", "vanphong", "cv.stc", "congdan"])
def test_other_roles_are_refused_both_views(username: str, client_for: Any) -> None:
    client = client_for(username)
    before = counts()

    assert client.get(reverse("org:import")).status_code == 403
    assert client.get(reverse("org:import-template")).status_code == 403
    assert upload(client, make_workbook([unit_row("XA31")])).status_code == 403
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["org:import", "org:import-template"])
def test_anonymous_visitors_are_sent_to_log_in(name: str) -> None:
    response = Client().get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_navigation_shows_the_import_only_to_those_allowed(client_for: Any) -> None:
    def items(username: str, url: str) -> dict[str, bool]:
        response = client_for(username).get(url)
        return {str(item.label): item.active for item in response.context["nav_items"]}

    assert items("noivu", reverse("org:import"))["Nhập dữ liệu"] is True
    assert items("noivu", reverse("org:import"))["Tổ chức"] is False
    assert items("noivu", reverse("org:unit-list"))["Nhập dữ liệu"] is False
    assert "Nhập dữ liệu" not in items("gd.stc", reverse("org:unit-list"))


@pytest.mark.django_db
def test_htmx_upload_answers_the_panel_or_a_client_redirect(client_for: Any) -> None:
    client = client_for("noivu")

    bad = upload(client, make_workbook([unit_row("XA31", kind="Tỉnh")]), HTTP_HX_REQUEST="true")
    good = upload(client, make_workbook([unit_row("XA31")]), HTTP_HX_REQUEST="true")

    assert bad.status_code == 200
    assert bad.content.decode().lstrip().startswith('<div id="import-panel">')
    assert "<html" not in bad.content.decode()
    assert good.status_code == 200
    assert good["HX-Redirect"] == reverse("org:unit-list")
    assert Unit.objects.filter(code="XA31").exists()


# -- properties of the checks (no database) ---------------------------------------------------------------

CODES = st.lists(
    st.text(alphabet="ABCDEFGHKLMNPQRSTUVXYĐ0123456789.", min_size=1, max_size=12),
    min_size=1,
    max_size=12,
    unique=True,
)


@st.composite
def unit_trees(draw: st.DrawFn) -> list[list[Any]]:
    """Unit rows with unique codes, each parent an earlier code or none, then shuffled (parents may come later)."""
    codes = draw(CODES)
    rows = []
    for index, code in enumerate(codes):
        parent = draw(st.one_of(st.just(""), st.sampled_from(codes[:index]))) if index else ""
        rows.append(
            unit_row(
                code, f"Đơn vị {code}", draw(st.sampled_from(["Xã", "Phường", "Sở, ban, ngành"])), parent
            )
        )
    return draw(st.permutations(rows))


@settings(max_examples=50, deadline=None)
@given(unit_trees())
def test_a_tree_of_unique_codes_always_validates_with_parents_first(rows: list[list[Any]]) -> None:
    outcome = validate(parse_workbook(io.BytesIO(make_workbook(rows))), KnownState())

    assert isinstance(outcome, ImportPlan), outcome
    seen: set[str] = set()
    for unit in outcome.units:
        assert unit.parent_code == "" or unit.parent_code in seen
        seen.add(unit.code)
    assert seen == {row[0] for row in rows}


@settings(max_examples=50, deadline=None)
@given(unit_trees(), st.data())
def test_a_duplicated_code_is_always_named_on_its_row(rows: list[list[Any]], data: st.DataObject) -> None:
    copied = data.draw(st.sampled_from(rows))
    rows = [*rows, unit_row(copied[0], "Đơn vị trùng", "Xã", "")]

    outcome = validate(parse_workbook(io.BytesIO(make_workbook(rows))), KnownState())

    assert isinstance(outcome, list)
    first_row = 2 + [r[0] for r in rows].index(copied[0])
    assert outcome == [
        RowProblem(UNIT_SHEET, len(rows) + 1, U_CODE, f"Mã đơn vị «{copied[0]}» trùng với dòng {first_row}.")
    ]
