"""Demo directives and their follow-up, for `seed_demo`: what the Provincial Office has assigned this year.

Four documents entered by the Office (`vanphong`) with tasks for departments and communes in every state the
follow-up knows: done on time, done late, awaiting acceptance, sent back for redo, in progress in time, due
soon, overdue, not started, one with a pending extension, one with an approved one, and a monthly recurring
report. Everything goes through the domain functions (`create_directive`, `add_progress`, `report_completion`,
`act`, `request_extension`, `decide_extension`), so each task has its real events, audit trail and notices.

Dates. A task's state is derived from today's date (domain/status.py), so the dates here are counted in
working days from the day the demo is loaded (`today`), on the province's calendar: a task due in 20 working
days is "in progress, in time" and one due 8 working days ago is "overdue" on the day `make run` first loads
the demo, whatever that day is. Fixed dates would not keep: every open task would drift into "overdue" as
the calendar moves on, and a demo loaded after its fixed deadlines would show nothing in time. Completion
reports carry the day they say they were made (`today=` of the domain functions), so "done on time" and
"done late" are verdicts fixed on acceptance and never change afterwards. The demo is loaded once and then
ages like a real province would: days after loading, the tasks due soon become overdue and the reminder
sweep of `make run` reminds their heads -- which is what it is for. Loaded in 2026, the demo's period, the
documents are dated 3 to 70 working days earlier, in 2026 too (from mid-April on). What the domain stamps
with the clock itself (the time of a progress report in the history, the audit trail) is the time of
loading. The browser story (tests/e2e/test_directive_story.py) loads the demo on a fixed day under
time-machine, so its figures are known. The lead units avoid Sở Công Thương, which the tests use as a blank
unit for reminders.

Idempotent: nothing is added when the demo documents are already there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from trongtam.directives.domain.deadlines import DeadlineKind, DeadlineSpec
from trongtam.directives.domain.directives import DirectiveInput, TaskSpec, create_directive
from trongtam.directives.models import Directive, DocumentKind, Frequency
from trongtam.followup.domain.tasks import (
    ProgressInput,
    act,
    add_progress,
    decide_extension,
    report_completion,
    request_extension,
)
from trongtam.followup.enums import FollowAction
from trongtam.followup.models import Task
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

OFFICE = "vanphong"
# The smallest file a PDF reader opens: enough for the evidence checks (they read the signature).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Step:
    """What happens to one task after it is assigned, in working days relative to the day of loading."""

    progress: list[tuple[str, int, int, str]] = field(default_factory=list)  # (who, day, percent, narrative)
    contribution: tuple[str, int, str] | None = None  # (official of a coordinating unit, day, narrative)
    completed: tuple[str, int] | None = None  # (head, day reported)
    accepted: bool = False
    returned: str = ""  # the Office's reason for sending the result back
    extension: tuple[str, int, str] | None = None  # (head, new deadline day, reason)
    extension_approved: bool | None = None  # None: still pending


@dataclass
class Planned:
    spec: TaskSpec
    step: Step


@dataclass
class Document:
    number: str
    kind: str
    issued: int  # working days before the day of loading (negative)
    signer: str  # username whose name signs it
    excerpt: str
    tasks: list[Planned]


DEMO_NUMBERS = ("186/TB-UBND", "07/CT-UBND", "45/KH-UBND", "2150/UBND-NNMT")


def seed_directives(today: dt.date | None = None) -> bool:
    """Load the demo documents and their follow-up, unless they are there already. True if loaded."""
    if not Person.objects.filter(username=OFFICE).exists():
        return False  # no demo province
    if Directive.objects.filter(number__in=DEMO_NUMBERS, created_by__username=OFFICE).exists():
        return False
    with transaction.atomic():
        _Loader(today or timezone.localdate(), work_calendar()).run()
    return True


class _Loader:
    def __init__(self, today: dt.date, calendar: WorkCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.people = {p.username: p for p in Person.objects.filter(is_active=True)}
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.office = self.people[OFFICE]

    def day(self, n: int) -> dt.date:
        """The working day `n` working days from the day of loading (before it when negative)."""
        return self.calendar.add_working_days(self.today, n)

    def by(self, deadline: int) -> DeadlineSpec:
        return DeadlineSpec(kind=DeadlineKind.DATE, date=self.day(deadline))

    def task(
        self,
        title: str,
        lead: str,
        deadline: DeadlineSpec,
        step: Step | None = None,
        *,
        coordinating: tuple[str, ...] = (),
        description: str = "",
        urgent: bool = False,
    ) -> Planned:
        spec = TaskSpec(
            title=title,
            lead_unit_id=self.units[lead],
            deadline=deadline,
            description=description,
            coordinating_unit_ids=[self.units[c] for c in coordinating],
            urgent=urgent,
        )
        return Planned(spec, step or Step())

    # -- the documents ----------------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        t, by = self.task, self.by
        conclusion = Document(
            "186/TB-UBND",
            DocumentKind.CONCLUSION,
            -45,
            "chutich",
            "Kết luận của Chủ tịch UBND tỉnh tại phiên họp UBND tỉnh thường kỳ về tình hình kinh tế - xã hội "
            "và tiến độ giải ngân vốn đầu tư công",
            [
                t(
                    "Tham mưu phương án điều chuyển vốn đầu tư công từ các dự án chậm giải ngân",
                    "STC",
                    by(-20),
                    Step(
                        progress=[
                            ("cv.stc", -35, 50, "Đã tổng hợp danh mục 37 dự án giải ngân dưới 30% kế hoạch.")
                        ],
                        contribution=(
                            "cv.skhcn",
                            -33,
                            "Đã gửi Sở Tài chính danh mục dự án khoa học, công nghệ đề nghị điều chuyển vốn.",
                        ),
                        completed=("gd.stc", -22),
                        accepted=True,
                    ),
                    coordinating=("SKHCN",),
                ),
                t(
                    "Tháo gỡ vướng mắc về mặt bằng, thủ tục đầu tư các dự án nhà ở xã hội",
                    "SXD",
                    by(-8),
                    Step(progress=[("cv.sxd", -15, 60, "Đã hoàn thành thủ tục đầu tư 3/5 dự án.")]),
                    description="Báo cáo UBND tỉnh kết quả và những vướng mắc vượt thẩm quyền.",
                ),
                t(
                    "Xây dựng kế hoạch phòng, chống dịch bệnh truyền nhiễm mùa mưa bão",
                    "SYT",
                    DeadlineSpec(kind=DeadlineKind.WORKING_DAYS, working_days=15),
                    Step(
                        progress=[("cv.syt", -33, 70, "Đã lấy ý kiến các bệnh viện tuyến tỉnh.")],
                        completed=("gd.syt", -27),  # three working days after its deadline: done late
                        accepted=True,
                    ),
                ),
                t(
                    "Hoàn thành bồi thường, giải phóng mặt bằng tuyến đường ven sông đoạn qua phường",
                    "XA01",
                    by(20),
                    Step(progress=[("cc.xa01", -2, 75, "Đã chi trả bồi thường cho 142/180 hộ.")]),
                    coordinating=("SXD",),
                ),
            ],
        )
        directive = Document(
            "07/CT-UBND",
            DocumentKind.DIRECTIVE,
            -30,
            "chutich",
            "Về đẩy mạnh chuyển đổi số, giải quyết thủ tục hành chính trực tuyến toàn trình",
            [
                t(
                    "Công khai tiến độ giải quyết hồ sơ thủ tục hành chính lĩnh vực tài chính trên Cổng dịch vụ công",
                    "STC",
                    by(10),
                    Step(
                        progress=[("cv.stc", -10, 80, "Đã kết nối dữ liệu 28/32 thủ tục.")],
                        completed=("gd.stc", -1),  # awaiting the Office's acceptance
                    ),
                ),
                t(
                    "Triển khai tuyển sinh đầu cấp trực tuyến toàn trình",
                    "SGDDT",
                    by(4),
                    Step(
                        progress=[("cv.sgddt", -3, 50, "Đã thử nghiệm tại 12 trường.")],
                        extension=(
                            "gd.sgddt",
                            25,
                            "Bộ Giáo dục và Đào tạo điều chỉnh phần mềm tuyển sinh dùng chung; cần thử nghiệm lại.",
                        ),
                    ),
                ),
                t(
                    "Rà soát, chuẩn hoá dữ liệu thủ tục hành chính trên Cổng dịch vụ công của tỉnh",
                    "SNV",
                    by(2),
                    Step(progress=[("cv.snv", -1, 80, "Đã chuẩn hoá 1.210/1.480 thủ tục.")]),
                    coordinating=("TTPVHCC",),
                    urgent=True,
                ),
                t(
                    "Số hoá hồ sơ di tích, lễ hội truyền thống cấp tỉnh",
                    "SVHTTDL",
                    by(-2),
                    Step(
                        progress=[("cv.svhttdl", -6, 60, "Đã số hoá hồ sơ 41/70 di tích.")],
                        extension=("gd.svhttdl", 15, "Chờ ý kiến thẩm định của Cục Di sản văn hoá."),
                        extension_approved=True,
                    ),
                ),
                t(
                    "Cập nhật dữ liệu đồng bào dân tộc thiểu số vào cơ sở dữ liệu quốc gia",
                    "SDTTG",
                    by(12),
                    Step(
                        completed=("gd.sdttg", -4),
                        returned="Báo cáo chưa có số liệu của 5 xã vùng cao; đề nghị bổ sung.",
                    ),
                ),
                t(
                    "Thanh tra việc tiếp nhận, giải quyết hồ sơ thủ tục hành chính tại một số xã",
                    "TTT",
                    by(-4),  # not started and overdue: the head is reminded, then the Vice-Chairman
                ),
                t(
                    "Số hoá kết quả giải quyết thủ tục hành chính còn hiệu lực",
                    "XA11",
                    by(30),
                ),
            ],
        )
        start = -70
        plan = Document(
            "45/KH-UBND",
            DocumentKind.PLAN,
            start,
            "pct.kinhte",
            "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới trên địa bàn tỉnh",
            [
                t(
                    "Báo cáo tiến độ thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
                    "SNNMT",
                    DeadlineSpec(
                        kind=DeadlineKind.RECURRING,
                        frequency=Frequency.MONTHLY,
                        day=20,
                        until=self.day(start) + dt.timedelta(days=180),
                    ),
                    description="Báo cáo hằng tháng, gửi Văn phòng UBND tỉnh trước ngày 20.",
                ),
                t(
                    "Hoàn thành các tiêu chí xã nông thôn mới nâng cao",
                    "XA07",
                    by(40),
                    Step(progress=[("cc.xa07", -5, 40, "Đạt 15/19 tiêu chí.")]),
                ),
            ],
        )
        letter = Document(
            "2150/UBND-NNMT",
            DocumentKind.OFFICIAL_LETTER,
            -3,
            "pct.kinhte",
            "Về việc chủ động ứng phó, khắc phục hậu quả mưa lũ",
            [
                t(
                    "Kiểm tra, bảo đảm an toàn hồ đập, đê điều trước mùa mưa lũ",
                    "SNNMT",
                    DeadlineSpec(kind=DeadlineKind.WORKING_DAYS, working_days=5),
                    coordinating=("SXD", "XA21"),
                    urgent=True,
                ),
                t(
                    "Rà soát, di dời các hộ dân ở vùng có nguy cơ sạt lở",
                    "XA21",
                    DeadlineSpec(kind=DeadlineKind.WORKING_DAYS, working_days=7),
                    Step(progress=[("cc.xa21", 0, 50, "Đã di dời 23/46 hộ.")]),
                    urgent=True,
                ),
            ],
        )
        return [conclusion, directive, plan, letter]

    # -- loading ----------------------------------------------------------------------------------------

    def run(self) -> None:
        for document in self.documents():
            issued = self.day(document.issued)
            directive = create_directive(
                DirectiveInput(
                    number=document.number,
                    issued_on=issued,
                    kind=document.kind,
                    signer=self.people[document.signer].get_full_name(),
                    excerpt=document.excerpt,
                ),
                [planned.spec for planned in document.tasks],
                by=self.office,
                calendar=self.calendar,
                today=self.today,
            )
            tasks = list(directive.tasks.order_by("pk"))
            for planned in document.tasks:
                mine = [task for task in tasks if task.title.startswith(planned.spec.title)]
                if planned.spec.deadline.kind == DeadlineKind.RECURRING:
                    assert planned.spec.lead_unit_id is not None  # noqa: S101
                    self.recurring(mine, planned.spec.lead_unit_id)
                else:
                    [task] = mine
                    self.follow(task, planned.step)

    def follow(self, task: Task, step: Step) -> None:
        for who, n, percent, narrative in step.progress:
            add_progress(
                task.pk,
                ProgressInput(percent=percent, narrative=narrative),
                by=self.people[who],
                expected_version=None,
                today=self.day(n),
            )
        if step.contribution:
            who, n, narrative = step.contribution
            add_progress(
                task.pk,
                ProgressInput(percent=100, narrative=narrative),
                by=self.people[who],
                expected_version=None,
                today=self.day(n),
            )
        if step.extension:
            who, n, reason = step.extension
            extension = request_extension(
                task.pk, by=self.people[who], new_deadline=self.day(n), reason=reason, expected_version=None
            )
            if step.extension_approved is not None:
                decide_extension(
                    extension.pk,
                    by=self.office,
                    approve=step.extension_approved,
                    note="Đồng ý; đề nghị Sở hoàn thành đúng thời hạn mới.",
                    calendar=self.calendar,
                )
        if step.completed:
            who, n = step.completed
            self.complete(task, who, self.day(n))
            if step.accepted:
                act(task.pk, FollowAction.ACCEPT, by=self.office)
            elif step.returned:
                act(task.pk, FollowAction.RETURN, by=self.office, comment=step.returned)

    def complete(self, task: Task, who: str, day: dt.date) -> None:
        report_completion(
            task.pk,
            by=self.people[who],
            narrative="Đã hoàn thành; gửi kèm báo cáo kết quả.",
            files=[SimpleUploadedFile("bao-cao-ket-qua.pdf", PDF, content_type="application/pdf")],
            expected_version=None,
            today=day,
        )

    def recurring(self, occurrences: list[Task], lead_unit_id: int) -> None:
        """A monthly report: every month already due was reported two working days early and accepted; the
        months to come are open."""
        head = Person.objects.get(unit_id=lead_unit_id, role=Role.HEAD, is_active=True)
        for task in occurrences:
            if task.deadline is not None and task.deadline < self.today:
                reported = max(task.assigned_on, self.calendar.add_working_days(task.deadline, -2))
                self.complete(task, head.username, reported)
                act(task.pk, FollowAction.ACCEPT, by=self.office)
