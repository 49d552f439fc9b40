"""The Government's swaps that the `holidays` package does not carry (checked against holidays 0.109).

- Văn bản 12729/VPCP-KGVX (25/12/2025): công chức, viên chức are off Fri 2/1/2026 and work Sat 10/1/2026.
The 2025 swaps (off Fri 2/5/2025, worked Sat 26/4/2025) and 2026's (off Mon 31/8/2026, worked Sat 22/8/2026)
are in the package already. Further years are entered by the Office on the calendar page.
"""

import datetime as dt

from django.db import migrations

SWAPS = [
    (dt.date(2026, 1, 2), "day_off", "Nghỉ hoán đổi dịp Tết Dương lịch 2026 (làm bù thứ Bảy 10/01/2026)"),
    (dt.date(2026, 1, 10), "working_day", "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026"),
]
SOURCE = "Văn bản 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    CalendarException = apps.get_model("workdays", "CalendarException")
    for day, kind, reason in SWAPS:
        CalendarException.objects.get_or_create(day=day, defaults={"kind": kind, "reason": reason, "source": SOURCE})


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("workdays", "CalendarException").objects.filter(day__in=[d for d, _k, _r in SWAPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
