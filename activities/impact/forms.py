"""The forms of /impact/: the period of the figures, the targets, a policy instrument and
the progress-report export."""

import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Region
from partners.permissions import roles_of
from practices.models import PolicyBrief

from ..models import Indicator, IndicatorTarget, PolicyInstrument
from .indicators import PROJECT_END_DATE, PROJECT_START_DATE, Period

# Periods outside these years are refused: nothing was held before the project was
# written, and a period reaching the year 9999 would be thousands of reporting periods.
EARLIEST = datetime.date(2020, 1, 1)
LATEST = datetime.date(2035, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The period the figures cover (default: the project period)."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def _within_bounds(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and %(latest)s."),
                params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )
        return day

    def clean_start(self):
        return self._within_bounds("start")

    def clean_end(self):
        return self._within_bounds("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return cleaned

    @property
    def period(self) -> Period:
        """The chosen period; the project period where a date is left out or refused."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Period(data.get("start") or PROJECT_START_DATE, data.get("end") or PROJECT_END_DATE)


class TargetsForm(forms.Form):
    """One whole number of at least 0 per indicator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(IndicatorTarget.objects.values_list("indicator", "target"))
        for indicator, label in Indicator.choices:
            self.fields[indicator] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=1_000_000,
                initial=current.get(indicator, 0),
                error_messages={"invalid": _("Enter a whole number of 0 or more.")},
            )

    def save(self, *, by) -> None:
        for indicator, _label in Indicator.choices:
            IndicatorTarget.objects.update_or_create(
                indicator=indicator,
                defaults={"target": self.cleaned_data[indicator], "updated_by": by},
            )


def regions_coordinated_by(user):
    """The regions whose policy instruments a user keeps: all for the consortium's."""
    roles = roles_of(user)
    if roles.is_consortium_coordinator:
        return Region.objects.order_by("name")
    return Region.objects.filter(pk__in=roles.coordinated_region_ids).order_by("name")


def briefs_for_evidence(user):
    """Briefs that may be named as evidence: published ones, and the user's partners'."""
    roles = roles_of(user)
    return PolicyBrief.objects.filter(
        Q(status=PolicyBrief.Status.PUBLISHED) | Q(partner_id__in=roles.partner_ids)
    ).order_by("title", "pk")


class PolicyInstrumentForm(forms.ModelForm):
    class Meta:
        model = PolicyInstrument
        fields = [
            "region",
            "name",
            "managing_authority",
            "status",
            "evidence_brief",
            "evidence_link",
            "evidence_date",
            "evidence_note",
        ]
        widgets = {"evidence_date": DateInput(), "evidence_note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "evidence_link": _("A page that shows the change, e.g. the amended call or plan."),
            "evidence_note": _("What changed, or what is being prepared, in a few sentences."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_coordinated_by(user)
        self.fields["region"].error_messages["invalid_choice"] = _(
            "Choose one of the regions you coordinate."
        )
        self.fields["evidence_brief"].queryset = briefs_for_evidence(user)
        self.fields["evidence_note"].max_length = 5000
        self.fields["evidence_note"].widget.attrs["maxlength"] = 5000

    def clean_evidence_date(self):
        day = self.cleaned_data.get("evidence_date")
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and %(latest)s."),
                params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )
        return day

    def clean_evidence_note(self):
        note = self.cleaned_data.get("evidence_note", "")
        if len(note) > 5000:
            raise forms.ValidationError(_("Keep the evidence under 5,000 characters."))
        return note


class ProgressReportForm(PeriodForm):
    """A progress report for a reporting period, of the consortium or of one region."""

    KINDS = [
        ("progress_pdf", _("Progress report (PDF)")),
        ("progress_xlsx", _("Progress report (XLSX)")),
        ("progress_csv", _("Progress report (CSV)")),
    ]

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        to_field_name="slug",
        label=_("Region"),
        empty_label=_("All regions (the consortium)"),
    )
    kind = forms.ChoiceField(label=_("Format"), choices=KINDS, widget=forms.RadioSelect)
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the report"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = regions_coordinated_by(user)
        self.fields["region"].error_messages["invalid_choice"] = _(
            "Choose one of the regions you coordinate."
        )
        if not roles_of(user).is_consortium_coordinator:
            self.fields["region"].required = True
            self.fields["region"].empty_label = None

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if region is None and not roles_of(self.user).is_consortium_coordinator:
            raise forms.ValidationError(_("Choose one of the regions you coordinate."))
        return region
