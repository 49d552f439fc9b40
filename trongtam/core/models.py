"""Cross-cutting records: the tamper-evident audit trail, notifications and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xoá")
    TRANSITION = "transition", _("Chuyển trạng thái")
    IMPORT = "import", _("Nhập từ tệp")


class AuditChainHead(models.Model):
    """The single row that holds the chain's last hash. Appends lock it, so the chain never forks."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    """One change to one record: who, when, what, values before and after.

    Append-only: `save()` refuses to update and `delete()` refuses to delete. Each entry stores the hash of the
    previous entry and its own hash over its content and that previous hash; `verify_audit` recomputes them.
    `root_type`/`root_id` name the record whose page shows this entry (a task's entries show on its registration).
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    root_type = models.CharField(max_length=100)
    root_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["root_type", "root_id", "seq"])]
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm, không được xoá.")


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Đăng ký đã được trình")
    RETURNED = "returned", _("Đăng ký bị trả lại")
    APPROVED = "approved", _("Đăng ký đã được phê duyệt")
    CHANGE_REQUESTED = "change_requested", _("Đề nghị điều chỉnh")
    CHANGE_APPROVED = "change_approved", _("Đề nghị điều chỉnh được chấp thuận")
    CHANGE_REJECTED = "change_rejected", _("Đề nghị điều chỉnh bị từ chối")
    ASSIGNED = "assigned", _("Nhiệm vụ được giao")
    TASK_COMPLETION_REPORTED = "task_completion_reported", _("Báo cáo hoàn thành nhiệm vụ")
    TASK_ACCEPTED = "task_accepted", _("Nhiệm vụ được xác nhận hoàn thành")
    TASK_RETURNED = "task_returned", _("Kết quả nhiệm vụ bị trả lại")
    TASK_EXTENSION_REQUESTED = "task_extension_requested", _("Đề nghị gia hạn nhiệm vụ")
    TASK_CHANGED = "task_changed", _("Thay đổi về nhiệm vụ")
    REMINDER = "reminder", _("Nhắc việc")
    APOLOGY_LETTER = "apology_letter", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
