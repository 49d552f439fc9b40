from django.urls import path

from trongtam.org import views

app_name = "org"

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("can-bo/", views.person_list, name="person-list"),
    path("nhap-du-lieu/", views.import_organization, name="import"),
    path("nhap-du-lieu/mau.xlsx", views.import_template_download, name="import-template"),
]
