"""The emulation league over the API: the league table of a signed round and group, and its settings.

Permissions as on the pages (`rankings/rules.py`): the league needs `rankings.view_league` (province-wide roles,
the council, Vice-Chairmen, heads); the settings are read by the same people and written by Home Affairs only.
A write sends the `version` it read: a stale one is a 409 and nothing is written; bad input is a 400 by field.
"""

# No `from __future__ import annotations`: ninja reads the annotations at import time.

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema

from trongtam.assessment.domain.rounds import GROUP_COMMUNES, GROUP_DEPARTMENTS
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS
from trongtam.rankings.domain import league, queries
from trongtam.rankings.domain.settings import FIELDS, update_settings
from trongtam.rankings.models import RankingSettings

router = Router(tags=["rankings"])


def _need(request: Any, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


class LeagueFilter(Schema):
    round: int | None = None  # a signed round's id; the latest signed round when absent
    group: str = GROUP_DEPARTMENTS  # "departments" or "communes"


class PreviousOut(Schema):
    rank: int
    score: Decimal | None
    level: str
    via_unit_id: int


class LeagueRowOut(Schema):
    rank: int
    rank_before_demotion: int
    tied: bool
    unit_id: int
    unit_name: str
    head_name: str
    head_title: str
    score: Decimal | None
    level: str
    level_label: str
    move: str
    previous: PreviousOut | None
    repeated_violations: list[str]
    demotion_reason: str
    proposed_collective_title: str
    proposed_head_title: str


class LeagueOut(Schema):
    round_id: int
    round_name: str
    year: int
    previous_round_id: int | None
    group: str
    group_label: str
    tie_break: str
    demotion_rule: str
    repeat_periods: int
    titles_are_proposals: bool = True
    count: int
    items: list[LeagueRowOut]


class SettingsOut(Schema):
    version: int
    demotion: str
    repeat_periods: int
    collective_excellent: str
    collective_advanced: str
    emulation_fighter: str
    advanced_worker: str


class SettingsIn(Schema):
    version: int
    demotion: str
    repeat_periods: int
    collective_excellent: str = ""
    collective_advanced: str = ""
    emulation_fighter: str = ""
    advanced_worker: str = ""


def _row(line: queries.LeagueRow) -> dict[str, Any]:
    r, s = line.ranked, line.sheet
    previous = r.previous
    return {
        "rank": r.rank,
        "rank_before_demotion": r.rank_before,
        "tied": r.tied,
        "unit_id": s.unit_id,
        "unit_name": s.unit_name,
        "head_name": s.head_name,
        "head_title": s.head_title,
        "score": s.score,
        "level": s.level,
        "level_label": line.level_label,
        "move": r.move,
        "previous": None
        if previous is None
        else {
            "rank": previous.rank,
            "score": previous.score,
            "level": previous.level,
            "via_unit_id": previous.via_unit_id,
        },
        "repeated_violations": sorted(r.repeated),
        "demotion_reason": r.demotion_reason,
        "proposed_collective_title": line.collective_title_label,
        "proposed_head_title": line.head_title_label,
    }


@router.get("/rankings/league", response={200: LeagueOut, **ERRORS}, summary="Bảng xếp hạng thi đua")
def get_league(request: Any, filters: Query[LeagueFilter]) -> dict[str, Any]:
    """The league of one group (`departments` or `communes`) for a signed round (the latest by default): every
    unit with its rank before and after the demotion of repeat violations, the change against last year's signed
    round, and the titles its level allows (proposals for the emulation council, not decisions)."""
    _need(request, "rankings.view_league")
    if filters.group not in (GROUP_DEPARTMENTS, GROUP_COMMUNES):
        raise Http404
    row = queries.current_settings()
    settings = queries.league_settings(row)
    rounds = queries.signed_rounds()
    chosen = next((r for r in rounds if r.pk == filters.round), None) if filters.round else None
    if filters.round is None and rounds:
        chosen = rounds[0]
    if chosen is None:
        raise Http404
    previous = queries.previous_rounds(chosen, rounds, 1)
    (group,) = queries.league_for(chosen, rounds, settings, [filters.group])
    return {
        "round_id": chosen.pk,
        "round_name": chosen.name,
        "year": chosen.period.year,
        "previous_round_id": previous[0].pk if previous else None,
        "group": group.key,
        "group_label": str(group.label),
        "tie_break": str(league.TIE_BREAK),
        "demotion_rule": row.demotion,
        "repeat_periods": row.repeat_periods,
        "count": len(group.rows),
        "items": [_row(line) for line in group.rows],
    }


def _settings_out(row: RankingSettings) -> dict[str, Any]:
    return {"version": row.version, **{name: getattr(row, name) for name in FIELDS}}


@router.get("/rankings/settings", response={200: SettingsOut, **ERRORS}, summary="Thiết lập xếp hạng thi đua")
def get_settings(request: Any) -> dict[str, Any]:
    """The league's rules: the demotion of repeat violations and the least level for each title."""
    _need(request, "rankings.view_league")
    return _settings_out(queries.current_settings())


@router.put(
    "/rankings/settings",
    response={200: SettingsOut, **WRITE_ERRORS},
    summary="Lưu thiết lập xếp hạng thi đua",
)
def put_settings(request: Any, payload: SettingsIn) -> dict[str, Any]:
    """Home Affairs saves the rules (with the `version` it read: 409 when someone saved since)."""
    _need(request, "rankings.change_settings")
    data = payload.dict()
    row = update_settings(
        {name: data[name] for name in FIELDS}, by=request.user, expected_version=payload.version
    )
    return _settings_out(row)
