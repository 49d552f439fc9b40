"""Dossier statistics: the provincial report columns per unit, procedure, channel and month (domain-vn.md §3.4).

A period is a date range [start, end] judged **as of its end** (never after today: the statistics cannot know the
future). Every date is compared as a date. Over a period, each dossier that was received (not status 1 or 3), on
or before the end, and had not ended before the start, counts exactly once in `TongSo` ("cần xử lý", to be
processed), which is both

- received in the period (`TongTiepNhan`, by channel) + carried over from before it (`TiepNhanKyTruoc`: received
  earlier, still open at the start or ended within the period), and
- where it stands at the end: processed (`TongDaXuLy`: done or returned, ended by the end) -- early (ended before
  the due date), on time (on it, or no due date: "equal = on time") or late (after it); withdrawn (`TongTraLai`);
  stopped (`TrangThaiDungXuLy`); awaiting a supplement (`TongBoSung`: requested by the end); awaiting fees
  (`TrangThaiYeuCauThucHienNVTC`); or still open (`TongDangXuLy`, which includes a dossier that ended, or was sent
  back for a supplement, only after the end) -- in time while its due date is on or after the end (or it has
  none), overdue before.

A dossier that ended (done, returned, withdrawn, stopped) without an end date is taken to have ended the day it
was received, so it is counted once and never carried over; it is on time, as `deadlines.timeliness` judges it.

The two named rates:

- **Tỷ lệ giải quyết đúng hạn** (Decision 766/QĐ-TTg): (early + on time + withdrawn) ÷ (processed + withdrawn),
  the withdrawn counted with on time as the provincial reports do;
- **Tỷ lệ trễ hạn** (Gia Lai's monthly method): (processed late + open overdue) ÷ to be processed; a paused
  dossier (supplement, fees) counts as in time.

Every figure is an aggregate query grouped in the database -- COUNT ... FILTER per column, one query for the
dossiers, one for the apology letters issued (signed) in the period and one for the ratings given in it --
whatever the number of units or dossiers. By month, each row is that month's own report (its carried-over
column is the previous month's open stock): one query counts the dossiers per combination of the months of
their events, and the months' columns are read off these combinations (see `_by_month`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trongtam.dossiers.enums import (
    ENDED_WITHOUT_RESULT,
    FINISHED,
    NOT_RECEIVED,
    OPEN,
    Channel,
    DossierStatus,
    LetterStatus,
    Satisfaction,
)
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating, Procedure
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# Statuses of a dossier that was received, that has ended, and that has not (an open or a paused one).
RECEIVED = frozenset(DossierStatus) - NOT_RECEIVED
ENDED = FINISHED | ENDED_WITHOUT_RESULT
NOT_ENDED = RECEIVED - ENDED
ISSUED_LETTER = (LetterStatus.APPROVED, LetterStatus.SENT)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.VERY_SATISFIED)


class Grouping(StrEnum):
    UNIT = "unit"
    PROCEDURE = "procedure"
    CHANNEL = "channel"
    MONTH = "month"

    @property
    def label(self) -> str | Promise:
        return {
            Grouping.UNIT: _("Theo đơn vị"),
            Grouping.PROCEDURE: _("Theo thủ tục"),
            Grouping.CHANNEL: _("Theo kênh nộp"),
            Grouping.MONTH: _("Theo tháng"),
        }[self]


class UnitGroup(StrEnum):
    """The groups a provincial report lists units in; a unit below another (a division, a public service unit)
    counts with the nearest of itself and its ancestors whose kind decides, as the follow-up report does."""

    ALL = ""
    DEPARTMENTS = "departments"
    COMMUNES = "communes"

    @property
    def label(self) -> str | Promise:
        return {
            UnitGroup.ALL: _("Tất cả đơn vị"),
            UnitGroup.DEPARTMENTS: _("Sở, ban, ngành"),
            UnitGroup.COMMUNES: _("Xã, phường, đặc khu"),
        }[self]


GROUP_OF_KIND: dict[str, UnitGroup] = {
    UnitKind.DEPARTMENT: UnitGroup.DEPARTMENTS,
    UnitKind.SECTOR_AGENCY: UnitGroup.DEPARTMENTS,
    UnitKind.COMMUNE: UnitGroup.COMMUNES,
    UnitKind.WARD: UnitGroup.COMMUNES,
    UnitKind.SPECIAL_ZONE: UnitGroup.COMMUNES,
    UnitKind.PROVINCE: UnitGroup.ALL,
    UnitKind.DISTRICT: UnitGroup.ALL,
}


# -- the figures of one row -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The counted columns of one row; the report's totals and rates derive from them."""

    received_online: int = 0  # TiepNhanQuaMang
    received_counter: int = 0  # TiepNhanTrucTiep
    received_post: int = 0  # TiepNhanQuaBCCI
    carried_over: int = 0  # TiepNhanKyTruoc
    early: int = 0  # DaXuLyTruocHan
    on_time: int = 0  # DaXuLyDungHan
    late: int = 0  # DaXuLyQuaHan
    open_in_time: int = 0  # DangXuLyTrongHan
    open_overdue: int = 0  # DangXuLyQuaHan
    supplement: int = 0  # TongBoSung
    stopped: int = 0  # TrangThaiDungXuLy
    awaiting_fees: int = 0  # TrangThaiYeuCauThucHienNVTC
    withdrawn: int = 0  # TongTraLai
    letters: int = 0  # apology letters issued (signed) in the period
    ratings: int = 0
    satisfied: int = 0  # ratings "satisfied" or "very satisfied"
    rating_points: int = 0  # the sum of the ratings (1-5), for the mean

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Figures)})

    @property
    def received(self) -> int:  # TongTiepNhan
        return self.received_online + self.received_counter + self.received_post

    @property
    def total(self) -> int:  # TongSo: "cần xử lý"
        return self.received + self.carried_over

    @property
    def processed(self) -> int:  # TongDaXuLy
        return self.early + self.on_time + self.late

    @property
    def open(self) -> int:  # TongDangXuLy
        return self.open_in_time + self.open_overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        """Decision 766's "tỷ lệ giải quyết đúng hạn", in percent: (early + on time + withdrawn) ÷ (processed +
        withdrawn); None when nothing was settled."""
        return _percent(self.early + self.on_time + self.withdrawn, self.processed + self.withdrawn)

    @property
    def late_rate(self) -> Decimal | None:
        """Gia Lai's "tỉ lệ trễ hạn", in percent: (processed late + open overdue) ÷ to be processed."""
        return _percent(self.late + self.open_overdue, self.total)

    @property
    def mean_satisfaction(self) -> Decimal | None:
        """The mean rating, 1 (very dissatisfied) to 5 (very satisfied); None without ratings."""
        return None if not self.ratings else (Decimal(self.rating_points) / self.ratings).quantize(CENT)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _percent(self.satisfied, self.ratings)


