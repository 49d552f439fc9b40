"""What the league reads, in a fixed number of queries whatever the number of units (no N+1):

1. `signed_rounds()`: every signed round, newest first (the round filter, and the previous periods).
2. `league_sheets(rounds)`: the signed sheets of the chosen round and of the previous periods' rounds, each a
   flat row (unit, its kind, the unit it was merged into, the head's name and title, score, level, facts), the
   facts with the kinds of violation that discipline inspections found in the unit during the round's period (to
   its cut-off), read in one more query for all the rounds: a unit that is found again the next year "does not
   mend" whether or not Home Affairs recorded the fact by hand.
3. `current_settings()`: the settings row (or the defaults, unsaved, when Home Affairs never saved one).

`league_for` turns them into the ranked rows of each group with `domain.league.build_league`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from trongtam.assessment.domain.rounds import COMMUNE_KINDS, GROUP_COMMUNES, GROUP_DEPARTMENTS
from trongtam.assessment.enums import Level, RoundStatus, SheetStatus
from trongtam.assessment.models import Round, ScoreSheet
from trongtam.inspections.domain.queries import held_violations
from trongtam.inspections.enums import violation_code
from trongtam.rankings.domain.league import (
    Entry,
    LeagueSettings,
    Ranked,
    Title,
    TitleRule,
    build_league,
    violations_in,
)
from trongtam.rankings.models import RankingSettings

GROUPS = {
    GROUP_DEPARTMENTS: gettext_lazy("Sở, ban, ngành và tương đương"),
    GROUP_COMMUNES: gettext_lazy("Xã, phường, đặc khu"),
}
SETTINGS_PK = 1
BAND = 5  # points per band of the score histogram


def task_group_of_kind(kind: str) -> str:
    """The assessment's group of similar tasks (`rounds.group_of`): communes, wards and special zones apart."""
    return GROUP_COMMUNES if kind in COMMUNE_KINDS else GROUP_DEPARTMENTS


def league_settings(row: RankingSettings) -> LeagueSettings:
    """The engine's settings from the saved row."""
    return LeagueSettings(
        demotion=row.demotion,
        repeat_periods=row.repeat_periods,
        titles=TitleRule(
            collective_excellent=row.collective_excellent,
            collective_advanced=row.collective_advanced,
            emulation_fighter=row.emulation_fighter,
            advanced_worker=row.advanced_worker,
        ),
    )


def current_settings() -> RankingSettings:
    """The saved settings, or the defaults (not saved: a read never writes)."""
    return RankingSettings.objects.select_related("updated_by").filter(
        pk=SETTINGS_PK
    ).first() or RankingSettings(pk=SETTINGS_PK)


def signed_rounds() -> list[Round]:
    """Every signed round with its period, the newest period first (one query)."""
    return list(
        Round.objects.filter(status=RoundStatus.SIGNED)
        .select_related("period")
        .order_by("-period__year", "-signed_at", "-pk")
    )


def previous_rounds(chosen: Round, rounds: Sequence[Round], count: int) -> list[Round]:
    """The signed round of each of the `count` years before `chosen`'s, consecutive: a year without one stops
    the chain (the latest signed round of a year is that year's result)."""
    by_year: dict[int, Round] = {}
    for rnd in rounds:  # newest signed first: the first of a year wins
        by_year.setdefault(rnd.period.year, rnd)
    found = []
    for back in range(1, count + 1):
        before = by_year.get(chosen.period.year - back)
        if before is None:
            break
        found.append(before)
    return found


@dataclass(frozen=True)
class SheetRow:
    """One signed sheet, flat: what the league shows and ranks. Nothing personal beyond the head's name and
    title is read."""

    round_id: int
    unit_id: int
    unit_name: str
    group: str
    merged_into_id: int | None
    head_name: str
    head_title: str
    score: Decimal | None
    level: str
    facts: tuple[str, ...]

    def entry(self) -> Entry:
        return Entry(
            unit_id=self.unit_id,
            unit_name=self.unit_name,
            score=self.score,
            level=self.level,
            violations=violations_in(self.facts),
            merged_into_id=self.merged_into_id,
        )


