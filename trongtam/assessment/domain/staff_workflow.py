"""Every write of a staff evaluation (issue #4, item 6), and the reads the pages and the API share.

    start (once the heads' round is signed) → the official's self-evaluation → submitted: the head rates
    → the head finalizes the unit (classification of `domain/staff.py`) → the official sees their level

Each write runs in one transaction: it locks the evaluation (or the unit's evaluations), checks the permission
(`trongtam/assessment/rules.py`), then the version the caller loaded (StaleEdit, a 409 naming who changed it),
then the state (TransitionNotAllowed), then the input (RuleViolations, every problem at once, nothing written);
then it writes the change, its audit entry and the notifications of whoever must act next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.assessment.domain import scoring
from trongtam.assessment.domain import staff as st
from trongtam.assessment.domain.classification import Classification, Fact, write_outcome
from trongtam.assessment.enums import Level, RoundStatus, SheetStatus, StaffStatus
from trongtam.assessment.models import (
    Round,
    ScoreSheet,
    StaffEvaluation,
    StaffPointChange,
    StaffProduct,
    WorkPlanItem,
)
from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.cycles.models import Period
from trongtam.org.domain.queries import head_of
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

STAFF_ROLES = (Role.DEPUTY, Role.OFFICIAL)
# The facts a head may record for an official: the hard rules that concern anyone, not only leaders.
STAFF_FACTS = (Fact.DEGRADATION, Fact.DISCIPLINED, Fact.INSPECTION_VIOLATION)
CENT = Decimal("0.01")


def bounds() -> st.StaffBounds:
    """The bounds in force: the setting ASSESSMENT_STAFF_BOUNDS (see `StaffBounds.from_dict`) or the default."""
    return st.StaffBounds.from_dict(getattr(django_settings, "ASSESSMENT_STAFF_BOUNDS", None))


# -- reading ---------------------------------------------------------------------------------------------------


def latest_signed_round() -> Round | None:
    """The heads' round whose staff evaluations run now: the latest signed round of the latest period (a signed
    round of an earlier year is history, reached by its id, not a round to start evaluations in now)."""
    period = Period.objects.order_by("-year").first()
    return (
        Round.objects.filter(status=RoundStatus.SIGNED, period=period)
        .select_related("period")
        .order_by("-period__year", "-signed_at", "-pk")
        .first()
    )


def head_sheet(rnd: Round, unit_id: int) -> ScoreSheet | None:
    """The signed score sheet of the unit's head in the round (its level bounds the staff's)."""
    return (
        ScoreSheet.objects.filter(round=rnd, unit_id=unit_id, status=SheetStatus.SIGNED)
        .select_related("person")
        .first()
    )


def unit_staff(unit: Unit) -> QuerySet[Person]:
    """The officials a unit's head rates: its active deputies and officials."""
    return Person.objects.filter(unit=unit, is_active=True, role__in=STAFF_ROLES).select_related(
        "job_position"
    )


def evaluations_of(rnd: Round, unit_id: int) -> QuerySet[StaffEvaluation]:
    return (
        StaffEvaluation.objects.filter(round=rnd, unit_id=unit_id)
        .select_related("person", "unit")
        .order_by("person__full_name", "pk")
    )


def products_of(
    evaluation: StaffEvaluation, rows: Iterable[StaffProduct] | None = None
) -> list[scoring.Product]:
    stored = evaluation.products.all() if rows is None else rows
    return [
        scoring.Product(
            ref=f"{p.position}. {p.title}",
            weight=p.weight,
            completed=p.done,
            failures=p.quality_failures,
            excused_failures=p.excused_failures,
            delays=p.delays,
            excused_delays=p.excused_delays,
        )
        for p in stored
    ]


def general_of(evaluation: StaffEvaluation) -> Decimal | None:
    """The general-criteria points in force: the head's when the head rated them, else the official's own."""
    return evaluation.general_head if evaluation.general_head is not None else evaluation.general_self


def score_of(evaluation: StaffEvaluation, rows: Iterable[StaffProduct] | None = None) -> st.StaffScore | None:
    """The evaluation scored from what is stored; None while no general points were entered."""
    general = general_of(evaluation)
    if general is None:
        return None
    return st.staff_score(general=general, products=products_of(evaluation, rows))


