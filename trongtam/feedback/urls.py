"""Pages of the feedback app (internal): the list of cases in the person's scope and one case."""

from __future__ import annotations

from django.urls import path

from trongtam.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.feedback_list, name="feedback-list"),
    path("<int:pk>/", views.feedback_detail, name="feedback-detail"),
    path("<int:pk>/tep/<int:attachment_pk>/", views.attachment_file, name="attachment-file"),
    path("<int:pk>/thao-tac/<str:action>/", views.feedback_act, name="feedback-act"),
]
