"""Apology letters (Form 04): the sweep that drafts them, the workflow and its guards, the numbers, the public view.

Dates: a 5-day procedure received on Monday 02/03/2026 is due Monday 09/03/2026; its letter is due at the latest
on Friday 06/03/2026 (one working day before)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry, Notification
from trongtam.dossiers.domain import letters
from trongtam.dossiers.domain.letters import TRANSITIONS, LetterAction, act, draft_letter, next_status, sweep
from trongtam.dossiers.enums import OPEN, DossierStatus, LetterStatus, SendChannel
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.dossiers.tasks import task_apology_sweep
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MONDAY = dt.date(2026, 3, 2)
DUE = dt.date(2026, 3, 9)
LAST_DAY = dt.date(2026, 3, 6)


@pytest.fixture
def dossier(db: None) -> Dossier:
    return make_dossier("XA01", make_procedure("T-PXL-05", 5), at(MONDAY))


def _letter_of(dossier: Dossier) -> ApologyLetter | None:
    return ApologyLetter.objects.filter(dossier=dossier).first()


def _submitted(dossier: Dossier, person: Any, reason: str = "Chờ kết quả đo đạc thực địa") -> ApologyLetter:
    officer = person(f"cc.{dossier.unit.code.lower()}")
    letter = draft_letter(dossier.pk, by=officer, expected_version=None, today=LAST_DAY)
    return act(letter.pk, LetterAction.SUBMIT, by=officer, expected_version=letter.version, reason=reason)


def _approved(dossier: Dossier, person: Any, approver: str = "") -> ApologyLetter:
    letter = _submitted(dossier, person)
    approver = approver or f"ct.{dossier.unit.code.lower()}"
    return act(letter.pk, LetterAction.APPROVE, by=person(approver), expected_version=letter.version)


# -- the sweep -----------------------------------------------------------------------------------------------------


def test_sweep_leaves_a_dossier_not_yet_at_risk(dossier: Dossier) -> None:
    sweep(dt.date(2026, 3, 5), work_calendar())

    assert _letter_of(dossier) is None


def test_sweep_drafts_a_letter_on_the_last_legal_day(dossier: Dossier) -> None:
    sweep(LAST_DAY, work_calendar())

    letter = _letter_of(dossier)
    assert letter is not None
    assert letter.status == LetterStatus.DRAFT
    assert letter.drafted_automatically is True
    assert letter.is_late is False
    assert letter.reason == ""
    assert letter.new_due_date == dt.date(2026, 3, 16)  # 5 working days after the due date
    assert letter.number == ""


def test_sweep_flags_a_letter_drafted_after_the_last_legal_day(dossier: Dossier) -> None:
    sweep(DUE, work_calendar())

    letter = _letter_of(dossier)
    assert letter is not None
    assert letter.is_late is True


def test_sweep_of_an_overdue_dossier_proposes_a_date_after_today(dossier: Dossier) -> None:
    today = dt.date(2026, 3, 20)
    sweep(today, work_calendar())

    letter = _letter_of(dossier)
    assert letter is not None
    assert letter.new_due_date == dt.date(2026, 3, 27)


@pytest.mark.parametrize(
    "status",
    [DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.DONE, DossierStatus.RETURNED, DossierStatus.WITHDRAWN],
)
def test_sweep_leaves_a_dossier_that_is_not_open(status: int) -> None:
    closed = make_dossier("XA01", make_procedure("T-PXL-05", 5), at(MONDAY), status=status)

    sweep(DUE, work_calendar())

    assert _letter_of(closed) is None


def test_sweep_twice_drafts_once_and_notifies_once(dossier: Dossier) -> None:
    first = sweep(LAST_DAY, work_calendar())
    notifications = Notification.objects.count()

    second = sweep(LAST_DAY, work_calendar())

    assert first >= 1
    assert second == 0
    assert ApologyLetter.objects.filter(dossier=dossier).count() == 1
    assert Notification.objects.count() == notifications


def test_sweep_tells_the_leaders_and_the_officers(dossier: Dossier, person: Any) -> None:
    Dossier.objects.exclude(pk=dossier.pk).filter(status__in=OPEN).update(status=DossierStatus.DONE)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sweep(LAST_DAY, work_calendar())

    told = set(
        Notification.objects.filter(pk__gt=before, title__contains="dự thảo phiếu xin lỗi").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"ct.xa01", "pct.xa01", "cc.xa01"} <= told
    assert "ct.xa02" not in told


def test_sweep_counts_tet_as_no_working_days() -> None:
    """A 2-day procedure received Thursday 12/02/2026 is due Monday 23/02, after Tết (14–22/02): its letter is
    due on Friday 13/02, the last working day before Tết."""
    before_tet = make_dossier("XA01", make_procedure("T-PXL-02", 2), at(dt.date(2026, 2, 12)))
    assert before_tet.due_date == dt.date(2026, 2, 23)
    calendar = work_calendar()

    sweep(dt.date(2026, 2, 12), calendar)
    assert _letter_of(before_tet) is None

    sweep(dt.date(2026, 2, 13), calendar)
    letter = _letter_of(before_tet)
    assert letter is not None
    assert letter.is_late is False
    assert letter.new_due_date == dt.date(2026, 3, 2)


def test_sweep_during_tet_drafts_late() -> None:
    dossier = make_dossier("XA01", make_procedure("T-PXL-02", 2), at(dt.date(2026, 2, 12)))

    sweep(dt.date(2026, 2, 18), work_calendar())

    letter = _letter_of(dossier)
    assert letter is not None
    assert letter.is_late is True


def test_sweep_task_returns_the_count(dossier: Dossier) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 6, 8, 0, tzinfo=dt.UTC), tick=False):
        result = task_apology_sweep.enqueue().return_value

    assert result is not None
    assert result["drafted"] >= 1
    assert _letter_of(dossier) is not None


def test_sweep_reads_in_a_fixed_number_of_queries_per_chunk(
    django_assert_max_num_queries: Any, dossier: Dossier
) -> None:
    """Nothing to draft: the candidate query, whatever the number of dossiers in the table."""
    calendar = work_calendar()
    sweep(DUE, calendar)
    with django_assert_max_num_queries(1):
        sweep(DUE, calendar)


@pytest.mark.parametrize("item_count", [1, 3])
def test_sweep_queries_do_not_grow_with_the_letters(item_count: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calendar = work_calendar()
    sweep(LAST_DAY, calendar)  # whatever else is at risk that day in the demo
    procedure = make_procedure("T-PXL-05", 5)
    for _ in range(item_count):
        make_dossier("XA01", procedure, at(MONDAY))
    with CaptureQueriesContext(connection) as queries:
        drafted = sweep(LAST_DAY, calendar)
    audit_writes = [q["sql"] for q in queries.captured_queries if 'INSERT INTO "core_auditentry"' in q["sql"]]
    others = [
        q["sql"]
        for q in queries.captured_queries
        if "core_audit" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]

    assert drafted == item_count
    assert len(audit_writes) == 1  # the chunk's entries in one append to the chain
    # read the chunk, insert, the leaders, the officials (who entered a dossier is read from the audit trail),
    # the notifications; then the next, empty, chunk
    assert len(others) == 6, others


# -- drafting by hand ------------------------------------------------------------------------------------------------


def test_an_officer_drafts_by_hand_before_the_dossier_is_at_risk(dossier: Dossier, person: Any) -> None:
    letter = draft_letter(
        dossier.pk,
        by=person("cc.xa01"),
        expected_version=dossier.version,
        reason="Chờ ý kiến liên ngành",
        today=dt.date(2026, 3, 3),
    )

    assert letter.drafted_automatically is False
    assert letter.is_late is False
    assert letter.reason == "Chờ ý kiến liên ngành"
    assert (
        AuditEntry.objects.filter(object_type="dossiers.apologyletter", object_id=str(letter.pk)).count() == 1
    )


def test_a_second_letter_is_refused(dossier: Dossier, person: Any) -> None:
    draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)

    with pytest.raises(TransitionNotAllowed):
        draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)


def test_no_letter_for_a_dossier_already_done(person: Any) -> None:
    done = make_dossier("XA01", make_procedure("T-PXL-05", 5), at(MONDAY), status=DossierStatus.DONE)

    with pytest.raises(TransitionNotAllowed):
        draft_letter(done.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)


def test_an_official_of_another_unit_may_not_draft(dossier: Dossier, person: Any) -> None:
    with pytest.raises(PermissionDenied):
        draft_letter(dossier.pk, by=person("cc.xa02"), expected_version=None, today=LAST_DAY)


def test_drafting_against_a_stale_dossier_is_refused(dossier: Dossier, person: Any) -> None:
    with pytest.raises(StaleEdit):
        draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=dossier.version - 1, today=LAST_DAY)
    assert _letter_of(dossier) is None


# -- the workflow --------------------------------------------------------------------------------------------------


def test_submit_needs_a_reason(dossier: Dossier, person: Any) -> None:
    letter = draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)

    with pytest.raises(RuleViolations) as refused:
        act(
            letter.pk, LetterAction.SUBMIT, by=person("cc.xa01"), expected_version=letter.version, reason="  "
        )

    assert refused.value.by_field() == {"reason": ["Cần nêu lý do chậm trả kết quả."]}
    assert ApologyLetter.objects.get(pk=letter.pk).status == LetterStatus.DRAFT


@pytest.mark.parametrize("new_date", [dt.date(2026, 3, 9), dt.date(2026, 3, 6)])
def test_a_new_date_on_or_before_the_due_date_is_refused(
    dossier: Dossier, person: Any, new_date: dt.date
) -> None:
    letter = draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)

    with pytest.raises(RuleViolations) as refused:
        act(
            letter.pk,
            LetterAction.SUBMIT,
            by=person("cc.xa01"),
            expected_version=letter.version,
            reason="Chờ xác minh",
            new_due_date=new_date,
        )

    assert list(refused.value.by_field()) == ["new_due_date"]


def test_a_new_date_on_a_day_off_is_refused(dossier: Dossier, person: Any) -> None:
    letter = draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)

    with pytest.raises(RuleViolations) as refused:
        act(
            letter.pk,
            LetterAction.SAVE,
            by=person("cc.xa01"),
            expected_version=letter.version,
            new_due_date=dt.date(2026, 3, 14),  # a Saturday
        )

    assert "không phải ngày làm việc" in refused.value.by_field()["new_due_date"][0]


def test_the_unit_head_approves_and_the_dossier_gets_its_new_date(dossier: Dossier, person: Any) -> None:
    letter = _submitted(dossier, person)
    with time_machine.travel(dt.datetime(2026, 3, 6, 3, 0, tzinfo=dt.UTC), tick=False):
        approved = act(letter.pk, LetterAction.APPROVE, by=person("ct.xa01"), expected_version=letter.version)

    dossier.refresh_from_db()
    assert approved.status == LetterStatus.APPROVED
    assert approved.approved_by == person("ct.xa01")
    assert approved.number.endswith("/PXL")
    assert approved.issued_after_due is False
    assert dossier.appointment_date == approved.new_due_date
    assert Notification.objects.filter(
        recipient=person("cc.xa01"), title__contains="đã được ký duyệt"
    ).exists()


def test_a_deputy_of_the_unit_may_approve(dossier: Dossier, person: Any) -> None:
    approved = _approved(dossier, person, approver="pct.xa01")

    assert approved.status == LetterStatus.APPROVED


def test_approval_after_the_due_date_is_flagged(dossier: Dossier, person: Any) -> None:
    letter = _submitted(dossier, person)
    with time_machine.travel(dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        approved = act(letter.pk, LetterAction.APPROVE, by=person("ct.xa01"), expected_version=letter.version)

    assert approved.issued_after_due is True


@pytest.mark.parametrize("username", ["ct.xa02", "cc.xa01", "chutich", "pct.noichinh"])
def test_only_a_leader_of_the_dossiers_unit_approves(dossier: Dossier, person: Any, username: str) -> None:
    letter = _submitted(dossier, person)

    with pytest.raises(PermissionDenied):
        act(letter.pk, LetterAction.APPROVE, by=person(username), expected_version=letter.version)

    assert ApologyLetter.objects.get(pk=letter.pk).status == LetterStatus.AWAITING_APPROVAL


def test_return_needs_a_comment_and_goes_back_to_draft(dossier: Dossier, person: Any) -> None:
    letter = _submitted(dossier, person)
    with pytest.raises(RuleViolations):
        act(letter.pk, LetterAction.RETURN, by=person("ct.xa01"), expected_version=letter.version, comment="")

    returned = act(
        letter.pk,
        LetterAction.RETURN,
        by=person("ct.xa01"),
        expected_version=letter.version,
        comment="Nêu rõ lý do cụ thể",
    )

    assert returned.status == LetterStatus.DRAFT
    assert returned.rejection_comment == "Nêu rõ lý do cụ thể"
    assert Notification.objects.filter(recipient=person("cc.xa01"), title__contains="bị trả lại").exists()
    resubmitted = act(
        letter.pk,
        LetterAction.SUBMIT,
        by=person("cc.xa01"),
        expected_version=returned.version,
        reason="Chờ kết quả đo đạc của Văn phòng đăng ký đất đai",
    )
    assert resubmitted.status == LetterStatus.AWAITING_APPROVAL


def test_send_records_the_channel_and_time(dossier: Dossier, person: Any) -> None:
    letter = _approved(dossier, person)

    sent = act(
        letter.pk,
        LetterAction.SEND,
        by=person("cc.xa01"),
        expected_version=letter.version,
        channel=SendChannel.ZALO,
    )

    assert sent.status == LetterStatus.SENT
    assert sent.sent_via == SendChannel.ZALO
    assert sent.sent_at is not None


def test_send_needs_a_channel_and_a_past_time(dossier: Dossier, person: Any) -> None:
    letter = _approved(dossier, person)
    later = letter.approved_at + dt.timedelta(days=3) if letter.approved_at else None

    with pytest.raises(RuleViolations) as refused:
        act(
            letter.pk, LetterAction.SEND, by=person("cc.xa01"), expected_version=letter.version, sent_at=later
        )

    assert set(refused.value.by_field()) == {"channel", "sent_at"}


@pytest.mark.parametrize("action", [LetterAction.SUBMIT, LetterAction.RETURN, LetterAction.SAVE])
def test_an_approved_letter_is_final(dossier: Dossier, person: Any, action: LetterAction) -> None:
    letter = _approved(dossier, person)
    actor = person("ct.xa01")

    with pytest.raises(TransitionNotAllowed):
        act(letter.pk, action, by=actor, expected_version=letter.version, reason="khác", comment="khác")


def test_a_stale_version_is_refused_and_names_who_changed_it(dossier: Dossier, person: Any) -> None:
    letter = _submitted(dossier, person)

    with pytest.raises(StaleEdit) as refused:
        act(letter.pk, LetterAction.APPROVE, by=person("ct.xa01"), expected_version=letter.version - 1)

    assert person("cc.xa01").get_full_name() in refused.value.user_message


def test_the_new_date_is_set_only_once_per_dossier(dossier: Dossier, person: Any) -> None:
    """Even a dossier whose appointment date was written elsewhere (an import) takes no second one."""
    letter = _submitted(dossier, person)
    Dossier.objects.filter(pk=dossier.pk).update(appointment_date=dt.date(2026, 3, 13))

    with pytest.raises(TransitionNotAllowed):
        act(letter.pk, LetterAction.APPROVE, by=person("ct.xa01"), expected_version=letter.version)

    assert ApologyLetter.objects.get(pk=letter.pk).number == ""


def test_every_step_is_audited(dossier: Dossier, person: Any) -> None:
    letter = _approved(dossier, person)

    statuses = [
        (entry.changes.get("status") or [None, None])[1]
        for entry in AuditEntry.objects.filter(
            object_type="dossiers.apologyletter", object_id=str(letter.pk)
        ).order_by("seq")
    ]
    assert statuses == [LetterStatus.DRAFT, LetterStatus.AWAITING_APPROVAL, LetterStatus.APPROVED]
    assert AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk)).exists()


# -- numbers -------------------------------------------------------------------------------------------------------


def _number(text: str) -> int:
    return int(text.split("/", maxsplit=1)[0])


def test_numbers_follow_each_other_per_unit_and_restart_each_year(person: Any) -> None:
    procedure = make_procedure("T-PXL-05", 5)
    first = _approved(make_dossier("XA01", procedure, at(MONDAY)), person)
    other_unit = _approved(make_dossier("XA02", procedure, at(MONDAY)), person)
    second = _approved(make_dossier("XA01", procedure, at(MONDAY)), person)

    assert _number(second.number) == _number(first.number) + 1
    year = dt.date.today().year  # noqa: DTZ011 -- the approvals happened now, in the local year
    assert letters.next_number(other_unit.dossier.unit_id, year) == f"{_number(other_unit.number) + 1}/PXL"
    assert letters.next_number(first.dossier.unit_id, year + 1) == "1/PXL"


# -- the public view -------------------------------------------------------------------------------------------------


def test_public_letter_shows_only_a_signed_letter_without_personal_data(
    dossier: Dossier, person: Any
) -> None:
    _submitted(dossier, person)
    assert letters.public_letter(dossier) is None

    letter = ApologyLetter.objects.get(dossier=dossier)
    act(letter.pk, LetterAction.APPROVE, by=person("ct.xa01"), expected_version=letter.version)
    shown = letters.public_letter(dossier)

    assert shown is not None
    assert set(shown) == {
        "status",
        "status_label",
        "number",
        "reason",
        "new_due_date",
        "approved_on",
        "sent_on",
    }
    text = repr(shown)
    for private in (dossier.applicant_name, dossier.applicant_phone, dossier.applicant_address):
        assert private not in text


# -- properties ------------------------------------------------------------------------------------------------------


CALENDAR = WorkCalendar()


@given(
    due=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
    delay=st.integers(min_value=-30, max_value=60),
)
def test_the_proposed_date_always_passes_the_guards(due: dt.date, delay: int) -> None:
    today = due + dt.timedelta(days=delay)
    proposal = letters.proposed_new_date(due, today, CALENDAR)

    assert letters.date_problems(proposal, due, CALENDAR) == []
    assert proposal > today


@given(st.lists(st.sampled_from(list(LetterAction)), max_size=12))
def test_approved_never_goes_back(actions: list[LetterAction]) -> None:
    status, approved = LetterStatus.DRAFT.value, False
    for action in actions:
        status = next_status(status, action) or status
        approved = approved or status == LetterStatus.APPROVED
        assert not approved or status in (LetterStatus.APPROVED, LetterStatus.SENT)


def test_the_transition_table_is_the_one_of_the_brief() -> None:
    assert {a: (sorted(t.sources), t.target) for a, t in TRANSITIONS.items()} == {
        LetterAction.SAVE: (["draft"], "draft"),
        LetterAction.SUBMIT: (["draft"], "awaiting_approval"),
        LetterAction.APPROVE: (["awaiting_approval"], "approved"),
        LetterAction.RETURN: (["awaiting_approval"], "draft"),
        LetterAction.SEND: (["approved"], "sent"),
    }


@given(
    received=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 6, 30)),
    days=st.integers(min_value=0, max_value=30),
    delay=st.integers(min_value=-40, max_value=40),
)
def test_the_sweeps_index_range_never_misses_a_dossier_at_risk(
    received: dt.date, days: int, delay: int
) -> None:
    """The sweep reads only dossiers due on or before the next working day; every dossier at risk is among them."""
    from trongtam.dossiers.domain.deadlines import due_date, is_at_risk

    due = due_date(at(received), days, CALENDAR)
    today = due + dt.timedelta(days=delay)

    if is_at_risk(DossierStatus.IN_PROCESS, due, today, CALENDAR):
        assert due <= CALENDAR.add_working_days(today, 1)