def fingerprint(evaluations: Iterable[StaffEvaluation]) -> str:
    """What the head saw of the unit's evaluations (each id and version): the finalize form sends it back."""
    return ",".join(f"{e.pk}:{e.version}" for e in sorted(evaluations, key=lambda e: e.pk))


@dataclass(frozen=True)
class UnitPreview:
    """The preview of a unit's classification: the result (None while no one can be classified yet), the head's
    level and the bound it sets, the unit result the staff's levels give the head, and who is not ready."""

    result: Classification | None
    head_level: str
    cap: Level
    unit_result: Decimal | None
    waiting: list[StaffEvaluation]
    notes: list[str]


def rows_for(
    evaluations: Sequence[StaffEvaluation], products: Mapping[int, list[StaffProduct]]
) -> list[st.StaffRow]:
    rows = []
    for evaluation in evaluations:
        scored = score_of(evaluation, products.get(evaluation.pk, []))
        if scored is None or scored.total is None or scored.task_total is None:
            continue
        rows.append(
            st.StaffRow(
                person_id=evaluation.person_id,
                category=evaluation.job_category,
                score=scored.total,
                task_score=scored.task_total,
                facts=frozenset(f["code"] for f in evaluation.facts),
                is_leader=evaluation.person.role == Role.DEPUTY,
            )
        )
    return rows


def _products_by_evaluation(evaluations: Sequence[StaffEvaluation]) -> dict[int, list[StaffProduct]]:
    found: dict[int, list[StaffProduct]] = {}
    for product in StaffProduct.objects.filter(evaluation__in=[e.pk for e in evaluations]).order_by(
        "position", "pk"
    ):
        found.setdefault(product.evaluation_id, []).append(product)
    return found


def preview_unit(rnd: Round, unit: Unit, evaluations: Sequence[StaffEvaluation] | None = None) -> UnitPreview:
    """The classification of the unit's staff as the evaluations stand now (what finalizing will write)."""
    evaluations = list(evaluations_of(rnd, unit.pk) if evaluations is None else evaluations)
    sheet = head_sheet(rnd, unit.pk)
    head_level = sheet.level if sheet is not None else ""
    in_force = bounds()
    products = _products_by_evaluation(evaluations)
    rows = rows_for(evaluations, products)
    result = st.classify_unit(unit.pk, rows, head_level=head_level, bounds=in_force) if rows else None
    waiting = [e for e in evaluations if e.status == StaffStatus.SELF_ASSESSMENT or e.rated_at is None]
    levels = [r.level for r in result.results] if result else []
    return UnitPreview(
        result=result,
        head_level=head_level,
        cap=in_force.cap_for(head_level),
        unit_result=st.head_unit_result(levels),
        waiting=waiting,
        notes=st.unconfirmed_notes(in_force),
    )


# -- helpers ---------------------------------------------------------------------------------------------------


def _locked(evaluation_id: int) -> StaffEvaluation:
    return (
        StaffEvaluation.objects.select_for_update(of=("self",))
        .select_related("round__period", "unit", "person")
        .get(pk=evaluation_id)
    )


def stale(evaluation: StaffEvaluation) -> Any:
    return audit.stale_edit(
        evaluation,
        children_count=True,
        now=_("bước «%(status)s»") % {"status": evaluation.get_status_display()},
    )


def _check_version(evaluation: StaffEvaluation, expected_version: int | None) -> None:
    if expected_version is not None and evaluation.version != expected_version:
        raise stale(evaluation)


def _open(
    evaluation_id: int, *, by: Any, perm: str, expected_version: int | None, step: StaffStatus, refusal: str
) -> StaffEvaluation:
    """The evaluation locked for a write, once the checks before the input have passed, in this order: `by` has
    `perm` on it (PermissionDenied), it is at the version the caller loaded (StaleEdit), and at `step`
    (TransitionNotAllowed with `refusal`, a message naming the step it is at as %(status)s)."""
    evaluation = _locked(evaluation_id)
    if not by.has_perm(perm, evaluation):
        raise PermissionDenied
    _check_version(evaluation, expected_version)
    if evaluation.status != step:
        raise TransitionNotAllowed(refusal % {"status": evaluation.get_status_display()})
    return evaluation


def _bump(evaluation: StaffEvaluation, fields: Sequence[str] = ()) -> None:
    evaluation.version += 1
    evaluation.save(update_fields=["version", "updated_at", *fields])


