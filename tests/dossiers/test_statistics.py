"""Dossier statistics (domain-vn.md §3.4): each column around the period's boundaries, the two named rates, the
groupings, and properties that tie the columns together and to a naive recount."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.domain import statistics as st_
from trongtam.dossiers.domain.statistics import Figures, Filters, Grouping, Window
from trongtam.dossiers.enums import Channel, DossierStatus, LetterStatus, Satisfaction
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating, Procedure
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

S = DossierStatus
MARCH = Window(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
_codes = itertools.count(1)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


@pytest.fixture
def commune() -> Unit:
    """A commune of its own, so that the demo's dossiers never enter the counts."""
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    return Unit.objects.create(
        code=f"XATK{next(_codes)}", name="Xã Thống Kê", kind=UnitKind.COMMUNE, parent=province
    )


def figures_of(unit: Unit, window: Window = MARCH, **filters: Any) -> Figures:
    rows = st_.report(Unit.objects.filter(pk=unit.pk), Filters(window, **filters), Grouping.UNIT).rows
    return rows[0].figures if rows else Figures()


def dossier(unit: Unit, received: dt.date | None, status: int, **fields: Any) -> Dossier:
    """A dossier with the dates given as they are (the due date too), so that each case says what it tests."""
    fields.setdefault("due_date", d(3, 20))
    return make_dossier(
        unit, received_at=at(received) if received else None, status=status, received_on=received, **fields
    )


def test_finished_on_the_due_date_is_on_time_before_is_early_after_is_late(commune: Unit) -> None:
    dossier(commune, d(3, 2), S.DONE, finished_on=d(3, 20))
    dossier(commune, d(3, 2), S.RETURNED, finished_on=d(3, 19), returned_on=d(3, 25))
    dossier(commune, d(3, 2), S.DONE, finished_on=d(3, 23))
    dossier(commune, d(3, 2), S.DONE, finished_on=d(3, 10), due_date=None)  # no due date: on time
    f = figures_of(commune)
    assert (f.early, f.on_time, f.late, f.processed) == (1, 2, 1, 4)
    assert f.on_time_rate == Decimal("75.00")
    assert f.late_rate == Decimal("25.00")


def test_a_dossier_finished_after_the_period_is_open_at_its_end(commune: Unit) -> None:
    dossier(commune, d(3, 2), S.DONE, finished_on=d(4, 2), due_date=d(3, 20))  # overdue on 31/03
    dossier(commune, d(3, 2), S.IN_PROCESS, due_date=d(3, 31))  # due on the last day: in time
    dossier(commune, d(3, 2), S.RECEIVED, due_date=d(3, 30))  # overdue at the end
    dossier(commune, d(3, 2), S.IN_PROCESS, due_date=None)  # no due date: in time
    f = figures_of(commune)
    assert (f.processed, f.open_in_time, f.open_overdue, f.open) == (0, 2, 2, 4)
    assert f.on_time_rate is None  # nothing settled
    assert f.late_rate == Decimal("50.00")


def test_carried_over_from_before_the_period(commune: Unit) -> None:
    dossier(commune, d(2, 20), S.DONE, finished_on=d(3, 5), due_date=d(3, 6))  # carried over, done early
    dossier(commune, d(2, 20), S.IN_PROCESS, due_date=d(3, 6))  # carried over, still open, overdue
    dossier(commune, d(2, 20), S.DONE, finished_on=d(2, 28))  # ended before: not counted
    dossier(commune, d(2, 20), S.WITHDRAWN, finished_on=d(2, 27))  # ended before: not counted
    dossier(commune, d(2, 20), S.DONE, finished_on=None)  # ended without a date: the day it was received
    dossier(commune, d(3, 3), S.IN_PROCESS, due_date=d(4, 3))  # received in the period
    f = figures_of(commune)
    assert (f.carried_over, f.received, f.total) == (2, 1, 3)
    assert (f.early, f.open_overdue, f.open_in_time) == (1, 1, 1)


