"""The citizen's dossier lookup: a dossier code plus the last four digits of the phone number on the dossier.

**Never enumerable.** A wrong code and a wrong phone give the same answer, and take the same path: one indexed
query by code, then one constant-time comparison of the four digits, against a stand-in when no dossier has the
code, so neither the answer nor its timing says which half was wrong. Guessing is throttled per client address
by the callers (the page with django-ratelimit, the API with ninja's throttle).

**No personal data.** What the public sees of a dossier is `PublicDossier`, a whitelist: the code, the procedure,
the handling unit, the channel, the dates, the status in plain words, on time or late, the new appointment and
apology letter when one was issued, and the rating. The applicant's name, phone, e-mail and address are never
read into it.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from trongtam.dossiers.domain import letters
from trongtam.dossiers.domain.deadlines import timeliness
from trongtam.dossiers.enums import FINISHED, Channel, DossierStatus, Satisfaction, Timeliness
from trongtam.dossiers.models import Dossier, DossierRating

# Compared with the digits typed when no dossier has the code: same length, never equal to four digits.
_NO_MATCH = "\x00\x00\x00\x00"
CODE_MAX_LENGTH = 60

# The status as a citizen reads it: what is happening and, where it is theirs to act, what to do.
PLAIN_STATUS: dict[int, StrOrPromise] = {
    DossierStatus.SUBMITTED_ONLINE: _("Hồ sơ đã được nộp trực tuyến, đang chờ cơ quan tiếp nhận."),
    DossierStatus.RECEIVED: _("Hồ sơ đã được tiếp nhận, đang chờ chuyển giải quyết."),
    DossierStatus.REFUSED: _(
        "Hồ sơ không được tiếp nhận. Lý do đã được ghi trong phiếu từ chối gửi cho bạn; "
        "bạn có thể liên hệ bộ phận một cửa để được hướng dẫn."
    ),
    DossierStatus.IN_PROCESS: _("Hồ sơ đang được cơ quan giải quyết."),
    DossierStatus.SUPPLEMENT_REQUESTED: _(
        "Cơ quan đề nghị bổ sung giấy tờ. Thời gian chờ bổ sung không tính vào thời hạn giải quyết; "
        "vui lòng xem phiếu yêu cầu bổ sung hoặc liên hệ bộ phận một cửa."
    ),
    DossierStatus.AWAITING_FEES: _(
        "Hồ sơ đang chờ bạn thực hiện nghĩa vụ tài chính (phí, lệ phí, thuế). "
        "Thời gian chờ không tính vào thời hạn giải quyết."
    ),
    DossierStatus.WITHDRAWN: _("Hồ sơ đã được rút theo đề nghị của bạn."),
    DossierStatus.STOPPED: _(
        "Cơ quan đã dừng giải quyết hồ sơ; vui lòng liên hệ bộ phận một cửa để biết lý do."
    ),
    DossierStatus.DONE: _("Hồ sơ đã giải quyết xong, kết quả đang chờ bạn nhận."),
    DossierStatus.RETURNED: _("Hồ sơ đã giải quyết xong và đã trả kết quả."),
}


def not_found_message() -> str:
    """The one answer to a failed lookup, whichever half was wrong (pages and API)."""
    return str(
        _(
            "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 chữ số cuối số điện thoại đã nhập. "
            "Hãy kiểm tra lại cả hai, hoặc liên hệ bộ phận một cửa nơi bạn nộp hồ sơ."
        )
    )


def normalize_code(code: str) -> str:
    """The code as typed, without the spaces a copy from a receipt brings along."""
    return "".join(code.split())


def with_public_relations(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What `public_view` reads, in the same query."""
    return dossiers.select_related("procedure", "unit", "rating")


def granted_dossier(pk: int) -> Dossier | None:
    """A dossier the visitor already found by code and phone (the session remembers its id)."""
    return with_public_relations(Dossier.objects.filter(pk=pk)).first()


