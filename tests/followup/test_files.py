"""Uploaded files (a task's evidence, a directive's document) are served by views that check who may see the task
or the document, never from a public media URL: the same people as the page, a 404 for everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.followup.factories import make_directive_task
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Evidence
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
SEES_SCT_TASK = ["chutich", "vanphong", "pct.kinhte", "gd.sct", "cv.sct", "hdnd"]
DOES_NOT = ["gd.stc", "pct.vanxa", "congdan"]


@pytest.fixture
def evidence() -> Evidence:
    task = make_directive_task(lead_unit=Unit.objects.get(code="SCT"), lifecycle=Lifecycle.IN_PROGRESS)
    assert task.directive is not None
    task.directive.file.save("thong-bao-ket-luan.pdf", ContentFile(PDF))
    found = Evidence(
        task=task, name="ảnh hiện trường.pdf", content_type="application/pdf", size=len(PDF),
        uploaded_by=Person.objects.get(username="gd.sct"),
    )  # fmt: skip
    found.file.save("anh.pdf", ContentFile(PDF))
    return found


def test_the_task_page_links_to_its_evidence_through_the_checked_view(
    client_for: Any, evidence: Evidence
) -> None:
    page = client_for("gd.sct").get(reverse("followup:task-detail", args=[evidence.task_id])).content.decode()

    assert reverse("followup:evidence-file", args=[evidence.task_id, evidence.pk]) in page
    assert "/media/" not in page


@pytest.mark.parametrize("username", SEES_SCT_TASK)
def test_who_sees_the_task_opens_its_files(client_for: Any, evidence: Evidence, username: str) -> None:
    client = client_for(username)

    files = [
        client.get(reverse("followup:evidence-file", args=[evidence.task_id, evidence.pk])),
        client.get(reverse("directives:directive-file", args=[evidence.task.directive_id])),
    ]

    for response in files:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    assert "filename*=utf-8''%E1%BA%A3nh" in files[0]["Content-Disposition"]  # its Vietnamese name


@pytest.mark.parametrize("username", DOES_NOT)
def test_others_get_a_404(client_for: Any, evidence: Evidence, username: str) -> None:
    client = client_for(username)

    assert (
        client.get(reverse("followup:evidence-file", args=[evidence.task_id, evidence.pk])).status_code == 404
    )
    assert (
        client.get(reverse("directives:directive-file", args=[evidence.task.directive_id])).status_code == 404
    )
