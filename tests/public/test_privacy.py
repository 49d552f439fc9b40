"""No personal data in any public response: dossiers and feedback carry a distinctive name, phone, e-mail and
address; every public page (the `public` and `feedback-public` urls), every export and every public API endpoint
is requested, in the states that show the most, and no body contains any of them."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from tests.dossiers.factories import at
from tests.public.conftest import (
    LAST4,
    SECRET_ADDRESS,
    SECRET_EMAIL,
    SECRET_NAME,
    SECRET_PHONE,
    personal_dossier,
)
from trongtam.dossiers.enums import DossierStatus, LetterStatus
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating
from trongtam.feedback import urls_public as feedback_urls
from trongtam.feedback.enums import Category, FeedbackStatus, SubjectKind
from trongtam.feedback.models import Feedback
from trongtam.org.models import Unit
from trongtam.public import urls as public_urls

SECRETS = (SECRET_NAME, SECRET_PHONE, SECRET_EMAIL, SECRET_ADDRESS)
TODAY_YEAR = "2026"


@pytest.fixture
def exposed(db: None) -> dict[str, Any]:
    """A finished dossier with a sent apology letter and a rating, one in process, and an answered, published
    feedback from an identified reporter: all with the same personal data."""
    done = personal_dossier(status=DossierStatus.RETURNED, finished_on=dt.date(2026, 3, 12))
    ApologyLetter.objects.create(
        dossier=done,
        number="7/PXL",
        reason="Chờ ý kiến cơ quan phối hợp.",
        new_due_date=dt.date(2026, 3, 13),
        status=LetterStatus.SENT,
        approved_at=at(dt.date(2026, 3, 6)),
        sent_at=at(dt.date(2026, 3, 6), 15),
    )
    open_one = personal_dossier()
    unit = Unit.objects.get(code="XA01")
    case = Feedback.objects.create(
        tracking_code="PA-RIENG01",
        category=Category.ASKING_MONEY,
        subject_kind=SubjectKind.DOSSIER,
        unit=unit,
        dossier=open_one,
        content="Cán bộ gợi ý nộp thêm tiền để nhanh.",
        reporter_name=SECRET_NAME,
        reporter_phone=SECRET_PHONE,
        reporter_email=SECRET_EMAIL,
        reporter_address=SECRET_ADDRESS,
        received_at=at(dt.date(2026, 3, 3)),
        received_on=dt.date(2026, 3, 3),
        response_due=dt.date(2026, 3, 20),
        status=FeedbackStatus.ANSWERED,
        answered_on=dt.date(2026, 3, 10),
        answer=f"Trả lời ông/bà {SECRET_NAME}: đã kiểm tra.",
        public_answer="Đã kiểm tra, nhắc nhở cán bộ.",
        is_published=True,
    )
    return {"done": done, "open": open_one, "feedback": case}


def _no_secrets(where: str, body: bytes) -> None:
    text = body.decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in {where}"


def _xlsx_text(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))


def _plain_urls(namespace: str, patterns: list[URLPattern]) -> list[str]:
    """Every url of the namespace that takes no argument."""
    return [reverse(f"{namespace}:{p.name}") for p in patterns if p.name and not p.pattern.converters]


def test_no_public_page_shows_personal_data(exposed: dict[str, Any]) -> None:
    done: Dossier = exposed["done"]
    client = Client()
    seen = 0
    for url in _plain_urls("public", public_urls.urlpatterns) + _plain_urls(
        "feedback-public", feedback_urls.urlpatterns
    ):
        response = client.get(url)
        _no_secrets(url, response.content)
        seen += 1
    assert seen >= 6

    # The pages in the states that show the most: a found dossier with its letter, rated.
    for dossier in (done, exposed["open"]):
        found = client.post(reverse("public:lookup"), {"code": dossier.code, "phone_last4": LAST4})
        assert found.status_code == 302
        page = client.get(found["Location"])
        assert dossier.code in page.content.decode()
        _no_secrets(found["Location"], page.content)
    assert (
        "Chờ ý kiến cơ quan phối hợp"
        in client.get(reverse("public:dossier"), {"ma": done.code}).content.decode()
    )
    rated = client.post(reverse("public:rate"), {"code": done.code, "satisfaction": "5"}, follow=True)
    _no_secrets("rating", rated.content)
    failed = client.post(reverse("public:lookup"), {"code": done.code, "phone_last4": "0000"})
    _no_secrets("failed lookup", failed.content)

    for query in ({"nam": TODAY_YEAR}, {"nam": TODAY_YEAR, "ky": "q1"}, {"nam": TODAY_YEAR, "ky": "t3"}):
        _no_secrets("scoreboard", client.get(reverse("public:scoreboard"), query).content)
    csv_file = client.get(reverse("public:scoreboard-export"), {"nam": TODAY_YEAR, "dinh_dang": "csv"})
    _no_secrets("csv", csv_file.content)
    xlsx_file = client.get(reverse("public:scoreboard-export"), {"nam": TODAY_YEAR, "dinh_dang": "xlsx"})
    _no_secrets("xlsx", _xlsx_text(xlsx_file.content))

    tracked = client.get(reverse("feedback-public:track"), {"ma": exposed["feedback"].tracking_code})
    assert tracked.status_code == 200
    _no_secrets("feedback tracking", tracked.content)
    _no_secrets(
        "answered feedback", client.get(reverse("feedback-public:answered"), {"don_vi": "XA01"}).content
    )


def test_no_public_api_answer_shows_personal_data(exposed: dict[str, Any]) -> None:
    done: Dossier = exposed["done"]
    client = Client()

    def post(path: str, payload: dict[str, Any]) -> Any:
        return client.post(f"/api/v1/public/{path}", json.dumps(payload), content_type="application/json")

    found = post("dossier-lookup", {"code": done.code, "phone_last4": LAST4})
    assert found.status_code == 200
    assert found.json()["letter"]["number"] == "7/PXL"
    assert set(found.json()) == {
        "code", "procedure_code", "procedure_name", "field", "unit_name", "channel", "channel_label",
        "received_on", "due_date", "appointment_date", "finished_on", "status", "status_label",
        "status_explained", "timeliness", "timeliness_label", "is_late", "letter", "rating", "can_rate",
    }  # fmt: skip
    answers = [
        found,
        post("dossier-lookup", {"code": done.code, "phone_last4": "0000"}),
        post("dossier-ratings", {"code": done.code, "phone_last4": LAST4, "satisfaction": 4}),
        post("dossier-ratings", {"code": done.code, "phone_last4": LAST4, "satisfaction": 4}),
        client.get("/api/v1/public/scoreboard", {"year": TODAY_YEAR}),
        client.get("/api/v1/public/scoreboard", {"year": TODAY_YEAR, "part": "q1"}),
    ]
    assert [a.status_code for a in answers] == [200, 404, 201, 409, 200, 200]
    for answer in answers:
        _no_secrets(answer.request["PATH_INFO"], answer.content)
    assert DossierRating.objects.filter(dossier=done).count() == 1


def test_the_wrong_code_and_the_wrong_phone_get_the_same_api_answer(exposed: dict[str, Any]) -> None:
    done: Dossier = exposed["done"]
    client = Client()

    def lookup(code: str, digits: str) -> Any:
        body = json.dumps({"code": code, "phone_last4": digits})
        return client.post("/api/v1/public/dossier-lookup", body, content_type="application/json")

    by_code, by_phone = lookup("H99.999999", LAST4), lookup(done.code, "0000")
    assert (by_code.status_code, by_code.content) == (by_phone.status_code, by_phone.content)
    assert by_code.status_code == 404
    assert by_code["Content-Type"] == by_phone["Content-Type"]
