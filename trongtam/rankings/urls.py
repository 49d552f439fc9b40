from django.urls import path

from trongtam.rankings import views

app_name = "rankings"

urlpatterns = [
    path("", views.league_table, name="league"),
    path("thiet-lap/", views.settings_page, name="settings"),
]
