"""/statistics/: public survey results (suppressed), for every visitor."""

from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.index, name="index"),
]
