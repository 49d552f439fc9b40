from django.urls import path

from trongtam.keytasks import views

app_name = "keytasks"

urlpatterns = [
    path("", views.registration_list, name="registration-list"),
    path("cua-toi/", views.my_registration, name="my-registration"),
    path("cho-phe-duyet/", views.review_queue, name="review-queue"),
    path("<int:pk>/", views.registration_detail, name="registration-detail"),
    path("<int:pk>/thao-tac/<str:action>/", views.registration_transition, name="registration-transition"),
    path("<int:pk>/ky-cam-ket/", views.registration_sign, name="registration-sign"),
    path("<int:pk>/nhiem-vu/them/", views.task_edit, name="task-add"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/sua/", views.task_edit, name="task-edit"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/xoa/", views.task_delete, name="task-delete"),
    path("<int:pk>/phien-ban/<int:number>/", views.approved_version, name="approved-version"),
]