def _rescore(evaluation: StaffEvaluation, rows: Iterable[StaffProduct] | None = None) -> None:
    scored = score_of(evaluation, rows)
    evaluation.total = scored.total if scored else None
    evaluation.task_total = scored.task_total if scored else None


def _url(evaluation: StaffEvaluation) -> str:
    from django.urls import reverse

    return reverse("assessment:staff-detail", args=[evaluation.pk])


def _tell(
    recipient: Any, evaluation: StaffEvaluation, *, by: Any, kind: NotificationKind, title: str
) -> None:
    """Notify one person (never `by` themselves) of a step of the evaluation, with a link to it."""
    body = _("Người xử lý: %(name)s.") % {"name": by.get_full_name()}
    notify(
        [r for r in [recipient] if r is not None and r.pk != by.pk],
        kind=kind,
        title=title,
        body=body,
        url=_url(evaluation),
    )


def _record_transition(
    evaluation: StaffEvaluation, before: StaffStatus, after: StaffStatus, *, by: Any, **changes: Any
) -> None:
    """The audit entry of a change of step, with whatever else the step recorded."""
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        instance=evaluation,
        changes={"status": [before, after], **changes},
    )


def _points(value: object, field: str, label: str) -> tuple[Decimal | None, list[Problem]]:
    """Points 0–30 with at most two decimals, or the problem naming the field."""
    try:
        number = (
            Decimal(str(value)) if isinstance(value, int | str | Decimal) and str(value).strip() else None
        )
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return None, [Problem(_("%(label)s: cần nhập một số từ 0 đến 30.") % {"label": label}, field)]
    problems = [Problem(p.message, field) for p in scoring.general_problems(number)]
    if not problems and number != number.quantize(CENT):
        problems.append(Problem(_("%(label)s: có tối đa hai chữ số thập phân.") % {"label": label}, field))
    return (number.quantize(CENT) if not problems else None), problems


# -- starting --------------------------------------------------------------------------------------------------


