"""The demo feedback: loaded once, every status present, the story's report at XA01, published answers without
personal data."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from trongtam.feedback.demo import STORY_CODE, seed_feedback
from trongtam.feedback.domain.redaction import personal_data_left
from trongtam.feedback.enums import Category, FeedbackStatus
from trongtam.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_every_status_and_the_story() -> None:
    Feedback.objects.all().delete()  # the session's province may hold it already
    assert seed_feedback() is True
    assert seed_feedback() is False
    assert 190 <= Feedback.objects.count() <= 210
    assert set(Counter(Feedback.objects.values_list("status", flat=True))) == set(FeedbackStatus.values)
    story = Feedback.objects.get(tracking_code=STORY_CODE)
    assert (story.unit.code, story.category, story.is_anonymous) == ("XA01", Category.ASKING_MONEY, True)
    assert story.upheld is True
    assert story.answered_on is not None
    assert story.answered_on <= story.response_due
    assert story.is_published
    assert story.events.count() == 5


def test_the_demos_published_answers_hold_no_personal_data() -> None:
    seed_feedback()
    published = Feedback.objects.filter(is_published=True)
    assert published.count() >= 20
    assert not any(personal_data_left(case.public_answer, case) for case in published)
    body = Client().get(reverse("feedback-public:track"), {"ma": STORY_CODE}).content.decode()
    assert "tạm đình chỉ công tác" in body
