"""The public scoreboard: its numbers against a direct count, the minimum volume for a rank, one denominator,
constant queries, the period, the exports and the API giving the same numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.domain.statistics import Figures
from trongtam.dossiers.enums import DossierStatus, LetterStatus
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating
from trongtam.feedback.enums import Category, FeedbackStatus, SubjectKind
from trongtam.feedback.models import Feedback
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit
from trongtam.public.domain import scoreboard
from trongtam.public.domain.scoreboard import UnitRow, Window, build, rank_rows, window

TODAY = dt.date(2026, 11, 23)
YEAR = window(2026, "", TODAY)
S = DossierStatus
_codes = itertools.count(1)


def _finished(unit: str, received: dt.date, finished: dt.date, status: int = S.DONE) -> Dossier:
    return make_dossier(unit, make_procedure("T-SB-05", 5), at(received), status=status, finished_on=finished)


def feedback(
    unit: Unit, received: dt.date, due: dt.date, answered: dt.date | None = None, **extra: Any
) -> Feedback:
    return Feedback.objects.create(
        tracking_code=f"PA-T{next(_codes):05d}",
        category=Category.DELAY,
        subject_kind=SubjectKind.UNIT,
        unit=unit,
        content="Hồ sơ chậm.",
        received_at=at(received),
        received_on=received,
        response_due=due,
        status=FeedbackStatus.ANSWERED if answered else FeedbackStatus.RECEIVED,
        answered_on=answered,
        answer="Đã xử lý." if answered else "",
        **extra,
    )


@pytest.fixture
def xa05(db: None) -> Unit:
    """A new commune, XA99, apart from the demo's dossiers, with a year of figures: 3 on time (one early), 2 late, 1 received last year and finished in
    time this year, 1 withdrawn, 1 open overdue, 1 open in time, 1 refused, 1 letter, 3 feedback, 2 ratings."""
    unit = Unit.objects.create(
        code="XA99",
        name="Xã Thử Nghiệm Công Khai",
        kind=UnitKind.COMMUNE,
        parent=Unit.objects.get(code="UBND"),
    )
    _finished("XA99", dt.date(2026, 3, 2), dt.date(2026, 3, 9))  # on its due date
    _finished("XA99", dt.date(2026, 3, 2), dt.date(2026, 3, 5), S.RETURNED)  # early
    on_time = _finished("XA99", dt.date(2026, 4, 6), dt.date(2026, 4, 10))
    late = _finished("XA99", dt.date(2026, 3, 2), dt.date(2026, 3, 12))
    _finished("XA99", dt.date(2026, 5, 4), dt.date(2026, 6, 1), S.RETURNED)
    _finished(
        "XA99", dt.date(2025, 12, 29), dt.date(2026, 1, 5)
    )  # received last year: processed, not received
    make_dossier(
        "XA99", make_procedure("T-SB-05", 5), at(dt.date(2026, 10, 1)), status=S.IN_PROCESS
    )  # overdue
    make_dossier("XA99", make_procedure("T-SB-05", 5), at(dt.date(2026, 10, 1)), status=S.REFUSED)
    make_dossier(
        "XA99", make_procedure("T-SB-05", 5), at(dt.date(2026, 11, 20)), status=S.IN_PROCESS
    )  # in time
    _finished("XA99", dt.date(2026, 6, 8), dt.date(2026, 6, 10), S.WITHDRAWN)
    ApologyLetter.objects.create(
        dossier=late,
        reason="Chờ xác minh.",
        new_due_date=dt.date(2026, 3, 13),
        status=LetterStatus.SENT,
        approved_at=at(dt.date(2026, 3, 6)),
        sent_at=at(dt.date(2026, 3, 6), 15),
    )
    ApologyLetter.objects.create(  # a draft is not issued
        dossier=on_time, reason="Dự thảo.", new_due_date=dt.date(2026, 4, 20), status=LetterStatus.DRAFT
    )
    feedback(unit, dt.date(2026, 2, 2), dt.date(2026, 2, 20), answered=dt.date(2026, 2, 10))
    feedback(unit, dt.date(2026, 2, 2), dt.date(2026, 2, 20), answered=dt.date(2026, 2, 25))
    feedback(unit, dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    DossierRating.objects.create(dossier=late, satisfaction=2)
    DossierRating.objects.create(dossier=on_time, satisfaction=5)
    DossierRating.objects.filter(dossier__in=[late, on_time]).update(rated_at=at(dt.date(2026, 6, 15)))
    return unit


def _row(board: scoreboard.Scoreboard, code: str) -> UnitRow:
    return next(row for row in board.rows() if row.code == code)


def _direct(unit_id: int, period: Window, cut_off: dt.date) -> dict[str, int]:
    """The same figures, one plain count at a time, for one unit, judged as of `cut_off`."""
    mine = Dossier.objects.filter(unit_id=unit_id)
    span = (period.start, cut_off)
    processed = mine.filter(status__in=[S.DONE, S.RETURNED], finished_on__range=span)
    begin = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(cut_off + dt.timedelta(days=1), dt.time.min))
    fb = Feedback.objects.filter(unit_id=unit_id, received_on__range=(period.start, period.end))
    answered = fb.filter(
        status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED], answered_on__isnull=False
    )
    return {
        "received": mine.filter(received_on__range=span)
        .exclude(status__in=[S.SUBMITTED_ONLINE, S.REFUSED])
        .count(),
        "processed": processed.count(),
        "on_time": processed.filter(Q(due_date__isnull=True) | Q(finished_on__lte=F("due_date"))).count(),
        "late": processed.filter(finished_on__gt=F("due_date")).count(),
        "withdrawn": mine.filter(status=S.WITHDRAWN, finished_on__range=span).count(),
        "open_overdue": mine.filter(
            status__in=[S.RECEIVED, S.IN_PROCESS], received_on__lte=cut_off, due_date__lt=cut_off
        ).count(),
        "letters": ApologyLetter.objects.filter(
            dossier__unit_id=unit_id,
            status__in=[LetterStatus.APPROVED, LetterStatus.SENT],
            approved_at__gte=begin,
            approved_at__lt=after,
        ).count(),
        "feedback_received": fb.count(),
        "feedback_answered": answered.count(),
        "feedback_on_time": answered.filter(answered_on__lte=F("response_due")).count(),
        "ratings": DossierRating.objects.filter(
            dossier__unit_id=unit_id, rated_at__gte=begin, rated_at__lt=after
        ).count(),
    }


def _figures(row: UnitRow) -> dict[str, int]:
    return {key: getattr(row, key) for key in _direct(row.unit_id, YEAR, TODAY)}


def test_the_figures_of_a_unit(xa05: Unit) -> None:
    board = build(YEAR, TODAY, minimum=3)
    row = _row(board, "XA99")
    assert (row.received, row.processed, row.on_time, row.late, row.withdrawn) == (8, 6, 4, 2, 1)
    assert row.on_time_rate == Decimal("71.43")  # (4 + 1 withdrawn) / (6 + 1)
    assert row.open_overdue == 1
    assert row.letters == 1
    assert (row.feedback_received, row.feedback_answered, row.feedback_on_time) == (3, 2, 1)
    assert (row.ratings, row.satisfied, row.satisfied_rate) == (2, 1, Decimal("50.00"))
    assert row.group == scoreboard.GROUP_COMMUNES
    assert row.rank is not None


def test_every_unit_matches_a_direct_count(xa05: Unit) -> None:
    _finished("STC", dt.date(2026, 6, 1), dt.date(2026, 6, 3))
    board = build(YEAR, TODAY)
    assert board.rows()
    for row in board.rows():
        assert _figures(row) == _direct(row.unit_id, YEAR, TODAY), row.code


def test_a_quarter_and_a_month_count_only_their_days(xa05: Unit) -> None:
    q1 = window(2026, "q1", TODAY)
    assert (q1.start, q1.end, q1.label) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "Quý I năm 2026")
    row = _row(build(q1, TODAY), "XA99")
    assert (row.processed, row.on_time, row.late, row.letters) == (4, 3, 1, 1)
    june = window(2026, "t6", TODAY)
    assert (june.start, june.end, june.label) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 30),
        "Tháng 6 năm 2026",
    )
    assert (_row(build(june, TODAY), "XA99").processed, _row(build(june, TODAY), "XA99").withdrawn) == (1, 1)


def test_a_period_asked_for_wrongly_is_this_year() -> None:
    assert window("abc", "q9", TODAY) == window(None, "", TODAY) == YEAR
    assert window(1990, "", TODAY).year == 2026
    assert window(2025, "t12", TODAY).end == dt.date(2025, 12, 31)


def test_below_the_minimum_a_unit_is_listed_not_ranked(xa05: Unit) -> None:
    Unit.objects.create(
        code="XA98", name="Xã Ít Hồ Sơ", kind=UnitKind.COMMUNE, parent=Unit.objects.get(code="UBND")
    )
    for day in (1, 2):
        _finished("XA98", dt.date(2026, 6, day), dt.date(2026, 6, day + 1))
    board = build(YEAR, TODAY, minimum=3)
    xa06 = _row(board, "XA98")
    assert (xa06.processed, xa06.on_time_rate, xa06.rank) == (2, Decimal("100.00"), None)
    assert _row(board, "XA99").rank is not None  # 71.43 % of 7 is ranked, an unranked 100 % of 2 is not
    communes = next(g for g in board.groups if g.key == scoreboard.GROUP_COMMUNES)
    codes = [row.code for row in communes.rows]
    assert codes.index("XA99") < codes.index("XA98")  # the ranked first
    assert {row.code for row in communes.rows} >= {f"XA{n:02d}" for n in range(1, 31)}  # every commune listed


def test_the_minimum_is_a_setting_stated_on_the_page(settings: Any, xa05: Unit) -> None:
    settings.PUBLIC_SCOREBOARD_MIN_DOSSIERS = 8
    assert build(YEAR, TODAY).minimum == 8
    assert _row(build(YEAR, TODAY), "XA99").rank is None  # 7 settled
    settings.PUBLIC_SCOREBOARD_MIN_DOSSIERS = 7
    assert _row(build(YEAR, TODAY), "XA99").rank is not None
    page = Client().get(reverse("public:scoreboard"), {"nam": "2026"}).content.decode()
    assert "chỉ xếp hạng đơn vị có từ 7 hồ sơ đã giải quyết hoặc rút trong kỳ" in page


MAX_QUERIES = 6  # the statistics report's four, the feedback's, the units'


def _queries(call: Any) -> int:
    """The queries of `call`, leaving out the throttle's counter in the shared cache (a fixed dozen statements
    of Django's database cache, savepoints included)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return sum(
        1
        for q in captured.captured_queries
        if "trongtam_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    )


