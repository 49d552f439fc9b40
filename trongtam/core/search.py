"""Vietnamese search that ignores diacritics and case.

Every searchable model keeps a `search_text` column holding `fold(...)` of its searchable fields, so that the
same query works on SQLite and PostgreSQL and can use an index: "Nguyen Van" finds "Nguyễn Văn".
"""

from __future__ import annotations

import unicodedata
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.db.models.base import Model

M = TypeVar("M", bound=Model)

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case `text` and strip every diacritic: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def search(queryset: QuerySet[M], query: str, field: str = "search_text") -> QuerySet[M]:
    """Rows whose `field` contains every word of `query`, diacritics and case ignored."""
    condition = Q()
    for word in fold(query).split():
        condition &= Q(**{f"{field}__contains": word})
    return queryset.filter(condition)
