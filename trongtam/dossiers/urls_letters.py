"""The apology-letter pages (Form 04): the register, one letter, drafting by hand, its documents."""

from __future__ import annotations

from django.urls import URLPattern, path

from trongtam.dossiers import views_letters

urlpatterns: list[URLPattern] = [
    path("phieu-xin-loi/", views_letters.letter_list, name="letter-list"),
    path("phieu-xin-loi/xuat-excel/", views_letters.letter_export, name="letter-export"),
    path("phieu-xin-loi/<int:pk>/", views_letters.letter_detail, name="letter-detail"),
    path("phieu-xin-loi/<int:pk>/thao-tac/", views_letters.letter_action, name="letter-action"),
    path("phieu-xin-loi/<int:pk>/pdf/", views_letters.letter_pdf, name="letter-pdf"),
    path("phieu-xin-loi/<int:pk>/word/", views_letters.letter_docx, name="letter-docx"),
    path("<int:pk>/phieu-xin-loi/lap/", views_letters.letter_new, name="letter-new"),
]
