"""/surveys/results/ and /surveys/my-data: a respondent's own results, profile PDF, data
export and erasure."""

from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("results/", views.response_list, name="list"),
    path("results/<int:pk>/", views.profile, name="profile"),
    path("results/<int:pk>/pdf/", views.profile_pdf, name="pdf"),
    path("my-data.json", views.my_data, name="my_data"),
    path("my-data/erase/", views.erase, name="erase"),
]
