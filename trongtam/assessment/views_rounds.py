"""Pages of assessment rounds and rubrics: the rounds of every period, opening one, a round's sheets, the
classification preview with the Chairman's sign-off, and the rubric versions (list, tree, import, download).

Every view checks its permission on the server (403); a sheet outside the person's scope is simply not listed.
Every write goes through `domain.rounds`, carries the version the person loaded, and on a refusal shows the same
page again with the domain's message and the person's input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trongtam.assessment.domain import round_settings, rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import (
    Classification,
    ClassificationSettings,
    Group,
    QuotaRounding,
    ReasonKind,
)
from trongtam.assessment.enums import CriterionKind, Level, NoData, RoundStatus, SheetStatus
from trongtam.assessment.interfaces.forms import ClassificationSettingsForm, QuotaExceptionForm
from trongtam.assessment.models import Round, RubricVersion, ScoreSheet
from trongtam.assessment.tasks import task_fill_round
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.interfaces.actions import VersionedForm
from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.core.numbers import plain_number
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.cycles.models import Period
from trongtam.org.enums import Role
from trongtam.org.models import Unit
from trongtam.org.rules import is_council, is_province_wide

MAX_RUBRIC_BYTES = 1024 * 1024  # a rubric is a few kilobytes; 1 MB is generous
STATUS_PARAM = "trang_thai"
TASK_GROUP_LABELS = {
    rounds.GROUP_DEPARTMENTS: gettext_lazy("Người đứng đầu sở, ban, ngành và tương đương"),
    rounds.GROUP_COMMUNES: gettext_lazy("Chủ tịch UBND xã, phường, đặc khu"),
}


# -- forms ------------------------------------------------------------------------------------------------------


class RoundOpenForm(BootstrapFormMixin, forms.Form):
    period = forms.ModelChoiceField(label=gettext_lazy("Kỳ đánh giá"), queryset=Period.objects.none())
    rubric = forms.ModelChoiceField(
        label=gettext_lazy("Bộ tiêu chí"),
        queryset=RubricVersion.objects.none(),
        help_text=gettext_lazy(
            "Bộ tiêu chí phải thuộc kỳ đã chọn; bộ tiêu chí được khoá khi đợt đánh giá mở."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Tên đợt đánh giá"), max_length=200)
    cut_off = forms.DateField(
        label=gettext_lazy("Ngày chốt số liệu"),
        widget=DATE_INPUT,
        help_text=gettext_lazy(
            "Dạng ngày/tháng/năm. Các tiêu chí tự động được tính theo số liệu đến ngày này."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period_field: Any = self.fields["period"]
        period_field.queryset = Period.objects.order_by("-year")
        rubric_field: Any = self.fields["rubric"]
        rubric_field.queryset = RubricVersion.objects.select_related("period").order_by(
            "-period__year", "-number"
        )
        rubric_field.label_from_instance = lambda v: (
            _("%(period)s — phiên bản %(number)s: %(title)s")
            % {
                "period": v.period.year,
                "number": v.number,
                "title": v.title,
            }
        )


class RubricImportForm(BootstrapFormMixin, forms.Form):
    period = forms.ModelChoiceField(label=gettext_lazy("Kỳ áp dụng"), queryset=Period.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Tệp bộ tiêu chí (.json)"),
        help_text=gettext_lazy("Tệp tải về từ một bộ tiêu chí đã có, tối đa 1 MB."),
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp bộ tiêu chí cần nhập."),
            "empty": gettext_lazy("Tệp rỗng (0 byte): không có gì để nhập."),
            "invalid": gettext_lazy("Không nhận được tệp. Hãy chọn lại tệp rồi tải lên."),
            "missing": gettext_lazy("Không nhận được tệp. Hãy chọn lại tệp rồi tải lên."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period_field: Any = self.fields["period"]
        period_field.queryset = Period.objects.order_by("-year")

    def clean_file(self) -> Any:
        """The file's parsed JSON: at most 1 MB, a .json name, UTF-8 text that parses."""
        upload: UploadedFile = self.cleaned_data["file"]
        name = PurePath(upload.name or "").name
        if upload.size is not None and upload.size > MAX_RUBRIC_BYTES:
            raise forms.ValidationError(
                _("Tệp «%(name)s» có dung lượng %(size)s KB, vượt giới hạn 1 MB.")
                % {"name": name, "size": upload.size // 1024}
            )
        if PurePath(name).suffix.lower() != ".json":
            raise forms.ValidationError(
                _("Tệp «%(name)s» không phải tệp .json. Hãy dùng tệp tải về từ trang bộ tiêu chí.")
                % {"name": name}
            )
        upload.seek(0)
        raw = upload.read(MAX_RUBRIC_BYTES + 1)
        try:
            return json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("Tệp «%(name)s» không phải văn bản UTF-8.") % {"name": name}
            ) from exc
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Tệp «%(name)s» không đọc được: lỗi cú pháp JSON ở dòng %(line)s, cột %(column)s.")
                % {"name": name, "line": exc.lineno, "column": exc.colno}
            ) from exc


class SignForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


# -- scope --------------------------------------------------------------------------------------------------------


def _need(request: AuthedRequest, *perms: str) -> None:
    if not any(request.user.has_perm(perm) for perm in perms):
        raise PermissionDenied


def _round(pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("period", "rubric", "signed_by"), pk=pk)


def visible_sheets(user: Any, rnd: Round) -> QuerySet[ScoreSheet]:
    """The round's sheets the person may see (`assessment.view_sheet`, as a query): every sheet for the
    province-wide roles and the council, the units in charge for a Vice-Chairman, a head's own sheet."""
    sheets = ScoreSheet.objects.filter(round=rnd)
    if is_province_wide.test(user) or is_council.test(user):
        return sheets
    if user.role == Role.VICE_CHAIRMAN:
        return sheets.filter(unit_id__in=user.charged_unit_ids)
    if user.role == Role.HEAD:
        return sheets.filter(person_id=user.pk)
    return sheets.none()


def _status_counts(sheets: QuerySet[ScoreSheet]) -> list[tuple[str, str, int]]:
    by_status = dict(sheets.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(value, str(label), by_status.get(value, 0)) for value, label in SheetStatus.choices]


# -- rounds -------------------------------------------------------------------------------------------------------


@login_required
def round_list(request: AuthedRequest) -> HttpResponse:
    """Every round, newest period first, with the count of the sheets the person may see at each step (one query
    per page): the same scope as the round's page (`visible_sheets`)."""
    _need(request, "assessment.view_round")
    user = request.user
    if is_province_wide.test(user) or is_council.test(user):
        scope = Q()
    elif user.role == Role.VICE_CHAIRMAN:
        scope = Q(sheets__unit_id__in=user.charged_unit_ids)
    else:  # a head: their own sheet
        scope = Q(sheets__person_id=user.pk)
    counts = {
        f"n_{value}": Count("sheets", filter=scope & Q(sheets__status=value)) for value in SheetStatus.values
    }
    rounds_qs = (
        Round.objects.select_related("period", "rubric")
        .annotate(n_sheets=Count("sheets", filter=scope), **counts)
        .order_by("-period__year", "-opened_at", "-pk")
    )
    page_obj = paginate(request, rounds_qs)
    rows = [
        (rnd, [(label, getattr(rnd, f"n_{value}")) for value, label in SheetStatus.choices])
        for rnd in page_obj.object_list
    ]
    return render(
        request,
        "assessment/round_list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "statuses": SheetStatus.choices,
            "can_manage": request.user.has_perm("assessment.manage_round"),
            "can_rubrics": request.user.has_perm("assessment.manage_rubric"),
        },
    )


@login_required
def round_open(request: AuthedRequest) -> HttpResponse:
    """Home Affairs opens a round: the domain freezes the rubric and creates every head's sheet."""
    _need(request, "assessment.manage_round")
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = rounds.start_round(
                data["period"], data["rubric"], name=data["name"], cut_off=data["cut_off"], by=request.user
            )
        except RuleViolations as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        except TransitionNotAllowed as exc:
            form.add_error(None, exc.user_message)
        else:
            # Measuring every head takes seconds at the scale of a province: the worker creates the sheets,
            # and the round's page shows how far it has got.
            transaction.on_commit(lambda: task_fill_round.enqueue(round_id=rnd.pk))
            messages.success(
                request,
                _("Đã mở đợt đánh giá «%(round)s»; hệ thống đang tạo %(count)s phiếu đánh giá.")
                % {"round": rnd.name, "count": rnd.expected_sheets},
            )
            return redirect("assessment:round-detail", pk=rnd.pk)
    return render(request, "assessment/round_open.html", {"form": form})


@login_required
def round_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """How far the creation of a round's sheets has got (polled by the round's page while it opens); once the
    round is open, htmx reloads the whole page."""
    _need(request, "assessment.view_round")
    rnd = _round(pk)
    if rnd.status != RoundStatus.OPENING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "assessment/round_detail.html#opening", {"round": rnd, "created": rnd.sheets.count()}
    )


