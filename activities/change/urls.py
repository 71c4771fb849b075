"""Included by activities/urls.py into the `activities` namespace (no app_name of its own)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/change/", views.change, name="change"),
]
