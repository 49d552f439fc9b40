"""API schemas of the organization, and the pieces every router shares (the error body, form errors).

Schemas only describe shapes; the rules stay in forms and domain functions. Nothing here exposes a password hash:
a person is read through `PersonOut`, which names its fields one by one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.utils.encoding import force_str
from ninja import Schema

from trongtam.core.errors import Problem, RuleViolations
from trongtam.org.enums import Role, UnitKind


def field_of(obj: Any, name: str) -> Any:
    """`name` of a model instance or of a dict: resolvers get whichever the endpoint returned."""
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """The label of `value` among `choices` (translated), or the value itself if it is not one of them."""
    return force_str(dict(choices.choices).get(value, value))


class ErrorOut(Schema):
    """Every error: a sentence to show, and the messages by field (a dotted path into the request)."""

    detail: str
    errors: dict[str, list[str]] | None = None


# The error answers every endpoint may give (config/api.py): a read, and a write (400 bad input, 409 conflict).
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 409: ErrorOut, **ERRORS}


def raise_form_errors(form: forms.BaseForm, rename: dict[str, str] | None = None) -> None:
    """Raise RuleViolations (400) with the form's own messages, named by the API's field names."""
    if form.is_valid():
        return
    rename = rename or {}
    problems = [
        Problem(force_str(message), "" if name == NON_FIELD_ERRORS else rename.get(name, name))
        for name, messages in form.errors.items()
        for message in messages
    ]
    raise RuleViolations(problems)


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    is_active: bool
    merged_into_id: int | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(UnitKind, field_of(obj, "kind"))


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class UnitDetailOut(UnitOut):
    parent: UnitRef | None
    merged_into: UnitRef | None
    children: list[UnitRef]
    merged_from: list[UnitRef]
    vice_chairmen_in_charge: list[PersonRef]

    @staticmethod
    def resolve_children(obj: Any) -> list[Any]:
        return list(obj.children.order_by("name", "pk"))

    @staticmethod
    def resolve_merged_from(obj: Any) -> list[Any]:
        return list(obj.merged_from.order_by("name", "pk"))

    @staticmethod
    def resolve_vice_chairmen_in_charge(obj: Any) -> list[Any]:
        from trongtam.org.domain.queries import vice_chairmen_in_charge_of

        return list(vice_chairmen_in_charge_of(obj).order_by("full_name", "pk"))


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    unit: UnitRef | None
    title: str
    email: str
    phone: str

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return choice_label(Role, field_of(obj, "role"))
