from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ATTITUDE = "attitude", _("Thái độ phục vụ")
    HARASSMENT = "harassment", _("Gây phiền hà, sách nhiễu")
    DELAY = "delay", _("Chậm trễ")
    ASKING_MONEY = "asking_money", _("Đòi tiền, vòi vĩnh")
    OTHER = "other", _("Khác")


class FeedbackStatus(models.TextChoices):
    """received → assigned → in handling → answered → closed. Closing is not fixing (product.md): a closed case
    keeps how it ended (`Outcome`), and only resolved cases count as resolved in any rate."""

    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_HANDLING = "in_handling", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")

    # Still owed an answer: reminded, and counted as open.
    awaiting_answer = nonmember(("received", "assigned", "in_handling"))


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Đã giải quyết")
    CLOSED_UNRESOLVED = "closed_unresolved", _("Đóng, không giải quyết được (có lý do)")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    REJECTED = "rejected", _("Không thụ lý")

    # Ends that need a reason written down; ends that are possible before an answer (the case is not the unit's).
    needs_reason = nonmember(("closed_unresolved", "transferred", "rejected"))
    without_answer = nonmember(("transferred", "rejected"))


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("Một cơ quan, đơn vị")
    OFFICIAL = "official", _("Một cán bộ, công chức")
    DOSSIER = "dossier", _("Một hồ sơ thủ tục")


class FeedbackAction(models.TextChoices):
    """The steps of a case. `reopen` is the citizen's (from the tracking page, by the tracking code)."""

    SUBMIT = "submit", _("Gửi phản ánh")
    ASSIGN = "assign", _("Giao xử lý")
    HANDLE = "handle", _("Nhận xử lý / phân công người xử lý")
    ANSWER = "answer", _("Trả lời")
    CLOSE = "close", _("Đóng phản ánh")
    REOPEN = "reopen", _("Người phản ánh đề nghị xử lý lại")
    PUBLISH = "publish", _("Công khai câu trả lời")
    MATCH_OFFICIAL = "match_official", _("Xác định cán bộ bị phản ánh")
    CONFIRM = "confirm", _("Người phản ánh xác nhận đã được giải quyết")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn trả lời")
    OVERDUE = "overdue", _("Quá hạn trả lời")
