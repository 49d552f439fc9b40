"""Pages of a score sheet: the head's own sheet, one sheet with its explained points, and the forms that act on it.

Scope is checked first (a sheet the person may not view is a 404), then each action's permission (403); the state
and the input are the domain's to judge (`domain/rounds.py`). The action forms post to their own views, which on
a refusal show the sheet again with the input kept and the domain's message at the top of the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trongtam.assessment.domain import appeals, rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.enums import CriterionKind, Level, SheetStatus
from trongtam.assessment.interfaces.forms import ActionForm, FactsForm, points_field, text_field
from trongtam.assessment.interfaces.records import RECORD_KINDS, record_details
from trongtam.assessment.models import Appeal, AppealStatus, CriterionScore, ScoreChange, ScoreSheet
from trongtam.assessment.rules import is_own_sheet
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.numbers import plain_number
from trongtam.core.types import AuthedRequest
from trongtam.core.uploads import stored_file_response

# Records behind an automatic criterion shown on the page, per criterion; the rest are counted.
RECORDS_SHOWN = 20

# The workflow buttons: action → (permission, the step it leaves, its label, its success message).
ACTIONS: dict[str, tuple[str, SheetStatus, Any, Any]] = {
    "submit": (
        "assessment.self_assess_sheet",
        SheetStatus.SELF_ASSESSMENT,
        gettext_lazy("Gửi phiếu tự chấm"),
        gettext_lazy("Đã gửi phiếu tự chấm điểm tới Phó Chủ tịch phụ trách."),
    ),
    "finish_review": (
        "assessment.review_sheet",
        SheetStatus.REVIEW,
        gettext_lazy("Chuyển Sở Nội vụ thẩm định"),
        gettext_lazy("Đã chuyển phiếu đánh giá tới Sở Nội vụ thẩm định."),
    ),
    "verify": (
        "assessment.verify_sheet",
        SheetStatus.VERIFICATION,
        gettext_lazy("Xác nhận đã thẩm định"),
        gettext_lazy("Đã thẩm định phiếu đánh giá."),
    ),
}
RETURN = "return"


# -- forms -----------------------------------------------------------------------------------------------------


class PointsForm(VersionedForm):
    """The points of one criterion scored by hand: with a comment in self-assessment, with a reason later."""

    points = points_field(
        gettext_lazy("Điểm"), help_text=gettext_lazy("Phần thập phân ghi sau dấu phẩy, ví dụ 7,5.")
    )
    comment = text_field(
        gettext_lazy("Nhận xét, minh chứng"),
        help_text=gettext_lazy("Nêu kết quả, số liệu, văn bản làm căn cứ cho điểm tự chấm."),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Tệp minh chứng"),
        required=False,
        help_text=gettext_lazy("PDF, ảnh, Word hoặc Excel, tối đa 10 MB; thay tệp minh chứng đã có."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )
    reason = text_field(
        gettext_lazy("Lý do thay đổi điểm"),
        help_text=gettext_lazy("Bắt buộc: điểm trước đó được giữ lại trong lịch sử cùng lý do này."),
    )

    def __init__(self, *args: Any, with_reason: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["comment" if with_reason else "reason"]


class AppealForm(VersionedForm):
    """The head's appeal against the level of their signed sheet."""

    grounds = text_field(gettext_lazy("Nội dung, căn cứ kiến nghị"), rows=3)
    requested_level = forms.ChoiceField(
        label=gettext_lazy("Mức xếp loại đề nghị"),
        required=False,
        choices=[("", gettext_lazy("— Không đề nghị mức cụ thể —")), *Level.choices],
    )


