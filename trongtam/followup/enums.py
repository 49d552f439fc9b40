"""The follow-up vocabulary, as the Government's task-tracking practice uses it (domain-vn.md §5)."""

from __future__ import annotations

from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    """Where the work stands. Changed only by the events in `workflow.py`, never edited by hand."""

    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Chờ xác nhận hoàn thành")
    DONE = "done", _("Đã hoàn thành")
    PAUSED = "paused", _("Tạm dừng")
    REFUSED = "refused", _("Từ chối nhiệm vụ")
    REDO = "redo", _("Trả lại, thực hiện lại")
    CANCELLED = "cancelled", _("Đã huỷ")

    open = nonmember(frozenset({"not_started", "in_progress", "awaiting_acceptance", "paused", "redo"}))
    closed = nonmember(frozenset({"done", "refused", "cancelled"}))


class DeadlineState(models.TextChoices):
    """How the task stands against its deadline (for open tasks; done tasks keep their on-time verdict)."""

    IN_TIME = "in_time", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    NO_DEADLINE = "no_deadline", _("Không có hạn")


class Outcome(models.TextChoices):
    """The Government Office's 2×2 (Report 1270/BC-TCTTTg): the categories every follow-up report uses."""

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OPEN_IN_TIME = "open_in_time", _("Đang thực hiện trong hạn")
    OPEN_OVERDUE = "open_overdue", _("Chưa hoàn thành, quá hạn")


class Delivery(models.TextChoices):
    """The delivery judgement: is the work on course to be done by its deadline?"""

    GREEN = "green", _("Đúng tiến độ")
    AMBER = "amber", _("Có nguy cơ chậm")
    RED = "red", _("Chậm tiến độ")


class Source(models.TextChoices):
    DIRECTIVE = "directive", _("Nhiệm vụ được giao tại văn bản")
    KEY_TASK = "key_task", _("Nhiệm vụ trọng tâm")


DUE_SOON_WORKING_DAYS = 3  # colour rule of the Government's tracker: 3 days or fewer left is "due soon"
REMINDER_WORKING_DAYS = (5, 2, 0)  # reminders before the deadline (issue #3)
ESCALATION_WORKING_DAYS = 3  # overdue this long: the Vice-Chairman in charge is told


class FollowAction(models.TextChoices):
    START = "start", _("Bắt đầu thực hiện")
    REPORT_COMPLETION = "report_completion", _("Báo cáo hoàn thành")
    ACCEPT = "accept", _("Xác nhận hoàn thành")
    RETURN = "return", _("Trả lại, yêu cầu thực hiện lại")
    PAUSE = "pause", _("Tạm dừng")
    RESUME = "resume", _("Tiếp tục thực hiện")
    REFUSE = "refuse", _("Từ chối nhiệm vụ")
    CANCEL = "cancel", _("Huỷ nhiệm vụ")
    EXTEND = "extend", _("Gia hạn")
