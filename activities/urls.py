from django.urls import include, path

from . import feeds, views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.create, name="create"),
    path("calendar.ics", feeds.calendar, name="calendar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/held/", views.mark_held, name="mark_held"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/documents/", views.upload_document, name="upload_document"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        views.delete_document,
        name="delete_document",
    ),
    # The journeys below /activities/, each a package of its own, in this namespace.
    path("", include("activities.participants.urls")),
    path("", include("activities.capacity.urls")),
    path("", include("activities.change.urls")),
]
