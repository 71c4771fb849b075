from django.contrib import admin

from .models import Area, Competence, Framework


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["position", "code", "name"]


class CompetenceInline(admin.TabularInline):
    model = Competence
    extra = 0
    fields = ["position", "code", "name", "description"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "created_at"]
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    inlines = [CompetenceInline]
