from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Partner, Region, RegionChange, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "partner"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "nuts_code", "country", "nuts_level"]
    list_filter = ["country"]
    search_fields = ["name", "nuts_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "type", "region", "is_lead"]
    list_filter = ["type", "region__country"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    list_select_related = ["region"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "role", "is_consortium_coordinator"]
    list_filter = ["role", "is_consortium_coordinator", "partner"]
    search_fields = ["user__email", "partner__name"]
    autocomplete_fields = ["user", "partner"]
    list_select_related = ["user", "partner"]


@admin.register(RegionChange)
class RegionChangeAdmin(admin.ModelAdmin):
    list_display = ["partner", "from_region", "to_region", "changed_by", "changed_at"]
    list_select_related = ["partner", "from_region", "to_region", "changed_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
