"""/surveys/: answering a campaign and one's own results."""

from django.urls import path

from . import answering

app_name = "answers"
urlpatterns = [
    path("c/<str:link_token>/", answering.open_link, name="open"),
    path("i/<str:token>/", answering.invitation_link, name="invitation"),
    path("responses/<int:pk>/<int:page>/", answering.page, name="page"),
]
