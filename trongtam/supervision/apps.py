from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "trongtam.supervision"
    label = "supervision"
    verbose_name = _("Đối thoại và kiến nghị giám sát")

    def ready(self) -> None:
        from trongtam.supervision import metrics

        metrics.register()
