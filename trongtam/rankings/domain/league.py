"""The league table of a signed round (module 11, thi đua): ranks, the change against last year, the lowered rank
of units that repeat a violation, and the emulation titles the levels allow.

Pure functions over dataclasses: no models, no database. `queries.py` loads the rows; the page, the API and the
tests call `build_league`, so every screen ranks the same way.

1. **Order** (`TIE_BREAK`): score, highest first (a sheet without a score last); then the level, best first; then
   the unit's name (without diacritics, case-folded); then the unit's id, so that the order never depends on the
   order the rows came in. Ranks are 1..n with no gaps; rows with the same score and level are marked `tied`
   (their order is the name's).
2. **Repeat violations**: a unit whose head's sheet carries the same violation (a code of `VIOLATIONS`) in this
   period and in each of the `repeat_periods - 1` signed periods before it is *flagged*. The default rule
   (`Demotion.AFTER_SAME_LEVEL`) places a flagged unit after every unit of the same level that is not flagged;
   `AFTER_GROUP` places it after every unit of the group that is not flagged; `NONE` flags without moving. The
   rank before and after the demotion are both kept, with the reason.
3. **Change**: last year's league is ranked the same way (with last year's own history); a unit is compared with
   its own row, or, when it has none and units were merged into it (`Unit.merged_into`), with the best-ranked of
   those units. No row at all: "new".
4. **Titles** (`propose_titles`): proposals for the emulation council, never decisions. Law on Emulation and
   Commendation 2022 (Luật Thi đua, khen thưởng số 06/2022/QH15) and Decree 98/2023/NĐ-CP: "Tập thể lao động xuất
   sắc" needs the collective to complete its tasks excellently (Art. 27), "Tập thể lao động tiên tiến" to
   complete them well (Art. 28), "Chiến sĩ thi đua cơ sở" an individual who completes their tasks excellently and
   has a recognised initiative (Art. 23), "Lao động tiên tiến" one who completes their tasks well (Art. 24). The
   level needed for each title is a setting (`TitleRule`); the other conditions of the law (the share of staff
   with titles, an initiative, no one disciplined) are not in the data and are left to the council.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.enums import Level
from trongtam.core.search import fold
from trongtam.rankings.enums import Demotion, Title

# -- violations: a small registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViolationKind:
    """A violation that counts for "repeats the same violation": its code on a sheet's facts and its name."""

    code: str
    label: Any  # a (lazy) translated string


VIOLATIONS: dict[str, ViolationKind] = {}


def register_violation(code: str, label: Any) -> ViolationKind:
    """Add (or replace) a kind of violation. Issue #5 adds the inspection violations by type here, e.g.
    `register_violation("inspection:budget", "Vi phạm quản lý ngân sách do thanh tra phát hiện")`; the sheet
    then carries the code among its facts."""
    kind = ViolationKind(code, label)
    VIOLATIONS[code] = kind
    return kind


for _fact in (Fact.DISCIPLINED, Fact.DEGRADATION, Fact.UNIT_CORRUPTION, Fact.INSPECTION_VIOLATION):
    register_violation(_fact.value, _fact.label)


def violations_in(facts: Iterable[object]) -> frozenset[str]:
    """The registered violation codes among a sheet's facts ([{"code": …, "reason": …}] or plain codes)."""
    codes = {f.get("code") if isinstance(f, Mapping) else f for f in facts}
    return frozenset(c for c in codes if isinstance(c, str) and c in VIOLATIONS)


def violation_label(code: str) -> str:
    kind = VIOLATIONS.get(code)
    return str(kind.label) if kind else code


# -- settings --------------------------------------------------------------------------------------------------


# The article of the Law on Emulation and Commendation 2022 behind each title.
TITLE_BASIS = {
    Title.COLLECTIVE_EXCELLENT: gettext_lazy("Điều 27 Luật Thi đua, khen thưởng 2022"),
    Title.COLLECTIVE_ADVANCED: gettext_lazy("Điều 28 Luật Thi đua, khen thưởng 2022"),
    Title.EMULATION_FIGHTER: gettext_lazy("Điều 23 Luật Thi đua, khen thưởng 2022"),
    Title.ADVANCED_WORKER: gettext_lazy("Điều 24 Luật Thi đua, khen thưởng 2022"),
}


@dataclass(frozen=True)
class TitleRule:
    """The least level each title needs ("" = never proposed). Defaults: the Law of 2022 and Decree 98/2023."""

    collective_excellent: str = Level.EXCELLENT
    collective_advanced: str = Level.GOOD
    emulation_fighter: str = Level.EXCELLENT
    advanced_worker: str = Level.GOOD


@dataclass(frozen=True)
class LeagueSettings:
    demotion: str = Demotion.AFTER_SAME_LEVEL
    repeat_periods: int = 2  # this period and the one before
    titles: TitleRule = field(default_factory=TitleRule)


