"""/surveys/: answering a campaign; one's own results are in surveys.results."""

from django.urls import path

from . import views

app_name = "answers"
urlpatterns = [
    path("c/<str:link_token>/", views.open_link, name="open"),
    path("i/<str:token>/", views.invitation_link, name="invitation"),
    path("responses/<int:pk>/<int:page>/", views.page, name="page"),
]
