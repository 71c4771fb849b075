"""Competence change of a region's or the consortium's people, at /reports/change/.

A coordinator chooses the baseline and the follow-up campaigns: self-assessments of a
region they coordinate, or (the consortium coordinator) of any region or consortium-wide.
Each chosen campaign needs `MINIMUM` counted responses of its own, so that two choices of
campaigns that differ by one small campaign cannot be set against each other. The figures
come from surveys.analysis.change, with its suppression of groups under five pairs.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Region
from partners.permissions import require_coordinator, roles_of

from ..analysis.change import MINIMUM, CampaignPairs, compute
from ..models import Campaign, Survey
from ..models.responses import counted_in_figures
from .forms import CampaignChoiceField

CONSORTIUM = "consortium"


class CampaignsField(CampaignChoiceField):
    """Campaigns of the scope, shown as the scope's self-assessments; the counted responses
    of each annotated for the minimum-size check."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Campaign.objects.none(),
            required=False,
            error_messages={
                "invalid_choice": gettext_lazy(
                    "Campaign %(value)s is not one of the campaigns you may choose here."
                ),
                "invalid_pk_value": gettext_lazy("“%(pk)s” is not a campaign number."),
            },
            **kwargs,
        )


class ChangeForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Region"),
        error_messages={
            "invalid_choice": gettext_lazy("“%(value)s” is not one of the regions listed.")
        },
    )
    baseline = CampaignsField(
        label=gettext_lazy("Baseline campaigns"),
        help_text=gettext_lazy(
            "Self-assessment campaigns before; a person's earliest response in them counts. "
            "Each needs at least 5 counted responses."
        ),
    )
    followup = CampaignsField(
        label=gettext_lazy("Follow-up campaigns"),
        help_text=gettext_lazy(
            "Self-assessment campaigns after; a person's latest response in them counts. "
            "Each needs at least 5 counted responses."
        ),
    )

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.roles = roles_of(user)
        regions = Region.objects.order_by("name")
        if not self.roles.is_consortium_coordinator:
            regions = regions.filter(pk__in=self.roles.coordinated_region_ids)
        choices = [(region.slug, region.name) for region in regions]
        if self.roles.is_consortium_coordinator:
            choices.insert(0, (CONSORTIUM, _("The consortium (all regions)")))
        self.fields["scope"].choices = choices
        self.regions = {region.slug: region for region in regions}
        scope = self.data.get("scope") or (choices[0][0] if choices else "")
        pool = self.campaign_pool(scope)
        for name in ("baseline", "followup"):
            field = self.fields[name]
            field.queryset = pool
            field.widget.choices = [
                (c.pk, field.label_from_instance(c))
                for c in pool
                if c.survey.kind == Survey.Kind.SELF_ASSESSMENT
            ]

    def campaign_pool(self, scope: str):
        """The campaigns a choice is checked against: all kinds, so that a demand survey
        gets its own message; another region's campaign is not among them."""
        campaigns = (
            Campaign.objects.select_related("survey", "region")
            .annotate(counted=Count("responses", filter=counted_in_figures("responses__")))
            .order_by("-opens_at", "pk")
        )
        if scope == CONSORTIUM and self.roles.is_consortium_coordinator:
            return campaigns
        region = self.regions.get(scope)
        return campaigns.filter(region=region) if region else campaigns.none()

    def clean(self):
        cleaned = super().clean()
        baseline = list(cleaned.get("baseline") or [])
        followup = list(cleaned.get("followup") or [])
        for name, chosen in (("baseline", baseline), ("followup", followup)):
            for campaign in chosen:
                if campaign.survey.kind != Survey.Kind.SELF_ASSESSMENT:
                    self.add_error(
                        name,
                        _(
                            "“%(title)s” is an employer demand survey: change needs "
                            "self-assessments."
                        )
                        % {"title": campaign.title},
                    )
                elif campaign.counted < MINIMUM:
                    self.add_error(
                        name,
                        _(
                            "“%(title)s” has fewer than %(minimum)s counted responses: a campaign "
                            "that small would let two choices be compared to learn about a few "
                            "people."
                        )
                        % {"title": campaign.title, "minimum": MINIMUM},
                    )
        both = {c.pk for c in baseline} & {c.pk for c in followup}
        if both:
            self.add_error("followup", _("A campaign cannot be both a baseline and a follow-up."))
        elif (
            baseline
            and followup
            and min(c.opens_at for c in followup) <= max(c.opens_at for c in baseline)
        ):
            self.add_error(
                "followup",
                _("Every follow-up campaign must open after the last baseline campaign opens."),
            )
        return cleaned

    @property
    def scope_name(self) -> str:
        scope = self.cleaned_data.get("scope")
        if scope == CONSORTIUM:
            return _("The consortium")
        region = self.regions.get(scope)
        return region.name if region else ""


@login_required
def change(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user, hide=False)
    data = request.GET if request.GET else None
    form = ChangeForm(data, user=request.user)
    context = {"form": form, "change": None}
    if data is not None and form.is_valid():
        baseline = form.cleaned_data["baseline"]
        followup = form.cleaned_data["followup"]
        if baseline and followup:
            pairing = CampaignPairs(tuple(c.pk for c in baseline), tuple(c.pk for c in followup))
            context |= {"change": compute(pairing), "scope_name": form.scope_name}
        else:
            for name in ("baseline", "followup"):
                if not form.cleaned_data[name]:
                    form.add_error(name, _("Tick at least one campaign."))
    return render(request, "surveys/dashboard/change.html", context)
