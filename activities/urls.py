from django.urls import include, path

app_name = "activities"

urlpatterns = [
    # The journeys below /activities/, each a package of its own, in this namespace.
    path("", include("activities.participants.urls")),
    path("", include("activities.capacity.urls")),
    path("", include("activities.change.urls")),
]
