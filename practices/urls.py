from django.urls import path

from . import views
from .feeds import NewPracticesFeed

app_name = "practices"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("feed/", NewPracticesFeed(), name="feed"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_queue, name="queue"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/pdf/", views.practice_pdf, name="pdf"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_pk>/delete/",
        views.delete_attachment,
        name="delete_attachment",
    ),
    path("<int:pk>/versions/<int:number>/", views.version_diff, name="diff"),
    path("<int:pk>/<slug:action>/", views.transition, name="transition"),
]
