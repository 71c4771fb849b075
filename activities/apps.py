from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Learning events, their participants, and the project's indicators (DESIGN.md §2)."""

    name = "activities"
    verbose_name = _("Activities and impact")

    def ready(self) -> None:
        # The report pipeline (surveys) writes the progress reports with the writers of
        # activities.impact; surveys never imports activities (DESIGN.md §2).
        from .impact import progress

        progress.register()
