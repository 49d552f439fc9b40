"""The internal pages: the list in each person's scope (filters, diacritics-free search, constant queries), the
case page with the steps open to the person, a step run from the page, and the attachments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.feedback.conftest import REPORTER, By, move, submit
from trongtam.feedback.domain import cases
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback

pytestmark = pytest.mark.django_db

LIST = reverse("feedback:feedback-list")


def _codes(response: Any) -> set[str]:
    return {case.tracking_code for case in response.context["rows"]}


def test_each_role_lists_its_scope(client_for: Any, by: By) -> None:
    xa01, sct = submit("XA01"), submit("SCT")
    everything = {xa01.tracking_code, sct.tracking_code}
    for username in ("vanphong", "chutich", "gd.ttpvhcc"):
        assert everything <= _codes(client_for(username).get(LIST))
    assert everything <= _codes(client_for("pct.kinhte").get(LIST))  # in charge of SCT and XA01
    assert not everything & _codes(client_for("pct.vanxa").get(LIST))
    assert _codes(client_for("ct.xa01").get(LIST)) >= {xa01.tracking_code}
    assert sct.tracking_code not in _codes(client_for("ct.xa01").get(LIST))
    official = by("cc.xa01")
    seen = client_for("cc.xa01").get(LIST).context["rows"]
    assert all(
        official.pk in (case.assigned_to_id, case.handler_id) for case in seen
    )  # only what they were given
    assert not everything & {case.tracking_code for case in seen}
    assert client_for("hdnd").get(LIST).status_code == 403
    assert client_for("congdan").get(LIST).status_code == 403


def test_the_official_named_does_not_see_the_case(client_for: Any, by: By) -> None:
    case = move(submit(), FeedbackStatus.ASSIGNED)
    cases.handle(case.pk, by=by("ct.xa01"), expected_version=case.version, delegate_to=by("cc.xa01"))
    assert case.tracking_code in _codes(client_for("cc.xa01").get(LIST))
    case.refresh_from_db()
    case.official = by("pct.xa01")
    case.save()
    assert case.tracking_code not in _codes(client_for("pct.xa01").get(LIST))
    assert client_for("pct.xa01").get(case.get_absolute_url()).status_code == 404


def test_search_ignores_diacritics_and_filters_combine(client_for: Any) -> None:
    case = submit("XA01", content="Cán bộ địa chính gây khó dễ khi cấp sổ đỏ cho gia đình tôi.")
    client = client_for("vanphong")
    assert case.tracking_code in _codes(client.get(LIST, {"q": "dia chinh kho de"}))
    assert case.tracking_code not in _codes(client.get(LIST, {"q": "dia chinh", "status": "closed"}))
    assert case.tracking_code in _codes(client.get(LIST, {"q": case.tracking_code.lower()}))


def test_the_overdue_filter(client_for: Any) -> None:
    case = submit()
    Feedback.objects.filter(pk=case.pk).update(response_due="2026-01-05")
    client = client_for("vanphong")
    assert case.tracking_code in _codes(client.get(LIST, {"overdue": "true"}))
    assert case.tracking_code not in _codes(client.get(LIST, {"overdue": "false"}))


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_takes_the_same_queries_whatever_the_number_of_cases(
    count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(count):
        move(submit(), FeedbackStatus.IN_HANDLING)
    client = client_for("vanphong")
    client.get(LIST)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200


def test_the_case_page_shows_the_reporter_to_staff_and_the_open_steps(client_for: Any) -> None:
    case = submit()
    body = client_for("vanphong").get(case.get_absolute_url()).content.decode()
    assert REPORTER["name"] in body
    assert 'id="act-assign-form"' in body
    assert 'id="act-answer-form"' not in body
    head_page = client_for("ct.xa01").get(case.get_absolute_url())
    assert head_page.status_code == 200
    assert 'id="act-assign-form"' not in head_page.content.decode()


def test_a_step_from_the_page_moves_the_case(client_for: Any) -> None:
    case = submit()
    url = reverse("feedback:feedback-act", args=[case.pk, "assign"])
    response = client_for("vanphong").post(
        url, {"act-assign-version": case.version, "act-assign-unit": case.unit_id}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == FeedbackStatus.ASSIGNED
    assert case.assigned_to is not None
    assert case.assigned_to.username == "ct.xa01"


def test_a_stale_form_is_a_409_that_keeps_the_input(client_for: Any, by: By) -> None:
    case = move(submit(), FeedbackStatus.IN_HANDLING)
    old = case.version
    cases.match_official(case.pk, by=by("vanphong"), expected_version=old, official=by("cc.xa01"))
    url = reverse("feedback:feedback-act", args=[case.pk, "answer"])
    data = {
        "act-answer-version": old,
        "act-answer-text": "Đã làm việc với cán bộ.",
        "act-answer-upheld": "true",
    }
    response = client_for("ct.xa01").post(url, data)
    assert response.status_code == 409
    assert "Đã làm việc với cán bộ." in response.content.decode()
    assert Feedback.objects.get(pk=case.pk).status == FeedbackStatus.IN_HANDLING


def test_a_step_the_role_may_not_take_is_403(client_for: Any) -> None:
    case = submit()
    url = reverse("feedback:feedback-act", args=[case.pk, "assign"])
    assert client_for("ct.xa01").post(url, {"act-assign-version": case.version}).status_code == 403
    assert client_for("gd.sct").post(url, {"act-assign-version": case.version}).status_code == 404


def test_the_publish_form_proposes_the_answer_without_personal_data(client_for: Any) -> None:
    case = move(submit(), FeedbackStatus.ANSWERED)
    response = client_for("ct.xa01").get(case.get_absolute_url())
    form = {action: f for action, _label, f, _errors in response.context["forms"]}["publish"]
    proposal = form.initial["public_answer"]
    assert REPORTER["name"] not in proposal
    assert "0987" not in proposal
    assert proposal.startswith("Đã xác minh và xử lý.")


def test_attachments_are_served_only_within_the_scope(client_for: Any) -> None:
    pdf = SimpleUploadedFile("anh-chup.png", b"\x89PNG\r\n\x1a\nxyz", content_type="image/png")
    case = submit(files=[pdf])
    stored = case.attachments.get()
    url = reverse("feedback:attachment-file", args=[case.pk, stored.pk])
    assert client_for("ct.xa01").get(url).status_code == 200
    assert client_for("gd.sct").get(url).status_code == 404
    assert client_for("congdan").get(url).status_code == 404
