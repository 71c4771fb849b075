from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good practices and policy briefs")

    def ready(self) -> None:
        from partners import personal_data

        from . import signals
        from .personal_data import export_practice_data, forget_contact

        personal_data.register(export=export_practice_data, erase=forget_contact)
        signals.connect(self)
