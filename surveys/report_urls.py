"""/reports/requests/: regional report requests, their progress and their files."""

from django.urls import path

from . import report_views

app_name = "reports"
urlpatterns = [
    path("requests/", report_views.request_list, name="list"),
    path("requests/new/", report_views.new, name="new"),
    path("requests/<int:pk>/", report_views.detail, name="detail"),
    path("requests/<int:pk>/download/", report_views.download, name="download"),
    path("requests/<int:pk>/render-again/", report_views.render_again, name="render_again"),
]
