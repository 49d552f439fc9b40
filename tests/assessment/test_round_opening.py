"""Opening a round in the background: the page creates the round, a job creates the sheets chunk by chunk, the
round's page shows how far it has got and reloads itself when the round is open; the job is idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.assessment.conftest import CUT_OFF, only_heads_of
from trongtam.assessment.domain import rounds
from trongtam.assessment.enums import RoundStatus
from trongtam.assessment.models import Round, RubricVersion
from trongtam.core.errors import TransitionNotAllowed
from trongtam.core.models import Notification
from trongtam.cycles.models import Period
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

HEADS = ["STC", "SCT", "SXD"]


@pytest.fixture
def opening(person: Any, period: Period, rubric_2026: RubricVersion) -> Round:
    only_heads_of(HEADS)
    return rounds.start_round(
        period, rubric_2026, name="Đánh giá năm 2026", cut_off=CUT_OFF, by=person("noivu")
    )


def _told(rnd: Round) -> int:
    return Notification.objects.filter(title__contains=f"«{rnd.name}» đã mở").count()


def test_a_started_round_has_no_sheet_yet_and_cannot_be_signed(opening: Round, person: Any) -> None:
    assert (opening.status, opening.expected_sheets, opening.sheets.count()) == (RoundStatus.OPENING, 3, 0)

    with pytest.raises(TransitionNotAllowed):
        rounds.sign_round(opening.pk, by=person("chutich"), expected_version=opening.version)


def test_the_job_fills_the_round_chunk_by_chunk_then_opens_it_and_tells_each_head_once(
    opening: Round,
) -> None:
    created = rounds.fill_round(opening.pk, chunk=2)  # two transactions: 2 heads, then 1

    rnd = Round.objects.get(pk=opening.pk)
    assert created == 3
    assert (rnd.status, rnd.sheets.count()) == (RoundStatus.OPEN, 3)
    assert sorted(rnd.sheets.values_list("unit__code", flat=True)) == sorted(HEADS)
    assert _told(rnd) == 3

    assert rounds.fill_round(opening.pk) == 0  # run again (a retried job): nothing twice
    assert (rnd.sheets.count(), _told(rnd)) == (3, 3)


def person_unit(code: str) -> int:
    return Unit.objects.get(code=code).pk


def test_a_job_resumed_after_a_partial_run_only_finishes_the_work(opening: Round) -> None:
    first = Round.objects.select_related("rubric", "period").get(pk=opening.pk)
    rounds._create_sheets(first, [p for p in rounds.rated_heads() if p.unit_id == person_unit("SCT")])

    assert rounds.fill_round(opening.pk) == 2
    assert Round.objects.get(pk=opening.pk).sheets.count() == 3


def test_the_page_shows_the_progress_and_reloads_when_open(client_for: Any, opening: Round) -> None:
    client = client_for("noivu")
    detail = client.get(reverse("assessment:round-detail", args=[opening.pk])).content.decode()
    progress = client.get(reverse("assessment:round-progress", args=[opening.pk]))

    assert 'id="opening-bar"' in detail
    assert 'max="3" value="0"' in detail
    assert progress.status_code == 200
    assert "0/3" in progress.content.decode()

    rounds.fill_round(opening.pk)
    done = client.get(reverse("assessment:round-progress", args=[opening.pk]))

    assert (done.status_code, done["HX-Refresh"]) == (204, "true")
    assert (
        'id="opening-bar"'
        not in client.get(reverse("assessment:round-detail", args=[opening.pk])).content.decode()
    )


def test_only_those_who_see_rounds_poll_the_progress(client_for: Any, opening: Round) -> None:
    assert (
        client_for("congdan").get(reverse("assessment:round-progress", args=[opening.pk])).status_code == 403
    )
