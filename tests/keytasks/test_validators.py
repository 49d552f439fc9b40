"""Submission rules as pure functions: properties of the count and date rules, then the demo counts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from trongtam.core.errors import Problem
from trongtam.cycles.models import Period
from trongtam.keytasks.domain.registration import period_facts
from trongtam.keytasks.enums import TaskKind
from trongtam.keytasks.validators import PeriodFacts, TaskFacts, registration_problems, task_problems

D = dt.date
ONE_DAY = dt.timedelta(days=1)
LEAP_DAYS = [D(2024, 2, 29), D(2028, 2, 29)]


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


# -- strategies ----------------------------------------------------------------------------------------------


@st.composite
def spans(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    """A period's (start, end): calendar years, spans that begin or end on a leap day, and arbitrary ones."""
    return draw(
        st.one_of(
            st.sampled_from(
                [
                    (D(2024, 1, 1), D(2024, 12, 31)),
                    (D(2026, 1, 1), D(2026, 12, 31)),
                    (D(2024, 2, 29), D(2025, 2, 28)),
                    (D(2023, 3, 1), D(2024, 2, 29)),
                    (D(2028, 2, 28), D(2028, 2, 29)),
                ]
            ),
            st.tuples(st.dates(D(2020, 1, 1), D(2030, 12, 31)), st.integers(min_value=1, max_value=400)).map(
                lambda pair: (pair[0], pair[0] + dt.timedelta(days=pair[1]))
            ),
        )
    )


def days_around(start: dt.date, end: dt.date) -> st.SearchStrategy[dt.date]:
    """Days inside and just outside [start, end], with the edges themselves and any leap day near them."""
    edges = [start - ONE_DAY, start, start + ONE_DAY, end - ONE_DAY, end, end + ONE_DAY]
    near_leap = [d for d in LEAP_DAYS if start - dt.timedelta(days=60) <= d <= end + dt.timedelta(days=60)]
    return st.one_of(
        st.sampled_from(edges + near_leap),
        st.dates(start - dt.timedelta(days=45), end + dt.timedelta(days=45)),
    )


def make_period(
    span: tuple[dt.date, dt.date],
    *,
    own: tuple[int, int] = (3, 5),
    common: int = 5,
    assigned: tuple[int, int] = (1, 2),
    assigned_ids: tuple[int, ...] = (901,),
) -> PeriodFacts:
    return PeriodFacts(
        start=span[0],
        end=span[1],
        own_min=own[0],
        own_max=own[1],
        common_count=common,
        assigned_min=assigned[0],
        assigned_max=assigned[1],
        common_tasks={100 + i: f"{i}. Nhiệm vụ chung số {i}" for i in range(1, common + 1)},
        assigned_tasks={pk: f"Nhiệm vụ giao số {pk}" for pk in assigned_ids},
    )


def good_task(period: PeriodFacts, ref: str, kind: str = TaskKind.OWN, **extra: Any) -> TaskFacts:
    """A task that breaks no per-task rule of `period` (deadline on the last day, a named product)."""
    return TaskFacts(
        ref=ref,
        title=f"Nhiệm vụ {ref}",
        kind=kind,
        deadline=period.end,
        product="Báo cáo",
        lead_unit_id=1,
        **extra,
    )


def complete(period: PeriodFacts, *, own: int | None = None, assigned: int | None = None) -> list[TaskFacts]:
    """Tasks keeping every rule of `period`: `own` own tasks, each common task once, each assigned once."""
    own_tasks = [good_task(period, f"own{i}") for i in range(period.own_min if own is None else own)]
    common = [
        good_task(period, f"common{pk}", TaskKind.COMMON, common_task_id=pk) for pk in period.common_tasks
    ]
    ids = list(period.assigned_tasks)
    given_ = [
        good_task(period, f"assigned{pk}", TaskKind.ASSIGNED, assigned_task_id=pk)
        for pk in (ids if assigned is None else ids[:assigned])
    ]
    return [*own_tasks, *common, *given_]


