"""Assessment: the rubric of a period, its rounds, each head's score sheet and every point on it.

The rules live in `domain/` (scoring, rubric, classification) as pure functions; these tables keep what people
entered and what the system computed, with the history of every change to a point (who, when, the earlier value,
the reason), so that the breakdown a head sees can always be traced back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.enums import Level, RoundStatus, SheetStatus


class RubricVersion(models.Model):
    """A rubric (the tree of criteria, as `domain.rubric.to_dict` writes it) for a period. Home Affairs edits it by
    importing a file; once a round uses it, it is frozen and a change means a new version."""

    period = models.ForeignKey("cycles.Period", on_delete=models.PROTECT, related_name="rubrics")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    title = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    data = models.JSONField(_("nội dung bộ tiêu chí"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(_("khoá từ"), null=True, blank=True)

    class Meta:
        ordering = ["-period__year", "-number"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="assessment_rubric_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Round(models.Model):
    """An assessment round of the heads for a period: scored against one frozen rubric, as of a cut-off date."""

    period = models.ForeignKey("cycles.Period", on_delete=models.PROTECT, related_name="rounds")
    rubric = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("tên đợt đánh giá"), max_length=200)
    cut_off = models.DateField(_("ngày chốt số liệu"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    appeal_days = models.PositiveSmallIntegerField(_("số ngày được kiến nghị sau khi phê duyệt"), default=10)
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period__year", "-opened_at"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self) -> str:
        return self.name


class ScoreSheet(models.Model):
    """One head's sheet in a round. `total` and the levels are written by the domain, never typed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sheets")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="score_sheets")
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.SELF_ASSESSMENT
    )
    total = models.DecimalField(_("tổng điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("thời điểm tính tiêu chí tự động"), null=True, blank=True)
    level_by_score = models.CharField(_("mức theo điểm"), max_length=5, choices=Level.choices, blank=True)
    level = models.CharField(_("mức xếp loại"), max_length=5, choices=Level.choices, blank=True)
    level_reasons = models.JSONField(_("lý do điều chỉnh mức"), default=list, blank=True)
    # Facts that bind the classification (classification.Fact codes), recorded by Home Affairs, each with
    # its reason: [{"code": "disciplined", "reason": "Quyết định kỷ luật số …"}].
    facts = models.JSONField(_("tình tiết ảnh hưởng xếp loại"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="assessment_one_sheet_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.round}"


class CriterionScore(models.Model):
    """The points of one criterion on a sheet: entered (manual) or computed (automatic, with the metric's value
    and the records behind it)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField(_("mã tiêu chí"), max_length=60)
    points = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    metric_value = models.DecimalField(
        _("giá trị chỉ số"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    record_kind = models.CharField(max_length=60, blank=True)
    record_ids = models.JSONField(default=list, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    evidence = models.FileField(_("minh chứng"), upload_to="danh-gia/%Y/", blank=True, max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sheet", "code"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="assessment_one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.points}"


class ScoreChange(models.Model):
    """Every change to a point after self-assessment (review, verification, recomputation): the earlier value
    is kept, with who changed it, when, at which step and why."""

    score = models.ForeignKey(CriterionScore, on_delete=models.CASCADE, related_name="changes")
    step = models.CharField(max_length=20, choices=SheetStatus.choices)
    before = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    after = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


class AppealStatus(models.TextChoices):
    """Where a head's appeal against their level stands (issue #4, item 5)."""

    PENDING = "pending", _("Chờ giải quyết")
    UPHELD = "upheld", _("Chấp nhận")
    PARTLY_UPHELD = "partly_upheld", _("Chấp nhận một phần")
    REJECTED = "rejected", _("Không chấp nhận")


class Appeal(models.Model):
    """A head's appeal (kiến nghị) against the level of their signed sheet, filed within the round's appeal
    period and decided by the Chairman. The decided level, when it differs, is written to the sheet by the
    domain (`domain/appeals.py`), with a reason appended to the sheet's `level_reasons`."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="appeals")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("ngày gửi kiến nghị"))
    grounds = models.TextField(_("nội dung, căn cứ kiến nghị"))
    requested_level = models.CharField(_("mức đề nghị"), max_length=5, choices=Level.choices, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày giải quyết"), null=True, blank=True)
    decision = models.TextField(_("nội dung giải quyết"), blank=True)
    resulting_level = models.CharField(
        _("mức xếp loại sau giải quyết"), max_length=5, choices=Level.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sheet", "filed_at", "pk"]
        verbose_name = _("kiến nghị về kết quả đánh giá")
        verbose_name_plural = _("kiến nghị về kết quả đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet"],
                condition=models.Q(status="pending"),
                name="assessment_one_pending_appeal_per_sheet",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Kiến nghị số %(pk)s — %(sheet)s") % {"pk": self.pk, "sheet": self.sheet})
