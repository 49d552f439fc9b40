from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "trongtam.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị và giám sát")

    def ready(self) -> None:
        from trongtam.feedback import metrics

        metrics.register()