class AppealDecisionForm(VersionedForm):
    """The Chairman's decision on a pending appeal."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết quả giải quyết"),
        required=False,
        choices=[("", "—"), *((o.value, o.label) for o in appeals.DECISIONS)],
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Mức xếp loại sau giải quyết"),
        required=False,
        choices=[("", gettext_lazy("— Giữ nguyên —")), *Level.choices],
    )
    decision = text_field(gettext_lazy("Nội dung quyết định giải quyết (bắt buộc)"), rows=3)


# -- reading ---------------------------------------------------------------------------------------------------


def _sheet(request: AuthedRequest, pk: int) -> ScoreSheet:
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("round__rubric", "round__period", "unit", "person"), pk=pk
    )
    if not request.user.has_perm("assessment.view_sheet", sheet):
        raise Http404
    return sheet


@dataclass
class RecordLink:
    label: str
    url: str = ""


@dataclass
class Item:
    """One criterion of the tree as the page shows it."""

    scored: rb.CriterionScore
    depth: int
    row: CriterionScore | None = None
    metric_label: str = ""
    metric_unit: str = ""
    records: list[RecordLink] = field(default_factory=list)
    more_records: int = 0
    form: PointsForm | None = None
    key: str = ""

    @property
    def criterion(self) -> rb.Criterion:
        return self.scored.criterion

    @property
    def is_penalty(self) -> bool:
        return self.criterion.kind == CriterionKind.PENALTY

    @property
    def kind_label(self) -> str:
        kind = self.criterion.kind
        return str(CriterionKind(kind).label) if kind in CriterionKind.values else kind

    @property
    def points_label(self) -> str:
        return _("Điểm «%(code)s» (từ 0 đến %(max)s)") % {
            "code": self.criterion.code,
            "max": plain_number(Decimal(self.criterion.max_points)),
        }


def _flatten(scores: Iterable[rb.CriterionScore], depth: int = 0) -> Iterator[tuple[rb.CriterionScore, int]]:
    for scored in scores:
        yield scored, depth
        yield from _flatten(scored.children, depth + 1)


def _record_links(rows: Iterable[CriterionScore]) -> dict[tuple[str, str], RecordLink]:
    """A link for every record shown, one query per kind of record, however many criteria list them."""
    wanted: dict[str, set[Any]] = {}
    for row in rows:
        if row.record_kind in RECORD_KINDS:
            wanted.setdefault(row.record_kind, set()).update(row.record_ids[:RECORDS_SHOWN])
    return {key: RecordLink(found.title, found.url) for key, found in record_details(wanted).items()}


def _points_key(code: str) -> str:
    return "points-" + code.replace(".", "-")


def _entry_perm(user: Any, sheet: ScoreSheet) -> bool:
    """Whether the person enters points at the sheet's step now."""
    perm = rounds.STEP_PERMS.get(SheetStatus(sheet.status))
    return perm is not None and user.has_perm(perm, sheet)


def _forms(
    user: Any, sheet: ScoreSheet, rows: dict[str, CriterionScore], items: list[Item]
) -> dict[str, Any]:
    """An unbound form for every action the person may take on the sheet as it stands now."""
    found: dict[str, Any] = {}
    initial = {"version": sheet.version}
    if _entry_perm(user, sheet):
        with_reason = sheet.status != SheetStatus.SELF_ASSESSMENT
        for item in items:
            criterion = item.criterion
            if criterion.is_group or criterion.is_automatic or item.row is None:
                continue
            key = _points_key(criterion.code)
            row = rows[criterion.code]
            found[key] = PointsForm(
                initial={**initial, "points": row.points, "comment": row.comment},
                prefix=key,
                with_reason=with_reason,
            )
    for action, (perm, source, _label, _done) in ACTIONS.items():
        if sheet.status == source and user.has_perm(perm, sheet):
            found[f"act-{action}"] = ActionForm(initial=initial, prefix=f"act-{action}")
    back = rounds.RETURNS.get(SheetStatus(sheet.status))
    if back is not None and user.has_perm(back[1], sheet):
        found[f"act-{RETURN}"] = ActionForm(initial=initial, prefix=f"act-{RETURN}")
    if sheet.status != SheetStatus.SIGNED:
        if user.has_perm("assessment.record_facts", sheet):
            found["facts"] = FactsForm(initial=FactsForm.facts_initial(sheet), prefix="facts")
        if user.has_perm("assessment.manage_round"):
            found["recompute"] = VersionedForm(initial=initial, prefix="recompute")
    return found


