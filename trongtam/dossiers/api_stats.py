"""Dossier statistics: the figures of the statistics page (Thống kê hồ sơ thủ tục hành chính), grouped.

`GET /dossier-statistics?group=unit|procedure|channel|month&from=&to=&unit_group=&unit=&field=&channel=&order=`
answers with the report's rows and total, within the person's scope, under the same permission as the page
(`dossiers.view_statistics`: a citizen gets 403). A unit outside the scope is a 404; an end before the start is a
400 naming the field. Definitions (domain-vn.md §3.4): see `trongtam/dossiers/domain/statistics.py`.
"""

# No `from __future__ import annotations`: ninja reads the schemas' annotations at import time.

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.encoding import force_str
from ninja import Field, Query, Router, Schema

from trongtam.dossiers.domain import statistics
from trongtam.dossiers.domain.queries import units_visible_to
from trongtam.dossiers.domain.statistics import Figures, Grouping, Order, Row
from trongtam.dossiers.views_stats import StatisticsForm
from trongtam.org.interfaces.schemas import ERRORS, ErrorOut, raise_form_errors

router = Router(tags=["dossiers"])


class StatisticsIn(Schema):
    group: Literal["unit", "procedure", "channel", "month"] = "unit"
    from_: dt.date | None = Field(
        None, alias="from", description="Mặc định: ngày 01/01 của năm của ngày `to`."
    )
    to: dt.date | None = Field(None, description="Mặc định và tối đa: hôm nay.")
    unit_group: Literal["", "departments", "communes"] = ""
    unit: int | None = Field(None, description="Mã số (id) đơn vị trong phạm vi được xem.")
    field: str = Field("", description="Lĩnh vực thủ tục.")
    channel: Literal[1, 2, 3] | None = Field(
        None, description="1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích."
    )
    order: Literal["rate", "-rate", "late", "volume", "name"] = "rate"


class FiguresOut(Schema):
    """The report's columns (the provincial systems' names in brackets) and the rates, in percent."""

    total: int = Field(description="TongSo: cần xử lý = tiếp nhận trong kỳ + kỳ trước chuyển qua")
    received: int = Field(description="TongTiepNhan")
    carried_over: int = Field(description="TiepNhanKyTruoc")
    received_online: int = Field(description="TiepNhanQuaMang")
    received_counter: int = Field(description="TiepNhanTrucTiep")
    received_post: int = Field(description="TiepNhanQuaBCCI")
    processed: int = Field(description="TongDaXuLy")
    early: int = Field(description="DaXuLyTruocHan")
    on_time: int = Field(description="DaXuLyDungHan")
    late: int = Field(description="DaXuLyQuaHan")
    open: int = Field(description="TongDangXuLy")
    open_in_time: int = Field(description="DangXuLyTrongHan")
    open_overdue: int = Field(description="DangXuLyQuaHan")
    supplement: int = Field(description="TongBoSung")
    stopped: int = Field(description="TrangThaiDungXuLy")
    awaiting_fees: int = Field(description="TrangThaiYeuCauThucHienNVTC")
    withdrawn: int = Field(description="TongTraLai")
    on_time_rate: float | None = Field(
        description="Tỷ lệ giải quyết đúng hạn (QĐ 766): (trước hạn + đúng hạn + rút) ÷ (đã giải quyết + rút)"
    )
    late_rate: float | None = Field(
        description="Tỷ lệ trễ hạn (Gia Lai): (quá hạn + đang quá hạn) ÷ cần xử lý"
    )
    letters: int = Field(description="Phiếu xin lỗi đã ký ban hành trong kỳ")
    ratings: int
    satisfied: int = Field(description="Đánh giá hài lòng hoặc rất hài lòng")
    mean_satisfaction: float | None = Field(description="Điểm hài lòng bình quân, 1–5")


class RowOut(Schema):
    key: str = Field(description="Mã số đơn vị / thủ tục, mã kênh, hoặc ngày đầu tháng (YYYY-MM-DD)")
    code: str
    label: str
    figures: FiguresOut


class StatisticsOut(Schema):
    group: str
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    rows: list[RowOut]
    total: FiguresOut = Field(description="Tổng các dòng; theo tháng: số liệu cả khoảng thời gian")


def _figures(figures: Figures) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(figures, name) for name in FiguresOut.model_fields}
    for name in ("on_time_rate", "late_rate", "mean_satisfaction"):
        values[name] = None if values[name] is None else float(values[name])
    return values


def _row(row: Row) -> dict[str, Any]:
    key = row.key.isoformat() if isinstance(row.key, dt.date) else str(row.key)
    return {"key": key, "code": row.code, "label": force_str(row.label), "figures": _figures(row.figures)}


@router.get(
    "/dossier-statistics",
    response={200: StatisticsOut, 400: ErrorOut, **ERRORS},
    by_alias=True,
    summary="Thống kê hồ sơ",
)
def get_statistics(request: Any, params: Query[StatisticsIn]) -> dict[str, Any]:
    """The statistics page's table: one row per unit, procedure, channel or month, and the total."""
    user = request.user
    if not user.has_perm("dossiers.view_statistics"):
        raise PermissionDenied
    if params.unit is not None and not units_visible_to(user).filter(pk=params.unit).exists():
        raise Http404
    data = {
        "start": params.from_,
        "end": params.to,
        "unit_group": params.unit_group,
        "unit": params.unit,
        "field": params.field,
        "channel": params.channel,
        "group": params.group,
        "order": params.order,
    }
    form = StatisticsForm(user, {name: "" if value is None else value for name, value in data.items()})
    raise_form_errors(form, rename={"start": "from", "end": "to"})
    filters, grouping, order = form.choices(timezone.localdate())
    units, filters = statistics.resolve_group(units_visible_to(user), filters)
    result = statistics.report(units, filters, grouping)
    rows = result.rows if grouping == Grouping.MONTH else statistics.ordered(result.rows, Order(order))
    return {
        "group": grouping.value,
        "from": result.window.start,
        "to": result.window.end,
        "rows": [_row(row) for row in rows],
        "total": _figures(result.total),
    }