def test_withdrawn_counts_with_on_time_and_stopped_counts_in_no_rate(commune: Unit) -> None:
    dossier(commune, d(3, 2), S.WITHDRAWN, finished_on=d(3, 25))  # after the due date, still "on time"
    dossier(commune, d(3, 2), S.DONE, finished_on=d(3, 25))  # late
    dossier(commune, d(3, 2), S.STOPPED, finished_on=d(3, 4))
    dossier(commune, d(3, 2), S.WITHDRAWN, finished_on=d(4, 4))  # withdrawn after the end: open at the end
    f = figures_of(commune)
    assert (f.withdrawn, f.late, f.stopped, f.open_overdue) == (1, 1, 1, 1)
    assert f.on_time_rate == Decimal("50.00")  # (0 + 0 + 1 withdrawn) / (1 processed + 1 withdrawn)
    assert f.late_rate == Decimal("50.00")  # (1 late + 1 open overdue) / 4


def test_supplement_and_fees_count_as_in_time(commune: Unit) -> None:
    dossier(commune, d(3, 2), S.SUPPLEMENT_REQUESTED, supplement_requested_on=d(3, 15), due_date=d(3, 10))
    dossier(commune, d(3, 2), S.SUPPLEMENT_REQUESTED, supplement_requested_on=d(4, 2), due_date=d(3, 10))
    dossier(commune, d(3, 2), S.AWAITING_FEES, due_date=d(3, 10))
    f = figures_of(commune)
    # Asked for papers only after the end: on 31/03 it was still being processed, and overdue.
    assert (f.supplement, f.awaiting_fees, f.open_overdue) == (1, 1, 1)
    assert f.late_rate == Decimal("33.33")


def test_not_received_dossiers_are_not_counted(commune: Unit) -> None:
    dossier(commune, None, S.SUBMITTED_ONLINE, due_date=None)
    dossier(commune, d(3, 2), S.REFUSED, due_date=None)
    dossier(commune, d(4, 1), S.IN_PROCESS)  # received after the end
    assert figures_of(commune) == Figures()


def test_received_by_channel(commune: Unit) -> None:
    dossier(commune, d(3, 1), S.IN_PROCESS, channel=Channel.ONLINE)
    dossier(commune, d(3, 31), S.IN_PROCESS, channel=Channel.COUNTER)
    dossier(commune, d(3, 9), S.IN_PROCESS, channel=Channel.POST)
    dossier(commune, d(3, 9), S.IN_PROCESS, channel=Channel.ONLINE)
    f = figures_of(commune)
    assert (f.received_online, f.received_counter, f.received_post, f.received) == (2, 1, 1, 4)
    only_online = figures_of(commune, channel=Channel.ONLINE)
    assert (only_online.received, only_online.received_counter) == (2, 0)


def test_the_due_date_rule_of_the_app_decides_on_time(commune: Unit) -> None:
    """With the dates the app derives (factories use the same schedule): a 5-day procedure received Monday
    2/3/2026 is due Monday 9/3; finishing on that day is on time."""
    procedure = make_procedure("T-TK-05", processing_days=5)
    made = make_dossier(commune, procedure, at(d(3, 2)), S.DONE, finished_on=d(3, 9))
    assert made.due_date == d(3, 9)
    assert figures_of(commune).on_time == 1


