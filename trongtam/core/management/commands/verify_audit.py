"""`python manage.py verify_audit`: recompute the audit chain and report the first broken entry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trongtam.core.audit import verify_chain
from trongtam.core.models import AuditEntry


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký thay đổi; báo mục đầu tiên bị sửa, xoá hoặc chèn."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"Nhật ký bị phá vỡ tại mục số {broken.seq}: {broken.reason}.")
        count = AuditEntry.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Nhật ký toàn vẹn: {count} mục, chuỗi băm khớp."))
