"""/surveys/ (continued): a respondent's own results, profile PDF, data export and erasure."""

from django.urls import path

from . import result_views

app_name = "results"
urlpatterns = [
    path("results/", result_views.response_list, name="list"),
    path("results/<int:pk>/", result_views.profile, name="profile"),
    path("results/<int:pk>/pdf/", result_views.profile_pdf, name="pdf"),
    path("my-data.json", result_views.my_data, name="my_data"),
    path("my-data/erase/", result_views.erase, name="erase"),
]
