from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
    path("evidence/<slug:indicator>/", views.evidence, name="evidence"),
    path("targets/", views.targets, name="targets"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/new/", views.instrument_new, name="instrument_new"),
    path("instruments/<int:pk>/edit/", views.instrument_edit, name="instrument_edit"),
    path("export/", views.export, name="export"),
    path("public/", views.public, name="public"),
]