def test_letters_and_ratings_of_the_period(commune: Unit, person: Any) -> None:
    first = dossier(commune, d(3, 2), S.DONE, finished_on=d(3, 25))
    second = dossier(commune, d(3, 2), S.DONE, finished_on=d(3, 12))
    old = dossier(commune, d(1, 5), S.DONE, finished_on=d(1, 20))  # ended before March, rated in March
    signed = at(d(3, 18), 10)
    ApologyLetter.objects.create(
        dossier=first,
        reason="Chờ ý kiến",
        new_due_date=d(3, 27),
        status=LetterStatus.SENT,
        approved_at=signed,
    )
    ApologyLetter.objects.create(dossier=second, reason="Chờ", new_due_date=d(3, 27))  # a draft: not issued
    for item, level in ((first, Satisfaction.DISSATISFIED), (second, Satisfaction.VERY_SATISFIED)):
        DossierRating.objects.create(dossier=item, satisfaction=level)
    rating = DossierRating.objects.create(dossier=old, satisfaction=Satisfaction.SATISFIED)
    DossierRating.objects.filter(pk=rating.pk).update(rated_at=at(d(3, 3), 8))
    DossierRating.objects.exclude(pk=rating.pk).filter(dossier__unit=commune).update(rated_at=at(d(3, 28), 8))
    f = figures_of(commune)
    assert (f.letters, f.ratings, f.satisfied) == (1, 3, 2)
    assert f.mean_satisfaction == Decimal("3.67")
    assert f.satisfaction_rate == Decimal("66.67")


def test_the_months_are_each_their_own_report_and_the_total_is_the_whole_range(commune: Unit) -> None:
    dossier(commune, d(1, 20), S.DONE, finished_on=d(2, 10), due_date=d(2, 5))  # late, in February
    dossier(commune, d(2, 3), S.IN_PROCESS, due_date=d(2, 27))  # overdue at the end of February and of March
    dossier(commune, d(3, 3), S.DONE, finished_on=d(3, 3), due_date=d(3, 5))
    whole = Window(d(1, 15), d(3, 31))
    result = st_.report(Unit.objects.filter(pk=commune.pk), Filters(whole), Grouping.MONTH)
    jan, feb, mar = (row.figures for row in result.rows)
    assert [row.key for row in result.rows] == [d(1, 15), d(2, 1), d(3, 1)]
    assert (jan.received, jan.open_in_time, jan.open_overdue) == (1, 1, 0)
    assert (feb.carried_over, feb.received, feb.late, feb.open_in_time, feb.open_overdue) == (1, 1, 1, 0, 1)
    assert (mar.carried_over, mar.received, mar.early, mar.open_overdue) == (1, 1, 1, 1)
    assert result.total == figures_of(commune, whole)
    assert result.total.received == jan.received + feb.received + mar.received


def test_groupings_by_procedure_and_channel(commune: Unit) -> None:
    one, two = make_procedure("T-TK-A"), make_procedure("T-TK-B")
    dossier(commune, d(3, 2), S.DONE, procedure=one, finished_on=d(3, 25), channel=Channel.ONLINE)
    dossier(commune, d(3, 2), S.DONE, procedure=two, finished_on=d(3, 5), channel=Channel.ONLINE)
    dossier(commune, d(3, 2), S.DONE, procedure=two, finished_on=d(3, 5), channel=Channel.POST)
    units = Unit.objects.filter(pk=commune.pk)
    by_procedure = st_.report(units, Filters(MARCH), Grouping.PROCEDURE)
    assert {(r.code, r.figures.processed, r.figures.late) for r in by_procedure.rows} == {
        ("T-TK-A", 1, 1),
        ("T-TK-B", 2, 0),
    }
    by_channel = st_.report(units, Filters(MARCH), Grouping.CHANNEL)
    assert {(r.key, r.figures.received) for r in by_channel.rows} == {(Channel.ONLINE, 2), (Channel.POST, 1)}
    assert by_channel.total == by_procedure.total == figures_of(commune)


def test_unit_group_and_field_filters(commune: Unit) -> None:
    other = make_procedure("T-TK-F", field="Hộ tịch")
    dossier(commune, d(3, 2), S.IN_PROCESS)
    dossier(commune, d(3, 2), S.IN_PROCESS, procedure=other)
    assert figures_of(commune, unit_group=st_.UnitGroup.COMMUNES).total == 2
    assert figures_of(commune, unit_group=st_.UnitGroup.DEPARTMENTS).total == 0
    assert figures_of(commune, field="Hộ tịch").total == 1