def find_dossier(code: str, phone_last4: str) -> Dossier | None:
    """The dossier with this code whose phone number ends with these four digits, or None -- the same None,
    after the same work, whichever of the two was wrong."""
    code = normalize_code(code)[:CODE_MAX_LENGTH]
    # Codes are upper-case in the provincial systems; a citizen may type them in lower case.
    rows = list(with_public_relations(Dossier.objects.filter(code__in={code, code.upper()}))[:2])
    found = next((row for row in rows if row.code == code), rows[0] if rows else None)
    expected = found.phone_last4 if found is not None and len(found.phone_last4) == 4 else _NO_MATCH
    matches = hmac.compare_digest(expected.encode(), phone_last4.encode())
    return found if matches and found is not None else None


@dataclass(frozen=True)
class PublicLetter:
    """An apology letter as the citizen sees it: only once the unit's leader has signed it."""

    status_label: str
    number: str
    reason: str
    new_due_date: dt.date
    issued_on: dt.date | None
    sent_on: dt.date | None


@dataclass(frozen=True)
class PublicRating:
    satisfaction: int
    satisfaction_label: str
    comment: str
    rated_on: dt.date


@dataclass(frozen=True)
class PublicDossier:
    """Everything the public may see of a dossier (a whitelist: nothing personal is ever read into it)."""

    pk: int
    code: str
    procedure_code: str
    procedure_name: str
    field: str
    unit_name: str
    channel: int
    channel_label: str
    received_on: dt.date | None
    due_date: dt.date | None
    appointment_date: dt.date | None
    finished_on: dt.date | None
    status: int
    status_label: str
    status_explained: str
    timeliness: str
    timeliness_label: str
    is_late: bool
    letter: PublicLetter | None
    rating: PublicRating | None
    can_rate: bool


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def public_letter(dossier: Dossier) -> PublicLetter | None:
    """The dossier's apology letter once signed (approved or sent), as the letters module shows it to the public;
    a draft or one awaiting approval is not yet the unit's word to the citizen."""
    shown = letters.public_letter(dossier)
    if shown is None:
        return None
    return PublicLetter(
        status_label=str(shown["status_label"]),
        number=str(shown["number"]),
        reason=str(shown["reason"]),
        new_due_date=shown["new_due_date"],
        issued_on=shown["approved_on"],
        sent_on=shown["sent_on"],
    )


def public_rating(dossier: Dossier) -> PublicRating | None:
    try:
        rating = dossier.rating
    except DossierRating.DoesNotExist:
        return None
    return rating_view(rating)


def rating_view(rating: DossierRating) -> PublicRating:
    return PublicRating(
        satisfaction=rating.satisfaction,
        satisfaction_label=str(Satisfaction(rating.satisfaction).label),
        comment=rating.comment,
        rated_on=_local_date(rating.rated_at) or dt.date.min,
    )


def may_be_rated(dossier: Dossier) -> bool:
    """A dossier is rated once, when the citizen has its result (done or returned)."""
    return dossier.status in FINISHED


def public_view(dossier: Dossier, today: dt.date) -> PublicDossier:
    """What the lookup shows of `dossier` on `today`."""
    where = timeliness(dossier.status, dossier.due_date, dossier.finished_on, today)
    letter = public_letter(dossier)
    rating = public_rating(dossier)
    return PublicDossier(
        pk=dossier.pk,
        code=dossier.code,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        field=dossier.procedure.field,
        unit_name=dossier.unit.name,
        channel=dossier.channel,
        channel_label=str(Channel(dossier.channel).label),
        received_on=dossier.received_on,
        due_date=dossier.due_date,
        appointment_date=letter.new_due_date if letter is not None else None,
        finished_on=dossier.finished_on,
        status=dossier.status,
        status_label=str(DossierStatus(dossier.status).label),
        status_explained=str(PLAIN_STATUS[dossier.status]),
        timeliness=str(where.value),
        timeliness_label=str(where.label),
        is_late=where in (Timeliness.LATE, Timeliness.OPEN_OVERDUE),
        letter=letter,
        rating=rating,
        can_rate=rating is None and may_be_rated(dossier),
    )
