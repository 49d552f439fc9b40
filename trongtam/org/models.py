"""The organization: units as a tree, people with log-ins, and the Vice-Chairmen's areas of charge."""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.org.enums import INTERNAL_ROLES, PROVINCE_WIDE_ROLES, JobCategory, Role, UnitKind


class Unit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=30, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text=_("Đơn vị cũ (trước 01/7/2025) được sáp nhập vào đơn vị này."),
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class JobPosition(models.Model):
    """A job position of a unit (vị trí việc làm, Decree 62/2020/NĐ-CP): its category and job description, against
    which an official self-evaluates. The category is the group of comparable tasks of the staff quota."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="job_positions"
    )
    code = models.CharField(_("mã vị trí"), max_length=30)
    name = models.CharField(_("tên vị trí việc làm"), max_length=255)
    category = models.CharField(_("nhóm vị trí việc làm"), max_length=20, choices=JobCategory.choices)
    description = models.TextField(_("bản mô tả công việc"), blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["unit__name", "category", "code"]
        verbose_name = _("vị trí việc làm")
        verbose_name_plural = _("vị trí việc làm")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="org_job_position_code_once_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """A person with a log-in. `role` decides what they may do; `unit` decides where (for unit roles)."""

    full_name = models.CharField(_("họ và tên"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    title = models.CharField(_("chức danh"), max_length=200, blank=True)
    job_position = models.ForeignKey(
        "org.JobPosition",
        verbose_name=_("vị trí việc làm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        constraints = [
            # A unit has at most one head at a time: registrations are "per head per period".
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(role="head", is_active=True),
                name="one_active_head_per_unit",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.full_name} {self.username} {self.email} {self.title}")
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Ask the backends, without Django's "a superuser may do anything" shortcut.

        A superuser runs the Django admin (the model backend still grants them every model permission), but the
        product's actions -- register, approve, assign -- come only from the rule predicates and the person's
        role, so that the technical administrator can never approve a head's registration.
        """
        if not self.is_active:
            return False
        for backend in auth.get_backends():
            if not hasattr(backend, "has_perm"):
                continue
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    @property
    def is_province_wide(self) -> bool:
        return self.role in PROVINCE_WIDE_ROLES

    @property
    def is_internal(self) -> bool:
        return self.role in INTERNAL_ROLES

    @property
    def charged_unit_ids(self) -> frozenset[int]:
        """Units this person is in charge of as a Vice-Chairman, with every unit below them (one query, cached)."""
        cached: frozenset[int] | None = getattr(self, "_charged_unit_ids", None)
        if cached is None:
            from trongtam.org.domain.queries import charged_unit_ids

            cached = charged_unit_ids(self) if self.role == Role.VICE_CHAIRMAN else frozenset()
            self._charged_unit_ids = cached
        return cached


class AreaOfCharge(models.Model):
    """A Vice-Chairman's area of charge (phân công phụ trách): sectors, and the units in them."""

    vice_chairman = models.ForeignKey(
        Person,
        verbose_name=_("Phó Chủ tịch phụ trách"),
        on_delete=models.PROTECT,
        related_name="areas_of_charge",
        limit_choices_to={"role": Role.VICE_CHAIRMAN},
    )
    name = models.CharField(_("lĩnh vực"), max_length=200)
    units = models.ManyToManyField(Unit, verbose_name=_("đơn vị phụ trách"), related_name="areas_of_charge")

    class Meta:
        ordering = ["vice_chairman__full_name", "name"]
        verbose_name = _("lĩnh vực phụ trách")
        verbose_name_plural = _("lĩnh vực phụ trách")

    def __str__(self) -> str:
        return f"{self.name} ({self.vice_chairman})"
