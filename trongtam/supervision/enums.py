"""The vocabulary of dialogue sessions and of the Council's supervision recommendations.

Both kinds of item -- an issue raised at a dialogue (kiến nghị tại buổi đối thoại) and a recommendation of a
Council supervision (kiến nghị giám sát của HĐND) -- go the way citizens' feedback goes (feedback/enums.py):
open → assigned → in handling → answered → closed. Closing is not fixing (product.md, "Lessons"): a closed
dialogue issue keeps how it ended (`Outcome`), a closed recommendation the Council's verdict (`Verdict`), and only
resolved items count as resolved in any rate.
"""

from __future__ import annotations

from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Mới ghi nhận")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_HANDLING = "in_handling", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")

    # Waiting on the responsible unit: the only states that are reminded and can be overdue.
    pending = nonmember(frozenset({"assigned", "in_handling"}))
    active = nonmember(frozenset({"open", "assigned", "in_handling", "answered"}))


class Outcome(models.TextChoices):
    """How a dialogue issue ended (the same end states as citizens' feedback)."""

    RESOLVED = "resolved", _("Đã giải quyết")
    CLOSED_UNRESOLVED = "closed_unresolved", _("Đóng, không giải quyết được (có lý do)")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    REJECTED = "rejected", _("Không thụ lý")


class Verdict(models.TextChoices):
    """The Council's verdict on what the unit reported it did about a recommendation."""

    RESOLVED = "resolved", _("Đã giải quyết")
    PARTLY = "partly", _("Giải quyết một phần")
    NOT_RESOLVED = "not_resolved", _("Chưa giải quyết")


class Audience(models.TextChoices):
    BUSINESSES = "businesses", _("Doanh nghiệp")
    CITIZENS = "citizens", _("Người dân")
    BOTH = "both", _("Doanh nghiệp và người dân")


class RaiserKind(models.TextChoices):
    """Who raised an issue. A business's name is not personal data; a person's name is, and stays internal:
    lists, the API's lists and search show "a citizen" instead."""

    BUSINESS = "business", _("Doanh nghiệp, tổ chức")
    PERSON = "person", _("Người dân")


class IssueAction(models.TextChoices):
    ASSIGN = "assign", _("Giao xử lý")
    START = "start", _("Nhận xử lý")
    ANSWER = "answer", _("Trả lời kiến nghị")
    RETURN = "return", _("Trả lại, yêu cầu xử lý tiếp")
    RESOLVE = "resolve", _("Đóng: đã giải quyết")
    CLOSE_UNRESOLVED = "close_unresolved", _("Đóng: không giải quyết được")
    TRANSFER = "transfer", _("Chuyển cơ quan có thẩm quyền")
    REJECT = "reject", _("Không thụ lý")
    REOPEN = "reopen", _("Mở lại")


class RecommendationAction(models.TextChoices):
    START = "start", _("Nhận xử lý")
    REPORT = "report", _("Báo cáo kết quả thực hiện")
    CONCLUDE = "conclude", _("Kết luận của HĐND")
    RETURN = "return", _("Yêu cầu tiếp tục thực hiện")


class ReminderKind(models.TextChoices):
    """The kinds of the follow-up's reminders (followup/domain/reminders.py `owed`), whose triggers we reuse."""

    BEFORE = "before", _("Nhắc trước hạn")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATION = "escalation", _("Báo cáo Phó Chủ tịch phụ trách")


DUE_SOON_WORKING_DAYS = 3
