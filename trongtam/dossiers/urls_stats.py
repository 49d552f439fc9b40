"""The dossier statistics pages: the report on screen and its Excel export."""

from __future__ import annotations

from django.urls import URLPattern, path

from trongtam.dossiers import views_stats

urlpatterns: list[URLPattern] = [
    path("thong-ke/", views_stats.statistics_page, name="statistics"),
    path("thong-ke/xuat-excel/", views_stats.statistics_export, name="statistics-export"),
]
