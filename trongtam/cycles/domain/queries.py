from __future__ import annotations

from django.utils import timezone

from trongtam.cycles.models import Period


def current_period() -> Period | None:
    """The period that contains today; else the latest one that has started; else the earliest to come."""
    today = timezone.localdate()
    return (
        Period.objects.filter(start_date__lte=today, end_date__gte=today).first()
        or Period.objects.filter(start_date__lte=today).order_by("-start_date").first()
        or Period.objects.order_by("start_date").first()
    )
