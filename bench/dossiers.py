"""Benchmark: importing a large province's year of one-stop dossiers, then the statistics page and the public
scoreboard against their SQL floor.

Loads (once, into its own database: bench_dossiers.sqlite3, or DOSSIERS_DATABASE_URL) the demo province with 1,000
units and 200 procedures, writes a CSV of 3,000,000 dossiers as the provincial dossier systems export them (the
file is streamed to disk, never held in memory), then imports a prefix of it -- its first 300,000 rows -- and then
the whole file, each in a fresh process, as `manage.py import_dossiers` does, printing the throughput
(rows per second) and the peak memory of each (peak memory must stay flat as the file grows: the importer streams).
A prefix re-imports the rows the previous one wrote (they come back "unchanged"), so the last run also measures
the idempotent path.

Then, on the 3,000,000 dossiers, it times the statistics page (`/ho-so/thong-ke/`, the Chairman, the year by unit)
and the public scoreboard (`/cong-khai/bang-xep-hang/`, anonymous) through the test client, the app's queries
alone, and the plain SQL that gives the same numbers, as ratios, with the number of queries of each page.

    make bench-dossiers                                   # SQLite
    DOSSIERS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/trongtam_bench_dossiers make bench-dossiers
    .venv/bin/python bench/dossiers.py --rows 300000      # a smaller run
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the project on the path

import bench._dossiers_db  # noqa: F401 -- its own database, chosen before Django is set up

# Sets Django up on the benchmark database: before anything of Django or of the app is imported.
from bench._common import machine_line

# isort: split
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trongtam.dossiers.enums import DossierStatus, ProcedureLevel
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.enums import UnitKind
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.queries import work_calendar

ROOT = Path(__file__).resolve().parents[1]
UNITS, PROCEDURES, ROWS = 1000, 200, 3_000_000
PREFIXES = (300_000,)  # imported before the whole file: peak memory must not grow with the rows
REPEAT = 5
DATA = ROOT / "bench" / "data"
HEADER = ["MaHoSo", "MaTTHC", "MaDonVi", "KenhThucHien", "TrangThaiHoSoId", "ChuHoSo", "SoDienThoai", "DiaChi",
          "NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra"]  # fmt: skip
FIRST_DAY, LAST_DAY = dt.date(2026, 1, 2), dt.date(2026, 11, 20)
TODAY = dt.date(2026, 11, 23)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Hữu Cường",
    "Thị Dung",
    "Minh Đức",
    "Thu Hà",
    "Quốc Hùng",
    "Thị Lan",
    "Ngọc Mai",
]


def load() -> tuple[list[str], list[tuple[str, int]]]:
    """The demo province, plus units up to 1,000 and a catalog of 200 procedures (once). Returns the unit codes
    and the (procedure code, processing days) the file uses."""
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(2026)
    province = Unit.objects.get(code="UBND")
    missing = UNITS - Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PROVINCE).count()
    if missing > 0:
        Unit.objects.bulk_create(
            [
                Unit(code=f"BD{i:04d}", name=f"Xã Bình An {i}", kind=UnitKind.COMMUNE, parent=province,
                     search_text=f"xa binh an {i}")
                for i in range(missing)
            ],
            batch_size=500,
        )  # fmt: skip
    if Procedure.objects.filter(code__startswith="BD.").count() < PROCEDURES:
        for i in range(PROCEDURES):
            Procedure.objects.get_or_create(
                code=f"BD.{i:03d}",
                defaults={"name": f"Thủ tục hành chính số {i}", "field": f"Lĩnh vực {i % 20}",
                          "level": ProcedureLevel.COMMUNE if i % 3 else ProcedureLevel.PROVINCE,
                          "processing_days": rng.choice([0, 1, 3, 5, 5, 7, 10, 15, 20])},
            )  # fmt: skip
    units = list(
        Unit.objects.filter(is_active=True)
        .exclude(kind=UnitKind.PROVINCE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    procedures = list(
        Procedure.objects.filter(code__startswith="BD.")
        .order_by("code")
        .values_list("code", "processing_days")
    )
    return units, procedures


def rows(count: int, units: list[str], procedures: list[tuple[str, int]]) -> Iterator[list[str]]:
    """`count` dossiers as a provincial system exports them: the same first rows whatever `count` (one seed)."""
    rng = random.Random(335)
    calendar = work_calendar()
    span = (LAST_DAY - FIRST_DAY).days
    statuses = [DossierStatus.RETURNED] * 12 + [DossierStatus.DONE] * 3 + [DossierStatus.IN_PROCESS] * 2 + [
        DossierStatus.RECEIVED, DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.WITHDRAWN]  # fmt: skip
    for i in range(count):
        procedure, days = procedures[rng.randrange(len(procedures))]
        received = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        received_at = dt.datetime.combine(received, dt.time(7 + rng.randrange(10), rng.randrange(60)))
        status = rng.choice(statuses)
        finished = returned = ""
        if status in (DossierStatus.DONE, DossierStatus.RETURNED, DossierStatus.WITHDRAWN):
            late = rng.random() < 0.06
            took = max(days + (rng.randint(1, 5) if late else -rng.randint(0, min(days, 3))), 0)
            end = calendar.add_working_days(received, took)
            end = max(min(end, TODAY), received)
            finished = end.strftime("%d/%m/%Y")
            if status == DossierStatus.RETURNED:
                returned = min(calendar.add_working_days(end, rng.randint(0, 2)), TODAY).strftime("%d/%m/%Y")
        yield [
            f"BD-{i:08d}", procedure, units[rng.randrange(len(units))], str(rng.choice([1, 1, 2, 2, 2, 3])),
            str(int(status)), f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", f"09{rng.randrange(10**8):08d}",
            f"Thôn {rng.randint(1, 30)}", received_at.strftime("%d/%m/%Y %H:%M"),
            received_at.strftime("%d/%m/%Y %H:%M"), finished, returned,
        ]  # fmt: skip


def write_csv(path: Path, count: int, units: list[str], procedures: list[tuple[str, int]]) -> None:
    """The file, streamed to disk row by row (once; a later run reuses it)."""
    if path.exists():
        return
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(count, units, procedures))
    partial.rename(path)


def import_in_child(path: Path) -> tuple[float, int, str]:
    """Import `path` in a fresh process, as cron would run it: (seconds, peak resident memory in bytes, its
    last line of output). The peak is the child's own, from wait4."""
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py, the file we wrote
        [sys.executable, str(ROOT / "manage.py"), "import_dossiers", str(path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = child.stdout.read() if child.stdout is not None else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"import of {path.name} failed:\n{output}")
    lines = [line for line in output.splitlines() if line.strip()]
    return seconds, usage.ru_maxrss * 1024, lines[-1] if lines else ""


# -- the floor: the same figures in plain SQL ------------------------------------------------------------------

RECEIVED = "(2, 4, 5, 6, 7, 8, 9, 10)"
NOT_ENDED = "(2, 4, 5, 6)"
ENDED = "(7, 8, 9, 10)"
COLUMNS = ["received_online", "received_counter", "received_post", "carried_over", "early", "on_time", "late",
           "open_in_time", "open_overdue", "supplement", "stopped", "awaiting_fees", "withdrawn"]  # fmt: skip


def column_sql(start: str, end: str) -> list[str]:
    """The condition of each column of the report for the window [start, end] (dates as SQL literals), written
    from domain-vn.md §3.4 (the same definitions `trongtam.dossiers.domain.statistics` documents)."""
    received = f"received_on >= {start} AND received_on <= {end}"
    processed = f"status IN (9, 10) AND (finished_on <= {end} OR finished_on IS NULL)"
    open_at = (f"(status IN (2, 4) OR (status IN {ENDED} AND finished_on > {end}) "
               f"OR (status = 5 AND supplement_requested_on > {end}))")  # fmt: skip
    return [
        f"{received} AND channel = 2",
        f"{received} AND channel = 1",
        f"{received} AND channel = 3",
        f"received_on < {start}",
        f"{processed} AND finished_on < due_date",
        f"{processed} AND (due_date IS NULL OR finished_on IS NULL OR finished_on = due_date)",
        f"{processed} AND finished_on > due_date",
        f"{open_at} AND (due_date >= {end} OR due_date IS NULL)",
        f"{open_at} AND due_date < {end}",
        f"status = 5 AND (supplement_requested_on <= {end} OR supplement_requested_on IS NULL)",
        f"status = 8 AND (finished_on <= {end} OR finished_on IS NULL)",
        "status = 6",
        f"status = 7 AND (finished_on <= {end} OR finished_on IS NULL)",
    ]


def floor_by_unit(start: dt.date, end: dt.date) -> dict[int, tuple[int, ...]]:
    """The report's dossier columns per unit for [start, end], one grouped statement through a raw cursor."""
    s, e = f"'{start.isoformat()}'", f"'{end.isoformat()}'"
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in column_sql(s, e))
    sql = (f"SELECT unit_id, {sums} FROM dossiers_dossier WHERE status IN {RECEIVED} AND received_on <= {e} "
           f"AND (received_on >= {s} OR status IN {NOT_ENDED} OR finished_on >= {s}) GROUP BY unit_id")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}


