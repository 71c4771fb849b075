"""The form a coordinator fills in to ask for a regional report (or an export)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partners.models import Region
from partners.permissions import roles_of

from .. import analysis
from ..campaigns.views import campaigns_for
from ..models import Campaign, Response
from ..models.reports import ANSWERS_KINDS, ReportRequest
from . import exports


class CampaignChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, campaign: Campaign) -> str:
        return f"{campaign.region.name} · {campaign.title} ({campaign.survey.get_kind_display()})"


def regions_for(user):
    """The regions a user may ask reports for: their own, all for the consortium."""
    roles = roles_of(user)
    if roles.is_consortium_coordinator:
        return Region.objects.all()
    return Region.objects.filter(pk__in=roles.coordinated_region_ids)


class ReportRequestForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), to_field_name="slug", label=_("Region")
    )
    campaigns = CampaignChoiceField(
        queryset=Campaign.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Campaigns"),
        help_text=_(
            "Self-assessment and employer campaigns of the chosen region, analysed together."
        ),
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the report"))
    kind = forms.ChoiceField(
        label=_("What to make"),
        widget=forms.RadioSelect,
        help_text=_(
            "The results table holds the figures of the report, one row per competence. The "
            "anonymised answers hold one row per respondent of one campaign, without names "
            "or emails. A CSV file comes in a ZIP archive with its codebook; a spreadsheet "
            "has the codebook as its second sheet."
        ),
    )
    columns = forms.MultipleChoiceField(
        label=_("Background columns of the anonymised answers"),
        initial=list(exports.DEFAULT_BACKGROUND_FIELDS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each column added splits the respondents into smaller groups, and the answers of "
            "a group of fewer than five are left out of the file."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .pipeline import available_kinds

        self.fields["region"].queryset = regions_for(user)
        self.fields["campaigns"].queryset = (
            campaigns_for(user)
            .filter(region__isnull=False)
            .select_related("region", "survey")
            .order_by("region__name", "-opens_at", "pk")
        )
        kinds = available_kinds()
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = ReportRequest.Kind.REPORT_PDF
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
        self.fields["columns"].choices = [
            (name, str(Response._meta.get_field(name).verbose_name).capitalize())
            for name in exports.BACKGROUND_FIELDS
        ]
        # Optional background filter: only the self-assessment respondents with these values.
        for name in analysis.BACKGROUND_FIELDS:
            field = Response._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                label=field.verbose_name,
                choices=[("", _("Everyone"))] + list(field.choices),
                required=False,
            )

    def background_fields(self):
        return [self[name] for name in analysis.BACKGROUND_FIELDS]

    def main_fields(self):
        return [self[name] for name in ("region", "campaigns", "language")]

    def clean(self):
        cleaned = super().clean()
        region, campaigns = cleaned.get("region"), cleaned.get("campaigns")
        if cleaned.get("kind") in ANSWERS_KINDS:
            self._check_answers_export(cleaned)
        chosen = [name for name in analysis.BACKGROUND_FIELDS if cleaned.get(name)]
        for name in chosen[1:]:
            # Two groups at once would make intersections smaller than any breakdown shows.
            self.add_error(
                name,
                _("Narrow by one background question at a time: choose “Everyone” here."),
            )
        if region is not None and campaigns:
            elsewhere = [c for c in campaigns if c.region_id != region.pk]
            if elsewhere:
                self.add_error(
                    "campaigns",
                    _("Not campaigns of %(region)s: %(campaigns)s. Choose only its campaigns.")
                    % {
                        "region": region.name,
                        "campaigns": "; ".join(c.title for c in elsewhere),
                    },
                )
        return cleaned

    def _check_answers_export(self, cleaned) -> None:
        campaigns = cleaned.get("campaigns")
        if campaigns is not None and len(campaigns) != 1:
            self.add_error(
                "campaigns",
                _(
                    "The anonymised answers are exported one campaign at a time: tick exactly "
                    "one campaign."
                ),
            )
        elif campaigns and "columns" in cleaned:
            fixed = ReportRequest.objects.answers_columns_of(campaigns[0])
            if fixed is not None and set(cleaned["columns"]) != set(fixed):
                labels = dict(self.fields["columns"].choices)
                self.add_error(
                    "columns",
                    _(
                        "The answers of this campaign were first exported with these background "
                        "columns: %(columns)s. Every export of them keeps that set, so that two "
                        "files cannot be joined row by row."
                    )
                    % {"columns": ", ".join(str(labels[name]) for name in fixed) or _("none")},
                )
        for name in analysis.BACKGROUND_FIELDS:
            if cleaned.get(name):
                self.add_error(
                    name,
                    _(
                        "The anonymised answers hold every respondent of the campaign: choose "
                        "“Everyone” here, and add this question as a background column to "
                        "tell the groups apart."
                    ),
                )

    @property
    def filters(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in analysis.BACKGROUND_FIELDS
            if self.cleaned_data.get(name)
        }


def initial_from_query(query, language: str) -> dict:
    """The dashboard's "Request a PDF report" and "Export" links:
    ?region=<slug>&campaign=<id>&…&language=<code>&kind=<kind>&<background field>=<value>"""
    initial = {"language": language}
    if query.get("region"):
        initial["region"] = query["region"]
    campaign_ids = [value for value in query.getlist("campaign") if value.isdigit()]
    if campaign_ids:
        initial["campaigns"] = campaign_ids
    if query.get("language") in dict(settings.LANGUAGES):
        initial["language"] = query["language"]
    if query.get("kind") in ReportRequest.Kind.values:
        initial["kind"] = query["kind"]
    for name in analysis.BACKGROUND_FIELDS:
        if query.get(name):
            initial[name] = query[name]
    return initial