@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A round's sheets in the person's scope, filtered by step and paginated in the database: a constant number
    of queries whatever the number of sheets."""
    _need(request, "assessment.view_round")
    rnd = _round(pk)
    user = request.user
    sheets = visible_sheets(user, rnd)
    counts = _status_counts(sheets)
    status = request.GET.get(STATUS_PARAM, "")
    if status not in SheetStatus.values:
        status = ""
    listed = sheets.filter(status=status) if status else sheets
    page_obj = paginate(request, listed.select_related("unit", "person").order_by("unit__name", "pk"))
    total = sum(n for _value, _label, n in counts)
    verified = sum(n for value, _label, n in counts if value in (SheetStatus.VERIFIED, SheetStatus.SIGNED))
    can_sign = (
        user.has_perm("assessment.sign_round", rnd)
        and rnd.status != RoundStatus.SIGNED
        and total > 0
        and verified == total
        and sheets.count() == rnd.sheets.count()  # the Chairman sees every sheet; never sign on a part
    )
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": rnd,
            "created": rnd.sheets.count() if rnd.status == RoundStatus.OPENING else None,
            "page_obj": page_obj,
            "sheets": page_obj.object_list,
            "counts": counts,
            "total": total,
            "verified": verified,
            "status": status,
            "status_param": STATUS_PARAM,
            "signed": rnd.status == RoundStatus.SIGNED,
            "can_preview": user.has_perm("assessment.preview_round", rnd),
            "can_sign": can_sign,
            "sign_form": SignForm(initial={"version": rnd.version}) if can_sign else None,
        },
    )


@dataclass(frozen=True)
class PreviewRow:
    sheet: ScoreSheet
    score: Decimal
    level_by_score: Level
    level: Level
    reasons: list[tuple[str, str, bool]]  # (kind label, message, changed the level)
    quota_rank: int | None
    changed: bool


@dataclass(frozen=True)
class PreviewGroup:
    key: str
    agency: str
    task_group: str
    rows: list[PreviewRow]
    counts: list[tuple[str, str, int, int]]  # (level, label, by score, given)
    held_by_hard_rules: int
    subject_to_quota: int
    kept: int
    demoted: int
    overridden: int
    quota_limit: int


def _preview_groups(result: Classification, sheets: Iterable[ScoreSheet]) -> list[PreviewGroup]:
    by_person = {s.person_id: s for s in sheets}
    agencies = {
        u.pk: u.name for u in Unit.objects.filter(pk__in={g.group.agency for g in result.groups}).only("name")
    }
    kinds = dict(ReasonKind.choices)
    rows: dict[Group, list[PreviewRow]] = {}
    for r in result.results:
        rows.setdefault(r.group, []).append(
            PreviewRow(
                sheet=by_person[r.person_id],
                score=r.score,
                level_by_score=r.level_by_score,
                level=r.level,
                reasons=[(str(kinds.get(x.kind, x.kind)), x.message, x.changed) for x in r.reasons],
                quota_rank=r.quota_rank,
                changed=r.changed,
            )
        )
    return [
        PreviewGroup(
            key=f"{g.group.agency}-{g.group.task_group}",
            agency=agencies.get(g.group.agency, str(g.group.agency)),
            task_group=str(TASK_GROUP_LABELS.get(g.group.task_group, g.group.task_group)),
            rows=rows.get(g.group, []),
            counts=[
                (level.value, str(level.label), g.counts_by_score.get(level, 0), g.counts.get(level, 0))
                for level in Level
            ],
            held_by_hard_rules=g.held_by_hard_rules,
            subject_to_quota=g.subject_to_quota,
            kept=g.kept,
            demoted=g.demoted,
            overridden=g.overridden,
            quota_limit=g.quota_limit,
        )
        for g in result.groups
    ]


def _settings_summary(rnd: Round) -> list[tuple[str, str, bool]]:
    """What the classification applies in this round, each with whether it is the default."""
    current, default = round_settings.settings_of(rnd), ClassificationSettings()
    t, d = current.thresholds, default.thresholds
    off = [rule for rule in round_settings.optional_rules() if rule not in current.hard_rules]
    return [
        (
            _("Ngưỡng điểm (xuất sắc / tốt / hoàn thành)"),
            " / ".join(plain_number(x) for x in (t.excellent, t.good, t.completed)),
            (t.excellent, t.good, t.completed) == (d.excellent, d.good, d.completed),
        ),
        (
            _("Tỷ lệ hoàn thành xuất sắc tối đa"),
            _("%(share)s %% số người hoàn thành tốt, %(rounding)s")
            % {
                "share": plain_number(current.quota_share * 100),
                "rounding": QuotaRounding(current.quota_rounding).label,
            },
            (current.quota_share, current.quota_rounding) == (default.quota_share, default.quota_rounding),
        ),
        (
            _("Quy tắc mặc định không áp dụng"),
            "; ".join(rule.explanation for rule in off) or _("không có"),
            not off,
        ),
    ]


def _classification_forms(
    rnd: Round,
    result: Classification | None,
    sheets: list[ScoreSheet],
    excepted: set[int],
    shown: dict[str, Any],
) -> dict[str, Any]:
    """The forms Home Affairs uses on the preview before sign-off: the settings, an exception, removing one."""
    excellent = (
        {r.person_id for r in result.results if r.level_by_score == Level.EXCELLENT} if result else set()
    )
    people = [
        (s.person_id, f"{s.unit.name} — {s.person.get_full_name()}")
        for s in sheets
        if s.person_id in excellent and s.person_id not in excepted
    ]
    initial = {"version": rnd.version}
    return {
        "settings": shown.get("settings")
        or ClassificationSettingsForm(initial=ClassificationSettingsForm.initial_for(rnd), prefix="settings"),
        "exception": shown.get("exception")
        or QuotaExceptionForm(initial=initial, prefix="exception", people=people),
        "remove": VersionedForm(initial=initial, prefix="remove"),
    }


def _preview_page(
    request: AuthedRequest,
    rnd: Round,
    sign_form: SignForm | None = None,
    errors: Iterable[str] = (),
    *,
    shown: dict[str, Any] | None = None,
    form_errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """The preview; `shown` and `form_errors` carry a refused settings or exception form with its messages."""
    user = request.user
    sheets = list(rnd.sheets.select_related("unit", "person").order_by("unit__name", "pk"))
    exceptions = round_settings.exceptions_of(rnd)  # read once: the classification, the list and the form
    page_errors = list(errors)
    groups: list[PreviewGroup] = []
    result = None
    try:
        result = rounds.preview(rnd, overrides=round_settings.as_overrides(exceptions))
    except RuleViolations as exc:
        page_errors += [p.message for p in exc.problems]
    totals = {level: [0, 0] for level in Level}
    if result is not None:
        groups = _preview_groups(result, sheets)
        for r in result.results:
            totals[r.level_by_score][0] += 1
            totals[r.level][1] += 1
    waiting = sum(1 for s in sheets if s.status not in (SheetStatus.VERIFIED, SheetStatus.SIGNED))
    can_sign = user.has_perm("assessment.sign_round", rnd) and rnd.status != RoundStatus.SIGNED
    can_configure = user.has_perm(round_settings.PERM, rnd) and rnd.status != RoundStatus.SIGNED
    if can_sign and sign_form is None:
        sign_form = SignForm(initial={"version": rnd.version})
    chart = {
        "labels": [str(level.label) for level in Level],
        "series": [
            {"name": _("Theo điểm"), "data": [totals[level][0] for level in Level]},
            {"name": _("Mức xếp loại"), "data": [totals[level][1] for level in Level]},
        ],
    }
    return render(
        request,
        "assessment/round_preview.html",
        {
            "round": rnd,
            "result": result,
            "groups": groups,
            "totals": [(str(level.label), totals[level][0], totals[level][1]) for level in Level],
            "chart": chart,
            "waiting": waiting,
            "sheet_count": len(sheets),
            "signed": rnd.status == RoundStatus.SIGNED,
            "can_sign": can_sign,
            "sign_form": sign_form if can_sign else None,
            "page_errors": page_errors,
            "settings_summary": _settings_summary(rnd),
            "exceptions": exceptions,
            "classification_forms": _classification_forms(
                rnd, result, sheets, {e.person_id for e in exceptions}, shown or {}
            )
            if can_configure
            else {},
            "form_errors": form_errors or {},
        },
    )


@login_required
def round_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The classification of every head as it stands: what the Chairman will sign. Queries: a constant."""
    _need(request, "assessment.preview_round")
    return _preview_page(request, _round(pk))


