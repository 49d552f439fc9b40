"""The vocabulary of the league: where a repeat offender is placed, and the emulation titles it may propose."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class Demotion(models.TextChoices):
    """Where a unit that repeats a violation is placed."""

    AFTER_SAME_LEVEL = (
        "after_same_level",
        gettext_lazy("Xếp sau mọi đơn vị cùng mức xếp loại không vi phạm lặp lại"),
    )
    AFTER_GROUP = "after_group", gettext_lazy("Xếp sau mọi đơn vị trong nhóm không vi phạm lặp lại")
    NONE = "none", gettext_lazy("Chỉ đánh dấu, không hạ thứ hạng")


class Title(models.TextChoices):
    """Emulation titles (danh hiệu thi đua) the league may propose."""

    COLLECTIVE_EXCELLENT = "ttldxs", gettext_lazy("Tập thể lao động xuất sắc")
    COLLECTIVE_ADVANCED = "ttldtt", gettext_lazy("Tập thể lao động tiên tiến")
    EMULATION_FIGHTER = "cstdcs", gettext_lazy("Chiến sĩ thi đua cơ sở")
    ADVANCED_WORKER = "ldtt", gettext_lazy("Lao động tiên tiến")
