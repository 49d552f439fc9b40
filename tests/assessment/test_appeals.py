"""Appeals against a signed level (issue 4, item 5): filing within the appeal period counted in working days, every
refusal with nothing written, the Chairman's decision applied to the sheet and audited, and the sheet page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from tests.assessment.conftest import MANUAL, clear_followup, fresh, key_tasks_not_due, take_to_verified
from trongtam.assessment.domain import appeals, rounds
from trongtam.assessment.enums import Level, SheetStatus
from trongtam.assessment.models import Appeal, AppealStatus, ScoreSheet
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditAction, AuditEntry, Notification

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Signed on Friday 4/12/2026; 10 working days later (no holiday in between) is Friday 18/12/2026.
SIGNED_ON = dt.datetime(2026, 12, 4, 9, tzinfo=HANOI)
LAST_DAY = dt.datetime(2026, 12, 18, 16, tzinfo=HANOI)
TOO_LATE = dt.datetime(2026, 12, 21, 8, tzinfo=HANOI)  # the Monday after


def _verified(open_small_round: Any, person: Any) -> ScoreSheet:
    clear_followup(["STC"])
    rnd = open_small_round(["STC"])
    key_tasks_not_due(rnd)
    return take_to_verified(rnd.sheets.get(), MANUAL, home_affairs=person("noivu"))


@pytest.fixture
def signed(open_small_round: Any, person: Any) -> ScoreSheet:
    """The head of STC's sheet, signed by the Chairman on Friday 4/12/2026."""
    sheet = _verified(open_small_round, person)
    with time_machine.travel(SIGNED_ON):
        rounds.sign_round(sheet.round_id, by=person("chutich"), expected_version=sheet.round.version)
    sheet = fresh(sheet)
    assert sheet.status == SheetStatus.SIGNED
    return sheet


def _other_level(sheet: ScoreSheet) -> str:
    return next(level.value for level in Level if level != sheet.level)


def _file(sheet: ScoreSheet, *, at: dt.datetime = LAST_DAY, **extra: Any) -> Appeal:
    kwargs = {"grounds": "Tiêu chí CT.3 chưa tính sáng kiến đã được công nhận.", "requested_level": ""}
    kwargs.update(extra)
    with time_machine.travel(at):
        return appeals.file_appeal(sheet.pk, by=sheet.person, expected_version=sheet.version, **kwargs)


def _written() -> tuple[int, int, int]:
    return Appeal.objects.count(), AuditEntry.objects.count(), Notification.objects.count()


# -- the deadline -------------------------------------------------------------------------------------------------


def test_the_deadline_counts_working_days_after_the_day_of_sign_off(signed: ScoreSheet) -> None:
    assert signed.round.appeal_days == 10
    assert appeals.appeal_deadline(signed.round) == dt.date(2026, 12, 18)


def test_the_head_appeals_on_the_last_day_and_the_chairmen_are_told(signed: ScoreSheet, person: Any) -> None:
    requested = _other_level(signed)

    appeal = _file(signed, requested_level=requested)

    appeal.refresh_from_db()
    assert (appeal.status, appeal.requested_level, appeal.filed_by_id) == (
        AppealStatus.PENDING,
        requested,
        signed.person_id,
    )
    entry = AuditEntry.objects.filter(object_type="assessment.appeal", object_id=str(appeal.pk)).get()
    assert (entry.action, entry.root_type, entry.root_id) == (
        AuditAction.CREATE,
        "assessment.scoresheet",
        str(signed.pk),
    )
    assert Notification.objects.filter(recipient=person("chutich"), title__contains="kiến nghị").exists()
    assert fresh(signed).level == signed.level  # filing changes nothing on the sheet


def test_an_appeal_after_the_deadline_names_the_last_day_and_writes_nothing(signed: ScoreSheet) -> None:
    before = _written()

    with pytest.raises(TransitionNotAllowed) as refused:
        _file(signed, at=TOO_LATE)

    assert "18/12/2026" in refused.value.user_message
    assert "hết thời hạn kiến nghị" in refused.value.user_message
    assert _written() == before


@pytest.mark.parametrize("username", ["chutich", "noivu", "pct.kinhte", "gd.sct", "congdan"])
def test_only_the_head_of_the_sheet_appeals(signed: ScoreSheet, person: Any, username: str) -> None:
    before = _written()
    with time_machine.travel(LAST_DAY), pytest.raises(PermissionDenied):
        appeals.file_appeal(
            signed.pk, grounds="x", requested_level="", by=person(username), expected_version=signed.version
        )
    assert _written() == before


