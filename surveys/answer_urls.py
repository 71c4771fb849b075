"""/surveys/: answering a campaign and one's own results."""

from django.urls import path  # noqa: F401

app_name = "answers"
urlpatterns: list = []
