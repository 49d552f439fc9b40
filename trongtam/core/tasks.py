"""Background tasks of the core app. Thin: fetch by id, then do the work; safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from trongtam.core.models import Notification

logger = logging.getLogger(__name__)


@task()
def task_email_notification(*, notification_id: int) -> None:
    """E-mail one notification. Claims it first (compare-and-set), so two workers never send it twice."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at=None).update(
        emailed_at=timezone.now()
    )
    if claimed != 1:
        logger.info("notification %s already e-mailed or gone", notification_id)
        return
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    parts = [
        _("Kính gửi %(name)s,") % {"name": recipient.get_full_name()},
        notification.title + ".",
        notification.body,
        _("Xem chi tiết: %(link)s") % {"link": link} if link else "",
        _("Thư này do hệ thống Trọng Tâm gửi tự động; xin đừng trả lời thư này."),
    ]
    try:
        send_mail(
            subject=f"[Trọng Tâm] {notification.title}",
            message="\n\n".join(part for part in parts if part),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
    except Exception:
        # Give the claim back so that a retry sends it: a notification is never marked sent but lost.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