TIE_BREAK = gettext_lazy(
    "Tổng điểm từ cao xuống thấp; bằng điểm thì mức xếp loại cao hơn đứng trước; vẫn bằng thì theo tên đơn vị "
    "(A–Z, không phân biệt dấu)."
)


# -- rows ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One unit's result in one signed round: what the ranking reads."""

    unit_id: int
    unit_name: str
    score: Decimal | None
    level: str  # a Level value, or "" when the sheet has none
    violations: frozenset[str] = frozenset()
    merged_into_id: int | None = None  # the unit it was merged into since (for last year's rows)


@dataclass(frozen=True)
class Previous:
    rank: int
    score: Decimal | None
    level: str
    via_unit_id: int  # the unit whose row it is: the same unit, or one merged into it


class Move(models.TextChoices):
    UP = "up", gettext_lazy("Tăng hạng")
    DOWN = "down", gettext_lazy("Giảm hạng")
    SAME = "same", gettext_lazy("Giữ hạng")
    NEW = "new", gettext_lazy("Mới so với kỳ trước")


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int  # after the demotion: the rank shown
    rank_before: int  # by score, level and name alone
    tied: bool = False
    repeated: frozenset[str] = frozenset()  # the violations repeated in consecutive periods
    demotion_reason: str = ""
    previous: Previous | None = None
    move: str = Move.NEW
    collective_title: str = ""
    head_title: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.repeated)

    @property
    def demoted(self) -> bool:
        return self.rank > self.rank_before

    @property
    def places(self) -> int:
        """How many places up (positive) or down (negative) against last year."""
        return self.previous.rank - self.rank if self.previous else 0


def _level_rank(level: str) -> int:
    try:
        return Level(level).rank
    except ValueError:
        return len(Level)  # no level: after every level


def order_key(entry: Entry) -> tuple[int, Decimal, int, str, int]:
    """The stated order: score desc (no score last), level best first, name A–Z without diacritics, then id."""
    missing = entry.score is None
    return (
        1 if missing else 0,
        -(entry.score if entry.score is not None else Decimal(0)),
        _level_rank(entry.level),
        fold(entry.unit_name),
        entry.unit_id,
    )


def base_order(entries: Iterable[Entry]) -> list[Entry]:
    """The entries in the stated order; a unit listed twice is an error."""
    rows = sorted(entries, key=order_key)
    ids = [e.unit_id for e in rows]
    if len(ids) != len(set(ids)):
        raise ValueError("a unit appears twice in one league")
    return rows


def repeated_violations(
    current: Entry, history: Sequence[Mapping[int, frozenset[str]]], repeat_periods: int
) -> frozenset[str]:
    """The violations of `current` found also in each of the `repeat_periods - 1` periods before it.

    `history[0]` is the period just before, `history[1]` the one before that…, each by unit id (a unit merged into
    this one counts as this one: the caller maps them). A missing period breaks the chain."""
    needed = max(repeat_periods, 2) - 1
    repeated = set(current.violations)
    for i in range(needed):
        if i >= len(history):
            return frozenset()
        repeated &= history[i].get(current.unit_id, frozenset())
        if not repeated:
            return frozenset()
    return frozenset(repeated)


def demote(order: Sequence[Entry], flagged: Mapping[int, frozenset[str]], rule: str) -> list[Entry]:
    """The order after the demotion rule; `flagged` maps the unit ids of flagged units to their violations.

    AFTER_SAME_LEVEL: a flagged unit that stands before the last unflagged unit of its level moves to just after
    it (flagged units moved behind the same unit keep their order). AFTER_GROUP: flagged units go after every
    unflagged one, in their order. NONE: unchanged."""
    if rule == Demotion.NONE or not flagged:
        return list(order)
    if rule == Demotion.AFTER_GROUP:
        return [e for e in order if e.unit_id not in flagged] + [e for e in order if e.unit_id in flagged]
    last_clean: dict[str, int] = {}
    for i, e in enumerate(order):
        if e.unit_id not in flagged:
            last_clean[e.level] = i
    moved: dict[int, list[Entry]] = {}
    result_index: list[tuple[int, int, Entry]] = []  # (anchor position, sub-order, entry)
    for i, e in enumerate(order):
        anchor = last_clean.get(e.level, -1)
        if e.unit_id in flagged and anchor > i:
            moved.setdefault(anchor, []).append(e)
        else:
            result_index.append((i, 0, e))
    for anchor, entries in moved.items():
        for j, e in enumerate(entries, start=1):
            result_index.append((anchor, j, e))
    return [e for _pos, _sub, e in sorted(result_index, key=lambda t: (t[0], t[1]))]


