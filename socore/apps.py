from django.apps import AppConfig


class SocoreConfig(AppConfig):
    name = "socore"
    verbose_name = "SOCORE"
