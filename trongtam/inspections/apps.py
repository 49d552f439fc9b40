from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "trongtam.inspections"
    label = "inspections"
    verbose_name = _("Kiểm tra công vụ")

    def ready(self) -> None:
        from trongtam.inspections import metrics

        metrics.register()
