"""/reports/ (dashboards): a region's results, the consortium-wide campaigns' and the
region-by-region comparison. Report requests and downloads have their own urls module
under the same prefix."""

from django.urls import path

from . import dashboard

app_name = "dashboard"
urlpatterns = [
    path("", dashboard.index, name="index"),
    path("region/<slug:slug>/", dashboard.region, name="region"),
    path("consortium/", dashboard.consortium_wide, name="consortium"),
    path("compare/", dashboard.compare, name="compare"),
]
