"""`python manage.py seed_demo`: the demo province (two-tier model of 1/7/2025). Idempotent.

A fictional province, tỉnh Sơn Hà: the People's Committee, 14 departments with some divisions, the provincial
public-administration service centre, 30 communes and wards, two former districts merged away (history), a
Chairman, three Vice-Chairmen with areas of charge, a head, a deputy and officials in every unit, the period
2026 with its theme, five common tasks, the Chairman's assigned tasks and registrations in every state, all made
through the domain functions so that each has its real history and audit trail.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from trongtam.assessment.demo import seed_assessment
from trongtam.cycles.models import AssignedTask, CommonTask, Period
from trongtam.dossiers.demo import seed_dossiers
from trongtam.dossiers.domain import letters
from trongtam.feedback.demo import seed_feedback
from trongtam.followup.demo import seed_directives
from trongtam.inspections.demo import seed_inspections
from trongtam.keytasks.domain.registration import (
    TaskInput,
    create_registration,
    save_task,
    transition_registration,
)
from trongtam.keytasks.enums import RegistrationAction, TaskKind
from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import AreaOfCharge, Person, Unit
from trongtam.rankings.demo import seed_last_year
from trongtam.supervision.demo import seed_supervision
from trongtam.workdays.domain.queries import work_calendar

DEMO_PASSWORD = "TrongTam@2026"  # noqa: S105 -- demo data only; printed for the person running the demo

DEPARTMENTS = [
    ("VP", "Văn phòng UBND tỉnh"),
    ("SNV", "Sở Nội vụ"),
    ("STP", "Sở Tư pháp"),
    ("STC", "Sở Tài chính"),
    ("SCT", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SXD", "Sở Xây dựng"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SYT", "Sở Y tế"),
    ("TTT", "Thanh tra tỉnh"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("SNGV", "Sở Ngoại vụ"),
]
DIVISIONS = {
    "STC": ["Văn phòng Sở", "Phòng Quản lý ngân sách", "Phòng Tài chính doanh nghiệp"],
    "SNV": ["Văn phòng Sở", "Phòng Tổ chức, biên chế", "Phòng Cải cách hành chính"],
    "SYT": ["Văn phòng Sở", "Phòng Nghiệp vụ Y"],
    "SGDDT": ["Văn phòng Sở", "Phòng Giáo dục phổ thông"],
    "SXD": ["Văn phòng Sở", "Phòng Quản lý hạ tầng kỹ thuật"],
}
COMMUNES = [
    ("P", "Phường Sơn Hà"),
    ("P", "Phường Đông Thành"),
    ("P", "Phường Tây Sơn"),
    ("P", "Phường Bắc Hà"),
    ("P", "Phường Nam Giang"),
    ("P", "Phường Hòa Bình"),
    ("X", "Xã Tân Lập"),
    ("X", "Xã Phú Cường"),
    ("X", "Xã Yên Thịnh"),
    ("X", "Xã An Khánh"),
    ("X", "Xã Thạch Bàn"),
    ("X", "Xã Quảng Phú"),
    ("X", "Xã Đức Thắng"),
    ("X", "Xã Hưng Đạo"),
    ("X", "Xã Minh Tân"),
    ("X", "Xã Vĩnh Phúc"),
    ("X", "Xã Thanh Lương"),
    ("X", "Xã Hải Xuân"),
    ("X", "Xã Ngọc Lâm"),
    ("X", "Xã Trường Sơn"),
    ("X", "Xã Bình Minh"),
    ("X", "Xã Kim Sơn"),
    ("X", "Xã Lạc Thủy"),
    ("X", "Xã Cao Phong"),
    ("X", "Xã Mường Lát"),
    ("X", "Xã Ea Tam"),
    ("X", "Xã Đồng Tâm"),
    ("X", "Xã Nghĩa Hưng"),
    ("X", "Xã Tiên Phong"),
    ("X", "Xã Hợp Thành"),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
]

COMMON_TASKS = [
    "Hoàn thiện tổ chức bộ máy theo mô hình chính quyền địa phương hai cấp",
    "Đẩy mạnh chuyển đổi số, giải quyết thủ tục hành chính trực tuyến toàn trình",
    "Cải thiện chỉ số cải cách hành chính và năng lực cạnh tranh cấp tỉnh",
    "Siết chặt kỷ luật, kỷ cương hành chính; phòng, chống tham nhũng, lãng phí",
    "Giải ngân vốn đầu tư công đúng tiến độ",
]

# Demo log-ins, one per role (printed at the end and listed in the README).
DEMO_LOGINS = [
    ("chutich", Role.CHAIRMAN),
    ("pct.kinhte", Role.VICE_CHAIRMAN),
    ("pct.vanxa", Role.VICE_CHAIRMAN),
    ("pct.noichinh", Role.VICE_CHAIRMAN),
    ("vanphong", Role.OFFICE),
    ("noivu", Role.HOME_AFFAIRS),
    ("gd.stc", Role.HEAD),
    ("pgd.stc", Role.DEPUTY),
    ("cv.stc", Role.OFFICIAL),
    ("hdnd", Role.COUNCIL),
    ("congdan", Role.CITIZEN),
    ("quantri", Role.ADMIN),
]


class Command(BaseCommand):
    help = "Nạp tỉnh mẫu (mô hình hai cấp) với tài khoản demo cho mọi vai trò. Chạy lại không tạo trùng."

    def handle(self, *args: Any, **options: Any) -> None:
        if Unit.objects.filter(code="UBND").exists():
            self.stdout.write("Tỉnh mẫu đã có sẵn, không nạp lại.")
        else:
            with transaction.atomic():
                self._seed()
            self.stdout.write(self.style.SUCCESS("Đã nạp tỉnh mẫu Sơn Hà."))
        if seed_directives():  # its own check: added to a province loaded before the directives existed
            self.stdout.write(self.style.SUCCESS("Đã nạp văn bản giao việc mẫu và tình hình thực hiện."))
        if seed_dossiers():
            self.stdout.write(self.style.SUCCESS("Đã nạp danh mục thủ tục và hồ sơ một cửa mẫu."))
            # What the scheduler's first sweep would do to the new demo dossiers: draft the letters of those at
            # risk today. Only then: on a database that holds more than the demo, drafting is the worker's job.
            if letters.sweep(timezone.localdate(), work_calendar()):
                self.stdout.write(
                    self.style.SUCCESS("Đã lập dự thảo phiếu xin lỗi cho các hồ sơ sắp quá hạn.")
                )
        if seed_feedback():
            self.stdout.write(self.style.SUCCESS("Đã nạp phản ánh, kiến nghị mẫu."))
        if seed_supervision():
            self.stdout.write(self.style.SUCCESS("Đã nạp buổi đối thoại và kiến nghị giám sát mẫu."))
        if seed_inspections():
            self.stdout.write(self.style.SUCCESS("Đã nạp kế hoạch và kết quả kiểm tra công vụ mẫu."))
        if seed_assessment():
            self.stdout.write(self.style.SUCCESS("Đã nạp bộ tiêu chí đánh giá năm 2026."))
        if seed_last_year():
            self.stdout.write(
                self.style.SUCCESS("Đã nạp kết quả đánh giá đã phê duyệt năm 2025 (xếp hạng thi đua).")
            )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"\nTài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        people = {p.username: p for p in Person.objects.filter(username__in=[u for u, _r in DEMO_LOGINS])}
        for username, role in DEMO_LOGINS:
            person = people.get(username)
            where = f" — {person.unit.name}" if person and person.unit else ""
            name = person.full_name if person else "?"
            self.stdout.write(f"  {username:<14} {role.label:<32} {name}{where}")
        self.stdout.write("")

    # -- building ---------------------------------------------------------------------------------------

    def _seed(self) -> None:
        self._names = iter(
            f"{s} {m} {g}"
            for s, m, g in zip(
                itertools.cycle(SURNAMES), itertools.cycle(MIDDLE), itertools.cycle(GIVEN), strict=False
            )
        )
        self._password = make_password(DEMO_PASSWORD)  # hashed once: every demo log-in shares it
        province, departments, center, communes = self._units()
        chairman, vcs, heads = self._people(province, departments, center, communes)
        self._period_and_registrations(chairman, vcs, heads, departments, communes)

    def _person(self, username: str, role: Role, unit: Unit | None, title: str, **extra: Any) -> Person:
        p = Person(
            username=username,
            full_name=next(self._names),
            role=role,
            unit=unit,
            title=title,
            email=f"{username}@sonha.gov.vn",
            **extra,
        )
        p.password = self._password
        p.save()
        return p

    def _units(self) -> tuple[Unit, dict[str, Unit], Unit, list[Unit]]:
        province = Unit.objects.create(code="UBND", name="UBND tỉnh Sơn Hà", kind=UnitKind.PROVINCE)
        departments = {
            code: Unit.objects.create(code=code, name=name, kind=UnitKind.DEPARTMENT, parent=province)
            for code, name in DEPARTMENTS
        }
        center = Unit.objects.create(
            code="TTPVHCC",
            name="Trung tâm Phục vụ hành chính công tỉnh Sơn Hà",
            kind=UnitKind.SERVICE_CENTER,
            parent=province,
        )
        for code, divisions in DIVISIONS.items():
            for i, name in enumerate(divisions, start=1):
                Unit.objects.create(
                    code=f"{code}.P{i}",
                    name=f"{name} — {departments[code].name}",
                    kind=UnitKind.DIVISION,
                    parent=departments[code],
                )
        communes = []
        for i, (kind, name) in enumerate(COMMUNES, start=1):
            communes.append(
                Unit.objects.create(
                    code=f"XA{i:02d}",
                    name=name,
                    parent=province,
                    kind=UnitKind.WARD if kind == "P" else UnitKind.COMMUNE,
                )
            )
        # History: two districts of the three-tier model, merged into communes on 1/7/2025.
        for code, name, target in (
            ("H.SONDONG", "Huyện Sơn Đông (cũ)", communes[6]),
            ("H.THACHBAN", "Huyện Thạch Bàn (cũ)", communes[10]),
        ):
            Unit.objects.create(
                code=code,
                name=name,
                kind=UnitKind.DISTRICT,
                parent=province,
                is_active=False,
                merged_into=target,
            )

        return province, departments, center, communes

    def _people(
        self, province: Unit, departments: dict[str, Unit], center: Unit, communes: list[Unit]
    ) -> tuple[Person, list[Person], dict[str, Person]]:
        chairman = self._person("chutich", Role.CHAIRMAN, province, "Chủ tịch UBND tỉnh")
        vcs = [
            self._person(u, Role.VICE_CHAIRMAN, province, "Phó Chủ tịch UBND tỉnh")
            for u in ("pct.kinhte", "pct.vanxa", "pct.noichinh")
        ]
        self._person("vanphong", Role.OFFICE, departments["VP"], "Chuyên viên theo dõi nhiệm vụ")
        self._person("noivu", Role.HOME_AFFAIRS, departments["SNV"], "Chuyên viên phòng Cải cách hành chính")
        self._person("hdnd", Role.COUNCIL, None, "Phó Chủ tịch HĐND tỉnh")
        self._person("congdan", Role.CITIZEN, None, "")
        self._person("quantri", Role.ADMIN, None, "Quản trị hệ thống", is_staff=True, is_superuser=True)

        areas = [
            ("Kinh tế, tài chính, đầu tư", ["STC", "SCT", "SXD", "SNNMT", "SKHCN"], communes[:10]),
            ("Văn hóa, xã hội", ["SGDDT", "SYT", "SVHTTDL", "SDTTG"], communes[10:20]),
            ("Nội chính, cải cách hành chính", ["SNV", "STP", "TTT", "SNGV", "VP"], [*communes[20:], center]),
        ]
        for vc, (name, codes, extra_units) in zip(vcs, areas, strict=True):
            area = AreaOfCharge.objects.create(vice_chairman=vc, name=name)
            area.units.set([departments[c] for c in codes] + list(extra_units))

        heads: dict[str, Person] = {}
        for code, unit in departments.items():
            prefix = "cvp" if code == "VP" else ("ctt" if code == "TTT" else "gd")
            title = {"VP": "Chánh Văn phòng", "TTT": "Chánh Thanh tra"}.get(code, "Giám đốc")
            heads[code] = self._person(f"{prefix}.{code.lower()}", Role.HEAD, unit, f"{title} {unit.name}")
            deputy_title = {"VP": "Phó Chánh Văn phòng", "TTT": "Phó Chánh Thanh tra"}.get(
                code, "Phó Giám đốc"
            )
            self._person(f"p{prefix}.{code.lower()}", Role.DEPUTY, unit, deputy_title)
            for n in (1, 2):
                self._person(f"cv{n if n > 1 else ''}.{code.lower()}", Role.OFFICIAL, unit, "Chuyên viên")
        for i, unit in enumerate(communes, start=1):
            heads[unit.code] = self._person(f"ct.xa{i:02d}", Role.HEAD, unit, f"Chủ tịch UBND {unit.name}")
            self._person(f"pct.xa{i:02d}", Role.DEPUTY, unit, f"Phó Chủ tịch UBND {unit.name}")
            self._person(f"cc.xa{i:02d}", Role.OFFICIAL, unit, "Công chức Văn phòng - Thống kê")
        self._person("gd.ttpvhcc", Role.HEAD, center, "Giám đốc Trung tâm Phục vụ hành chính công tỉnh")
        for division in Unit.objects.filter(kind=UnitKind.DIVISION):
            self._person(f"tp.{division.code.lower()}", Role.HEAD, division, "Trưởng phòng")
            self._person(f"cv.{division.code.lower()}", Role.OFFICIAL, division, "Chuyên viên")

        return chairman, vcs, heads

    def _period_and_registrations(
        self,
        chairman: Person,
        vcs: list[Person],
        heads: dict[str, Person],
        departments: dict[str, Unit],
        communes: list[Unit],
    ) -> None:
        period = Period.objects.create(
            year=2026,
            name="Năm 2026",
            theme="Kỷ cương, trách nhiệm, tăng tốc chuyển đổi số, vận hành hiệu quả chính quyền địa phương hai cấp",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
            registration_deadline=dt.date(2026, 2, 27),
            midyear_review_date=dt.date(2026, 7, 15),
            final_assessment_date=dt.date(2026, 12, 10),
            commitment_text=(
                "Tôi cam kết trực tiếp chỉ đạo, tổ chức thực hiện chủ đề công tác năm 2026 và các "
                "nhiệm vụ trọng tâm đã đăng ký; chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả."
            ),
        )
        for number, title in enumerate(COMMON_TASKS, start=1):
            CommonTask.objects.create(period=period, number=number, title=title)
        assigned = {}
        for code in [c for c, _n in DEPARTMENTS] + [u.code for u in communes[:12]]:
            unit = departments.get(code) or Unit.objects.get(code=code)
            assigned[code] = AssignedTask.objects.create(
                period=period,
                unit=unit,
                assigned_by=chairman,
                title=f"Tham mưu, triển khai Đề án chuyển đổi số trọng điểm năm 2026 tại {unit.name}",
                description="Báo cáo kết quả với Chủ tịch UBND tỉnh trước ngày 15/12/2026.",
            )

        # Registrations in every state. Sở Tài chính (gd.stc) is left without one: the demo story starts there.
        plan = [
            ("SCT", [RegistrationAction.SUBMIT]),
            ("SXD", [RegistrationAction.SUBMIT, RegistrationAction.RETURN]),
            ("SNNMT", [RegistrationAction.SUBMIT, RegistrationAction.APPROVE]),
            (
                "SKHCN",
                [RegistrationAction.SUBMIT, RegistrationAction.APPROVE, RegistrationAction.REQUEST_CHANGE],
            ),
            (
                "SGDDT",
                [
                    RegistrationAction.SUBMIT,
                    RegistrationAction.APPROVE,
                    RegistrationAction.REQUEST_CHANGE,
                    RegistrationAction.APPROVE_CHANGE,
                ],
            ),
            ("SYT", []),
            ("SNV", [RegistrationAction.SUBMIT, RegistrationAction.APPROVE]),
            ("XA01", [RegistrationAction.SUBMIT]),
            ("XA02", [RegistrationAction.SUBMIT, RegistrationAction.APPROVE]),
            ("XA11", [RegistrationAction.SUBMIT]),
        ]
        common = list(period.common_tasks.all())
        for code, actions in plan:
            head = heads[code]
            head_unit = head.unit
            assert head_unit is not None  # noqa: S101
            registration = create_registration(period=period, by=head)
            tasks = self._tasks(head_unit, common, assigned[code], departments)
            for data in tasks if actions else tasks[:4]:
                registration.refresh_from_db()
                save_task(
                    registration_id=registration.pk, by=head, data=data, expected_version=registration.version
                )
            for action in actions:
                reviewer = (
                    chairman
                    if action == RegistrationAction.APPROVE and code == "SNV"
                    else (
                        head
                        if action in (RegistrationAction.SUBMIT, RegistrationAction.REQUEST_CHANGE)
                        else self._vc_for(head_unit, vcs)
                    )
                )
                comment = {
                    RegistrationAction.RETURN: "Nhiệm vụ tự đăng ký số 2 chưa có sản phẩm cụ thể; đề nghị bổ sung.",
                    RegistrationAction.REQUEST_CHANGE: "Điều chỉnh thời hạn do thay đổi kế hoạch vốn của Trung ương.",
                }.get(action, "")
                transition_registration(registration.pk, action, by=reviewer, comment=comment)
            if actions:
                from trongtam.keytasks.domain.registration import sign_commitment

                sign_commitment(registration_id=registration.pk, by=head)

    @staticmethod
    def _vc_for(unit: Unit, vcs: list[Person]) -> Person:
        for vc in vcs:
            if unit.pk in vc.charged_unit_ids:
                return vc
        return vcs[0]

    @staticmethod
    def _tasks(
        unit: Unit, common: list[CommonTask], assigned: AssignedTask, departments: dict[str, Unit]
    ) -> list[TaskInput]:
        partner = departments["STC"] if unit.code != "STC" else departments["SKHCN"]
        own = [
            TaskInput(
                kind=TaskKind.OWN,
                title=f"Số hoá 100% hồ sơ lưu trữ giai đoạn 2020–2025 của {unit.name}",
                deadline=dt.date(2026, 9, 30),
                lead_unit_id=unit.pk,
                product="Kho dữ liệu hồ sơ số",
                target_value=Decimal(100),
                target_unit="%",
                led_personally=True,
                milestones=[("Hoàn thành kiểm kê hồ sơ", dt.date(2026, 4, 30))],
            ),
            TaskInput(
                kind=TaskKind.OWN,
                title="Rà soát, đơn giản hoá thủ tục hành chính thuộc thẩm quyền",
                deadline=dt.date(2026, 6, 30),
                lead_unit_id=unit.pk,
                product="Phương án đơn giản hoá trình UBND tỉnh",
                coordinating_unit_ids=[partner.pk],
            ),
            TaskInput(
                kind=TaskKind.OWN,
                title="Nâng tỷ lệ hồ sơ giải quyết đúng hạn",
                deadline=dt.date(2026, 12, 15),
                lead_unit_id=unit.pk,
                target_value=Decimal("98.5"),
                target_unit="% hồ sơ đúng hạn",
            ),
        ]
        concrete = [
            TaskInput(
                kind=TaskKind.COMMON,
                common_task_id=c.pk,
                title=f"{c.title} tại {unit.name}",
                deadline=dt.date(2026, 11, 30),
                lead_unit_id=unit.pk,
                product=f"Báo cáo kết quả thực hiện nhiệm vụ chung số {c.number}",
            )
            for c in common
        ]
        given = TaskInput(
            kind=TaskKind.ASSIGNED,
            assigned_task_id=assigned.pk,
            title=assigned.title,
            deadline=dt.date(2026, 12, 15),
            lead_unit_id=unit.pk,
            led_personally=True,
            product="Đề án được phê duyệt và triển khai",
        )
        return [*own, *concrete, given]