def test_the_build_takes_the_same_queries_whatever_the_volume(xa05: Unit) -> None:
    before = _queries(lambda: build(YEAR, TODAY))
    for code in ("XA07", "XA08", "XA09", "STC", "SXD"):
        for day in (1, 2, 3):
            late = _finished(code, dt.date(2026, 7, day), dt.date(2026, 8, 1))
            DossierRating.objects.create(dossier=late, satisfaction=3)
        feedback(Unit.objects.get(code=code), dt.date(2026, 7, 1), dt.date(2026, 7, 20))
    assert _queries(lambda: build(YEAR, TODAY)) == before <= MAX_QUERIES


def test_the_page_reads_a_constant_number_of_queries(xa05: Unit) -> None:
    client = Client()
    before = _queries(lambda: client.get(reverse("public:scoreboard"), {"nam": "2026"}))
    for code in ("XA10", "XA11", "STC"):
        _finished(code, dt.date(2026, 7, 1), dt.date(2026, 7, 2))
    assert (
        _queries(lambda: client.get(reverse("public:scoreboard"), {"nam": "2026"})) == before <= MAX_QUERIES
    )


def test_the_page_states_its_period_and_shows_the_chart_and_the_table(settings: Any, xa05: Unit) -> None:
    settings.PUBLIC_SCOREBOARD_MIN_DOSSIERS = 3
    body = Client().get(reverse("public:scoreboard"), {"nam": "2026", "ky": "q1"}).content.decode()
    assert "Quý I năm 2026 (từ 01/01/2026 đến 31/03/2026)" in body
    assert 'id="table-communes"' in body
    assert 'id="chart-communes"' in body
    script = re.search(r'id="scoreboard-data" type="application/json">(.*?)</script>', body, re.S)
    assert script is not None
    data = json.loads(script[1])
    communes = next(group for group in data["groups"] if group["key"] == "communes")
    today = timezone.localdate()
    board = build(window(2026, "q1", today), today)
    ranked = [row for row in board.groups[1].rows[:50] if row.rank is not None]
    # The chart: the ranked units of the table's page, with the table's rates.
    assert communes["labels"] == [f"{row.rank}. {row.name}" for row in ranked]
    assert communes["data"] == [float(row.on_time_rate or 0) for row in ranked]
    assert f"{_row(board, 'XA99').rank}. {xa05.name}" in communes["labels"]
    assert "vendor/echarts/echarts.min.js" in body
    assert xa05.name in body


