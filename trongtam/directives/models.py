"""Directives: the official documents that assign tasks, and the recurring tasks they set (module 4).

The tasks themselves are `followup.Task` rows (source = directive), so that a directive's task and an approved
key task are followed, reminded and reported the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold


class DocumentKind(models.TextChoices):
    CONCLUSION = "conclusion", _("Thông báo kết luận")
    DIRECTIVE = "directive", _("Chỉ thị")
    DECISION = "decision", _("Quyết định")
    PLAN = "plan", _("Kế hoạch")
    OFFICIAL_LETTER = "letter", _("Công văn")
    MEETING = "meeting", _("Ý kiến chỉ đạo tại cuộc họp")


def document_path(instance: Directive, filename: str) -> str:
    return f"van-ban/{instance.issued_on:%Y}/{filename}"


class Directive(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentKind.choices)
    signer = models.CharField(_("người ký"), max_length=200)
    excerpt = models.TextField(_("trích yếu"))
    file = models.FileField(_("tệp văn bản"), upload_to=document_path, blank=True, max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("văn bản giao nhiệm vụ")
        verbose_name_plural = _("văn bản giao nhiệm vụ")
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="directives_unique_number_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number} ngày {self.issued_on:%d/%m/%Y}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.number} {self.signer} {self.excerpt}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("directives:directive-detail", args=[self.pk])


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")


class Recurrence(models.Model):
    """A task that falls due again and again (a monthly report): its occurrences are generated as tasks.

    Monthly: due on `day` of every month from `starts_on` to `ends_on`; quarterly: on `day` of the last month
    of each quarter. A day past the month's end means its last day; a due day that is not a working day moves
    to the next working day (Civil Code Art. 148).
    """

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="recurrences")
    title = models.CharField(_("nội dung nhiệm vụ"), max_length=500)
    frequency = models.CharField(_("tần suất"), max_length=10, choices=Frequency.choices)
    day = models.PositiveSmallIntegerField(_("ngày trong tháng"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_frequency_display().lower()})"
