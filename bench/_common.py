"""What both benchmarks do before they import the app: the benchmark database (bench.sqlite3 next to manage.py,
unless DATABASE_URL names another) and Django set up on the test settings; and the line naming the machine
and the database that each prints first.

A benchmark, run as a script, puts the project on the path and imports this module before anything of Django.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return str(cursor.fetchone()[0])


def machine_line() -> str:
    return (
        f"Machine: {platform.node()} · {platform.platform()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · {connection.vendor} {server_version()}"
    )
