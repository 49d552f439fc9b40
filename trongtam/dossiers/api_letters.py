"""Apology letters (Form 04) in the API: the register, one letter, drafting by hand, and each step of the workflow.

The same rules as the pages (views_letters.py): a letter or dossier outside the person's scope is a **404**; inside
it, a step the role does not allow is a **403**; a stale `version` or a letter at another step is a **409**; bad
input is a 400 with the messages by field. Every write goes through `domain.letters`, so the audit trail and the
notifications are the pages'.
"""

# No `from __future__ import annotations`: ninja reads the annotations at import time.

import datetime as dt
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from trongtam.dossiers.domain import letters as domain
from trongtam.dossiers.domain.letters import LetterAction
from trongtam.dossiers.domain.queries import units_visible_to
from trongtam.dossiers.enums import LetterStatus, SendChannel
from trongtam.dossiers.interfaces.letter_forms import (
    LetterDraftForm,
    LetterEditForm,
    LetterFilterForm,
    LetterReviewForm,
    LetterSendForm,
)
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, ErrorOut, choice_label, raise_form_errors

router = Router(tags=["apology-letters"])


class LetterOut(Schema):
    id: int
    version: int
    number: str
    status: str
    status_label: str
    dossier_id: int
    dossier_code: str
    unit_id: int
    unit_name: str
    due_date: dt.date | None
    new_due_date: dt.date
    reason: str
    is_late: bool
    issued_after_due: bool
    drafted_at: dt.datetime
    drafted_automatically: bool
    approved_by: str
    approved_at: dt.datetime | None
    sent_at: dt.datetime | None
    sent_via: str
    rejection_comment: str

    @staticmethod
    def resolve_status_label(obj: ApologyLetter) -> str:
        return choice_label(LetterStatus, obj.status)

    @staticmethod
    def resolve_dossier_code(obj: ApologyLetter) -> str:
        return obj.dossier.code

    @staticmethod
    def resolve_unit_id(obj: ApologyLetter) -> int:
        return obj.dossier.unit_id

    @staticmethod
    def resolve_unit_name(obj: ApologyLetter) -> str:
        return obj.dossier.unit.name

    @staticmethod
    def resolve_due_date(obj: ApologyLetter) -> dt.date | None:
        return obj.dossier.due_date

    @staticmethod
    def resolve_approved_by(obj: ApologyLetter) -> str:
        return obj.approved_by.get_full_name() if obj.approved_by else ""


class LetterDetailOut(LetterOut):
    actions: list[str]


class LetterFilterIn(Schema):
    unit: int | None = None
    status: LetterStatus | None = None
    late: bool = False
    after_due: bool = False
    month: str | None = None  # "2026-03" or "03/2026"
    q: str = ""


class DraftIn(Schema):
    version: int  # the dossier's
    reason: str = ""
    new_due_date: dt.date | None = None


class ActionName(StrEnum):
    SAVE = LetterAction.SAVE.value
    SUBMIT = LetterAction.SUBMIT.value
    APPROVE = LetterAction.APPROVE.value
    RETURN = LetterAction.RETURN.value
    SEND = LetterAction.SEND.value


class ActionIn(Schema):
    action: ActionName
    version: int  # the letter's
    reason: str | None = None
    new_due_date: dt.date | None = None
    comment: str = ""
    channel: SendChannel | None = None
    sent_at: dt.datetime | None = None


def _letter(request: Any, letter_id: int) -> ApologyLetter:
    letter = get_object_or_404(
        ApologyLetter.objects.select_related("dossier__unit", "dossier__procedure", "approved_by"),
        pk=letter_id,
    )
    if not request.user.has_perm("dossiers.view_dossier", letter):
        raise Http404
    return letter


def _detail(request: Any, letter: ApologyLetter) -> ApologyLetter:
    """The letter, with the steps the person may take now as `actions`."""
    letter.actions = [a.value for a in domain.available_actions(request.user, letter)]  # type: ignore[attr-defined]
    return letter


