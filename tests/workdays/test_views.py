"""The calendar page: everyone inside sees it; the Office and the administrator enter exceptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from trongtam.core.models import AuditEntry
from trongtam.workdays.models import CalendarException, DayKind

pytestmark = pytest.mark.django_db


def test_the_year_page_lists_holidays_and_exceptions(client_for: Any) -> None:
    response = client_for("gd.stc").get(reverse("workdays:year-detail", args=[2026]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quốc khánh" in page
    assert "02/01/2026" in page
    assert "12729/VPCP-KGVX" in page
    assert "Thêm ngày điều chỉnh" not in page  # a head reads, does not manage


def test_the_calculator_answers_in_working_days(client_for: Any) -> None:
    response = client_for("gd.stc").get(
        reverse("workdays:year-detail", args=[2026]), {"start": "13/02/2026", "days": "1"}
    )
    assert response.context["answer"] == dt.date(2026, 2, 23)
    assert "23/02/2026" in response.content.decode()


def test_the_calculator_names_a_bad_field(client_for: Any) -> None:
    response = client_for("gd.stc").get(reverse("workdays:year"), {"start": "31/02/2026", "days": "x"})
    errors = response.context["calculator"].errors
    assert set(errors) == {"start", "days"}


def test_the_office_adds_an_exception_and_it_is_audited(client_for: Any) -> None:
    response = client_for("vanphong").post(
        reverse("workdays:exception-add"),
        {
            "day": "04/09/2026",
            "kind": DayKind.DAY_OFF,
            "reason": "Nghỉ thêm dịp Quốc khánh",
            "source": "QĐ 1/2026",
        },
    )
    assert response.status_code == 302
    exception = CalendarException.objects.get(day=dt.date(2026, 9, 4))
    assert AuditEntry.objects.filter(
        object_type="workdays.calendarexception", object_id=str(exception.pk)
    ).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"day": "02/01/2026", "kind": DayKind.DAY_OFF, "reason": "Trùng"}, "day"),  # already in the table
        ({"day": "01/01/1990", "kind": DayKind.DAY_OFF, "reason": "Quá xa"}, "day"),
        ({"day": "05/09/2026", "kind": "nghi", "reason": "Sai loại"}, "kind"),
        ({"day": "05/09/2026", "kind": DayKind.DAY_OFF, "reason": ""}, "reason"),
    ],
)
def test_bad_exceptions_are_refused_naming_the_field(
    client_for: Any, data: dict[str, str], field: str
) -> None:
    before = CalendarException.objects.count(), AuditEntry.objects.count()
    response = client_for("vanphong").post(reverse("workdays:exception-add"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Chưa lưu được" in response.content.decode()
    assert (CalendarException.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("username", ["gd.stc", "pct.kinhte", "chutich", "hdnd"])
def test_only_the_office_and_the_administrator_manage(client_for: Any, username: str) -> None:
    exception = CalendarException.objects.get(day=dt.date(2026, 1, 2))
    client = client_for(username)
    assert client.get(reverse("workdays:exception-add")).status_code == 403
    assert client.post(reverse("workdays:exception-delete", args=[exception.pk])).status_code == 403
    assert CalendarException.objects.filter(pk=exception.pk).exists()


def test_citizens_and_visitors_do_not_see_the_internal_calendar(client_for: Any) -> None:
    assert client_for("congdan").get(reverse("workdays:year")).status_code == 403
    assert Client().get(reverse("workdays:year")).status_code == 302


def test_deleting_an_exception_is_audited(client_for: Any) -> None:
    exception = CalendarException.objects.get(day=dt.date(2026, 1, 10))
    response = client_for("quantri").post(reverse("workdays:exception-delete", args=[exception.pk]))
    assert response.status_code == 302
    assert not CalendarException.objects.filter(pk=exception.pk).exists()
    entry = AuditEntry.objects.filter(object_type="workdays.calendarexception").latest("seq")
    assert entry.action == "delete"
