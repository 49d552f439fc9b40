"""The permission matrix: every demo role against every page and action of the foundation.

Each row names a page or an action and the demo log-ins that may use it; every other log-in must be refused
(403, or 404 where the record is outside their scope so its existence is not revealed) and nothing may change.
Anonymous visitors are sent to the log-in page. Lists are checked row by row: a role sees exactly its scope.

The log-ins stand for the roles: chutich (Chairman), pct.kinhte (Vice-Chairman in charge of Sở Công Thương),
pct.vanxa (a Vice-Chairman not in charge of it), vanphong (office), noivu (home affairs), gd.sct (head of SCT),
pgd.sct (its deputy), cv.sct (its official), gd.stc (head of another unit), hdnd (council), congdan (citizen),
quantri (administrator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.directives.test_forms import form_data, working_days_task
from tests.followup.factories import make_directive_task
from trongtam.assessment.domain.rounds import open_round
from trongtam.assessment.models import Round, RubricVersion
from trongtam.core.models import AuditEntry
from trongtam.cycles.models import AssignedTask, CommonTask, Period
from trongtam.directives.models import Directive
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import ExtensionRequest, Task
from trongtam.keytasks.domain.registration import transition_registration
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.enums import RegistrationStatus as S
from trongtam.keytasks.models import KeyTask, Milestone, Registration
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db

USERS = [
    "chutich", "pct.kinhte", "pct.vanxa", "vanphong", "noivu", "gd.sct", "pgd.sct", "cv.sct",
    "gd.stc", "hdnd", "congdan", "quantri",
]  # fmt: skip
EVERYONE = frozenset(USERS)
INTERNAL = EVERYONE - {"congdan"}
PROVINCE_WIDE = frozenset({"chutich", "vanphong", "noivu", "quantri"})
SEES_SCT = PROVINCE_WIDE | {"hdnd", "pct.kinhte", "gd.sct", "pgd.sct", "cv.sct"}
REVIEWS_SCT = frozenset({"chutich", "pct.kinhte"})
HEAD_OF_SCT = frozenset({"gd.sct"})
# A task led by SCT: its unit works on it, its leaders speak for the unit, its assigners decide.
WORKS_ON_SCT = frozenset({"gd.sct", "pgd.sct", "cv.sct"})
SPEAKS_FOR_SCT = frozenset({"gd.sct", "pgd.sct"})
ASSIGNS_TO_SCT = frozenset({"chutich", "vanphong", "pct.kinhte"})  # the Office assigned it
ENTERS_DIRECTIVES = frozenset({"chutich", "vanphong", "quantri"})


def sct() -> Registration:
    return Registration.objects.get(unit__code="SCT", period__year=2026)


def _move(*steps: tuple[A, str]) -> Callable[[], None]:
    """Bring SCT's registration (submitted in the demo) to the state an action needs."""

    def prepare() -> None:
        for action, username in steps:
            comment = "Chuẩn bị kiểm thử" if action in (A.RETURN, A.REQUEST_CHANGE, A.REJECT_CHANGE) else ""
            transition_registration(
                sct().pk, action, by=Person.objects.get(username=username), comment=comment
            )

    return prepare


def _nothing() -> None:
    pass


# -- pages (GET) ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    allowed: frozenset[str]
    args: Callable[[], list[Any]] = list

    def url(self) -> str:
        return reverse(self.name, args=self.args())


def _period() -> list[Any]:
    return [Period.objects.get(year=2026).pk]


MATRIX_TASK = "Nhiệm vụ của ma trận phân quyền"


def sct_directive_task(**changes: Any) -> Task:
    """A directive's task led by SCT, assigned by the Office (made on first use, in the test's transaction)."""
    task = Task.objects.filter(title=MATRIX_TASK).first() or make_directive_task(
        title=MATRIX_TASK, lead_unit=Unit.objects.get(code="SCT"), lifecycle=Lifecycle.IN_PROGRESS
    )
    if changes:
        Task.objects.filter(pk=task.pk).update(**changes)
        task.refresh_from_db()
    return task


