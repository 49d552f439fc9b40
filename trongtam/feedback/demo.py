"""Demo feedback: about 200 cases over the year, across the province's units, in every status -- written in bulk
(the whole demo loads in seconds), with the history each status implies. Among them, the story of issue #5: an
anonymous report that an official of Phường Sơn Hà (XA01) asked for money, tracking code `XAPHANH234`, assigned
to the ward's chairman, answered within the deadline, found upheld, and its answer published.

The dates follow the working-day calendar: each case's deadline is computed as the app computes it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from trongtam.feedback.domain import codes
from trongtam.feedback.domain.cases import response_due
from trongtam.feedback.domain.redaction import redact
from trongtam.feedback.enums import Category, FeedbackAction, FeedbackStatus, Outcome, SubjectKind
from trongtam.feedback.models import Feedback, FeedbackEvent
from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

STORY_CODE = "XAPHANH234"
COUNT = 200
S = FeedbackStatus

CONTENT = {
    Category.ATTITUDE: "Cán bộ tiếp nhận hồ sơ có thái độ thiếu tôn trọng, nói trống không và không hướng dẫn rõ ràng.",
    Category.HARASSMENT: "Tôi bị yêu cầu bổ sung nhiều lần các giấy tờ không có trong quy định của thủ tục.",
    Category.DELAY: "Hồ sơ của tôi đã quá ngày hẹn trả nhưng chưa nhận được kết quả, cũng không có phiếu xin lỗi.",
    Category.ASKING_MONEY: "Cán bộ gợi ý nộp thêm tiền «bồi dưỡng» để hồ sơ được giải quyết nhanh hơn.",
    Category.OTHER: "Đề nghị bố trí thêm ghế chờ và niêm yết công khai thủ tục tại bộ phận một cửa.",
}
ANSWERS = {
    True: "Qua xác minh, nội dung phản ánh là đúng. Đơn vị đã kiểm điểm cán bộ liên quan, chấn chỉnh quy trình tiếp "
    "nhận và xin lỗi công dân. Liên hệ ông Trần Văn Minh, số 0912 345 678 nếu cần thêm thông tin.",
    False: "Qua xác minh, hồ sơ được giải quyết đúng quy trình và thời hạn; đơn vị đã giải thích, hướng dẫn để công dân "
    "hiểu rõ quy định.",
}
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Hoàng Minh Đức", "Vũ Thị Hà"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def _plan(rng: random.Random, received: dt.date, due: dt.date, today: dt.date) -> str:
    """The status a case received on `received` has reached by `today`: the older, the further along."""
    age = (today - received).days
    if age <= 2:
        return S.RECEIVED
    if age <= 6:
        return rng.choice([S.ASSIGNED, S.IN_HANDLING])
    if due >= today:
        return rng.choice([S.IN_HANDLING, S.ANSWERED, S.ANSWERED])
    return rng.choices([S.IN_HANDLING, S.ANSWERED, S.CLOSED], weights=[1, 3, 8])[0]


People = dict[int, tuple[list[Any], list[Any]]]


def _case(
    rng: random.Random, unit: Unit, received_at: dt.datetime, *, today: dt.date, calendar: WorkCalendar,
    people: People,
) -> tuple[Feedback, list[FeedbackEvent]]:  # fmt: skip
    received = timezone.localdate(received_at)
    due = response_due(received, calendar)
    category = rng.choice(list(Category))
    subject = (
        SubjectKind.OFFICIAL if category in (Category.ASKING_MONEY, Category.ATTITUDE) else SubjectKind.UNIT
    )
    anonymous = rng.random() < 0.4
    name = rng.choice(NAMES)
    case = Feedback(
        tracking_code=codes.new_code(), category=category, subject_kind=subject, unit=unit,
        official_name="Chị cán bộ ở quầy số 2" if subject == SubjectKind.OFFICIAL else "",
        content=CONTENT[category], is_anonymous=anonymous,
        reporter_name="" if anonymous else name,
        reporter_phone="" if anonymous else f"09{rng.randrange(10**7, 10**8)}",
        reporter_email="", reporter_address="" if anonymous else "Tổ dân phố 3",
        received_at=received_at, received_on=received, response_due=due,
    )  # fmt: skip
    status = _plan(rng, received, due, today)
    events = [
        FeedbackEvent(feedback=case, action=FeedbackAction.SUBMIT, to_status=S.RECEIVED, at=received_at)
    ]
    leaders, staff = people.get(unit.pk, ([], []))
    head = leaders[0] if leaders else None
    office: list[Any] = people.get(0, ([], []))[0]
    order: list[str] = [S.ASSIGNED, S.IN_HANDLING, S.ANSWERED, S.CLOSED]
    reached = order[: order.index(status) + 1] if status != S.RECEIVED else []
    if reached and head is None:  # a unit without a head: the case waits for triage
        reached = []
    day = received
    for step in reached:
        day = min(calendar.add_working_days(day, rng.randint(1, 3)), today)
        at = _at(day, 10)
        if step == S.ASSIGNED:
            case.assigned_to = head
            events.append(FeedbackEvent(feedback=case, action=FeedbackAction.ASSIGN, from_status=S.RECEIVED,
                                        to_status=S.ASSIGNED, by=office[0] if office else None, at=at))  # fmt: skip
        elif step == S.IN_HANDLING:
            case.handler = rng.choice(staff) if staff and rng.random() < 0.6 else head
            events.append(FeedbackEvent(feedback=case, action=FeedbackAction.HANDLE, from_status=S.ASSIGNED,
                                        to_status=S.IN_HANDLING, by=head, at=at))  # fmt: skip
        elif step == S.ANSWERED:
            if rng.random() < 0.2:  # some are answered late
                day = min(calendar.add_working_days(due, rng.randint(1, 4)), today)
                at = _at(day, 15)
            case.upheld = rng.random() < 0.35
            case.answer, case.answered_on = ANSWERS[case.upheld], day
            events.append(FeedbackEvent(feedback=case, action=FeedbackAction.ANSWER, from_status=S.IN_HANDLING,
                                        to_status=S.ANSWERED, by=case.handler, at=at))  # fmt: skip
        else:
            outcome = rng.choices(list(Outcome), weights=[8, 1, 1, 1])[0]
            if outcome in Outcome.without_answer:
                outcome = Outcome.RESOLVED
            case.outcome, case.closed_on = outcome, day
            case.outcome_reason = (
                "" if outcome == Outcome.RESOLVED else "Vượt quá khả năng giải quyết của đơn vị."
            )
            events.append(FeedbackEvent(feedback=case, action=FeedbackAction.CLOSE, from_status=S.ANSWERED,
                                        to_status=S.CLOSED, by=head, at=at, comment=case.outcome_reason))  # fmt: skip
        case.status = step
    if case.answered_on and rng.random() < 0.5:
        case.public_answer, case.is_published = redact(case.answer, case), True
        case.published_at = _at(case.answered_on, 16)
    return case, events


def _people() -> People:
    """unit id -> (its head first then deputies, its officials); key 0 -> (the Office, [])."""
    found: People = {0: (list(Person.objects.filter(role=Role.OFFICE)), [])}
    rank: dict[str, int] = {Role.HEAD: 0, Role.DEPUTY: 1}
    people = Person.objects.filter(
        is_active=True, role__in=(Role.HEAD, Role.DEPUTY, Role.OFFICIAL), unit__isnull=False
    )
    for person in sorted(people, key=lambda p: (rank.get(p.role, 2), p.pk)):
        leaders, staff = found.setdefault(person.unit_id or 0, ([], []))
        (staff if person.role == Role.OFFICIAL else leaders).append(person)
    return found


def _story(today: dt.date, calendar: WorkCalendar, people: People) -> tuple[Feedback, list[FeedbackEvent]]:
    """The anonymous "asking for money" report at XA01, answered in time, upheld and published."""
    ward = Unit.objects.get(code="XA01")
    received = calendar.add_working_days(today, -12)
    head = people[ward.pk][0][0]
    office = people[0][0][0] if people[0][0] else None
    answered = calendar.add_working_days(received, 6)
    case = Feedback(
        tracking_code=STORY_CODE, category=Category.ASKING_MONEY, subject_kind=SubjectKind.OFFICIAL, unit=ward,
        official_name="Anh cán bộ địa chính ở bộ phận một cửa",
        content="Khi tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất, cán bộ địa chính nói phải «bồi dưỡng» "
        "500.000 đồng thì hồ sơ mới được giải quyết sớm.",
        is_anonymous=True, received_at=_at(received, 20), received_on=received,
        response_due=response_due(received, calendar), status=S.ANSWERED, assigned_to=head, handler=head,
        answer="UBND phường đã xác minh: nội dung phản ánh là đúng. Cán bộ liên quan đã bị tạm đình chỉ công tác "
        "tại bộ phận một cửa và đang bị xem xét kỷ luật; phường đã niêm yết công khai số điện thoại đường dây "
        "nóng của Chủ tịch phường tại bộ phận một cửa.",
        upheld=True, answered_on=answered,
    )  # fmt: skip
    case.public_answer = redact(case.answer, case)
    case.is_published, case.published_at = True, _at(answered, 17)
    steps = [
        (FeedbackAction.SUBMIT, "", S.RECEIVED, None, case.received_at),
        (
            FeedbackAction.ASSIGN,
            S.RECEIVED,
            S.ASSIGNED,
            office,
            _at(calendar.add_working_days(received, 1), 9),
        ),
        (
            FeedbackAction.HANDLE,
            S.ASSIGNED,
            S.IN_HANDLING,
            head,
            _at(calendar.add_working_days(received, 1), 14),
        ),
        (FeedbackAction.ANSWER, S.IN_HANDLING, S.ANSWERED, head, _at(answered, 16)),
        (FeedbackAction.PUBLISH, S.ANSWERED, S.ANSWERED, head, _at(answered, 17)),
    ]
    events = [
        FeedbackEvent(feedback=case, action=a, from_status=f, to_status=t, by=by, at=at)
        for a, f, t, by, at in steps
    ]
    return case, events


def seed_feedback(today: dt.date | None = None) -> bool:
    """Load the demo cases once; False (and nothing written) when the province already has feedback."""
    if Feedback.objects.exists():
        return False
    today = today or timezone.localdate()
    calendar = work_calendar()
    rng = random.Random(2026)  # noqa: S311 -- a reproducible demo, not a secret
    people = _people()
    kinds = (UnitKind.DEPARTMENT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SERVICE_CENTER)
    units = list(Unit.objects.filter(is_active=True, kind__in=kinds).order_by("code"))
    if not units:
        return False
    start = dt.date(today.year, 1, 2)
    span = (today - start).days
    built = [_story(today, calendar, people)]
    for index in range(COUNT - 1):
        # A tenth of them in the last two weeks, so that the lists show cases at every step.
        recent = index % 10 == 0
        day = (
            today - dt.timedelta(days=rng.randrange(14))
            if recent
            else start + dt.timedelta(days=rng.randrange(max(span, 1)))
        )
        at = _at(day, rng.randint(7, 21))
        built.append(_case(rng, rng.choice(units), at, today=today, calendar=calendar, people=people))
    with transaction.atomic():
        for case, _events in built:
            case.save()  # one by one: save() fills the search column
        FeedbackEvent.objects.bulk_create(
            [event for _case, events in built for event in events], batch_size=500
        )
    return True
