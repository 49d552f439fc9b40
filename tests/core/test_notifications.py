"""Notifications: the list, the unread count in the header, opening and marking read, and the e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from trongtam.core.models import Notification, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.tasks import task_email_notification
from trongtam.org.models import Person

pytestmark = pytest.mark.django_db


def _notify(username: str, title: str = "Có việc cần xử lý") -> Notification:
    [created] = notify(
        [Person.objects.get(username=username)],
        kind=NotificationKind.SUBMITTED,
        title=title,
        body="Người xử lý: Nguyễn Văn An.",
        url=reverse("keytasks:review-queue"),
    )
    return created


def test_the_header_counts_unread_notifications(client_for: Any) -> None:
    client = client_for("pct.vanxa")
    before = client.get(reverse("core:home")).context["unread_notifications"]
    _notify("pct.vanxa")
    _notify("pct.vanxa")
    _notify("pct.kinhte")  # someone else's does not count
    assert client.get(reverse("core:home")).context["unread_notifications"] == before + 2


def test_the_list_shows_only_ones_own_notifications(client_for: Any) -> None:
    mine = _notify("pct.vanxa", "Thông báo của tôi")
    _notify("pct.kinhte", "Thông báo của người khác")
    response = client_for("pct.vanxa").get(reverse("core:notifications"))
    shown = {n.pk for n in response.context["page_obj"].object_list}
    assert mine.pk in shown
    assert "Thông báo của người khác" not in response.content.decode()


def test_opening_marks_read_and_goes_to_the_record(client_for: Any) -> None:
    notification = _notify("pct.vanxa")
    response = client_for("pct.vanxa").post(reverse("core:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read(client_for: Any) -> None:
    _notify("pct.vanxa")
    _notify("pct.vanxa")
    client = client_for("pct.vanxa")
    client.post(reverse("core:notifications-read-all"))
    assert not Notification.objects.filter(recipient__username="pct.vanxa", read_at=None).exists()
    assert client.get(reverse("core:home")).context["unread_notifications"] == 0


def test_the_email_is_vietnamese_with_a_link_and_sent_once() -> None:
    notification = _notify("pct.vanxa", "Sở Y tế trình đăng ký nhiệm vụ trọng tâm năm 2026")
    task_email_notification.call(notification_id=notification.pk)
    task_email_notification.call(notification_id=notification.pk)  # a second worker run sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Trọng Tâm] Sở Y tế trình đăng ký nhiệm vụ trọng tâm năm 2026"
    assert message.to == [Person.objects.get(username="pct.vanxa").email]
    assert "Kính gửi" in message.body
    assert "/nhiem-vu-trong-tam/cho-phe-duyet/" in message.body


def test_a_failed_send_is_not_marked_sent(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.core.test_notifications.FailingBackend"
    notification = _notify("pct.vanxa")
    with pytest.raises(ConnectionRefusedError):
        task_email_notification.call(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None


class FailingBackend:
    """An SMTP server that refuses the connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("SMTP server refused the connection")
