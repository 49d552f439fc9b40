from django.urls import path

from trongtam.org import views, views_jobs

app_name = "org"

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("can-bo/", views.person_list, name="person-list"),
    path("don-vi/<int:pk>/vi-tri-viec-lam/", views_jobs.job_position_list, name="job-positions"),
    path("don-vi/<int:pk>/vi-tri-viec-lam/them/", views_jobs.job_position_add, name="job-position-add"),
    path("vi-tri-viec-lam/<int:pk>/sua/", views_jobs.job_position_edit, name="job-position-edit"),
    path("can-bo/<int:pk>/vi-tri-viec-lam/", views_jobs.person_job_position, name="person-job-position"),
    path("nhap-du-lieu/", views.import_organization, name="import"),
    path("nhap-du-lieu/mau.xlsx", views.import_template_download, name="import-template"),
]