def floor_side_counts(start: dt.date, end: dt.date) -> tuple[list[Any], ...]:
    """Apology letters signed, ratings given (with the satisfied ones and the sum) and feedback per unit."""
    first, after = statistics_moments(start, end)
    queries: list[tuple[str, list[Any]]] = [
        ("SELECT d.unit_id, COUNT(*) FROM dossiers_apologyletter l JOIN dossiers_dossier d ON d.id = l.dossier_id "
         "WHERE l.status IN ('approved', 'sent') AND l.approved_at >= %s AND l.approved_at < %s GROUP BY d.unit_id",
         [first, after]),
        ("SELECT d.unit_id, COUNT(*), SUM(CASE WHEN r.satisfaction >= 4 THEN 1 ELSE 0 END), SUM(r.satisfaction) "
         "FROM dossiers_dossierrating r JOIN dossiers_dossier d ON d.id = r.dossier_id "
         "WHERE r.rated_at >= %s AND r.rated_at < %s GROUP BY d.unit_id", [first, after]),
        ("SELECT unit_id, COUNT(*), SUM(CASE WHEN status IN ('answered', 'closed') AND answered_on IS NOT NULL "
         "THEN 1 ELSE 0 END), SUM(CASE WHEN status IN ('answered', 'closed') AND answered_on IS NOT NULL "
         "AND answered_on <= response_due THEN 1 ELSE 0 END) FROM feedback_feedback "
         "WHERE received_on >= %s AND received_on <= %s GROUP BY unit_id", [start, end]),
    ]  # fmt: skip
    results = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return tuple(results)


