"""Demo one-stop dossiers, for `seed_demo`: the procedure catalog and a year of dossiers of tỉnh Sơn Hà.

- A catalog of 42 procedures at commune and province level (chứng thực, hộ tịch, hộ kinh doanh, đất đai, xây dựng,
  bảo trợ xã hội; and the departments' own: lý lịch tư pháp, doanh nghiệp, dược, rượu, giấy phép lao động…) with
  their legal processing times in working days.
- About 4,000 dossiers received in 2026 up to yesterday, spread over the 30 communes (XA01–XA30) and, received by
  the provincial service centre for them, the departments; every status code, the three channels, most finished
  early or on time, some late, some still open past their due date, a few paused for a supplement.
- Three dossiers of Phường Sơn Hà (XA01) for the story of the README, dated relative to the day the demo is
  loaded so that the story holds on any day: one due on the next working day (at risk: its apology letter is
  due), one already overdue, and one finished and returned. They are entered and moved by the commune's official
  through the domain functions, so they have their history in the audit trail.

The bulk of the dossiers is written with `bulk_create` for speed, their dates derived by `deadlines.schedule` as
every other writer's are. Deterministic (a fixed random seed), and idempotent: nothing is added once the story
dossiers exist.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from trongtam.dossiers.domain.deadlines import schedule
from trongtam.dossiers.domain.lifecycle import (
    CounterEntry,
    DossierAction,
    Move,
    receive_at_counter,
    transition,
)
from trongtam.dossiers.enums import ApplicantKind, Channel, DossierStatus, ProcedureLevel, Source
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

S = DossierStatus
C, P = ProcedureLevel.COMMUNE, ProcedureLevel.PROVINCE

# (code, name, field, level, processing days, department deciding it -- "" for the communes)
CATALOG: list[tuple[str, str, str, str, int, str]] = [
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", C, 0, ""),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", C, 0, ""),
    ("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở",
     "Chứng thực", C, 2, ""),
    ("2.000927", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "Chứng thực", C, 2, ""),
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", C, 0, ""),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", C, 1, ""),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", C, 0, ""),
    ("1.004746", "Đăng ký nhận cha, mẹ, con", "Hộ tịch", C, 3, ""),
    ("1.001022", "Cấp giấy xác nhận tình trạng hôn nhân", "Hộ tịch", C, 3, ""),
    ("1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", C, 3, ""),
    ("1.003583", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", C, 0, ""),
    ("2.000635", "Đăng ký giám hộ", "Hộ tịch", C, 3, ""),
    ("1.001612", "Đăng ký thành lập hộ kinh doanh", "Đăng ký kinh doanh", C, 3, ""),
    ("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Đăng ký kinh doanh", C, 3, ""),
    ("1.001266", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh của hộ kinh doanh", "Đăng ký kinh doanh",
     C, 3, ""),
    ("1.001570", "Chấm dứt hoạt động hộ kinh doanh", "Đăng ký kinh doanh", C, 3, ""),
    ("1.011612", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Xây dựng", C, 15, ""),
    ("1.011613", "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ", "Xây dựng", C, 15, ""),
    ("1.011614", "Gia hạn giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", C, 5, ""),
    ("1.004227", "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
     "Đất đai", C, 20, ""),
    ("1.004203", "Chuyển mục đích sử dụng đất đối với hộ gia đình, cá nhân", "Đất đai", C, 15, ""),
    ("1.001776", "Xét, công nhận gia đình văn hóa", "Văn hóa cơ sở", C, 5, ""),
    ("1.001699", "Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", "Bảo trợ xã hội", C, 15, ""),
    ("1.001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội", C, 3, ""),
    ("1.005462", "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "Bảo trợ xã hội", C, 10, ""),
    ("2.001417", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
     "Lý lịch tư pháp", P, 10, "STP"),
    ("1.008891", "Cấp bản sao văn bản công chứng", "Công chứng", P, 2, "STP"),
    ("1.002047", "Cấp đổi giấy phép lái xe do ngành giao thông vận tải cấp", "Đường bộ", P, 5, "SXD"),
    ("1.009972", "Cấp giấy phép xây dựng mới đối với công trình cấp II, cấp III", "Xây dựng", P, 20, "SXD"),
    ("1.009974", "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", "Xây dựng", P, 25, "SXD"),
    ("1.004616", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "Dược phẩm", P, 20, "SYT"),
    ("1.012271", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "Khám bệnh, chữa bệnh", P, 20, "SYT"),
    ("2.000620", "Cấp Giấy phép bán lẻ sản phẩm rượu", "Lưu thông hàng hóa trong nước", P, 10, "SCT"),
    ("2.000591", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", P, 15, "SCT"),
    ("1.012790", "Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho, thừa kế", "Đất đai", P, 10,
     "SNNMT"),
    ("1.004232", "Cấp giấy phép khai thác, sử dụng nước dưới đất", "Tài nguyên nước", P, 25, "SNNMT"),
    ("1.005068", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", "Giáo dục và đào tạo", P, 15,
     "SGDDT"),
    ("2.001610", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
     "Thành lập và hoạt động doanh nghiệp", P, 3, "STC"),
    ("2.002028", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Thành lập và hoạt động doanh nghiệp", P, 3,
     "STC"),
    ("1.000105", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "Việc làm", P, 5,
     "SNV"),
    ("1.001029", "Tổ chức biểu diễn nghệ thuật trong khuôn khổ lễ hội", "Nghệ thuật biểu diễn", P, 5,
     "SVHTTDL"),
    ("1.010980", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "Hoạt động khoa học và công nghệ",
     P, 10, "SKHCN"),
]  # fmt: skip

STORY_UNIT = "XA01"
STORY_OFFICIAL = "cc.xa01"


@dataclass(frozen=True)
class StoryDossier:
    code: str
    procedure: str
    applicant: str
    phone: str
    what: str


# The README's story: the applicant looks a dossier up with its code and the last four digits of the phone.
STORY = [
    StoryDossier("XA01-MAU-001", "1.001022", "Trần Thị Mai", "0987654321", "due on the next working day (at risk)"),
    StoryDossier("XA01-MAU-002", "1.004203", "Lê Văn Bình", "0976543210", "overdue, still in process"),
    StoryDossier("XA01-MAU-003", "2.000913", "Phạm Minh Châu", "0965432109", "finished early, result returned"),
]  # fmt: skip

COMMUNE_DOSSIERS = 100  # each; XA01 gets a little more, as the province's busiest ward
DEPARTMENT_DOSSIERS = 1000
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Hoài", "Gia"]
GIVEN = ["An", "Bảo", "Chi", "Dũng", "Hà", "Hiếu", "Hoa", "Hùng", "Khoa", "Lan", "Linh", "Long", "Mai", "Nam",
         "Ngân", "Phúc", "Quyên", "Sơn", "Tâm", "Thảo", "Trung", "Tú", "Uyên", "Vy", "Yến"]  # fmt: skip
STREETS = ["Trần Phú", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt", "Hùng Vương"]
BUSINESSES = ["Công ty TNHH Thương mại Sơn Hà", "Công ty CP Xây dựng Hòa Bình", "Công ty TNHH Dược phẩm Minh Tâm",
              "Hợp tác xã Nông nghiệp Tân Lập", "Công ty TNHH Giáo dục Ánh Dương"]  # fmt: skip


def seed_dossiers() -> bool:
    """Load the catalog and the dossiers if the story dossiers are not there yet; True when something was added."""
    today = timezone.localdate()
    with transaction.atomic():
        added = _catalog()
        if Dossier.objects.filter(code=STORY[0].code).exists():
            return added
        calendar = work_calendar()
        procedures = {p.code: p for p in Procedure.objects.filter(code__in=[row[0] for row in CATALOG])}
        _Bulk(today, calendar, procedures).run()
        _story(today, calendar, procedures)
    return True


def _catalog() -> bool:
    existing = set(
        Procedure.objects.filter(code__in=[row[0] for row in CATALOG]).values_list("code", flat=True)
    )
    new = [
        Procedure(
            code=code,
            name=name,
            field=field,
            level=level,
            processing_days=days,
        ).derived()  # bulk_create skips save(), which fills the search column
        for code, name, field, level, days, _unit in CATALOG
        if code not in existing
    ]
    Procedure.objects.bulk_create(new)
    return bool(new)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Bulk:
    """The year's dossiers: a receipt day and hour, then a fate that depends on how far back the receipt lies."""

    def __init__(self, today: dt.date, calendar: WorkCalendar, procedures: dict[str, Procedure]) -> None:
        self.today, self.calendar = today, calendar
        self.random = random.Random(2026)  # noqa: S311 -- demo data, not security
        self.start = dt.date(today.year, 1, 2) if today.month > 2 else today - dt.timedelta(days=300)
        self.commune_procedures = [procedures[row[0]] for row in CATALOG if row[5] == ""]
        self.department_procedures = [(procedures[row[0]], row[5]) for row in CATALOG if row[5]]
        self.sequence: dict[str, itertools.count[int]] = {}
        self.names = (f"{s} {m} {g}" for s, m, g in zip(
            itertools.cycle(SURNAMES), itertools.cycle(MIDDLE), itertools.cycle(GIVEN), strict=False
        ))  # fmt: skip

    def run(self) -> None:
        units = {u.code: u for u in Unit.objects.filter(is_active=True)}
        rows: list[Dossier] = []
        for i in range(1, 31):
            code = f"XA{i:02d}"
            count = COMMUNE_DOSSIERS + (30 if code == STORY_UNIT else self.random.randint(-25, 25))
            rows += [
                self.dossier(units[code], self.random.choice(self.commune_procedures)) for _ in range(count)
            ]
        for _ in range(DEPARTMENT_DOSSIERS):
            procedure, department = self.random.choice(self.department_procedures)
            rows.append(self.dossier(units[department], procedure, business=self.random.random() < 0.4))
        Dossier.objects.bulk_create(rows, batch_size=500)

    def day(self, *, working: bool) -> dt.date:
        """A day of the year before today; a working day for the counter, any day online."""
        span = max((self.today - self.start).days, 1)
        day = self.start + dt.timedelta(days=self.random.randrange(span))
        if working:
            day = self.calendar.working_day_on_or_after(day)
        return min(day, self.today - dt.timedelta(days=1))

    def code(self, unit: Unit, day: dt.date) -> str:
        prefix = f"{unit.code}-{day:%y%m%d}-"
        return f"{prefix}{next(self.sequence.setdefault(prefix, itertools.count(1))):04d}"

    def dossier(self, unit: Unit, procedure: Procedure, *, business: bool = False) -> Dossier:
        r = self.random
        roll = r.random()
        channel = Channel.ONLINE if roll < 0.42 else (Channel.POST if roll < 0.47 else Channel.COUNTER)
        if channel == Channel.ONLINE:  # online: any hour, weekends and holidays too
            submitted = _at(self.day(working=False), r.randint(6, 22), r.randint(0, 59))
        else:
            submitted = _at(self.day(working=True), r.randint(7, 16), r.choice([0, 10, 20, 30, 40, 50]))
        dossier = Dossier(
            unit=unit,
            procedure=procedure,
            channel=channel,
            applicant_name=r.choice(BUSINESSES) if business else next(self.names),
            applicant_kind=ApplicantKind.BUSINESS if business else ApplicantKind.CITIZEN,
            applicant_phone=f"09{r.randint(10000000, 99999999)}",
            applicant_address=f"Số {r.randint(1, 200)} đường {r.choice(STREETS)}",
            submitted_at=submitted,
            received_at=submitted,
            source=Source.IMPORT,
        )
        self.fate(dossier, procedure)
        dossier.code = self.code(unit, timezone.localtime(submitted).date())
        return dossier.derived()

    def fate(self, dossier: Dossier, procedure: Procedure) -> None:
        """Status and dates: not yet received or refused (online only), withdrawn, stopped, paused, open, or
        finished -- early, on time or late -- as the time since receipt allows."""
        r, cal, today = self.random, self.calendar, self.today
        roll = r.random()
        submitted_on = timezone.localtime(dossier.submitted_at or timezone.now()).date()
        online = dossier.channel == Channel.ONLINE
        if online and (roll < 0.02 or (submitted_on >= today - dt.timedelta(days=2) and roll < 0.5)):
            dossier.received_at = None  # refused at reception, or still waiting for it
            dossier.status = S.REFUSED if roll < 0.02 else S.SUBMITTED_ONLINE
            dossier.refusal_reason = "Hồ sơ không thuộc thẩm quyền giải quyết" if roll < 0.02 else ""
            return self.plan(dossier, procedure)
        self.plan(dossier, procedure)
        due, received_on = dossier.due_date, dossier.received_on
        if due is None or received_on is None:  # not possible once received; keeps the types honest
            return None
        start = cal.working_day_on_or_after(received_on)
        yesterday = today - dt.timedelta(days=1)
        if roll < 0.04:  # withdrawn by the citizen, or stopped, a working day after receipt
            dossier.status = S.WITHDRAWN if roll < 0.03 else S.STOPPED
            dossier.refusal_reason = "" if roll < 0.03 else "Người nộp không bổ sung hồ sơ theo yêu cầu"
            dossier.finished_on = max(min(cal.add_working_days(start, 1), yesterday), received_on)
            return None
        if roll < 0.12 and procedure.processing_days >= 3:  # a supplement asked for, perhaps brought since
            asked = cal.add_working_days(start, 1)
            brought = cal.add_working_days(asked, r.randint(1, 6))
            if asked < today:
                dossier.supplement_requested_on = asked
                if brought >= today or roll < 0.05:
                    dossier.status = S.SUPPLEMENT_REQUESTED
                    return None
                dossier.supplement_received_on = brought
                self.plan(dossier, procedure)
                due, start = dossier.due_date or due, brought
        verdict = r.random()
        if verdict > 0.985 and due < today:  # forgotten: open past its due date
            dossier.status = S.IN_PROCESS
            return None
        if verdict < 0.06:  # late by a few working days
            finished = cal.add_working_days(due, r.randint(1, 6))
        elif verdict < 0.5:
            finished = max(due, start)
        else:
            ahead = cal.working_days_between(start, due)
            finished = cal.add_working_days(start, r.randint(0, max(ahead - 1, 0)))
        if finished >= today:
            dossier.status = (
                S.AWAITING_FEES if r.random() < 0.05 else r.choice([S.RECEIVED, S.IN_PROCESS, S.IN_PROCESS])
            )
            return None
        dossier.finished_on = finished
        returned = cal.add_working_days(finished, r.choice([0, 0, 1, 2]))
        if returned < today and r.random() < 0.9:
            dossier.status, dossier.returned_on = S.RETURNED, returned
        else:
            dossier.status = S.DONE
        return None

    def plan(self, dossier: Dossier, procedure: Procedure) -> None:
        plan = schedule(
            dossier.received_at,
            procedure.processing_days,
            self.calendar,
            supplement_requested_on=dossier.supplement_requested_on,
            supplement_received_on=dossier.supplement_received_on,
        )
        dossier.received_on, dossier.due_date, dossier.paused_days = (
            plan.received_on,
            plan.due_date,
            plan.paused_days,
        )