@login_required
@require_POST
def round_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    """The Chairman signs the round off with the version he saw; a refusal shows the preview again."""
    _need(request, "assessment.sign_round")
    rnd = _round(pk)
    form = SignForm(request.POST)
    errors: list[str] = []
    if not form.is_valid():
        errors.append(_("Yêu cầu không hợp lệ, hãy tải lại trang."))
    else:
        try:
            rounds.sign_round(rnd.pk, by=request.user, expected_version=form.cleaned_data["version"])
        except RuleViolations as exc:
            errors += [p.message for p in exc.problems]
        except (StaleEdit, TransitionNotAllowed) as exc:
            errors.append(exc.user_message)
        else:
            messages.success(request, _("Đã phê duyệt kết quả đánh giá «%(round)s».") % {"round": rnd.name})
            return redirect("assessment:round-detail", pk=rnd.pk)
    # Show what is stored now (the new version included), so the Chairman signs only what he has seen.
    return _preview_page(request, _round(pk), None, errors)


# -- rubrics ------------------------------------------------------------------------------------------------------


@login_required
def rubric_list(request: AuthedRequest) -> HttpResponse:
    _need(request, "assessment.manage_rubric", "assessment.view_round")
    versions = list(
        RubricVersion.objects.select_related("period", "created_by")
        .annotate(n_rounds=Count("rounds"))
        .order_by("-period__year", "-number")
    )
    periods: dict[int, tuple[Period, list[RubricVersion]]] = {}
    for version in versions:
        periods.setdefault(version.period_id, (version.period, []))[1].append(version)
    return render(
        request,
        "assessment/rubric_list.html",
        {"periods": list(periods.values()), "can_import": request.user.has_perm("assessment.manage_rubric")},
    )


