from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Learning events, their participants, and the project's indicators (DESIGN.md §2)."""

    name = "activities"
    verbose_name = _("Activities and impact")
