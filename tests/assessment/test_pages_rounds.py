"""Pages of rounds and rubrics: who may open each, opening a round, importing a rubric file, the classification
preview with a quota demotion, the sign-off (also with a stale version), and constant query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessment.conftest import (
    CUT_OFF,
    clear_followup,
    only_heads_of,
)
from trongtam.assessment.demo import rubric_2026_data
from trongtam.assessment.domain import rounds
from trongtam.assessment.enums import Level, RoundStatus, SheetStatus
from trongtam.assessment.models import Round, RubricVersion, ScoreSheet
from trongtam.cycles.models import Period
from trongtam.org.enums import Role
from trongtam.org.models import Person

pytestmark = pytest.mark.django_db

EVERYONE = ["noivu", "chutich", "pct.kinhte", "gd.stc", "hdnd", "congdan"]


def _status(client_for: Any, username: str, url: str) -> int:
    return int(client_for(username).get(url).status_code)


def _json_file(data: Any, name: str = "bo-tieu-chi.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(data, ensure_ascii=False).encode(), "application/json")


# -- who may open each page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [("noivu", 200), ("chutich", 200), ("pct.kinhte", 200), ("gd.stc", 200), ("hdnd", 200), ("congdan", 403)],
)
def test_round_list_is_for_those_who_view_rounds(client_for: Any, username: str, expected: int) -> None:
    assert _status(client_for, username, reverse("assessment:round-list")) == expected


def test_round_list_counts_only_the_sheets_the_person_may_see(client_for: Any, small_round: Round) -> None:
    """Two sheets (STC, SCT): Home Affairs counts both, the head of STC only their own."""

    def sheets_counted(username: str) -> int:
        rows = client_for(username).get(reverse("assessment:round-list")).context["rows"]
        return next(rnd.n_sheets for rnd, _counts in rows if rnd.pk == small_round.pk)

    assert sheets_counted("noivu") == 2
    assert sheets_counted("gd.stc") == 1
    assert sheets_counted("pct.vanxa") == 0  # neither unit is in this Vice-Chairman's charge


def test_round_list_shows_the_buttons_of_home_affairs_only(client_for: Any, small_round: Round) -> None:
    home_affairs = client_for("noivu").get(reverse("assessment:round-list")).content.decode()
    head = client_for("gd.stc").get(reverse("assessment:round-list")).content.decode()

    assert reverse("assessment:round-open") in home_affairs
    assert reverse("assessment:round-open") not in head
    assert small_round.name in head


@pytest.mark.parametrize(
    ("username", "expected"),
    [("noivu", 200), ("chutich", 403), ("pct.kinhte", 403), ("gd.stc", 403), ("hdnd", 403), ("congdan", 403)],
)
def test_round_open_is_for_home_affairs(client_for: Any, username: str, expected: int) -> None:
    assert _status(client_for, username, reverse("assessment:round-open")) == expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [("noivu", 200), ("chutich", 200), ("pct.kinhte", 200), ("gd.stc", 200), ("hdnd", 200), ("congdan", 403)],
)
def test_round_detail_is_for_those_who_view_rounds(
    client_for: Any, small_round: Round, username: str, expected: int
) -> None:
    assert (
        _status(client_for, username, reverse("assessment:round-detail", args=[small_round.pk])) == expected
    )


def test_round_detail_lists_only_the_sheets_in_scope(client_for: Any, small_round: Round) -> None:
    url = reverse("assessment:round-detail", args=[small_round.pk])
    stc = small_round.sheets.get(unit__code="STC")
    sct = small_round.sheets.get(unit__code="SCT")

    everyone = client_for("noivu").get(url).content.decode()
    own = client_for("gd.stc").get(url).content.decode()

    assert stc.unit.name in everyone
    assert sct.unit.name in everyone
    assert reverse("assessment:sheet-detail", args=[stc.pk]) in own
    assert reverse("assessment:sheet-detail", args=[sct.pk]) not in own


def test_round_detail_filters_by_status(client_for: Any, small_round: Round, person: Any) -> None:
    stc = small_round.sheets.get(unit__code="STC")
    rounds.enter_points(stc.pk, "CT.1", points=5, by=stc.person, expected_version=stc.version)
    ScoreSheet.objects.filter(pk=stc.pk).update(status=SheetStatus.REVIEW)
    url = reverse("assessment:round-detail", args=[small_round.pk])

    page = client_for("noivu").get(url, {"trang_thai": SheetStatus.REVIEW}).content.decode()

    assert reverse("assessment:sheet-detail", args=[stc.pk]) in page
    sct = small_round.sheets.get(unit__code="SCT")
    assert reverse("assessment:sheet-detail", args=[sct.pk]) not in page


def test_an_unknown_round_is_a_404(client_for: Any) -> None:
    assert _status(client_for, "noivu", reverse("assessment:round-detail", args=[999999])) == 404


@pytest.mark.parametrize(
    ("username", "expected"),
    [("noivu", 200), ("chutich", 200), ("pct.kinhte", 403), ("gd.stc", 403), ("hdnd", 403), ("congdan", 403)],
)
def test_round_preview_is_for_home_affairs_and_the_chairman(
    client_for: Any, small_round: Round, username: str, expected: int
) -> None:
    assert (
        _status(client_for, username, reverse("assessment:round-preview", args=[small_round.pk])) == expected
    )


@pytest.mark.parametrize("username", ["noivu", "pct.kinhte", "gd.stc", "hdnd", "congdan"])
def test_only_the_chairman_signs(client_for: Any, quota_round: Round, username: str) -> None:
    response = client_for(username).post(
        reverse("assessment:round-sign", args=[quota_round.pk]), {"version": quota_round.version}
    )

    assert response.status_code == 403
    assert Round.objects.get(pk=quota_round.pk).status == RoundStatus.OPEN


@pytest.mark.parametrize(
    ("username", "expected"),
    [("noivu", 200), ("chutich", 200), ("pct.kinhte", 200), ("gd.stc", 200), ("hdnd", 200), ("congdan", 403)],
)
def test_rubric_pages_are_for_those_who_manage_rubrics_or_view_rounds(
    client_for: Any, rubric_2026: RubricVersion, username: str, expected: int
) -> None:
    assert _status(client_for, username, reverse("assessment:rubric-list")) == expected
    assert (
        _status(client_for, username, reverse("assessment:rubric-detail", args=[rubric_2026.pk])) == expected
    )
    assert (
        _status(client_for, username, reverse("assessment:rubric-download", args=[rubric_2026.pk]))
        == expected
    )


@pytest.mark.parametrize(
    ("username", "expected"),
    [("noivu", 200), ("chutich", 403), ("pct.kinhte", 403), ("gd.stc", 403), ("hdnd", 403), ("congdan", 403)],
)
def test_rubric_import_is_for_home_affairs(client_for: Any, username: str, expected: int) -> None:
    assert _status(client_for, username, reverse("assessment:rubric-import")) == expected


def test_the_nav_links_to_rounds_for_those_who_view_them(client_for: Any) -> None:
    url = reverse("assessment:round-list")
    assert url in client_for("gd.stc").get(reverse("core:home")).content.decode()
    assert url not in client_for("congdan").get(reverse("core:home")).content.decode()


# -- rubrics ------------------------------------------------------------------------------------------------------


def test_rubric_detail_shows_the_tree_with_points_kinds_metrics_and_scoring(
    client_for: Any, rubric_2026: RubricVersion
) -> None:
    page = (
        client_for("gd.stc").get(reverse("assessment:rubric-detail", args=[rubric_2026.pk])).content.decode()
    )

    rubric = rounds.rubric_of(rubric_2026)
    automatic = next(c for c, _above in rubric.walk() if c.is_automatic and c.scoring is not None)
    assert automatic.scoring is not None
    assert automatic.label in page
    assert automatic.metric in page
    assert automatic.scoring.describe(automatic.max_points) in page
    assert "Tự động từ dữ liệu" in page
    assert "Chưa khoá" in page


def test_rubric_download_is_the_json_that_imports_again(client_for: Any, rubric_2026: RubricVersion) -> None:
    response = client_for("noivu").get(reverse("assessment:rubric-download", args=[rubric_2026.pk]))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="bo-tieu-chi-2026-v1.json"'
    assert json.loads(response.content) == rubric_2026.data


def test_importing_a_good_file_adds_the_next_version(client_for: Any, period: Period) -> None:
    response = client_for("noivu").post(
        reverse("assessment:rubric-import"), {"period": period.pk, "file": _json_file(rubric_2026_data())}
    )

    version = RubricVersion.objects.get(period=period, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:rubric-detail", args=[version.pk])
    assert version.data == rubric_2026_data()


def _bad_rubric() -> Any:
    data = rubric_2026_data()
    data["criteria"][1]["children"][0]["metric"] = "followup.no_such_metric"
    data["criteria"][0]["children"][0]["max_points"] = "9"  # the general part no longer adds up to 30
    return data


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (lambda: _json_file(_bad_rubric()), ["KQ.1", "followup.no_such_metric", "CT"]),
        (
            lambda: SimpleUploadedFile("a.json", b"{not json", "application/json"),
            ["lỗi cú pháp JSON", "dòng 1"],
        ),
        (lambda: _json_file(rubric_2026_data(), name="a.txt"), ["không phải tệp .json"]),
        (lambda: SimpleUploadedFile("a.json", b"\xff\xfe\x00bad", "application/json"), ["UTF-8"]),
        (
            lambda: SimpleUploadedFile("big.json", b" " * (1024 * 1024 + 1), "application/json"),
            ["vượt giới hạn 1 MB"],
        ),
        (lambda: _json_file([1, 2]), ["Chưa lưu được"]),
    ],
)
def test_importing_a_bad_file_names_each_problem_and_writes_nothing(
    client_for: Any, period: Period, upload: Any, expected: list[str]
) -> None:
    before = RubricVersion.objects.count()

    response = client_for("noivu").post(
        reverse("assessment:rubric-import"), {"period": period.pk, "file": upload()}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    for text in expected:
        assert text in page
    assert RubricVersion.objects.count() == before


def test_importing_without_a_file_says_so(client_for: Any, period: Period) -> None:
    response = client_for("noivu").post(reverse("assessment:rubric-import"), {"period": period.pk})

    assert "Hãy chọn tệp bộ tiêu chí cần nhập." in response.content.decode()


# -- opening a round ----------------------------------------------------------------------------------------------


def test_opening_a_round_through_the_page(
    client_for: Any, period: Period, rubric_2026: RubricVersion, django_capture_on_commit_callbacks: Any
) -> None:
    only_heads_of(["STC", "SCT"])

    with django_capture_on_commit_callbacks(execute=True):  # the job, run by the worker in service
        response = client_for("noivu").post(
            reverse("assessment:round-open"),
            {
                "period": period.pk,
                "rubric": rubric_2026.pk,
                "name": "Đánh giá năm 2026",
                "cut_off": "30/11/2026",
            },
        )

    rnd = Round.objects.get(name="Đánh giá năm 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:round-detail", args=[rnd.pk])
    assert (rnd.cut_off, rnd.status, rnd.expected_sheets) == (CUT_OFF, RoundStatus.OPEN, 2)
    assert rnd.sheets.count() == 2
    rubric_2026.refresh_from_db()
    assert rubric_2026.frozen_at is not None


def test_opening_a_round_with_a_cut_off_outside_the_period_keeps_the_input(
    client_for: Any, period: Period, rubric_2026: RubricVersion
) -> None:
    response = client_for("noivu").post(
        reverse("assessment:round-open"),
        {"period": period.pk, "rubric": rubric_2026.pk, "name": "Đợt thử", "cut_off": "15/02/2027"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày chốt số liệu phải nằm trong kỳ" in page
    assert 'value="Đợt thử"' in page
    assert 'value="15/02/2027"' in page
    assert not Round.objects.filter(name="Đợt thử").exists()


# -- the preview and the sign-off ---------------------------------------------------------------------------------


def test_the_preview_explains_a_quota_demotion(client_for: Any, quota_round: Round) -> None:
    page = (
        client_for("noivu").get(reverse("assessment:round-preview", args=[quota_round.pk])).content.decode()
    )

    skhcn = quota_round.sheets.select_related("person", "unit").get(unit__code="SKHCN")
    assert skhcn.unit.name in page
    assert "Tỷ lệ hoàn thành xuất sắc: xếp thứ 2/2 trong nhóm" in page
    assert "Người đứng đầu sở, ban, ngành và tương đương" in page
    assert "giữ lần lượt người có tổng điểm cao hơn" in page  # the tie-break
    assert "văn bản chưa xác nhận quy tắc làm tròn" in page  # the unconfirmed settings
    assert 'id="levels-chart"' in page
    assert "vendor/echarts/echarts.min.js" in page
    chart = page.split('<script id="levels-data" type="application/json">')[1].split("</script>")[0]
    data = json.loads(chart)
    excellent = data["labels"].index(str(Level.EXCELLENT.label))
    assert [s["data"][excellent] for s in data["series"]] == [2, 1]
    assert "Phê duyệt kết quả đánh giá" not in page  # Home Affairs previews; the Chairman signs


def test_the_chairman_signs_from_the_preview(client_for: Any, quota_round: Round) -> None:
    chairman = client_for("chutich")
    preview = chairman.get(reverse("assessment:round-preview", args=[quota_round.pk])).content.decode()
    assert reverse("assessment:round-sign", args=[quota_round.pk]) in preview

    response = chairman.post(
        reverse("assessment:round-sign", args=[quota_round.pk]), {"version": quota_round.version}
    )

    assert response.status_code == 302
    assert Round.objects.get(pk=quota_round.pk).status == RoundStatus.SIGNED
    detail = chairman.get(reverse("assessment:round-detail", args=[quota_round.pk])).content.decode()
    assert str(Level.EXCELLENT.label) in detail
    assert ScoreSheet.objects.get(round=quota_round, unit__code="SKHCN").level == Level.GOOD


def test_a_stale_sign_off_shows_the_message_and_signs_nothing(client_for: Any, quota_round: Round) -> None:
    response = client_for("chutich").post(
        reverse("assessment:round-sign", args=[quota_round.pk]), {"version": quota_round.version + 1}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert f'name="version" value="{quota_round.version}"' in page  # the version stored now, to sign again
    assert Round.objects.get(pk=quota_round.pk).status == RoundStatus.OPEN


def test_signing_before_every_sheet_is_verified_is_refused_on_the_page(
    client_for: Any, small_round: Round
) -> None:
    response = client_for("chutich").post(
        reverse("assessment:round-sign", args=[small_round.pk]), {"version": small_round.version}
    )

    assert "còn 2 phiếu chưa thẩm định" in response.content.decode()
    assert Round.objects.get(pk=small_round.pk).status == RoundStatus.OPEN


def test_the_sign_button_shows_on_the_round_only_when_every_sheet_is_verified(
    client_for: Any, quota_round: Round
) -> None:
    sign = "Phê duyệt kết quả đánh giá"
    url = reverse("assessment:round-detail", args=[quota_round.pk])
    chairman = client_for("chutich")
    assert sign in chairman.get(url).content.decode()
    assert sign not in client_for("noivu").get(url).content.decode()

    ScoreSheet.objects.filter(round=quota_round, unit__code="STC").update(status=SheetStatus.VERIFICATION)

    assert sign not in chairman.get(url).content.decode()


# -- queries ------------------------------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["assessment:round-detail", "assessment:round-preview"])
def test_the_number_of_queries_does_not_grow_with_the_sheets(
    client_for: Any, person: Any, period: Period, rubric_2026: RubricVersion, page: str
) -> None:
    clear_followup(["STC", "SCT", "SXD", "SNV", "SKHCN", "SNNMT"])
    only_heads_of(["STC"])
    one = rounds.open_round(period, rubric_2026, name="Một", cut_off=CUT_OFF, by=person("noivu"))
    Person.objects.filter(role=Role.HEAD, unit__code__in=["SCT", "SXD", "SNV", "SKHCN", "SNNMT"]).update(
        is_active=True
    )
    many = rounds.open_round(period, rubric_2026, name="Nhiều", cut_off=CUT_OFF, by=person("noivu"))
    assert many.sheets.count() == 6
    client = client_for("noivu")
    client.get(reverse(page, args=[one.pk]))  # warm the session and caches

    small = _queries(client, reverse(page, args=[one.pk]))
    large = _queries(client, reverse(page, args=[many.pk]))

    assert large == small
    assert small <= 15


def test_round_list_queries_do_not_grow_with_the_rounds(client_for: Any, open_small_round: Any) -> None:
    open_small_round(["STC"], name="Một")
    client = client_for("noivu")
    client.get(reverse("assessment:round-list"))
    small = _queries(client, reverse("assessment:round-list"))
    open_small_round(["STC"], name="Hai")
    open_small_round(["STC"], name="Ba")

    assert _queries(client, reverse("assessment:round-list")) == small
