"""Notifications: a row per recipient in the app, and an e-mail sent by a background task after commit."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction

from trongtam.core.models import Notification, NotificationKind


def notify(
    recipients: Iterable[Any], *, kind: NotificationKind, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Create one notification per distinct recipient and e-mail each after the transaction commits."""
    from trongtam.core.tasks import task_email_notification

    unique = {r.pk: r for r in recipients if r is not None and r.pk is not None}
    created = Notification.objects.bulk_create(
        [Notification(recipient=r, kind=kind, title=title, body=body, url=url) for r in unique.values()]
    )
    for notification in created:
        if notification.recipient.email:
            transaction.on_commit(partial(task_email_notification.enqueue, notification_id=notification.pk))
    return created
