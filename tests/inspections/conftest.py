from __future__ import annotations

import pytest

from trongtam.inspections.demo import seed_inspections


@pytest.fixture
def demo_inspections(db: None) -> None:
    """The demo's inspections (the integrator loads them with the demo province; here, in the test's transaction)."""
    seed_inspections()
