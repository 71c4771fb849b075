"""/reports/ (dashboards): a region's results, the consortium-wide campaigns' and the
region-by-region comparison. Report requests and downloads have their own urls module
under the same prefix."""

from django.urls import path

from . import change, views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<slug:slug>/", views.region, name="region"),
    path("consortium/", views.consortium_wide, name="consortium"),
    path("compare/", views.compare, name="compare"),
    path("change/", change.change, name="change"),
]