def fields(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def _ordered(pair: tuple[int, int]) -> tuple[int, int]:
    return (min(pair), max(pair))


bounds = st.tuples(st.integers(0, 8), st.integers(0, 8)).map(_ordered)  # (low, high), low <= high


# -- count rules ---------------------------------------------------------------------------------------------


@given(span=spans(), n=st.integers(0, 10), own=bounds)
def test_own_count_is_flagged_exactly_when_outside_the_bounds(
    span: tuple[dt.date, dt.date], n: int, own: tuple[int, int]
) -> None:
    period = make_period(span, own=own)
    problems = registration_problems(period, complete(period, own=n))
    lo, hi = own
    expected = [] if lo <= n <= hi else ["tasks.own"]
    assert [f for f in fields(problems) if f == "tasks.own"] == expected
    assert fields(problems) == expected  # nothing else is wrong with these tasks


@given(span=spans(), n=st.integers(0, 6), assigned=bounds)
def test_assigned_count_is_flagged_exactly_when_outside_the_bounds(
    span: tuple[dt.date, dt.date], n: int, assigned: tuple[int, int]
) -> None:
    # The Chairman gave the unit exactly the n tasks it registered, so only the count rule can complain.
    period = make_period(span, assigned=assigned, assigned_ids=tuple(range(901, 901 + n)))
    problems = registration_problems(period, complete(period))
    lo, hi = assigned
    assert fields(problems) == ([] if lo <= n <= hi else ["tasks.assigned"])


@given(span=spans(), n=st.integers(0, 6), given_ids=st.integers(0, 3))
def test_every_assigned_task_left_out_is_named_once(
    span: tuple[dt.date, dt.date], n: int, given_ids: int
) -> None:
    ids = tuple(range(901, 901 + given_ids))
    period = make_period(span, assigned=(0, 9), assigned_ids=ids)
    problems = registration_problems(period, complete(period, assigned=n))
    left_out = [f"«Nhiệm vụ giao số {pk}»" for pk in ids[n:]]
    assert fields(problems) == ["tasks.assigned"] * len(left_out)
    for title in left_out:
        assert sum(title in p.message for p in problems) == 1


@given(
    span=spans(),
    common=st.integers(0, 7),
    multiplicity=st.lists(st.integers(0, 2), min_size=7, max_size=7),
)
def test_every_common_task_not_made_concrete_is_named_exactly_once(
    span: tuple[dt.date, dt.date], common: int, multiplicity: list[int]
) -> None:
    period = make_period(span, common=common)
    tasks = [good_task(period, f"own{i}") for i in range(period.own_min)]
    tasks += complete(period)[-1:]  # the assigned task
    for (pk, _label), times in zip(period.common_tasks.items(), multiplicity, strict=False):
        tasks += [good_task(period, f"c{pk}-{k}", TaskKind.COMMON, common_task_id=pk) for k in range(times)]
    problems = registration_problems(period, tasks)

    for (_pk, label), times in zip(period.common_tasks.items(), multiplicity, strict=False):
        named = [p for p in problems if f"«{label}»" in p.message]
        assert len(named) == (0 if times == 1 else 1), label
        assert all(p.field == "tasks.common" for p in named)
    assert len([p for p in problems if p.field == "tasks.common"]) == sum(
        1 for _item, times in zip(period.common_tasks, multiplicity, strict=False) if times != 1
    )


@given(span=spans(), defined=st.integers(0, 7), required=st.integers(0, 7))
def test_a_period_with_the_wrong_number_of_common_tasks_is_reported(
    span: tuple[dt.date, dt.date], defined: int, required: int
) -> None:
    period = dataclasses.replace(make_period(span, common=defined), common_count=required)
    problems = registration_problems(period, complete(period))
    expected = [] if defined == required else ["tasks.common"]
    assert fields(problems) == expected
    if expected:
        assert f"{defined}/{required}" in problems[0].message


# -- date rules ----------------------------------------------------------------------------------------------


@st.composite
def period_and_deadline(draw: st.DrawFn) -> tuple[PeriodFacts, dt.date | None]:
    period = make_period(draw(spans()))
    return period, draw(st.one_of(st.none(), days_around(period.start, period.end)))


@given(case=period_and_deadline())
def test_a_deadline_is_flagged_exactly_when_missing_or_outside_the_period(
    case: tuple[PeriodFacts, dt.date | None],
) -> None:
    period, deadline = case
    task = dataclasses.replace(good_task(period, "7"), deadline=deadline)
    outside = deadline is None or not period.start <= deadline <= period.end

    problems = task_problems(period, task)
    flagged = [p for p in problems if p.field.endswith(".deadline")]

    assert fields(flagged) == (["tasks.7.deadline"] if outside else [])
    assert problems == flagged  # the deadline is the only thing wrong
    # the registration-wide check reports the same thing for the same task
    tasks = [*complete(period)[1:], task]
    assert [p for p in registration_problems(period, tasks) if p.field.endswith(".deadline")] == flagged


@st.composite
def period_task_milestones(draw: st.DrawFn) -> tuple[PeriodFacts, dt.date, list[dt.date]]:
    period = make_period(draw(spans()))
    deadline = draw(st.dates(period.start, period.end) | st.sampled_from([period.start, period.end]))
    milestones = draw(st.lists(days_around(period.start, period.end) | st.just(deadline), max_size=6))
    return period, deadline, milestones


@given(case=period_task_milestones())
def test_milestones_after_the_deadline_or_outside_the_period_are_flagged(
    case: tuple[PeriodFacts, dt.date, list[dt.date]],
) -> None:
    period, deadline, milestones = case
    task = dataclasses.replace(good_task(period, "3"), deadline=deadline, milestone_dates=tuple(milestones))
    bad = [d for d in milestones if not period.start <= d <= period.end or d > deadline]

    problems = task_problems(period, task)

    assert fields(problems) == ["tasks.3.milestones"] * len(bad)
    for day, problem in zip(bad, problems, strict=True):
        assert day.strftime("%d/%m/%Y") in problem.message


# -- whole registrations -------------------------------------------------------------------------------------


@st.composite
def valid_registrations(draw: st.DrawFn) -> tuple[PeriodFacts, list[TaskFacts]]:
    """A period with any consistent bounds and a registration that satisfies all of it."""
    span = draw(spans())
    own = draw(bounds)
    assigned = draw(bounds.filter(lambda b: b[1] >= 1))
    n_assigned = draw(st.integers(assigned[0], assigned[1]))
    period = make_period(
        span,
        own=own,
        common=draw(st.integers(0, 6)),
        assigned=assigned,
        assigned_ids=tuple(range(901, 901 + n_assigned)),
    )
    within = st.dates(period.start, period.end)
    tasks = []
    for task in complete(period, own=draw(st.integers(own[0], own[1]))):
        deadline = draw(within)
        milestones = draw(st.lists(st.dates(period.start, deadline), max_size=3))
        product = draw(st.sampled_from(["Báo cáo", ""]))
        tasks.append(
            dataclasses.replace(
                task,
                deadline=deadline,
                milestone_dates=tuple(milestones),
                product=product,
                target_value=None if product else 100,
                target_unit="" if product else "%",
                coordinating_unit_ids=frozenset(draw(st.sets(st.integers(2, 9), max_size=3))),
            )
        )
    return period, draw(st.permutations(tasks))


@given(case=valid_registrations())
def test_a_registration_that_keeps_every_rule_has_no_problems(
    case: tuple[PeriodFacts, list[TaskFacts]],
) -> None:
    period, tasks = case
    assert registration_problems(period, tasks) == []


@st.composite
def bad_tasks(draw: st.DrawFn, period: PeriodFacts) -> TaskFacts:
    """A task with at least one broken per-task rule, of any kind."""
    kind = draw(st.sampled_from(TaskKind.values))
    task = good_task(
        period,
        "bad",
        kind,
        common_task_id=draw(st.sampled_from([None, *period.common_tasks])),
        assigned_task_id=draw(st.sampled_from([None, *period.assigned_tasks])),
    )
    breakage = draw(
        st.lists(
            st.sampled_from(["title", "deadline", "product", "lead", "coordinating", "milestone"]),
            min_size=1,
            unique=True,
        )
    )
    changes: dict[str, Any] = {}
    if "title" in breakage:
        changes["title"] = "   "
    if "deadline" in breakage:
        changes["deadline"] = draw(st.sampled_from([None, period.start - ONE_DAY, period.end + ONE_DAY]))
    if "product" in breakage:
        changes["product"] = ""
    if "lead" in breakage:
        changes["lead_unit_id"] = None
    if "coordinating" in breakage and "lead" not in breakage:
        changes["coordinating_unit_ids"] = frozenset({1})
    if "milestone" in breakage:
        changes["milestone_dates"] = (period.end + ONE_DAY,)
    bad = dataclasses.replace(task, **changes)
    assert task_problems(period, bad)  # every breakage above breaks a rule on its own
    return bad


@st.composite
def registration_plus_bad_task(draw: st.DrawFn) -> tuple[PeriodFacts, list[TaskFacts], TaskFacts]:
    period = make_period(draw(spans()), own=draw(bounds), assigned=draw(bounds))
    pool = complete(period, own=draw(st.integers(0, 7)))
    tasks = draw(st.lists(st.sampled_from(pool), max_size=len(pool), unique_by=lambda t: t.ref))
    return period, tasks, draw(bad_tasks(period))


@given(case=registration_plus_bad_task())
def test_adding_a_bad_task_never_hides_a_problem(
    case: tuple[PeriodFacts, list[TaskFacts], TaskFacts],
) -> None:
    period, tasks, bad = case
    before = registration_problems(period, tasks)
    after = registration_problems(period, [*tasks, bad])

    assert after  # a registration with a broken task is never submittable
    assert task_problems(period, bad) == [p for p in after if p.field.startswith("tasks.bad.")]
    # The broken task still counts as a task of its kind, so it may fill a gap in its own kind's count or
    # coverage (its own problems keep the registration from being submitted); nothing else may go away.
    own_kind = f"tasks.{bad.kind}"
    gone = [p for p in before if p not in after]
    assert all(p.field == own_kind for p in gone), gone
    assert len(gone) <= (2 if bad.kind == TaskKind.ASSIGNED else 1)
    if bad.kind == TaskKind.OWN:
        assert len(after) >= len(before)  # count and coverage of the other kinds are untouched


@st.composite
def any_registration(draw: st.DrawFn) -> tuple[PeriodFacts, list[TaskFacts]]:
    """Anything at all: broken periods, broken tasks, duplicates."""
    period = make_period(
        draw(spans()),
        own=draw(bounds),
        common=draw(st.integers(0, 6)),
        assigned=draw(bounds),
        assigned_ids=tuple(draw(st.sets(st.integers(900, 905), max_size=3))),
    )
    period = dataclasses.replace(period, common_count=draw(st.integers(0, 6)))
    ascii_words = st.text(alphabet="abc xyz", max_size=12)
    task = st.builds(
        TaskFacts,
        ref=st.integers(1, 50).map(str),
        title=ascii_words,
        kind=st.sampled_from(TaskKind.values),
        deadline=st.none() | days_around(period.start, period.end),
        product=ascii_words,
        target_value=st.none() | st.integers(0, 100),
        target_unit=ascii_words,
        lead_unit_id=st.none() | st.integers(1, 3),
        coordinating_unit_ids=st.frozensets(st.integers(1, 3), max_size=2),
        common_task_id=st.none() | st.sampled_from([*period.common_tasks, 999]),
        assigned_task_id=st.none() | st.sampled_from([*period.assigned_tasks, 999]),
        milestone_dates=st.lists(days_around(period.start, period.end), max_size=3).map(tuple),
    )
    return period, draw(st.lists(task, max_size=14))


@given(case=any_registration())
def test_every_problem_has_a_vietnamese_message_and_a_field(
    case: tuple[PeriodFacts, list[TaskFacts]],
) -> None:
    period, tasks = case
    for problem in registration_problems(period, tasks):
        assert problem.field, problem
        assert problem.field.startswith("tasks."), problem
        assert problem.message.strip(), problem
        # titles and products are plain ASCII here, so an accented letter can only come from the message
        assert any(ch.isalpha() and not ch.isascii() for ch in problem.message), problem


# -- the demo period's counts (examples) ---------------------------------------------------------------------


@pytest.fixture
def facts(period: Period, unit: Any) -> PeriodFacts:
    """The demo 2026 period as Sở Tài chính sees it: 3-5 own, 5 common, 1-2 assigned (1 given to STC)."""
    return period_facts(period, unit("STC").pk)


@pytest.mark.django_db
def test_the_demo_period_asks_for_3_to_5_own_5_common_and_1_to_2_assigned(facts: PeriodFacts) -> None:
    assert (facts.own_min, facts.own_max) == (3, 5)
    assert facts.common_count == 5
    assert len(facts.common_tasks) == 5
    assert (facts.assigned_min, facts.assigned_max) == (1, 2)
    assert len(facts.assigned_tasks) == 1
    assert registration_problems(facts, complete(facts)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("own", "ok"), [(0, False), (2, False), (3, True), (4, True), (5, True), (6, False)])
def test_own_tasks_must_number_3_to_5(facts: PeriodFacts, own: int, ok: bool) -> None:
    problems = registration_problems(facts, complete(facts, own=own))
    if ok:
        assert problems == []
    else:
        assert problems == [Problem(f"Có {own} nhiệm vụ tự đăng ký; cần từ 3 đến 5.", "tasks.own")]


@pytest.mark.django_db
@pytest.mark.parametrize("made_concrete", [0, 1, 4])
def test_all_5_common_tasks_must_be_made_concrete(facts: PeriodFacts, made_concrete: int) -> None:
    tasks = [t for t in complete(facts) if t.kind != TaskKind.COMMON]
    tasks += [t for t in complete(facts) if t.kind == TaskKind.COMMON][:made_concrete]
    problems = registration_problems(facts, tasks)
    missing = list(facts.common_tasks.values())[made_concrete:]
    assert problems == [
        Problem(f"Nhiệm vụ chung «{label}» chưa được cụ thể hoá.", "tasks.common") for label in missing
    ]


@pytest.mark.django_db
def test_a_common_task_made_concrete_twice_is_refused(facts: PeriodFacts) -> None:
    tasks = complete(facts)
    first_common = next(t for t in tasks if t.kind == TaskKind.COMMON)
    problems = registration_problems(facts, [*tasks, dataclasses.replace(first_common, ref="again")])
    label = facts.common_tasks[first_common.common_task_id or 0]
    assert problems == [Problem(f"Nhiệm vụ chung «{label}» được cụ thể hoá nhiều lần.", "tasks.common")]


@pytest.mark.django_db
def test_a_period_missing_a_common_task_is_reported_to_the_office(facts: PeriodFacts) -> None:
    four = dict(list(facts.common_tasks.items())[:4])
    period = dataclasses.replace(facts, common_tasks=four)
    problems = registration_problems(period, complete(period))
    assert problems == [
        Problem("Kỳ công tác mới xác định 4/5 nhiệm vụ chung; hãy báo Văn phòng UBND tỉnh.", "tasks.common")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "ok"), [(-1, False), (0, True), (1, True), (2, False)])