def _appeal_context(user: Any, sheet: ScoreSheet, forms_: dict[str, Any]) -> dict[str, Any]:
    """The appeals of a signed sheet, its appeal deadline, and the forms open to the person: the head's while
    the period runs and nothing is pending, the Chairman's on a pending appeal. No query before sign-off."""
    if sheet.status != SheetStatus.SIGNED:
        return {"appeals_shown": False}
    found = list(sheet.appeals.select_related("filed_by", "decided_by"))
    pending = next((a for a in found if a.status == AppealStatus.PENDING), None)
    deadline = appeals.appeal_deadline(sheet.round)
    open_ = appeals.is_within_deadline(deadline)
    if open_ and pending is None and is_own_sheet(user, sheet):
        forms_["appeal"] = AppealForm(initial={"version": sheet.version}, prefix="appeal")
    if pending is not None and user.has_perm("assessment.decide_appeal", pending):
        forms_["appeal_decide"] = AppealDecisionForm(
            initial={"version": pending.version}, prefix="appeal_decide"
        )
    return {
        "appeals_shown": True,
        "appeals": found,
        "pending_appeal": pending,
        "appeal_deadline": date_format(deadline, "d/m/Y") if deadline else "",
        "appeal_open": open_,
    }


def _page(
    request: AuthedRequest,
    sheet: ScoreSheet,
    bound: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    user = request.user
    rows = {row.code: row for row in sheet.scores.all()}
    scored = rounds.score_of(sheet, rows.values())
    lines = scored.explain()
    links = _record_links(rows.values())
    items = []
    for criterion_score, depth in _flatten(scored.criteria):
        criterion = criterion_score.criterion
        item = Item(criterion_score, depth, rows.get(criterion.code), key=_points_key(criterion.code))
        if criterion.is_automatic:
            metric = rb.METRICS.get(criterion.metric)
            item.metric_label = str(metric.label) if metric else criterion.metric
            item.metric_unit = str(metric.unit) if metric else ""
            if item.row is not None:
                ids = item.row.record_ids
                item.records = [
                    links.get((item.row.record_kind, str(pk)), RecordLink(f"#{pk}"))
                    for pk in ids[:RECORDS_SHOWN]
                ]
                item.more_records = max(len(ids) - RECORDS_SHOWN, 0)
        items.append(item)

    forms_ = _forms(user, sheet, rows, items)
    appeal_context = _appeal_context(user, sheet, forms_)
    errors = errors or {}
    page_errors: list[str] = []
    for key, form in (bound or {}).items():
        if key in forms_:
            forms_[key] = form
        else:  # the action is no longer open to the person: say why at the top of the page
            page_errors += errors.get(key, [])
    for item in items:
        item.form = forms_.get(item.key)

    changes = list(
        ScoreChange.objects.filter(score__sheet=sheet).select_related("by", "score").order_by("at", "pk")
    )
    labels = {c.code: c.label for c, _above in rounds.rubric_of(sheet.round.rubric).walk()}
    buttons = [
        (action, ACTIONS[action][2] if action in ACTIONS else _("Trả lại"), forms_[f"act-{action}"])
        for action in (*ACTIONS, RETURN)
        if f"act-{action}" in forms_
    ]
    context = {
        "sheet": sheet,
        "round": sheet.round,
        "items": items,
        "lines": lines,
        "lines_total": sum((line.points for line in lines), Decimal(0)),
        "scored": scored,
        "missing": [labels.get(code, code) for code in scored.missing],
        "changes": [(change, labels.get(change.score.code, change.score.code)) for change in changes],
        "facts": [
            (Fact(f["code"]).label if f["code"] in Fact.values else f["code"], f["reason"])
            for f in sheet.facts
        ],
        "level_reasons": sheet.level_reasons,
        "forms": forms_,
        "form_errors": errors,
        "page_errors": page_errors,
        "buttons": buttons,
        "entering": any(key.startswith("points-") for key in forms_),
        "needs_reason": sheet.status != SheetStatus.SELF_ASSESSMENT,
        "cut_off": date_format(sheet.round.cut_off, "SHORT_DATE_FORMAT"),
        "records_shown": RECORDS_SHOWN,
        "sees_round": user.has_perm("assessment.view_round"),
        **appeal_context,
    }
    return render(request, "assessment/sheet_detail.html", context)


@login_required
def my_sheet(request: AuthedRequest) -> HttpResponse:
    """The person's own sheet in the latest round that has one for them; a page that says so when none does."""
    sheet = (
        ScoreSheet.objects.filter(person=request.user)
        .order_by("-round__opened_at", "-round__pk")
        .only("pk")
        .first()
    )
    if sheet is not None:
        return redirect("assessment:sheet-detail", pk=sheet.pk)
    return render(request, "assessment/sheet_none.html")


@login_required
def sheet_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _sheet(request, pk))


