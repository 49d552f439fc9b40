"""A dossier's life at the counter (trongtam/dossiers/domain/lifecycle.py): the entry and its checks, the numbering
of codes, every move of the transition table from every status, the supplement pause, the version check, the
permissions, and the list's timeliness filter against `deadlines.timeliness`."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.concurrency import concurrent, run_in_threads
from tests.dossiers.factories import at, dossier_in, make_dossier, make_procedure
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry
from trongtam.dossiers.demo import CATALOG, seed_dossiers
from trongtam.dossiers.domain import deadlines
from trongtam.dossiers.domain.lifecycle import (
    TRANSITIONS,
    CounterEntry,
    DossierAction,
    DossierFilters,
    Move,
    ProcedureInput,
    filter_dossiers,
    next_code,
    procedure_fingerprint,
    receive_at_counter,
    save_procedure,
    timeliness_condition,
    transition,
)
from trongtam.dossiers.enums import Channel, DossierStatus, Source, Timeliness
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.queries import work_calendar

pytestmark = [pytest.mark.unit, pytest.mark.django_db]

D = dt.date
S = DossierStatus
A = DossierAction
# Dates away from the demo's dossiers (2026), so that the codes of a day are ours alone.
MONDAY = D(2025, 12, 1)


def _person(username: str) -> Person:
    return Person.objects.get(username=username)


def _entry(unit: str = "XA01", **changes: Any) -> CounterEntry:
    values: dict[str, Any] = {
        "unit": Unit.objects.get(code=unit),
        "procedure": make_procedure("T-LC-05", processing_days=5),
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912 345 678",
        "received_at": at(MONDAY, 9),
    }
    values.update(changes)
    return CounterEntry(**values)


# -- entry at the counter -------------------------------------------------------------------------------------


def test_counter_entry_receives_the_dossier_and_gives_its_due_date() -> None:
    entries = AuditEntry.objects.count()
    dossier = receive_at_counter(_entry(), by=_person("cc.xa01"))
    assert (dossier.code, dossier.status, dossier.source) == ("XA01-251201-0001", S.RECEIVED, Source.COUNTER)
    assert (dossier.received_on, dossier.due_date, dossier.paused_days) == (MONDAY, D(2025, 12, 8), 0)
    assert dossier.submitted_at == dossier.received_at == at(MONDAY, 9)
    assert dossier.phone_last4 == "5678"
    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.latest("seq").changes["due_date"] == [None, "2025-12-08"]


def test_counter_entry_after_hours_counts_from_the_next_working_day() -> None:
    dossier = receive_at_counter(_entry(received_at=at(D(2025, 12, 5), 17, 20)), by=_person("cc.xa01"))
    assert (dossier.received_on, dossier.due_date) == (D(2025, 12, 5), D(2025, 12, 15))


def test_generated_codes_count_per_unit_and_day() -> None:
    official = _person("cc.xa01")
    first = receive_at_counter(_entry(), by=official)
    second = receive_at_counter(_entry(received_at=at(MONDAY, 15)), by=official)
    next_day = receive_at_counter(_entry(received_at=at(D(2025, 12, 2), 8)), by=official)
    elsewhere = receive_at_counter(_entry("XA02"), by=_person("cc.xa02"))
    assert [first.code, second.code, next_day.code, elsewhere.code] == [
        "XA01-251201-0001", "XA01-251201-0002", "XA01-251202-0001", "XA02-251201-0001",
    ]  # fmt: skip


def test_generated_codes_go_on_past_four_digits() -> None:
    make_dossier(code="XA01-251201-9999", received_at=at(MONDAY))
    make_dossier(code="XA01-251201-10000", received_at=at(MONDAY))
    assert next_code(Unit.objects.get(code="XA01"), MONDAY) == "XA01-251201-10001"


def test_an_officers_own_code_is_kept() -> None:
    dossier = receive_at_counter(_entry(code=" 000.00.19.H47-251201-0042 "), by=_person("cc.xa01"))
    assert dossier.code == "000.00.19.H47-251201-0042"


def test_counter_entry_reports_every_problem_and_writes_nothing() -> None:
    make_dossier(code="XA02-TAKEN")
    inactive = make_procedure("T-LC-OLD", processing_days=3, is_active=False)
    before = (Dossier.objects.count(), AuditEntry.objects.count())
    entry = _entry(
        "XA02", procedure=inactive, applicant_phone="09-1", received_at=at(D(2099, 1, 5)), code="XA02-TAKEN",
        applicant_name="  ",
    )  # fmt: skip
    with pytest.raises(RuleViolations) as caught:
        receive_at_counter(entry, by=_person("cc.xa01"))
    assert sorted(p.field for p in caught.value.problems) == [
        "applicant_name", "applicant_phone", "code", "procedure", "received_at", "unit",
    ]  # fmt: skip
    assert "4 chữ số" in caught.value.by_field()["applicant_phone"][0]
    assert (Dossier.objects.count(), AuditEntry.objects.count()) == before


def test_the_service_centre_enters_for_any_unit_and_a_department_for_itself() -> None:
    for_department = receive_at_counter(_entry("STP"), by=_person("gd.ttpvhcc"))
    assert for_department.unit.code == "STP"
    assert receive_at_counter(_entry("SCT"), by=_person("cv.sct")).unit.code == "SCT"
    with pytest.raises(RuleViolations):
        receive_at_counter(_entry("STP"), by=_person("cv.sct"))


@pytest.mark.parametrize("username", ["congdan", "chutich", "pct.kinhte", "hdnd", "vanphong"])
def test_only_the_people_of_a_counter_enter_dossiers(username: str) -> None:
    with pytest.raises(PermissionDenied):
        receive_at_counter(_entry(), by=_person(username))


@concurrent
def test_two_counters_at_once_get_two_codes() -> None:
    def enter() -> str:
        return receive_at_counter(_entry(), by=_person("cc.xa01")).code

    outcomes = run_in_threads(enter, enter)
    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value for o in outcomes) == ["XA01-251201-0001", "XA01-251201-0002"]


# -- moves ----------------------------------------------------------------------------------------------------

DAY = D(2026, 3, 5)
INPUT = {
    A.RECEIVE: Move(at=at(D(2026, 3, 2), 8)),
    A.REFUSE: Move(reason="Hồ sơ không thuộc thẩm quyền"),
    A.REQUEST_SUPPLEMENT: Move(on=DAY, reason="Thiếu bản sao giấy khai sinh"),
    A.SUPPLEMENT_RECEIVED: Move(on=DAY),
    A.FINISH: Move(on=DAY),
    A.RETURN_RESULT: Move(on=D(2026, 3, 6)),
    A.WITHDRAW: Move(on=DAY),
    A.STOP: Move(on=DAY, reason="Công dân không bổ sung hồ sơ"),
}


@pytest.mark.parametrize(
    ("action", "status"),
    [pytest.param(a, s, id=f"{a.value}-from-{s.value}") for a in A for s in S],
)
def test_the_transition_table_decides_every_move(action: DossierAction, status: DossierStatus) -> None:
    dossier = dossier_in(status)
    entries = AuditEntry.objects.count()
    rule = TRANSITIONS[action]
    if status in rule.sources:
        moved = transition(dossier.pk, action, INPUT.get(action), by=_person("cc.xa01"), expected_version=1)
        assert (moved.status, moved.version) == (rule.target, 2)
        assert AuditEntry.objects.count() == entries + 1
    elif status == rule.target:  # the same request twice: nothing to do
        unchanged = transition(
            dossier.pk, action, INPUT.get(action), by=_person("cc.xa01"), expected_version=1
        )
        assert (unchanged.status, unchanged.version, AuditEntry.objects.count()) == (status, 1, entries)
    else:
        with pytest.raises(TransitionNotAllowed):
            transition(dossier.pk, action, INPUT.get(action), by=_person("cc.xa01"), expected_version=1)
        dossier.refresh_from_db()
        assert (dossier.status, dossier.version, AuditEntry.objects.count()) == (status, 1, entries)


ENDED = {S.REFUSED, S.RETURNED, S.WITHDRAWN, S.STOPPED}


@given(st.sampled_from(list(S)), st.lists(st.sampled_from(list(A)), max_size=15))
def test_an_ended_dossier_never_moves_again(start: DossierStatus, actions: list[DossierAction]) -> None:
    status, ended = int(start), start in ENDED
    for action in actions:
        rule = TRANSITIONS[action]
        status = rule.target if status in rule.sources else status
        assert not ended or status == start or status in ENDED
        if status in ENDED:
            assert all(status not in r.sources for r in TRANSITIONS.values())
        ended = ended or status in ENDED
        assert status != S.SUBMITTED_ONLINE or start == S.SUBMITTED_ONLINE


def test_supplement_pause_moves_the_due_date_and_is_asked_once() -> None:
    official = _person("cc.xa01")
    dossier = dossier_in(S.IN_PROCESS)  # received Mon 2/3, 5 days: due Mon 9/3
    assert dossier.due_date == D(2026, 3, 9)
    asked = transition(
        dossier.pk, A.REQUEST_SUPPLEMENT, Move(on=D(2026, 3, 4), reason="Thiếu sổ hộ khẩu"), by=official
    )
    assert (asked.status, asked.supplement_requested_on, asked.due_date) == (
        S.SUPPLEMENT_REQUESTED,
        D(2026, 3, 4),
        D(2026, 3, 9),
    )
    brought = transition(dossier.pk, A.SUPPLEMENT_RECEIVED, Move(on=D(2026, 3, 6)), by=official)
    assert (brought.status, brought.paused_days, brought.due_date) == (S.IN_PROCESS, 2, D(2026, 3, 11))
    history = AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
    changes = [entry.changes for entry in history.order_by("seq")]
    assert changes[-1]["due_date"] == ["2026-03-09", "2026-03-11"]
    assert changes[0]["reason"] == [None, "Thiếu sổ hộ khẩu"]
    with pytest.raises(TransitionNotAllowed, match="một lần"):
        transition(dossier.pk, A.REQUEST_SUPPLEMENT, Move(on=D(2026, 3, 9), reason="Thiếu thêm"), by=official)
    finished = transition(dossier.pk, A.FINISH, Move(on=D(2026, 3, 11)), by=official)
    assert deadlines.timeliness(finished.status, finished.due_date, finished.finished_on, D(2026, 12, 1)) == Timeliness.ON_TIME  # fmt: skip


def test_receiving_an_online_dossier_counts_from_its_reception() -> None:
    dossier = dossier_in(S.SUBMITTED_ONLINE)  # submitted Sunday 1/3 at 20:00
    received = transition(dossier.pk, A.RECEIVE, Move(at=at(D(2026, 3, 2), 8)), by=_person("cc.xa01"))
    assert (received.status, received.received_on, received.due_date) == (
        S.RECEIVED,
        D(2026, 3, 2),
        D(2026, 3, 9),
    )
    assert received.received_at == at(D(2026, 3, 2), 8)


@pytest.mark.parametrize(
    ("status", "action", "move", "field"),
    [
        (S.SUBMITTED_ONLINE, A.RECEIVE, Move(at=at(D(2026, 3, 1), 8)), "at"),  # before it was submitted
        (S.SUBMITTED_ONLINE, A.RECEIVE, Move(at=at(D(2099, 3, 2), 8)), "at"),
        (S.SUBMITTED_ONLINE, A.REFUSE, Move(reason="  "), "reason"),
        (S.IN_PROCESS, A.STOP, Move(on=DAY), "reason"),
        (S.IN_PROCESS, A.REQUEST_SUPPLEMENT, Move(on=DAY), "reason"),
        (S.IN_PROCESS, A.FINISH, Move(on=D(2026, 3, 1)), "on"),  # before receipt
        (S.IN_PROCESS, A.FINISH, Move(on=D(2099, 1, 1)), "on"),  # in the future
        (S.DONE, A.RETURN_RESULT, Move(on=D(2026, 3, 4)), "on"),  # before it was done (5/3)
        (
            S.SUPPLEMENT_REQUESTED,
            A.SUPPLEMENT_RECEIVED,
            Move(on=D(2026, 3, 3)),
            "on",
        ),  # before the request (4/3)
    ],
)
def test_a_move_with_bad_input_names_the_field_and_writes_nothing(
    status: DossierStatus, action: DossierAction, move: Move, field: str
) -> None:
    dossier = dossier_in(status)
    with pytest.raises(RuleViolations) as caught:
        transition(dossier.pk, action, move, by=_person("cc.xa01"), expected_version=1)
    assert [p.field for p in caught.value.problems] == [field]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (status, 1)


def test_a_stale_version_is_refused_and_names_who_moved_it() -> None:
    dossier = dossier_in(S.RECEIVED)
    transition(dossier.pk, A.START, by=_person("pct.xa01"), expected_version=1)
    with pytest.raises(StaleEdit) as caught:
        transition(dossier.pk, A.REQUEST_FEES, by=_person("cc.xa01"), expected_version=1)
    assert _person("pct.xa01").full_name in caught.value.user_message
    assert "Đang xử lý" in caught.value.user_message
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (S.IN_PROCESS, 2)


@pytest.mark.parametrize(("username", "allowed"), [
    ("cc.xa01", True), ("ct.xa01", True), ("gd.ttpvhcc", True), ("quantri", True),
    ("cc.xa02", False), ("pct.kinhte", False), ("chutich", False), ("hdnd", False), ("congdan", False),
])  # fmt: skip
def test_who_may_move_a_dossier(username: str, allowed: bool) -> None:
    dossier = dossier_in(S.RECEIVED)
    if allowed:
        assert transition(dossier.pk, A.START, by=_person(username)).status == S.IN_PROCESS
    else:
        with pytest.raises(PermissionDenied):
            transition(dossier.pk, A.START, by=_person(username))


# -- finding dossiers -----------------------------------------------------------------------------------------

TODAY = D(2026, 3, 9)


def test_the_timeliness_filter_agrees_with_deadlines_timeliness() -> None:
    """Every status × due date (none, past, today, future) × end date (none, early, on the day, late)."""
    procedure = make_procedure()
    unit = Unit.objects.get(code="XA30")
    dues = [None, D(2026, 3, 6), TODAY, D(2026, 3, 12)]
    made = []
    for status in S:
        for due in dues:
            for offset in (None, -1, 0, 2):
                ended = None if offset is None or due is None else due + dt.timedelta(days=offset)
                made.append(Dossier(
                    code=f"TL-{status}-{due}-{offset}", unit=unit, procedure=procedure, channel=Channel.COUNTER,
                    status=status, applicant_name="A", applicant_phone="0900000000", due_date=due, finished_on=ended,
                ).derived())  # fmt: skip
    Dossier.objects.bulk_create(made)
    mine = Dossier.objects.filter(code__startswith="TL-")
    for kind in Timeliness:
        expected = {
            d.code for d in made if deadlines.timeliness(d.status, d.due_date, d.finished_on, TODAY) == kind
        }
        assert (
            set(mine.filter(timeliness_condition(kind, TODAY)).values_list("code", flat=True)) == expected
        ), kind


def test_search_finds_a_code_or_a_name_without_diacritics() -> None:
    hoa = make_dossier(applicant_name="Trần Thị Hoà", code="XA01-LC-0001")
    other = make_dossier(applicant_name="Lê Văn Đức", code="XA01-LC-0002")
    scope = Dossier.objects.filter(pk__in=[hoa.pk, other.pk])
    assert list(filter_dossiers(scope, DossierFilters(q="tran thi hoa"), TODAY)) == [hoa]
    assert list(filter_dossiers(scope, DossierFilters(q="LE VAN DUC"), TODAY)) == [other]
    assert list(filter_dossiers(scope, DossierFilters(q="lc-0002"), TODAY)) == [other]
    assert set(
        filter_dossiers(scope, DossierFilters(status=S.IN_PROCESS, channel=Channel.COUNTER), TODAY)
    ) == {hoa, other}
    assert not filter_dossiers(scope, DossierFilters(received_from=D(2026, 3, 3)), TODAY).exists()


# -- the procedure catalog ------------------------------------------------------------------------------------

NEW = ProcedureInput(code="9.999001", name="Đăng ký khai sinh có yếu tố nước ngoài", field="Hộ tịch", level="commune",
                     processing_days=10)  # fmt: skip


def test_the_office_adds_and_edits_a_procedure_audited() -> None:
    office = _person("vanphong")
    created = save_procedure(NEW, by=office)
    dossier = make_dossier(procedure=created)
    due = dossier.due_date
    edited = save_procedure(
        ProcedureInput(**{**NEW.__dict__, "processing_days": 12}), by=office, procedure_id=created.pk,
        expected_fingerprint=procedure_fingerprint(created),
    )  # fmt: skip
    assert edited.processing_days == 12
    dossier.refresh_from_db()
    assert dossier.due_date == due  # the slip already given stands
    changes = AuditEntry.objects.filter(object_type="dossiers.procedure", object_id=str(created.pk)).latest(
        "seq"
    )
    assert changes.changes == {"processing_days": [10, 12]}


def test_a_procedure_edit_on_a_stale_copy_or_a_taken_code_is_refused() -> None:
    office = _person("vanphong")
    created = save_procedure(NEW, by=office)
    loaded = procedure_fingerprint(created)
    save_procedure(ProcedureInput(**{**NEW.__dict__, "name": "Tên mới"}), by=office, procedure_id=created.pk)
    with pytest.raises(StaleEdit):
        save_procedure(NEW, by=office, procedure_id=created.pk, expected_fingerprint=loaded)
    with pytest.raises(RuleViolations) as caught:
        save_procedure(ProcedureInput(**{**NEW.__dict__, "processing_days": -1}), by=office)
    assert sorted(p.field for p in caught.value.problems) == ["code", "processing_days"]
    assert Procedure.objects.get(pk=created.pk).name == "Tên mới"


@pytest.mark.parametrize("username", ["cc.xa01", "chutich", "noivu", "congdan"])
def test_only_the_office_and_the_administrator_manage_the_catalog(username: str) -> None:
    with pytest.raises(PermissionDenied):
        save_procedure(NEW, by=_person(username))


# -- the demo -------------------------------------------------------------------------------------------------


def test_the_demo_loads_in_seconds_once_and_tells_its_story() -> None:
    already = Dossier.objects.filter(code="XA01-MAU-001").exists()  # seed_demo may have loaded it
    started = time.monotonic()
    assert seed_dossiers() is not already
    assert time.monotonic() - started < 10
    assert seed_dossiers() is False
    today = timezone.localdate()
    calendar = work_calendar()
    story = {d.code: d for d in Dossier.objects.filter(code__startswith="XA01-MAU-")}
    at_risk, overdue, finished = story["XA01-MAU-001"], story["XA01-MAU-002"], story["XA01-MAU-003"]
    assert deadlines.is_at_risk(at_risk.status, at_risk.due_date, today, calendar)
    assert at_risk.due_date == calendar.next_working_day(today)
    assert deadlines.timeliness(overdue.status, overdue.due_date, None, today) == Timeliness.OPEN_OVERDUE
    assert finished.status == S.RETURNED
    assert (
        deadlines.timeliness(finished.status, finished.due_date, finished.finished_on, today)
        == Timeliness.EARLY
    )
    assert [story[c].phone_last4 for c in sorted(story)] == ["4321", "3210", "2109"]
    demo = Dossier.objects.filter(procedure__code__in=[row[0] for row in CATALOG]).select_related("procedure")
    rows = list(demo)
    assert 3500 <= len(rows) <= 4500
    assert {d.status for d in rows} == set(S)
    assert {d.channel for d in rows} == set(Channel)
    assert {d.unit.code for d in demo.select_related("unit")} >= {f"XA{i:02d}" for i in range(1, 31)} | {
        "STP",
        "SYT",
    }
    verdicts = Counter(deadlines.timeliness(d.status, d.due_date, d.finished_on, today) for d in rows)
    assert verdicts[Timeliness.EARLY] + verdicts[Timeliness.ON_TIME] > 0.8 * len(rows)
    assert verdicts[Timeliness.LATE] > 50
    assert verdicts[Timeliness.OPEN_OVERDUE] > 10
    for dossier in rows:  # every date as deadlines.schedule gives it
        plan = deadlines.schedule(
            dossier.received_at, dossier.procedure.processing_days, calendar,
            supplement_requested_on=dossier.supplement_requested_on,
            supplement_received_on=dossier.supplement_received_on,
        )  # fmt: skip
        assert (dossier.received_on, dossier.due_date, dossier.paused_days) == tuple(plan.__dict__.values())
        assert dossier.search_text
        assert len(dossier.phone_last4) == 4
        assert (
            dossier.finished_on is None
            or dossier.received_on is None
            or dossier.finished_on >= dossier.received_on
        )
        assert dossier.finished_on is None or dossier.finished_on <= today
