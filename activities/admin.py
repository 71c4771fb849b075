from django.contrib import admin

from .models import Activity, IndicatorTarget, Participant, PolicyInstrument


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "host_partner", "starts_on", "status", "confirmed_at"]
    list_filter = ["kind", "status", "region"]
    search_fields = ["title"]
    raw_id_fields = ["created_by", "confirmed_by", "practices", "briefs"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["activity", "type", "attended"]
    raw_id_fields = ["activity", "user", "added_by"]


admin.site.register(IndicatorTarget)
admin.site.register(PolicyInstrument)
