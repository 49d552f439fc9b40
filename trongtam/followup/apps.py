from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "trongtam.followup"
    label = "followup"
    verbose_name = _("Theo dõi, đôn đốc nhiệm vụ")

    def ready(self) -> None:
        from trongtam.followup import metrics

        metrics.register()
