"""Key-task registrations: one per unit and period, its tasks with milestones, its history and versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trongtam.keytasks.enums import RegistrationStatus, TaskKind


class Registration(models.Model):
    """A head's registration of key tasks for a period.

    `version` rises with every saved change (content or status); forms and API calls send the version they
    loaded, and a save against an older version is refused (optimistic concurrency, nothing is overwritten).
    """

    period = models.ForeignKey("cycles.Period", on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="registrations")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitment_signed_at = models.DateTimeField(_("thời điểm ký cam kết"), null=True, blank=True)
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period__year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_registration_per_unit_period")
        ]
        verbose_name = _("bản đăng ký nhiệm vụ trọng tâm")
        verbose_name_plural = _("bản đăng ký nhiệm vụ trọng tâm")

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("keytasks:registration-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in RegistrationStatus.editable


class KeyTask(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("loại nhiệm vụ"), max_length=10, choices=TaskKind.choices)
    common_task = models.ForeignKey(
        "cycles.CommonTask",
        verbose_name=_("nhiệm vụ chung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_task = models.ForeignKey(
        "cycles.AssignedTask",
        verbose_name=_("nhiệm vụ Chủ tịch giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_tasks",
    )
    title = models.CharField(_("tên nhiệm vụ"), max_length=300)
    description = models.TextField(_("nội dung, giải pháp"), blank=True)
    product = models.CharField(
        _("sản phẩm"),
        max_length=300,
        blank=True,
        help_text=_("Sản phẩm cụ thể (văn bản, công trình, đề án…) hoặc chỉ tiêu đo được."),
    )
    target_value = models.DecimalField(
        _("giá trị mục tiêu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    deadline = models.DateField(_("thời hạn hoàn thành"))
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    coordinating_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="+"
    )
    led_personally = models.BooleanField(_("người đứng đầu trực tiếp chỉ đạo"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["registration", "kind", "position", "pk"]
        verbose_name = _("nhiệm vụ trọng tâm")
        verbose_name_plural = _("nhiệm vụ trọng tâm")

    def __str__(self) -> str:
        return self.title

    @property
    def has_measurable_product(self) -> bool:
        return bool(self.product.strip()) or (
            self.target_value is not None and bool(self.target_unit.strip())
        )


class Milestone(models.Model):
    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("mốc tiến độ"), max_length=300)
    due_date = models.DateField(_("thời hạn"))
    met_on = models.DateField(_("ngày đạt mốc"), null=True, blank=True)

    class Meta:
        ordering = ["task", "due_date", "pk"]
        verbose_name = _("mốc tiến độ")
        verbose_name_plural = _("mốc tiến độ")

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One step of the workflow, with the comment that came with it (a return needs one)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="status_changes")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    to_status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("lịch sử xử lý")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ApprovedVersion(models.Model):
    """The content of a registration as approved: stays readable after a change request reopens it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="approved_versions")
    number = models.PositiveSmallIntegerField()
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()

    class Meta:
        ordering = ["registration", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "number"], name="approved_version_unique")
        ]
        verbose_name = _("phiên bản đã phê duyệt")
        verbose_name_plural = _("phiên bản đã phê duyệt")

    def __str__(self) -> str:
        return f"{self.registration} v{self.number}"
