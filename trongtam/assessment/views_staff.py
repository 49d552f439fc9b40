"""Pages of the staff evaluation (issue #4, item 6): the official's own self-evaluation, the head's page of the
unit's staff (rating, preview of the levels with every reason, finalizing), one evaluation, and the list of
results for Home Affairs, the Chairman and the Vice-Chairmen.

Scope is checked first (an evaluation or a unit the person may not view is a 404), then each action's permission
(403); the state and the input are the domain's to judge (`domain/staff_workflow.py`). Forms post to their own
views; on a refusal the page is shown again with the input kept and the message at the top of the form.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trongtam.assessment.domain import staff_workflow as sw
from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.enums import Level, StaffStatus
from trongtam.assessment.interfaces.forms import ActionForm, FactsForm, points_field, text_field
from trongtam.assessment.models import Round, StaffEvaluation, StaffPointChange, StaffProduct, WorkPlanItem
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.interfaces.forms import DATE_INPUT, BootstrapFormMixin
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.cycles.models import Period
from trongtam.org.enums import JobCategory, Role
from trongtam.org.models import Person, Unit

ROUND_PARAM = "dot"
UNIT_PARAM = "don_vi"
GENERAL_HELP = gettext_lazy("Từ 0 đến 30 điểm; phần thập phân ghi sau dấu phẩy, ví dụ 27,5.")
COUNT_FIELDS = ("quality_failures", "excused_failures", "delays", "excused_delays")


# -- forms -----------------------------------------------------------------------------------------------------


class SelfForm(VersionedForm):
    """The official's self-evaluation: a row of fields per product, the general points and a comment."""

    general = points_field(
        gettext_lazy("Điểm tiêu chí chung tự chấm"), help_text=GENERAL_HELP, required=False
    )
    comment = text_field(
        gettext_lazy("Tự nhận xét"),
        rows=3,
        help_text=gettext_lazy("Ưu điểm, hạn chế, kết quả nổi bật trong kỳ so với bản mô tả công việc."),
    )

    def __init__(self, *args: Any, products: list[StaffProduct], **kwargs: Any) -> None:
        self.products = products
        super().__init__(*args, **kwargs)
        for index, product in enumerate(products, start=1):
            name = _("Sản phẩm %(n)s") % {"n": index}
            self.fields[f"p{product.pk}_done"] = forms.BooleanField(
                label=_("%(name)s: đã hoàn thành") % {"name": name}, required=False
            )
            labels = {
                "quality_failures": _("%(name)s: số lần không đạt yêu cầu"),
                "excused_failures": _("%(name)s: trong đó có nguyên nhân khách quan được xác nhận"),
                "delays": _("%(name)s: số lần chậm tiến độ"),
                "excused_delays": _("%(name)s: trong đó có nguyên nhân khách quan được xác nhận"),
            }
            for count, label in labels.items():
                self.fields[f"p{product.pk}_{count}"] = forms.IntegerField(
                    label=label % {"name": name},
                    required=False,
                    min_value=0,
                    max_value=20,
                    error_messages={
                        "invalid": _("Cần nhập một số nguyên."),
                        "min_value": _("Không được nhỏ hơn 0."),
                        "max_value": _("Không được lớn hơn 20."),
                    },
                )
            self.fields[f"p{product.pk}_note"] = forms.CharField(
                label=_("%(name)s: ghi chú, minh chứng") % {"name": name}, required=False, max_length=500
            )

    @staticmethod
    def initial_for(evaluation: StaffEvaluation, products: list[StaffProduct]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": evaluation.version,
            "general": evaluation.general_self,
            "comment": evaluation.self_comment,
        }
        for product in products:
            initial[f"p{product.pk}_done"] = product.done
            initial[f"p{product.pk}_note"] = product.note
            for count in COUNT_FIELDS:
                initial[f"p{product.pk}_{count}"] = getattr(product, count)
        return initial

    def rows(self) -> list[tuple[StaffProduct, list[forms.BoundField]]]:
        return [(p, [self[f"p{p.pk}_{n}"] for n in ("done", *COUNT_FIELDS, "note")]) for p in self.products]

    def product_inputs(self) -> dict[int, sw.ProductInput]:
        data = self.cleaned_data
        return {
            p.pk: sw.ProductInput(
                done=bool(data.get(f"p{p.pk}_done")),
                **{count: data.get(f"p{p.pk}_{count}") or 0 for count in COUNT_FIELDS},
                note=data.get(f"p{p.pk}_note") or "",
            )
            for p in self.products
        }


