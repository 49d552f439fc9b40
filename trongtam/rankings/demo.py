"""Demo data for the league's trend, for `seed_demo`: last year's results (2025), signed.

The league compares a round with the signed round of the year before, so the demo needs one: the period 2025,
the demo rubric imported for it, a round opened for every rated head (`open_round`), the points of last year
written in bulk (plausible and varied, drawn from each unit's code so they are the same on every run), the facts
Home Affairs recorded (`record_facts`: two heads disciplined, one inspection violation, so that a repeat appears
when the same is recorded in 2026), and the Chairman's sign-off (`sign_round`). The points and the sheets' steps
are written directly rather than through each head's self-assessment and review: they are history, not the story
the demo shows. The notifications those steps send are removed (last year's messages are not news).
Idempotent: nothing is added when 2025 already has a signed round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max

from trongtam.assessment.demo import HOME_AFFAIRS, rubric_2026_data
from trongtam.assessment.domain import rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.enums import CriterionKind, RoundStatus, SheetStatus
from trongtam.assessment.models import CriterionScore, Round, ScoreSheet
from trongtam.core.models import Notification
from trongtam.cycles.models import Period
from trongtam.org.models import Person

YEAR = 2025
CHAIRMAN = "chutich"
ROUND_NAME = "Đánh giá, xếp loại người đứng đầu năm 2025"
# Facts of 2025 by unit code: recorded by Home Affairs before the sign-off.
FACTS_2025: dict[str, dict[str, str]] = {
    "SXD": {Fact.DISCIPLINED: "Quyết định số 112/QĐ-UBND ngày 18/9/2025 của UBND tỉnh: kỷ luật khiển trách."},
    "XA05": {
        Fact.DISCIPLINED: "Quyết định số 87/QĐ-UBND ngày 02/10/2025 của UBND tỉnh: kỷ luật khiển trách."
    },
    "XA12": {Fact.INSPECTION_VIOLATION: "Kết luận thanh tra số 21/KL-TTT ngày 15/8/2025 của Thanh tra tỉnh."},
}
# Metric values of last year by metric (low, high): each unit gets a value between them.
METRIC_RANGES = {
    "followup.directive_on_time_rate": (Decimal(62), Decimal(100)),
    "followup.key_task_completion_rate": (Decimal(58), Decimal(100)),
    "followup.key_task_on_time_rate": (Decimal(55), Decimal(100)),
}
OVERDUE = "followup.overdue_led_personally"


def _share(code: str, salt: str) -> Decimal:
    """A number in [0, 1) drawn from the unit's code: the same on every run, different for every unit."""
    digest = hashlib.sha256(f"{code}:{salt}".encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def _period() -> Period:
    period, _created = Period.objects.get_or_create(
        year=YEAR,
        defaults={
            "name": "Năm 2025",
            "theme": "Tinh gọn bộ máy, vận hành chính quyền địa phương hai cấp từ 01/7/2025",
            "start_date": dt.date(YEAR, 1, 1),
            "end_date": dt.date(YEAR, 12, 31),
            "registration_deadline": dt.date(YEAR, 2, 28),
            "midyear_review_date": dt.date(YEAR, 7, 15),
            "final_assessment_date": dt.date(YEAR, 12, 10),
            "commitment_text": "Tôi cam kết thực hiện chủ đề công tác năm 2025 và các nhiệm vụ đã đăng ký.",
        },
    )
    return period


def _points(sheet: ScoreSheet, rows: list[CriterionScore], rubric: rb.Rubric) -> None:
    """Last year's points of one sheet: manual criteria at 70–100 % of their maximum (a bonus for a few),
    automatic ones from plausible metric values."""
    code = sheet.unit.code
    strength = _share(code, "strength")  # one draw per unit, so the criteria of a good unit are good together
    for row in rows:
        criterion = rubric.find(row.code)
        if criterion is None:
            continue
        jitter = _share(code, row.code)
        if criterion.is_automatic:
            if criterion.metric == OVERDUE:
                value = Decimal(1) if _share(code, "overdue") < Decimal("0.15") else Decimal(0)
            else:
                low, high = METRIC_RANGES.get(criterion.metric, (Decimal(60), Decimal(100)))
                value = low + (high - low) * (strength * Decimal("0.7") + jitter * Decimal("0.3"))
            row.metric_value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
            row.record_ids = []
        elif criterion.kind == CriterionKind.BONUS:
            row.points = Decimal(5) if strength > Decimal("0.85") else Decimal(0)
        else:
            share = Decimal("0.68") + Decimal("0.32") * (
                strength * Decimal("0.75") + jitter * Decimal("0.25")
            )
            row.points = (criterion.max_points * share).quantize(Decimal(1), ROUND_HALF_UP)
        row.comment = "Kết quả năm 2025"


def _values(rubric: rb.Rubric, rows: list[CriterionScore]) -> rb.Values:
    """What the rows say, as `rounds.score_of` reads them (without parsing the rubric again per sheet)."""
    points, metrics = {}, {}
    for row in rows:
        criterion = rubric.find(row.code)
        if criterion is None or criterion.is_group:
            continue
        if criterion.is_automatic:
            metrics[criterion.metric] = rb.MetricValue(
                row.metric_value, tuple(row.record_ids), row.record_kind
            )
        elif row.points is not None:
            points[row.code] = row.points
    return rb.Values(points=points, metrics=metrics)


def seed_last_year() -> bool:
    """Seed the signed 2025 round once; True when something was added."""
    if Round.objects.filter(period__year=YEAR, status=RoundStatus.SIGNED).exists():
        return False
    home_affairs = Person.objects.filter(username=HOME_AFFAIRS).first()
    chairman = Person.objects.filter(username=CHAIRMAN).first()
    if home_affairs is None or chairman is None or not rounds.rated_heads():
        return False
    last_note = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    with transaction.atomic():
        period = _period()
        data = rubric_2026_data()
        data["code"] = "ND335-NDD-2025"
        data["title"] = "Bộ tiêu chí đánh giá người đứng đầu năm 2025"
        version = rounds.import_rubric(period, data, by=home_affairs)
        rnd = rounds.open_round(
            period, version, name=ROUND_NAME, cut_off=dt.date(YEAR, 11, 30), by=home_affairs
        )
        rubric = rounds.rubric_of(version)
        sheets = list(rnd.sheets.select_related("unit", "round__rubric"))
        rows_of: dict[int, list[CriterionScore]] = {}
        for row in CriterionScore.objects.filter(sheet__round=rnd):
            rows_of.setdefault(row.sheet_id, []).append(row)
        changed = []
        for sheet in sheets:
            rows = rows_of.get(sheet.pk, [])
            _points(sheet, rows, rubric)
            changed.extend(rows)
            sheet.total = rb.score(rubric, _values(rubric, rows)).total
            sheet.status = SheetStatus.VERIFIED
        # The rows were made a moment ago by open_round: writing them again whole is faster than a bulk update.
        CriterionScore.objects.filter(sheet__round=rnd).delete()
        for row in changed:
            row.pk = None
        CriterionScore.objects.bulk_create(changed, batch_size=500)
        ScoreSheet.objects.bulk_update(sheets, ["total", "status"])
        for sheet in sheets:
            facts = FACTS_2025.get(sheet.unit.code)
            if facts:
                rounds.record_facts(sheet.pk, facts, by=home_affairs, expected_version=sheet.version)
        rnd.refresh_from_db()
        rounds.sign_round(rnd.pk, by=chairman, expected_version=rnd.version)
        # Signed last December, as it would have been (the audit entry keeps the real time of the seeding).
        signed_at = dt.datetime(YEAR, 12, 12, 2, 0, tzinfo=dt.UTC)  # 9:00 in Hà Nội
        opened_at = dt.datetime(YEAR, 11, 3, 2, 0, tzinfo=dt.UTC)
        Round.objects.filter(pk=rnd.pk).update(signed_at=signed_at, opened_at=opened_at)
        Notification.objects.filter(pk__gt=last_note).delete()
    return True
