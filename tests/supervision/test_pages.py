"""The pages: lists filtered and paginated in the database (query counts that do not grow with the rows), the
detail pages with the steps each person may take, the forms, the files served through a checked view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.supervision.conftest import (
    HELD,
    by,
    make_dialogue,
    make_issue,
    make_recommendation,
    matrix_dialogue,
    unit_pk,
)
from trongtam.core.models import AuditEntry
from trongtam.supervision.domain.items import act_on_issue
from trongtam.supervision.enums import IssueAction, RaiserKind
from trongtam.supervision.models import Dialogue, DialogueFile, DialogueIssue, Recommendation

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize("item_count", [1, 3])
def test_issue_list_query_count_does_not_grow(
    item_count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(item_count):
        make_issue(content=f"Kiến nghị số {n}")
    client = client_for("gd.sct")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("supervision:issue-list"))
    assert response.status_code == 200
    assert len(response.context["items"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_recommendation_list_query_count_does_not_grow(
    item_count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(item_count):
        make_recommendation(title=f"Kiến nghị giám sát {n}")
    client = client_for("gd.sct")  # its scope holds only these (whatever else the demo province has)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("supervision:recommendation-list"))
    assert response.status_code == 200
    assert len(response.context["items"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_dialogue_list_query_count_does_not_grow(
    item_count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(item_count):
        make_issue(make_dialogue(topic=f"Đối thoại số {n}"))
    client = client_for("pgd.sct")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("supervision:dialogue-list"))
    rows = list(response.context["dialogues"])
    assert len(rows) == item_count
    assert [r.issue_count for r in rows] == [1] * item_count


@time_machine.travel(dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC), tick=False)
def test_the_overdue_filter_lists_only_items_waiting_past_their_deadline(client_for: Any) -> None:
    late = make_recommendation(deadline=dt.date(2026, 3, 20), title="Quá hạn")
    make_recommendation(deadline=dt.date(2026, 4, 20), title="Còn hạn")
    make_recommendation(deadline=dt.date(2026, 3, 20), title="Đã báo cáo", status="answered")
    response = client_for("hdnd").get(
        reverse("supervision:recommendation-list"), {"overdue": "on", "responsible_unit": unit_pk("SCT")}
    )
    assert [r.pk for r in response.context["items"]] == [late.pk]
    assert "Quá hạn" in response.content.decode()


def test_a_persons_name_is_not_in_the_lists_but_on_the_issue_page(client_for: Any) -> None:
    issue = make_issue(raiser_kind=RaiserKind.PERSON, raised_by="Phạm Thị Hoa")
    client = client_for("vanphong")
    assert "Phạm Thị Hoa" not in client.get(reverse("supervision:issue-list")).content.decode()
    assert "Phạm Thị Hoa" not in client.get(matrix_dialogue().get_absolute_url()).content.decode()
    assert "Phạm Thị Hoa" in client.get(issue.get_absolute_url()).content.decode()
    assert "Người dân" in client.get(reverse("supervision:issue-list")).content.decode()


def test_recording_a_dialogue_through_the_form(client_for: Any) -> None:
    response = client_for("gd.sct").post(
        reverse("supervision:dialogue-new"),
        {
            "topic": "Đối thoại với hộ kinh doanh chợ Sơn Hà", "audience": "both", "held_on": "02/03/2026",
            "chaired_by": by("gd.sct").pk, "organizing_unit": unit_pk("SCT"), "participants": "", "summary": "",
        },
    )  # fmt: skip
    dialogue = Dialogue.objects.get(topic="Đối thoại với hộ kinh doanh chợ Sơn Hà")
    assert response["Location"] == dialogue.get_absolute_url()
    assert dialogue.held_on == HELD


def test_a_head_cannot_record_a_dialogue_of_another_unit(client_for: Any) -> None:
    response = client_for("gd.sct").post(
        reverse("supervision:dialogue-new"),
        {
            "topic": "Đối thoại ngành tài chính", "audience": "both", "held_on": "02/03/2026",
            "chaired_by": by("gd.stc").pk, "organizing_unit": unit_pk("STC"),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Bạn chỉ ghi nhận được buổi đối thoại" in response.content.decode()
    assert not Dialogue.objects.filter(topic="Đối thoại ngành tài chính").exists()


def test_bad_input_names_the_field_and_writes_nothing(client_for: Any) -> None:
    before = Dialogue.objects.count()
    response = client_for("vanphong").post(
        reverse("supervision:dialogue-new"),
        {"topic": "", "audience": "both", "held_on": "31/02/2026", "chaired_by": "", "organizing_unit": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_topic"' in body
    assert 'href="#id_held_on"' in body
    assert Dialogue.objects.count() == before


def test_adding_an_issue_with_working_days_from_the_session(client_for: Any) -> None:
    dialogue = make_dialogue()
    response = client_for("gd.sct").post(
        reverse("supervision:issue-new", args=[dialogue.pk]),
        {
            "issue-content": "Điện cho cụm công nghiệp", "issue-raiser_kind": "business",
            "issue-raised_by": "HTX Tân Lập", "issue-responsible_unit": unit_pk("SCT"), "issue-deadline_days": "5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    issue = DialogueIssue.objects.get(content="Điện cho cụm công nghiệp")
    assert (issue.status, issue.deadline, issue.deadline_days) == ("assigned", dt.date(2026, 3, 9), 5)


def test_a_stale_step_is_a_409_that_names_who_acted(client_for: Any) -> None:
    issue = make_issue()
    seen = issue.version
    act_on_issue(issue.pk, IssueAction.START, by=by("cv.sct"), expected_version=seen)
    response = client_for("gd.sct").post(
        reverse("supervision:issue-act", args=[issue.pk, "answer"]),
        {"step-answer-version": seen, "step-answer-answer": "Đã trả lời bằng văn bản"},
    )
    assert response.status_code == 409
    assert by("cv.sct").full_name in response.content.decode()
    assert DialogueIssue.objects.get(pk=issue.pk).status == "in_handling"


def test_a_step_through_the_page(client_for: Any) -> None:
    issue = make_issue()
    entries = AuditEntry.objects.count()
    response = client_for("gd.sct").post(
        reverse("supervision:issue-act", args=[issue.pk, "answer"]),
        {"step-answer-version": issue.version, "step-answer-answer": "Sở đã cấp giấy phép trong 5 ngày"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.answer) == ("answered", "Sở đã cấp giấy phép trong 5 ngày")
    assert AuditEntry.objects.count() == entries + 1


def test_a_step_without_its_reason_shows_the_message_beside_the_field(client_for: Any) -> None:
    issue = make_issue()
    response = client_for("vanphong").post(
        reverse("supervision:issue-act", args=[issue.pk, "reject"]),
        {"step-reject-version": issue.version, "step-reject-comment": ""},
    )
    assert response.status_code == 200
    assert "Cần nêu lý do, ý kiến khi «Không thụ lý»." in response.content.decode()
    assert DialogueIssue.objects.get(pk=issue.pk).status == "assigned"


def test_the_issue_page_offers_each_person_their_steps(client_for: Any) -> None:
    issue = make_issue()
    steps = {
        u: [a.value for a, *_r in client_for(u).get(issue.get_absolute_url()).context["steps"]]
        for u in ("gd.sct", "cv.sct", "vanphong", "hdnd")
    }
    assert steps == {
        "gd.sct": ["assign", "start", "answer", "close_unresolved", "transfer", "reject"],
        "cv.sct": ["start"],
        "vanphong": ["assign", "close_unresolved", "transfer", "reject"],
        "hdnd": [],
    }


def test_files_are_checked_and_served_only_to_those_who_see_the_dialogue(client_for: Any) -> None:
    dialogue = make_dialogue()
    client = client_for("gd.sct")
    fake = SimpleUploadedFile("bien-ban.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("supervision:dialogue-upload", args=[dialogue.pk]),
        {"files-version": dialogue.version, "files-files": [fake]},
    )
    assert response.status_code == 200
    assert "không phải là tệp PDF thật" in response.content.decode()
    assert not DialogueFile.objects.filter(dialogue=dialogue).exists()
    good = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("supervision:dialogue-upload", args=[dialogue.pk]),
        {"files-version": dialogue.version, "files-files": [good]},
    )
    assert response.status_code == 302
    stored = DialogueFile.objects.get(dialogue=dialogue)
    url = reverse("supervision:dialogue-file", args=[dialogue.pk, stored.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    assert client_for("gd.stc").get(url).status_code == 404


def test_the_council_records_a_recommendation_on_its_supervision_page(client_for: Any) -> None:
    from tests.supervision.conftest import make_supervision

    supervision = make_supervision()
    response = client_for("hdnd").post(
        reverse("supervision:recommendation-new", args=[supervision.pk]),
        {
            "rec-title": "Kiểm tra an toàn thực phẩm tại chợ",
            "rec-details": "",
            "rec-responsible_unit": unit_pk("SCT"),
            "rec-deadline": "30/04/2026",
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(title="Kiểm tra an toàn thực phẩm tại chợ")
    assert (rec.status, rec.deadline, rec.original_deadline) == (
        "assigned",
        dt.date(2026, 4, 30),
        dt.date(2026, 4, 30),
    )


def test_a_recommendation_deadline_before_the_supervision_is_refused(client_for: Any) -> None:
    from tests.supervision.conftest import make_supervision

    supervision = make_supervision()
    response = client_for("hdnd").post(
        reverse("supervision:recommendation-new", args=[supervision.pk]),
        {"rec-title": "Kiến nghị", "rec-responsible_unit": unit_pk("SCT"), "rec-deadline": "01/03/2026"},
    )
    assert response.status_code == 200
    assert "Hạn xử lý 01/03/2026 không được trước ngày 02/03/2026." in response.content.decode()
    assert not Recommendation.objects.filter(supervision=supervision).exists()


@pytest.mark.usefixtures("supervision_demo")
@pytest.mark.parametrize("name", ["dialogue-list", "issue-list", "recommendation-list", "supervision-list"])
def test_the_demo_lists_render(name: str, client_for: Any) -> None:
    assert client_for("chutich").get(reverse(f"supervision:{name}")).status_code == 200


@pytest.mark.usefixtures("supervision_demo")
def test_every_demo_detail_page_renders(client_for: Any) -> None:
    client = client_for("chutich")
    for dialogue in Dialogue.objects.all():
        assert client.get(dialogue.get_absolute_url()).status_code == 200
    for issue in DialogueIssue.objects.all():
        assert client.get(issue.get_absolute_url()).status_code == 200
    for rec in Recommendation.objects.select_related("supervision"):
        assert client.get(rec.get_absolute_url()).status_code == 200
        assert client.get(rec.supervision.get_absolute_url()).status_code == 200