@router.get(
    "/apology-letters", response={200: list[LetterOut], 400: ErrorOut, **ERRORS}, summary="Sổ phiếu xin lỗi"
)
@paginate(PageNumberPagination, page_size=50)
def list_letters(request: Any, filters: Query[LetterFilterIn]) -> QuerySet[ApologyLetter]:
    """The letters of the dossiers in the person's scope, newest first, filtered as on the register page: `unit`
    (its id), `status`, `late` (drafted after the legal day), `after_due` (issued after the due date), `month`
    drafted ("2026-03") and `q` (words of the dossier's code or applicant, diacritics ignored)."""
    if not request.user.has_perm("dossiers.view_letter_register"):
        raise PermissionDenied
    data = filters.dict()
    data["status"] = filters.status.value if filters.status else ""
    form = LetterFilterForm(
        data={k: v for k, v in data.items() if v not in (None, False)}, units=units_visible_to(request.user)
    )
    raise_form_errors(form)
    return domain.filter_letters(domain.letters_visible_to(request.user), form.filters())


@router.get(
    "/apology-letters/{letter_id}", response={200: LetterDetailOut, **ERRORS}, summary="Một phiếu xin lỗi"
)
def get_letter(request: Any, letter_id: int) -> ApologyLetter:
    """The letter with its `version` and the steps the person may take now (`actions`)."""
    return _detail(request, _letter(request, letter_id))


@router.post(
    "/dossiers/{dossier_id}/apology-letter",
    response={201: LetterDetailOut, **WRITE_ERRORS},
    summary="Lập phiếu xin lỗi cho hồ sơ",
)
def draft(request: Any, dossier_id: int, payload: DraftIn) -> tuple[int, ApologyLetter]:
    """An officer of the dossier's unit drafts its letter by hand: `version` is the dossier's; without
    `new_due_date` the system proposes one. One letter per dossier (409 for a second one)."""
    dossier = get_object_or_404(Dossier.objects.select_related("unit"), pk=dossier_id)
    if not request.user.has_perm("dossiers.view_dossier", dossier):
        raise Http404
    if not request.user.has_perm("dossiers.draft_letter", dossier):
        raise PermissionDenied
    form = LetterDraftForm(data=payload.dict())
    raise_form_errors(form)
    letter = domain.draft_letter(
        dossier.pk,
        by=request.user,
        expected_version=payload.version,
        reason=form.cleaned_data["reason"],
        new_due_date=form.cleaned_data["new_due_date"],
    )
    return 201, _detail(request, _letter(request, letter.pk))


FORMS = {
    LetterAction.SAVE: LetterEditForm,
    LetterAction.SUBMIT: LetterEditForm,
    LetterAction.APPROVE: LetterReviewForm,
    LetterAction.RETURN: LetterReviewForm,
    LetterAction.SEND: LetterSendForm,
}


@router.post(
    "/apology-letters/{letter_id}/actions",
    response={200: LetterDetailOut, **WRITE_ERRORS},
    summary="Trình, ký duyệt, trả lại, ghi nhận đã gửi",
)
def take_action(request: Any, letter_id: int, payload: ActionIn) -> ApologyLetter:
    """One step, with the letter's `version`: `save` or `submit` the draft (`reason`, `new_due_date`), `approve`
    or `return` it (`comment`, required to return: the head or a deputy of the dossier's unit), `send` it
    (`channel`: letter, email, sms, in_person, zalo; `sent_at`, default now)."""
    letter = _letter(request, letter_id)
    action = LetterAction(payload.action.value)
    if not request.user.has_perm(domain.TRANSITIONS[action].perm, letter):
        raise PermissionDenied
    data = payload.dict()
    data["channel"] = payload.channel.value if payload.channel else ""
    if action in (LetterAction.SAVE, LetterAction.SUBMIT):
        data["reason"] = letter.reason if payload.reason is None else payload.reason
        data["new_due_date"] = payload.new_due_date or letter.new_due_date
    form = FORMS[action](data={k: v for k, v in data.items() if v is not None})
    raise_form_errors(form)
    cleaned = form.cleaned_data
    domain.act(
        letter.pk,
        action,
        by=request.user,
        expected_version=payload.version,
        reason=cleaned.get("reason"),
        new_due_date=cleaned.get("new_due_date"),
        comment=cleaned.get("comment") or "",
        channel=cleaned.get("channel") or "",
        sent_at=payload.sent_at or cleaned.get("sent_at"),
    )
    return _detail(request, _letter(request, letter.pk))
