"""Benchmark: the follow-up overview and the task list at the scale of product.md, against their SQL floor.

Loads (once, into its own database) a province of 1,000 units and 10,000 directive tasks with 5 progress
updates each, then times, for the Chairman's overview, a Vice-Chairman's view and the filtered task list:
the page as the app serves it (the test client, templates included), the app's own queries alone, and the
plain SQL that gives the same numbers. It prints the ratios and the number of queries per page.

    make bench                                             # SQLite, bench.sqlite3 next to manage.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/trongtam_bench make bench
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the project on the path

# Sets Django up on the benchmark database: before anything of Django or of the app is imported.
from bench._common import machine_line

# isort: split
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trongtam.directives.models import Directive, DocumentKind
from trongtam.followup.domain import overview
from trongtam.followup.domain.queries import TaskFilters, filter_tasks, task_rows, visible_tasks
from trongtam.followup.enums import Delivery, Lifecycle, Source
from trongtam.followup.models import ProgressUpdate, Task
from trongtam.org.enums import UnitKind
from trongtam.org.models import Person, Unit

UNITS, TASKS, UPDATES_PER_TASK = 1000, 10_000, 5
REPEAT = 7


def analyze() -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or a maintenance job (SQLite) keeps them in service."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def load() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Task.objects.filter(source=Source.DIRECTIVE).count() >= TASKS:
        return
    rng = random.Random(2026)
    province = Unit.objects.get(code="UBND")
    communes = list(Unit.objects.filter(kind__in=[UnitKind.COMMUNE, UnitKind.WARD]))
    missing = UNITS - Unit.objects.count()
    Unit.objects.bulk_create(
        [
            Unit(code=f"BX{i:04d}", name=f"Phòng chuyên môn {i} — {rng.choice(communes).name}", kind=UnitKind.DIVISION,
                 parent=rng.choice(communes), search_text=f"phong chuyen mon {i}")
            for i in range(max(missing, 0))
        ],
        batch_size=500,
    )  # fmt: skip
    units = list(Unit.objects.exclude(pk=province.pk).values_list("pk", flat=True))
    office = Person.objects.get(username="vanphong")
    directives = Directive.objects.bulk_create(
        [
            Directive(number=f"{i}/TB-UBND-BENCH", issued_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
                      kind=DocumentKind.CONCLUSION, signer="Nguyễn Văn An", excerpt=f"Kết luận số {i}",
                      created_by=office)
            for i in range(1, 2001)
        ]
    )  # fmt: skip
    lifecycles = [Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS, Lifecycle.IN_PROGRESS, Lifecycle.DONE, Lifecycle.DONE,
                  Lifecycle.AWAITING_ACCEPTANCE, Lifecycle.PAUSED, Lifecycle.CANCELLED]  # fmt: skip
    tasks = []
    for i in range(TASKS):
        directive = directives[i % len(directives)]
        deadline = directive.issued_on + dt.timedelta(days=rng.randint(10, 200))
        lifecycle = rng.choice(lifecycles)
        tasks.append(
            Task(source=Source.DIRECTIVE, directive=directive, title=f"Nhiệm vụ {i}", lead_unit_id=rng.choice(units),
                 assigned_by=office, assigned_on=directive.issued_on, original_deadline=deadline, deadline=deadline,
                 due_soon_from=deadline - dt.timedelta(days=4), lifecycle=lifecycle, percent=rng.randint(0, 100),
                 delivery=rng.choice([Delivery.GREEN, Delivery.AMBER, Delivery.RED]),
                 on_time=rng.random() < 0.8 if lifecycle == Lifecycle.DONE else None, search_text=f"nhiem vu {i}")
        )  # fmt: skip
    Task.objects.bulk_create(tasks, batch_size=1000)
    created = list(Task.objects.filter(source=Source.DIRECTIVE).values_list("pk", "lead_unit_id"))
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(task_id=pk, by=office, unit_id=unit, percent=20 * n, narrative=f"Báo cáo lần {n}",
                           proposed_delivery=Delivery.GREEN, delivery=Delivery.GREEN)
            for pk, unit in created
            for n in range(1, UPDATES_PER_TASK + 1)
        ],
        batch_size=2000,
    )  # fmt: skip


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def overview_answer(qs: Any, today: dt.date) -> object:
    return overview.regroup(overview.by_unit(qs, today))


LIST_FILTERS = TaskFilters(outcome="open_overdue")
LIST_URL = "/theo-doi/?outcome=open_overdue"


def list_answer(person: Person, today: dt.date) -> object:
    """The task list's own queries: the count and the first page of 25, filtered to open overdue tasks."""
    rows = task_rows(filter_tasks(visible_tasks(person), LIST_FILTERS, today), today)
    return rows.count(), list(rows[:25])


