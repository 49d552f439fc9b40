"""Feedback and supervision (module 8): citizens' and businesses' reports on a unit, an official or a dossier,
and (in this app too) dialogue sessions and the Council's supervision recommendations.

`unit` is always set -- the unit accountable for the case (the official's or the dossier's unit when the subject
is one of those) -- so that every count per unit is one grouped query. Personal data (the reporter's name, phone,
e-mail, address) never leave the internal pages; the public sees `public_answer`, written without them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.feedback.enums import Category, FeedbackStatus, Outcome, SubjectKind


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
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    upheld = models.BooleanField(_("phản ánh đúng"), null=True, blank=True)
    public_answer = models.TextField(_("nội dung công khai (đã bỏ thông tin cá nhân)"), blank=True)
    is_published = models.BooleanField(_("đã công khai"), default=False)
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.tracking_code} {self.content[:400]}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