def start_unit(round_id: int, unit_id: int, *, by: Any) -> list[StaffEvaluation]:
    """Start the evaluations of a unit's staff under a signed round: one per deputy and official who has none yet,
    with their job position and the products of their work plan for the period copied. Idempotent: a second
    call creates only the missing ones. Any member of the unit may start them (the first to open the page)."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_id)  # two starts at once create each one once
        if not by.has_perm("assessment.start_staff_evaluations", unit):
            raise PermissionDenied
        rnd = Round.objects.select_related("period").get(pk=round_id)
        if rnd.status != RoundStatus.SIGNED:
            raise TransitionNotAllowed(
                _(
                    "Đợt đánh giá người đứng đầu «%(round)s» chưa được phê duyệt: chưa đánh giá công chức được."
                )
                % {"round": rnd}
            )
        if head_sheet(rnd, unit.pk) is None:
            raise TransitionNotAllowed(
                _("%(unit)s không có phiếu đánh giá người đứng đầu đã phê duyệt trong đợt «%(round)s».")
                % {"unit": unit, "round": rnd}
            )
        existing = set(
            StaffEvaluation.objects.filter(round=rnd, unit=unit).values_list("person_id", flat=True)
        )
        people = [p for p in unit_staff(unit).order_by("full_name", "pk") if p.pk not in existing]
        plans: dict[int, list[WorkPlanItem]] = {}
        for item in WorkPlanItem.objects.filter(period=rnd.period, person__in=people).order_by(
            "position", "pk"
        ):
            plans.setdefault(item.person_id, []).append(item)
        created = []
        for person in people:
            position = (
                person.job_position
                if person.job_position and person.job_position.unit_id == unit.pk
                else None
            )
            evaluation = StaffEvaluation.objects.create(
                round=rnd,
                person=person,
                unit=unit,
                job_position=position,
                job_position_name=position.name if position else "",
                job_category=position.category if position else "",
                job_description=position.description if position else "",
            )
            StaffProduct.objects.bulk_create(
                [
                    StaffProduct(
                        evaluation=evaluation,
                        plan_item=item,
                        position=index,
                        title=item.title,
                        weight=item.weight,
                        deadline=item.deadline,
                    )
                    for index, item in enumerate(plans.get(person.pk, []), start=1)
                ]
            )
            audit.record(
                actor=by,
                action=AuditAction.CREATE,
                instance=evaluation,
                changes={
                    "round": [None, str(rnd)],
                    "job_position": [None, evaluation.job_position_name],
                    "products": [None, len(plans.get(person.pk, []))],
                },
            )
            created.append(evaluation)
        for evaluation in created:
            _tell(
                evaluation.person,
                evaluation,
                by=by,
                kind=NotificationKind.REMINDER,
                title=_("Mời đồng chí tự đánh giá kết quả công tác («%(round)s»)") % {"round": rnd},
            )
    return created


# -- the personal work plan ------------------------------------------------------------------------------------


def add_plan_item(
    person_id: int,
    period_id: int,
    *,
    title: str,
    weight: object,
    deadline: dt.date | None,
    by: Any,
) -> WorkPlanItem:
    """The head of the unit adds a product to an official's work plan for a period. If the official's evaluation
    of that period is still in self-evaluation, the product is added to it too (the evaluation's version rises, so
    a form opened before shows as stale); after that, the plan changes but the evaluation under way does not."""
    title = title.strip()
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person_id)
        if person.unit is None or not by.has_perm("assessment.manage_work_plan", person.unit):
            raise PermissionDenied
        period = Period.objects.get(pk=period_id)
        problems = []
        if person.role not in STAFF_ROLES:
            problems.append(
                Problem(
                    _("%(name)s không phải công chức của đơn vị được đánh giá.") % {"name": person}, "person"
                )
            )
        if not title:
            problems.append(Problem(_("Cần nhập tên sản phẩm, công việc."), "title"))
        elif len(title) > 300:
            problems.append(Problem(_("Tên sản phẩm, công việc dài tối đa 300 ký tự."), "title"))
        try:
            number = Decimal(str(weight)) if str(weight).strip() else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not Decimal("0.01") <= number <= Decimal("99.99"):
            problems.append(Problem(_("Hệ số quy đổi phải là một số từ 0,01 đến 99,99."), "weight"))
        elif number != number.quantize(CENT):
            problems.append(Problem(_("Hệ số quy đổi có tối đa hai chữ số thập phân."), "weight"))
        if deadline is not None and not period.start_date <= deadline <= period.end_date:
            problems.append(
                Problem(
                    _("Thời hạn phải nằm trong kỳ, từ %(start)s đến %(end)s.")
                    % {"start": date_text(period.start_date), "end": date_text(period.end_date)},
                    "deadline",
                )
            )
        if problems or number is None:
            raise RuleViolations(problems)
        last = WorkPlanItem.objects.filter(period=period, person=person).order_by("-position").first()
        item = WorkPlanItem.objects.create(
            period=period,
            person=person,
            position=(last.position + 1) if last else 1,
            title=title,
            weight=number,
            deadline=deadline,
        )
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=item,
            changes={"title": [None, title], "weight": [None, number], "deadline": [None, deadline]},
            root=person,
        )
        open_evaluation = (
            StaffEvaluation.objects.select_for_update(of=("self",))
            .filter(person=person, round__period=period, status=StaffStatus.SELF_ASSESSMENT)
            .first()
        )
        if open_evaluation is not None:
            last_product = open_evaluation.products.order_by("-position").first()
            StaffProduct.objects.create(
                evaluation=open_evaluation,
                plan_item=item,
                position=(last_product.position + 1) if last_product else 1,
                title=title,
                weight=number,
                deadline=deadline,
            )
            _rescore(open_evaluation)
            _bump(open_evaluation, ["total", "task_total"])
            audit.record(
                actor=by,
                action=AuditAction.UPDATE,
                instance=open_evaluation,
                changes={"products": [None, title]},
            )
            _tell(
                person,
                open_evaluation,
                by=by,
                kind=NotificationKind.ASSIGNED,
                title=_("Sản phẩm mới trong kế hoạch công tác của đồng chí: %(title)s")
                % {"title": title[:150]},
            )
    return item


# -- the official ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductInput:
    done: bool
    quality_failures: int = 0
    excused_failures: int = 0
    delays: int = 0
    excused_delays: int = 0
    note: str = ""


def _product_problems(product: StaffProduct, data: ProductInput) -> list[Problem]:
    here = f"products.{product.pk}."
    name = _("Sản phẩm «%(title)s»: ") % {"title": product.title}
    problems = []
    for count, excused, label in (
        ("quality_failures", "excused_failures", _("số lần không đạt yêu cầu")),
        ("delays", "excused_delays", _("số lần chậm tiến độ")),
    ):
        total, confirmed = getattr(data, count), getattr(data, excused)
        if not isinstance(total, int) or isinstance(total, bool) or not 0 <= total <= 20:
            problems.append(
                Problem(name + _("%(what)s phải là số nguyên từ 0 đến 20.") % {"what": label}, here + count)
            )
        elif not isinstance(confirmed, int) or isinstance(confirmed, bool) or not 0 <= confirmed <= total:
            problems.append(
                Problem(
                    name
                    + _("số lần có nguyên nhân khách quan phải từ 0 đến %(total)s (%(what)s).")
                    % {"total": total, "what": label},
                    here + excused,
                )
            )
    if not data.done and (data.quality_failures or data.delays):
        problems.append(
            Problem(
                name + _("chỉ ghi số lần không đạt hoặc chậm tiến độ cho sản phẩm đã hoàn thành."),
                here + "done",
            )
        )
    if len(data.note) > 500:
        problems.append(Problem(name + _("ghi chú dài tối đa 500 ký tự."), here + "note"))
    return problems


def save_self(
    evaluation_id: int,
    *,
    general: object,
    comment: str,
    products: Mapping[int, ProductInput],
    by: Any,
    expected_version: int | None,
) -> StaffEvaluation:
    """The official saves their self-evaluation: the general-criteria points (0–30), a comment and, for each
    product of their plan, whether it is done and how many quality failures and delays it had."""
    with transaction.atomic():
        evaluation = _open(
            evaluation_id,
            by=by,
            perm="assessment.self_evaluate",
            expected_version=expected_version,
            step=StaffStatus.SELF_ASSESSMENT,
            refusal=_("Phiếu đang ở bước «%(status)s»: không sửa phần tự đánh giá được nữa."),
        )
        points, problems = _points(general, "general", _("Điểm tiêu chí chung tự chấm"))
        rows = list(evaluation.products.order_by("position", "pk"))
        by_pk = {row.pk: row for row in rows}
        for pk in products:
            if pk not in by_pk:
                problems.append(
                    Problem(
                        _("Sản phẩm mã số %(pk)s không thuộc phiếu đánh giá này.") % {"pk": pk}, "products"
                    )
                )
        for pk, data in products.items():
            if pk in by_pk:
                problems += _product_problems(by_pk[pk], data)
        if problems:
            raise RuleViolations(problems)
        fields = ["done", "quality_failures", "excused_failures", "delays", "excused_delays", "note"]

        def state() -> dict[str, Any]:
            return {
                "general_self": audit.jsonable(evaluation.general_self),
                "self_comment": evaluation.self_comment,
                **{f"products.{r.pk}": audit.snapshot(r, fields) for r in rows},
            }

        before = state()
        evaluation.general_self = points
        evaluation.self_comment = comment.strip()
        changed_rows = []
        for pk, data in products.items():
            row = by_pk[pk]
            values = {**data.__dict__, "note": data.note.strip()}
            if any(getattr(row, name) != values[name] for name in fields):
                for name in fields:
                    setattr(row, name, values[name])
                changed_rows.append(row)
        StaffProduct.objects.bulk_update(changed_rows, fields)
        changes = audit.diff(before, state())
        if not changes:
            return evaluation
        _rescore(evaluation, rows)
        _bump(evaluation, ["general_self", "self_comment", "total", "task_total"])
        audit.record(actor=by, action=AuditAction.UPDATE, instance=evaluation, changes=changes)
    return evaluation


def submit(evaluation_id: int, *, by: Any, expected_version: int | None) -> StaffEvaluation:
    """The official sends their self-evaluation to the head; refused without general points or products."""
    with transaction.atomic():
        evaluation = _open(
            evaluation_id,
            by=by,
            perm="assessment.self_evaluate",
            expected_version=expected_version,
            step=StaffStatus.SELF_ASSESSMENT,
            refusal=_("Phiếu đang ở bước «%(status)s»: đã gửi rồi."),
        )
        problems = []
        if evaluation.general_self is None:
            problems.append(Problem(_("Chưa tự chấm điểm tiêu chí chung."), "general"))
        if not evaluation.products.exists():
            problems.append(
                Problem(
                    _(
                        "Kế hoạch công tác cá nhân chưa có sản phẩm nào: đề nghị người đứng đầu giao sản phẩm trước."
                    ),
                    "products",
                )
            )
        if problems:
            raise RuleViolations(problems)
        evaluation.status = StaffStatus.HEAD_RATING
        evaluation.submitted_at = timezone.now()
        _bump(evaluation, ["status", "submitted_at"])
        _record_transition(evaluation, StaffStatus.SELF_ASSESSMENT, StaffStatus.HEAD_RATING, by=by)
        _tell(
            head_of(evaluation.unit),
            evaluation,
            by=by,
            kind=NotificationKind.SUBMITTED,
            title=_("%(name)s gửi phiếu tự đánh giá («%(round)s»)")
            % {"name": evaluation.person.get_full_name(), "round": evaluation.round},
        )
    return evaluation


# -- the head --------------------------------------------------------------------------------------------------


def rate(
    evaluation_id: int,
    *,
    general: object,
    reason: str,
    comment: str,
    facts: Mapping[str, str],
    by: Any,
    expected_version: int | None,
) -> StaffEvaluation:
    """The head rates a submitted evaluation: the general-criteria points (a change from the official's points,
    or from the head's earlier points, needs a reason and keeps the earlier value), a comment, and the facts that
    bind the level (discipline…), each with its ground. The level itself comes from the classification."""
    reason, comment = reason.strip(), comment.strip()
    with transaction.atomic():
        evaluation = _open(
            evaluation_id,
            by=by,
            perm="assessment.rate_staff",
            expected_version=expected_version,
            step=StaffStatus.HEAD_RATING,
            refusal=_("Phiếu đang ở bước «%(status)s»: chưa (hoặc không còn) đánh giá được."),
        )
        points, problems = _points(general, "general", _("Điểm tiêu chí chung"))
        earlier = general_of(evaluation)
        if points is not None and points != earlier and not reason:
            problems.append(
                Problem(
                    _("Điểm tiêu chí chung: cần nêu lý do khi thay đổi điểm (từ %(before)s thành %(after)s).")
                    % {"before": earlier, "after": points},
                    "reason",
                )
            )
        allowed = {f.value for f in STAFF_FACTS}
        for code, ground in facts.items():
            if code not in allowed:
                problems.append(
                    Problem(_("Tình tiết «%(code)s» không có trong danh mục.") % {"code": code}, "facts")
                )
            elif not str(ground).strip():
                problems.append(
                    Problem(
                        _("Cần nêu căn cứ của tình tiết «%(fact)s».") % {"fact": Fact(code).label},
                        f"facts.{code}",
                    )
                )
        if problems or points is None:
            raise RuleViolations(problems)
        new_facts = [{"code": code, "reason": str(facts[code]).strip()} for code in sorted(facts)]
        before = {
            "general": audit.jsonable(earlier),
            "head_comment": evaluation.head_comment,
            "facts": evaluation.facts,
            "rated": evaluation.rated_at is not None,
        }
        if points != earlier:
            StaffPointChange.objects.create(
                evaluation=evaluation, field="general", before=earlier, after=points, reason=reason, by=by
            )
        evaluation.general_head = points
        evaluation.head_comment = comment
        evaluation.facts = new_facts
        evaluation.rated_by, evaluation.rated_at = by, timezone.now()
        changes = audit.diff(
            before,
            {
                "general": audit.jsonable(points),
                "head_comment": comment,
                "facts": new_facts,
                "rated": True,
            },
        )
        if points != earlier:
            changes["reason"] = [None, reason]
        _rescore(evaluation)
        _bump(
            evaluation,
            ["general_head", "head_comment", "facts", "rated_by", "rated_at", "total", "task_total"],
        )
        audit.record(actor=by, action=AuditAction.UPDATE, instance=evaluation, changes=changes)
    return evaluation


def return_to_official(
    evaluation_id: int, *, comment: str, by: Any, expected_version: int | None
) -> StaffEvaluation:
    """The head sends a submitted evaluation back to the official, with a comment saying what to mend."""
    comment = comment.strip()
    with transaction.atomic():
        evaluation = _open(
            evaluation_id,
            by=by,
            perm="assessment.rate_staff",
            expected_version=expected_version,
            step=StaffStatus.HEAD_RATING,
            refusal=_("Phiếu đang ở bước «%(status)s»: không trả lại được."),
        )
        if not comment:
            raise RuleViolations([Problem(_("Cần nhập ý kiến khi trả lại phiếu tự đánh giá."), "comment")])
        evaluation.status = StaffStatus.SELF_ASSESSMENT
        evaluation.rated_at = None
        evaluation.rated_by = None
        _bump(evaluation, ["status", "rated_at", "rated_by"])
        _record_transition(
            evaluation, StaffStatus.HEAD_RATING, StaffStatus.SELF_ASSESSMENT, by=by, comment=[None, comment]
        )
        _tell(
            evaluation.person,
            evaluation,
            by=by,
            kind=NotificationKind.RETURNED,
            title=_("Phiếu tự đánh giá của đồng chí bị trả lại: %(comment)s") % {"comment": comment[:150]},
        )
    return evaluation


def finalize_unit(round_id: int, unit_id: int, *, by: Any, expected: str | None) -> Classification:
    """The head finalizes the unit: every evaluation must be submitted and rated; each gets its level by score,
    its level and the reasons (thresholds, hard rules, the head's bound, the quota) and is finalized; every
    official is told. `expected` is the fingerprint of the evaluations the head previewed: if any changed since,
    the write is refused as stale (nothing written)."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        if not by.has_perm("assessment.rate_unit_staff", unit):
            raise PermissionDenied
        rnd = Round.objects.select_related("period").get(pk=round_id)
        evaluations = list(
            StaffEvaluation.objects.select_for_update(of=("self",))
            .filter(round=rnd, unit=unit)
            .select_related("person", "unit")
            .order_by("pk")
        )
        if expected is not None and fingerprint(evaluations) != expected:
            changed = [e for e in evaluations if f"{e.pk}:{e.version}" not in expected.split(",")]
            raise stale(changed[0]) if changed else audit.stale_edit(unit)
        if not evaluations:
            raise TransitionNotAllowed(_("Đơn vị chưa có phiếu đánh giá công chức nào."))
        if all(e.status == StaffStatus.FINALIZED for e in evaluations):
            raise TransitionNotAllowed(_("Kết quả đánh giá công chức của đơn vị đã được xếp loại."))
        waiting = [e for e in evaluations if e.status != StaffStatus.HEAD_RATING or e.rated_at is None]
        if waiting:
            names = ", ".join(e.person.get_full_name() for e in waiting[:5]) + (
                "…" if len(waiting) > 5 else ""
            )
            raise TransitionNotAllowed(
                _("Chưa xếp loại được: còn %(count)s phiếu chưa được gửi hoặc chưa đánh giá (%(names)s).")
                % {"count": len(waiting), "names": names}
            )
        preview = preview_unit(rnd, unit, evaluations)
        if preview.result is None or len(preview.result.results) != len(evaluations):
            raise TransitionNotAllowed(_("Còn phiếu chưa đủ điểm để xếp loại (thiếu điểm hoặc sản phẩm)."))
        by_person = {r.person_id: r for r in preview.result.results}
        now = timezone.now()
        for evaluation in evaluations:
            write_outcome(evaluation, by_person[evaluation.person_id])
            evaluation.head_level = preview.head_level
            evaluation.status = StaffStatus.FINALIZED
            evaluation.finalized_by, evaluation.finalized_at = by, now
            evaluation.version += 1
            evaluation.updated_at = now
            _record_transition(
                evaluation,
                StaffStatus.HEAD_RATING,
                StaffStatus.FINALIZED,
                by=by,
                level=[None, evaluation.level],
            )
        StaffEvaluation.objects.bulk_update(
            evaluations,
            [
                "level_by_score",
                "level",
                "level_reasons",
                "head_level",
                "status",
                "finalized_by",
                "finalized_at",
                "version",
                "updated_at",
            ],
        )
        for evaluation in evaluations:
            _tell(
                evaluation.person,
                evaluation,
                by=by,
                kind=NotificationKind.APPROVED,
                title=_("Kết quả đánh giá, xếp loại của đồng chí: %(level)s")
                % {"level": evaluation.get_level_display()},
            )
    return preview.result


def date_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
