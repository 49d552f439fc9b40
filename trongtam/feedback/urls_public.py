"""The public pages of feedback: submission and the tracking page, no log-in."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "feedback-public"
urlpatterns: list[URLPattern] = []
