"""Numbers in sentences: as the active language writes them (Vietnamese: 2,4), without trailing zeros."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def plain_number(value: Decimal) -> str:
    """`Decimal("2.40")` → "2,4" in Vietnamese, "2.4" in English; a whole number without decimals ("20")."""
    number = value.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number)