@dataclass(frozen=True)
class CriterionRow:
    criterion: rb.Criterion
    depth: int
    kind: str
    metric: str
    scoring: str
    no_data: str


def _criterion_rows(rubric: rb.Rubric) -> list[CriterionRow]:
    kinds = dict(CriterionKind.choices)
    no_data = dict(NoData.choices)
    rows = []
    for criterion, above in rubric.walk():
        metric = rb.METRICS.get(criterion.metric) if criterion.metric else None
        if criterion.metric:
            metric_text = (
                f"{metric.label} ({criterion.metric})"
                if metric is not None
                else _("Chỉ số «%(code)s» chưa được đăng ký") % {"code": criterion.metric}
            )
        else:
            metric_text = ""
        rows.append(
            CriterionRow(
                criterion=criterion,
                depth=len(above),
                kind=str(kinds.get(criterion.kind, criterion.kind)),
                metric=metric_text,
                scoring=criterion.scoring.describe(criterion.max_points) if criterion.scoring else "",
                no_data=str(no_data.get(criterion.if_no_data, "")) if criterion.is_automatic else "",
            )
        )
    return rows


@login_required
def rubric_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _need(request, "assessment.manage_rubric", "assessment.view_round")
    version = get_object_or_404(RubricVersion.objects.select_related("period", "created_by"), pk=pk)
    rubric = rounds.rubric_of(version)
    return render(
        request,
        "assessment/rubric_detail.html",
        {
            "version": version,
            "rubric": rubric,
            "rows": _criterion_rows(rubric),
            "rounds": list(version.rounds.order_by("-opened_at")),
        },
    )


def _download_name(version: RubricVersion) -> str:
    return f"bo-tieu-chi-{version.period.year}-v{version.number}.json"


@login_required
def rubric_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The stored rubric as a file, the same `import_rubric` reads back."""
    _need(request, "assessment.manage_rubric", "assessment.view_round")
    version = get_object_or_404(RubricVersion.objects.select_related("period"), pk=pk)
    body = json.dumps(version.data, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(version)}"'
    return response


@login_required
def rubric_import(request: AuthedRequest) -> HttpResponse:
    """Upload a rubric file: every broken criterion named in the error summary, or a new version at once."""
    _need(request, "assessment.manage_rubric")
    form = RubricImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = rounds.import_rubric(
                form.cleaned_data["period"], form.cleaned_data["file"], by=request.user
            )
        except RuleViolations as exc:
            form.add_error(
                None,
                _("Bộ tiêu chí có %(count)s lỗi; chưa nhập gì. Hãy sửa tệp rồi tải lên lại.")
                % {"count": len(exc.problems)},
            )
            for problem in exc.problems:
                form.add_error(None, problem.message)
        else:
            messages.success(
                request,
                _("Đã nhập bộ tiêu chí «%(title)s», phiên bản %(number)s của kỳ %(year)s.")
                % {"title": version.title, "number": version.number, "year": version.period.year},
            )
            return redirect("assessment:rubric-detail", pk=version.pk)
    return render(request, "assessment/rubric_import.html", {"form": form, "max_size": "1 MB"})
