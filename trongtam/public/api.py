"""The public API: no log-in (`auth=None` on every operation), throttled per client address with ninja's
anonymous throttle (`interfaces/throttling.py`; the rates are settings), nothing personal in any answer.

- `POST /public/dossier-lookup`: a dossier code and the last four digits of the phone number give what the
  public lookup page shows. A wrong code and a wrong phone give the same 404, with the same words, after the same
  work (`domain/lookup.py`).
- `POST /public/dossier-ratings`: the citizen's satisfaction with a dossier, once, when it is done or returned;
  the code and phone digits again, since the API keeps no session. 201; 404 as the lookup; 409 when the dossier is
  not finished or was rated already.
- `GET /public/scoreboard?year=2026&part=q1`: the public scoreboard (`part`: empty for the whole year, q1…q4 for a
  quarter, t1…t12 for a month), every active unit's figures, ranked with the stated minimum volume.

Past the allowance an operation answers 429 with `Retry-After`.
"""

# No `from __future__ import annotations`: ninja reads the operations' annotations at import time.

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from trongtam.core.errors import Problem, RuleViolations
from trongtam.org.interfaces.schemas import ErrorOut
from trongtam.public.domain import scoreboard
from trongtam.public.domain.lookup import find_dossier, not_found_message, public_view, rating_view
from trongtam.public.domain.rating import rate_dossier
from trongtam.public.interfaces.schemas import (
    DossierOut,
    LookupIn,
    RatingIn,
    RatingOut,
    ScoreboardOut,
)
from trongtam.public.interfaces.throttling import PublicThrottle, api_rate, lookup_rate

router = Router(tags=["public"])

LOOKUP_THROTTLE = PublicThrottle("public-lookup", lookup_rate)
RATING_THROTTLE = PublicThrottle("public-rating", lookup_rate)
SCOREBOARD_THROTTLE = PublicThrottle("public-scoreboard", api_rate)
PUBLIC_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ScoreboardQuery(Schema):
    year: int | None = Field(None, description="Năm; mặc định năm nay.")
    part: str = Field("", pattern=r"^(|q[1-4]|t([1-9]|1[0-2]))$", description="Rỗng, q1…q4 hoặc t1…t12.")


def _found(code: str, phone_last4: str) -> Any:
    dossier = find_dossier(code, phone_last4)
    if dossier is None:
        raise HttpError(404, not_found_message())
    return dossier


@router.post(
    "/dossier-lookup",
    auth=None,
    throttle=[LOOKUP_THROTTLE],
    response={200: DossierOut, **PUBLIC_ERRORS},
    summary="Tra cứu hồ sơ bằng mã hồ sơ và 4 chữ số cuối số điện thoại",
)
def dossier_lookup(request: HttpRequest, payload: LookupIn) -> Any:
    return asdict(public_view(_found(payload.code, payload.phone_last4), timezone.localdate()))


@router.post(
    "/dossier-ratings",
    auth=None,
    throttle=[RATING_THROTTLE],
    response={201: RatingOut, 400: ErrorOut, 409: ErrorOut, **PUBLIC_ERRORS},
    summary="Đánh giá mức độ hài lòng với một hồ sơ (một lần)",
)
def dossier_rating(request: HttpRequest, payload: RatingIn) -> Any:
    dossier = _found(payload.code, payload.phone_last4)
    rating = rate_dossier(dossier.pk, payload.satisfaction, payload.comment)
    return 201, asdict(rating_view(rating))


@router.get(
    "/scoreboard",
    auth=None,
    throttle=[SCOREBOARD_THROTTLE],
    response={200: ScoreboardOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Bảng công khai kết quả của các đơn vị trong một kỳ",
    description=scoreboard.__doc__ or "",
)
def public_scoreboard(request: HttpRequest, query: Query[ScoreboardQuery]) -> Any:
    today = timezone.localdate()
    if query.year is not None and query.year not in scoreboard.year_choices(today):
        raise RuleViolations(
            [
                Problem(
                    _("Năm phải từ %(first)s đến %(last)s.")
                    % {"first": scoreboard.FIRST_YEAR, "last": today.year},
                    "year",
                )
            ]
        )
    board = scoreboard.build(scoreboard.window(query.year, query.part, today), today)
    return {
        "period": {
            "year": board.window.year,
            "part": board.window.part,
            "label": board.window.label,
            "start": board.window.start,
            "end": board.window.end,
        },
        "cut_off": board.cut_off,
        "minimum_settled": board.minimum,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "rows": [
                    {
                        "rank": row.rank,
                        "unit_code": row.code,
                        "unit_name": row.name,
                        "received": row.received,
                        "processed": row.processed,
                        "on_time": row.on_time,
                        "late": row.late,
                        "withdrawn": row.withdrawn,
                        "on_time_rate": row.on_time_rate,
                        "open_overdue": row.open_overdue,
                        "apology_letters": row.letters,
                        "feedback_received": row.feedback_received,
                        "feedback_answered": row.feedback_answered,
                        "feedback_answered_on_time": row.feedback_on_time,
                        "ratings": row.ratings,
                        "satisfied_rate": row.satisfied_rate,
                    }
                    for row in group.rows
                ],
            }
            for group in board.groups
        ],
    }
