"""Vietnamese first, English through Django's i18n: the catalogue is complete and used."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "trongtam" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_has_an_english_translation() -> None:
    untranslated = subprocess.run(  # noqa: S603
        ["msgattrib", "--untranslated", "--no-obsolete", str(CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(  # noqa: S603
        ["msgattrib", "--only-fuzzy", str(CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert untranslated.count("msgid ") == 0, untranslated[:2000]
    assert fuzzy.count("msgid ") == 0, fuzzy[:2000]


def test_gettext_answers_in_the_active_language() -> None:
    with translation.override("en"):
        assert translation.gettext("Chờ phê duyệt") != "Chờ phê duyệt"
    with translation.override("vi"):
        assert translation.gettext("Chờ phê duyệt") == "Chờ phê duyệt"


@pytest.mark.django_db
def test_a_page_switches_to_english_and_back(client_for: Any) -> None:
    client = client_for("pct.kinhte")
    assert 'lang="vi"' in client.get(reverse("core:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("keytasks:review-queue")).content.decode()
    assert 'lang="en"' in page
    assert "Chờ phê duyệt" not in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Chờ phê duyệt" in client.get(reverse("keytasks:review-queue")).content.decode()


@pytest.mark.django_db
def test_dates_and_numbers_follow_the_vietnamese_format(client_for: Any) -> None:
    import datetime as dt

    from django.utils.formats import date_format, number_format

    with translation.override("vi"):
        assert date_format(dt.date(2026, 2, 6), "SHORT_DATE_FORMAT") == "06/02/2026"
        assert number_format(1234567.5, decimal_pos=1, force_grouping=True) == "1.234.567,5"
