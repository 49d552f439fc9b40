"""Background tasks of the core app. Thin: fetch by id, then do the work; safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
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
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    body = "\n\n".join(part for part in (notification.body, link) if part)
    send_mail(
        subject=f"[Trọng Tâm] {notification.title}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
