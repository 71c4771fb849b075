"""Included by activities/urls.py into the `activities` namespace (no app_name of its own)."""

from django.urls import path

from . import views

urlpatterns = [
    path("follow-up/<str:token>/", views.follow_up, name="follow_up"),
    path("<int:pk>/capacity/", views.activity_results, name="capacity"),
    path("<int:pk>/capacity/send/", views.send_now, name="capacity_send"),
]
