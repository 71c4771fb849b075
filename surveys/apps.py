from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Competence surveys")

    def ready(self) -> None:
        from partners import personal_data

        from .results.personal_data import erase_user_data, export_survey_data

        personal_data.register(export=export_survey_data, erase=erase_user_data)
