"""Included by activities/urls.py into the `activities` namespace (no app_name of its own)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
