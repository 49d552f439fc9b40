"""A round's classification settings and the exceptions to the quota: Home Affairs sets them on the preview before
sign-off; the preview and the sign-off use them; bad input, a stale form or a signed round write nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from trongtam.assessment.domain import round_settings, rounds
from trongtam.assessment.domain.classification import QuotaRounding, ReasonKind
from trongtam.assessment.enums import Level
from trongtam.assessment.models import QuotaException, Round
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _levels(rnd: Round) -> dict[str, Level]:
    result = rounds.preview(Round.objects.get(pk=rnd.pk))
    units = dict(rnd.sheets.values_list("person_id", "unit__code"))
    return {units[r.person_id]: r.level for r in result.results}


def _save(rnd: Round, by: Any, **changes: Any) -> Round:
    values: dict[str, Any] = {
        "excellent": "90", "good": "70", "completed": "50", "quota_share_percent": "20",
        "quota_rounding": QuotaRounding.FLOOR, "rules_off": [],
    }  # fmt: skip
    values.update(changes)
    return round_settings.save_settings(rnd.pk, **values, by=by, expected_version=rnd.version)


def test_the_defaults_apply_when_nothing_is_set(quota_round: Round) -> None:
    settings = round_settings.settings_of(quota_round)

    assert (settings.thresholds.excellent, settings.thresholds.good, settings.thresholds.completed) == (
        90,
        70,
        50,
    )
    assert (settings.quota_share, settings.quota_rounding) == (Decimal("0.20"), QuotaRounding.FLOOR)
    # Four heads at "good": 20 % of 4 rounded down keeps one of the two at ≥ 90.
    assert sorted(_levels(quota_round).values()).count(Level.EXCELLENT) == 1


def test_a_lower_threshold_and_a_wider_quota_change_the_preview(quota_round: Round, person: Any) -> None:
    noivu = person("noivu")

    rnd = _save(quota_round, noivu, excellent="92", quota_share_percent="50")

    levels = _levels(rnd)
    assert levels["SCT"] == Level.EXCELLENT  # 98
    assert levels["SKHCN"] == Level.EXCELLENT  # 93 ≥ 92, and 50 % of 5 "good" keeps 2
    assert rnd.classification["quota_share"] == "0.5"
    assert AuditEntry.objects.filter(object_type="assessment.round", action="update").exists()


def test_rounding_up_lets_both_keep_excellent(quota_round: Round, person: Any) -> None:
    rnd = _save(quota_round, person("noivu"), quota_share_percent="30", quota_rounding=QuotaRounding.CEILING)

    assert list(_levels(rnd).values()).count(Level.EXCELLENT) == 2  # ⌈0,3 × 5⌉ = 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"excellent": "60"}, "thresholds"),  # below "good"
        ({"good": "mười"}, "good"),
        ({"quota_share_percent": "120"}, "quota_share"),
        ({"quota_rounding": "sideways"}, "quota_rounding"),
        ({"rules_off": ["kht_disciplined"]}, "rules_off"),  # the decree's rule stays on
    ],
)
def test_bad_settings_name_the_field_and_write_nothing(
    quota_round: Round, person: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(RuleViolations) as refused:
        _save(quota_round, person("noivu"), **changes)

    assert field in [p.field for p in refused.value.problems]
    assert Round.objects.get(pk=quota_round.pk).classification == {}


def test_only_home_affairs_sets_them_and_not_after_sign_off(quota_round: Round, person: Any) -> None:
    with pytest.raises(PermissionDenied):
        _save(quota_round, person("chutich"))
    with pytest.raises(StaleEdit):
        round_settings.save_settings(
            quota_round.pk, excellent="91", good="70", completed="50", quota_share_percent="20",
            quota_rounding="floor", rules_off=[], by=person("noivu"), expected_version=quota_round.version + 1,
        )  # fmt: skip
    rounds.sign_round(quota_round.pk, by=person("chutich"), expected_version=quota_round.version)
    signed = Round.objects.get(pk=quota_round.pk)

    with pytest.raises(TransitionNotAllowed):
        _save(signed, person("noivu"), excellent="91")


def test_switching_off_a_house_rule_lets_excellent_through(quota_round: Round, person: Any) -> None:
    sheet = quota_round.sheets.get(unit__code="SCT")
    rounds.record_facts(
        sheet.pk, {"inspection_violation": "Biên bản kiểm tra công vụ số 3"}, by=person("noivu"),
        expected_version=sheet.version,
    )  # fmt: skip
    assert _levels(quota_round)["SCT"] == Level.GOOD

    rnd = _save(Round.objects.get(pk=quota_round.pk), person("noivu"), rules_off=["no_excellent_inspection"])

    assert _levels(rnd)["SCT"] == Level.EXCELLENT


def test_an_exception_keeps_the_demoted_head_at_excellent_and_is_signed_with_its_reason(
    quota_round: Round, person: Any
) -> None:
    assert _levels(quota_round)["SKHCN"] == Level.GOOD  # demoted by the quota
    skhcn = quota_round.sheets.get(unit__code="SKHCN")

    round_settings.add_exception(
        quota_round.pk, skhcn.person_id, reason="Dẫn đầu chuyển đổi số toàn quốc",
        basis="Bằng khen của Thủ tướng số 15/QĐ-TTg", by=person("noivu"), expected_version=quota_round.version,
    )  # fmt: skip
    rnd = Round.objects.get(pk=quota_round.pk)
    assert _levels(rnd)["SKHCN"] == Level.EXCELLENT

    rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version)

    skhcn.refresh_from_db()
    assert skhcn.level == Level.EXCELLENT
    [override] = [r for r in skhcn.level_reasons if r["kind"] == ReasonKind.OVERRIDE]
    assert "Dẫn đầu chuyển đổi số toàn quốc" in override["message"]


def test_an_exception_needs_a_reason_a_basis_and_a_person_of_the_round(
    quota_round: Round, person: Any
) -> None:
    with pytest.raises(RuleViolations) as refused:
        round_settings.add_exception(
            quota_round.pk, person("cv.sct").pk, reason=" ", basis="", by=person("noivu"),
            expected_version=quota_round.version,
        )  # fmt: skip

    assert sorted(p.field for p in refused.value.problems) == ["basis", "person", "reason"]
    assert not QuotaException.objects.exists()


def test_removing_an_exception_restores_the_quota(quota_round: Round, person: Any) -> None:
    skhcn = quota_round.sheets.get(unit__code="SKHCN")
    exception = round_settings.add_exception(
        quota_round.pk, skhcn.person_id, reason="Thành tích nổi trội", basis="Quyết định 1",
        by=person("noivu"), expected_version=quota_round.version,
    )  # fmt: skip
    rnd = Round.objects.get(pk=quota_round.pk)

    round_settings.remove_exception(rnd.pk, exception.pk, by=person("noivu"), expected_version=rnd.version)

    assert _levels(rnd)["SKHCN"] == Level.GOOD
    assert AuditEntry.objects.filter(object_type="assessment.quotaexception", action="delete").exists()


# -- the preview page ----------------------------------------------------------------------------------------------


def test_the_preview_shows_the_settings_to_the_chairman_and_the_forms_to_home_affairs(
    client_for: Any, quota_round: Round
) -> None:
    url = reverse("assessment:round-preview", args=[quota_round.pk])

    chairman = client_for("chutich").get(url)
    home_affairs = client_for("noivu").get(url)

    assert 'id="settings-summary"' in chairman.content.decode()
    assert 'id="settings-form"' not in chairman.content.decode()
    assert 'id="settings-form"' in home_affairs.content.decode()
    people = dict(home_affairs.context["classification_forms"]["exception"].fields["person"].choices)
    assert sorted(name for pk, name in people.items() if pk) == sorted(
        f"{s.unit.name} — {s.person.get_full_name()}"
        for s in quota_round.sheets.filter(unit__code__in=["SCT", "SKHCN"]).select_related("unit", "person")
    )  # only those at "excellent" by score may be kept above the quota


def test_posting_settings_saves_them_and_a_bad_one_is_shown_with_its_field(
    client_for: Any, quota_round: Round
) -> None:
    client = client_for("noivu")
    url = reverse("assessment:round-settings", args=[quota_round.pk])
    data = {
        "settings-version": quota_round.version, "settings-excellent": "88", "settings-good": "70",
        "settings-completed": "50", "settings-quota_share": "20", "settings-quota_rounding": "floor",
    }  # fmt: skip

    bad = client.post(url, {**data, "settings-excellent": "40"})
    assert bad.status_code == 200
    assert "Ngưỡng điểm phải giảm dần" in bad.content.decode()
    assert Round.objects.get(pk=quota_round.pk).classification == {}

    good = client.post(url, data)
    assert good.status_code == 302
    assert Round.objects.get(pk=quota_round.pk).classification["excellent"] == "88"

    stale = client.post(url, {**data, "settings-excellent": "89"})
    assert stale.status_code == 409
    assert Round.objects.get(pk=quota_round.pk).classification["excellent"] == "88"


def test_others_cannot_post_settings_or_exceptions(client_for: Any, quota_round: Round) -> None:
    for username in ("chutich", "pct.kinhte", "gd.sct", "vanphong"):
        client = client_for(username)
        assert client.post(reverse("assessment:round-settings", args=[quota_round.pk]), {}).status_code == 403
        assert (
            client.post(reverse("assessment:round-exception-add", args=[quota_round.pk]), {}).status_code
            == 403
        )
    assert Round.objects.get(pk=quota_round.pk).version == quota_round.version
