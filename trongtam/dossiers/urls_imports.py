"""The import pages: the list of past imports, the upload form and one job's progress and result."""

from __future__ import annotations

from django.urls import URLPattern, path

from trongtam.dossiers import views_imports

urlpatterns: list[URLPattern] = [
    path("nhap-tep/", views_imports.import_list, name="import-list"),
    path("nhap-tep/moi/", views_imports.import_new, name="import-new"),
    path("nhap-tep/<int:pk>/", views_imports.import_detail, name="import-detail"),
    path("nhap-tep/<int:pk>/tien-do/", views_imports.import_progress, name="import-progress"),
    path("nhap-tep/mau/<str:name>/", views_imports.import_sample, name="import-sample"),
]
