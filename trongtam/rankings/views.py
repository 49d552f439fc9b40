"""Pages of the emulation league (Xếp hạng thi đua): the league tables of a signed round, and their settings.

The league page reads a constant number of queries whatever the number of units (`domain/queries.py`): the
settings, the signed rounds, and every sheet it needs in one query; the ranks, the change against last year, the
demotion and the charts' numbers are computed from those rows by `domain/league.py`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.assessment.enums import Level
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.types import AuthedRequest
from trongtam.rankings.domain import league, queries
from trongtam.rankings.domain.settings import FIELDS, update_settings
from trongtam.rankings.models import LEVEL_OR_NEVER, RankingSettings

ROUND_PARAM = "dot"
GROUP_PARAM = "nhom"
PER_PAGE = 50


def _need(request: AuthedRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def choose_round(rounds: list[Any], requested: str | None) -> Any:
    """The requested signed round, or the latest signed one; a round that is not signed (or unknown) is a 404."""
    if not requested:
        return rounds[0] if rounds else None
    wanted = _int(requested)
    for rnd in rounds:
        if rnd.pk == wanted:
            return rnd
    raise Http404


def _page_url(request: AuthedRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


def chosen_groups(requested: str | None) -> list[str]:
    return [requested] if requested in queries.GROUPS else list(queries.GROUPS)


def title_rules(row: RankingSettings) -> list[tuple[str, str, str]]:
    """(title, least level, basis) of each title, as the settings say now."""
    levels = dict(LEVEL_OR_NEVER)
    return [
        (
            str(league.Title(code).label),
            str(levels.get(getattr(row, name), "")),
            str(league.TITLE_BASIS[code]),
        )
        for code, name in (
            (league.Title.COLLECTIVE_EXCELLENT, "collective_excellent"),
            (league.Title.COLLECTIVE_ADVANCED, "collective_advanced"),
            (league.Title.EMULATION_FIGHTER, "emulation_fighter"),
            (league.Title.ADVANCED_WORKER, "advanced_worker"),
        )
    ]


@login_required
def league_table(request: AuthedRequest) -> HttpResponse:
    """The league of departments and of communes for a signed round (the latest by default)."""
    _need(request, "rankings.view_league")
    row = queries.current_settings()
    settings = queries.league_settings(row)
    rounds = queries.signed_rounds()
    chosen = choose_round(rounds, request.GET.get(ROUND_PARAM))
    group_key = request.GET.get(GROUP_PARAM, "")
    groups = []
    chart: dict[str, Any] = {"groups": []}
    previous = None
    if chosen is not None:
        past = queries.previous_rounds(chosen, rounds, 1)
        previous = past[0] if past else None
        for group in queries.league_for(chosen, rounds, settings, chosen_groups(group_key)):
            page_param = f"trang_{group.key}"
            page_obj = Paginator(group.rows, PER_PAGE).get_page(request.GET.get(page_param))
            groups.append(
                {
                    "group": group,
                    "page_obj": page_obj,
                    "previous_url": _page_url(request, page_param, page_obj.previous_page_number())
                    if page_obj.has_previous()
                    else "",
                    "next_url": _page_url(request, page_param, page_obj.next_page_number())
                    if page_obj.has_next()
                    else "",
                }
            )
            chart["groups"].append(
                {
                    "key": group.key,
                    "label": str(group.label),
                    "levels": {
                        "labels": [str(label) for _v, label, _n in group.level_counts],
                        "data": [n for _v, _l, n in group.level_counts],
                    },
                    "bands": {"labels": [b for b, _n in group.bands], "data": [n for _b, n in group.bands]},
                }
            )
    chart["names"] = {"levels": _("Số đơn vị theo mức"), "bands": _("Số đơn vị theo khoảng điểm")}
    return render(
        request,
        "rankings/league.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "previous": previous,
            "group_key": group_key,
            "group_choices": list(queries.GROUPS.items()),
            "groups": groups,
            "chart": chart,
            "settings_row": row,
            "demotion_label": league.Demotion(row.demotion).label,
            "tie_break": league.TIE_BREAK,
            "title_rules": title_rules(row),
            "violations": sorted(str(v.label) for v in league.VIOLATIONS.values()),
            "can_settings": request.user.has_perm("rankings.change_settings"),
            "round_param": ROUND_PARAM,
            "group_param": GROUP_PARAM,
        },
    )


class SettingsForm(VersionedForm):
    demotion = forms.ChoiceField(
        label=gettext_lazy("Quy tắc hạ thứ hạng khi vi phạm lặp lại"), choices=league.Demotion.choices
    )
    repeat_periods = forms.IntegerField(
        label=gettext_lazy("Số kỳ liên tiếp có cùng vi phạm thì bị đánh dấu"),
        min_value=2,
        max_value=5,
        help_text=gettext_lazy("Từ 2 đến 5; mặc định 2: kỳ này và kỳ liền trước."),
        error_messages={
            "required": gettext_lazy("Cần nhập số kỳ liên tiếp (từ 2 đến 5)."),
            "invalid": gettext_lazy("Số kỳ liên tiếp phải là số nguyên từ 2 đến 5."),
            "min_value": gettext_lazy("Số kỳ liên tiếp phải là số nguyên từ 2 đến 5."),
            "max_value": gettext_lazy("Số kỳ liên tiếp phải là số nguyên từ 2 đến 5."),
        },
    )
    collective_excellent = forms.ChoiceField(
        label=gettext_lazy("Mức tối thiểu để đề nghị «Tập thể lao động xuất sắc»"),
        choices=LEVEL_OR_NEVER,
        required=False,
        help_text=gettext_lazy(
            "Mặc định: Hoàn thành xuất sắc nhiệm vụ (Điều 27 Luật Thi đua, khen thưởng 2022)."
        ),
    )
    collective_advanced = forms.ChoiceField(
        label=gettext_lazy("Mức tối thiểu để đề nghị «Tập thể lao động tiên tiến»"),
        choices=LEVEL_OR_NEVER,
        required=False,
        help_text=gettext_lazy("Mặc định: Hoàn thành tốt nhiệm vụ (Điều 28 Luật Thi đua, khen thưởng 2022)."),
    )
    emulation_fighter = forms.ChoiceField(
        label=gettext_lazy("Mức tối thiểu để đề nghị «Chiến sĩ thi đua cơ sở» cho người đứng đầu"),
        choices=LEVEL_OR_NEVER,
        required=False,
        help_text=gettext_lazy(
            "Mặc định: Hoàn thành xuất sắc nhiệm vụ (Điều 23 Luật Thi đua, khen thưởng 2022; còn cần sáng kiến "
            "được công nhận, do Hội đồng thi đua xem xét)."
        ),
    )
    advanced_worker = forms.ChoiceField(
        label=gettext_lazy("Mức tối thiểu để đề nghị «Lao động tiên tiến» cho người đứng đầu"),
        choices=LEVEL_OR_NEVER,
        required=False,
        help_text=gettext_lazy("Mặc định: Hoàn thành tốt nhiệm vụ (Điều 24 Luật Thi đua, khen thưởng 2022)."),
    )


def _initial(row: RankingSettings) -> dict[str, Any]:
    return {**{name: getattr(row, name) for name in FIELDS}, "version": row.version}


@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    """Home Affairs edits the league's rules: a versioned form; a stale version or bad input writes nothing."""
    _need(request, "rankings.change_settings")
    row = queries.current_settings()

    def page(form: Any, errors: list[str]) -> HttpResponse:
        return render(
            request,
            "rankings/settings.html",
            {"form": form, "page_errors": errors, "settings_row": row, "levels": Level.choices},
        )

    if request.method != "POST":
        return page(SettingsForm(initial=_initial(row)), [])

    def run(data: dict[str, Any]) -> str:
        update_settings(
            {name: data[name] for name in FIELDS}, by=request.user, expected_version=data["version"]
        )
        return _("Đã lưu thiết lập xếp hạng thi đua.")

    return run_action(
        request,
        SettingsForm(request.POST),
        run,
        done_url=reverse("rankings:league"),
        page=page,
        current_version=lambda: queries.current_settings().version,
    )