def test_a_division_counts_with_its_department() -> None:
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).first()
    assert department is not None
    division = Unit.objects.create(
        code="TK-PHONG", name="Phòng thử", kind=UnitKind.DIVISION, parent=department
    )
    assert division.pk in st_.unit_ids_in_group(st_.UnitGroup.DEPARTMENTS)
    assert division.pk not in st_.unit_ids_in_group(st_.UnitGroup.COMMUNES)


def test_months_cut_the_range() -> None:
    assert st_.months(Window(d(1, 15), d(3, 10))) == [
        Window(d(1, 15), d(1, 31)),
        Window(d(2, 1), d(2, 28)),
        Window(d(3, 1), d(3, 10)),
    ]
    assert st_.window_for(d(1, 1), d(12, 31), d(6, 30)) == Window(d(1, 1), d(6, 30))
    assert st_.window_for(None, None, d(6, 30)) == Window(d(1, 1), d(6, 30))
    assert st_.window_for(None, dt.date(2025, 5, 31), d(6, 30)) == Window(
        dt.date(2025, 1, 1), dt.date(2025, 5, 31)
    )
    assert st_.window_for(d(8, 1), None, d(6, 30)) == Window(d(6, 30), d(6, 30))


def test_the_order_puts_the_lowest_rate_first_and_rows_without_one_last() -> None:
    def row(name: str, **counts: int) -> st_.Row:
        return st_.Row(name, name, name, Figures(**counts))

    rows = [row("A", on_time=9, late=1), row("B"), row("C", on_time=1, late=1), row("D", on_time=3)]
    assert [r.code for r in st_.ordered(rows, st_.Order.RATE)] == ["C", "A", "D", "B"]
    assert [r.code for r in st_.ordered(rows, st_.Order.RATE_DESC)] == ["D", "A", "C", "B"]
    assert [r.code for r in st_.ordered(rows, st_.Order.NAME)] == ["A", "B", "C", "D"]


# -- properties -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    status: int
    channel: int
    received: int | None  # days from the period's start
    due: int | None  # days from receipt
    ended: int | None  # days from receipt (ended statuses)
    asked: int | None  # supplement requested, days from receipt


specs = st.builds(
    Spec,
    status=st.sampled_from(list(DossierStatus)),
    channel=st.sampled_from(list(Channel)),
    received=st.one_of(st.none(), st.integers(-40, 40)),
    due=st.one_of(st.none(), st.integers(0, 30)),
    ended=st.one_of(st.none(), st.integers(0, 40)),
    asked=st.one_of(st.none(), st.integers(0, 40)),
)


def _shift(day: dt.date | None, days: int | None) -> dt.date | None:
    return None if day is None or days is None else day + dt.timedelta(days=days)


def _build(unit: Unit, procedures: list[Procedure], items: list[Spec]) -> list[Dossier]:
    made = []
    for index, spec in enumerate(items):
        received = _shift(MARCH.start, spec.received)
        ended = spec.status in st_.ENDED
        made.append(
            Dossier(
                code=f"TK.{unit.pk}.{index}",
                unit=unit,
                procedure=procedures[index % len(procedures)],
                channel=spec.channel,
                status=spec.status,
                applicant_name="Trần Văn An",
                applicant_phone="0987654321",
                received_on=received,
                due_date=_shift(received, spec.due),
                finished_on=_shift(received, spec.ended) if ended else None,
                supplement_requested_on=_shift(received, spec.asked)
                if spec.status == S.SUPPLEMENT_REQUESTED
                else None,
            ).derived()
        )
    return Dossier.objects.bulk_create(made)


