"""Job positions (module 1, Decree 62/2020): Home Affairs and the administrator list, add and edit a unit's
positions and set the position an official holds; every change is audited; bad input names the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trongtam.core.models import AuditEntry
from trongtam.org.domain import job_positions as jp
from trongtam.org.enums import JobCategory
from trongtam.org.models import JobPosition, Person, Unit

pytestmark = pytest.mark.django_db


def _sct() -> Unit:
    return Unit.objects.get(code="SCT")


def test_the_demo_gives_sct_and_stc_their_positions() -> None:
    assert JobPosition.objects.filter(unit__code="SCT").count() == 4
    assert Person.objects.get(username="cv.sct").job_position.category == JobCategory.PROFESSIONAL  # type: ignore[union-attr]
    assert Person.objects.get(username="pgd.stc").job_position.category == JobCategory.LEADERSHIP  # type: ignore[union-attr]


def test_the_units_page_links_to_its_positions(client_for: Any) -> None:
    page = client_for("cv.sct").get(reverse("org:unit-detail", args=[_sct().pk])).content.decode()
    assert reverse("org:job-positions", args=[_sct().pk]) in page
    listed = client_for("cv.sct").get(reverse("org:job-positions", args=[_sct().pk])).content.decode()
    assert "Chuyên viên quản lý thương mại" in listed
    assert 'id="add-job-position"' not in listed


def test_home_affairs_adds_a_position(client_for: Any) -> None:
    response = client_for("noivu").post(
        reverse("org:job-position-add", args=[_sct().pk]),
        {
            "version": "0",
            "code": "CM.XNK",
            "name": "Chuyên viên xuất nhập khẩu",
            "category": "professional",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    position = JobPosition.objects.get(unit=_sct(), code="CM.XNK")
    assert AuditEntry.objects.filter(object_type="org.jobposition", object_id=str(position.pk)).exists()


def test_bad_input_names_each_field_and_writes_nothing(client_for: Any) -> None:
    before = JobPosition.objects.count()
    response = client_for("noivu").post(
        reverse("org:job-position-add", args=[_sct().pk]),
        {"version": "0", "code": "CM.TM", "name": "", "category": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert "đã có trong Sở Công Thương" in page
    assert "Cần nhập tên vị trí việc làm." in page
    assert "Nhóm vị trí việc làm" in page
    assert JobPosition.objects.count() == before


def test_editing_against_a_stale_version_is_a_409(client_for: Any, person: Any) -> None:
    position = JobPosition.objects.get(unit=_sct(), code="CM.TM")
    jp.update_job_position(
        position.pk,
        jp.JobPositionInput(position.code, "Tên mới", position.category, position.description),
        by=person("quantri"),
        expected_version=position.version,
    )
    response = client_for("noivu").post(
        reverse("org:job-position-edit", args=[position.pk]),
        {"version": position.version, "code": "CM.TM", "name": "Tên khác", "category": "professional"},
    )
    assert response.status_code == 409
    position.refresh_from_db()
    assert position.name == "Tên mới"


def test_setting_an_officials_position(client_for: Any) -> None:
    cv2 = Person.objects.get(username="cv2.sct")
    support = JobPosition.objects.get(unit=_sct(), code="HT.VT")
    url = reverse("org:person-job-position", args=[cv2.pk])
    assert client_for("gd.sct").get(url).status_code == 403
    response = client_for("noivu").post(url, {"job_position": support.pk, "seen": str(cv2.job_position_id)})
    assert response.status_code == 302
    cv2.refresh_from_db()
    assert cv2.job_position == support
    other_unit = JobPosition.objects.get(unit__code="STC", code="CM.NS")
    refused = client_for("noivu").post(url, {"job_position": other_unit.pk, "seen": str(support.pk)})
    assert refused.status_code == 200
    assert "không có trong danh sách" in refused.content.decode()


def test_the_positions_page_takes_the_same_queries_for_one_position_and_for_three(
    client_for: Any, person: Any
) -> None:
    unit = Unit.objects.get(code="SKHCN")
    counts = []
    for n in (1, 3):
        JobPosition.objects.filter(unit=unit).delete()
        for i in range(n):
            jp.create_job_position(
                unit, jp.JobPositionInput(f"CM{i}", f"Vị trí {i}", "professional"), by=person("noivu")
            )
        with CaptureQueriesContext(connection) as queries:
            assert client_for("noivu").get(reverse("org:job-positions", args=[unit.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
