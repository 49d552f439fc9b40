"""The public site: no log-in."""

from __future__ import annotations

from django.urls import path

from trongtam.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("ho-so/", views.dossier, name="dossier"),
    path("ho-so/danh-gia/", views.rate, name="rate"),
    path("bang-xep-hang/", views.scoreboard_page, name="scoreboard"),
    path("bang-xep-hang/tai-ve/", views.scoreboard_export, name="scoreboard-export"),
]
