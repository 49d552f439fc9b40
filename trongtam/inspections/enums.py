"""The vocabulary of discipline inspections (kiểm tra công vụ, kỷ luật, kỷ cương hành chính)."""

from __future__ import annotations

from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("Định kỳ (theo kế hoạch)")
    SURPRISE = "surprise", _("Đột xuất")


class InspectingBody(models.TextChoices):
    """Who runs the inspection: Home Affairs by its mandate (product.md), the Provincial Office when ordered."""

    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ")
    OFFICE = "office", _("Văn phòng UBND tỉnh")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Đã lập kế hoạch")
    DONE = "done", _("Đã kiểm tra")
    CLOSED = "closed", _("Đã kết thúc theo dõi")

    held = nonmember(frozenset({"done", "closed"}))


class ViolationKind(models.TextChoices):
    ABSENCE = "absence", _("Vắng mặt không lý do")
    LATENESS = "lateness", _("Đi muộn, về sớm")
    ALCOHOL = "alcohol", _("Sử dụng rượu, bia trong giờ làm việc")
    ATTITUDE = "attitude", _("Thái độ, tác phong không đúng mực")
    OTHER = "other", _("Vi phạm khác")


class RemedyState(models.TextChoices):
    PENDING = "pending", _("Chưa khắc phục")
    REPORTED = "reported", _("Đã báo cáo khắc phục, chờ xác nhận")
    ACCEPTED = "accepted", _("Đã khắc phục")
    RETURNED = "returned", _("Khắc phục chưa đạt, yêu cầu làm lại")

    # The unit still owes a remedy: these are reminded, and are overdue once past the deadline.
    owed = nonmember(frozenset({"pending", "returned"}))


OVERDUE = "overdue"  # the remedy filter's extra choice: owed and past its deadline


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn khắc phục")
    OVERDUE = "overdue", _("Quá hạn khắc phục")


REMEDY_WORKING_DAYS = (
    10  # default remedy deadline after the inspection; settings.INSPECTION_REMEDY_WORKING_DAYS
)
REMINDER_WORKING_DAYS = 2  # the head of the unit is reminded this many working days before the deadline


def violation_code(kind: str) -> str:
    """The code of a kind of violation in the rankings' repeat-violations registry: "inspection:absence"…"""
    return f"inspection:{kind}"
