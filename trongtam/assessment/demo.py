"""Demo assessment data, for `seed_demo`: the 2026 rubric (version 1), imported by Home Affairs.

The rubric is the file `rubrics/2026.json`, the same one Home Affairs may download and import again as the
start of next year's. No round is opened here: opening one is the first step of the story the demo shows.
Idempotent: nothing is added when the period already has a rubric.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trongtam.assessment.demo_staff import seed_staff
from trongtam.assessment.domain.rounds import import_rubric
from trongtam.assessment.models import RubricVersion
from trongtam.cycles.models import Period
from trongtam.org.models import Person

RUBRIC_2026 = Path(__file__).resolve().parent / "rubrics" / "2026.json"
HOME_AFFAIRS = "noivu"


def rubric_2026_data() -> Any:
    return json.loads(RUBRIC_2026.read_text(encoding="utf-8"))


def seed_assessment() -> bool:
    """Import the 2026 rubric once, and the staff evaluation's demo data (`demo_staff`); True when something
    was added."""
    added = seed_staff()
    period = Period.objects.filter(year=2026).first()
    by = Person.objects.filter(username=HOME_AFFAIRS).first()
    if period is None or by is None or RubricVersion.objects.filter(period=period).exists():
        return added
    import_rubric(period, rubric_2026_data(), by=by)
    return True
