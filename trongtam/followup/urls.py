from django.urls import path

from trongtam.followup import views

app_name = "followup"

urlpatterns = [
    path("<int:pk>/", views.task_detail, name="task-detail"),
]
