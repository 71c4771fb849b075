from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.framework, name="framework"),
    path("<int:version>/export.json", views.export_json, name="export"),
    path("manage/", views.manage, name="manage"),
    path("manage/import/", views.import_json, name="import"),
    path("manage/<int:version>/", views.manage_version, name="manage_version"),
    path("manage/<int:version>/new-version/", views.new_version, name="new_version"),
    path("manage/<int:version>/publish/", views.publish, name="publish"),
    path(
        "manage/<int:version>/translations/<str:language>/",
        views.translations,
        name="translations",
    ),
    path(
        "manage/<int:version>/translations/<str:language>.po",
        views.translations_file,
        name="translations_file",
    ),
    path("manage/areas/<int:pk>/", views.manage_area, name="manage_area"),
    path("manage/competences/<int:pk>/levels/", views.manage_levels, name="manage_levels"),
]
