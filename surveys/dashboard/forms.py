"""Filters of the regional dashboard and the region comparison, read from GET parameters."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .. import analysis
from ..models import Campaign, Survey

SORT_DIRECTIONS = [("asc", _("ascending")), ("desc", _("descending"))]


def group_choices() -> list:
    """One select for a background group: "field:value", grouped by field."""
    choices: list = [("", _("All respondents"))]
    for name, options in analysis.background_options().items():
        label = analysis.Response._meta.get_field(name).verbose_name
        choices.append(
            (str(label).capitalize(), [(f"{name}:{value}", text) for value, text in options])
        )
    return choices


class CampaignChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, campaign: Campaign) -> str:
        return _("%(title)s — %(kind)s, %(opens)s to %(closes)s") % {
            "title": campaign.title,
            "kind": campaign.survey.get_kind_display(),
            "opens": date_format(campaign.opens_at, "SHORT_DATE_FORMAT"),
            "closes": date_format(campaign.closes_at, "SHORT_DATE_FORMAT"),
        }


class DashboardFilterForm(forms.Form):
    """Which of the region's campaigns, which background group, the importance axis of the
    priority views and the table's order.

    Campaigns outside `campaigns` are refused as invalid choices: a number typed into the
    address bar must not bring another region's answers into this region's figures."""

    campaigns = CampaignChoiceField(
        label=_("Campaigns"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "With none ticked, the newest campaign of each kind is analysed. Earlier campaigns "
            "asked other people: tick them to add them together."
        ),
        error_messages={
            "invalid_choice": _("Campaign %(value)s is not one of the campaigns shown here."),
            "invalid_pk_value": _("“%(pk)s” is not a campaign number."),
        },
    )
    group = forms.ChoiceField(
        label=_("Background group"),
        required=False,
        help_text=_("Self-assessment respondents who gave this answer about themselves."),
        error_messages={"invalid_choice": _("“%(value)s” is not one of the groups listed.")},
    )
    axis = forms.ChoiceField(
        label=_("Importance in the priority views"),
        required=False,
        choices=list(analysis.AXES.items()),
        help_text=_(
            "The staff's own importance, or the level employers require of them (with an "
            "employer survey among the campaigns)."
        ),
        error_messages={"invalid_choice": _("“%(value)s” is not one of the choices listed.")},
    )
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    dir = forms.ChoiceField(required=False, choices=SORT_DIRECTIONS, widget=forms.HiddenInput)

    def __init__(self, data, *, campaigns, sort_columns, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["campaigns"].queryset = campaigns
        self.fields["group"].choices = group_choices()
        self.fields["sort"].choices = [(key, key) for key in sort_columns]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("campaigns") or []
        if cleaned.get("axis") == "required" and not any(
            campaign.survey.kind == Survey.Kind.DEMAND for campaign in chosen
        ):
            self.add_error(
                "axis",
                _("The level employers require needs an employer survey among the campaigns."),
            )
        return cleaned

    def importance_axis(self) -> str:
        """The importance axis asked for: the staff's importance unless R is chosen and valid."""
        return self.cleaned_data.get("axis") or "importance"

    @property
    def filter_errors(self) -> bool:
        """Errors in what is analysed (not merely in the order of the table)."""
        return any(name in self.errors for name in ("campaigns", "group"))

    def background(self) -> dict[str, str]:
        value = self.cleaned_data.get("group") or ""
        if not value:
            return {}
        name, _sep, choice = value.partition(":")
        return {name: choice}

    def group_label(self) -> str:
        value = self.cleaned_data.get("group") or ""
        for field_label, options in self.fields["group"].choices[1:]:
            for key, text in options:
                if key == value:
                    return f"{field_label}: {text}"
        return ""


MEASURES = {
    "current": _("Current level (C)"),
    "importance": _("Importance (I)"),
    "required": _("Required by employers (R)"),
    "mwds": _("Weighted gap (MWDS)"),
}


class ComparisonForm(forms.Form):
    """The surveys whose campaigns are compared region by region, and the measure shown."""

    surveys = forms.ModelMultipleChoiceField(
        label=_("Surveys"),
        queryset=Survey.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every campaign of the ticked surveys, in every region, is compared."),
        error_messages={
            "invalid_choice": _("Survey %(value)s is not one of the surveys listed."),
            "invalid_pk_value": _("“%(pk)s” is not a survey number."),
        },
    )
    measure = forms.ChoiceField(
        label=_("Measure"), choices=list(MEASURES.items()), required=False, initial="current"
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["surveys"].queryset = (
            Survey.objects.filter(campaigns__isnull=False).distinct().order_by("-created_at")
        )
