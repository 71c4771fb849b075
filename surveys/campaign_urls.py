"""/campaigns/: campaign management for coordinators."""

from django.urls import path

from . import campaigns

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.create, name="create"),
    path("<int:pk>/", campaigns.detail, name="detail"),
    path("<int:pk>/edit/", campaigns.edit, name="edit"),
    path("<int:pk>/invitations/", campaigns.upload_invitations, name="invitations"),
    path("<int:pk>/reminders/", campaigns.send_reminders, name="reminders"),
]
