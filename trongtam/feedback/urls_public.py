"""The public pages of feedback: submission and the tracking page, no log-in."""

from __future__ import annotations

from django.urls import path

from trongtam.feedback import views_public

app_name = "feedback-public"
urlpatterns = [
    path("", views_public.submit, name="submit"),
    path("da-gui/", views_public.submitted, name="submitted"),
    path("theo-doi/", views_public.track, name="track"),
    path("theo-doi/danh-gia/", views_public.verdict, name="verdict"),
    path("da-tra-loi/", views_public.answered, name="answered"),
    path("cua-toi/", views_public.mine, name="mine"),
]
