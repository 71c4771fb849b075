"""Forms of campaign management: the campaign itself and the invitation upload."""

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from partners.models import Region
from partners.permissions import roles_of

from ..models import Campaign, Framework, Survey

# A datetime-local input sends "2026-01-15T09:00", read in the current (the user's) time zone.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

# The consortium's privacy notice, where a new campaign starts; the catalogue translates it.
DEFAULT_PRIVACY_NOTICE = gettext_noop(
    "The SOCORE partners use your answers to describe, region by region, the soft and social "
    "competences of people who work in research and innovation infrastructure, and to plan "
    "training and regional policy.\n\n"
    "Your answers are kept on the portal of the project's lead partner, the University of "
    "Silesia in Katowice, on behalf of the consortium, until the project ends. No one but you "
    "sees your individual answers: coordinators see only totals of at least five people.\n\n"
    "Answering is voluntary. You can stop at any time, and download or erase your answers "
    "from your results page."
)


def default_notice_translations() -> dict:
    """The catalogue's translations of the default notice, as a campaign's `translations`."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = gettext(DEFAULT_PRIVACY_NOTICE)
        if code != "en" and text != DEFAULT_PRIVACY_NOTICE:
            found[code] = {"privacy_notice": text}
    return found


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
        if not self.instance.pk:
            self.fields["privacy_notice"].initial = DEFAULT_PRIVACY_NOTICE
            self.fields["privacy_notice_version"].initial = timezone.localdate().strftime("%Y-%m")
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

    def save(self, commit=True):
        campaign = super().save(commit=False)
        # Kept as the consortium wrote it: respondents read it in their language at once.
        if " ".join(campaign.privacy_notice.split()) == " ".join(DEFAULT_PRIVACY_NOTICE.split()):
            for code, texts in default_notice_translations().items():
                campaign.translations.setdefault(code, {}).setdefault(
                    "privacy_notice", texts["privacy_notice"]
                )
        if commit:
            campaign.save()
        return campaign


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
