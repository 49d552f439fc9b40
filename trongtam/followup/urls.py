from django.urls import path

from trongtam.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.task_list, name="task-list"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/minh-chung/<int:evidence_pk>/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/tien-do/", views.task_progress, name="task-progress"),
    path("<int:pk>/hoan-thanh/", views.task_complete, name="task-complete"),
    path("<int:pk>/gia-han/", views.task_extend, name="task-extend"),
    path("<int:pk>/gia-han/<int:extension_pk>/quyet-dinh/", views.extension_decide, name="extension-decide"),
    path("<int:pk>/thao-tac/<str:action>/", views.task_act, name="task-act"),
    path("<int:pk>/moc/<int:milestone_pk>/", views.milestone_record, name="milestone-record"),
]
