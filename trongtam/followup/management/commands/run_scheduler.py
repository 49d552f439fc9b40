"""`python manage.py run_scheduler`: enqueue the periodic jobs; the worker (`db_worker`) runs them.

As a long-lived process it enqueues every job of `settings.PERIODIC_TASKS` (the follow-up sweep, the apology-letter
sweep, the feedback and inspection reminders…) at start and then every `--interval` seconds (default: hourly; every
sweep is idempotent, so an hourly run costs nothing and catches a day's reminders soon after the calendar turns). With `--once` it enqueues once and exits, for cron instead:
    0 7 * * 1-5  cd /srv/trongtam && .venv/bin/python manage.py run_scheduler --once
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Đưa các việc định kỳ (nhắc việc, báo cáo quá hạn) vào hàng đợi; tiến trình db_worker thực hiện."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Đưa vào hàng đợi một lần rồi thoát (dùng với cron)."
        )
        parser.add_argument(
            "--interval", type=int, default=3600, help="Số giây giữa hai lần (mặc định 3600)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for path in settings.PERIODIC_TASKS:
                result = import_string(path).enqueue()
                self.stdout.write(f"Đã đưa việc định kỳ {path} vào hàng đợi ({result.id}).")
            if options["once"]:
                return
            time.sleep(max(options["interval"], 60))