def _sct_task() -> list[Any]:
    registration = sct()
    task = registration.tasks.order_by("pk").first()
    assert task is not None
    return [registration.pk, task.pk]


MATRIX_ROUND = "Đợt đánh giá của ma trận phân quyền"


def matrix_round(*, signed: bool = False) -> Round:
    """A round of the heads of SCT and STC (opened on first use, in the test's transaction); `signed` marks it
    signed off by the Chairman (the exports' permission depends on it)."""
    rnd = Round.objects.filter(name=MATRIX_ROUND).first()
    if rnd is None:
        others = Person.objects.filter(role=Role.HEAD, is_active=True).exclude(unit__code__in=["SCT", "STC"])
        paused = list(others.values_list("pk", flat=True))
        others.update(is_active=False)  # a small round: two sheets
        rnd = open_round(
            Period.objects.get(year=2026),
            RubricVersion.objects.get(period__year=2026, number=1),
            name=MATRIX_ROUND,
            cut_off=dt.date(2026, 11, 30),
            by=Person.objects.get(username="noivu"),
        )
        Person.objects.filter(pk__in=paused).update(is_active=True)
    if signed:
        Round.objects.filter(pk=rnd.pk).update(
            status="signed", signed_by=Person.objects.get(username="chutich")
        )
    return rnd


def _sct_sheet() -> list[Any]:
    return [matrix_round().sheets.get(unit__code="SCT").pk]


