"""The dossier pages (/ho-so/): the list, the counter entry, a dossier and its actions, the procedure catalog."""

from __future__ import annotations

from django.urls import URLPattern, path

from trongtam.dossiers import views_dossiers as views

urlpatterns: list[URLPattern] = [
    path("", views.dossier_list, name="dossier-list"),
    path("tiep-nhan/", views.dossier_new, name="dossier-new"),
    path("<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("<int:pk>/thao-tac/<str:action>/", views.dossier_act, name="dossier-act"),
    path("thu-tuc/", views.procedure_list, name="procedure-list"),
    path("thu-tuc/them/", views.procedure_new, name="procedure-new"),
    path("thu-tuc/<int:pk>/sua/", views.procedure_edit, name="procedure-edit"),
]
