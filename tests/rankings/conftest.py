"""The assessment's fixtures (a small round over the demo province), for the league's tests."""

from __future__ import annotations

from tests.assessment.conftest import open_small_round, rubric_2026

__all__ = ["open_small_round", "rubric_2026"]
