import pytest
from hypothesis import given
from hypothesis import strategies as st

from trongtam.core.search import fold, search
from trongtam.org.models import Person


def test_fold_strips_vietnamese_diacritics_and_case() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("  TRẦN   thị  Hạnh ") == "tran thi hanh"
    assert fold("Sở Giáo dục và Đào tạo") == "so giao duc va dao tao"


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.django_db
def test_search_without_diacritics_finds_the_accented_name() -> None:
    someone = Person.objects.filter(full_name__startswith="Nguyễn Văn").first()
    assert someone is not None
    found = search(Person.objects.all(), "nguyen van")
    assert someone in found
    assert not found.filter(full_name="Trần Thị Bình").exists()


@pytest.mark.django_db
def test_search_matches_every_word_in_any_order() -> None:
    found = list(search(Person.objects.all(), "văn nguyen"))
    assert found
    assert all("van" in p.search_text and "nguyen" in p.search_text for p in found)
