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


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Đã giải quyết")
    CLOSED_UNRESOLVED = "closed_unresolved", _("Đóng, không giải quyết được (có lý do)")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    REJECTED = "rejected", _("Không thụ lý")


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("Một cơ quan, đơn vị")
    OFFICIAL = "official", _("Một cán bộ, công chức")
    DOSSIER = "dossier", _("Một hồ sơ thủ tục")