def _percent(part: int, whole: int) -> Decimal | None:
    return None if not whole else (HUNDRED * part / whole).quantize(CENT)


@dataclass(frozen=True)
class Column:
    """A column of the report: the provincial systems' name, the Vietnamese label, and the `Figures` attribute."""

    code: str
    label: str | Promise
    attribute: str
    is_rate: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("TongSo", _("Tổng số cần xử lý"), "total"),
    Column("TongTiepNhan", _("Tiếp nhận trong kỳ"), "received"),
    Column("TiepNhanKyTruoc", _("Kỳ trước chuyển qua"), "carried_over"),
    Column("TiepNhanQuaMang", _("Tiếp nhận trực tuyến"), "received_online"),
    Column("TiepNhanTrucTiep", _("Tiếp nhận trực tiếp"), "received_counter"),
    Column("TiepNhanQuaBCCI", _("Tiếp nhận qua bưu chính công ích"), "received_post"),
    Column("TongDaXuLy", _("Đã giải quyết"), "processed"),
    Column("DaXuLyTruocHan", _("Giải quyết trước hạn"), "early"),
    Column("DaXuLyDungHan", _("Giải quyết đúng hạn"), "on_time"),
    Column("DaXuLyQuaHan", _("Giải quyết quá hạn"), "late"),
    Column("TongDangXuLy", _("Đang giải quyết"), "open"),
    Column("DangXuLyTrongHan", _("Đang giải quyết trong hạn"), "open_in_time"),
    Column("DangXuLyQuaHan", _("Đang giải quyết quá hạn"), "open_overdue"),
    Column("TongBoSung", _("Chờ bổ sung hồ sơ"), "supplement"),
    Column("TrangThaiDungXuLy", _("Dừng xử lý"), "stopped"),
    Column("TrangThaiYeuCauThucHienNVTC", _("Chờ thực hiện nghĩa vụ tài chính"), "awaiting_fees"),
    Column("TongTraLai", _("Công dân rút hồ sơ"), "withdrawn"),
    Column("TyLeDungHan", _("Tỷ lệ giải quyết đúng hạn (QĐ 766)"), "on_time_rate", is_rate=True),
    Column("TyLeTreHan", _("Tỷ lệ trễ hạn trên số cần xử lý"), "late_rate", is_rate=True),
    Column("PhieuXinLoi", _("Phiếu xin lỗi đã ban hành"), "letters"),
    Column("SoDanhGia", _("Số lượt đánh giá"), "ratings"),
    Column("HaiLongBinhQuan", _("Điểm hài lòng bình quân (1–5)"), "mean_satisfaction", is_rate=True),
)
LABELS: dict[str, str | Promise] = {column.attribute: column.label for column in COLUMNS}