def league_sheets(rounds: Iterable[Round]) -> list[SheetRow]:
    """The signed sheets of `rounds` in one query."""
    ids = [r.pk for r in rounds]
    rows = (
        ScoreSheet.objects.filter(round_id__in=ids, status=SheetStatus.SIGNED)
        .values(
            "round_id",
            "unit_id",
            "unit__name",
            "unit__kind",
            "unit__merged_into_id",
            "unit__merged_into__kind",
            "person__full_name",
            "person__username",
            "person__title",
            "total",
            "level",
            "facts",
        )
        .order_by()
    )
    found = _inspection_violations(list(rounds), {row["unit_id"] for row in rows})
    result = []
    for row in rows:
        kind = row["unit__merged_into__kind"] or row["unit__kind"]
        result.append(
            SheetRow(
                round_id=row["round_id"],
                unit_id=row["unit_id"],
                unit_name=row["unit__name"],
                group=task_group_of_kind(kind),
                merged_into_id=row["unit__merged_into_id"],
                head_name=row["person__full_name"] or row["person__username"],
                head_title=row["person__title"],
                score=row["total"],
                level=row["level"],
                facts=tuple(
                    str(f.get("code", "")) if isinstance(f, dict) else str(f) for f in row["facts"] or []
                )
                + tuple(sorted(found.get((row["round_id"], row["unit_id"]), ()))),
            )
        )
    return result


def _inspection_violations(rounds: list[Round], unit_ids: set[int]) -> dict[tuple[int, int], set[str]]:
    """(round, unit) -> the registry codes of the violations that inspections held in the round's period, up to
    its cut-off, found in the unit: one query for every round."""
    if not rounds or not unit_ids:
        return {}
    first = min(r.period.start_date for r in rounds)
    last = max(r.cut_off for r in rounds)
    rows = (
        held_violations(first, last)
        .filter(inspection__unit_id__in=unit_ids)
        .order_by()
        .values_list("inspection__unit_id", "kind", "inspection__conducted_on")
        .distinct()
    )
    found: dict[tuple[int, int], set[str]] = {}
    for unit_id, kind, day in rows:
        for rnd in rounds:
            if day is not None and rnd.period.start_date <= day <= rnd.cut_off:
                found.setdefault((rnd.pk, unit_id), set()).add(violation_code(kind))
    return found


@dataclass(frozen=True)
class LeagueRow:
    ranked: Ranked
    sheet: SheetRow

    @property
    def level_label(self) -> str:
        return str(Level(self.sheet.level).label) if self.sheet.level in Level.values else ""

    @property
    def collective_title_label(self) -> str:
        return str(Title(self.ranked.collective_title).label) if self.ranked.collective_title else ""

    @property
    def head_title_label(self) -> str:
        return str(Title(self.ranked.head_title).label) if self.ranked.head_title else ""

    @property
    def places_moved(self) -> int:
        """How many places it moved against last year, whichever way."""
        return abs(self.ranked.places)


@dataclass(frozen=True)
class GroupLeague:
    key: str
    label: Any
    rows: list[LeagueRow]
    level_counts: list[tuple[str, Any, int]]  # (level, label, count), best first
    bands: list[tuple[str, int]]  # ("90–95", count), highest first


def _bands(scores: Iterable[Decimal | None]) -> list[tuple[str, int]]:
    """The histogram of scores by 5-point bands, [lo, lo + 5) (the top band includes 100), highest first, from
    the lowest band that has a score to the top one."""
    counts: dict[int, int] = {}
    for score in scores:
        if score is None:
            continue
        lo = min(int(score // BAND) * BAND, 100 - BAND)
        counts[lo] = counts.get(lo, 0) + 1
    if not counts:
        return []
    bottom = min(counts)
    return [(f"{lo}–{lo + BAND}", counts.get(lo, 0)) for lo in range(100 - BAND, bottom - 1, -BAND)]


def league_for(
    chosen: Round, rounds: Sequence[Round], settings: LeagueSettings, groups: Sequence[str]
) -> list[GroupLeague]:
    """The league of each group in `groups` for the chosen round: one query for every sheet needed."""
    past_rounds = previous_rounds(chosen, rounds, settings.repeat_periods)
    sheets = league_sheets([chosen, *past_rounds])
    by_round: dict[int, list[SheetRow]] = {}
    for row in sheets:
        by_round.setdefault(row.round_id, []).append(row)
    result = []
    for key in groups:
        current = [s for s in by_round.get(chosen.pk, []) if s.group == key]
        past = [[s.entry() for s in by_round.get(r.pk, []) if s.group == key] for r in past_rounds]
        sheet_of = {s.unit_id: s for s in current}
        ranked = build_league([s.entry() for s in current], past, settings)
        counts = dict.fromkeys(Level.values, 0)
        for s in current:
            if s.level in counts:
                counts[s.level] += 1
        result.append(
            GroupLeague(
                key=key,
                label=GROUPS[key],
                rows=[LeagueRow(r, sheet_of[r.entry.unit_id]) for r in ranked],
                level_counts=[(value, label, counts[value]) for value, label in Level.choices],
                bands=_bands(s.score for s in current),
            )
        )
    return result
