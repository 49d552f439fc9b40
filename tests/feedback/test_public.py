"""The public pages: submit without log-in, the tracking code shown once, the tracking page, the published
answers, the reporter's verdict, throttling per address -- and never the reporter's data in any response."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.feedback.conftest import REPORTER, By, move, submit
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.redaction import redact
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback, FeedbackAttachment
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

SUBMIT = reverse("feedback-public:submit")
TRACK = reverse("feedback-public:track")
ANSWERED = reverse("feedback-public:answered")
PERSONAL = [REPORTER["name"], REPORTER["phone"], "0987654321", REPORTER["email"], REPORTER["address"]]


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "category": "asking_money",
        "subject_kind": "official",
        "unit": Unit.objects.get(code="XA01").pk,
        "official_name": "Anh Nam ở quầy số 2",
        "content": "Cán bộ một cửa đòi 500.000 đồng «bồi dưỡng» để giải quyết hồ sơ nhanh.",
        "anonymous": "on",
        **changes,
    }


def _identified() -> dict[str, Any]:
    return _form(anonymous="", **REPORTER)


def assert_no_personal_data(body: str) -> None:
    for value in PERSONAL:
        assert value not in body, f"«{value}» must not be on a public page"


def test_the_submission_page_opens_without_log_in() -> None:
    response = Client().get(SUBMIT)
    assert response.status_code == 200
    assert "Gửi phản ánh, kiến nghị" in response.content.decode()
    assert 'name="unit"' in response.content.decode()


def test_an_anonymous_report_gets_a_code_shown_once() -> None:
    client = Client()
    response = client.post(SUBMIT, _form())
    assert response.status_code == 302
    case = Feedback.objects.latest("pk")
    assert case.is_anonymous
    assert (case.reporter_name, case.reporter_phone, case.reporter_email) == ("", "", "")
    shown = client.get(response["Location"])
    assert case.tracking_code in shown.content.decode()
    assert f"?ma={case.tracking_code}" in shown.content.decode()
    again = client.get(response["Location"])
    assert again.status_code == 302  # shown once
    assert case.tracking_code not in again.get("Location", "")


def test_anonymous_reports_drop_personal_data_even_if_typed() -> None:
    Client().post(SUBMIT, _form(**REPORTER))
    case = Feedback.objects.latest("pk")
    assert (case.reporter_name, case.reporter_phone, case.reporter_email, case.reporter_address) == (
        "",
        "",
        "",
        "",
    )


def test_bad_input_names_the_fields_and_writes_nothing() -> None:
    before = Feedback.objects.count()
    response = Client().post(SUBMIT, _form(anonymous="", content="ngắn", unit=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cơ quan, đơn vị" in body
    assert "Nội dung phản ánh cần ít nhất 20 ký tự." in body
    assert "Hãy ghi họ và tên, hoặc chọn gửi ẩn danh." in body
    assert Feedback.objects.count() == before


def test_a_pdf_is_attached_and_a_disguised_file_refused() -> None:
    pdf = SimpleUploadedFile("bien-nhan.pdf", b"%PDF-1.4 bien nhan", content_type="application/pdf")
    assert Client().post(SUBMIT, {**_form(), "files": [pdf]}).status_code == 302
    stored = FeedbackAttachment.objects.get(feedback=Feedback.objects.latest("pk"))
    assert stored.name == "bien-nhan.pdf"
    fake = SimpleUploadedFile("anh.jpg", b"MZ this is a program", content_type="image/jpeg")
    before = Feedback.objects.count()
    response = Client().post(SUBMIT, {**_form(), "files": [fake]})
    assert "không phải là tệp JPG thật" in response.content.decode()
    assert Feedback.objects.count() == before


def test_an_unknown_dossier_code_is_accepted_without_saying_so() -> None:
    response = Client().post(SUBMIT, _form(subject_kind="dossier", dossier_code="KHONG-CO-THAT"))
    assert response.status_code == 302
    case = Feedback.objects.latest("pk")
    assert (case.dossier_code, case.dossier) == ("KHONG-CO-THAT", None)


def test_the_tracking_page_shows_the_status_and_no_personal_data(by: By) -> None:
    case = move(submit(), FeedbackStatus.ANSWERED)
    response = Client().get(TRACK, {"ma": case.tracking_code})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã trả lời" in body
    assert "Phường Sơn Hà" in body
    assert case.answer not in body  # the internal answer, until a public one is published
    assert case.content not in body
    assert_no_personal_data(body)


def test_the_published_answer_is_on_the_tracking_and_answered_pages(by: By) -> None:
    case = move(submit(), FeedbackStatus.ANSWERED)
    public = redact(case.answer, case)
    cases.publish(case.pk, by=by("ct.xa01"), expected_version=case.version, public_answer=public)
    for response in (Client().get(TRACK, {"ma": case.tracking_code}), Client().get(ANSWERED)):
        body = response.content.decode()
        assert "Đã xác minh và xử lý." in body
        assert_no_personal_data(body)


def test_unpublished_answers_are_not_listed() -> None:
    case = move(submit(), FeedbackStatus.ANSWERED)
    body = Client().get(ANSWERED).content.decode()
    assert case.tracking_code not in body
    assert "Đã xác minh và xử lý." not in body


def test_an_unknown_code_says_not_found() -> None:
    response = Client().get(TRACK, {"ma": "ABCDEFGHJK"})
    assert response.status_code == 200
    assert 'id="not-found"' in response.content.decode()


def test_the_reporter_reopens_a_case_that_was_not_solved() -> None:
    case = move(submit(), FeedbackStatus.CLOSED)
    data = {"ma": case.tracking_code, "solved": "no", "reason": "Cán bộ vẫn đòi tiền khi tôi quay lại."}
    response = Client().post(reverse("feedback-public:verdict"), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.citizen_solved, case.reopened_count) == (FeedbackStatus.IN_HANDLING, False, 1)


def test_the_reporter_confirms_a_solved_case() -> None:
    case = move(submit(), FeedbackStatus.ANSWERED)
    Client().post(reverse("feedback-public:verdict"), {"ma": case.tracking_code, "solved": "yes"})
    case.refresh_from_db()
    assert case.citizen_solved is True


def test_a_verdict_on_a_case_still_in_handling_is_a_conflict() -> None:
    case = move(submit(), FeedbackStatus.IN_HANDLING)
    response = Client().post(reverse("feedback-public:verdict"), {"ma": case.tracking_code, "solved": "yes"})
    assert response.status_code == 409


def test_submissions_are_throttled_per_address(settings: Any) -> None:
    settings.FEEDBACK_RATES = {"submit": "2/h"}
    client = Client()
    assert [client.post(SUBMIT, _form()).status_code for _ in range(3)] == [302, 302, 429]
    assert Client(REMOTE_ADDR="10.0.0.9").post(SUBMIT, _form()).status_code == 302  # another address


def test_lookups_are_throttled_per_address(settings: Any) -> None:
    settings.FEEDBACK_RATES = {"track": "3/h"}
    client = Client()
    codes = [client.get(TRACK, {"ma": f"ABCDEFGH{c}K"}).status_code for c in "JKMN"]
    assert codes == [200, 200, 200, 429]


def test_a_citizen_sees_their_own_reports(client_for: Any) -> None:
    client = client_for("congdan")
    client.post(SUBMIT, _identified())
    case = Feedback.objects.latest("pk")
    assert case.reporter is not None
    assert case.reporter.username == "congdan"
    body = client.get(reverse("feedback-public:mine")).content.decode()
    assert case.tracking_code in body


def test_my_reports_is_for_citizens_only(client_for: Any) -> None:
    assert client_for("gd.sct").get(reverse("feedback-public:mine")).status_code == 403
    assert Client().get(reverse("feedback-public:mine")).status_code == 302


def test_the_answered_page_is_paginated_in_the_database(django_assert_max_num_queries: Any) -> None:
    Client().get(ANSWERED)  # warm the session and the translation caches
    with django_assert_max_num_queries(6):
        assert Client().get(ANSWERED).status_code == 200


def test_the_answered_page_filters_by_unit_id_or_code(by: By) -> None:
    case = move(submit("XA01"), FeedbackStatus.ANSWERED)
    cases.publish(
        case.pk, by=by("ct.xa01"), expected_version=case.version, public_answer="Đã xác minh và xử lý."
    )
    others = Client().get(ANSWERED, {"don_vi": "SCT"}).context["answers"]
    assert case.tracking_code not in [row.tracking_code for row in others]
    for wanted in ("XA01", str(case.unit_id)):
        response = Client().get(ANSWERED, {"don_vi": wanted})
        assert [row.tracking_code for row in response.context["answers"]][:1] == [case.tracking_code]
