from django.urls import path

from trongtam.followup import views_overview

app_name = "overview"

urlpatterns = [
    path("", views_overview.overview_page, name="overview"),
    path("xuat-excel/", views_overview.overview_export, name="export"),
]
