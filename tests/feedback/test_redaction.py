"""The proposed public answer: the reporter's data and phone- or e-mail-like strings taken out, nothing else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trongtam.feedback.domain.redaction import personal_data_left, redact

REPORTER = SimpleNamespace(
    reporter_name="Đặng Thị Huyền Trang",
    reporter_phone="0987 654 321",
    reporter_email="trang@example.vn",
    reporter_address="Số 17 ngõ Hoa Sữa",
)
NOBODY = SimpleNamespace(reporter_name="", reporter_phone="", reporter_email="", reporter_address="")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đã gọi bà Đặng Thị Huyền Trang.", "Đã gọi bà [đã ẩn]."),
        ("Đã gọi bà dang thi huyen trang.", "Đã gọi bà [đã ẩn]."),  # without diacritics
        ("Liên hệ 0987 654 321 hoặc +84 912.345.678.", "Liên hệ [đã ẩn] hoặc [đã ẩn]."),
        ("Gửi thư tới trang@example.vn, tổ 5.", "Gửi thư tới [đã ẩn], tổ 5."),
        ("Xác minh tại Số 17 ngõ Hoa Sữa.", "Xác minh tại [đã ẩn]."),
        ("Thu hồi 150.000.000 đồng ngày 12/5/2026.", "Thu hồi 150.000.000 đồng ngày 12/5/2026."),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, REPORTER) == expected


@given(st.text(alphabet="abcdeđêôơưăâ ,.", max_size=80))
def test_text_without_personal_data_is_left_as_it_is(text: str) -> None:
    assert redact(text, NOBODY) == text
    assert not personal_data_left(text, NOBODY)


@given(st.text(max_size=120))
def test_a_redacted_text_holds_no_personal_data(text: str) -> None:
    assert not personal_data_left(redact(f"{text} 0987 654 321 {text}", REPORTER), REPORTER)
