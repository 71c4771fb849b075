from django.urls import path

from ..feeds import NewBriefsFeed
from . import views

app_name = "briefs"
urlpatterns = [
    path("", views.listing, name="list"),
    path("feed/", NewBriefsFeed(), name="feed"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/pdf/", views.brief_pdf, name="pdf"),
    path("<int:pk>/findings/", views.add_finding, name="add_finding"),
    path("<int:pk>/findings/<int:finding_pk>/remove/", views.remove_finding, name="remove_finding"),
    path("<int:pk>/versions/<int:number>/", views.version_diff, name="diff"),
    path("<int:pk>/<slug:action>/", views.transition, name="transition"),
]
