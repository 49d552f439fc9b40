"""The rules of each step: deadlines in working days, reasons, the Council's verdict, versions, permissions,
notices, and what stays on record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from tests.supervision.conftest import by, make_dialogue, make_issue, make_recommendation, step, unit_pk
from trongtam.core.errors import RuleViolations, StaleEdit
from trongtam.core.models import AuditEntry, Notification
from trongtam.supervision.domain.items import act_on_issue, act_on_recommendation, resolve_deadline
from trongtam.supervision.domain.records import IssueInput, add_issue
from trongtam.supervision.enums import IssueAction, RaiserKind, RecommendationAction, Verdict
from trongtam.supervision.models import DialogueIssue, Recommendation
from trongtam.workdays.domain.calendar import WorkCalendar

CALENDAR = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 3, 2), 5, dt.date(2026, 3, 9)),  # Monday + 5 working days: next Monday
        (dt.date(2026, 3, 6), 1, dt.date(2026, 3, 9)),  # Friday + 1: over the weekend
        (dt.date(2026, 2, 13), 1, dt.date(2026, 2, 23)),  # Friday before Tết (16-20/2/2026) + 1
        (dt.date(2026, 4, 24), 3, dt.date(2026, 5, 4)),  # over Giỗ Tổ (off Mon 27/4), 30/4 and 1/5
    ],
)
def test_a_deadline_in_working_days_counts_on_the_calendar(
    start: dt.date, days: int, expected: dt.date
) -> None:
    deadline, problems = resolve_deadline(
        None, days, start=start, not_before=start, calendar=CALENDAR, required=True
    )
    assert (deadline, problems) == (expected, [])


@given(st.dates(dt.date(2025, 1, 1), dt.date(2027, 6, 30)), st.integers(1, 60))
def test_a_working_day_deadline_is_a_working_day_after_the_session(start: dt.date, days: int) -> None:
    deadline, problems = resolve_deadline(
        None, days, start=start, not_before=start, calendar=CALENDAR, required=True
    )
    assert problems == []
    assert deadline is not None
    assert deadline > start
    assert CALENDAR.is_working_day(deadline)


def test_a_deadline_both_ways_or_before_the_session_is_refused() -> None:
    start = dt.date(2026, 3, 2)
    _d, both = resolve_deadline(
        dt.date(2026, 3, 20), 5, start=start, not_before=start, calendar=CALENDAR, required=True
    )
    assert [p.field for p in both] == ["deadline"]
    _d, early = resolve_deadline(
        dt.date(2026, 3, 1), None, start=start, not_before=start, calendar=CALENDAR, required=True
    )
    assert [p.message for p in early] == ["Hạn xử lý 01/03/2026 không được trước ngày 02/03/2026."]


@pytest.mark.django_db
def test_an_issue_given_a_unit_is_assigned_and_its_head_told() -> None:
    issue = make_issue()
    assert (issue.status, issue.deadline, issue.original_deadline) == (
        "assigned",
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 16),
    )
    assert [e.action for e in issue.events.all()] == ["record", "assign"]
    notice = Notification.objects.filter(recipient=by("gd.sct")).latest("pk")
    assert notice.kind == "assigned"
    assert notice.url == issue.get_absolute_url()


@pytest.mark.django_db
def test_an_issue_without_a_unit_is_open_and_a_business_needs_its_name() -> None:
    issue = make_issue(unit=None)
    assert (issue.status, issue.responsible_unit_id, issue.deadline) == ("open", None, None)
    with pytest.raises(RuleViolations) as refused:
        add_issue(
            issue.dialogue_id,
            IssueInput(content="Kiến nghị", raiser_kind=RaiserKind.BUSINESS),
            by=by("vanphong"),
        )
    assert refused.value.by_field() == {"raised_by": ["Cần nhập tên doanh nghiệp, tổ chức nêu kiến nghị."]}


@pytest.mark.django_db
def test_a_persons_name_stays_out_of_search_and_the_audit_trail() -> None:
    issue = make_issue(raiser_kind=RaiserKind.PERSON, raised_by="Đỗ Văn Minh")
    assert "minh" not in issue.search_text
    created = AuditEntry.objects.get(
        object_type="supervision.dialogueissue", object_id=str(issue.pk), action="create"
    )
    assert "Đỗ Văn Minh" not in str(created.changes)


@pytest.mark.django_db
def test_closing_is_not_fixing_each_end_keeps_its_reason_and_reopening_clears_it() -> None:
    issue = make_issue()
    office = by("vanphong")
    act_on_issue(
        issue.pk,
        IssueAction.TRANSFER,
        by=office,
        data=step(comment="Chuyển Thuế tỉnh"),
        today=dt.date(2026, 3, 5),
    )
    issue.refresh_from_db()
    assert (issue.status, issue.outcome, issue.close_reason, issue.closed_on) == (
        "closed", "transferred", "Chuyển Thuế tỉnh", dt.date(2026, 3, 5)
    )  # fmt: skip
    act_on_issue(
        issue.pk, IssueAction.REOPEN, by=office, today=dt.date(2026, 3, 10),
        data=step(comment="Thuế tỉnh trả lại", deadline_days=5),
    )  # fmt: skip
    issue.refresh_from_db()
    assert (issue.status, issue.outcome, issue.closed_on, issue.deadline) == (
        "assigned",
        "",
        None,
        dt.date(2026, 3, 17),
    )
    assert issue.original_deadline == dt.date(2026, 3, 16)


@pytest.mark.django_db
def test_the_answer_is_needed_and_dated() -> None:
    issue = make_issue()
    with pytest.raises(RuleViolations) as refused:
        act_on_issue(issue.pk, IssueAction.ANSWER, by=by("gd.sct"), data=step(answer="  "))
    assert refused.value.by_field() == {"answer": ["Cần nhập nội dung trả lời."]}
    act_on_issue(
        issue.pk,
        IssueAction.ANSWER,
        by=by("pgd.sct"),
        data=step(answer="Đã xử lý"),
        today=dt.date(2026, 3, 12),
    )
    issue.refresh_from_db()
    assert (issue.answered_on, issue.answered_by) == (dt.date(2026, 3, 12), by("pgd.sct"))
    assert Notification.objects.filter(recipient=by("gd.sct"), title__contains="Đơn vị đã trả lời").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "action"),
    [
        ("cv.sct", IssueAction.ANSWER),  # an official takes it up; the head or a deputy answers
        ("gd.stc", IssueAction.START),  # another unit
        ("hdnd", IssueAction.RESOLVE),  # the Council only reads dialogues
        ("pct.vanxa", IssueAction.ASSIGN),  # not in charge of SCT
    ],
)
def test_a_role_that_may_not_take_the_step_is_refused(username: str, action: IssueAction) -> None:
    issue = make_issue(status="answered" if action == IssueAction.RESOLVE else "assigned")
    with pytest.raises(PermissionDenied):
        act_on_issue(
            issue.pk,
            action,
            by=by(username),
            data=step(answer="x", responsible_unit=unit_pk("SCT"), deadline_days=3),
        )
    assert DialogueIssue.objects.get(pk=issue.pk).version == issue.version


@pytest.mark.django_db
def test_the_vice_chairman_in_charge_and_the_chair_manage_the_dialogue() -> None:
    issue = make_issue(make_dialogue(chair="pct.vanxa", unit="SCT"))
    act_on_issue(
        issue.pk,
        IssueAction.ASSIGN,
        by=by("pct.kinhte"),
        data=step(responsible_unit=unit_pk("SXD"), deadline_days=3),
    )
    act_on_issue(
        issue.pk, IssueAction.REJECT, by=by("pct.vanxa"), data=step(comment="Đã giải quyết trước đó")
    )
    assert DialogueIssue.objects.get(pk=issue.pk).outcome == "rejected"


@pytest.mark.django_db
def test_a_stale_version_names_who_changed_it_and_writes_nothing() -> None:
    issue = make_issue()
    act_on_issue(issue.pk, IssueAction.START, by=by("cv.sct"), expected_version=issue.version)
    with pytest.raises(StaleEdit) as stale:
        act_on_issue(
            issue.pk,
            IssueAction.ANSWER,
            by=by("gd.sct"),
            data=step(answer="x"),
            expected_version=issue.version,
        )
    assert by("cv.sct").full_name in stale.value.user_message
    assert "Đang xử lý" in stale.value.user_message
    assert DialogueIssue.objects.get(pk=issue.pk).status == "in_handling"


@pytest.mark.django_db
def test_the_councils_verdict_needs_a_reason_unless_resolved() -> None:
    rec = make_recommendation()
    act_on_recommendation(
        rec.pk,
        RecommendationAction.REPORT,
        by=by("gd.sct"),
        data=step(answer="Đã làm"),
        today=dt.date(2026, 4, 20),
    )
    with pytest.raises(RuleViolations) as refused:
        act_on_recommendation(
            rec.pk, RecommendationAction.CONCLUDE, by=by("hdnd"), data=step(verdict=Verdict.PARTLY)
        )
    assert list(refused.value.by_field()) == ["comment"]
    with pytest.raises(RuleViolations) as no_verdict:
        act_on_recommendation(rec.pk, RecommendationAction.CONCLUDE, by=by("hdnd"), data=step())
    assert list(no_verdict.value.by_field()) == ["verdict"]
    act_on_recommendation(
        rec.pk,
        RecommendationAction.CONCLUDE,
        by=by("hdnd"),
        data=step(verdict=Verdict.RESOLVED),
        today=dt.date(2026, 5, 4),
    )
    rec.refresh_from_db()
    assert (rec.status, rec.verdict, rec.closed_on, rec.answered_on) == (
        "closed",
        "resolved",
        dt.date(2026, 5, 4),
        dt.date(2026, 4, 20),
    )
    assert Notification.objects.filter(recipient=by("gd.sct"), title__contains="HĐND đã kết luận").exists()


@pytest.mark.django_db
def test_sending_a_report_back_may_move_the_deadline_and_keeps_the_original() -> None:
    rec = make_recommendation()
    act_on_recommendation(rec.pk, RecommendationAction.REPORT, by=by("gd.sct"), data=step(answer="Một phần"))
    act_on_recommendation(
        rec.pk, RecommendationAction.RETURN, by=by("hdnd"), today=dt.date(2026, 4, 28),
        data=step(comment="Cần số liệu cụ thể", deadline=dt.date(2026, 6, 30)),
    )  # fmt: skip
    rec.refresh_from_db()
    assert (rec.status, rec.deadline, rec.original_deadline) == (
        "in_handling",
        dt.date(2026, 6, 30),
        dt.date(2026, 4, 30),
    )


@pytest.mark.django_db
def test_the_council_reports_nothing_and_a_unit_judges_nothing() -> None:
    rec = make_recommendation()
    with pytest.raises(PermissionDenied):
        act_on_recommendation(rec.pk, RecommendationAction.REPORT, by=by("hdnd"), data=step(answer="x"))
    with pytest.raises(PermissionDenied):
        act_on_recommendation(
            rec.pk, RecommendationAction.CONCLUDE, by=by("gd.sct"), data=step(verdict=Verdict.RESOLVED)
        )
    assert Recommendation.objects.get(pk=rec.pk).status == "assigned"
