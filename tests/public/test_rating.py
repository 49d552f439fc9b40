"""The satisfaction rating: once per dossier, when it is done or returned, only after the lookup."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.public.conftest import LAST4
from trongtam.core.errors import RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditEntry
from trongtam.dossiers.enums import Satisfaction
from trongtam.dossiers.models import Dossier, DossierRating
from trongtam.public.domain.rating import rate_dossier

RATE = reverse("public:rate")
API_RATINGS = "/api/v1/public/dossier-ratings"


def _looked_up(dossier: Dossier) -> Client:
    client = Client()
    client.post(reverse("public:lookup"), {"code": dossier.code, "phone_last4": LAST4})
    return client


def _api(client: Client, **payload: Any) -> Any:
    return client.post(API_RATINGS, json.dumps(payload), content_type="application/json")


def test_a_finished_dossier_is_rated_once(finished: Dossier) -> None:
    client = _looked_up(finished)
    page = client.get(reverse("public:dossier"), {"ma": finished.code}).content.decode()
    assert "Gửi đánh giá" in page
    response = client.post(RATE, {"code": finished.code, "satisfaction": "4", "comment": "Cán bộ tận tình."})
    assert response.status_code == 302
    rating = DossierRating.objects.get(dossier=finished)
    assert (rating.satisfaction, rating.comment) == (Satisfaction.SATISFIED, "Cán bộ tận tình.")
    assert AuditEntry.objects.filter(object_type="dossiers.dossierrating", object_id=str(rating.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã đánh giá" in page
    assert "Gửi đánh giá" not in page
    assert "«Hài lòng»" in page

    again = client.post(RATE, {"code": finished.code, "satisfaction": "1"})
    assert again.status_code == 409
    assert "Mỗi hồ sơ chỉ được đánh giá một lần" in again.content.decode()
    assert DossierRating.objects.filter(dossier=finished).count() == 1
    assert DossierRating.objects.get(dossier=finished).satisfaction == Satisfaction.SATISFIED


def test_a_dossier_in_process_cannot_be_rated_yet(dossier: Dossier) -> None:
    client = _looked_up(dossier)
    page = client.get(reverse("public:dossier"), {"ma": dossier.code}).content.decode()
    assert "Gửi đánh giá" not in page
    assert "khi hồ sơ đã giải quyết xong" in page
    response = client.post(RATE, {"code": dossier.code, "satisfaction": "5"})
    assert response.status_code == 409
    assert not DossierRating.objects.filter(dossier=dossier).exists()


def test_only_a_visitor_who_passed_the_lookup_may_rate(finished: Dossier) -> None:
    response = Client().post(RATE, {"code": finished.code, "satisfaction": "5"})
    assert response.status_code == 302
    assert response["Location"] == reverse("public:lookup")
    other = _looked_up(finished)
    unknown = other.post(RATE, {"code": "H99.999999", "satisfaction": "5"})  # a code this session never found
    assert unknown["Location"] == reverse("public:lookup")
    assert not DossierRating.objects.filter(dossier=finished).exists()


def test_a_missing_level_is_named(finished: Dossier) -> None:
    response = _looked_up(finished).post(RATE, {"code": finished.code, "comment": "x"})
    assert response.status_code == 400
    assert "Mức độ hài lòng của bạn" in response.content.decode()
    assert not DossierRating.objects.filter(dossier=finished).exists()


def test_the_domain_refuses_a_level_that_does_not_exist_and_a_second_rating(finished: Dossier) -> None:
    with pytest.raises(RuleViolations) as caught:
        rate_dossier(finished.pk, 9)
    assert caught.value.by_field().keys() == {"satisfaction"}
    rate_dossier(finished.pk, 5)
    with pytest.raises(TransitionNotAllowed):
        rate_dossier(finished.pk, 1)


def test_the_api_rates_once_with_the_code_and_digits(finished: Dossier) -> None:
    client = Client()
    wrong = _api(client, code=finished.code, phone_last4="0000", satisfaction=5)
    assert wrong.status_code == 404
    created = _api(client, code=finished.code, phone_last4=LAST4, satisfaction=5, comment="Nhanh.")
    assert created.status_code == 201
    assert created.json()["satisfaction_label"] == "Rất hài lòng"
    again = _api(client, code=finished.code, phone_last4=LAST4, satisfaction=1)
    assert again.status_code == 409
    assert "một lần" in again.json()["detail"]
    out_of_range = _api(client, code=finished.code, phone_last4=LAST4, satisfaction=7)
    assert out_of_range.status_code == 422
    assert DossierRating.objects.get(dossier=finished).satisfaction == 5
