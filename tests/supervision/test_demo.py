"""The demo: two dialogue sessions of 2026 with issues in several states, a Council supervision with one overdue
recommendation; loading it twice adds nothing. (Whether `seed_demo` has loaded it already or not.)"""

from __future__ import annotations

import pytest
from django.utils import timezone

from trongtam.supervision.demo import BUSINESS_DIALOGUE, CITIZEN_DIALOGUE, SUPERVISION, seed_supervision
from trongtam.supervision.domain.queries import overdue_q
from trongtam.supervision.models import Dialogue, DialogueIssue, Recommendation

pytestmark = pytest.mark.django_db


def test_the_demo_has_dialogues_issues_in_several_states_and_an_overdue_recommendation() -> None:
    seed_supervision()
    dialogues = Dialogue.objects.filter(topic__in=[BUSINESS_DIALOGUE, CITIZEN_DIALOGUE])
    assert dialogues.count() == 2
    issues = DialogueIssue.objects.filter(dialogue__in=dialogues)
    assert set(issues.values_list("status", flat=True)) == {
        "open",
        "assigned",
        "in_handling",
        "answered",
        "closed",
    }
    outcomes = set(issues.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {"resolved", "transferred", "rejected", "closed_unresolved"}
    recommendations = Recommendation.objects.filter(supervision__topic=SUPERVISION)
    assert recommendations.filter(overdue_q(timezone.localdate())).count() == 1
    assert set(recommendations.exclude(verdict="").values_list("verdict", flat=True)) == {
        "resolved",
        "partly",
    }


def test_loading_the_demo_twice_adds_nothing() -> None:
    seed_supervision()
    counts = (Dialogue.objects.count(), DialogueIssue.objects.count(), Recommendation.objects.count())
    assert seed_supervision() is False
    assert (Dialogue.objects.count(), DialogueIssue.objects.count(), Recommendation.objects.count()) == counts
