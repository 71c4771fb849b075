"""/statistics/: public survey results (suppressed), for every visitor."""

from django.urls import path

from . import statistics

app_name = "statistics"
urlpatterns = [
    path("", statistics.index, name="index"),
]