def test_assigned_tasks_must_number_1_to_2(facts: PeriodFacts, extra: int, ok: bool) -> None:
    """STC has one task from the Chairman; a second one is allowed, a third is one too many."""
    tasks = complete(facts)
    assigned = [t for t in tasks if t.kind == TaskKind.ASSIGNED]
    others = [t for t in tasks if t.kind != TaskKind.ASSIGNED]
    ids = {f"extra{i}": 800 + i for i in range(max(extra, 0))}
    period = dataclasses.replace(
        facts, assigned_tasks={**facts.assigned_tasks, **{pk: f"Giao thêm {pk}" for pk in ids.values()}}
    )
    more = [good_task(period, ref, TaskKind.ASSIGNED, assigned_task_id=pk) for ref, pk in ids.items()]
    registered = [*others, *assigned[: 1 + min(extra, 0)], *more]
    problems = registration_problems(period, registered)
    count = 1 + extra
    if ok:
        assert problems == []
    else:
        assert problems[0] == Problem(f"Có {count} nhiệm vụ Chủ tịch giao; cần từ 1 đến 2.", "tasks.assigned")


@pytest.mark.django_db
def test_the_counts_come_from_the_period(period: Period, unit: Any) -> None:
    period.own_min = period.own_max = 4
    period.save()
    facts = period_facts(period, unit("STC").pk)
    assert fields(registration_problems(facts, complete(facts, own=3))) == ["tasks.own"]
    assert registration_problems(facts, complete(facts, own=4)) == []
    assert registration_problems(facts, complete(facts, own=5))[0].message == (
        "Có 5 nhiệm vụ tự đăng ký; cần 4."
    )
