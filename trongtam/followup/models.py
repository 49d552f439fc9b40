"""Followed tasks: every piece of assigned work whose progress, deadline and completion the province follows.

A `Task` is either a directive's task (module 4) or an approved key task (module 3) -- one table, so that the
overview, the reminders and the reports are one query each. Its lifecycle changes only through the events of
`domain/workflow.py`, recorded as `TaskEvent` rows; its deadline state and 2×2 outcome are derived
(`domain/status.py`), never stored by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.followup.enums import Delivery, Lifecycle, Source


class Task(models.Model):
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("văn bản giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    series = models.ForeignKey(
        "directives.Recurrence",
        verbose_name=_("nhiệm vụ định kỳ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
    )
    key_task = models.OneToOneField(
        "keytasks.KeyTask",
        verbose_name=_("nhiệm vụ trọng tâm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a task dropped by an approved change: its follow-up is cancelled, kept
        related_name="followed",
    )
    registration = models.ForeignKey(
        "keytasks.Registration",
        verbose_name=_("bản đăng ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_tasks",
    )
    title = models.CharField(_("nội dung nhiệm vụ"), max_length=500)
    description = models.TextField(_("yêu cầu cụ thể"), blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        on_delete=models.PROTECT,
        related_name="assigned_followed_tasks",
    )
    assigned_on = models.DateField(_("ngày giao"))
    urgent = models.BooleanField(_("khẩn"), default=False)
    original_deadline = models.DateField(_("thời hạn ban đầu"), null=True, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True, db_index=True)
    due_soon_from = models.DateField(_("sắp đến hạn từ ngày"), null=True, blank=True)
    lifecycle = models.CharField(
        _("tình trạng"),
        max_length=30,
        choices=Lifecycle.choices,
        default=Lifecycle.NOT_STARTED,
        db_index=True,
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    delivery = models.CharField(_("đánh giá tiến độ"), max_length=10, choices=Delivery.choices, blank=True)
    completion_reported_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("thời điểm xác nhận hoàn thành"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    overdue_since = models.DateField(_("quá hạn từ ngày"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("nhiệm vụ theo dõi")
        verbose_name_plural = _("nhiệm vụ theo dõi")
        indexes = [
            models.Index(fields=["lead_unit", "lifecycle", "deadline"]),
            models.Index(fields=["lifecycle", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="followup_task_one_source",
                condition=(
                    models.Q(source=Source.DIRECTIVE, directive__isnull=False, registration__isnull=True)
                    | models.Q(source=Source.KEY_TASK, registration__isnull=False, directive__isnull=True)
                ),
            ),
            models.CheckConstraint(name="followup_task_percent_0_100", condition=models.Q(percent__lte=100)),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(self.title)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("followup:task-detail", args=[self.pk])


class TaskEvent(models.Model):
    """One event in a task's life, with the lifecycle before and after: the task's history."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    from_lifecycle = models.CharField(max_length=30, choices=Lifecycle.choices)
    to_lifecycle = models.CharField(max_length=30, choices=Lifecycle.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y %H:%M}"


class ProgressUpdate(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    narrative = models.TextField(_("kết quả thực hiện"))
    obstacles = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    proposed_delivery = models.CharField(_("hệ thống đề xuất"), max_length=10, choices=Delivery.choices)
    delivery = models.CharField(_("đánh giá tiến độ"), max_length=10, choices=Delivery.choices)
    override_reason = models.TextField(_("lý do điều chỉnh đánh giá"), blank=True)
    is_contribution = models.BooleanField(_("là phần phối hợp"), default=False)
    is_completion = models.BooleanField(_("là báo cáo hoàn thành"), default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="followup_update_percent_0_100", condition=models.Q(percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% — {self.at:%d/%m/%Y}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"minh-chung/{instance.task_id}/{filename}"


class Evidence(models.Model):
    """A file attached to a progress update or a completion report, stored through Django's storage API."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý gia hạn")
    REJECTED = "rejected", _("Không đồng ý")


class ExtensionRequest(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    current_deadline = models.DateField(_("thời hạn hiện tại"))
    new_deadline = models.DateField(_("thời hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="pending"), name="followup_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.current_deadline:%d/%m/%Y} → {self.new_deadline:%d/%m/%Y}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Nhắc trước hạn")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATION = "escalation", _("Báo cáo Phó Chủ tịch phụ trách")


class Reminder(models.Model):
    """One reminder owed to one person about one task for one trigger. Unique: a sweep run twice sends once."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    trigger = models.CharField(
        max_length=40
    )  # e.g. "before:5:2026-03-06" -- the deadline it was computed for
    due_on = models.DateField()
    digest_sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "person", "trigger"], name="followup_reminder_once"),
        ]
        indexes = [models.Index(fields=["person", "digest_sent_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%d/%m/%Y}"
