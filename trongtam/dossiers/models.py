"""One-stop dossiers (module 7): the procedure catalog, the dossiers with their lifecycle and due dates, the
apology letters (Form 04 of Circular 01/2018/TT-VPCP), the citizens' satisfaction ratings and the import jobs.

The dates the reports compare are kept as dates (`received_on`, `due_date`, `finished_on`), as the provincial
systems compare them (domain-vn.md §3.4); `due_date` and the timeliness are derived in one place,
`trongtam.dossiers.domain.deadlines`, and stored so that the statistics are aggregate queries. Writers that bypass
`save()` (the importer's bulk writes) must fill `search_text` and `phone_last4` themselves (`Dossier.derived()`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.dossiers.enums import (
    ApplicantKind,
    Channel,
    DossierStatus,
    ImportKind,
    ImportStatus,
    LetterStatus,
    ProcedureLevel,
    Satisfaction,
    SendChannel,
    Source,
)


class Procedure(models.Model):
    """An administrative procedure of the catalog, with its legal processing time in working days (0: within the
    day of receipt)."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.CharField(_("lĩnh vực"), max_length=200)
    level = models.CharField(_("cấp thực hiện"), max_length=20, choices=ProcedureLevel.choices)
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    search_text = models.CharField(max_length=800, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.derived()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def derived(self) -> Procedure:
        """Fill the search column; `save()` calls it, bulk writers must."""
        self.search_text = fold(f"{self.code} {self.name} {self.field}")
        return self


class Dossier(models.Model):
    """A dossier as the province's dossier system knows it, identified by its code (`MaHoSo`)."""

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị giải quyết"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=DossierStatus.choices)
    # Personal data: never on a public page or in a public export.
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=200)
    applicant_kind = models.CharField(
        _("loại chủ hồ sơ"), max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_phone = models.CharField(_("điện thoại"), max_length=20)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone_last4 = models.CharField(max_length=4, editable=False, default="")
    # Dates
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    received_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("ngày hẹn trả"), null=True, blank=True, editable=False)
    appointment_date = models.DateField(
        _("ngày hẹn trả mới (phiếu xin lỗi)"), null=True, blank=True, editable=False
    )
    supplement_requested_on = models.DateField(_("ngày yêu cầu bổ sung"), null=True, blank=True)
    supplement_received_on = models.DateField(_("ngày công dân bổ sung"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("số ngày làm việc tạm dừng"), default=0, editable=False)
    finished_on = models.DateField(_("ngày kết thúc xử lý"), null=True, blank=True)
    returned_on = models.DateField(_("ngày trả kết quả"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối, dừng xử lý"), blank=True)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.COUNTER)
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "finished_on"]),
            models.Index(fields=["unit", "status", "due_date"]),
            models.Index(fields=["procedure", "received_on"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: object, **kwargs: object) -> None:
        self.derived()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def derived(self) -> Dossier:
        """Fill the columns kept for search and lookup; `save()` calls it, bulk writers must."""
        self.search_text = fold(f"{self.code} {self.applicant_name}")
        digits = "".join(ch for ch in self.applicant_phone if ch.isdigit())
        self.phone_last4 = digits[-4:]
        return self


class ApologyLetter(models.Model):
    """Form 04 (Phiếu xin lỗi và hẹn lại ngày trả kết quả): one per dossier, since the return date may be
    re-appointed only once (Decree 61/2018)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="apology_letter")
    number = models.CharField(_("số phiếu"), max_length=40, blank=True)
    reason = models.TextField(_("lý do chậm trả kết quả"))
    new_due_date = models.DateField(_("ngày hẹn trả kết quả mới"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    drafted_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    drafted_automatically = models.BooleanField(_("do hệ thống lập"), default=False)
    is_late = models.BooleanField(
        _("lập muộn"),
        default=False,
        help_text=_("Lập sau hạn luật định (chậm nhất 01 ngày làm việc trước ngày hẹn trả)."),
    )
    issued_after_due = models.BooleanField(_("ban hành sau ngày hẹn trả"), default=False)
    rejection_comment = models.TextField(_("ý kiến trả lại"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("thời điểm ký duyệt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    sent_via = models.CharField(_("hình thức gửi"), max_length=20, choices=SendChannel.choices, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        ordering = ["-drafted_at", "-pk"]
        indexes = [models.Index(fields=["status", "drafted_at"])]

    def __str__(self) -> str:
        return self.number or f"PXL-{self.dossier.code}"


class DossierRating(models.Model):
    """The citizen's satisfaction with one dossier, given once, on the public site."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    satisfaction = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Satisfaction.choices)
    comment = models.TextField(_("ý kiến"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_satisfaction_display()}"


class ImportJob(models.Model):
    """A file of dossiers (or of procedures) to import, run by the worker; all or nothing per file."""

    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("tệp"), upload_to="imports/dossiers/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=10)  # csv, xlsx, json
    mapping = models.JSONField(_("ánh xạ cột"), default=dict, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "column": "...", "message": "..."}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập tệp hồ sơ")
        verbose_name_plural = _("lần nhập tệp hồ sơ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
