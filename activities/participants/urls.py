"""Included by activities/urls.py into the `activities` namespace (no app_name of its own)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path("<int:pk>/participants/add/", views.add, name="participant_add"),
    path("<int:pk>/participants/import/", views.import_csv, name="participant_import"),
    path("<int:pk>/participants/attendance/", views.attendance, name="participant_attendance"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.remove,
        name="participant_remove",
    ),
]
