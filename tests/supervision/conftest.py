"""Fixtures of the supervision tests: records made through the domain functions, in each test's transaction.

The matrix unit is Sở Công Thương (SCT, in the charge of pct.kinhte, not of pct.vanxa): its dialogue is organized
by SCT and chaired by its head, its issue and its recommendation are SCT's to answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from trongtam.org.models import Person, Unit
from trongtam.supervision.demo import seed_supervision
from trongtam.supervision.domain.items import StepInput
from trongtam.supervision.domain.records import (
    DialogueInput,
    IssueInput,
    RecommendationInput,
    SupervisionInput,
    add_issue,
    add_recommendation,
    create_dialogue,
    create_supervision,
)
from trongtam.supervision.enums import Audience, RaiserKind
from trongtam.supervision.models import Dialogue, DialogueIssue, Recommendation, Supervision

HELD = dt.date(2026, 3, 2)  # a Monday
MATRIX_DIALOGUE = "Đối thoại doanh nghiệp ngành công thương (kiểm thử)"
MATRIX_SUPERVISION = "Giám sát quản lý chợ, thương mại (kiểm thử)"


def by(username: str) -> Person:
    return Person.objects.get(username=username)


def unit_pk(code: str) -> int:
    return Unit.objects.values_list("pk", flat=True).get(code=code)


def make_dialogue(
    *, topic: str = MATRIX_DIALOGUE, chair: str = "gd.sct", unit: str = "SCT", held: dt.date = HELD
) -> Dialogue:
    return create_dialogue(
        DialogueInput(
            topic=topic, audience=Audience.BUSINESSES, held_on=held, chaired_by=by(chair).pk,
            organizing_unit=unit_pk(unit), participants="Hiệp hội doanh nghiệp", summary="Biên bản",
        ),
        by=by("vanphong"),
    )  # fmt: skip


def make_issue(
    dialogue: Dialogue | None = None, *, unit: str | None = "SCT", days: int | None = 10, **changes: Any
) -> DialogueIssue:
    dialogue = dialogue or matrix_dialogue()
    issue = add_issue(
        dialogue.pk,
        IssueInput(
            content=changes.pop("content", "Đề nghị giảm thủ tục cấp phép bán lẻ xăng dầu"),
            raiser_kind=changes.pop("raiser_kind", RaiserKind.BUSINESS),
            raised_by=changes.pop("raised_by", "Công ty TNHH Xăng dầu Sơn Hà"),
            responsible_unit=unit_pk(unit) if unit else None,
            deadline_days=days if unit else None,
        ),
        by=by("vanphong"),
    )
    if changes:
        DialogueIssue.objects.filter(pk=issue.pk).update(**changes)
        issue.refresh_from_db()
    return issue


def matrix_dialogue() -> Dialogue:
    return Dialogue.objects.filter(topic=MATRIX_DIALOGUE).first() or make_dialogue()


def make_supervision(*, unit: str = "SCT", held: dt.date = HELD) -> Supervision:
    return create_supervision(
        SupervisionInput(
            topic=MATRIX_SUPERVISION, held_on=held, supervised_unit=unit_pk(unit), team="Ban Kinh tế"
        ),
        by=by("hdnd"),
    )


def matrix_supervision() -> Supervision:
    return Supervision.objects.filter(topic=MATRIX_SUPERVISION).first() or make_supervision()


def make_recommendation(
    supervision: Supervision | None = None,
    *,
    unit: str = "SCT",
    deadline: dt.date = dt.date(2026, 4, 30),
    **changes: Any,
) -> Recommendation:
    supervision = supervision or matrix_supervision()
    rec = add_recommendation(
        supervision.pk,
        RecommendationInput(
            title=changes.pop("title", "Quy hoạch lại mạng lưới chợ"),
            responsible_unit=unit_pk(unit),
            deadline=deadline,
        ),
        by=by("hdnd"),
    )
    if changes:
        Recommendation.objects.filter(pk=rec.pk).update(**changes)
        rec.refresh_from_db()
    return rec


def step(**fields: Any) -> StepInput:
    return StepInput(**fields)


@pytest.fixture
def supervision_demo(db: None) -> None:
    seed_supervision()
