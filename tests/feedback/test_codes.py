"""Tracking codes: long enough not to be guessed, without look-alike characters, unique, typed back loosely."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.feedback.conftest import submit
from trongtam.feedback.domain import codes
from trongtam.feedback.domain.cases import by_code
from trongtam.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_codes_have_ten_characters_without_look_alikes() -> None:
    drawn = {codes.new_code() for _ in range(5000)}
    assert len(drawn) == 5000  # 31^10 codes: no repeat in a few thousand draws
    assert all(len(code) == codes.LENGTH for code in drawn)
    assert not set("".join(drawn)) & set("01OIL")
    assert len(codes.ALPHABET) ** codes.LENGTH > 10**14


@given(st.text(alphabet=codes.ALPHABET, min_size=10, max_size=10))
def test_a_code_typed_in_lower_case_with_spaces_and_dashes_reads_back(code: str) -> None:
    typed = f" {code[:5].lower()}-{code[5:]} "
    assert codes.normalize(typed) == code
    assert codes.looks_like_code(codes.normalize(typed))


def test_a_drawn_code_already_taken_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = submit().tracking_code
    draws = iter([taken, "ABCDEFGHJK"])
    monkeypatch.setattr(codes, "new_code", lambda: next(draws))
    assert submit().tracking_code == "ABCDEFGHJK"
    assert Feedback.objects.filter(tracking_code=taken).count() == 1


def test_lookup_by_code_ignores_case_and_refuses_malformed_codes() -> None:
    case = submit()
    assert by_code(case.tracking_code.lower()) == case
    assert by_code(case.tracking_code[:-1]) is None
    assert by_code("' OR 1=1 --") is None
