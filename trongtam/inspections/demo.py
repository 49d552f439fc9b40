"""Demo inspections, for `seed_demo`: Home Affairs' regular plan for the year and the surprise inspection of the
issue's story.

- The regular plan (kế hoạch kiểm tra định kỳ): four inspections of administrative discipline -- two already held
  (one clean, one that found a late arrival, remedied and closed), two still to come, one of them run by the
  Provincial Office. Their plans were sent to the units.
- The story: a surprise inspection of Xã XA01 (Home Affairs, team led by a deputy director) found two officials
  absent without reason and one drinking beer at lunch on a working day (Directive 26/CT-TTg bans it); the team
  could not name the third, so the violation is recorded without a person and the commune is to identify them.
  The violations carry the default remedy deadline; the commune's chairman has reported the remedy of one.
- A surprise inspection of Xã XA02 still to come: hidden from that commune until it is held.

Dates are counted in working days from the day of loading, as the follow-up demo does (trongtam/followup/demo.py),
so the story reads the same whatever day `make run` first loads it. Everything goes through the domain functions,
so each inspection has its audit trail and notifications. Idempotent: nothing is added when the story is there.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from trongtam.inspections.domain.inspections import (
    PlanInput,
    ViolationInput,
    add_violation,
    close_inspection,
    create_inspection,
    decide_remedy,
    record_results,
    report_remedy,
)
from trongtam.inspections.enums import InspectingBody, InspectionKind, ViolationKind
from trongtam.inspections.models import Inspection
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

STORY_TITLE = "Kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính tại UBND xã (XA01)"
HOME_AFFAIRS, OFFICE = "noivu", "vanphong"
SCOPE_REGULAR = (
    "Việc chấp hành thời giờ làm việc, nội quy, quy chế làm việc của cơ quan; tác phong, thái độ khi tiếp xúc với "
    "người dân, doanh nghiệp; việc thực hiện quy định cấm sử dụng rượu, bia trong giờ làm việc, giờ nghỉ trưa "
    "ngày làm việc (Chỉ thị 26/CT-TTg)."
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_inspections(today: dt.date | None = None) -> bool:
    """Load the demo inspections unless they are there already. True if loaded."""
    if not Person.objects.filter(username=HOME_AFFAIRS).exists():
        return False  # no demo province
    if Inspection.objects.filter(title=STORY_TITLE).exists():
        return False
    with transaction.atomic():
        _Loader(today or timezone.localdate(), work_calendar()).run()
    return True


class _Loader:
    def __init__(self, today: dt.date, calendar: WorkCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.people = {p.username: p for p in Person.objects.filter(is_active=True)}
        self.units = {u.code: u for u in Unit.objects.filter(is_active=True)}

    def day(self, n: int) -> dt.date:
        return self.calendar.add_working_days(self.today, n)

    def plan(
        self, title: str, kind: str, unit: str, days: int, *, by: str = HOME_AFFAIRS, team: tuple[str, ...]
    ) -> Inspection:
        body = InspectingBody.OFFICE if by == OFFICE else InspectingBody.HOME_AFFAIRS
        scheduled = self.day(days)
        return create_inspection(
            PlanInput(
                title=title,
                kind=kind,
                body=body,
                unit=self.units[unit],
                scheduled_on=scheduled,
                scheduled_time=dt.time(7, 45) if kind == InspectionKind.SURPRISE else dt.time(8, 0),
                scope=SCOPE_REGULAR,
                leader=self.people[team[0]],
                members=[self.people[u] for u in team[1:]],
            ),
            by=self.people[by],
        )

    def hold(self, inspection: Inspection, findings: str) -> Inspection:
        return record_results(
            inspection.pk,
            conducted_on=inspection.scheduled_on,
            findings=findings,
            by=self.people[HOME_AFFAIRS],
            expected_version=None,
            today=self.today,
        )

    def violation(self, inspection: Inspection, kind: str, person: str | None, description: str) -> int:
        return add_violation(
            inspection.pk,
            ViolationInput(
                kind=kind, description=description, person=self.people[person] if person else None
            ),
            by=self.people[HOME_AFFAIRS],
            expected_version=None,
            calendar=self.calendar,
        ).pk

    def run(self) -> None:
        year = self.today.year
        team = ("pgd.snv", "cv.snv", "cv2.snv")
        regular = f"Kiểm tra định kỳ việc chấp hành kỷ luật, kỷ cương hành chính năm {year}"
        clean = self.plan(f"{regular} — Sở Xây dựng", InspectionKind.REGULAR, "SXD", -50, team=team)
        self.hold(clean, "Cơ quan chấp hành nghiêm thời giờ làm việc và nội quy; không phát hiện vi phạm.")
        close_inspection(clean.pk, by=self.people[HOME_AFFAIRS], expected_version=None)

        late = self.plan(
            f"{regular} — {self.units['XA11'].name}", InspectionKind.REGULAR, "XA11", -25, team=team
        )
        self.hold(
            late, "Đa số cán bộ, công chức có mặt đúng giờ; một công chức đến muộn 40 phút không có lý do."
        )
        late_id = self.violation(
            late,
            ViolationKind.LATENESS,
            "cc.xa11",
            "Đến cơ quan lúc 8 giờ 10, muộn 40 phút, không báo cáo lý do.",
        )
        report_remedy(
            late_id,
            report="Đã tổ chức kiểm điểm công chức vi phạm, nhắc nhở toàn cơ quan chấp hành thời giờ làm việc.",
            evidence=None,
            by=self.people["ct.xa11"],
            expected_version=None,
        )
        decide_remedy(late_id, accept=True, comment="", by=self.people[HOME_AFFAIRS], expected_version=None)
        close_inspection(late.pk, by=self.people[HOME_AFFAIRS], expected_version=None)

        self.plan(
            f"{regular} — Trung tâm Phục vụ hành chính công tỉnh",
            InspectionKind.REGULAR,
            "TTPVHCC",
            8,
            by=OFFICE,
            team=("pcvp.vp", "cv.vp"),
        )
        self.plan(f"{regular} — Sở Y tế", InspectionKind.REGULAR, "SYT", 30, team=team)
        self.plan(
            f"Kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính tại {self.units['XA02'].name}",
            InspectionKind.SURPRISE,
            "XA02",
            5,
            team=team,
        )
        self._story(team)

    def _story(self, team: tuple[str, ...]) -> None:
        story = self.plan(STORY_TITLE, InspectionKind.SURPRISE, "XA01", -3, team=team)
        self.hold(
            story,
            "Lúc 7 giờ 45, đoàn kiểm tra có mặt tại trụ sở UBND xã. Đến 8 giờ 15, hai cán bộ, công chức vắng mặt "
            "không có lý do, không báo cáo lãnh đạo. Trong giờ nghỉ trưa, đoàn ghi nhận một công chức bộ phận tiếp "
            "nhận và trả kết quả uống bia tại quán ăn gần trụ sở rồi trở lại làm việc buổi chiều. Các cán bộ, công "
            "chức khác chấp hành đúng thời giờ làm việc, có đeo thẻ công chức.",
        )
        absent = self.violation(
            story,
            ViolationKind.ABSENCE,
            "cc.xa01",
            "Vắng mặt tại cơ quan buổi sáng không có lý do, không báo cáo lãnh đạo UBND xã.",
        )
        self.violation(
            story,
            ViolationKind.ABSENCE,
            "pct.xa01",
            "Không có mặt tại trụ sở đến 8 giờ 15, không đăng ký lịch công tác, không báo cáo Chủ tịch UBND xã.",
        )
        self.violation(
            story,
            ViolationKind.ALCOHOL,
            None,
            "Một công chức bộ phận tiếp nhận và trả kết quả uống bia tại quán ăn gần trụ sở trong giờ nghỉ trưa "
            "ngày làm việc. Đoàn chưa xác định được họ tên; UBND xã xác minh, báo cáo trong hạn khắc phục.",
        )
        report_remedy(
            absent,
            report="Đã tổ chức kiểm điểm công chức vắng mặt, yêu cầu viết bản tường trình; công chức đã nhận "
            "khuyết điểm và cam kết chấp hành nghiêm thời giờ làm việc.",
            evidence=SimpleUploadedFile("bien-ban-kiem-diem.pdf", PDF, content_type="application/pdf"),
            by=self.people["ct.xa01"],
            expected_version=None,
        )
