"""Assessment: the rubric of a period, its rounds, each head's score sheet and every point on it.

The rules live in `domain/` (scoring, rubric, classification) as pure functions; these tables keep what people
entered and what the system computed, with the history of every change to a point (who, when, the earlier value,
the reason), so that the breakdown a head sees can always be traced back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.enums import Level, RoundStatus, SheetStatus, StaffStatus


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


class Classified(models.Model):
    """What a head's sheet and an official's evaluation share with the classification: the facts that bind it,
    and the levels it writes (`classification.write_outcome`), never typed."""

    level_by_score = models.CharField(_("mức theo điểm"), max_length=5, choices=Level.choices, blank=True)
    level = models.CharField(_("mức xếp loại"), max_length=5, choices=Level.choices, blank=True)
    level_reasons = models.JSONField(_("lý do điều chỉnh mức"), default=list, blank=True)
    # Facts that bind the classification (classification.Fact codes), each with its reason:
    # [{"code": "disciplined", "reason": "Quyết định kỷ luật số …"}].
    facts = models.JSONField(_("tình tiết ảnh hưởng xếp loại"), default=list, blank=True)

    class Meta:
        abstract = True


class PointChange(models.Model):
    """A change to points that keeps the earlier value: who changed it, when and why."""

    before = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    after = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


class PlannedProduct(models.Model):
    """A product of an official's work: its place in the list, title, conversion weight and deadline."""

    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("sản phẩm, công việc"), max_length=300)
    weight = models.DecimalField(_("hệ số quy đổi"), max_digits=5, decimal_places=2, default=1)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


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
    # How many sheets the round will have (the rated heads when it opened): the progress of `fill_round`.
    expected_sheets = models.PositiveIntegerField(_("số phiếu cần tạo"), default=0)
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # The classification settings of this round that differ from the defaults (`domain/round_settings.py`):
    # {"excellent": "90", "good": "70", "completed": "50", "quota_share": "0.20", "quota_rounding": "floor",
    #  "rules_off": ["no_excellent_inspection"]}. Empty: every default.
    classification = models.JSONField(_("thiết lập xếp loại"), default=dict, blank=True)

    class Meta:
        ordering = ["-period__year", "-opened_at"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self) -> str:
        return self.name


class ScoreSheet(Classified):
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
    # `facts` are recorded by Home Affairs.
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


class ScoreChange(PointChange):
    """Every change to a point after self-assessment (review, verification, recomputation): the earlier value
    is kept, with who changed it, when, at which step and why."""

    score = models.ForeignKey(CriterionScore, on_delete=models.CASCADE, related_name="changes")
    step = models.CharField(max_length=20, choices=SheetStatus.choices)


class QuotaException(models.Model):
    """The exception the decree allows to the quota on "excellent" (an organization with outstanding, exceptional
    achievements): this head keeps "excellent" above the quota, for a stated reason and on a stated basis,
    recorded by Home Affairs before sign-off and signed with the round by the Chairman."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quota_exceptions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do ngoại lệ"))
    basis = models.CharField(_("căn cứ (văn bản, thành tích)"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "recorded_at", "pk"]
        verbose_name = _("ngoại lệ tỷ lệ hoàn thành xuất sắc")
        verbose_name_plural = _("ngoại lệ tỷ lệ hoàn thành xuất sắc")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="assessment_one_exception_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.round}"


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


# -- staff evaluation (issue #4, item 6) -------------------------------------------------------------------------


class WorkPlanItem(PlannedProduct):
    """One product of an official's personal work plan for a period (kế hoạch công tác cá nhân): what they are to
    deliver, with its conversion weight (hệ số quy đổi, Decree 335 Art. 14) and deadline. An evaluation copies the
    plan when it starts, so later changes to the plan do not change a rating under way."""

    period = models.ForeignKey("cycles.Period", on_delete=models.PROTECT, related_name="work_plan_items")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="work_plan_items"
    )

    class Meta:
        ordering = ["period", "person", "position", "pk"]
        verbose_name = _("sản phẩm trong kế hoạch công tác cá nhân")
        verbose_name_plural = _("kế hoạch công tác cá nhân")


class StaffEvaluation(Classified):
    """An official's evaluation in a period, under the heads' round of that period: self-evaluation against their
    work plan and job description, then the head's rating, then the level of the unit's classification.

    The job position is copied when the evaluation starts (name, category, description), so the group of the
    quota and what the official was judged against stay as they were. `total`, `task_total` and the levels are
    written by the domain (`domain/staff.py`), never typed."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="staff_evaluations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_evaluations"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="staff_evaluations")
    job_position = models.ForeignKey(
        "org.JobPosition", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_position_name = models.CharField(_("vị trí việc làm"), max_length=255, blank=True)
    job_category = models.CharField(_("nhóm vị trí việc làm"), max_length=20, blank=True)
    job_description = models.TextField(_("bản mô tả công việc"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=StaffStatus.choices, default=StaffStatus.SELF_ASSESSMENT
    )
    general_self = models.DecimalField(
        _("điểm tiêu chí chung tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    general_head = models.DecimalField(
        _("điểm tiêu chí chung do người đứng đầu chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_comment = models.TextField(_("tự nhận xét"), blank=True)
    head_comment = models.TextField(_("nhận xét của người đứng đầu"), blank=True)
    task_total = models.DecimalField(
        _("điểm kết quả thực hiện nhiệm vụ"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(_("tổng điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    head_level = models.CharField(
        _("mức của người đứng đầu khi xếp loại"), max_length=5, choices=Level.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("ngày gửi tự đánh giá"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("ngày người đứng đầu đánh giá"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalized_at = models.DateTimeField(_("ngày xếp loại"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__name", "person__full_name", "pk"]
        verbose_name = _("phiếu đánh giá công chức")
        verbose_name_plural = _("phiếu đánh giá công chức")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="assessment_one_staff_evaluation"),
        ]
        indexes = [models.Index(fields=["round", "unit"], name="assessment_staff_round_unit")]

    def __str__(self) -> str:
        return str(_("Đánh giá công chức: %(person)s") % {"person": self.person})


class StaffProduct(PlannedProduct):
    """A product of the evaluation (copied from the work plan): whether it is done, how many times it failed for
    a major content error or was late, and how many of those an authority excused (Decree 335 Art. 14)."""

    evaluation = models.ForeignKey(StaffEvaluation, on_delete=models.CASCADE, related_name="products")
    plan_item = models.ForeignKey(
        WorkPlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    quality_failures = models.PositiveSmallIntegerField(_("số lần không đạt yêu cầu"), default=0)
    excused_failures = models.PositiveSmallIntegerField(
        _("số lần không đạt có nguyên nhân khách quan"), default=0
    )
    delays = models.PositiveSmallIntegerField(_("số lần chậm tiến độ"), default=0)
    excused_delays = models.PositiveSmallIntegerField(_("số lần chậm có nguyên nhân khách quan"), default=0)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["evaluation", "position", "pk"]
        verbose_name = _("sản phẩm được đánh giá")
        verbose_name_plural = _("sản phẩm được đánh giá")


class StaffPointChange(PointChange):
    """A change by the head to an official's self-given points: the earlier value, who, when and why."""

    evaluation = models.ForeignKey(StaffEvaluation, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
