from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "trongtam.cycles"
    label = "cycles"
    verbose_name = _("Chu kỳ công tác năm")
