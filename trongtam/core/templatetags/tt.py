"""Template filters shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def isodate(value: Any) -> str:
    """An ISO date string ("2026-06-30") from stored JSON, shown as the locale shows dates (30/06/2026)."""
    if not value:
        return "—"
    try:
        return date_format(dt.date.fromisoformat(str(value)[:10]), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


@register.filter
def audit_value(value: Any) -> str:
    """A before/after value of the audit trail as a person reads it."""
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return isodate(text)
    return text


@register.filter
def field_label(name: str, model_label: str) -> str:
    """The verbose name of `name` on the model `model_label` ("keytasks.keytask"), for the audit table."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    extra = {
        "milestones": _("mốc tiến độ"),
        "milestone": _("mốc tiến độ"),
        "milestone_met_on": _("ngày đạt mốc"),
        "comment": _("ý kiến"),
        "progress_update": _("báo cáo tiến độ"),
        "files": _("tệp minh chứng"),
        "extension": _("đề nghị gia hạn"),
    }
    try:
        field = apps.get_model(model_label)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return str(extra.get(name, name))
    return str(getattr(field, "verbose_name", name))


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or "" when it is missing: `{{ labels|lookup:task.state }}`."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""