def test_no_appeal_before_sign_off(open_small_round: Any, person: Any) -> None:
    sheet = _verified(open_small_round, person)

    with pytest.raises(TransitionNotAllowed) as refused:
        appeals.file_appeal(
            sheet.pk, grounds="x", requested_level="", by=sheet.person, expected_version=sheet.version
        )

    assert "chưa được Chủ tịch phê duyệt" in refused.value.user_message
    assert not Appeal.objects.exists()


def test_one_pending_appeal_per_sheet(signed: ScoreSheet) -> None:
    _file(signed)
    before = _written()

    with pytest.raises(TransitionNotAllowed) as refused:
        _file(signed)

    assert "đang chờ giải quyết" in refused.value.user_message
    assert _written() == before


def test_an_appeal_needs_its_grounds_and_a_level_other_than_the_one_given(signed: ScoreSheet) -> None:
    with pytest.raises(RuleViolations) as refused:
        _file(signed, grounds="  ", requested_level=signed.level)

    assert [p.field for p in refused.value.problems] == ["grounds", "requested_level"]
    assert not Appeal.objects.exists()


def test_a_stale_sheet_version_is_refused(signed: ScoreSheet) -> None:
    with time_machine.travel(LAST_DAY), pytest.raises(StaleEdit):
        appeals.file_appeal(
            signed.pk, grounds="x", requested_level="", by=signed.person, expected_version=signed.version - 1
        )
    assert not Appeal.objects.exists()


# -- the decision -------------------------------------------------------------------------------------------------


def test_an_upheld_appeal_changes_the_level_with_a_reason_and_an_audit_entry(
    signed: ScoreSheet, person: Any
) -> None:
    before_level = signed.level
    requested = _other_level(signed)
    appeal = _file(signed, requested_level=requested)

    decided = appeals.decide_appeal(
        appeal.pk,
        outcome=AppealStatus.UPHELD,
        level=requested,
        decision="Quyết định số 12/QĐ-UBND: công nhận sáng kiến, điều chỉnh mức xếp loại.",
        by=person("chutich"),
        expected_version=appeal.version,
    )

    sheet = fresh(signed)
    assert (decided.status, decided.resulting_level, decided.decided_by_id) == (
        AppealStatus.UPHELD,
        requested,
        person("chutich").pk,
    )
    assert sheet.level == requested
    assert sheet.version == signed.version + 1
    reason = sheet.level_reasons[-1]
    assert (reason["kind"], reason["before"], reason["after"]) == ("appeal", before_level, requested)
    assert reason["message"].startswith("Theo quyết định giải quyết kiến nghị")
    assert "12/QĐ-UBND" in reason["message"]
    change = AuditEntry.objects.filter(object_type="assessment.scoresheet", object_id=str(sheet.pk)).last()
    assert change is not None
    assert (change.action, change.changes["level"]) == (AuditAction.UPDATE, [before_level, requested])
    assert AuditEntry.objects.filter(
        object_type="assessment.appeal", object_id=str(appeal.pk), action=AuditAction.TRANSITION
    ).exists()
    assert Notification.objects.filter(recipient=sheet.person, title__contains="đã được giải quyết").exists()


def test_a_rejected_appeal_keeps_the_level(signed: ScoreSheet, person: Any) -> None:
    appeal = _file(signed, requested_level=_other_level(signed))

    decided = appeals.decide_appeal(
        appeal.pk,
        outcome=AppealStatus.REJECTED,
        level="",
        decision="Không có căn cứ điều chỉnh.",
        by=person("chutich"),
        expected_version=appeal.version,
    )

    sheet = fresh(signed)
    assert (decided.status, decided.resulting_level) == (AppealStatus.REJECTED, signed.level)
    assert (sheet.level, sheet.level_reasons, sheet.version) == (
        signed.level,
        signed.level_reasons,
        signed.version,
    )
    assert Notification.objects.filter(recipient=sheet.person, title__contains="Không chấp nhận").exists()
    with pytest.raises(TransitionNotAllowed):
        appeals.decide_appeal(
            appeal.pk,
            outcome=AppealStatus.UPHELD,
            level=_other_level(signed),
            decision="x",
            by=person("chutich"),
            expected_version=decided.version,
        )


def test_a_decision_needs_its_text_and_a_level_when_upheld(signed: ScoreSheet, person: Any) -> None:
    appeal = _file(signed)
    before = _written()

    with pytest.raises(RuleViolations) as refused:
        appeals.decide_appeal(
            appeal.pk,
            outcome=AppealStatus.UPHELD,
            level="",
            decision=" ",
            by=person("chutich"),
            expected_version=appeal.version,
        )

    assert [p.field for p in refused.value.problems] == ["decision", "level"]
    assert _written() == before
    appeal.refresh_from_db()
    assert (appeal.status, appeal.version) == (AppealStatus.PENDING, 1)
    assert fresh(signed).level == signed.level


