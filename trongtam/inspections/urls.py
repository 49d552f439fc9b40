"""Pages of the inspections app."""

from __future__ import annotations

from django.urls import path

from trongtam.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("moi/", views.inspection_new, name="inspection-new"),
    path("vi-pham/", views.violation_list, name="violation-list"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/sua/", views.inspection_edit, name="inspection-edit"),
    path("<int:pk>/ket-qua/", views.inspection_results, name="inspection-results"),
    path("<int:pk>/vi-pham/", views.violation_add, name="violation-add"),
    path("<int:pk>/ket-thuc/", views.inspection_close, name="inspection-close"),
    path("<int:pk>/vi-pham/<int:violation_pk>/khac-phuc/", views.remedy_report, name="remedy-report"),
    path("<int:pk>/vi-pham/<int:violation_pk>/xac-nhan/", views.remedy_decide, name="remedy-decide"),
    path("<int:pk>/vi-pham/<int:violation_pk>/minh-chung/", views.evidence_file, name="evidence-file"),
]
