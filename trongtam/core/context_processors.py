"""The navigation every page shows: the links a role may use and the unread-notification count (one query)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    active: bool = False
    badge: int = 0
    children: tuple[NavItem, ...] = ()


# Menus that group several pages: (label, [(label, url name, permission), …]); shown when one child is allowed.
GROUPS = [
    (
        _("Hồ sơ một cửa"),
        [
            (_("Hồ sơ thủ tục hành chính"), "dossiers:dossier-list", "dossiers.view_dossier_list"),
            (_("Tiếp nhận hồ sơ"), "dossiers:dossier-new", "dossiers.enter_dossier"),
            (_("Nhập tệp hồ sơ"), "dossiers:import-list", "dossiers.import_dossiers"),
            (_("Sổ phiếu xin lỗi"), "dossiers:letter-list", "dossiers.view_letter_register"),
            (_("Thống kê hồ sơ"), "dossiers:statistics", "dossiers.view_statistics"),
            (_("Danh mục thủ tục"), "dossiers:procedure-list", "dossiers.view_procedures"),
        ],
    ),
    (
        _("Phản ánh, giám sát"),
        [
            (_("Phản ánh, kiến nghị"), "feedback:feedback-list", "feedback.view_feedback_list"),
            (_("Đối thoại"), "supervision:dialogue-list", "supervision.view_dialogue_list"),
            (
                _("Kiến nghị giám sát của HĐND"),
                "supervision:recommendation-list",
                "supervision.view_recommendation_list",
            ),
            (_("Kiểm tra công vụ"), "inspections:inspection-list", "inspections.view_inspection_list"),
            (_("Vi phạm qua kiểm tra"), "inspections:violation-list", "inspections.view_inspection_list"),
        ],
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    candidates = [
        (_("Trang chủ"), "core:home", None),
        (_("Đăng ký của tôi"), "keytasks:my-registration", "keytasks.start_registration"),
        (_("Chờ phê duyệt"), "keytasks:review-queue", "keytasks.view_review_queue"),
        (_("Đăng ký nhiệm vụ"), "keytasks:registration-list", "org.view_directory"),
        (_("Tổng quan"), "overview:overview", "followup.view_overview"),
        (_("Văn bản giao việc"), "directives:directive-list", "directives.view_directive_list"),
        (_("Theo dõi nhiệm vụ"), "followup:task-list", "followup.view_task_list"),
        (_("Phiếu đánh giá của tôi"), "assessment:my-sheet", "assessment.view_own_sheet"),
        (_("Tự đánh giá của tôi"), "assessment:my-staff-evaluation", "assessment.view_own_staff_evaluation"),
        (_("Đánh giá công chức của đơn vị"), "assessment:my-unit-staff", "assessment.rate_own_unit_staff"),
        (_("Kết quả đánh giá công chức"), "assessment:staff-results", "assessment.view_staff_results"),
        (_("Đánh giá, xếp loại"), "assessment:round-list", "assessment.view_round"),
        (_("Xếp hạng thi đua"), "rankings:league", "rankings.view_league"),
        (_("Kỳ công tác"), "cycles:period-list", "cycles.view_period"),
        (_("Lịch làm việc"), "workdays:year", "workdays.view_calendar"),
        (_("Tổ chức"), "org:unit-list", "org.view_directory"),
        (_("Nhập dữ liệu"), "org:import", "org.import_organization"),
    ]
    path = request.path
    shown = [
        (label, reverse(name)) for label, name, perm in candidates if perm is None or user.has_perm(perm)
    ]
    groups = [
        (label, [(child, reverse(name)) for child, name, perm in children if user.has_perm(perm)])
        for label, children in GROUPS
    ]
    urls = [url for _label, url in shown] + [url for _label, links in groups for _child, url in links]
    # The longest matching link is the active one: /to-chuc/nhap-du-lieu/ is "Nhập dữ liệu", not "Tổ chức".
    matching = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    current = max(matching, key=len, default=None)
    items = [NavItem(label, url, url == current) for label, url in shown]
    for label, links in groups:
        if links:
            children = tuple(NavItem(child, url, url == current) for child, url in links)
            items.append(NavItem(label, links[0][1], any(c.active for c in children), children=children))
    from trongtam.core.models import Notification

    unread = Notification.objects.filter(recipient=user, read_at=None).count()
    return {"nav_items": items, "unread_notifications": unread}
