"""The events of a followed task: which lifecycle states each leaves from and goes to, and who may cause it.

not started → in progress → awaiting acceptance → done
                  ↑               ↓ (returned)
                  └──────────── redo
Any open state → paused (→ resume), cancelled; not started → refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from trongtam.followup.enums import FollowAction as F
from trongtam.followup.enums import Lifecycle as L  # noqa: N817


@dataclass(frozen=True)
class Event:
    sources: frozenset[str]
    target: str
    perm: str
    needs_comment: bool = False


OPEN = frozenset(L.open)

EVENTS: dict[F, Event] = {
    F.START: Event(frozenset({L.NOT_STARTED, L.REDO}), L.IN_PROGRESS, "followup.report_progress"),
    F.REPORT_COMPLETION: Event(
        frozenset({L.NOT_STARTED, L.IN_PROGRESS, L.REDO}),
        L.AWAITING_ACCEPTANCE,
        "followup.speak_for_lead_unit",
    ),
    F.ACCEPT: Event(frozenset({L.AWAITING_ACCEPTANCE}), L.DONE, "followup.decide"),
    F.RETURN: Event(frozenset({L.AWAITING_ACCEPTANCE}), L.REDO, "followup.decide", needs_comment=True),
    F.PAUSE: Event(OPEN - {L.PAUSED, L.AWAITING_ACCEPTANCE}, L.PAUSED, "followup.decide", needs_comment=True),
    F.RESUME: Event(frozenset({L.PAUSED}), L.IN_PROGRESS, "followup.decide"),
    F.REFUSE: Event(
        frozenset({L.NOT_STARTED}), L.REFUSED, "followup.speak_for_lead_unit", needs_comment=True
    ),
    F.CANCEL: Event(OPEN, L.CANCELLED, "followup.decide", needs_comment=True),
}


def next_lifecycle(lifecycle: str, action: F) -> str | None:
    event = EVENTS[action]
    return event.target if lifecycle in event.sources else None


def available_actions(lifecycle: str) -> list[F]:
    return [action for action, event in EVENTS.items() if lifecycle in event.sources]


# The lifecycle events with a button of their own on the task page and an API action of their own (completion
# and extension have forms and endpoints of their own).
BUTTON_ACTIONS = (F.ACCEPT, F.RETURN, F.PAUSE, F.RESUME, F.REFUSE, F.CANCEL)
