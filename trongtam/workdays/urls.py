from django.urls import path

from trongtam.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_view, name="year"),
    path("<int:year>/", views.year_view, name="year-detail"),
    path("them/", views.exception_add, name="exception-add"),
    path("<int:pk>/xoa/", views.exception_delete, name="exception-delete"),
]
