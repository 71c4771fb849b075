from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Region
from surveys.models import Area, Campaign, Competence, Framework, Survey

from ..models import GoodPractice
from ..models.briefs import KEY_MESSAGE_LENGTH, KEY_MESSAGES_MAX, BriefFinding, PolicyBrief

SECTIONS = [
    (_("The brief"), ["title", "audience", "key_messages", "body", "authors"]),
    (_("Language"), ["language", "summary_en"]),
    (_("Regions and evidence"), ["regions", "practices"]),
]

HELP = {
    "title": _("What the brief recommends, in a few words."),
    "audience": _("Who should read it: e.g. regional innovation strategy managers."),
    "body": _(
        "Markdown: blank lines between paragraphs, ## for headings, **bold**, *italic*, "
        "- for lists, [text](https://…) for links. HTML is shown as text. Refer to a cited "
        "finding as [F1], [F2] …"
    ),
    "authors": _("Names as they appear on the brief, separated by commas."),
    "summary_en": _("Needed when the brief is not in English: a few sentences for everyone."),
    "regions": _("Staff of partners in these regions may write the brief with you."),
    "practices": _("Published good practices the brief refers to."),
}


class KeyMessagesField(forms.CharField):
    """A short list typed one message per line; empty lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        messages = [" ".join(line.split()) for line in text.splitlines()]
        messages = [message for message in messages if message]
        if len(messages) > KEY_MESSAGES_MAX:
            raise ValidationError(
                ngettext(
                    "At most %(max)d key message, one per line.",
                    "At most %(max)d key messages, one per line.",
                    KEY_MESSAGES_MAX,
                )
                % {"max": KEY_MESSAGES_MAX}
            )
        too_long = [n for n, message in enumerate(messages, 1) if len(message) > KEY_MESSAGE_LENGTH]
        if too_long:
            raise ValidationError(
                _("Key message %(number)d is longer than %(max)d characters: shorten it.")
                % {"number": too_long[0], "max": KEY_MESSAGE_LENGTH}
            )
        return messages


# The long texts have a limit, told next to the field when passed: a body of a megabyte
# took seconds to show each time the brief was opened.
LONG_TEXT_LIMITS = {"body": 50_000, "summary_en": 10_000}


class BriefForm(forms.ModelForm):
    key_messages = KeyMessagesField(
        label=_("Key messages"),
        required=False,
        help_text=_("Up to five, one per line: what a reader must remember."),
    )

    class Meta:
        model = PolicyBrief
        fields = [name for _section, names in SECTIONS for name in names]
        widgets = {
            "audience": forms.TextInput(),
            "body": forms.Textarea(attrs={"rows": 18}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "regions": forms.CheckboxSelectMultiple,
            "practices": forms.CheckboxSelectMultiple,
        }
        help_texts = HELP

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.order_by("country", "name")
        # Published practices, plus any cited before it was archived.
        published_or_cited = Q(status=GoodPractice.Status.PUBLISHED)
        if self.instance.pk:
            published_or_cited |= Q(cited_by_briefs=self.instance)
        self.fields["practices"].queryset = (
            GoodPractice.objects.filter(published_or_cited).distinct().order_by("title")
        )
        if partner is not None and not self.instance.pk:
            self.initial.setdefault("regions", [partner.region_id])
        for name, limit in LONG_TEXT_LIMITS.items():
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]


class FindingForm(forms.Form):
    """Cite a competence's figures for a region's campaigns: a closed campaign, whose
    figures are public, or one of the brief's own region (its partner's), never another
    region's open one."""

    campaign = forms.ModelChoiceField(
        label=_("Self-assessment campaign"),
        queryset=Campaign.objects.none(),
        help_text=_("The campaign whose respondents' figures the brief cites."),
    )
    demand_campaign = forms.ModelChoiceField(
        label=_("Employer demand campaign (optional)"),
        queryset=Campaign.objects.none(),
        required=False,
        help_text=_("Adds the level employers require and the market gap, for the same region."),
    )
    competence = forms.ChoiceField(label=_("Competence"))

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        citable = Q(closes_at__lte=timezone.now()) | Q(region_id=partner.region_id)
        campaigns = (
            Campaign.objects.filter(citable)
            .select_related("region", "survey")
            .order_by("region__name", "-opens_at")
        )
        self.fields["campaign"].queryset = campaigns.filter(
            survey__kind=Survey.Kind.SELF_ASSESSMENT
        )
        self.fields["demand_campaign"].queryset = campaigns.filter(survey__kind=Survey.Kind.DEMAND)
        framework = Framework.objects.current()
        areas = Area.objects.filter(framework=framework).prefetch_related("competences")
        self.fields["competence"].choices = [("", "—")] + [
            (
                str(area.name),
                [(c.code, f"{c.code} {c.name}") for c in area.competences.all()],
            )
            for area in areas
        ]

    def clean(self):
        cleaned = super().clean()
        campaign, demand = cleaned.get("campaign"), cleaned.get("demand_campaign")
        code = cleaned.get("competence")
        if campaign and demand and demand.region_id != campaign.region_id:
            self.add_error(
                "demand_campaign", _("Choose a demand campaign of the same region, or none.")
            )
        if campaign and code:
            competence = Competence.objects.filter(
                area__framework_id=campaign.survey.framework_id, code=code
            ).first()
            if competence is None:
                self.add_error(
                    "competence", _("This campaign's survey does not ask about this competence.")
                )
            cleaned["competence_object"] = competence
        return cleaned

    def save(self, brief: PolicyBrief) -> BriefFinding:
        cleaned = self.cleaned_data
        last = brief.findings.order_by("-position").values_list("position", flat=True).first()
        return brief.findings.create(
            campaign=cleaned["campaign"],
            demand_campaign=cleaned.get("demand_campaign"),
            region=cleaned["campaign"].region,
            competence=cleaned["competence_object"],
            position=(last or 0) + 1,
        )


class BriefFilterForm(forms.Form):
    """The public listing's filters, in GET parameters."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(policy_briefs__status="published")
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )
    area = forms.ChoiceField(label=_("Competence area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(framework=Framework.objects.current()).order_by("position")
        self.fields["area"].choices = [("", _("All areas"))] + [
            (area.code, area.name) for area in areas
        ]


class BriefCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