def test_the_csv_and_the_workbook_carry_the_table(xa05: Unit) -> None:
    board = build(YEAR, TODAY)
    client = Client()
    response = client.get(reverse("public:scoreboard-export"), {"nam": "2026", "dinh_dang": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Nhóm", "Hạng", "Mã đơn vị", "Đơn vị"]
    assert len(rows) == 1 + len(board.rows())
    line = next(r for r in rows if r[2] == "XA99")
    assert line[4:11] == ["8", "6", "4", "2", "1", "71.43", "1"]
    workbook = client.get(reverse("public:scoreboard-export"), {"nam": "2026", "dinh_dang": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any("từ 01/01/2026 đến 31/12/2026" in str(row[0]) for row in values[:3])
    assert sum(1 for row in values if row[2] == "XA99") == 1


def test_the_api_gives_the_page_numbers(xa05: Unit) -> None:
    response = Client().get("/api/v1/public/scoreboard", {"year": "2026", "part": "q1"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"]["label"] == "Quý I năm 2026"
    rows = [row for group in data["groups"] for row in group["rows"]]
    xa05_row = next(row for row in rows if row["unit_code"] == "XA99")
    expected = _row(build(window(2026, "q1", timezone.localdate()), timezone.localdate()), "XA99")
    assert xa05_row["processed"] == expected.processed == 4
    assert Decimal(xa05_row["on_time_rate"]) == expected.on_time_rate
    assert Client().get("/api/v1/public/scoreboard", {"part": "q7"}).status_code == 422
    assert Client().get("/api/v1/public/scoreboard", {"year": "1990"}).status_code == 400


def _unit_rows(processed_and_on_time: list[tuple[int, int]]) -> list[UnitRow]:
    """Units with `p` processed dossiers of which `o` on time (the rest late)."""
    return [
        UnitRow(
            unit_id=i,
            code=f"U{i}",
            name=f"Đơn vị {i:03d}",
            group="communes",
            figures=Figures(on_time=min(o, p), late=p - min(o, p)),
        )
        for i, (p, o) in enumerate(processed_and_on_time)
    ]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=25),
    st.integers(0, 40),
)
def test_ranks_follow_the_rate_above_the_minimum(volumes: list[tuple[int, int]], minimum: int) -> None:
    rows = rank_rows(_unit_rows(volumes), minimum)
    ranked = [row for row in rows if row.rank is not None]
    assert len(rows) == len(volumes)
    assert all(row.settled >= max(minimum, 1) for row in ranked)
    assert all(row.settled < max(minimum, 1) for row in rows if row.rank is None)
    assert rows[: len(ranked)] == ranked  # the ranked first, then the others
    for better, worse in itertools.pairwise(ranked):
        assert better.exact_rate is not None
        assert worse.exact_rate is not None
        assert better.exact_rate >= worse.exact_rate
        assert (better.rank == worse.rank) == (better.exact_rate == worse.exact_rate)
        assert worse.rank is not None
        assert worse.rank <= ranked.index(worse) + 1
    if ranked:
        assert ranked[0].rank == 1


def test_equal_rates_share_a_rank() -> None:
    rows = rank_rows(_unit_rows([(40, 38), (20, 19), (50, 40), (10, 10)]), 30)
    assert [(row.code, row.rank) for row in rows] == [("U0", 1), ("U2", 2), ("U1", None), ("U3", None)]
    rows = rank_rows(_unit_rows([(40, 38), (60, 57), (50, 40)]), 30)
    assert [(row.code, row.rank) for row in rows] == [("U1", 1), ("U0", 1), ("U2", 3)]


@given(
    year=st.integers(2010, 2030), part=st.sampled_from([code for code, _label in scoreboard.part_choices()])
)
def test_a_period_is_a_whole_year_quarter_or_month(year: int, part: str) -> None:
    chosen = window(year, part, TODAY)
    expected_year = year if scoreboard.FIRST_YEAR <= year <= TODAY.year else TODAY.year
    assert chosen.year == chosen.start.year == chosen.end.year == expected_year
    assert chosen.start.day == 1
    assert (chosen.end + dt.timedelta(days=1)).day == 1  # ends on a month's last day
    months = (chosen.end.year - chosen.start.year) * 12 + chosen.end.month - chosen.start.month + 1
    assert months == {"": 12, "q": 3, "t": 1}[part[:1]]