@login_required
def sheet_evidence(request: AuthedRequest, pk: int, code: str) -> FileResponse:
    """A criterion's evidence file, to whoever may see the sheet (never a public media URL)."""
    sheet = _sheet(request, pk)
    return stored_file_response(get_object_or_404(CriterionScore, sheet=sheet, code=code).evidence)


# -- acting ----------------------------------------------------------------------------------------------------


def _handle(
    request: AuthedRequest,
    sheet: ScoreSheet,
    key: str,
    form: Any,
    run: Callable[[dict[str, Any]], str],
    *,
    field_of: Callable[[str], str] = lambda name: name,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run the action; on success go back to the sheet with `run`'s message, else show the page again with the
    input kept. `field_of` names the form field of a domain problem's field."""
    return run_action(
        request,
        form,
        run,
        done_url=reverse("assessment:sheet-detail", args=[sheet.pk]),
        page=lambda shown, errors: _page(request, _sheet(request, sheet.pk), {key: shown}, {key: errors}),
        current_version=lambda: ScoreSheet.objects.values_list("version", flat=True).get(pk=sheet.pk),
        field_of=field_of,
        form_kwargs=form_kwargs,
    )


@login_required
@require_POST
def sheet_points(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    sheet = _sheet(request, pk)
    if not any(request.user.has_perm(perm, sheet) for perm in rounds.STEP_PERMS.values()):
        raise PermissionDenied
    if rounds.rubric_of(sheet.round.rubric).find(code) is None:
        raise Http404
    key = _points_key(code)
    with_reason = sheet.status != SheetStatus.SELF_ASSESSMENT
    form = PointsForm(request.POST, request.FILES, prefix=key, with_reason=with_reason)

    def run(data: dict[str, Any]) -> str:
        rounds.enter_points(
            sheet.pk,
            code,
            points=data["points"],
            comment=data.get("comment", ""),
            reason=data.get("reason", ""),
            evidence=data.get("evidence") or None,
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã lưu điểm tiêu chí «%(code)s».") % {"code": code}

    def field_of(name: str) -> str:
        return "points" if name == f"points.{code}" else name

    return _handle(
        request, sheet, key, form, run, field_of=field_of, form_kwargs={"with_reason": with_reason}
    )


@login_required
@require_POST
def sheet_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    sheet = _sheet(request, pk)
    user = request.user
    if action == RETURN:
        if not any(user.has_perm(perm, sheet) for _target, perm in rounds.RETURNS.values()):
            raise PermissionDenied
    elif action in ACTIONS:
        if not user.has_perm(ACTIONS[action][0], sheet):
            raise PermissionDenied
    else:
        raise Http404
    key = f"act-{action}"
    form = ActionForm(request.POST, prefix=key)

    def run(data: dict[str, Any]) -> str:
        version = data["version"]
        if action == RETURN:
            returned = rounds.return_sheet(
                sheet.pk, comment=data["comment"], by=user, expected_version=version
            )
            return _("Đã trả lại phiếu đánh giá về bước «%(status)s».") % {
                "status": returned.get_status_display()
            }
        {"submit": rounds.submit, "finish_review": rounds.finish_review, "verify": rounds.verify}[action](
            sheet.pk, by=user, expected_version=version
        )
        return str(ACTIONS[action][3])

    def field_of(name: str) -> str:
        # A criterion without points refuses the submission: the message names it, above the buttons.
        return "" if name.startswith("points.") else name

    return _handle(request, sheet, key, form, run, field_of=field_of)


@login_required
@require_POST
def sheet_recompute(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    if not request.user.has_perm("assessment.manage_round"):
        raise PermissionDenied
    form = VersionedForm(request.POST, prefix="recompute")

    def run(data: dict[str, Any]) -> str:
        rounds.recompute(sheet.pk, by=request.user, expected_version=data["version"])
        return _("Đã tính lại các tiêu chí tự động theo số liệu đến ngày %(date)s.") % {
            "date": date_format(sheet.round.cut_off, "SHORT_DATE_FORMAT")
        }

    return _handle(request, sheet, "recompute", form, run)


@login_required
@require_POST
def sheet_facts(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    if not request.user.has_perm("assessment.record_facts", sheet):
        raise PermissionDenied
    form = FactsForm(request.POST, prefix="facts")

    def run(data: dict[str, Any]) -> str:
        rounds.record_facts(sheet.pk, form.facts(), by=request.user, expected_version=data["version"])
        return _("Đã ghi nhận các tình tiết ảnh hưởng xếp loại.")

    def field_of(name: str) -> str:
        return name.removeprefix("facts.") + "_reason" if name.startswith("facts.") else name

    return _handle(request, sheet, "facts", form, run, field_of=field_of)


@login_required
@require_POST
def sheet_appeal(request: AuthedRequest, pk: int) -> HttpResponse:
    """The head files an appeal against the level of their signed sheet."""
    sheet = _sheet(request, pk)
    if not is_own_sheet(request.user, sheet):
        raise PermissionDenied
    form = AppealForm(request.POST, prefix="appeal")

    def run(data: dict[str, Any]) -> str:
        appeals.file_appeal(
            sheet.pk,
            grounds=data["grounds"],
            requested_level=data["requested_level"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã gửi kiến nghị về kết quả đánh giá tới Chủ tịch.")

    return _handle(request, sheet, "appeal", form, run)


@login_required
@require_POST
def appeal_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """The Chairman decides an appeal; the page is the appeal's sheet."""
    appeal = get_object_or_404(Appeal, pk=pk)
    sheet = _sheet(request, appeal.sheet_id)
    if not request.user.has_perm("assessment.decide_appeal", appeal):
        raise PermissionDenied
    form = AppealDecisionForm(request.POST, prefix="appeal_decide")

    def run(data: dict[str, Any]) -> str:
        decided = appeals.decide_appeal(
            appeal.pk,
            outcome=data["outcome"],
            level=data["level"],
            decision=data["decision"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã giải quyết kiến nghị: %(outcome)s.") % {"outcome": decided.get_status_display()}

    key = "appeal_decide"
    return run_action(
        request,
        form,
        run,
        done_url=reverse("assessment:sheet-detail", args=[sheet.pk]),
        page=lambda shown, errors: _page(request, _sheet(request, sheet.pk), {key: shown}, {key: errors}),
        current_version=lambda: Appeal.objects.values_list("version", flat=True).get(pk=appeal.pk),
    )
