"""A head scores a manual criterion with an evidence file: stored with the points, audited, opened only by those who
may see the sheet; a wrong or oversized file is refused with a message naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.assessment.conftest import fresh
from trongtam.assessment.models import ScoreSheet
from trongtam.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def sheet(open_small_round: Any) -> ScoreSheet:
    return fresh(open_small_round(["SCT", "STC"]).sheets.get(unit__code="SCT"))


def _post(client: Any, sheet: ScoreSheet, upload: SimpleUploadedFile) -> Any:
    return client.post(
        reverse("assessment:sheet-points", args=[sheet.pk, "CT.1"]),
        {
            "points-CT-1-version": sheet.version,
            "points-CT-1-points": "7,5",
            "points-CT-1-comment": "Đã tổ chức quán triệt nghị quyết",
            "points-CT-1-evidence": upload,
        },
    )


def test_the_head_attaches_evidence_with_the_points_and_viewers_open_it(
    client_for: Any, sheet: ScoreSheet
) -> None:
    response = _post(client_for("gd.sct"), sheet, SimpleUploadedFile("bien-ban.pdf", PDF))

    assert response.status_code == 302
    row = fresh(sheet).scores.get(code="CT.1")
    assert row.evidence.name.endswith(".pdf")
    entry = AuditEntry.objects.filter(object_type="assessment.criterionscore").latest("pk")
    assert entry.changes["evidence"][1] == row.evidence.name
    url = reverse("assessment:sheet-evidence", args=[sheet.pk, "CT.1"])
    assert (
        url in client_for("gd.sct").get(reverse("assessment:sheet-detail", args=[sheet.pk])).content.decode()
    )
    for username in ("gd.sct", "pct.kinhte", "noivu", "chutich"):
        opened = client_for(username).get(url)
        assert opened.status_code == 200, username
        assert b"".join(opened.streaming_content).startswith(b"%PDF")
        assert opened["Content-Type"] == "application/pdf"
    for username in ("gd.stc", "pct.vanxa", "cv.sct", "congdan"):
        assert client_for(username).get(url).status_code == 404, username


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90\x00"), "không thuộc loại được nhận"),
        (SimpleUploadedFile("gia-mao.pdf", b"not a pdf at all"), "không phải là tệp PDF thật"),
        (SimpleUploadedFile("rong.pdf", b""), "rỗng"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_written(
    client_for: Any, sheet: ScoreSheet, upload: SimpleUploadedFile, message: str
) -> None:
    entries = AuditEntry.objects.count()

    response = _post(client_for("gd.sct"), sheet, upload)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Tệp minh chứng</a>" in html  # the error summary links to the field by its label
    row = fresh(sheet).scores.get(code="CT.1")
    assert (row.points, row.evidence.name) == (None, "")
    assert AuditEntry.objects.count() == entries


def test_a_criterion_without_evidence_has_no_file_to_open(client_for: Any, sheet: ScoreSheet) -> None:
    url = reverse("assessment:sheet-evidence", args=[sheet.pk, "CT.1"])

    assert client_for("gd.sct").get(url).status_code == 404