def statistics_moments(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    after = end + dt.timedelta(days=1)
    return (timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(after, dt.time.min)))  # fmt: skip


def monthly_statement(start: dt.date, end: dt.date) -> tuple[str, Any]:
    """The one grouped statement that counts the dossiers for the monthly trend, as the app sends it: every dossier
    tagged, in SQL, with the month it was received, ended, asked for papers and first overdue in, counted per
    combination. No plainer SQL gives each month's own report (a statement per month costs far more), so this
    statement, run through a raw cursor, is the monthly part of the floor."""
    from trongtam.dossiers.domain import statistics as stats

    captured: list[tuple[str, Any]] = []

    def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if "dossiers_dossier" in sql and "CASE" in sql and not captured:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        stats.report(Unit.objects.all(), stats.Filters(stats.Window(start, end)), stats.Grouping.MONTH)
    return captured[0]


def floor_statistics_page(start: dt.date, end: dt.date, monthly: tuple[str, Any]) -> object:
    """What the statistics page shows: by unit (the dossier columns, letters, ratings, the units' names) and the
    monthly trend (the grouped statement above, the letters and ratings of the range)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, name FROM org_unit")
        names = cursor.fetchall()
        cursor.execute(*monthly)
        trend = cursor.fetchall()
    return (
        floor_by_unit(start, end),
        floor_side_counts(start, end)[:2],
        names,
        trend,
        floor_side_counts(start, end)[:2],
    )


def floor_unit_report(start: dt.date, end: dt.date) -> object:
    """The report by unit alone: the dossier columns, letters and ratings per unit, the units' names."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, name FROM org_unit")
        names = cursor.fetchall()
    return floor_by_unit(start, end), floor_side_counts(start, end)[:2], names


