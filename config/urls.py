from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api import api
from trongtam.core.interfaces.auth import LoginForm
from trongtam.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
    path("to-chuc/", include("trongtam.org.urls")),
    path("ky-cong-tac/", include("trongtam.cycles.urls")),
    path("nhiem-vu-trong-tam/", include("trongtam.keytasks.urls")),
    path("lich-lam-viec/", include("trongtam.workdays.urls")),
    path("van-ban-giao-viec/", include("trongtam.directives.urls")),
    path("theo-doi/", include("trongtam.followup.urls")),
    path("tong-quan/", include("trongtam.followup.urls_overview")),
    path("danh-gia/", include("trongtam.assessment.urls")),
    path("xep-hang/", include("trongtam.rankings.urls")),
    path("ho-so/", include("trongtam.dossiers.urls")),
    path("phan-anh/", include("trongtam.feedback.urls")),
    path("giam-sat-doi-thoai/", include("trongtam.supervision.urls")),
    path("kiem-tra-cong-vu/", include("trongtam.inspections.urls")),
    path("cong-khai/phan-anh/", include("trongtam.feedback.urls_public")),
    path("cong-khai/", include("trongtam.public.urls")),
    path("", include("trongtam.core.urls")),
]