def _self_field(name: str) -> str:
    """The form field of a domain problem's field: "products.12.delays" → "p12_delays"."""
    if name.startswith("products."):
        parts = name.split(".")
        if len(parts) == 3:
            return f"p{parts[1]}_{parts[2]}"
        return ""
    return name


class RateForm(FactsForm):
    """The head's rating: the general points (a change needs a reason), a comment, the facts that bind."""

    offered = sw.STAFF_FACTS
    general = points_field(gettext_lazy("Điểm tiêu chí chung"), help_text=GENERAL_HELP, required=False)
    reason = text_field(
        gettext_lazy("Lý do thay đổi điểm"),
        help_text=gettext_lazy("Bắt buộc khi điểm khác điểm công chức tự chấm; điểm trước đó được lưu lại."),
    )
    comment = text_field(gettext_lazy("Nhận xét của người đứng đầu"))

    @staticmethod
    def initial_for(evaluation: StaffEvaluation) -> dict[str, Any]:
        return {
            **RateForm.facts_initial(evaluation),
            "general": sw.general_of(evaluation),
            "comment": evaluation.head_comment,
        }


def _rate_field(name: str) -> str:
    return name.removeprefix("facts.") + "_reason" if name.startswith("facts.") else name


class FinalizeForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput)


# -- reading ---------------------------------------------------------------------------------------------------


def _evaluation(request: AuthedRequest, pk: int, action: str = "") -> StaffEvaluation:
    """The evaluation if it is in the person's scope (else 404) and, when `action` is given, the person has that
    permission on it (else 403)."""
    evaluation = get_object_or_404(
        StaffEvaluation.objects.select_related("round__period", "unit", "person", "rated_by"), pk=pk
    )
    if not request.user.has_perm("assessment.view_staff_evaluation", evaluation):
        raise Http404
    if action and not request.user.has_perm(action, evaluation):
        raise PermissionDenied
    return evaluation


def _round_from(request: AuthedRequest) -> Round | None:
    value = request.GET.get(ROUND_PARAM, "")
    if value.isdigit():
        return Round.objects.select_related("period").filter(pk=int(value)).first()
    return sw.latest_signed_round()


def _level_label(value: str) -> str:
    return str(Level(value).label) if value in Level.values else ""


def _category_label(value: str) -> str:
    return (
        str(JobCategory(value).label) if value in JobCategory.values else _("Chưa xác định vị trí việc làm")
    )


def _detail_page(
    request: AuthedRequest,
    evaluation: StaffEvaluation,
    bound: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    user = request.user
    products = list(evaluation.products.order_by("position", "pk"))
    scored = sw.score_of(evaluation, products)
    forms_: dict[str, Any] = {}
    initial = {"version": evaluation.version}
    if evaluation.status == StaffStatus.SELF_ASSESSMENT and user.has_perm(
        "assessment.self_evaluate", evaluation
    ):
        forms_["self"] = SelfForm(
            initial=SelfForm.initial_for(evaluation, products), products=products, prefix="self"
        )
        forms_["submit"] = ActionForm(initial=initial, prefix="submit")
    if evaluation.status == StaffStatus.HEAD_RATING and user.has_perm("assessment.rate_staff", evaluation):
        forms_["rate"] = RateForm(initial=RateForm.initial_for(evaluation), prefix="rate")
        forms_["return"] = ActionForm(initial=initial, prefix="return")
    errors = errors or {}
    page_errors: list[str] = []
    for key, form in (bound or {}).items():
        if key in forms_:
            forms_[key] = form
        else:
            page_errors += errors.get(key, [])
    changes = list(StaffPointChange.objects.filter(evaluation=evaluation).select_related("by"))
    facts = [
        (Fact(f["code"]).label if f["code"] in Fact.values else f["code"], f["reason"])
        for f in evaluation.facts
    ]
    lines = list(scored.period.lines) if scored and scored.period.total is not None else []
    return render(
        request,
        "assessment/staff_detail.html",
        {
            "evaluation": evaluation,
            "products": products,
            "scored": scored,
            "lines": lines,
            "lines_total": sum((line.points for line in lines), Decimal(0)),
            "general_in_force": sw.general_of(evaluation),
            "category_label": _category_label(evaluation.job_category)
            if evaluation.job_position_name
            else "",
            "forms": forms_,
            "form_errors": errors,
            "page_errors": page_errors,
            "changes": changes,
            "facts": facts,
            "head_level_label": _level_label(evaluation.head_level),
            "sees_unit": user.has_perm("assessment.view_unit_staff", evaluation.unit),
            "notes": sw.st.unconfirmed_notes(sw.bounds()),
        },
    )


@login_required
def evaluation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _evaluation(request, pk))


