"""Forms of campaign management: the campaign itself and the invitation upload."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Region
from partners.permissions import roles_of

from ..models import Campaign, Framework, Survey

# A datetime-local input sends "2026-01-15T09:00", read in the current (the user's) time zone.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "survey",
            "region",
            "opens_at",
            "closes_at",
            "access",
            "privacy_notice",
            "privacy_notice_version",
            "target_responses",
            "reminder_days_before",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "access": forms.RadioSelect,
            "privacy_notice": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "privacy_notice": _("Shown to each respondent, who consents to it before answering."),
            "privacy_notice_version": _("Recorded with each consent, e.g. 2026-01."),
            "reminder_days_before": _(
                "Invitees who have not submitted are reminded once, this many days before "
                "closing. Leave empty for no scheduled reminder."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name().replace("_", " ")
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = INPUT_FORMATS
            self.fields[name].help_text = _("In your time zone, %(zone)s.") % {"zone": zone}
        self.fields["survey"].queryset = Survey.objects.filter(
            framework__status=Framework.Status.PUBLISHED
        ).select_related("framework")
        roles = roles_of(user)
        region = self.fields["region"]
        if roles.is_consortium_coordinator:
            region.queryset = Region.objects.all()
            region.required = False
            region.empty_label = _("Consortium-wide (all regions)")
        else:
            region.queryset = Region.objects.filter(pk__in=roles.coordinated_region_ids)
            region.required = True
            region.empty_label = None
            region.help_text = _("Regions you coordinate.")
        # The questionnaire of a campaign that has responses stays what they answered.
        if self.instance.pk and self.instance.responses.exists():
            self.fields["survey"].disabled = True

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The campaign must close after it opens."))
        return cleaned


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of invitees"),
        help_text=_(
            "One invitee per line: email, and optionally a name. A header row is optional; "
            "commas or semicolons; UTF-8."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
