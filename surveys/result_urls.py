"""/surveys/ (continued): a respondent's own results, profile PDF, data export and erasure."""

from django.urls import path  # noqa: F401

app_name = "results"
urlpatterns: list = []
