from django.urls import path

from trongtam.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/mo/", views.notification_open, name="notification-open"),
    path("thong-bao/da-doc/", views.notifications_mark_all_read, name="notifications-read-all"),
    path("ma-api/", views.api_tokens, name="api-tokens"),
    path("ma-api/<int:pk>/thu-hoi/", views.api_token_revoke, name="api-token-revoke"),
]
