from django.contrib import admin

from .models import (
    Attachment,
    BriefFinding,
    BriefStep,
    GoodPractice,
    PolicyBrief,
    PracticeVersion,
    ReviewStep,
    TargetGroup,
    Theme,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReviewStepInline(ReadOnlyInline):
    model = ReviewStep
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(GoodPractice)
class GoodPracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "region", "status", "updated_at"]
    list_filter = ["status", "region__country", "partner"]
    search_fields = ["title", "summary"]
    list_select_related = ["partner", "region"]
    # The workflow state changes only through the portal's transitions.
    readonly_fields = ["status", "submitted_at", "published_at", "version", "created_by"]
    filter_horizontal = ["competences", "themes", "target_groups"]
    inlines = [ReviewStepInline, AttachmentInline]


@admin.register(PracticeVersion)
class PracticeVersionAdmin(admin.ModelAdmin):
    list_display = ["practice", "number", "saved_by", "saved_at"]
    readonly_fields = ["practice", "number", "content", "saved_by", "saved_at"]


admin.site.register(Theme, list_display=["name", "slug"])
admin.site.register(TargetGroup, list_display=["name", "slug"])


class BriefStepInline(ReadOnlyInline):
    model = BriefStep
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields


class BriefFindingInline(admin.TabularInline):
    model = BriefFinding
    extra = 0
    raw_id_fields = ["campaign", "demand_campaign", "competence"]


@admin.register(PolicyBrief)
class PolicyBriefAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "submitted_at", "published_at", "version"]
    filter_horizontal = ["regions", "practices"]
    inlines = [BriefFindingInline, BriefStepInline]
