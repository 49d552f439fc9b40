"""Discipline inspections: the plan, what the team found, and the violations with their remedy follow-up.

An `Inspection` is planned (regular, from the year's plan, or surprise), then held (its findings recorded) and
closed once every violation has been remedied. Each `Violation` concerns a person of the inspected unit (or no
one, when the team could not identify them) and carries a remedy deadline; the unit reports the remedy and the
inspecting body accepts it or sends it back. The inspection's `version` rises with every change to it or to its
violations: one page, one version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.inspections.enums import (
    InspectingBody,
    InspectionKind,
    InspectionStatus,
    RemedyState,
    ReminderKind,
    ViolationKind,
)


class Inspection(models.Model):
    title = models.CharField(_("tên cuộc kiểm tra"), max_length=300)
    kind = models.CharField(_("hình thức"), max_length=20, choices=InspectionKind.choices)
    body = models.CharField(_("cơ quan kiểm tra"), max_length=20, choices=InspectingBody.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị được kiểm tra"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    scheduled_on = models.DateField(_("ngày kiểm tra"), db_index=True)
    scheduled_time = models.TimeField(_("giờ kiểm tra"), null=True, blank=True)
    scope = models.TextField(_("nội dung, phạm vi kiểm tra"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trưởng đoàn"),
        on_delete=models.PROTECT,
        related_name="led_inspections",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thành viên đoàn"),
        blank=True,
        related_name="inspection_teams",
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
        db_index=True,
    )
    conducted_on = models.DateField(_("ngày tiến hành"), null=True, blank=True)
    findings = models.TextField(_("kết quả kiểm tra"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        verbose_name = _("cuộc kiểm tra công vụ")
        verbose_name_plural = _("cuộc kiểm tra công vụ")
        indexes = [
            models.Index(fields=["unit", "scheduled_on"]),
            models.Index(fields=["unit", "conducted_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title} {self.scope}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection-detail", args=[self.pk])


def evidence_path(instance: Violation, filename: str) -> str:
    return f"kiem-tra/{instance.inspection_id}/{instance.pk or 'moi'}/{filename}"


class Violation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="violations")
    kind = models.CharField(_("loại vi phạm"), max_length=20, choices=ViolationKind.choices, db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người vi phạm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_violations",
    )
    description = models.TextField(_("mô tả vi phạm"))
    remedy_deadline = models.DateField(_("hạn khắc phục"), db_index=True)
    remedy_state = models.CharField(
        _("tình trạng khắc phục"), max_length=20, choices=RemedyState.choices, default=RemedyState.PENDING
    )
    remedy_report = models.TextField(_("báo cáo khắc phục"), blank=True)
    remedy_evidence = models.FileField(
        _("tệp minh chứng"), upload_to=evidence_path, max_length=300, blank=True
    )
    remedy_evidence_name = models.CharField(_("tên tệp minh chứng"), max_length=255, blank=True)
    remedy_reported_at = models.DateTimeField(_("ngày báo cáo khắc phục"), null=True, blank=True)
    remedy_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remedy_decided_at = models.DateTimeField(null=True, blank=True)
    remedy_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remedy_comment = models.TextField(_("ý kiến của cơ quan kiểm tra"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vi phạm")
        verbose_name_plural = _("vi phạm")
        indexes = [models.Index(fields=["remedy_state", "remedy_deadline"])]

    def __str__(self) -> str:
        who = self.person.get_full_name() if self.person_id and self.person else _("chưa xác định")
        return f"{self.get_kind_display()} — {who}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection-detail", args=[self.inspection_id]) + f"#violation-{self.pk}"


class RemedyReminder(models.Model):
    """One reminder owed to one person about one violation's remedy for one trigger (the deadline it was worked
    out for). Unique, so a sweep run twice -- or by two workers -- owes and sends nothing twice."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    trigger = models.CharField(max_length=40)  # "before:2026-06-15", "overdue:2026-06-15"
    due_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "person", "trigger"], name="inspections_remedy_reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["person", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%d/%m/%Y}"
