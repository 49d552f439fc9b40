"""The vocabulary of assessment (domain-vn.md §1): the four levels, the same words in every rating regime."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Quality levels, best first. The codes are the convention of domain-vn.md §1.1, not law."""

    EXCELLENT = "htxs", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "htt", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "ht", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "kht", _("Không hoàn thành nhiệm vụ")

    @property
    def rank(self) -> int:
        """0 for the best level, 3 for the worst: a lower level has a higher rank."""
        return list(Level).index(self)


class CriterionKind(models.TextChoices):
    """What a rubric criterion is. Manual and automatic criteria make up the 100 points; bonus and penalty
    criteria sit apart, each part with its own cap. A bonus or penalty criterion that names a metric is
    computed like an automatic one; without a metric it is scored by hand."""

    MANUAL = "manual", _("Chấm thủ công")
    AUTOMATIC = "automatic", _("Tự động từ dữ liệu")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class Direction(models.TextChoices):
    """Which way a metric is good: the on-time rate is better higher, the count of overdue tasks lower."""

    HIGHER_IS_BETTER = "higher", _("Càng cao càng tốt")
    LOWER_IS_BETTER = "lower", _("Càng thấp càng tốt")


class NoData(models.TextChoices):
    """Points of an automatic criterion when its metric has nothing to measure (no directive due, say)."""

    FULL = "full", _("Không phát sinh: được điểm tối đa")
    ZERO = "zero", _("Không phát sinh: không có điểm")


class YearMean(models.TextChoices):
    """How the year's score is drawn from the period scores (Decree 335 Art. 21; simple or weighted is [U])."""

    SIMPLE = "simple", _("Trung bình cộng các kỳ thực tế công tác")
    TIME_WEIGHTED = "time_weighted", _("Trung bình theo số ngày công tác của từng kỳ")


class RoundStatus(models.TextChoices):
    """Where an assessment round stands. The rubric is frozen from the moment a round opens."""

    OPENING = "opening", _("Đang tạo phiếu đánh giá")
    OPEN = "open", _("Đang chấm điểm")
    CLASSIFYING = "classifying", _("Đang xếp loại")
    SIGNED = "signed", _("Chủ tịch đã phê duyệt kết quả")


class SheetStatus(models.TextChoices):
    """A head's score sheet: self-assessment → review → verification → sign-off (issue #4, item 2)."""

    SELF_ASSESSMENT = "self", _("Tự chấm điểm")
    REVIEW = "review", _("Chờ Phó Chủ tịch phụ trách xem xét")
    VERIFICATION = "verification", _("Chờ Sở Nội vụ thẩm định")
    VERIFIED = "verified", _("Đã thẩm định, chờ phê duyệt")
    SIGNED = "signed", _("Đã phê duyệt")


class StaffStatus(models.TextChoices):
    """A staff evaluation (issue #4, item 6): the official's self-evaluation → the head's rating → finalized."""

    SELF_ASSESSMENT = "self", _("Công chức tự đánh giá")
    HEAD_RATING = "head_rating", _("Chờ người đứng đầu đánh giá")
    FINALIZED = "finalized", _("Đã xếp loại")
