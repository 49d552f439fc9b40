"""The settings of the league tables: one row for the province, edited by Home Affairs, versioned and audited.

The ranks themselves are never stored: they are computed from the signed score sheets (`domain/league.py`), so an
appeal that changes a level changes the league at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.enums import Level
from trongtam.rankings.enums import Demotion

NO_TITLE = ""
LEVEL_OR_NEVER = [(NO_TITLE, _("Không đề nghị")), *Level.choices]


class RankingSettings(models.Model):
    """The one set of rules for every league table (pk = 1): where a repeat offender is placed, after how many
    consecutive periods, and the least level for each emulation title."""

    demotion = models.CharField(
        _("quy tắc hạ thứ hạng khi vi phạm lặp lại"),
        max_length=20,
        choices=Demotion.choices,
        default=Demotion.AFTER_SAME_LEVEL,
    )
    repeat_periods = models.PositiveSmallIntegerField(
        _("số kỳ liên tiếp có cùng vi phạm thì bị đánh dấu"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(5)],
    )
    collective_excellent = models.CharField(
        _("mức tối thiểu để đề nghị «Tập thể lao động xuất sắc»"),
        max_length=5,
        choices=LEVEL_OR_NEVER,
        default=Level.EXCELLENT,
        blank=True,
    )
    collective_advanced = models.CharField(
        _("mức tối thiểu để đề nghị «Tập thể lao động tiên tiến»"),
        max_length=5,
        choices=LEVEL_OR_NEVER,
        default=Level.GOOD,
        blank=True,
    )
    emulation_fighter = models.CharField(
        _("mức tối thiểu để đề nghị «Chiến sĩ thi đua cơ sở» cho người đứng đầu"),
        max_length=5,
        choices=LEVEL_OR_NEVER,
        default=Level.EXCELLENT,
        blank=True,
    )
    advanced_worker = models.CharField(
        _("mức tối thiểu để đề nghị «Lao động tiên tiến» cho người đứng đầu"),
        max_length=5,
        choices=LEVEL_OR_NEVER,
        default=Level.GOOD,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thiết lập xếp hạng thi đua")
        verbose_name_plural = _("thiết lập xếp hạng thi đua")

    def __str__(self) -> str:
        return str(_("Thiết lập xếp hạng thi đua"))
