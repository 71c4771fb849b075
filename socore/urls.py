from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from partners import views as partner_views

from . import views

# The admin signs in through allauth, so two-factor authentication applies there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", partner_views.set_language, name="set_language"),
    path("partners/", include("partners.urls")),
    path("practices/", include("practices.urls")),
    path("briefs/", include("practices.briefs.urls")),
    path("framework/", include("surveys.framework.urls")),
    path("campaigns/", include("surveys.campaigns.urls")),
    path("surveys/", include("surveys.answering.urls")),
    path("surveys/", include("surveys.results.urls")),
    path("reports/", include("surveys.dashboard.urls")),
    path("statistics/", include("surveys.statistics.urls")),
    path("reports/", include("surveys.reports.urls")),
    path("activities/", include("activities.urls")),
    path("impact/", include("activities.impact.urls")),
    path("accounts/profile/", partner_views.profile, name="profile"),
    path("accounts/delete/", partner_views.delete_account, name="delete_account"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "socore.views.error_403"
handler404 = "socore.views.error_404"
