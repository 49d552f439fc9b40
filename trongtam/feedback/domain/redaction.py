"""Removing personal data from an answer before it is published.

The system proposes the public text from the staff's answer -- the reporter's name, phone, e-mail and address
taken out wherever they appear (diacritics and case ignored), then anything shaped like a phone number or an
e-mail address -- and the staff confirm it. Publishing refuses a text in which any of these is still found.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from trongtam.core.search import fold

# A Vietnamese phone number: 0 or +84, then 9 or 10 more digits, spaced or dotted as people write them
# ("0987 654 321", "+84 987.654.321", "0203 3888 999"); sums of money ("150.000.000 đồng") do not start with 0.
PHONE = re.compile(r"(?<![\w+.,])(?:\+84|0)(?:[\s.\-]?\d){8,10}(?![\w])")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def _personal_values(case: Any) -> list[str]:
    values = [case.reporter_name, case.reporter_phone, case.reporter_email, case.reporter_address]
    return [v.strip() for v in values if v and len(v.strip()) >= 3]


def _remove(text: str, value: str, placeholder: str) -> str:
    """`text` without `value`, matched as folded text (so "Nguyen Van An" also removes "Nguyễn Văn An")."""
    target = fold(value)
    if not target:
        return text
    out: list[str] = []
    i = 0
    size = len(value)
    while i < len(text):
        # Compare windows of the original length, give or take (folding keeps lengths for Vietnamese letters).
        window = text[i : i + size]
        if fold(window) == target and (i == 0 or not text[i - 1].isalnum()):
            out.append(placeholder)
            i += size
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def redact(text: str, case: Any) -> str:
    placeholder = _("[đã ẩn]")
    for value in sorted(_personal_values(case), key=len, reverse=True):
        text = _remove(text, value, placeholder)
    text = EMAIL.sub(placeholder, text)
    return PHONE.sub(placeholder, text)


def personal_data_left(text: str, case: Any) -> bool:
    """Whether `text` still holds the reporter's data or a phone- or e-mail-like string."""
    return redact(text, case) != text
