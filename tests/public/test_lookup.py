"""The dossier lookup: code plus the last four digits of the phone, never enumerable, then the dossier page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public.conftest import LAST4, SECRET_NAME
from trongtam.dossiers.enums import LetterStatus
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.public.domain.lookup import find_dossier, not_found_message
from trongtam.public.interfaces import grants

LOOKUP = reverse("public:lookup")


def _post(client: Client, code: str, digits: str) -> Any:
    return client.post(LOOKUP, {"code": code, "phone_last4": digits})


def _comparable(body: str, *typed: str) -> str:
    """The page without what differs by construction: the per-response CSRF token and the code the visitor typed."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    for text in typed:
        body = body.replace(text, "«typed»")
    return body


def _dossier_queries(captured: CaptureQueriesContext) -> int:
    return sum("dossiers_" in query["sql"] for query in captured.captured_queries)


def test_the_right_code_and_digits_open_the_dossier_page(dossier: Dossier) -> None:
    client = Client()
    response = _post(client, dossier.code, LAST4)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('public:dossier')}?ma={dossier.code}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    for shown in (
        dossier.code,
        dossier.procedure.name,
        dossier.unit.name,
        "Đang xử lý",
        "02/03/2026",
        "09/03/2026",
    ):
        assert shown in body
    assert "Trực tiếp tại bộ phận một cửa" in body
    assert SECRET_NAME not in body


def test_a_code_typed_in_lower_case_or_with_spaces_is_found(dossier: Dossier) -> None:
    assert find_dossier(f"  {dossier.code.lower()} ", LAST4) == dossier


def test_a_wrong_code_and_a_wrong_phone_get_the_same_page(dossier: Dossier) -> None:
    client = Client()
    wrong_code = "H99.999999"
    with CaptureQueriesContext(connection) as code_queries:
        by_code = _post(client, wrong_code, LAST4)
    with CaptureQueriesContext(connection) as phone_queries:
        by_phone = _post(client, dossier.code, "0000")
    assert by_code.status_code == by_phone.status_code == 200
    assert [t.name for t in by_code.templates] == [t.name for t in by_phone.templates]
    assert not_found_message() in by_code.content.decode()
    assert _comparable(by_code.content.decode(), wrong_code) == _comparable(
        by_phone.content.decode(), dossier.code
    )
    # The same work on both paths: one query by code, whichever half was wrong (the throttle's cache aside).
    assert _dossier_queries(code_queries) == _dossier_queries(phone_queries) == 1
    assert 'value="0000"' not in by_phone.content.decode()  # the digits are never sent back


def test_a_failed_lookup_grants_nothing(dossier: Dossier) -> None:
    client = Client()
    _post(client, dossier.code, "0000")
    response = client.get(reverse("public:dossier"), {"ma": dossier.code})
    assert response.status_code == 302
    assert response["Location"] == LOOKUP


def test_a_malformed_phone_is_named_without_looking_anything_up(dossier: Dossier) -> None:
    response = _post(Client(), dossier.code, "12a4")
    assert response.status_code == 200
    assert "4 chữ số cuối số điện thoại" in response.content.decode()
    assert not_found_message() not in response.content.decode()


def test_a_dossier_without_a_phone_is_never_found(dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(phone_last4="")
    assert find_dossier(dossier.code, "") is None
    assert find_dossier(dossier.code, "0000") is None


def test_the_grant_expires() -> None:
    session = SessionBase()
    now = timezone.now()
    grants.remember(session, 7, "H99.1", now)
    kept = grants.Grant(7, "H99.1", now.timestamp())
    assert grants.granted(session, now + dt.timedelta(minutes=59), "H99.1") == kept
    assert grants.granted(session, now + dt.timedelta(minutes=59)) == kept  # the latest, without a code
    assert grants.granted(session, now + dt.timedelta(minutes=61), "H99.1") is None
    assert grants.granted(session, now, "H99.2") is None


def test_the_apology_letter_shows_once_signed(dossier: Dossier) -> None:
    letter = ApologyLetter.objects.create(
        dossier=dossier,
        number="12/PXL",
        reason="Phải xác minh thực địa do mưa lũ.",
        new_due_date=dt.date(2026, 3, 16),
        status=LetterStatus.AWAITING_APPROVAL,
    )
    client = Client()
    page = client.get(_post(client, dossier.code, LAST4)["Location"]).content.decode()
    assert "xác minh thực địa" not in page
    ApologyLetter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.SENT, approved_at=timezone.now(), sent_at=timezone.now()
    )
    page = client.get(reverse("public:dossier"), {"ma": dossier.code}).content.decode()
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page
    assert "12/PXL" in page
    assert "xác minh thực địa" in page
    assert "16/03/2026" in page


def test_a_late_open_dossier_says_it_is_late(dossier: Dossier) -> None:
    client = Client()
    page = client.get(_post(client, dossier.code, LAST4)["Location"]).content.decode()
    assert "Đang xử lý quá hạn" in page  # due 9/3/2026, still in process


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    digits=st.from_regex(r"[0-9]{4}", fullmatch=True), code_case=st.sampled_from(["same", "lower", "other"])
)
def test_only_the_right_code_and_the_right_digits_find_the_dossier(
    dossier: Dossier, digits: str, code_case: str
) -> None:
    code = {"same": dossier.code, "lower": dossier.code.lower(), "other": dossier.code + "9"}[code_case]
    found = find_dossier(code, digits)
    assert (found == dossier) == (digits == LAST4 and code_case != "other")
    assert found is None or found == dossier
