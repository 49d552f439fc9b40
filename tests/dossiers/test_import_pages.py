"""The import pages and API: upload, progress, result, the list of past imports, and who may do what."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.dossiers.factories import make_procedure
from tests.dossiers.test_imports import csv_bytes, dossier_row
from trongtam.dossiers.enums import ImportKind, ImportStatus
from trongtam.dossiers.models import Dossier, ImportJob
from trongtam.org.models import Person

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def procedure(db: None) -> None:
    make_procedure("T-IMP-05", processing_days=5)


def upload(client: Client, data: bytes, name: str = "ho-so.csv", **fields: str) -> Any:
    return client.post(
        reverse("dossiers:import-new"),
        {"kind": "dossiers", "file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields},
    )


def test_uploading_a_file_imports_it_and_shows_the_counts(
    client_for: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("cc.xa01")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_bytes([dossier_row("IMP-0001"), dossier_row("IMP-0002")]))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:import-detail", args=[job.pk])
    assert (job.status, job.created_count, job.created_by) == ("done", 2, person("cc.xa01"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Đã nhập xong 2 dòng." in page.content.decode()
    assert Dossier.objects.filter(code__startswith="IMP-").count() == 2


def test_a_refused_file_shows_its_errors_by_row_and_column(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("cc.xa01")

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes([dossier_row(MaTTHC="9.999")]))

    job = ImportJob.objects.get()
    page = client.get(reverse("dossiers:import-detail", args=[job.pk])).content.decode()
    assert job.status == ImportStatus.FAILED
    assert "Tệp có 1 lỗi. Chưa ghi dòng nào" in page
    assert "<td>2</td><td>MaTTHC</td><td>Không có thủ tục mã «9.999» trong danh mục thủ tục.</td>" in page


def test_an_empty_file_is_refused_on_the_form(client_for: Any) -> None:
    response = upload(client_for("cc.xa01"), b"")

    assert response.status_code == 200
    assert "Tệp rỗng (0 byte): không có gì để nhập." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_on_the_form(client_for: Any) -> None:
    response = upload(client_for("cc.xa01"), b"%PDF-1.7", "ho-so.pdf")

    assert "không thuộc loại được nhận" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_unit_outside_the_persons_reach_is_refused(client_for: Any, unit: Any) -> None:
    response = upload(client_for("cc.xa01"), csv_bytes([dossier_row()]), unit=str(unit("XA02").pk))

    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_the_mapping_typed_on_the_form_is_kept_on_the_job(client_for: Any) -> None:
    upload(client_for("cc.xa01"), csv_bytes([dossier_row()]), map_dossiers_code="SoHoSoGoc")

    assert ImportJob.objects.get().mapping == {"code": "SoHoSoGoc"}


def test_progress_while_checking_then_a_refresh_once_done(client_for: Any, person: Any) -> None:
    job = ImportJob.objects.create(
        kind=ImportKind.DOSSIERS,
        original_name="ho-so.csv",
        file_format="csv",
        status=ImportStatus.RUNNING,
        rows_total=3000,
        rows_done=1000,
        created_by=person("cc.xa01"),
    )
    client = client_for("cc.xa01")
    url = reverse("dossiers:import-progress", args=[job.pk])

    checking = client.get(url, headers={"HX-Request": "true"}).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(rows_done=3000)
    writing = client.get(url, headers={"HX-Request": "true"}).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    done = client.get(url, headers={"HX-Request": "true"})

    assert "Đang kiểm tra: 1.000/3.000 dòng." in checking
    assert "Đang ghi vào cơ sở dữ liệu" in writing
    assert (done.status_code, done["HX-Refresh"]) == (204, "true")


def test_someone_elses_import_is_not_found(client_for: Any, person: Any) -> None:
    job = ImportJob.objects.create(
        kind=ImportKind.DOSSIERS, original_name="a.csv", file_format="csv", created_by=person("cc.xa01")
    )

    assert client_for("cc.xa02").get(reverse("dossiers:import-detail", args=[job.pk])).status_code == 404
    assert client_for("quantri").get(reverse("dossiers:import-detail", args=[job.pk])).status_code == 200


@pytest.mark.parametrize(
    ("username", "status"), [("cc.xa01", 200), ("vanphong", 200), ("hdnd", 403), ("congdan", 403)]
)
def test_who_may_open_the_import_pages(client_for: Any, username: str, status: int) -> None:
    client = client_for(username)

    assert client.get(reverse("dossiers:import-new")).status_code == status
    assert client.get(reverse("dossiers:import-list")).status_code == status


def test_the_office_imports_only_the_catalog(client_for: Any) -> None:
    form = client_for("vanphong").get(reverse("dossiers:import-new")).context["form"]

    assert [value for value, _label in form.fields["kind"].choices] == ["procedures"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_list_of_imports_takes_constant_queries(
    client_for: Any, person: Any, item_count: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(item_count):
        ImportJob.objects.create(
            kind=ImportKind.DOSSIERS,
            original_name=f"{n}.csv",
            file_format="csv",
            created_by=person("cc.xa01"),
        )
    client = client_for("cc.xa01")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("dossiers:import-list"))

    assert len(response.context["jobs"]) == item_count


def test_the_sample_files_download_for_those_who_may_import_them(client_for: Any) -> None:
    officer = client_for("cc.xa01")

    sample = officer.get(reverse("dossiers:import-sample", args=["ho-so-hom-qua.csv"]))

    assert sample.status_code == 200
    assert b"".join(sample.streaming_content).startswith(b"\xef\xbb\xbfMaHoSo,MaTTHC,MaDonVi")
    assert officer.get(reverse("dossiers:import-sample", args=["danh-muc-thu-tuc.csv"])).status_code == 403
    assert officer.get(reverse("dossiers:import-sample", args=["..%2Fmodels.py"])).status_code == 404


# -- the API -------------------------------------------------------------------------------------------------------


def api_upload(client: Client, data: bytes, name: str = "ho-so.csv", **fields: str) -> Any:
    return client.post("/api/v1/dossier-imports", {"file": SimpleUploadedFile(name, data), **fields})


def test_api_upload_then_follow_the_job(client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("cc.xa01")

    with django_capture_on_commit_callbacks(execute=True):
        created = api_upload(
            client, csv_bytes([dossier_row("IMP-0001")]), mapping=json.dumps({"code": "MaHoSo"})
        )
    job_id = created.json()["id"]
    followed = client.get(f"/api/v1/dossier-imports/{job_id}").json()

    assert created.status_code == 201
    assert created.json()["phase"] == "queued"
    assert (followed["phase"], followed["created_count"], followed["errors"]) == ("done", 1, [])
    assert client.get("/api/v1/dossier-imports").json()["items"][0]["id"] == job_id


def test_api_reports_the_errors_by_row_and_column(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("cc.xa01")

    with django_capture_on_commit_callbacks(execute=True):
        created = api_upload(client, csv_bytes([dossier_row(TrangThaiHoSoId="0")]))
    followed = client.get(f"/api/v1/dossier-imports/{created.json()['id']}").json()

    assert (followed["phase"], followed["error_total"]) == ("failed", 1)
    assert followed["errors"] == [
        {
            "row": 2,
            "column": "TrangThaiHoSoId",
            "message": "Trạng thái «0» không hợp lệ: phải là số từ 1 đến 10.",
        }
    ]


def test_api_refuses_a_bad_upload_with_the_field_named(client_for: Any) -> None:
    client = client_for("cc.xa01")

    empty = api_upload(client, b"")
    bad_mapping = api_upload(client, csv_bytes([dossier_row()]), mapping="[1]")
    bad_unit = api_upload(client, csv_bytes([dossier_row()]), unit="XA99")

    assert (empty.status_code, list(empty.json()["errors"])) == (400, ["file"])
    assert (bad_mapping.status_code, list(bad_mapping.json()["errors"])) == (400, ["mapping"])
    assert (bad_unit.status_code, list(bad_unit.json()["errors"])) == (400, ["unit"])
    assert not ImportJob.objects.exists()


def test_api_permissions(client_for: Any, person: Any) -> None:
    job = ImportJob.objects.create(
        kind=ImportKind.DOSSIERS, original_name="a.csv", file_format="csv", created_by=person("cc.xa01")
    )

    assert api_upload(client_for("congdan"), csv_bytes([dossier_row()])).status_code == 403
    assert client_for("congdan").get(f"/api/v1/dossier-imports/{job.pk}").status_code == 403
    assert client_for("cc.xa02").get(f"/api/v1/dossier-imports/{job.pk}").status_code == 404
    assert api_upload(client_for("cc.xa01"), csv_bytes([dossier_row()]), kind="procedures").status_code == 403


def test_the_worker_task_runs_a_queued_job_once(person: Any) -> None:
    from django.core.files.base import ContentFile

    from trongtam.dossiers.jobs import task_run_import

    job = ImportJob(
        kind=ImportKind.DOSSIERS, original_name="ho-so.csv", file_format="csv", created_by=person("cc.xa01")
    )
    job.file.save("ho-so.csv", ContentFile(csv_bytes([dossier_row("IMP-0001")])), save=True)

    first = task_run_import.enqueue(job_id=job.pk)
    second = task_run_import.enqueue(job_id=job.pk)

    assert (first.return_value, second.return_value) == ("done", "")
    assert Dossier.objects.filter(code="IMP-0001").count() == 1


def test_the_command_imports_a_file_from_disk(tmp_path: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "ho-so.csv"
    path.write_bytes(csv_bytes([dossier_row("IMP-0001")]))
    out = io.StringIO()

    call_command("import_dossiers", str(path), "--user", "cc.xa01", stdout=out)

    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.created_by) == (
        "done",
        1,
        Person.objects.get(username="cc.xa01"),
    )
    assert "1 tạo mới" in out.getvalue()
