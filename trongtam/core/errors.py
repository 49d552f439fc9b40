"""Errors that domain functions raise and that views and the API turn into messages.

Each carries a message a user can read (Vietnamese by default, translated through gettext) and, where it
concerns input, the field it concerns. Views show them; the API maps them to 400/409 JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A request the rules refuse. `user_message` is safe to show."""

    status_code = 400

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class TransitionNotAllowed(DomainError):
    """The record is not in a state that allows this action (HTTP 409)."""

    status_code = 409


class StaleEdit(DomainError):
    """Someone else saved the record after this person loaded it (HTTP 409). Their input is kept."""

    status_code = 409

    def __init__(self, user_message: str | None = None) -> None:
        super().__init__(
            user_message
            or _(
                "Bản ghi vừa được người khác thay đổi sau khi bạn mở nó. Thay đổi của bạn chưa được lưu; "
                "nội dung bạn nhập vẫn được giữ lại. Hãy xem phiên bản mới nhất rồi lưu lại."
            )
        )


@dataclass(frozen=True)
class Problem:
    """One broken rule: `field` names the input it concerns ("" for the record as a whole)."""

    message: str
    field: str = ""


@dataclass
class RuleViolations(DomainError):
    """Every broken rule at once, so the user can mend them all in one pass."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(" ".join(p.message for p in self.problems))

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.field or "__all__", []).append(problem.message)
        return grouped
