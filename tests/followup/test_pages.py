"""The task page: who may open it (everyone else gets a 404), what it shows, and a query count that stays flat."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.followup.factories import make_directive_task
from trongtam.followup.enums import Delivery, FollowAction, Lifecycle
from trongtam.followup.models import Evidence, ProgressUpdate, Task, TaskEvent
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def task_led_by(lead: str, coordinating: tuple[str, ...] = ()) -> Task:
    task = make_directive_task(lead_unit=Unit.objects.get(code=lead))
    task.coordinating_units.set(Unit.objects.filter(code__in=coordinating))
    return task


@pytest.mark.parametrize(
    ("username", "lead", "coordinating", "status"),
    [
        pytest.param("gd.sct", "SCT", (), 200, id="head-of-lead-unit"),
        pytest.param("pgd.sct", "SCT", (), 200, id="deputy-of-lead-unit"),
        pytest.param("cv.sct", "SCT", (), 200, id="official-of-lead-unit"),
        pytest.param("gd.stc", "SCT", ("STC",), 200, id="head-of-coordinating-unit"),
        pytest.param("pct.kinhte", "SCT", (), 200, id="vc-in-charge-of-lead"),
        pytest.param("pct.kinhte", "SYT", ("STC",), 200, id="vc-in-charge-of-coordinating"),
        pytest.param("chutich", "SYT", (), 200, id="chairman"),
        pytest.param("vanphong", "SYT", (), 200, id="office"),
        pytest.param("hdnd", "SYT", (), 200, id="council"),
        pytest.param("gd.stc", "SCT", (), 404, id="head-of-other-unit"),
        pytest.param("pgd.stc", "SCT", ("SXD",), 404, id="deputy-of-other-unit"),
        pytest.param("pct.vanxa", "SCT", ("STC",), 404, id="other-vc"),
        pytest.param("congdan", "SCT", (), 404, id="citizen"),
    ],
)
def test_who_sees_a_task(
    username: str, lead: str, coordinating: tuple[str, ...], status: int, client_for: Any
) -> None:
    task = task_led_by(lead, coordinating)
    response = client_for(username).get(task.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert task.title in response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client: Any) -> None:
    task = task_led_by("SCT")
    response = client.get(task.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_task_is_a_404(client_for: Any) -> None:
    assert client_for("chutich").get(reverse("followup:task-detail", args=[999_999])).status_code == 404


def test_an_extended_task_shows_both_deadlines(client_for: Any) -> None:
    task = make_directive_task(original_deadline=dt.date(2026, 4, 30), deadline=dt.date(2026, 6, 15))
    html = client_for("gd.sct").get(task.get_absolute_url()).content.decode()
    assert "Thời hạn ban đầu" in html
    assert "30/04/2026" in html
    assert "15/06/2026" in html


def test_a_task_not_extended_shows_one_deadline(client_for: Any) -> None:
    task = make_directive_task(deadline=dt.date(2026, 6, 30))
    html = client_for("gd.sct").get(task.get_absolute_url()).content.decode()
    assert "Thời hạn ban đầu" not in html
    assert "30/06/2026" in html


def add_update(task: Task, n: int, **overrides: Any) -> ProgressUpdate:
    values: dict[str, Any] = {
        "task": task,
        "by": Person.objects.get(username="cv.sct"),
        "unit": task.lead_unit,
        "percent": min(10 * n, 100),
        "narrative": f"Kết quả đợt {n}",
        "obstacles": f"Vướng mắc đợt {n}",
        "proposals": f"Kiến nghị đợt {n}",
        "proposed_delivery": Delivery.AMBER,
        "delivery": Delivery.AMBER,
    }
    values.update(overrides)
    update = ProgressUpdate.objects.create(**values)
    Evidence.objects.create(
        task=task,
        update=update,
        file=ContentFile(b"%PDF-1.4", name=f"bao-cao-{n}.pdf"),
        name=f"bao-cao-{n}.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=update.by,
    )
    TaskEvent.objects.create(
        task=task,
        action=FollowAction.START,
        from_lifecycle=Lifecycle.NOT_STARTED,
        to_lifecycle=Lifecycle.IN_PROGRESS,
        by=update.by,
        comment=f"Ý kiến {n}",
    )
    return update


def test_the_page_shows_updates_judgements_evidence_and_history(
    client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = make_directive_task(urgent=True, percent=40, delivery=Delivery.RED)
    task.coordinating_units.set([Unit.objects.get(code="STC")])
    add_update(
        task,
        1,
        proposed_delivery=Delivery.GREEN,
        delivery=Delivery.RED,
        override_reason="Chưa có mặt bằng thi công",
    )
    html = client_for("pct.kinhte").get(task.get_absolute_url()).content.decode()
    for text in (
        "Khẩn",
        "Sở Tài chính",
        "Chậm tiến độ",  # the judgement in words, not colour alone
        "hệ thống đề xuất: Đúng tiến độ",
        "Chưa có mặt bằng thi công",
        "Vướng mắc đợt 1",
        "Kiến nghị đợt 1",
        "bao-cao-1.pdf",
        "Bắt đầu thực hiện",
        "Ý kiến 1",
        'aria-valuenow="40"',
        "Đã thực hiện 40%",
        str(task.directive),
    ):
        assert text in html, text


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_updates(client_for: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = make_directive_task()
    task.coordinating_units.set(Unit.objects.filter(code__in=["STC", "SXD"]))
    client = client_for("pct.kinhte")
    url = task.get_absolute_url()
    add_update(task, 1)
    client.get(url)  # warm the session and caches
    few = _queries(client, url)
    for n in range(2, 8):
        add_update(task, n)
    many = _queries(client, url)
    assert few == many, (few, many)
