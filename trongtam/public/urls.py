"""The public site: no log-in."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "public"
urlpatterns: list[URLPattern] = []
