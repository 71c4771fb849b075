"""The activity pages' forms: the list's filters, proposing and editing an activity, and
adding a document to it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, Region
from partners.permissions import roles_of
from practices import uploads
from practices.models import BriefStatus, GoodPractice, PolicyBrief
from practices.models import Status as PracticeStatus
from surveys.i18n import localized as localized_text
from surveys.models import Area, Competence, Framework

from . import access
from .models import PROJECT_END, PROJECT_START, Activity, ActivityDocument, Kind

DESCRIPTION_LIMIT = 10_000
# Documents per activity: an agenda, minutes, a few presentations.
MAX_DOCUMENTS = 10


class FilterForm(forms.Form):
    """The list's filters, read from GET parameters: every filtered list has its own URL."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All regions"),
        to_field_name="pk",
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, activities, **kwargs):
        """`activities`: those the reader may see, whose regions and years are offered."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + list(Kind.choices)
        self.fields["region"].queryset = Region.objects.filter(
            pk__in=activities.values("region_id")
        ).order_by("country", "name")
        # The project's years always, so that a year's address works before it has any.
        years = {day.year for day in activities.dates("starts_on", "year")}
        first, last = (int(day[:4]) for day in (PROJECT_START, PROJECT_END))
        years |= set(range(first, last + 1))
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, str(year)) for year in sorted(years, reverse=True)
        ]

    def apply(self, activities):
        """The activities that pass the valid filters; an invalid one is ignored."""
        if not self.is_bound:
            return activities
        self.is_valid()
        cleaned = self.cleaned_data  # holds only the fields that are valid
        if cleaned.get("kind"):
            activities = activities.filter(kind=cleaned["kind"])
        if cleaned.get("region"):
            activities = activities.filter(region=cleaned["region"])
        if cleaned.get("year"):
            activities = activities.filter(starts_on__year=cleaned["year"])
        return activities


def competence_choices(framework) -> list:
    """The framework's competences grouped by area, in the reader's language."""
    language = get_language()
    areas = Area.objects.filter(framework=framework).prefetch_related("competences")
    return [
        (
            localized_text(area, "name", language),
            [
                (c.pk, f"{c.code} {localized_text(c, 'name', language)}")
                for c in area.competences.all()
            ],
        )
        for area in areas
    ]


class ActivityForm(forms.ModelForm):
    """An activity as its host proposes it; the region is the host partner's."""

    class Meta:
        model = Activity
        fields = [
            "host_partner",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "is_online",
            "description",
            "competences",
            "practices",
            "briefs",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "competences": forms.CheckboxSelectMultiple,
            "practices": forms.CheckboxSelectMultiple,
            "briefs": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "host_partner": _("One of your own organisations; its region confirms the activity."),
            "place": _("The city and venue; leave empty for an online activity."),
            "is_online": _("Tick when the activity takes place online."),
            "competences": _("The soft and social competences the activity addresses."),
            "practices": _("Published good practices, or your organisation's own."),
            "briefs": _("Published policy briefs, or your organisation's own."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partner_ids = roles_of(user).partner_ids
        if self.instance.pk:
            # The host (and so the confirming region) stays what it was proposed with.
            del self.fields["host_partner"]
        else:
            hosts = Partner.objects.filter(pk__in=access.host_partners_of(user)).order_by("name")
            self.fields["host_partner"].queryset = hosts
            self.fields["host_partner"].empty_label = None
        linked = self.instance.pk
        framework = Framework.objects.current()
        competences = self.fields["competences"]
        competences.queryset = Competence.objects.filter(
            Q(area__framework=framework) | (Q(activities=linked) if linked else Q(pk__in=[]))
        ).distinct()
        competences.choices = competence_choices(framework)
        practices = GoodPractice.objects.filter(
            Q(status=PracticeStatus.PUBLISHED)
            | Q(partner_id__in=partner_ids)
            | (Q(activities=linked) if linked else Q(pk__in=[]))
        ).distinct()
        self.fields["practices"].queryset = practices.order_by("title").only("pk", "title")
        briefs = PolicyBrief.objects.filter(
            Q(status=BriefStatus.PUBLISHED)
            | Q(partner_id__in=partner_ids)
            | (Q(activities=linked) if linked else Q(pk__in=[]))
        ).distinct()
        self.fields["briefs"].queryset = briefs.order_by("title").only("pk", "title")
        description = self.fields["description"]
        description.max_length = DESCRIPTION_LIMIT
        description.validators.append(MaxLengthValidator(DESCRIPTION_LIMIT))
        description.widget.attrs["maxlength"] = str(DESCRIPTION_LIMIT)

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        place = (cleaned.get("place") or "").strip()
        if not cleaned.get("is_online") and not place and "place" not in self.errors:
            self.add_error("place", _("Give the place, or tick “online”."))
        return cleaned


class DocumentForm(forms.Form):
    """One file, checked by the good practices' upload rules."""

    kind = forms.ChoiceField(label=_("Document"), choices=ActivityDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # an empty file reaches check_file, whose message names it
        help_text=format_lazy(
            _("At most 10 MB: {allowed}."),
            allowed=uploads.ALLOWED,
        ),
    )

    def __init__(self, *args, existing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean_file(self):
        if self.existing >= MAX_DOCUMENTS:
            raise ValidationError(
                _("An activity can have at most %(max)d documents; remove one first.")
                % {"max": MAX_DOCUMENTS}
            )
        return uploads.check_file(self.cleaned_data["file"])
