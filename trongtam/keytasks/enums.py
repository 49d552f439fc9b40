from enum import StrEnum, nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình, chờ phê duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")
    CHANGE_REQUESTED = "change_requested", _("Đề nghị điều chỉnh")
    REVISING = "revising", _("Đang điều chỉnh")

    editable = nonmember(frozenset({"draft", "returned", "revising"}))
    awaiting_review = nonmember(frozenset({"submitted", "change_requested"}))


class RegistrationAction(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    REQUEST_CHANGE = "request_change"
    APPROVE_CHANGE = "approve_change"
    REJECT_CHANGE = "reject_change"


ACTION_LABELS = {
    RegistrationAction.SUBMIT: _("Trình phê duyệt"),
    RegistrationAction.RETURN: _("Trả lại"),
    RegistrationAction.APPROVE: _("Phê duyệt"),
    RegistrationAction.REQUEST_CHANGE: _("Đề nghị điều chỉnh"),
    RegistrationAction.APPROVE_CHANGE: _("Chấp thuận điều chỉnh"),
    RegistrationAction.REJECT_CHANGE: _("Từ chối điều chỉnh"),
}


class TaskKind(models.TextChoices):
    OWN = "own", _("Nhiệm vụ tự đăng ký")
    COMMON = "common", _("Nhiệm vụ chung cụ thể hoá")
    ASSIGNED = "assigned", _("Nhiệm vụ Chủ tịch giao")
