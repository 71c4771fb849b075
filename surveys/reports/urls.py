"""/reports/requests/: regional report requests, their progress and their files."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("requests/", views.request_list, name="list"),
    path("requests/new/", views.new, name="new"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/download/", views.download, name="download"),
    path("requests/<int:pk>/render-again/", views.render_again, name="render_again"),
]
