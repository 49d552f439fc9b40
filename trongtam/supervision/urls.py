"""Pages of the supervision app."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "supervision"
urlpatterns: list[URLPattern] = []
