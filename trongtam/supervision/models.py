"""Dialogue sessions and the Council's supervision recommendations (module 8, second half).

A `Dialogue` is a session of the Committee (or of a unit) with businesses and citizens; the issues raised there
(`DialogueIssue`) are each given to a responsible unit with a deadline and tracked until they are closed with an
outcome. A `Supervision` is a visit of the People's Council to a unit; its recommendations (`Recommendation`) go
to responsible units with a deadline, the unit reports what it did, and the Council gives its verdict.

Both kinds of item share `TrackedItem`: the status of enums.ItemStatus, changed only through domain/items.py
(each change an `ItemEvent`), a `version` for optimistic concurrency, and the deadline the reminder sweep reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trongtam.core.search import fold
from trongtam.supervision.enums import Audience, ItemStatus, Outcome, RaiserKind, ReminderKind, Verdict


class Dialogue(models.Model):
    topic = models.CharField(_("chủ đề buổi đối thoại"), max_length=300)
    audience = models.CharField(_("đối tượng đối thoại"), max_length=20, choices=Audience.choices)
    held_on = models.DateField(_("ngày đối thoại"))
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    organizing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="dialogues"
    )
    participants = models.TextField(_("thành phần tham dự"), blank=True)
    summary = models.TextField(_("biên bản, tóm tắt nội dung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("buổi đối thoại")
        verbose_name_plural = _("buổi đối thoại")
        indexes = [models.Index(fields=["organizing_unit", "held_on"])]

    def __str__(self) -> str:
        return self.topic

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(self.topic)[:400]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("supervision:dialogue-detail", args=[self.pk])


def dialogue_file_path(instance: DialogueFile, filename: str) -> str:
    return f"doi-thoai/{instance.dialogue_id}/{filename}"


class DialogueFile(models.Model):
    """Minutes, the invitation, photos: stored through the storage API, served only by a view that checks scope."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to=dialogue_file_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Supervision(models.Model):
    """A supervision of the People's Council (đợt giám sát): its topic, when, and the unit supervised."""

    topic = models.CharField(_("nội dung giám sát"), max_length=300)
    held_on = models.DateField(_("ngày giám sát"))
    supervised_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị được giám sát"),
        on_delete=models.PROTECT,
        related_name="supervisions",
    )
    team = models.TextField(_("đoàn giám sát"), blank=True)
    summary = models.TextField(_("kết quả giám sát"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("đợt giám sát")
        verbose_name_plural = _("đợt giám sát")

    def __str__(self) -> str:
        return self.topic

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(self.topic)[:400]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("supervision:supervision-detail", args=[self.pk])


class TrackedItem(models.Model):
    """What a dialogue issue and a Council recommendation share: a responsible unit, a deadline, a status."""

    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    original_deadline = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN, db_index=True
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    close_reason = models.TextField(_("lý do, ý kiến khi đóng"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)

    class Meta:
        abstract = True


class DialogueIssue(TrackedItem):
    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("buổi đối thoại"), on_delete=models.PROTECT, related_name="issues"
    )
    content = models.TextField(_("nội dung kiến nghị"), max_length=5000)
    raiser_kind = models.CharField(_("người nêu kiến nghị là"), max_length=20, choices=RaiserKind.choices)
    raised_by = models.CharField(_("tên doanh nghiệp hoặc người nêu"), max_length=200, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc kể từ buổi đối thoại"), null=True, blank=True
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("kiến nghị tại buổi đối thoại")
        verbose_name_plural = _("kiến nghị tại buổi đối thoại")
        indexes = [models.Index(fields=["responsible_unit", "status", "deadline"])]

    def __str__(self) -> str:
        return self.content[:120]

    def save(self, *args: object, **kwargs: object) -> None:
        # A business's name is searchable; a person's name is personal data and is not.
        raiser = self.raised_by if self.raiser_kind == RaiserKind.BUSINESS else ""
        self.search_text = fold(f"{raiser} {self.content}")[:600]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("supervision:issue-detail", args=[self.pk])


class Recommendation(TrackedItem):
    supervision = models.ForeignKey(
        Supervision, verbose_name=_("đợt giám sát"), on_delete=models.PROTECT, related_name="recommendations"
    )
    title = models.CharField(_("nội dung kiến nghị"), max_length=500)
    details = models.TextField(_("yêu cầu cụ thể"), blank=True)
    verdict = models.CharField(_("kết luận của HĐND"), max_length=20, choices=Verdict.choices, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("kiến nghị giám sát")
        verbose_name_plural = _("kiến nghị giám sát")
        indexes = [models.Index(fields=["responsible_unit", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(self.title)[:600]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("supervision:recommendation-detail", args=[self.pk])


ONE_ITEM = models.Q(issue__isnull=False, recommendation__isnull=True) | models.Q(
    issue__isnull=True, recommendation__isnull=False
)


class ItemEvent(models.Model):
    """One step in an item's life, with the status before and after: its history."""

    issue = models.ForeignKey(
        DialogueIssue, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(max_length=20, choices=ItemStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ItemStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(name="supervision_event_one_item", condition=ONE_ITEM)]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y %H:%M}"


class Reminder(models.Model):
    """One reminder owed to one person about one item for one trigger; unique, so a sweep run twice sends once."""

    issue = models.ForeignKey(
        DialogueIssue, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    trigger = models.CharField(max_length=40)  # e.g. "before:5:2026-03-06": the deadline it was computed for
    due_on = models.DateField()
    digest_sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(name="supervision_reminder_one_item", condition=ONE_ITEM),
            models.UniqueConstraint(
                fields=["issue", "person", "trigger"],
                condition=models.Q(issue__isnull=False),
                name="supervision_reminder_issue_once",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "person", "trigger"],
                condition=models.Q(recommendation__isnull=False),
                name="supervision_reminder_recommendation_once",
            ),
        ]
        indexes = [models.Index(fields=["person", "digest_sent_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%d/%m/%Y}"
