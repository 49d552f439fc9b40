"""Entering a directive through its page: tasks with every kind of deadline, the rules' problems shown beside
their fields and in the summary with nothing written, the extra row without JavaScript, and who may enter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from trongtam.directives.models import Directive, Recurrence
from trongtam.followup.models import Task
from trongtam.org.models import Unit
from trongtam.workdays.domain.queries import work_calendar

pytestmark = pytest.mark.django_db

ADD = reverse("directives:directive-add")
NUMBER = "45/TB-UBND"


def form_data(tasks: list[dict[str, Any]], rows: int = 3, **document: str) -> dict[str, Any]:
    """What the browser sends: the document, then `rows` task rows (`{}` for a row left empty)."""
    data: dict[str, Any] = {
        "number": NUMBER,
        "issued_on": "02/03/2026",
        "kind": "conclusion",
        "signer": "Nguyễn Văn An",
        "excerpt": "Kết luận của Chủ tịch UBND tỉnh về xuất khẩu nông sản",
        "tasks-TOTAL_FORMS": str(rows),
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
    }
    data.update(document)
    for i in range(rows):
        row = tasks[i] if i < len(tasks) else {}
        data[f"tasks-{i}-deadline_kind"] = "date"  # the select's default, sent even for an empty row
        data[f"tasks-{i}-frequency"] = ""
        for key, value in row.items():
            data[f"tasks-{i}-{key}"] = value
    return data


def unit_pk(code: str) -> int:
    return Unit.objects.get(code=code).pk


def working_days_task() -> dict[str, Any]:
    return {
        "title": "Xây dựng kế hoạch xúc tiến xuất khẩu",
        "lead_unit": str(unit_pk("SCT")),
        "coordinating_units": [str(unit_pk("STC"))],
        "deadline_kind": "working_days",
        "working_days": "15",
    }


def monthly_task() -> dict[str, Any]:
    return {
        "title": "Báo cáo tình hình xuất khẩu",
        "lead_unit": str(unit_pk("SCT")),
        "deadline_kind": "recurring",
        "frequency": "monthly",
        "day": "25",
        "until": "30/06/2026",
    }


def test_the_office_enters_a_directive_with_two_tasks(client_for: Any) -> None:
    """Row 2 is left empty and ignored; the monthly task becomes one task per month."""
    client = client_for("vanphong")
    response = client.post(ADD, form_data([working_days_task(), {}, monthly_task()]), follow=True)
    directive = Directive.objects.get(number=NUMBER)
    assert response.redirect_chain[-1][0] == directive.get_absolute_url()
    assert "Đã nhập văn bản" in response.content.decode()
    tasks = list(directive.tasks.order_by("deadline", "pk"))
    one_off = [t for t in tasks if t.series_id is None]
    assert len(one_off) == 1
    assert one_off[0].deadline == work_calendar().add_working_days(dt.date(2026, 3, 2), 15)
    assert list(one_off[0].coordinating_units.values_list("code", flat=True)) == ["STC"]
    series = Recurrence.objects.get(directive=directive)
    assert series.frequency == "monthly"
    occurrences = [t for t in tasks if t.series_id == series.pk]
    assert len(occurrences) == 4  # 25/3, 25/4, 25/5, 25/6 (moved to working days)
    assert all(t.deadline and t.deadline >= dt.date(2026, 3, 25) for t in occurrences)


def test_a_deadline_before_the_document_date_is_shown_beside_the_field_and_nothing_is_written(
    client_for: Any,
) -> None:
    late = {
        "title": "Rà soát thủ tục hành chính",
        "lead_unit": str(unit_pk("STC")),
        "deadline_kind": "date",
        "deadline_date": "01/02/2026",
    }
    tasks_before = Task.objects.count()
    response = client_for("vanphong").post(ADD, form_data([working_days_task(), {}, late]))
    assert response.status_code == 200
    # The domain numbers the filled rows 0, 1; the problem of its task 1 lands on the page's row 3.
    errors = response.context["formset"].forms[2].errors
    assert "trước ngày ban hành văn bản" in errors["deadline_date"][0]
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_tasks-2-deadline_date"' in html
    assert 'id="id_tasks-2-deadline_date_error"' in html
    # Nothing lost, nothing written.
    assert NUMBER in html
    assert "Rà soát thủ tục hành chính" in html
    assert 'value="01/02/2026"' in html
    assert not Directive.objects.filter(number=NUMBER).exists()
    assert Task.objects.count() == tasks_before


def test_problems_without_a_field_go_to_the_summary(client_for: Any) -> None:
    response = client_for("vanphong").post(ADD, form_data([]))
    assert response.status_code == 200
    assert "Văn bản cần có ít nhất một nhiệm vụ." in response.context["extra_errors"]
    assert "Văn bản cần có ít nhất một nhiệm vụ." in response.content.decode()


def test_add_row_keeps_the_input_and_judges_nothing(client_for: Any) -> None:
    data = form_data([working_days_task()])
    data["add_row"] = "1"
    response = client_for("vanphong").post(ADD, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 4
    html = response.content.decode()
    assert 'id="error-summary"' not in html
    assert 'name="tasks-3-title"' in html
    assert "Xây dựng kế hoạch xúc tiến xuất khẩu" in html
    assert NUMBER in html
    assert not Directive.objects.filter(number=NUMBER).exists()


@pytest.mark.parametrize("username", ["gd.sct", "pct.kinhte", "congdan"])
def test_other_roles_may_not_enter_directives(username: str, client_for: Any) -> None:
    client = client_for(username)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data([working_days_task()])).status_code == 403
    assert not Directive.objects.filter(number=NUMBER).exists()


def test_the_list_offers_the_button_only_to_those_who_may_enter(client_for: Any) -> None:
    assert ADD in client_for("vanphong").get(reverse("directives:directive-list")).content.decode()
    assert ADD not in client_for("gd.sct").get(reverse("directives:directive-list")).content.decode()


def test_the_form_page_opens_with_three_rows(client_for: Any) -> None:
    response = client_for("chutich").get(ADD)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 3
    assert 'enctype="multipart/form-data"' in response.content.decode()