# -- the period and its windows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A date range, both ends included, judged as of `end`."""

    start: dt.date
    end: dt.date


def moments(window: Window) -> tuple[dt.datetime, dt.datetime]:
    """The window as local instants, [first midnight, the midnight after the last day): a timestamp compared
    with these is compared by its local date, and the database may use an index on it."""
    after = window.end + dt.timedelta(days=1)
    return (
        timezone.make_aware(dt.datetime.combine(window.start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(after, dt.time.min)),
    )


def within(field: str, window: Window) -> Q:
    """A timestamp `field` on a local date of the window."""
    first, after = moments(window)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def window_for(start: dt.date | None, end: dt.date | None, today: dt.date) -> Window:
    """The range asked, as the statistics can judge it: never past today (a later end is today), by default from
    the first of January of the end's year to today."""
    last = min(end or today, today)
    return Window(min(start or dt.date(last.year, 1, 1), last), last)


def months(window: Window) -> list[Window]:
    """The calendar months of the window, the first and last cut to it."""
    result = []
    first = window.start
    while first <= window.end:
        last = dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        result.append(Window(first, min(last, window.end)))
        first = last + dt.timedelta(days=1)
    return result


# -- the conditions of each column, in SQL --------------------------------------------------------------------


def counted_in(window: Window) -> Q:
    """Counted in the window: received (not status 1 or 3) by its end, and not ended before its start. Written with
    positive conditions so that the database can use its date and status indexes."""
    return Q(status__in=RECEIVED, received_on__lte=window.end) & (
        Q(received_on__gte=window.start) | Q(status__in=NOT_ENDED) | Q(finished_on__gte=window.start)
    )


def _ended_by(statuses: Iterable[int], end: dt.date) -> Q:
    return Q(status__in=list(statuses)) & (Q(finished_on__lte=end) | Q(finished_on__isnull=True))


def _open_at(end: dt.date) -> Q:
    return (
        Q(status__in=OPEN)
        | Q(status__in=ENDED, finished_on__gt=end)
        | Q(status=DossierStatus.SUPPLEMENT_REQUESTED, supplement_requested_on__gt=end)
    )


def column_conditions(window: Window) -> dict[str, Q]:
    """The condition of each counted column of `window`, for a dossier already in the window."""
    start, end = window.start, window.end
    received = Q(received_on__gte=start, received_on__lte=end)
    processed = _ended_by(FINISHED, end)
    on_due_date = Q(due_date__isnull=True) | Q(finished_on__isnull=True) | Q(finished_on=F("due_date"))
    return {
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_counter": received & Q(channel=Channel.COUNTER),
        "received_post": received & Q(channel=Channel.POST),
        "carried_over": Q(received_on__lt=start),
        "early": processed & Q(finished_on__lt=F("due_date")),
        "on_time": processed & on_due_date,
        "late": processed & Q(finished_on__gt=F("due_date")),
        "open_in_time": _open_at(end) & (Q(due_date__gte=end) | Q(due_date__isnull=True)),
        "open_overdue": _open_at(end) & Q(due_date__lt=end),
        "supplement": Q(status=DossierStatus.SUPPLEMENT_REQUESTED)
        & (Q(supplement_requested_on__lte=end) | Q(supplement_requested_on__isnull=True)),
        "stopped": _ended_by([DossierStatus.STOPPED], end),
        "awaiting_fees": Q(status=DossierStatus.AWAITING_FEES),
        "withdrawn": _ended_by([DossierStatus.WITHDRAWN], end),
    }


def dossier_counts(window: Window) -> dict[str, Count]:
    """COUNT ... FILTER for every counted column of `window`, named `<column>__0` (as `_figures` reads them),
    over dossiers already in the window (`counted_in`)."""
    return {
        f"{name}__0": Count("pk", filter=condition) for name, condition in column_conditions(window).items()
    }


# -- filters and scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the page's form, the export and the API narrow the dossiers by (beside the person's scope)."""

    window: Window
    unit_group: UnitGroup = UnitGroup.ALL
    unit_id: int | None = None
    field: str = ""
    channel: int | None = None


def unit_ids_in_group(group: UnitGroup) -> list[int]:
    """The units of a report group, from one query over the unit tree."""
    tree = {pk: (parent, kind) for pk, parent, kind in Unit.objects.values_list("pk", "parent_id", "kind")}

    def group_of(unit_id: int) -> UnitGroup:
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current in tree and current not in seen:
            seen.add(current)
            parent, kind = tree[current]
            if kind in GROUP_OF_KIND:
                return GROUP_OF_KIND[kind]
            current = parent
        return UnitGroup.ALL

    return [pk for pk in tree if group_of(pk) == group]


def selection(units: QuerySet[Unit], filters: Filters, prefix: str = "") -> Q:
    """The dossiers of `units` that the filters select, at any date (the windows narrow them), as a condition on
    the dossiers (`prefix` "dossier__" for their letters and ratings, so that these join rather than nest)."""
    # Every unit (a province-wide scope): no condition, rather than a join the database would make for nothing.
    condition = Q(**{f"{prefix}unit__in": units}) if units.query.has_filters() else Q()
    if filters.unit_group != UnitGroup.ALL:
        condition &= Q(**{f"{prefix}unit_id__in": unit_ids_in_group(filters.unit_group)})
    if filters.unit_id is not None:
        condition &= Q(**{f"{prefix}unit_id": filters.unit_id})
    if filters.field:
        condition &= Q(**{f"{prefix}procedure__field": filters.field})
    if filters.channel is not None:
        condition &= Q(**{f"{prefix}channel": filters.channel})
    return condition


def resolve_group(units: QuerySet[Unit], filters: Filters) -> tuple[QuerySet[Unit], Filters]:
    """The units narrowed to the filters' unit group, and the filters without it: callers that make several
    reports read the unit tree once."""
    if filters.unit_group == UnitGroup.ALL:
        return units, filters
    return units.filter(pk__in=unit_ids_in_group(filters.unit_group)), replace(
        filters, unit_group=UnitGroup.ALL
    )


# -- the report -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: Any  # the unit's or procedure's id, the channel's code, the month's first day
    code: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    grouping: Grouping
    window: Window
    rows: list[Row]
    total: Figures


# What each grouping groups the dossiers by (the months are windows of one query).
GROUP_KEY: dict[Grouping, str] = {
    Grouping.UNIT: "unit_id",
    Grouping.PROCEDURE: "procedure_id",
    Grouping.CHANNEL: "channel",
}


def report(units: QuerySet[Unit], filters: Filters, grouping: Grouping) -> Report:
    """The report of the dossiers of `units` that `filters` select, over the filters' window, grouped.

    A fixed number of aggregate queries whatever the number of groups or dossiers: the dossiers, the apology
    letters, the ratings, and the groups' names (units, procedures); one more with a unit group, which reads the
    unit tree. The total is the sum of the rows (a dossier is in exactly one unit, procedure and channel); for the
    months it is the whole window's report, since a month's open stock is the next month's carried-over and such
    columns do not add up across months."""
    window = filters.window
    units, filters = resolve_group(units, filters)
    dossiers = Dossier.objects.filter(selection(units, filters)).filter(counted_in(window)).order_by()
    letters = ApologyLetter.objects.filter(selection(units, filters, "dossier__"))
    ratings = DossierRating.objects.filter(selection(units, filters, "dossier__"))
    if grouping == Grouping.MONTH:
        return _by_month(dossiers, letters, ratings, window)

    key = GROUP_KEY[grouping]
    counted = {values[key]: values for values in dossiers.values(key).annotate(**dossier_counts(window))}
    issued = _letters(letters, f"dossier__{key}", [window])
    rated = _ratings(ratings, f"dossier__{key}", [window])
    # A group may have only letters or ratings in the window (a dossier rated after it ended): it is a row too.
    keys = list(dict.fromkeys([*counted, *issued, *rated]))
    names = _names(grouping, keys)
    rows = [
        Row(k, *names[k], _figures(counted.get(k, {}), issued.get(k, {}), rated.get(k, {}), index=0))
        for k in keys
    ]
    return Report(grouping, window, rows, sum((row.figures for row in rows), Figures()))


def _names(grouping: Grouping, keys: list[Any]) -> dict[Any, tuple[str, str]]:
    """The code and name of each group, in one query (none for the channels)."""
    if grouping == Grouping.CHANNEL:
        return {key: (str(key), str(Channel(key).label)) for key in keys}
    model: Any = Unit if grouping == Grouping.UNIT else Procedure
    return {
        pk: (code, name)
        for pk, code, name in model.objects.filter(pk__in=keys).values_list("pk", "code", "name")
    }


def _letters(
    letters: QuerySet[ApologyLetter], key: str | None, windows: Sequence[Window]
) -> dict[Any, dict[str, Any]]:
    """Apology letters signed within each window, per group."""
    span = Window(windows[0].start, windows[-1].end)
    letters = letters.filter(within("approved_at", span), status__in=ISSUED_LETTER).order_by()
    counts = {
        f"letters__{i}": Count("pk", filter=within("approved_at", window)) for i, window in enumerate(windows)
    }
    return _grouped(letters, key, counts)


def _ratings(
    ratings: QuerySet[DossierRating], key: str | None, windows: Sequence[Window]
) -> dict[Any, dict[str, Any]]:
    """Ratings given within each window, per group: how many, how many satisfied, and their sum (for the mean)."""
    span = Window(windows[0].start, windows[-1].end)
    ratings = ratings.filter(within("rated_at", span)).order_by()
    aggregates: dict[str, Any] = {}
    for index, window in enumerate(windows):
        rated = within("rated_at", window)
        aggregates[f"ratings__{index}"] = Count("pk", filter=rated)
        aggregates[f"satisfied__{index}"] = Count("pk", filter=rated & Q(satisfaction__in=SATISFIED))
        aggregates[f"rating_points__{index}"] = Sum("satisfaction", filter=rated)
    return _grouped(ratings, key, aggregates)


def _grouped(qs: QuerySet[Any], key: str | None, aggregates: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    return {values[key]: values for values in qs.values(key).annotate(**aggregates)}


COUNTED = [f.name for f in fields(Figures)]


def _figures(
    values: dict[str, Any], letters: dict[str, Any], ratings: dict[str, Any], *, index: int
) -> Figures:
    found = {**values, **letters, **ratings}
    return Figures(**{name: found.get(f"{name}__{index}") or 0 for name in COUNTED})


# -- the months -----------------------------------------------------------------------------------------------

NEVER = 9999  # a window index past the last: the event does not happen within the range
RECEIVED_BY_CHANNEL = {
    Channel.COUNTER: "received_counter",
    Channel.ONLINE: "received_online",
    Channel.POST: "received_post",
}


def _first_window(
    field: str, windows: Sequence[Window], *, strictly: bool = False, before: int | None = None
) -> list[When]:
    """The branches giving the first window by whose end `field` is reached (`strictly`: before the end);
    `before`, the index for a date before the first window."""
    branches = [When(**{f"{field}__lt": windows[0].start}, then=Value(before))] if before is not None else []
    lookup = "lt" if strictly else "lte"
    branches += [When(**{f"{field}__{lookup}": w.end}, then=Value(i)) for i, w in enumerate(windows)]
    return branches


def _by_month(
    dossiers: QuerySet[Dossier],
    letters: QuerySet[ApologyLetter],
    ratings: QuerySet[DossierRating],
    window: Window,
) -> Report:
    """Each month's own report and the whole window's, from one grouped query over the dossiers.

    Every dossier gets, in SQL, the month it was received in (-1 before the range), the month it ended in, the
    month a supplement was asked for, the first month at whose end it was overdue, and whether it was processed
    early, on time or late; the dossiers are counted per combination of these (a few thousand groups at most,
    whatever their number), and each month's columns are read off the combinations here, with the rules of
    `column_conditions`: the same figures as a report of that month alone."""
    spans = months(window)
    never = Value(NEVER)
    groups = list(
        dossiers.annotate(ended_on=Coalesce("finished_on", "received_on"))
        .values(
            "status",
            "channel",
            received=Case(*_first_window("received_on", spans, before=-1), default=never),
            ended=Case(
                When(status__in=NOT_ENDED, then=never),
                *_first_window("ended_on", spans, before=-1),
                default=never,
            ),
            asked=Case(
                When(
                    status=DossierStatus.SUPPLEMENT_REQUESTED,
                    supplement_requested_on__isnull=True,
                    then=Value(0),
                ),
                *[
                    When(
                        status=DossierStatus.SUPPLEMENT_REQUESTED,
                        supplement_requested_on__lte=w.end,
                        then=Value(i),
                    )
                    for i, w in enumerate(spans)
                ],
                default=never,
            ),
            overdue=Case(*_first_window("due_date", spans, strictly=True), default=never),
            timing=Case(
                When(finished_on__lt=F("due_date"), then=Value(0)),
                When(finished_on__gt=F("due_date"), then=Value(2)),
                default=Value(1),
            ),
        )
        .annotate(count=Count("pk"))
    )
    issued = _letters(letters, None, [*spans, window])[None]
    rated = _ratings(ratings, None, [*spans, window])[None]
    last = len(spans) - 1
    tallies = [_tally(groups, i, i, index=i) for i in range(len(spans))] + [
        _tally(groups, 0, last, index=last + 1)
    ]
    figures = [_figures(tally, issued, rated, index=i) for i, tally in enumerate(tallies)]
    rows = [
        Row(month.start, f"{month.start:%Y-%m}", f"{month.start:%m/%Y}", figures[i])
        for i, month in enumerate(spans)
    ]
    return Report(Grouping.MONTH, window, rows, figures[-1])


def _tally(groups: Iterable[dict[str, Any]], first: int, last: int, *, index: int) -> dict[str, int]:
    """The counted columns of the months `first`..`last` taken as one period, from the grouped combinations,
    named as `_figures` reads them (`<column>__<index>`)."""
    suffix = f"__{index}"
    counts: dict[str, int] = {}

    def add(name: str, number: int) -> None:
        counts[name + suffix] = counts.get(name + suffix, 0) + number

    for group in groups:
        received, number, status = group["received"], group["count"], group["status"]
        ended = max(group["ended"], received)  # an end recorded before the receipt: ended on receipt
        if received > last or ended < first:
            continue
        add(RECEIVED_BY_CHANNEL[group["channel"]] if received >= first else "carried_over", number)
        if ended <= last:
            if status in FINISHED:
                add(("early", "on_time", "late")[group["timing"]], number)
            else:
                add("withdrawn" if status == DossierStatus.WITHDRAWN else "stopped", number)
        elif status == DossierStatus.AWAITING_FEES:
            add("awaiting_fees", number)
        elif group["asked"] <= last:
            add("supplement", number)
        else:
            add("open_overdue" if group["overdue"] <= last else "open_in_time", number)
    return counts


# -- orders ---------------------------------------------------------------------------------------------------


class Order(StrEnum):
    RATE = "rate"  # the lowest on-time rate first
    RATE_DESC = "-rate"
    LATE_RATE = "late"  # the highest late rate first
    VOLUME = "volume"  # the most to process first
    NAME = "name"

    @property
    def label(self) -> str | Promise:
        return {
            Order.RATE: _("Tỷ lệ đúng hạn thấp nhất trước"),
            Order.RATE_DESC: _("Tỷ lệ đúng hạn cao nhất trước"),
            Order.LATE_RATE: _("Tỷ lệ trễ hạn cao nhất trước"),
            Order.VOLUME: _("Nhiều hồ sơ cần xử lý nhất trước"),
            Order.NAME: _("Theo tên"),
        }[self]


def ordered(rows: Iterable[Row], order: Order) -> list[Row]:
    """The rows in the order asked; rows without a rate (nothing settled) last, ties by volume then name."""
    rows = list(rows)
    if order == Order.NAME:
        return sorted(rows, key=lambda r: (r.label, r.code))

    def by(value: Decimal | None, descending: bool) -> tuple[bool, Decimal]:
        if value is None:
            return True, Decimal(0)
        return False, -value if descending else value

    def key(row: Row) -> tuple[Any, ...]:
        f = row.figures
        if order == Order.RATE:
            first = by(f.on_time_rate, descending=False)
        elif order == Order.RATE_DESC:
            first = by(f.on_time_rate, descending=True)
        elif order == Order.LATE_RATE:
            first = by(f.late_rate, descending=True)
        else:
            first = (False, Decimal(-f.total))
        return (*first, -f.total, row.label, row.code)

    return sorted(rows, key=key)
