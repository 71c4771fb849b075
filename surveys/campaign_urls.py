"""/campaigns/: campaign management for coordinators."""

from django.urls import path  # noqa: F401

app_name = "campaigns"
urlpatterns: list = []
