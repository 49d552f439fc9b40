from django.urls import path

from trongtam.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="directive-list"),
    path("them/", views.directive_add, name="directive-add"),
    path("<int:pk>/", views.directive_detail, name="directive-detail"),
    path("<int:pk>/tep/", views.directive_file, name="directive-file"),
]
