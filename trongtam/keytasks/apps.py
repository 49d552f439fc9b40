from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeytasksConfig(AppConfig):
    name = "trongtam.keytasks"
    label = "keytasks"
    verbose_name = _("Nhiệm vụ trọng tâm")
