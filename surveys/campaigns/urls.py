"""/campaigns/: campaign management for coordinators."""

from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/invitations/", views.upload_invitations, name="invitations"),
    path("<int:pk>/reminders/", views.send_reminders, name="reminders"),
    path("<int:pk>/translations/<str:language>/", views.translations, name="translations"),
]
