"""/surveys/: answering a campaign; one's own results are in surveys.results."""

from django.urls import path

from . import views

app_name = "answers"
urlpatterns = [
    path("c/<str:link_token>/", views.open_link, name="open"),
    path("i/<str:token>/", views.invitation_link, name="invitation"),
    # Pages are numbered from 1, as the page says ("Page 1 of 7" is "About you").
    path("responses/<int:pk>/pages/<int:number>/", views.page, name="page"),
    path("responses/<int:pk>/<int:page>/", views.page_counted_from_0, name="page_from_0"),
]