@pytest.mark.parametrize("username", ["noivu", "pct.kinhte", "gd.stc"])
def test_only_the_chairman_decides(signed: ScoreSheet, person: Any, username: str) -> None:
    appeal = _file(signed)
    with pytest.raises(PermissionDenied):
        appeals.decide_appeal(
            appeal.pk,
            outcome=AppealStatus.REJECTED,
            decision="x",
            by=person(username),
            expected_version=appeal.version,
        )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_a_decision_on_a_stale_appeal_is_refused(signed: ScoreSheet, person: Any) -> None:
    appeal = _file(signed)
    with pytest.raises(StaleEdit):
        appeals.decide_appeal(
            appeal.pk,
            outcome=AppealStatus.REJECTED,
            decision="x",
            by=person("chutich"),
            expected_version=appeal.version + 1,
        )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


# -- the sheet page -----------------------------------------------------------------------------------------------


def _page(client_for: Any, username: str, sheet: ScoreSheet, at: dt.datetime = LAST_DAY) -> str:
    with time_machine.travel(at):  # logged in at that time, so that the session is fresh
        response = client_for(username).get(reverse("assessment:sheet-detail", args=[sheet.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _post(client_for: Any, username: str, url: str, data: dict[str, str], at: dt.datetime = LAST_DAY) -> Any:
    with time_machine.travel(at):
        return client_for(username).post(url, data)


def test_the_page_shows_the_heads_form_only_while_an_appeal_is_allowed(
    open_small_round: Any, person: Any, client_for: Any
) -> None:
    sheet = _verified(open_small_round, person)
    assert 'id="appeal"' not in _page(client_for, "gd.stc", sheet)  # before sign-off: no section

    with time_machine.travel(SIGNED_ON):
        rounds.sign_round(sheet.round_id, by=person("chutich"), expected_version=sheet.round.version)
    sheet = fresh(sheet)
    within = _page(client_for, "gd.stc", sheet)
    assert 'id="appeal-form"' in within
    assert "18/12/2026" in within
    assert 'id="appeal-form"' not in _page(client_for, "chutich", sheet)
    late = _page(client_for, "gd.stc", sheet, TOO_LATE)
    assert 'id="appeal-form"' not in late
    assert "18/12/2026" in late

    response = _post(
        client_for,
        "gd.stc",
        reverse("assessment:sheet-appeal", args=[sheet.pk]),
        {"appeal-version": str(sheet.version), "appeal-grounds": "Đề nghị xem xét lại."},
    )
    assert response.status_code == 302
    assert Appeal.objects.get().status == AppealStatus.PENDING
    assert 'id="appeal-form"' not in _page(client_for, "gd.stc", sheet)  # one pending appeal
    assert 'id="appeal-decide-form"' in _page(client_for, "chutich", sheet)
    assert 'id="appeal-decide-form"' not in _page(client_for, "gd.stc", sheet)


def test_a_late_appeal_posted_from_the_page_shows_the_message_and_writes_nothing(
    signed: ScoreSheet, client_for: Any
) -> None:
    response = _post(
        client_for,
        "gd.stc",
        reverse("assessment:sheet-appeal", args=[signed.pk]),
        {"appeal-version": str(signed.version), "appeal-grounds": "Đề nghị xem xét lại."},
        TOO_LATE,
    )
    assert response.status_code == 409
    assert escape("hạn cuối là ngày 18/12/2026") in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_chairman_decides_from_the_page(signed: ScoreSheet, client_for: Any) -> None:
    appeal = _file(signed)
    url = reverse("assessment:appeal-decide", args=[appeal.pk])

    refused = _post(
        client_for,
        "chutich",
        url,
        {"appeal_decide-version": "1", "appeal_decide-outcome": "rejected", "appeal_decide-decision": ""},
    )
    assert refused.status_code == 200
    assert escape("Cần nhập nội dung quyết định") in refused.content.decode()

    level = _other_level(signed)
    response = _post(
        client_for,
        "chutich",
        url,
        {
            "appeal_decide-version": "1",
            "appeal_decide-outcome": "partly_upheld",
            "appeal_decide-level": level,
            "appeal_decide-decision": "Chấp nhận một phần.",
        },
    )
    assert response.status_code == 302
    assert fresh(signed).level == level
    assert _post(client_for, "gd.stc", url, {}).status_code == 403