def _story(today: dt.date, calendar: WorkCalendar, procedures: dict[str, Procedure]) -> None:
    """The three dossiers of the README, entered and moved by the commune's official (dated relative to today)."""
    official = Person.objects.get(username=STORY_OFFICIAL)
    unit = Unit.objects.get(code=STORY_UNIT)
    at_risk, overdue, finished = STORY
    # Due on the next working day: received N working days before it, at 9:00.
    due = calendar.next_working_day(today)
    for story, due_on in ((at_risk, due), (overdue, calendar.add_working_days(today, -2))):
        procedure = procedures[story.procedure]
        received = calendar.add_working_days(due_on, -procedure.processing_days)
        dossier = _enter(
            story,
            unit=unit,
            procedure=procedure,
            received_at=_at(received, 9),
            by=official,
            calendar=calendar,
        )
        transition(dossier.pk, DossierAction.START, by=official, calendar=calendar)
    procedure = procedures[finished.procedure]
    received = calendar.add_working_days(today, -6)
    dossier = _enter(
        finished,
        unit=unit,
        procedure=procedure,
        received_at=_at(received, 10, 30),
        by=official,
        calendar=calendar,
    )
    done_on = calendar.add_working_days(received, 1)
    transition(dossier.pk, DossierAction.START, by=official, calendar=calendar)
    transition(dossier.pk, DossierAction.FINISH, Move(on=done_on), by=official, calendar=calendar)
    transition(dossier.pk, DossierAction.RETURN_RESULT, Move(on=done_on), by=official, calendar=calendar)


def _enter(
    story: StoryDossier,
    *,
    unit: Unit,
    procedure: Procedure,
    received_at: dt.datetime,
    by: Person,
    calendar: WorkCalendar,
) -> Dossier:
    return receive_at_counter(
        CounterEntry(
            unit=unit,
            procedure=procedure,
            applicant_name=story.applicant,
            applicant_phone=story.phone,
            applicant_address="Tổ dân phố 3, Phường Sơn Hà",
            received_at=received_at,
            code=story.code,
        ),
        by=by,
        calendar=calendar,
    )
