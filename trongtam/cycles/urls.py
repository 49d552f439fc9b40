from django.urls import path

from trongtam.cycles import views

app_name = "cycles"

urlpatterns = [
    path("", views.period_list, name="period-list"),
    path("them/", views.period_edit, name="period-add"),
    path("<int:pk>/", views.period_detail, name="period-detail"),
    path("<int:pk>/sua/", views.period_edit, name="period-edit"),
    path("<int:pk>/nhiem-vu-chung/them/", views.common_task_edit, name="common-task-add"),
    path("<int:pk>/nhiem-vu-chung/<int:task_pk>/sua/", views.common_task_edit, name="common-task-edit"),
    path("<int:pk>/giao-nhiem-vu/", views.assigned_task_create, name="assigned-task-add"),
]