@login_required
def my_evaluation(request: AuthedRequest) -> HttpResponse:
    """The official's own evaluation in the latest signed round; else their position, plan and a start button."""
    user = request.user
    if not user.has_perm("assessment.view_own_staff_evaluation"):
        raise PermissionDenied
    rnd = sw.latest_signed_round()
    if rnd is not None:
        own = StaffEvaluation.objects.filter(round=rnd, person=user).only("pk").first()
        if own is not None:
            return redirect("assessment:staff-detail", pk=own.pk)
    period = rnd.period if rnd is not None else Period.objects.order_by("-year").first()
    plan = list(WorkPlanItem.objects.filter(period=period, person=user)) if period else []
    can_start = bool(
        rnd is not None
        and user.unit is not None
        and user.has_perm("assessment.start_staff_evaluations", user.unit)
        and sw.head_sheet(rnd, user.unit.pk) is not None
    )
    position = user.job_position
    return render(
        request,
        "assessment/staff_none.html",
        {
            "round": rnd,
            "period": period,
            "plan": plan,
            "position": position,
            "category_label": _category_label(position.category) if position else "",
            "can_start": can_start,
            "start_form": VersionedForm(initial={"version": 0}, prefix="start"),
        },
    )


@login_required
def my_unit(request: AuthedRequest) -> HttpResponse:
    """The head's entry: the page of their unit's staff."""
    if not request.user.has_perm("assessment.rate_own_unit_staff") or request.user.unit_id is None:
        raise PermissionDenied
    return redirect("assessment:staff-unit", unit_pk=request.user.unit_id)


def _unit(request: AuthedRequest, unit_pk: int) -> Unit:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not request.user.has_perm("assessment.view_unit_staff", unit):
        raise Http404
    return unit


def _chart(result: Any) -> dict[str, Any]:
    by_score = dict.fromkeys(Level, 0)
    given = dict.fromkeys(Level, 0)
    for row in result.results if result else ():
        by_score[row.level_by_score] += 1
        given[row.level] += 1
    return {
        "labels": [str(level.label) for level in Level],
        "series": [
            {"name": str(_("Theo điểm")), "data": [by_score[level] for level in Level]},
            {"name": str(_("Mức xếp loại")), "data": [given[level] for level in Level]},
        ],
    }


def _unit_page(
    request: AuthedRequest, unit: Unit, rnd: Round | None, errors: list[str] | None = None
) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "unit": unit,
        "round": rnd,
        "page_errors": errors or [],
        "round_param": ROUND_PARAM,
    }
    if user.has_perm("assessment.manage_work_plan", unit):
        context["plan_people"] = list(sw.unit_staff(unit).order_by("full_name"))
    if rnd is None:
        return render(request, "assessment/staff_unit.html", context)
    evaluations = list(sw.evaluations_of(rnd, unit.pk))
    preview = sw.preview_unit(rnd, unit, evaluations)
    outcomes = {r.person_id: r for r in preview.result.results} if preview.result else {}
    rows = [(e, outcomes.get(e.person_id)) for e in evaluations]
    groups = []
    if preview.result is not None:
        for summary in preview.result.groups:
            groups.append(
                {
                    "label": _category_label(summary.group.task_group),
                    "summary": summary,
                    "counts": [
                        (level.label, summary.counts_by_score[level], summary.counts[level])
                        for level in Level
                    ],
                }
            )
    started = {e.person_id for e in evaluations}
    not_started = [p for p in sw.unit_staff(unit).order_by("full_name") if p.pk not in started]
    all_final = bool(evaluations) and all(e.status == StaffStatus.FINALIZED for e in evaluations)
    can_rate = user.has_perm("assessment.rate_unit_staff", unit)
    context.update(
        evaluations=evaluations,
        rows=rows,
        groups=groups,
        preview=preview,
        head_level_label=_level_label(preview.head_level),
        cap_label=preview.cap.label,
        bounds_rows=sw.bounds().rows(),
        chart=_chart(preview.result),
        not_started=not_started,
        all_final=all_final,
        can_rate=can_rate,
        can_start=bool(not_started)
        and rnd.status == "signed"
        and user.has_perm("assessment.start_staff_evaluations", unit)
        and sw.head_sheet(rnd, unit.pk) is not None,
        can_finalize=can_rate and bool(evaluations) and not all_final,
        finalize_form=FinalizeForm(initial={"seen": sw.fingerprint(evaluations)}),
        start_form=VersionedForm(initial={"version": 0}, prefix="start"),
    )
    return render(request, "assessment/staff_unit.html", context)


