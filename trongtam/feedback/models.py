"""Feedback and supervision (module 8): citizens' and businesses' reports on a unit, an official or a dossier,
and (in this app too) dialogue sessions and the Council's supervision recommendations.

`unit` is always set -- the unit accountable for the case (the official's or the dossier's unit when the subject
is one of those) -- so that every count per unit is one grouped query. Personal data (the reporter's name, phone,
e-mail, address) never leave the internal pages; the public sees `public_answer`, written without them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.feedback.enums import (
    Category,
    FeedbackAction,
    FeedbackStatus,
    Outcome,
    ReminderKind,
    SubjectKind,
)


class Feedback(models.Model):
    tracking_code = models.CharField(_("mã theo dõi"), max_length=20, unique=True)
    category = models.CharField(_("loại phản ánh"), max_length=20, choices=Category.choices)
    subject_kind = models.CharField(_("đối tượng phản ánh"), max_length=20, choices=SubjectKind.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="feedback"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ, công chức bị phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_about",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    official_name = models.CharField(_("tên cán bộ (người phản ánh ghi)"), max_length=200, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ (người phản ánh ghi)"), max_length=60, blank=True)
    content = models.TextField(_("nội dung phản ánh"), max_length=5000)
    # The reporter: empty when anonymous. Personal data: never public.
    is_anonymous = models.BooleanField(_("ẩn danh"), default=False)
    reporter_name = models.CharField(_("họ và tên người phản ánh"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("thư điện tử"), blank=True)
    reporter_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người phản ánh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_sent",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_on = models.DateField(_("ngày tiếp nhận"))
    response_due = models.DateField(_("hạn trả lời"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được giao xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_assigned",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trực tiếp xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_handled",
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    upheld = models.BooleanField(_("phản ánh đúng"), null=True, blank=True)
    public_answer = models.TextField(_("nội dung công khai (đã bỏ thông tin cá nhân)"), blank=True)
    is_published = models.BooleanField(_("đã công khai"), default=False)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    outcome_reason = models.TextField(_("lý do, nơi chuyển đến"), blank=True)
    # The reporter's own word on the answer (product.md, "Closing is not fixing"): None until they say.
    citizen_solved = models.BooleanField(
        _("người phản ánh xác nhận đã được giải quyết"), null=True, blank=True
    )
    reopened_count = models.PositiveSmallIntegerField(_("số lần đề nghị xử lý lại"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "status", "response_due"]),
            models.Index(fields=["official", "answered_on"]),
            models.Index(fields=["is_published", "answered_on"]),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.tracking_code} {self.official_name} {self.content[:400]}")[:600]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("feedback:feedback-detail", args=[self.pk])


def attachment_path(instance: FeedbackAttachment, filename: str) -> str:
    return f"phan-anh/{instance.feedback_id}/{filename}"


class FeedbackAttachment(models.Model):
    """An image or PDF the reporter sent with the case: internal only, served by a view that checks the scope."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("tệp đính kèm phản ánh")
        verbose_name_plural = _("tệp đính kèm phản ánh")

    def __str__(self) -> str:
        return self.name


class FeedbackEvent(models.Model):
    """One step of a case, for its history: who (nobody for the reporter), from which status to which."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=FeedbackAction.choices)
    from_status = models.CharField(max_length=20, choices=FeedbackStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=FeedbackStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y}"


class FeedbackReminder(models.Model):
    """One reminder owed to one person about one case for one trigger. Unique: a sweep run twice sends once."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    trigger = models.CharField(max_length=40)  # "before:2026-03-06" -- the deadline it was computed for
    due_on = models.DateField()
    digest_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "person", "trigger"], name="feedback_reminder_once"),
        ]
        indexes = [models.Index(fields=["person", "digest_sent_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%d/%m/%Y}"
