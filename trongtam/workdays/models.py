"""The exceptions an administrator enters on top of the statutory calendar: extra days off, Saturdays worked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc")


class CalendarException(models.Model):
    """One date whose status the province's decisions set differently from the law's default.

    E.g. văn bản 12729/VPCP-KGVX (25/12/2025): Fri 2/1/2026 off, swapped with Sat 10/1/2026 worked.
    """

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=DayKind.choices)
    reason = models.CharField(_("lý do"), max_length=255)
    source = models.CharField(_("văn bản căn cứ"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("ngày điều chỉnh")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKING_DAY