def best(fn: Callable[[], object]) -> float:
    fn()  # warm
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_overview(unit_ids: list[int] | None, today: dt.date) -> Callable[[], object]:
    """The plain SQL that gives the same per-unit 2×2 as the page."""
    open_states = "', '".join(sorted(Lifecycle.open))
    scope = f"AND lead_unit_id IN ({', '.join(map(str, unit_ids))})" if unit_ids else ""
    sql = f"""
        SELECT lead_unit_id,
               SUM(CASE WHEN lifecycle = 'done' AND on_time THEN 1 ELSE 0 END),
               SUM(CASE WHEN lifecycle = 'done' AND NOT on_time THEN 1 ELSE 0 END),
               SUM(CASE WHEN lifecycle IN ('{open_states}') AND (deadline IS NULL OR deadline >= %s) THEN 1 ELSE 0 END),
               SUM(CASE WHEN lifecycle IN ('{open_states}') AND deadline < %s THEN 1 ELSE 0 END)
        FROM followup_task WHERE 1 = 1 {scope} GROUP BY lead_unit_id"""

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, [today, today])
            return cursor.fetchall()

    return run


def floor_list(unit_ids: list[int] | None, today: dt.date) -> Callable[[], object]:
    """The same count and first page as the filtered task list, by hand."""
    open_states = "', '".join(sorted(Lifecycle.open))
    scope = ""
    if unit_ids:
        ids = ", ".join(map(str, unit_ids))
        scope = (f"AND (t.lead_unit_id IN ({ids}) OR t.id IN (SELECT task_id FROM followup_task_coordinating_units"
                 f" WHERE unit_id IN ({ids})))")  # fmt: skip
    where = f"t.lifecycle IN ('{open_states}') AND t.deadline < %s {scope}"
    count_sql = f"SELECT COUNT(*) FROM followup_task t WHERE {where}"
    page_sql = f"""SELECT t.id, t.title, t.deadline, t.original_deadline, t.lifecycle, t.percent, t.delivery,
                          t.urgent, u.name, d.number
                   FROM followup_task t JOIN org_unit u ON u.id = t.lead_unit_id
                   LEFT JOIN directives_directive d ON d.id = t.directive_id
                   WHERE {where} ORDER BY t.deadline, t.id LIMIT 25"""

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, [today])
            count = cursor.fetchone()
            cursor.execute(page_sql, [today])
            return count, cursor.fetchall()

    return run


def measure(client: Client, url: str) -> tuple[float, int]:
    """The page's median time and its number of queries."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        status = client.get(url).status_code
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    return best(partial(client.get, url)), counter.count


def main() -> None:
    started = time.perf_counter()
    load()
    analyze()
    today = timezone.localdate()
    print(machine_line())
    print(f"Data: {Unit.objects.count()} units, {Task.objects.count()} tasks, {ProgressUpdate.objects.count()} "
          f"progress updates (loaded in {time.perf_counter() - started:.0f} s)\n")  # fmt: skip
    cases = [
        ("Province overview (chutich)", "chutich", None),
        ("Vice-Chairman's view (pct.kinhte)", "pct.kinhte", "vc"),
    ]
    print(
        f"{'page':<40}{'page ms':>9}{'app SQL ms':>12}{'floor ms':>10}{'page/floor':>12}{'(page-base)/floor':>19}"
        f"{'app/floor':>11}{'queries':>9}"
    )
    for label, username, scope in cases:
        person = Person.objects.get(username=username)
        qs = overview.tasks_in_scope(person)
        unit_ids = sorted(person.charged_unit_ids) if scope else None
        # Not the test environment's instrumented templates (they copy the context at every render): the page as
        # the app serves it, through the whole middleware stack.
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person)
        base, _queries = measure(client, reverse("core:notifications"))
        print(f"{'  base: the notifications page (' + username + ')':<40}{base * 1000:>9.1f}")
        rows = [
            (label, "/tong-quan/", partial(overview_answer, qs, today), floor_overview(unit_ids, today)),
            (f"  task list, overdue ({username})", LIST_URL, partial(list_answer, person, today),
             floor_list(unit_ids, today)),
        ]  # fmt: skip
        for row_label, url, app_fn, floor_fn in rows:
            page, queries = measure(client, url)
            app, floor = best(app_fn), best(floor_fn)
            print(f"{row_label:<40}{page * 1000:>9.1f}{app * 1000:>12.1f}{floor * 1000:>10.1f}{page / floor:>12.2f}"
                  f"{(page - base) / floor:>19.2f}{app / floor:>11.2f}{queries:>9}")  # fmt: skip
    print("\npage = the whole HTTP response through the test client (templates included); base = the same for a"
          "\npage with the layout and a short list (the fixed cost of any page: session, permissions, navigation);"
          "\napp SQL = the app's own queries for the same numbers; floor = one hand-written SQL query per answer."
          f"\nMedians of {REPEAT} runs.")  # fmt: skip


if __name__ == "__main__":
    main()
