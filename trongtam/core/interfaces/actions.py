"""The one way a page runs an action on a versioned record (a task, a score sheet).

Each action posts its own small form carrying the version the person loaded. `run_action` runs the domain
function: on success it goes back to the record with the function's message; on a refusal it shows the page again
with the input kept -- a rule's problem beside its field when the form has it, else at the top, and after a stale
version or a wrong state the form carries the version stored now, so that sending it again is a deliberate choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.interfaces.forms import BootstrapFormMixin


class VersionedForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def with_version(form: Any, version: int, **form_kwargs: Any) -> Any:
    """The same input, bound again with `version` (the one stored now) in place of the one sent."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    fresh = type(form)(data, form.files, prefix=form.prefix, **form_kwargs)
    fresh.is_valid()
    return fresh


def run_action(
    request: HttpRequest,
    form: Any,
    run: Callable[[dict[str, Any]], str],
    *,
    done_url: str,
    page: Callable[[Any, list[str]], HttpResponse],
    current_version: Callable[[], int],
    field_of: Callable[[str], str] = lambda name: name,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run `run(cleaned_data)`; redirect to `done_url` with its message, or `page(form, errors)` on a refusal:
    200 for input to correct, 409 when the record changed meanwhile or is at a step where this is not allowed.

    `field_of` maps a domain problem's field to the form's field name; `form_kwargs` rebuilds the form."""
    errors: list[str] = []
    conflict = False
    if form.is_valid():
        try:
            done = run(form.cleaned_data)
        except RuleViolations as exc:
            for problem in exc.problems:
                name = field_of(problem.field)
                if name and name in form.fields:
                    form.add_error(name, problem.message)
                else:
                    errors.append(problem.message)
        except (StaleEdit, TransitionNotAllowed) as exc:
            errors.append(exc.user_message)
            form = with_version(form, current_version(), **(form_kwargs or {}))
            conflict = True
        else:
            messages.success(request, done)
            return redirect(done_url)
    response = page(form, errors)
    if conflict:
        # Someone else acted first, or the record has moved on: the page shows what is there now, and the
        # status says so to scripts and tests (409, as the API answers).
        response.status_code = 409
    return response