@login_required
def unit_staff(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = _unit(request, unit_pk)
    return _unit_page(request, unit, _round_from(request))


def _results_scope(user: Any) -> QuerySet[StaffEvaluation]:
    qs = StaffEvaluation.objects.all()
    if user.role == Role.VICE_CHAIRMAN:
        return qs.filter(unit_id__in=user.charged_unit_ids)
    return qs


@login_required
def staff_results(request: AuthedRequest) -> HttpResponse:
    """Every staff evaluation of the round in the person's scope, filtered by unit, paginated in the database."""
    if not request.user.has_perm("assessment.view_staff_results"):
        raise PermissionDenied
    rnd = _round_from(request)
    scope = _results_scope(request.user)
    scope = scope.filter(round=rnd) if rnd is not None else scope.none()
    units = list(Unit.objects.filter(pk__in=scope.values("unit_id")).order_by("name").only("pk", "name"))
    unit_value = request.GET.get(UNIT_PARAM, "")
    chosen = next((u for u in units if str(u.pk) == unit_value), None)
    listed = scope.filter(unit=chosen) if chosen else scope
    page_obj = paginate(
        request, listed.select_related("person", "unit").order_by("unit__name", "person__full_name", "pk")
    )
    return render(
        request,
        "assessment/staff_results.html",
        {
            "round": rnd,
            "units": units,
            "chosen": chosen,
            "page_obj": page_obj,
            "evaluations": page_obj.object_list,
            "unit_param": UNIT_PARAM,
        },
    )


# -- acting ----------------------------------------------------------------------------------------------------


def _act(
    request: AuthedRequest,
    evaluation: StaffEvaluation,
    key: str,
    form: Any,
    run: Callable[[dict[str, Any]], str],
    *,
    field_of: Callable[[str], str] = lambda name: name,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    return run_action(
        request,
        form,
        run,
        done_url=reverse("assessment:staff-detail", args=[evaluation.pk]),
        page=lambda shown, errors: _detail_page(
            request, _evaluation(request, evaluation.pk), {key: shown}, {key: errors}
        ),
        current_version=lambda: StaffEvaluation.objects.values_list("version", flat=True).get(
            pk=evaluation.pk
        ),
        field_of=field_of,
        form_kwargs=form_kwargs,
    )


@login_required
@require_POST
def evaluation_self(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "assessment.self_evaluate")
    products = list(evaluation.products.order_by("position", "pk"))
    form = SelfForm(request.POST, products=products, prefix="self")

    def run(data: dict[str, Any]) -> str:
        sw.save_self(
            evaluation.pk,
            general=data.get("general") if data.get("general") is not None else "",
            comment=data.get("comment", ""),
            products=form.product_inputs(),
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã lưu phần tự đánh giá.")

    return _act(
        request, evaluation, "self", form, run, field_of=_self_field, form_kwargs={"products": products}
    )


@login_required
@require_POST
def evaluation_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "assessment.self_evaluate")
    form = ActionForm(request.POST, prefix="submit")

    def run(data: dict[str, Any]) -> str:
        sw.submit(evaluation.pk, by=request.user, expected_version=data["version"])
        return _("Đã gửi phiếu tự đánh giá tới người đứng đầu đơn vị.")

    return _act(request, evaluation, "submit", form, run, field_of=lambda name: "")


@login_required
@require_POST
def evaluation_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "assessment.rate_staff")
    form = RateForm(request.POST, prefix="rate")

    def run(data: dict[str, Any]) -> str:
        sw.rate(
            evaluation.pk,
            general=data.get("general") if data.get("general") is not None else "",
            reason=data.get("reason", ""),
            comment=data.get("comment", ""),
            facts=form.facts(),
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã ghi đánh giá của người đứng đầu cho %(name)s.") % {"name": evaluation.person}

    return _act(request, evaluation, "rate", form, run, field_of=_rate_field)


@login_required
@require_POST
def evaluation_return(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, "assessment.rate_staff")
    form = ActionForm(request.POST, prefix="return")

    def run(data: dict[str, Any]) -> str:
        sw.return_to_official(
            evaluation.pk, comment=data.get("comment", ""), by=request.user, expected_version=data["version"]
        )
        return _("Đã trả lại phiếu tự đánh giá cho %(name)s.") % {"name": evaluation.person}

    return _act(request, evaluation, "return", form, run)


def _unit_round(request: AuthedRequest) -> Round:
    value = request.POST.get("round", "")
    rnd = Round.objects.filter(pk=int(value)).first() if value.isdigit() else sw.latest_signed_round()
    if rnd is None:
        raise Http404
    return rnd


@login_required
@require_POST
def unit_start(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    """Start the unit's evaluations (the head from the unit's page, an official from their own page)."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not request.user.has_perm("assessment.start_staff_evaluations", unit):
        raise PermissionDenied
    rnd = _unit_round(request)
    back = request.POST.get("next", "")
    done = (
        reverse("assessment:my-staff-evaluation")
        if back == "own"
        else reverse("assessment:staff-unit", args=[unit.pk]) + f"?{ROUND_PARAM}={rnd.pk}"
    )
    try:
        created = sw.start_unit(rnd.pk, unit.pk, by=request.user)
    except (RuleViolations, TransitionNotAllowed) as exc:
        messages.error(request, exc.user_message)
    else:
        messages.success(
            request, _("Đã bắt đầu đánh giá công chức: %(count)s phiếu mới.") % {"count": len(created)}
        )
    return redirect(done)


@login_required
@require_POST
def unit_finalize(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = _unit(request, unit_pk)
    if not request.user.has_perm("assessment.rate_unit_staff", unit):
        raise PermissionDenied
    rnd = _unit_round(request)
    form = FinalizeForm(request.POST)
    if not form.is_valid():
        return _unit_page(
            request, unit, rnd, [_("Thiếu thông tin phiên bản; hãy tải lại trang rồi xếp loại.")]
        )
    try:
        sw.finalize_unit(rnd.pk, unit.pk, by=request.user, expected=form.cleaned_data["seen"])
    except (StaleEdit, TransitionNotAllowed, RuleViolations) as exc:
        response = _unit_page(request, unit, rnd, [exc.user_message])
        if isinstance(exc, StaleEdit | TransitionNotAllowed):
            response.status_code = (
                409  # someone acted first, or the unit has moved on (as run_action answers)
            )
        return response
    messages.success(request, _("Đã xếp loại công chức của %(unit)s.") % {"unit": unit})
    return redirect(reverse("assessment:staff-unit", args=[unit.pk]) + f"?{ROUND_PARAM}={rnd.pk}")


# -- the personal work plan ------------------------------------------------------------------------------------


class PlanItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Sản phẩm, công việc"), required=False, max_length=300)
    weight = points_field(
        gettext_lazy("Hệ số quy đổi"),
        help_text=gettext_lazy("Sản phẩm chuẩn là 1; phần thập phân ghi sau dấu phẩy, ví dụ 1,5."),
        required=False,
        initial=Decimal(1),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Thời hạn"),
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=DATE_INPUT,
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.")},
    )


def _plan_page(
    request: AuthedRequest, person: Person, period: Period, form: Any, errors: list[str]
) -> HttpResponse:
    items = list(WorkPlanItem.objects.filter(period=period, person=person).order_by("position", "pk"))
    return render(
        request,
        "assessment/staff_plan.html",
        {"person": person, "period": period, "items": items, "form": form, "page_errors": errors},
    )


@login_required
def work_plan(request: AuthedRequest, person_pk: int) -> HttpResponse:
    """The head's page of an official's work plan for the latest period: the products, and a form to add one."""
    person = get_object_or_404(Person.objects.select_related("unit"), pk=person_pk)
    if person.unit is None or not request.user.has_perm("assessment.manage_work_plan", person.unit):
        raise PermissionDenied
    period = get_object_or_404(Period.objects.order_by("-year")[:1])
    if request.method != "POST":
        return _plan_page(request, person, period, PlanItemForm(initial={"weight": Decimal(1)}), [])
    form = PlanItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sw.add_plan_item(
                person.pk,
                period.pk,
                title=data["title"] or "",
                weight=data["weight"] if data["weight"] is not None else "",
                deadline=data["deadline"],
                by=request.user,
            )
        except RuleViolations as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request, _("Đã thêm sản phẩm vào kế hoạch công tác của %(name)s.") % {"name": person}
            )
            return redirect("assessment:staff-plan", person_pk=person.pk)
    return _plan_page(request, person, period, form, [])
