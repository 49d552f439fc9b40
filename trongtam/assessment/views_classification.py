"""Home Affairs sets a round's classification before sign-off: the thresholds, the quota and the optional rules,
and the reasoned exceptions to the quota. Each form posts here and, on a refusal, the preview is shown again with
the input kept and the domain's message at the top of the form (`run_action`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.assessment.domain import round_settings
from trongtam.assessment.interfaces.forms import ClassificationSettingsForm, QuotaExceptionForm
from trongtam.assessment.models import Round
from trongtam.assessment.views_rounds import _preview_page, _round
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.types import AuthedRequest


def _configurable(request: AuthedRequest, pk: int) -> Round:
    rnd = _round(pk)
    if not request.user.has_perm(round_settings.PERM, rnd):
        raise PermissionDenied
    return rnd


def _act(
    request: AuthedRequest, rnd: Round, key: str, form: Any, run: Any, **form_kwargs: Any
) -> HttpResponse:
    return run_action(
        request,
        form,
        run,
        done_url=reverse("assessment:round-preview", args=[rnd.pk]) + "#classification-settings",
        page=lambda shown, errors: _preview_page(
            request, _round(rnd.pk), shown={key: shown}, form_errors={key: errors}
        ),
        current_version=lambda: Round.objects.values_list("version", flat=True).get(pk=rnd.pk),
        form_kwargs=form_kwargs,
    )


@login_required
@require_POST
def classification_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _configurable(request, pk)
    form = ClassificationSettingsForm(request.POST, prefix="settings")

    def run(data: dict[str, Any]) -> str:
        round_settings.save_settings(
            rnd.pk,
            excellent=data["excellent"],
            good=data["good"],
            completed=data["completed"],
            quota_share_percent=data["quota_share"],
            quota_rounding=data["quota_rounding"],
            rules_off=data["rules_off"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã lưu thiết lập xếp loại của đợt đánh giá.")

    return _act(request, rnd, "settings", form, run)


def _people(rnd: Round) -> list[tuple[int, str]]:
    return [
        (person_id, f"{unit} — {name}")
        for person_id, unit, name in rnd.sheets.values_list("person_id", "unit__name", "person__full_name")
    ]


@login_required
@require_POST
def exception_add(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _configurable(request, pk)
    people = _people(rnd)
    form = QuotaExceptionForm(request.POST, prefix="exception", people=people)

    def run(data: dict[str, Any]) -> str:
        exception = round_settings.add_exception(
            rnd.pk,
            data["person"],
            reason=data["reason"],
            basis=data["basis"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã ghi ngoại lệ tỷ lệ hoàn thành xuất sắc cho %(name)s.") % {
            "name": exception.person.get_full_name()
        }

    return _act(request, rnd, "exception", form, run, people=people)


@login_required
@require_POST
def exception_remove(request: AuthedRequest, pk: int, exception_pk: int) -> HttpResponse:
    rnd = _configurable(request, pk)
    form = VersionedForm(request.POST, prefix="remove")

    def run(data: dict[str, Any]) -> str:
        round_settings.remove_exception(
            rnd.pk, exception_pk, by=request.user, expected_version=data["version"]
        )
        return _("Đã bỏ ngoại lệ.")

    return _act(request, rnd, "remove", form, run)
