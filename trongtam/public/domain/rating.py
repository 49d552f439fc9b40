"""The citizen's satisfaction rating: once per dossier, once its result is ready (done or returned).

Only a visitor who passed the lookup reaches this (the page's session, or the API's code and phone digits). The
dossier row is locked while the rating is written, so two tabs sending at once give one rating and one polite
refusal (the unique dossier of `DossierRating` stands behind it).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction
from trongtam.dossiers.enums import FINISHED, Satisfaction
from trongtam.dossiers.models import Dossier, DossierRating

COMMENT_MAX_LENGTH = 2000


def already_rated_message() -> str:
    return _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần; cảm ơn bạn đã góp ý.")


def not_finished_message() -> str:
    return _("Hồ sơ chưa có kết quả. Bạn có thể đánh giá khi hồ sơ đã giải quyết xong hoặc đã trả kết quả.")


def rate_dossier(dossier_pk: int, satisfaction: int, comment: str = "") -> DossierRating:
    """Record the citizen's rating of the dossier; `TransitionNotAllowed` (409) if it is not finished or was
    rated already, `RuleViolations` (400) for a level that does not exist or a comment too long."""
    problems = []
    if satisfaction not in Satisfaction.values:
        problems.append(Problem(_("Chọn một mức độ hài lòng trong danh sách."), "satisfaction"))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        problems.append(
            Problem(
                _("Ý kiến dài tối đa %(n)s ký tự.")
                % {"n": number_format(COMMENT_MAX_LENGTH, force_grouping=True)},
                "comment",
            )
        )
    if problems:
        raise RuleViolations(problems)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_pk)
        if dossier.status not in FINISHED:
            raise TransitionNotAllowed(not_finished_message())
        if DossierRating.objects.filter(dossier=dossier).exists():
            raise TransitionNotAllowed(already_rated_message())
        try:
            with transaction.atomic():
                rating = DossierRating.objects.create(
                    dossier=dossier, satisfaction=satisfaction, comment=comment
                )
        except IntegrityError as exc:
            raise TransitionNotAllowed(already_rated_message()) from exc
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            instance=rating,
            changes={"satisfaction": [None, satisfaction], "comment": [None, comment]},
            root=dossier,
        )
    return rating
