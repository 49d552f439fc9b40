"""Benchmark: an assessment round at the scale of product.md, against the plain SQL that computes its metrics.

Loads (once, into the benchmark database, on top of the follow-up benchmark's province: `bench/directives.py`)
1,000 rated units (departments and communes, each with its head), officials up to 60,000 people, a full year
of directive tasks led by those units (10,000) and their approved key-task registrations (5,000 key tasks, a
third led personally by the head), with plausible states. Then it times, at 1,000 heads:

  (a) opening the round: every automatic criterion of every head measured, scored and written (the sheets, their
      criterion rows, the notifications), rolled back after each run; and the metrics alone;
  (b) scoring: every head's total from the stored rows, as the classification reads them;
  (c) classifying everyone: the preview of the round's classification (what the Chairman signs);
  (d) the league-table page (`rankings:league`), when the rankings app provides it;
  (e) the floor: the plain SQL that computes the same metrics, one statement per metric, through a raw cursor.

It prints each step as a ratio to the floor, and the number of queries of each step at 100 and at 1,000 heads
(reads and writes apart: writes are bulk inserts in batches of 500 rows, the reads do not grow at all).

    make bench                                             # SQLite, bench.sqlite3 next to manage.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/trongtam_bench make bench
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the project on the path

# Sets Django up on the benchmark database: before anything of Django or of the app is imported.
from bench._common import machine_line

logging.disable(logging.INFO)  # the e-mails of the signed round's notifications, the tasks worker, axes

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.directives import QueryCounter, analyze  # noqa: E402
from bench.directives import load as load_province  # noqa: E402
from trongtam.assessment.domain import rounds  # noqa: E402
from trongtam.assessment.domain import rubric as rb  # noqa: E402
from trongtam.assessment.enums import RoundStatus, SheetStatus  # noqa: E402
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreSheet  # noqa: E402
from trongtam.core.search import fold  # noqa: E402
from trongtam.cycles.models import Period  # noqa: E402
from trongtam.directives.models import Directive  # noqa: E402
from trongtam.followup.enums import Delivery, Lifecycle, Source  # noqa: E402
from trongtam.followup.models import Task  # noqa: E402
from trongtam.keytasks.enums import RegistrationStatus, TaskKind  # noqa: E402
from trongtam.keytasks.models import KeyTask, Registration  # noqa: E402
from trongtam.org.enums import Role, UnitKind  # noqa: E402
from trongtam.org.models import Person, Unit  # noqa: E402

RATED_HEADS, PEOPLE, DIRECTIVE_TASKS, KEY_TASKS = 1000, 60_000, 10_000, 5_000
SMALL = 100  # the smaller data size the query counts are compared at
CUT_OFF = dt.date(2026, 11, 30)
REPEAT, ROUND_REPEAT = 7, 3
BENCH_ROUND = "Đánh giá năm 2026 (đo hiệu năng)"
MANUAL_SHARE = Decimal(
    "0.8"
)  # the points of every manual criterion in the signed round, as a share of its max
CODE = "BA"  # the benchmark's rated units: BA0000…


# -- loading -----------------------------------------------------------------------------------------------------


def _life(rng: random.Random, deadline: dt.date) -> dict[str, Any]:
    """A plausible state at the end of November: most work done (four in five on time), some overdue."""
    lifecycle = rng.choices(
        [Lifecycle.DONE, Lifecycle.IN_PROGRESS, Lifecycle.NOT_STARTED, Lifecycle.AWAITING_ACCEPTANCE,
         Lifecycle.PAUSED, Lifecycle.CANCELLED],
        weights=[55, 25, 8, 6, 3, 3],
    )[0]  # fmt: skip
    fields: dict[str, Any] = {"lifecycle": lifecycle, "percent": rng.randint(0, 90), "overdue_since": None}
    if lifecycle == Lifecycle.DONE:
        reported = deadline + dt.timedelta(
            days=rng.randint(-30, 5) if rng.random() < 0.8 else rng.randint(6, 60)
        )
        reported = min(reported, CUT_OFF)
        fields |= {"percent": 100, "completion_reported_on": reported, "on_time": reported <= deadline,
                   "accepted_at": timezone.make_aware(dt.datetime.combine(reported, dt.time(9)))}  # fmt: skip
    elif deadline < CUT_OFF:
        fields["overdue_since"] = deadline + dt.timedelta(days=1)
    fields["delivery"] = rng.choice([Delivery.GREEN, Delivery.GREEN, Delivery.AMBER, Delivery.RED])
    return fields


def load() -> None:
    """The follow-up benchmark's province, then (once, in one transaction) the rated units and their year."""
    load_province()
    if Unit.objects.filter(code__startswith=CODE).exists():
        return
    rng = random.Random(4)
    with transaction.atomic():
        period = Period.objects.get(year=2026)
        province = Unit.objects.get(code="UBND")
        office, chairman = Person.objects.get(username="vanphong"), Person.objects.get(username="chutich")
        missing = RATED_HEADS - len(rounds.rated_heads())
        units = Unit.objects.bulk_create(
            [
                Unit(code=f"{CODE}{i:04d}", name=(f"Sở Ngành {i}" if i % 8 == 0 else f"Xã Bình An {i}"),
                     kind=UnitKind.DEPARTMENT if i % 8 == 0 else UnitKind.COMMUNE, parent=province,
                     search_text=fold(f"Xa Binh An {i}"))
                for i in range(missing)
            ],
            batch_size=500,
        )  # fmt: skip
        password = make_password("TrongTam@2026")  # one hash for everyone: hashing 60,000 would take minutes

        def person(username: str, name: str, role: Role, unit: Unit | int) -> Person:
            unit_id = unit if isinstance(unit, int) else unit.pk
            return Person(username=username, full_name=name, role=role, unit_id=unit_id, password=password,
                          email=f"{username}@bench.invalid", search_text=fold(f"{name} {username}"))  # fmt: skip

        heads = Person.objects.bulk_create(
            [person(f"bench.head.{i}", f"Nguyễn Văn Trưởng {i}", Role.HEAD, u) for i, u in enumerate(units)],
            batch_size=1000,
        )
        all_units = list(Unit.objects.exclude(pk=province.pk).values_list("pk", flat=True))
        Person.objects.bulk_create(
            [
                person(f"bench.cc.{i}", f"Trần Thị Công Chức {i}", Role.OFFICIAL, rng.choice(all_units))
                for i in range(max(PEOPLE - Person.objects.count(), 0))
            ],
            batch_size=2000,
        )
        directives = list(Directive.objects.filter(number__endswith="-BENCH").order_by("pk"))
        tasks = []
        for i in range(DIRECTIVE_TASKS):
            directive = rng.choice(directives)
            deadline = directive.issued_on + dt.timedelta(days=rng.randint(15, 120))
            tasks.append(
                Task(source=Source.DIRECTIVE, directive=directive, title=f"Nhiệm vụ tại văn bản {i}",
                     lead_unit=units[i % len(units)], assigned_by=office, assigned_on=directive.issued_on,
                     original_deadline=deadline, deadline=deadline, due_soon_from=deadline - dt.timedelta(days=4),
                     search_text=f"nhiem vu tai van ban {i}", **_life(rng, deadline))
            )  # fmt: skip
        Task.objects.bulk_create(tasks, batch_size=1000)

        approved = dt.datetime(2026, 2, 10, 2, tzinfo=dt.UTC)
        registrations = Registration.objects.bulk_create(
            [
                Registration(period=period, unit=u, head=h, status=RegistrationStatus.APPROVED, version=4,
                             submitted_at=approved, approved_at=approved, approved_by=chairman)
                for u, h in zip(units, heads, strict=True)
            ],
            batch_size=1000,
        )  # fmt: skip
        key_tasks = KeyTask.objects.bulk_create(
            [
                KeyTask(registration=r, kind=TaskKind.OWN, title=f"Nhiệm vụ trọng tâm {n} của {r.unit.name}",
                        product="Báo cáo kết quả", deadline=dt.date(2026, rng.randint(3, 12), rng.randint(1, 28)),
                        lead_unit=r.unit, led_personally=rng.random() < 0.3, position=n // len(registrations))
                for n, r in ((n, registrations[n % len(registrations)]) for n in range(KEY_TASKS))
            ],
            batch_size=1000,
        )  # fmt: skip
        Task.objects.bulk_create(
            [
                Task(source=Source.KEY_TASK, registration=k.registration, key_task=k, title=k.title,
                     lead_unit=k.lead_unit, assigned_by=chairman, assigned_on=approved.date(),
                     original_deadline=k.deadline, deadline=k.deadline,
                     due_soon_from=k.deadline - dt.timedelta(days=7), search_text=fold(k.title),
                     **_life(rng, k.deadline))
                for k in key_tasks
            ],
            batch_size=1000,
        )  # fmt: skip


def signed_round(rubric: RubricVersion, period: Period) -> Round:
    """The benchmark's round, opened, scored by hand (80 % of every manual maximum), verified and signed by the
    Chairman, so the league has something to rank. Made once and kept."""
    found = Round.objects.filter(name=BENCH_ROUND, status=RoundStatus.SIGNED).first()
    if found is not None:
        return found
    home_affairs, chairman = Person.objects.get(username="noivu"), Person.objects.get(username="chutich")
    rnd = rounds.open_round(period, rubric, name=BENCH_ROUND, cut_off=CUT_OFF, by=home_affairs)
    parsed = rounds.rubric_of(rubric)
    with transaction.atomic():
        for criterion, _above in parsed.walk():
            if not criterion.is_group and not criterion.is_automatic:
                CriterionScore.objects.filter(sheet__round=rnd, code=criterion.code).update(
                    points=(criterion.max_points * MANUAL_SHARE).quantize(Decimal("0.01"))
                )
        sheets = list(rnd.sheets.select_related("round__rubric"))
        rows: dict[int, list[CriterionScore]] = {}
        for row in CriterionScore.objects.filter(sheet__round=rnd):
            rows.setdefault(row.sheet_id, []).append(row)
        for sheet in sheets:
            sheet.total = rounds.score_of(sheet, rows[sheet.pk]).total
            sheet.status = SheetStatus.VERIFIED
        ScoreSheet.objects.bulk_update(sheets, ["total", "status"], batch_size=500)
    return rounds.sign_round(rnd.pk, by=chairman, expected_version=None)


# -- measuring ---------------------------------------------------------------------------------------------------


class Counter(QueryCounter):
    """Queries, with the writes (INSERT, UPDATE, DELETE) counted apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.writes += 1
        return super().__call__(execute, sql, params, many, context)

    def __str__(self) -> str:
        return f"{self.count - self.writes} + {self.writes}w" if self.writes else str(self.count)


def median_time(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def only_heads(count: int) -> Iterator[list[Person]]:
    """Inside a rolled-back transaction, leave active only the first `count` rated heads."""
    with rolled_back():
        keep = rounds.rated_heads()[:count]
        Person.objects.filter(role=Role.HEAD, is_active=True).exclude(pk__in=[p.pk for p in keep]).update(
            is_active=False
        )
        yield keep


def open_round(rubric: RubricVersion, period: Period) -> Round:
    home_affairs = Person.objects.get(username="noivu")
    return rounds.open_round(period, rubric, name="Đợt đo thử", cut_off=CUT_OFF, by=home_affairs)


def open_and_roll_back(rubric: RubricVersion, period: Period) -> None:
    with rolled_back():
        open_round(rubric, period)


def measure_metrics(rubric: RubricVersion, period: Period) -> None:
    """The metrics alone: every automatic criterion's value for every rated head, in batches."""
    rounds._measure_many(rounds.rubric_of(rubric), [h.unit for h in rounds.rated_heads()], period, CUT_OFF)


def measure_metrics_one_by_one(rubric: RubricVersion, period: Period) -> None:
    """The same, one head at a time, as opening a round did before the batches (for comparison)."""
    parsed = rounds.rubric_of(rubric)
    metrics = {c.metric for c, _above in parsed.walk() if c.is_automatic}
    for head in rounds.rated_heads():
        for code in metrics:
            metric = rb.METRICS.get(code)
            if metric is not None:
                metric.compute(head.unit, period, CUT_OFF)


def score_everyone(rnd: Round) -> dict[int, Decimal]:
    """Every head's total from the stored rows, as the classification reads them (the rubric read once)."""
    rubric = rounds.rubric_of(rnd.rubric)
    rows: dict[int, dict[str, rounds.StoredScore]] = {}
    for sheet_id, code, *fields in CriterionScore.objects.filter(sheet__round=rnd).values_list(
        "sheet", "code", "points", "metric_value", "record_ids", "record_kind"
    ):
        rows.setdefault(sheet_id, {})[code] = rounds.StoredScore(*fields)
    return {pk: rb.score(rubric, rounds._values(rubric, stored)).total for pk, stored in rows.items()}


def classify_everyone(rnd: Round) -> object:
    return rounds.preview(Round.objects.select_related("rubric", "period").get(pk=rnd.pk))


def floor(unit_ids: list[int], period: Period) -> Callable[[], object]:
    """The plain SQL that computes the same four metrics for every unit: one grouped statement per metric, each
    giving the counts behind the value and the ids of the tasks behind it."""
    ids = ", ".join(map(str, unit_ids)) or "NULL"
    concat = "group_concat({})" if connection.vendor == "sqlite" else "string_agg(CAST({} AS text), ',')"
    done = "(t.lifecycle = 'done' AND t.completion_reported_on IS NOT NULL AND t.completion_reported_on <= %(cut)s)"
    due = f"({done} OR t.deadline < %(cut)s)"
    live = "t.lifecycle NOT IN ('cancelled', 'refused')"

    def rate(good: str, source: str, unit: str, join: str, where: str) -> str:
        return f"""
            SELECT {unit}, SUM(CASE WHEN {due} THEN 1 ELSE 0 END), SUM(CASE WHEN {good} THEN 1 ELSE 0 END),
                   COUNT(*), {concat.format(f"CASE WHEN {due} AND NOT {good} THEN t.id END")}
            FROM followup_task t {join}
            WHERE t.source = '{source}' AND {unit} IN ({ids}) AND {live} {where}
            GROUP BY {unit}"""

    key_join = "JOIN keytasks_registration r ON r.id = t.registration_id"
    key_where = "AND r.period_id = %(period)s"
    on_time = f"({done} AND t.on_time IS TRUE)"
    statements = [
        rate(on_time, "directive", "t.lead_unit_id", "",
             "AND t.assigned_on >= %(start)s AND t.assigned_on <= %(cut)s"),
        rate(done, "key_task", "r.unit_id", key_join, key_where),
        rate(on_time, "key_task", "r.unit_id", key_join, key_where),
        f"""SELECT r.unit_id, COUNT(*), {concat.format("t.id")}
            FROM followup_task t {key_join} JOIN keytasks_keytask k ON k.id = t.key_task_id
            WHERE t.source = 'key_task' AND r.unit_id IN ({ids}) AND {live} {key_where}
              AND k.led_personally AND t.deadline < %(cut)s AND NOT {done}
            GROUP BY r.unit_id""",
    ]  # fmt: skip
    params: dict[str, Any] = {"cut": CUT_OFF, "start": period.start_date, "period": period.pk}

    def run() -> object:
        with connection.cursor() as cursor:
            results = []
            for sql in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
            return results

    return run


def floor_agrees(results: Any, units: list[Any], period: Period, rubric: RubricVersion) -> bool:
    """Whether the floor's statements give every unit the value and the records of the app's metrics."""
    by_code = dict(zip(FLOOR_ORDER, results, strict=True))
    for metric in rounds._metrics_of(rounds.rubric_of(rubric)):
        code = metric.code
        if code not in by_code:
            return False
        rows = {row[0]: row for row in by_code[code]}
        for unit, value in zip(units, metric.measure_many(units, period, CUT_OFF), strict=True):
            row = rows.get(unit.pk)
            expected: tuple[Decimal | None, set[int | str]]
            if code == "followup.overdue_led_personally":
                expected = (Decimal(row[1]) if row else Decimal(0), _ids(row[2]) if row else set())
            elif row is None:
                expected = (None if code == "followup.directive_on_time_rate" else Decimal("0.00"), set())
            elif not row[1]:
                expected = (None, set())
            else:
                expected = ((Decimal(100) * row[2] / row[1]).quantize(Decimal("0.01")), _ids(row[4]))
            if (value.value, set(value.record_ids)) != expected:
                print(f"  floor and app differ: {code} {unit.code}: {expected} ≠ {value}")
                return False
    return True


def _ids(joined: str | None) -> set[int | str]:
    return {int(i) for i in str(joined).split(",")} if joined else set()


FLOOR_ORDER = [
    "followup.directive_on_time_rate",
    "followup.key_task_completion_rate",
    "followup.key_task_on_time_rate",
    "followup.overdue_led_personally",
]


def league_url() -> str | None:
    try:
        return reverse("rankings:league")
    except NoReverseMatch:
        return None


# -- the report --------------------------------------------------------------------------------------------------


def counted(fn: Callable[[], object]) -> tuple[Counter, object]:
    counter = Counter()
    with connection.execute_wrapper(counter):
        result = fn()
    return counter, result


def query_counts(rubric: RubricVersion, period: Period, heads: int) -> dict[str, Counter]:
    """The queries of each step with only `heads` rated heads (rolled back)."""
    with only_heads(heads) as kept:
        if len(kept) != heads:
            raise SystemExit(f"only {len(kept)} rated heads")
        opened, rnd = counted(lambda: open_round(rubric, period))
        if not isinstance(rnd, Round):
            raise TypeError(rnd)
        metrics, _ = counted(lambda: measure_metrics(rubric, period))
        scored, _ = counted(lambda: score_everyone(rnd))
        classified, _ = counted(lambda: classify_everyone(rnd))
        return {"open": opened, "metrics": metrics, "score": scored, "classify": classified}


def main() -> None:
    started = time.perf_counter()
    load()
    period = Period.objects.get(year=2026)
    rubric = RubricVersion.objects.get(period=period, number=1)
    rnd = signed_round(rubric, period)
    analyze()
    heads = rounds.rated_heads()
    print(machine_line())
    print(f"Data: {Unit.objects.count()} units ({len(heads)} rated heads), {Person.objects.count()} people, "
          f"{Task.objects.filter(source=Source.DIRECTIVE).count()} directive tasks, "
          f"{Task.objects.filter(source=Source.KEY_TASK).count()} followed key tasks; "
          f"rubric «{rubric.title}»; cut-off {CUT_OFF:%d/%m/%Y} (ready in {time.perf_counter() - started:.0f} s)\n")  # fmt: skip

    floor_fn = floor(sorted({h.unit_id for h in heads if h.unit_id is not None}), period)
    floor_s = median_time(floor_fn)
    agrees = floor_agrees(floor_fn(), [h.unit for h in heads], period, rubric)
    small_counts = query_counts(rubric, period, SMALL)
    big_counts = query_counts(rubric, period, len(heads))
    steps: list[tuple[str, str, float]] = [
        ("(a) open the round: measure, score, write", "open",
         median_time(lambda: open_and_roll_back(rubric, period), ROUND_REPEAT)),
        ("    of which the metrics alone", "metrics", median_time(lambda: measure_metrics(rubric, period))),
        ("(b) score everyone (from the stored rows)", "score", median_time(lambda: score_everyone(rnd))),
        ("(c) classify everyone (the preview)", "classify", median_time(lambda: classify_everyone(rnd))),
    ]  # fmt: skip
    print(f"{'step (' + str(len(heads)) + ' heads)':<46}{'ms':>9}{'/ floor':>9}"
          f"{'queries @' + str(SMALL):>14}{'queries @' + str(len(heads)):>15}")  # fmt: skip
    for label, key, seconds in steps:
        print(f"{label:<46}{seconds * 1000:>9.1f}{seconds / floor_s:>9.2f}"
              f"{small_counts[key]!s:>14}{big_counts[key]!s:>15}")  # fmt: skip
    whole = steps[0][2] + steps[2][2] + steps[3][2]
    print(f"{'whole round: (a) + (b) + (c)':<46}{whole * 1000:>9.1f}{whole / floor_s:>9.2f}")
    print(f"{'(e) floor: plain SQL, one statement a metric':<46}{floor_s * 1000:>9.1f}{1:>9.2f}{4:>14}{4:>15}"
          f"   same values and records as the app for every head: {'yes' if agrees else 'NO'}")  # fmt: skip
    start = time.perf_counter()
    one_by_one_counts, _ = counted(lambda: measure_metrics_one_by_one(rubric, period))
    one_by_one = time.perf_counter() - start  # once: it is slow
    print(f"{'    metrics head by head (per-subject form)':<46}{one_by_one * 1000:>9.1f}{one_by_one / floor_s:>9.2f}"
          f"{'':>14}{one_by_one_counts!s:>15}")  # fmt: skip

    url = league_url()
    if url is None:
        print("\n(d) league-table page: not measured (no URL named «rankings:league» in this tree).")
    else:
        league_page(url, rnd)
    print(f"\nqueries: reads + writes (w); writes are bulk inserts of 500 rows at most. Medians of {REPEAT} runs "
          f"({ROUND_REPEAT} for opening a round, each rolled back).")  # fmt: skip


def league_page(url: str, rnd: Round) -> None:
    from bench.directives import measure

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(username="chutich"))
    base, _ = measure(client, reverse("core:notifications"))
    page, queries = measure(client, url)
    league_floor = floor_league(rnd)
    floor_s = median_time(league_floor)
    print(f"\n{'page':<46}{'ms':>9}{'/ floor':>9}{'(page-base)/floor':>19}{'queries':>9}")
    print(f"{'  base: the notifications page':<46}{base * 1000:>9.1f}")
    print(f"{'(d) league table ' + url:<46}{page * 1000:>9.1f}{page / floor_s:>9.2f}"
          f"{(page - base) / floor_s:>19.2f}{queries:>9}")  # fmt: skip
    print(f"{'    floor: its ranking in one SQL statement':<46}{floor_s * 1000:>9.1f}")


def floor_league(rnd: Round) -> Callable[[], object]:
    """The round's ranking by hand: every signed sheet with its unit, its total and level, ranked in its group."""
    sql = """
        SELECT u.name, u.kind, s.total, s.level,
               RANK() OVER (PARTITION BY u.kind IN ('commune', 'ward', 'special_zone') ORDER BY s.total DESC)
        FROM assessment_scoresheet s JOIN org_unit u ON u.id = s.unit_id
        WHERE s.round_id = %s ORDER BY 5, u.name"""

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, [rnd.pk])
            return cursor.fetchall()

    return run


if __name__ == "__main__":
    main()