def floor_scoreboard(start: dt.date, end: dt.date) -> object:
    """What the scoreboard shows: the dossier columns, letters, ratings and feedback per active unit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, name, kind FROM org_unit WHERE is_active")
        names = cursor.fetchall()
    return floor_by_unit(start, end), floor_side_counts(start, end), names


# -- timing ------------------------------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def median_time(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def counted(fn: Callable[[], object]) -> int:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    return counter.count


def floor_agrees(start: dt.date, end: dt.date) -> bool:
    """The floor gives every unit the same columns as the app's report (so the ratio compares like with like)."""
    from trongtam.dossiers.domain import statistics as stats

    report = stats.report(Unit.objects.all(), stats.Filters(stats.Window(start, end)), stats.Grouping.UNIT)
    app = {row.key: tuple(getattr(row.figures, name) for name in COLUMNS) for row in report.rows}
    floor = floor_by_unit(start, end)
    return {k: v for k, v in app.items() if any(v)} == {k: v for k, v in floor.items() if any(v)}


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def page(client: Client, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url, REMOTE_ADDR=f"198.51.100.{random.randrange(1, 250)}")
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return get


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=ROWS, help="rows of the whole file (default 3,000,000)")
    parser.add_argument(
        "--pages", action="store_true", help="time the pages only, on the dossiers already loaded"
    )
    options = parser.parse_args()
    rows_total = options.rows
    print(machine_line())
    units, procedures = load()
    sizes = [size for size in PREFIXES if size < rows_total] + [rows_total]
    print(
        f"Province: {len(units):,} units, {len(procedures)} procedures; files of {', '.join(f'{s:,}' for s in sizes)} rows"
    )
    for size in sizes:
        path = DATA / f"ho-so-{size}.csv"
        started = time.perf_counter()
        existed = path.exists()
        write_csv(path, size, units, procedures)
        if not existed:
            print(
                f"  wrote {path.name} ({path.stat().st_size / 2**20:,.0f} MiB) in {time.perf_counter() - started:,.0f} s"
            )

    if not options.pages:
        print(
            "\n(a) Import, each file in a fresh process (`manage.py import_dossiers FILE`), all or nothing:"
        )
        print(f"  {'rows':>10}  {'seconds':>8}  {'rows/s':>8}  {'peak RSS':>9}  result")
        for size in sizes:
            path = DATA / f"ho-so-{size}.csv"
            seconds, peak, result = import_in_child(path)
            print(
                f"  {size:>10,}  {seconds:>8,.1f}  {size / seconds:>8,.0f}  {peak / 2**20:>6,.0f} MiB  {result}"
            )
        print(
            "  (each file starts with the rows of the one before: those come back unchanged, the rest are created)"
        )
    analyze()
    total = Dossier.objects.count()

    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), today
    chairman = Person.objects.get(username="chutich")
    # The page as the app serves it, through the whole middleware stack (not the test environment's templates).
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(chairman)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    statistics_url = reverse("dossiers:statistics")
    scoreboard_url = reverse("public:scoreboard")
    print(f"\n(b) Pages on {total:,} dossiers, {start:%d/%m/%Y}–{end:%d/%m/%Y} (median of {REPEAT}):")
    print(f"  the floor gives every unit the app's figures: {floor_agrees(start, end)}")
    monthly = monthly_statement(start, end)
    from django.test.utils import override_settings

    with override_settings(PUBLIC_SCOREBOARD_RATE="100000/m"):
        rows = []
        for label, fn, floor in (
            (
                "statistics page (Chairman, by unit)",
                page(client, statistics_url),
                lambda: floor_statistics_page(start, end, monthly),
            ),
            (
                "public scoreboard (anonymous)",
                page(anonymous, scoreboard_url),
                lambda: floor_scoreboard(start, end),
            ),
        ):
            app_time, floor_time = median_time(fn), median_time(floor)
            rows.append((label, app_time, floor_time, counted(fn)))
        empty = median_time(page(client, reverse("core:notifications")))
    from trongtam.dossiers.domain import statistics as stats
    from trongtam.public.domain import scoreboard

    window = stats.Filters(stats.Window(start, end))
    alone = [
        ("  its report by unit alone (report())", lambda: stats.report(Unit.objects.all(), window, stats.Grouping.UNIT),
         lambda: floor_unit_report(start, end)),
        ("  the scoreboard alone (build())", lambda: scoreboard.build(scoreboard.Window(start.year, "", start, end), today),
         lambda: floor_scoreboard(start, end)),
    ]  # fmt: skip
    for label, fn, floor in alone:
        rows.append((label, median_time(fn), median_time(floor), counted(fn)))
    for label, app_time, floor_time, queries in rows:
        print(f"  {label:<38} app {app_time * 1000:>8,.0f} ms   floor {floor_time * 1000:>8,.0f} ms   "
              f"ratio {app_time / floor_time:>5.2f}×   {queries} queries")  # fmt: skip
    print(
        f"  (an empty page of the app, the notifications, costs {empty * 1000:,.0f} ms: session, permissions, layout)"
    )


if __name__ == "__main__":
    main()