def rank(
    entries: Iterable[Entry],
    *,
    history: Sequence[Mapping[int, frozenset[str]]] = (),
    settings: LeagueSettings | None = None,
) -> list[Ranked]:
    """Rank one group's entries: the stated order, then the demotion of repeat violations."""
    settings = settings or LeagueSettings()
    order = base_order(entries)
    before = {e.unit_id: i for i, e in enumerate(order, start=1)}
    flagged = {
        e.unit_id: found for e in order if (found := repeated_violations(e, history, settings.repeat_periods))
    }
    final = demote(order, flagged, settings.demotion)
    ties = set()
    for a, b in itertools.pairwise(order):
        if a.score == b.score and a.level == b.level:
            ties.update({a.unit_id, b.unit_id})
    result = []
    for position, e in enumerate(final, start=1):
        reason = ""
        if e.unit_id in flagged:
            names = ", ".join(violation_label(c) for c in sorted(flagged[e.unit_id]))
            periods = max(settings.repeat_periods, 2)
            if position > before[e.unit_id]:
                reason = _(
                    "Vi phạm lặp lại %(n)s kỳ liên tiếp (%(what)s): hạ từ hạng %(before)s xuống hạng %(after)s "
                    "theo quy tắc «%(rule)s»."
                ) % {
                    "n": periods,
                    "what": names,
                    "before": before[e.unit_id],
                    "after": position,
                    "rule": Demotion(settings.demotion).label,
                }
            else:
                reason = _(
                    "Vi phạm lặp lại %(n)s kỳ liên tiếp (%(what)s); đã đứng sau mọi đơn vị cần xếp trước theo "
                    "quy tắc «%(rule)s», không phải hạ thêm."
                ) % {"n": periods, "what": names, "rule": Demotion(settings.demotion).label}
        result.append(
            Ranked(
                entry=e,
                rank=position,
                rank_before=before[e.unit_id],
                tied=e.unit_id in ties,
                repeated=flagged.get(e.unit_id, frozenset()),
                demotion_reason=reason,
            )
        )
    return result


def previous_ranks(previous: Sequence[Ranked]) -> dict[int, Previous]:
    """Last year's rank of each unit as it exists now: a unit's own row, else the best-ranked row of the units
    merged into it (`merged_into_id`)."""
    own = {r.entry.unit_id: r for r in previous}
    found: dict[int, Previous] = {
        uid: Previous(r.rank, r.entry.score, r.entry.level, uid) for uid, r in own.items()
    }
    for r in sorted(previous, key=lambda r: r.rank):
        successor = r.entry.merged_into_id
        if successor is not None and successor not in own and successor not in found:
            found[successor] = Previous(r.rank, r.entry.score, r.entry.level, r.entry.unit_id)
    return found


def with_change(current: Sequence[Ranked], previous: Mapping[int, Previous]) -> list[Ranked]:
    """Each row with last year's rank and score, and the move: up, down, same or new."""
    result = []
    for r in current:
        before = previous.get(r.entry.unit_id)
        if before is None:
            move = Move.NEW
        elif before.rank > r.rank:
            move = Move.UP
        elif before.rank < r.rank:
            move = Move.DOWN
        else:
            move = Move.SAME
        result.append(replace(r, previous=before, move=move))
    return result


def _reaches(level: str, least: str) -> bool:
    if not least or not level:
        return False
    return _level_rank(level) <= _level_rank(least)


def propose_titles(level: str, rule: TitleRule | None = None) -> tuple[str, str]:
    """(collective title, head's title) the level allows, as Title values ("" when none): the best one only."""
    rule = rule or TitleRule()
    collective = ""
    if _reaches(level, rule.collective_excellent):
        collective = Title.COLLECTIVE_EXCELLENT
    elif _reaches(level, rule.collective_advanced):
        collective = Title.COLLECTIVE_ADVANCED
    head = ""
    if _reaches(level, rule.emulation_fighter):
        head = Title.EMULATION_FIGHTER
    elif _reaches(level, rule.advanced_worker):
        head = Title.ADVANCED_WORKER
    return collective, head


def with_titles(rows: Sequence[Ranked], rule: TitleRule | None = None) -> list[Ranked]:
    result = []
    for r in rows:
        collective, head = propose_titles(r.entry.level, rule)
        result.append(replace(r, collective_title=collective, head_title=head))
    return result


def map_merged(entries: Iterable[Entry]) -> dict[int, frozenset[str]]:
    """A past period's violations by the unit that carries them now (a merged unit's go to its successor)."""
    found: dict[int, set[str]] = {}
    for e in entries:
        found.setdefault(e.unit_id, set()).update(e.violations)
        if e.merged_into_id is not None:
            found.setdefault(e.merged_into_id, set()).update(e.violations)
    return {uid: frozenset(v) for uid, v in found.items()}


def build_league(
    current: Iterable[Entry],
    past: Sequence[Sequence[Entry]] = (),
    settings: LeagueSettings | None = None,
) -> list[Ranked]:
    """The whole league of one group: `past[0]` are last year's entries of the same group, `past[1]` the year
    before…; each past year is ranked with its own history, so last year's rank is the one shown last year."""
    settings = settings or LeagueSettings()
    histories = [map_merged(p) for p in past]
    ranked = rank(current, history=histories, settings=settings)
    if past:
        last_year = rank(past[0], history=histories[1:], settings=settings)
        ranked = with_change(ranked, previous_ranks(last_year))
    return with_titles(ranked, settings.titles)