PAGES = [
    Page("core:home", EVERYONE),
    Page("core:notifications", EVERYONE),
    Page("core:api-tokens", INTERNAL),
    Page("org:unit-list", INTERNAL),
    Page("org:unit-detail", INTERNAL, lambda: [Unit.objects.get(code="SCT").pk]),
    Page("org:person-list", INTERNAL),
    Page("org:import", frozenset({"noivu", "quantri"})),
    Page("org:import-template", frozenset({"noivu", "quantri"})),
    Page("cycles:period-list", INTERNAL),
    Page("cycles:period-detail", INTERNAL, _period),
    Page("cycles:period-add", frozenset({"vanphong", "quantri"})),
    Page("cycles:period-edit", frozenset({"vanphong", "quantri"}), _period),
    Page("cycles:common-task-add", frozenset({"vanphong", "quantri"}), _period),
    Page("cycles:assigned-task-add", frozenset({"chutich"}), _period),
    Page("workdays:year", INTERNAL),
    Page("overview:overview", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa", "gd.sct", "gd.stc"}),
    Page(
        "directives:directive-list", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa", "gd.sct", "gd.stc"}
    ),
    Page("workdays:exception-add", frozenset({"vanphong", "quantri"})),
    Page("followup:task-list", INTERNAL),
    Page("followup:task-detail", SEES_SCT, lambda: [sct_directive_task().pk]),
    Page("directives:directive-detail", SEES_SCT, lambda: [sct_directive_task().directive_id]),
    Page("directives:directive-add", ENTERS_DIRECTIVES),
    Page("assessment:round-list", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa", "gd.sct", "gd.stc"}),
    Page("assessment:rubric-list", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa", "gd.sct", "gd.stc"}),
    Page("assessment:rubric-import", frozenset({"noivu"})),
    Page("assessment:round-open", frozenset({"noivu"})),
    # The classification's files: before sign-off for those who preview it (here the Excel file); after it also
    # for the other province-wide roles and the council (here the Word file, same permission).
    Page("assessment:round-export-xlsx", frozenset({"noivu", "chutich"}), lambda: [matrix_round().pk]),
    Page("assessment:round-export-docx", PROVINCE_WIDE | {"hdnd"}, lambda: [matrix_round(signed=True).pk]),
    Page("assessment:sheet-export-pdf", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "gd.sct"}, _sct_sheet),
    Page("keytasks:registration-list", INTERNAL),
    Page("keytasks:my-registration", frozenset({"gd.sct", "gd.stc"})),
    Page("keytasks:review-queue", frozenset({"chutich", "pct.kinhte", "pct.vanxa"})),
    Page("keytasks:registration-detail", SEES_SCT, lambda: [sct().pk]),
    Page(
        "keytasks:approved-version",
        PROVINCE_WIDE | {"hdnd", "pct.kinhte"},
        lambda: [Registration.objects.get(unit__code="SNNMT").pk, 1],
    ),
]


# Job positions (module 1) and the staff evaluation (issue #4, item 6): before any staff evaluation exists.
PAGES += [
    Page("org:job-positions", INTERNAL, lambda: [Unit.objects.get(code="SCT").pk]),
    Page("org:job-position-add", frozenset({"noivu", "quantri"}), lambda: [Unit.objects.get(code="SCT").pk]),
    Page(
        "org:person-job-position",
        frozenset({"noivu", "quantri"}),
        lambda: [Person.objects.get(username="cv.sct").pk],
    ),
    Page("assessment:my-staff-evaluation", frozenset({"pgd.sct", "cv.sct"})),
    Page("assessment:my-unit-staff", frozenset({"gd.sct", "gd.stc"})),
    Page(
        "assessment:staff-unit",
        PROVINCE_WIDE | {"hdnd", "pct.kinhte", "gd.sct"},
        lambda: [Unit.objects.get(code="SCT").pk],
    ),
    Page("assessment:staff-results", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa"}),
    Page("assessment:staff-plan", HEAD_OF_SCT, lambda: [Person.objects.get(username="cv.sct").pk]),
]

# The emulation league (issue #4, item 7): published within the government; its rules set by Home Affairs.
PAGES += [
    Page("rankings:league", PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa", "gd.sct", "gd.stc"}),
    Page("rankings:settings", frozenset({"noivu"})),
]


def _page_cases() -> list[Any]:
    return [
        pytest.param(page, username, id=f"{page.name}-{username}") for page in PAGES for username in USERS
    ]


@pytest.mark.parametrize(("page", "username"), _page_cases())
def test_page_access(page: Page, username: str, client_for: Any) -> None:
    response = client_for(username).get(page.url())
    if username in page.allowed:
        assert response.status_code in (200, 302), f"{username} should open {page.name}"
        if response.status_code == 302:
            assert "/dang-nhap/" not in response["Location"]
    else:
        assert response.status_code in (403, 404), f"{username} must not open {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(page: Page) -> None:
    response = Client().get(page.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- actions (POST) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A POST that changes something; `changed()` reads what it changes, before and after."""

    label: str
    allowed: frozenset[str]
    url: Callable[[], str]
    data: Callable[[], dict[str, Any]]
    changed: Callable[[], Any]
    prepare: Callable[[], None] = _nothing
    extra: dict[str, Any] = field(default_factory=dict)


def _transition(action: A) -> Callable[[], str]:
    return lambda: reverse("keytasks:registration-transition", args=[sct().pk, action.value])


def _versioned(comment: str = "") -> Callable[[], dict[str, Any]]:
    return lambda: {"version": sct().version, "comment": comment}


def _status() -> str:
    return sct().status


def _first_task_url(name: str) -> Callable[[], str]:
    return lambda: reverse(name, args=_sct_task())


def _clear_commitment() -> None:
    Registration.objects.filter(pk=sct().pk).update(commitment_signed_at=None, commitment_signed_by=None)


ACTIONS = [
    Action(
        "submit", HEAD_OF_SCT, _transition(A.SUBMIT), _versioned(), _status, _move((A.RETURN, "pct.kinhte"))
    ),
    Action("return", REVIEWS_SCT, _transition(A.RETURN), _versioned("Bổ sung"), _status),
    Action("approve", REVIEWS_SCT, _transition(A.APPROVE), _versioned(), _status),
    Action(
        "request_change",
        HEAD_OF_SCT,
        _transition(A.REQUEST_CHANGE),
        _versioned("Điều chỉnh thời hạn"),
        _status,
        _move((A.APPROVE, "pct.kinhte")),
    ),
    Action(
        "approve_change",
        REVIEWS_SCT,
        _transition(A.APPROVE_CHANGE),
        _versioned(),
        _status,
        _move((A.APPROVE, "pct.kinhte"), (A.REQUEST_CHANGE, "gd.sct")),
    ),
    Action(
        "reject_change",
        REVIEWS_SCT,
        _transition(A.REJECT_CHANGE),
        _versioned("Chưa đủ căn cứ"),
        _status,
        _move((A.APPROVE, "pct.kinhte"), (A.REQUEST_CHANGE, "gd.sct")),
    ),
    Action(
        "sign_commitment",
        HEAD_OF_SCT,
        lambda: reverse("keytasks:registration-sign", args=[sct().pk]),
        dict,
        lambda: sct().commitment_signed_at is not None,
        _clear_commitment,
    ),
    Action(
        "delete_task",
        HEAD_OF_SCT,
        _first_task_url("keytasks:task-delete"),
        lambda: {"version": sct().version},
        lambda: KeyTask.objects.filter(registration=sct()).count(),
        _move((A.RETURN, "pct.kinhte")),
    ),
    Action(
        "edit_period",
        frozenset({"vanphong", "quantri"}),
        lambda: reverse("cycles:period-edit", args=_period()),
        lambda: {**_period_form(), "theme": "Chủ đề mới của năm"},
        lambda: Period.objects.get(year=2026).theme,
    ),
    Action(
        "edit_common_task",
        frozenset({"vanphong", "quantri"}),
        lambda: reverse("cycles:common-task-edit", args=[*_period(), _common_task().pk]),
        lambda: {"number": 1, "title": "Nhiệm vụ chung số 1, diễn đạt lại", "description": ""},
        lambda: _common_task().title,
    ),
    Action(
        "assign_task",
        frozenset({"chutich"}),
        lambda: reverse("cycles:assigned-task-add", args=_period()),
        lambda: {
            "unit": Unit.objects.get(code="STC").pk,
            "title": "Nhiệm vụ Chủ tịch giao thêm",
            "description": "",
        },
        AssignedTask.objects.count,
    ),
]


PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def _task_url(name: str, *more: Callable[[], Any]) -> Callable[[], str]:
    return lambda: reverse(name, args=[sct_directive_task().pk, *(get() for get in more)])


def _task_form(prefix: str, **fields: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {
        f"{prefix}-version": sct_directive_task().version,
        **{f"{prefix}-{k}": v for k, v in fields.items()},
    }


def _lifecycle() -> str:
    return sct_directive_task().lifecycle


def _update_count() -> int:
    return sct_directive_task().updates.count()


def _extension_count() -> int:
    return sct_directive_task().extensions.count()


def _pending_extension() -> ExtensionRequest:
    task = sct_directive_task()
    assert task.deadline is not None
    found = task.extensions.filter(status="pending").first()
    return found or ExtensionRequest.objects.create(
        task=task,
        requested_by=Person.objects.get(username="gd.sct"),
        current_deadline=task.deadline,
        new_deadline=task.deadline + dt.timedelta(days=30),
        reason="Chờ ý kiến của Bộ",
    )


FOLLOWUP_ACTIONS = [
    Action(
        "report_progress",
        WORKS_ON_SCT,
        _task_url("followup:task-progress"),
        _task_form("progress", percent=40, narrative="Đã hoàn thành khảo sát"),
        _update_count,
    ),
    Action(
        "report_completion",
        SPEAKS_FOR_SCT,
        _task_url("followup:task-complete"),
        lambda: {
            **_task_form("complete", narrative="Đã ban hành kế hoạch")(),
            "complete-files": [SimpleUploadedFile("ke-hoach.pdf", PDF)],
        },
        _lifecycle,
    ),
    Action(
        "request_extension",
        SPEAKS_FOR_SCT,
        _task_url("followup:task-extend"),
        _task_form("extend", new_deadline="31/12/2026", reason="Chờ ý kiến của Bộ Công Thương"),
        _extension_count,
    ),
    Action(
        "decide_extension",
        ASSIGNS_TO_SCT,
        _task_url("followup:extension-decide", lambda: _pending_extension().pk),
        _task_form("decide", decision="approve", note=""),
        lambda: sct_directive_task().extensions.filter(status="pending").count(),
        lambda: (_pending_extension(), None)[1],
    ),
    Action(
        "accept_completion",
        ASSIGNS_TO_SCT,
        _task_url("followup:task-act", lambda: "accept"),
        _task_form("act-accept", comment=""),
        _lifecycle,
        lambda: (sct_directive_task(lifecycle=Lifecycle.AWAITING_ACCEPTANCE), None)[1],
    ),
    Action(
        "cancel_task",
        ASSIGNS_TO_SCT,
        _task_url("followup:task-act", lambda: "cancel"),
        _task_form("act-cancel", comment="Không còn phù hợp"),
        _lifecycle,
    ),
    Action(
        "enter_directive",
        ENTERS_DIRECTIVES,
        lambda: reverse("directives:directive-add"),
        lambda: form_data([working_days_task()], rows=1),
        Directive.objects.count,
    ),
]


def _sct_milestone() -> Milestone:
    return Milestone.objects.get(task__registration=sct())


def _milestone_task() -> Task:
    return Task.objects.get(key_task=_sct_milestone().task)


FOLLOWUP_ACTIONS.append(
    Action(
        "record_milestone",
        SPEAKS_FOR_SCT,
        lambda: reverse("followup:milestone-record", args=[_milestone_task().pk, _sct_milestone().pk]),
        lambda: {
            f"milestone-{_sct_milestone().pk}-version": _milestone_task().version,
            f"milestone-{_sct_milestone().pk}-met_on": "28/04/2026",
        },
        lambda: _sct_milestone().met_on,
        _move((A.APPROVE, "pct.kinhte")),
    )
)
ACTIONS += FOLLOWUP_ACTIONS


def _job_position_form() -> dict[str, Any]:
    return {"version": "0", "code": "CM.MT", "name": "Chuyên viên ma trận", "category": "professional"}


def _sct_job_positions() -> int:
    return Unit.objects.get(code="SCT").job_positions.count()


def _set_job_position_form() -> dict[str, Any]:
    cv2 = Person.objects.get(username="cv2.sct")
    support = Unit.objects.get(code="SCT").job_positions.get(code="HT.VT")
    return {"job_position": support.pk, "seen": str(cv2.job_position_id or "")}


ACTIONS += [
    Action(
        "add_job_position",
        frozenset({"noivu", "quantri"}),
        lambda: reverse("org:job-position-add", args=[Unit.objects.get(code="SCT").pk]),
        _job_position_form,
        _sct_job_positions,
    ),
    Action(
        "set_job_position",
        frozenset({"noivu", "quantri"}),
        lambda: reverse("org:person-job-position", args=[Person.objects.get(username="cv2.sct").pk]),
        _set_job_position_form,
        lambda: Person.objects.get(username="cv2.sct").job_position_id,
    ),
]


def _ranking_settings_form() -> dict[str, Any]:
    from trongtam.rankings.domain.queries import current_settings

    row = current_settings()
    return {
        "version": row.version,
        "demotion": "after_group",
        "repeat_periods": 3,
        "collective_excellent": "htxs",
        "collective_advanced": "htt",
        "emulation_fighter": "htxs",
        "advanced_worker": "htt",
    }


def _ranking_settings() -> tuple[str, int]:
    from trongtam.rankings.domain.queries import current_settings

    row = current_settings()
    return row.demotion, row.repeat_periods


ACTIONS += [
    Action(
        "ranking_settings",
        frozenset({"noivu"}),
        lambda: reverse("rankings:settings"),
        _ranking_settings_form,
        _ranking_settings,
    ),
]


def _common_task() -> CommonTask:
    return CommonTask.objects.get(period__year=2026, number=1)


def _period_form() -> dict[str, Any]:
    period = Period.objects.get(year=2026)
    data: dict[str, Any] = {}
    for name in (
        "year", "name", "theme", "rating_regime", "own_min", "own_max", "common_count", "assigned_min",
        "assigned_max", "commitment_text",
    ):  # fmt: skip
        if hasattr(period, name):
            data[name] = getattr(period, name)
    for name in (
        "start_date",
        "end_date",
        "registration_deadline",
        "midyear_review_date",
        "final_assessment_date",
    ):
        value = getattr(period, name, None)
        if value is not None:
            data[name] = value.strftime("%d/%m/%Y")
    data["version"] = getattr(period, "version", "")
    return data


def _action_cases() -> list[Any]:
    return [
        pytest.param(action, username, id=f"{action.label}-{username}")
        for action in ACTIONS
        for username in USERS
    ]


@pytest.mark.parametrize(("action", "username"), _action_cases())
def test_action_permission(action: Action, username: str, client_for: Any) -> None:
    action.prepare()
    before, entries = action.changed(), AuditEntry.objects.count()
    response = client_for(username).post(action.url(), action.data())
    after = action.changed()
    if username in action.allowed:
        assert response.status_code == 302, f"{username} should be able to {action.label}"
        assert after != before, f"{action.label} by {username} changed nothing"
        assert AuditEntry.objects.count() > entries, f"{action.label} left no audit entry"
    else:
        assert response.status_code in (403, 404), f"{username} must not {action.label}"
        assert after == before
        assert AuditEntry.objects.count() == entries


# -- lists show exactly the scope ---------------------------------------------------------------------------

ALL_DEMO = frozenset({"SCT", "SXD", "SNNMT", "SKHCN", "SGDDT", "SYT", "SNV", "XA01", "XA02", "XA11"})
LIST_SCOPE = {
    **dict.fromkeys(["chutich", "vanphong", "noivu", "quantri", "hdnd"], ALL_DEMO),
    "pct.kinhte": {"SCT", "SXD", "SNNMT", "SKHCN", "XA01", "XA02"},
    "pct.vanxa": {"SGDDT", "SYT", "XA11"},
    **dict.fromkeys(["gd.sct", "pgd.sct", "cv.sct"], frozenset({"SCT"})),
    "gd.stc": frozenset(),
}
QUEUE_SCOPE = {
    "chutich": {"SCT", "SKHCN", "XA01", "XA11"},
    "pct.kinhte": {"SCT", "SKHCN", "XA01"},
    "pct.vanxa": {"XA11"},
}


@pytest.mark.parametrize("username", sorted(LIST_SCOPE))
def test_the_registration_list_shows_exactly_the_scope(username: str, client_for: Any) -> None:
    response = client_for(username).get(reverse("keytasks:registration-list"))
    assert response.status_code == 200
    assert {r.unit.code for r in response.context["page_obj"].paginator.object_list} == LIST_SCOPE[username]


@pytest.mark.parametrize("username", sorted(QUEUE_SCOPE))
def test_the_review_queue_shows_exactly_what_awaits_this_person(username: str, client_for: Any) -> None:
    response = client_for(username).get(reverse("keytasks:review-queue"))
    assert response.status_code == 200
    assert {r.unit.code for r in response.context["page_obj"].paginator.object_list} == QUEUE_SCOPE[username]


def test_a_person_cannot_open_another_persons_notification(client_for: Any) -> None:
    from trongtam.core.models import Notification

    theirs = Notification.objects.filter(recipient__username="pct.kinhte").first()
    assert theirs is not None
    response = client_for("pct.vanxa").post(reverse("core:notification-open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_seeded_status_is_what_the_matrix_assumes() -> None:
    assert sct().status == S.SUBMITTED


def test_a_django_superuser_gets_no_product_powers(client_for: Any) -> None:
    """`createsuperuser` makes a technical administrator: the admin site, but no approving or assigning."""
    root = Person.objects.create_superuser("root", "root@sonha.gov.vn", "Mat-khau-rat-dai-2026")
    registration = sct()
    assert root.has_perm("org.change_unit")  # the Django admin still works for them
    assert not root.has_perm("keytasks.review_registration", registration)
    assert not root.has_perm("cycles.assign_task")
    assert not root.has_perm("keytasks.start_registration")
    response = client_for("root").post(_transition(A.APPROVE)(), _versioned()())
    assert response.status_code in (403, 404)
    assert sct().status == S.SUBMITTED
