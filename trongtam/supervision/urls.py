"""Pages of the supervision app: dialogue sessions and their issues, Council supervisions and recommendations."""

from __future__ import annotations

from django.urls import path

from trongtam.supervision import views

app_name = "supervision"
urlpatterns = [
    path("doi-thoai/", views.dialogue_list, name="dialogue-list"),
    path("doi-thoai/moi/", views.dialogue_new, name="dialogue-new"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue-detail"),
    path("doi-thoai/<int:pk>/sua/", views.dialogue_edit, name="dialogue-edit"),
    path("doi-thoai/<int:pk>/tep/", views.dialogue_upload, name="dialogue-upload"),
    path("doi-thoai/<int:pk>/tep/<int:file_pk>/", views.dialogue_file, name="dialogue-file"),
    path("doi-thoai/<int:pk>/kien-nghi/", views.issue_new, name="issue-new"),
    path("kien-nghi-doi-thoai/", views.issue_list, name="issue-list"),
    path("kien-nghi-doi-thoai/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("kien-nghi-doi-thoai/<int:pk>/thao-tac/<str:action>/", views.issue_act, name="issue-act"),
    path("giam-sat/", views.supervision_list, name="supervision-list"),
    path("giam-sat/moi/", views.supervision_new, name="supervision-new"),
    path("giam-sat/<int:pk>/", views.supervision_detail, name="supervision-detail"),
    path("giam-sat/<int:pk>/sua/", views.supervision_edit, name="supervision-edit"),
    path("giam-sat/<int:pk>/kien-nghi/", views.recommendation_new, name="recommendation-new"),
    path("kien-nghi-giam-sat/", views.recommendation_list, name="recommendation-list"),
    path("kien-nghi-giam-sat/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path(
        "kien-nghi-giam-sat/<int:pk>/thao-tac/<str:action>/",
        views.recommendation_act,
        name="recommendation-act",
    ),
]
