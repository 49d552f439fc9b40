from django.urls import path

from trongtam.assessment import views_rounds, views_sheets

app_name = "assessment"

urlpatterns = [
    # Rounds, rubrics and the classification (views_rounds.py)
    path("", views_rounds.round_list, name="round-list"),
    path("mo-dot/", views_rounds.round_open, name="round-open"),
    path("dot/<int:pk>/", views_rounds.round_detail, name="round-detail"),
    path("dot/<int:pk>/xep-loai/", views_rounds.round_preview, name="round-preview"),
    path("dot/<int:pk>/phe-duyet/", views_rounds.round_sign, name="round-sign"),
    path("bo-tieu-chi/", views_rounds.rubric_list, name="rubric-list"),
    path("bo-tieu-chi/nhap/", views_rounds.rubric_import, name="rubric-import"),
    path("bo-tieu-chi/<int:pk>/", views_rounds.rubric_detail, name="rubric-detail"),
    path("bo-tieu-chi/<int:pk>/tai-ve/", views_rounds.rubric_download, name="rubric-download"),
    # Score sheets (views_sheets.py)
    path("phieu-cua-toi/", views_sheets.my_sheet, name="my-sheet"),
    path("phieu/<int:pk>/", views_sheets.sheet_detail, name="sheet-detail"),
    path("phieu/<int:pk>/diem/<str:code>/", views_sheets.sheet_points, name="sheet-points"),
    path("phieu/<int:pk>/thao-tac/<str:action>/", views_sheets.sheet_act, name="sheet-act"),
    path("phieu/<int:pk>/tinh-lai/", views_sheets.sheet_recompute, name="sheet-recompute"),
    path("phieu/<int:pk>/tinh-tiet/", views_sheets.sheet_facts, name="sheet-facts"),
    path("phieu/<int:pk>/kien-nghi/", views_sheets.sheet_appeal, name="sheet-appeal"),
    path("kien-nghi/<int:pk>/giai-quyet/", views_sheets.appeal_decide, name="appeal-decide"),
]
