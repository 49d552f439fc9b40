from django.urls import path

from trongtam.assessment import views_classification, views_exports, views_rounds, views_sheets, views_staff

app_name = "assessment"

urlpatterns = [
    # Rounds, rubrics and the classification (views_rounds.py)
    path("", views_rounds.round_list, name="round-list"),
    path("mo-dot/", views_rounds.round_open, name="round-open"),
    path("dot/<int:pk>/", views_rounds.round_detail, name="round-detail"),
    path("dot/<int:pk>/tien-do/", views_rounds.round_progress, name="round-progress"),
    path("dot/<int:pk>/xep-loai/", views_rounds.round_preview, name="round-preview"),
    path("dot/<int:pk>/phe-duyet/", views_rounds.round_sign, name="round-sign"),
    path("dot/<int:pk>/thiet-lap/", views_classification.classification_settings, name="round-settings"),
    path("dot/<int:pk>/ngoai-le/", views_classification.exception_add, name="round-exception-add"),
    path(
        "dot/<int:pk>/ngoai-le/<int:exception_pk>/bo/",
        views_classification.exception_remove,
        name="round-exception-remove",
    ),
    path("bo-tieu-chi/", views_rounds.rubric_list, name="rubric-list"),
    path("bo-tieu-chi/nhap/", views_rounds.rubric_import, name="rubric-import"),
    path("bo-tieu-chi/<int:pk>/", views_rounds.rubric_detail, name="rubric-detail"),
    path("bo-tieu-chi/<int:pk>/tai-ve/", views_rounds.rubric_download, name="rubric-download"),
    # Score sheets (views_sheets.py)
    path("phieu-cua-toi/", views_sheets.my_sheet, name="my-sheet"),
    path("phieu/<int:pk>/", views_sheets.sheet_detail, name="sheet-detail"),
    path("phieu/<int:pk>/diem/<str:code>/", views_sheets.sheet_points, name="sheet-points"),
    path("phieu/<int:pk>/minh-chung/<str:code>/", views_sheets.sheet_evidence, name="sheet-evidence"),
    path("phieu/<int:pk>/thao-tac/<str:action>/", views_sheets.sheet_act, name="sheet-act"),
    path("phieu/<int:pk>/tinh-lai/", views_sheets.sheet_recompute, name="sheet-recompute"),
    path("phieu/<int:pk>/tinh-tiet/", views_sheets.sheet_facts, name="sheet-facts"),
    path("phieu/<int:pk>/kien-nghi/", views_sheets.sheet_appeal, name="sheet-appeal"),
    path("kien-nghi/<int:pk>/giai-quyet/", views_sheets.appeal_decide, name="appeal-decide"),
    # Exports (views_exports.py)
    path("dot/<int:pk>/xuat-excel/", views_exports.round_export_xlsx, name="round-export-xlsx"),
    path("dot/<int:pk>/xuat-word/", views_exports.round_export_docx, name="round-export-docx"),
    path("phieu/<int:pk>/pdf/", views_exports.sheet_export_pdf, name="sheet-export-pdf"),
    # Staff evaluation (views_staff.py)
    path("tu-danh-gia/", views_staff.my_evaluation, name="my-staff-evaluation"),
    path("cong-chuc-don-vi/", views_staff.my_unit, name="my-unit-staff"),
    path("cong-chuc/", views_staff.staff_results, name="staff-results"),
    path("cong-chuc/<int:pk>/", views_staff.evaluation_detail, name="staff-detail"),
    path("cong-chuc/<int:pk>/tu-danh-gia/", views_staff.evaluation_self, name="staff-self"),
    path("cong-chuc/<int:pk>/gui/", views_staff.evaluation_submit, name="staff-submit"),
    path("cong-chuc/<int:pk>/danh-gia/", views_staff.evaluation_rate, name="staff-rate"),
    path("cong-chuc/<int:pk>/tra-lai/", views_staff.evaluation_return, name="staff-return"),
    path("ke-hoach-ca-nhan/<int:person_pk>/", views_staff.work_plan, name="staff-plan"),
    path("don-vi/<int:unit_pk>/cong-chuc/", views_staff.unit_staff, name="staff-unit"),
    path("don-vi/<int:unit_pk>/cong-chuc/bat-dau/", views_staff.unit_start, name="staff-unit-start"),
    path("don-vi/<int:unit_pk>/cong-chuc/xep-loai/", views_staff.unit_finalize, name="staff-unit-finalize"),
]
