"""The annual cycle: a period with its theme, key dates, task counts, common tasks and assigned tasks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingRegime(models.TextChoices):
    ND335 = "nd335", _("Nghị định 335/2025/NĐ-CP (thang điểm 100)")
    ND90 = "nd90", _("Nghị định 90/2020/NĐ-CP (định tính)")


class Period(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    name = models.CharField(_("tên kỳ"), max_length=200)
    theme = models.TextField(_("chủ đề công tác năm"))
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    registration_deadline = models.DateField(_("hạn đăng ký nhiệm vụ trọng tâm"))
    midyear_review_date = models.DateField(_("ngày sơ kết giữa năm"))
    final_assessment_date = models.DateField(_("ngày đánh giá cuối năm"))
    own_min = models.PositiveSmallIntegerField(_("số nhiệm vụ tự đăng ký tối thiểu"), default=3)
    own_max = models.PositiveSmallIntegerField(_("số nhiệm vụ tự đăng ký tối đa"), default=5)
    common_count = models.PositiveSmallIntegerField(_("số nhiệm vụ chung"), default=5)
    assigned_min = models.PositiveSmallIntegerField(_("số nhiệm vụ Chủ tịch giao tối thiểu"), default=1)
    assigned_max = models.PositiveSmallIntegerField(_("số nhiệm vụ Chủ tịch giao tối đa"), default=2)
    rating_regime = models.CharField(
        _("chế độ đánh giá"), max_length=10, choices=RatingRegime.choices, default=RatingRegime.ND335
    )
    commitment_text = models.TextField(
        _("nội dung cam kết"),
        blank=True,
        help_text=_("Người đứng đầu ký cam kết thực hiện chủ đề công tác năm với nội dung này."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kỳ công tác")
        verbose_name_plural = _("kỳ công tác")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.start_date and self.end_date and self.start_date >= self.end_date:
            errors.setdefault("end_date", []).append(str(_("Ngày kết thúc phải sau ngày bắt đầu.")))
        for name in ("registration_deadline", "midyear_review_date", "final_assessment_date"):
            value = getattr(self, name)
            if value and self.start_date and self.end_date and not self.contains(value):
                errors.setdefault(name, []).append(str(_("Ngày này phải nằm trong kỳ công tác.")))
        if self.own_min > self.own_max:
            errors.setdefault("own_min", []).append(str(_("Số tối thiểu không được lớn hơn số tối đa.")))
        if self.assigned_min > self.assigned_max:
            errors.setdefault("assigned_min", []).append(str(_("Số tối thiểu không được lớn hơn số tối đa.")))
        if errors:
            raise ValidationError(errors)

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


class CommonTask(models.Model):
    """One of the period's common tasks, which every head makes concrete for their unit."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="common_tasks")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("tên nhiệm vụ chung"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["period", "number"]
        constraints = [models.UniqueConstraint(fields=["period", "number"], name="common_task_number_unique")]
        verbose_name = _("nhiệm vụ chung")
        verbose_name_plural = _("nhiệm vụ chung")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AssignedTask(models.Model):
    """A task the Chairman assigns to the head of a unit for the period; it must appear in their registration."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assigned_tasks")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị được giao"),
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    title = models.CharField(_("tên nhiệm vụ"), max_length=300)
    description = models.TextField(_("yêu cầu"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "unit__name", "pk"]
        verbose_name = _("nhiệm vụ Chủ tịch giao")
        verbose_name_plural = _("nhiệm vụ Chủ tịch giao")

    def __str__(self) -> str:
        return self.title