def _recount(dossiers: list[Dossier], window: Window) -> Figures:
    """The test oracle: §3.4 read literally, one dossier at a time."""
    counts: dict[str, int] = dict.fromkeys(st_.COUNTED, 0)
    start, end = window.start, window.end
    for item in dossiers:
        if (
            item.status in (S.SUBMITTED_ONLINE, S.REFUSED)
            or item.received_on is None
            or item.received_on > end
        ):
            continue
        ended_on = (item.finished_on or item.received_on) if item.status in st_.ENDED else None
        if item.received_on < start:
            if ended_on is not None and ended_on < start:
                continue
            counts["carried_over"] += 1
        else:
            counts[{1: "received_counter", 2: "received_online", 3: "received_post"}[item.channel]] += 1
        if ended_on is not None and ended_on <= end:
            if item.status == S.WITHDRAWN:
                counts["withdrawn"] += 1
            elif item.status == S.STOPPED:
                counts["stopped"] += 1
            elif item.due_date is None or item.finished_on is None or item.finished_on == item.due_date:
                counts["on_time"] += 1
            else:
                counts["early" if item.finished_on < item.due_date else "late"] += 1
        elif item.status == S.AWAITING_FEES:
            counts["awaiting_fees"] += 1
        elif item.status == S.SUPPLEMENT_REQUESTED and (
            item.supplement_requested_on is None or item.supplement_requested_on <= end
        ):
            counts["supplement"] += 1
        elif item.due_date is not None and item.due_date < end:
            counts["open_overdue"] += 1
        else:
            counts["open_in_time"] += 1
    return Figures(**counts)


@pytest.fixture
def two_communes() -> tuple[Unit, Unit, list[Procedure]]:
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    first = Unit.objects.create(code="XATK-P1", name="Xã Một", kind=UnitKind.COMMUNE, parent=province)
    second = Unit.objects.create(code="XATK-P2", name="Xã Hai", kind=UnitKind.WARD, parent=province)
    procedures = [make_procedure("T-TK-P1"), make_procedure("T-TK-P2", field="Đất đai")]
    return first, second, procedures


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(specs, max_size=14), st.lists(specs, max_size=6), st.integers(-20, 10), st.integers(0, 75))
def test_the_columns_add_up_and_equal_a_naive_recount(
    two_communes: tuple[Unit, Unit, list[Procedure]],
    first_items: list[Spec],
    second_items: list[Spec],
    shift: int,
    length: int,
) -> None:
    first, second, procedures = two_communes
    Dossier.objects.filter(unit__in=(first, second)).delete()
    made = {
        first.pk: _build(first, procedures, first_items),
        second.pk: _build(second, procedures, second_items),
    }
    start = MARCH.start + dt.timedelta(days=shift)
    window = Window(start, start + dt.timedelta(days=length))
    units = Unit.objects.filter(pk__in=(first.pk, second.pk))
    result = st_.report(units, Filters(window), Grouping.UNIT)

    for row in result.rows:
        f = row.figures
        assert f == _recount(made[row.key], window)
        assert f.early + f.on_time + f.late == f.processed
        assert f.open_in_time + f.open_overdue == f.open
        assert f.received + f.carried_over == f.total
        assert f.total == f.processed + f.open + f.supplement + f.stopped + f.awaiting_fees + f.withdrawn
        for rate in (f.on_time_rate, f.late_rate):
            assert rate is None or Decimal(0) <= rate <= Decimal(100)
    assert {row.key for row in result.rows} <= set(made)
    assert result.total == sum((row.figures for row in result.rows), Figures())
    assert result.total == _recount(made[first.pk] + made[second.pk], window)
    for grouping in (Grouping.PROCEDURE, Grouping.CHANNEL):
        other = st_.report(units, Filters(window), grouping)
        assert other.total == result.total
        assert other.total == sum((row.figures for row in other.rows), Figures())
    by_month = st_.report(units, Filters(window), Grouping.MONTH)
    assert by_month.total == result.total
    assert [row.key for row in by_month.rows] == [month.start for month in st_.months(window)]
    for row, month in zip(by_month.rows, st_.months(window), strict=True):
        assert row.figures == _recount(made[first.pk] + made[second.pk], month)
