"""Regional results for coordinators, at /reports/: the dashboard of a region (or of the
consortium-wide campaigns) and the region-by-region comparison.

A dashboard shows the newest campaign of each survey kind unless others are ticked (last
year's respondents are other people), with the choice on the page. Every view goes through
get_region_for_user. All numbers come from surveys.analysis, so the
page, the regional report PDF and the exports agree, and suppression applies everywhere.
The data partials under templates/surveys/dashboard/ take a `RegionalResults` (tables.py), so
the PDF report can include them as they are.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partners.models import Region
from partners.permissions import coordinates_region, require_coordinator, roles_of

from .. import analysis
from ..analysis import CompetenceRow, Figure, Group
from ..models import Campaign, Survey
from .forms import MEASURES, ComparisonForm, DashboardFilterForm
from .tables import SORT_KEYS, competence_table, regional_results

# Who may see what --------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A region's campaigns, or (region None) the consortium-wide campaigns."""

    region: Region | None

    @property
    def name(self) -> str:
        return self.region.name if self.region else _("Consortium-wide campaigns")

    def campaigns(self):
        campaigns = Campaign.objects.select_related("survey", "region")
        if self.region is None:
            return campaigns.filter(region__isnull=True).order_by("-opens_at", "pk")
        return campaigns.filter(region=self.region).order_by("-opens_at", "pk")


def get_region_for_user(request, slug: str | None) -> Scope:
    """The region's results, for its coordinators and the consortium's; the consortium-wide
    campaigns (slug None) for consortium coordinators. 404 for a region the user may not
    see, 403 for anyone who coordinates nothing."""
    require_coordinator(request.user, hide=False)
    if slug is None:
        if not roles_of(request.user).is_consortium_coordinator:
            raise Http404
        return Scope(None)
    try:
        region = Region.objects.get(slug=slug)
    except Region.DoesNotExist:
        raise Http404 from None
    if not coordinates_region(request.user, region):
        raise Http404
    return Scope(region)


def regions_for(user):
    """The regions whose dashboards a coordinator may open, with their campaign counts."""
    roles = roles_of(user)
    regions = Region.objects.annotate(campaign_count=Count("campaigns"))
    if roles.is_consortium_coordinator:
        return regions.filter(campaign_count__gt=0)
    return regions.filter(pk__in=roles.coordinated_region_ids)


# Views ---------------------------------------------------------------------------------


@login_required
def index(request):
    require_coordinator(request.user, hide=False)
    roles = roles_of(request.user)
    context = {
        "regions": regions_for(request.user),
        "consortium_wide": roles.is_consortium_coordinator
        and Campaign.objects.filter(region__isnull=True).exists(),
        "can_compare": roles.is_consortium_coordinator,
    }
    return render(request, "surveys/dashboard/index.html", context)


def newest_of_each_kind(campaigns: list[Campaign]) -> list[Campaign]:
    """The default selection: each survey kind's newest campaign that has opened (or its
    newest, if none has). Campaigns of different years asked different people, so adding
    them together is a choice, not the default."""
    now = timezone.now()
    newest: dict[str, Campaign] = {}
    for campaign in sorted(
        campaigns, key=lambda c: (c.opens_at <= now, c.opens_at, c.pk), reverse=True
    ):
        newest.setdefault(campaign.survey.kind, campaign)
    return sorted(newest.values(), key=lambda c: c.survey.kind != Survey.Kind.SELF_ASSESSMENT)


def _dashboard(request, scope: Scope):
    campaigns = list(scope.campaigns())
    newest = newest_of_each_kind(campaigns)
    data = request.GET.copy()
    by_default = "campaigns" not in data
    if by_default:
        data.setlist("campaigns", [str(c.pk) for c in newest])
    form = DashboardFilterForm(data, campaigns=scope.campaigns(), sort_columns=SORT_KEYS)
    form.is_valid()
    context = {
        "scope": scope,
        "form": form,
        "campaigns": campaigns,
        "results": None,
        "has_demand_campaigns": any(c.survey.kind == Survey.Kind.DEMAND for c in campaigns),
    }
    if campaigns and not form.filter_errors:
        chosen = list(form.cleaned_data.get("campaigns") or newest)
        results = regional_results(
            scope.name, chosen, form.background(), form.group_label(), axis=form.importance_axis()
        )
        sort = form.cleaned_data.get("sort") or "competence"
        descending = form.cleaned_data.get("dir") == "desc"
        headers, rows = competence_table(
            results.result, sort, descending, request.GET, axis=results.axis
        )
        context |= {
            "results": results,
            "headers": headers,
            "rows": rows,
            "by_default": by_default and set(chosen) == set(newest),
            "earlier_campaigns": [c for c in campaigns if c not in chosen],
        }
        if form.importance_axis() != results.axis:
            form.add_error(
                "axis",
                _(
                    "Fewer than 5 employers rated the competences: the views use the staff's "
                    "importance."
                ),
            )
        if scope.region is not None:
            context["report_query"] = report_query(scope.region, chosen, form.background())
    return render(request, "surveys/dashboard/region.html", context)


def report_query(region: Region, campaigns, background: dict[str, str]) -> str:
    """The report form's GET parameters for what the dashboard shows, in the reader's
    language (surveys.reports.forms.initial_from_query reads them)."""
    params = QueryDict(mutable=True)
    params["region"] = region.slug
    params.setlist("campaign", [str(campaign.pk) for campaign in campaigns])
    params.update(background)
    params["language"] = get_language()
    return params.urlencode()


@login_required
def region(request, slug):
    return _dashboard(request, get_region_for_user(request, slug))


@login_required
def consortium_wide(request):
    return _dashboard(request, get_region_for_user(request, None))


# Region by region ----------------------------------------------------------------------


MEASURE_INDEX = {"current": 0, "importance": 1, "required": 2, "mwds": 3}


def _newest_surveys() -> list[Survey]:
    """The newest survey of each kind that has campaigns: the default comparison."""
    newest = {}
    for survey in Survey.objects.filter(campaigns__isnull=False).distinct().order_by("created_at"):
        newest[survey.kind] = survey
    return list(newest.values())


@dataclass
class ComparisonRow:
    competence: CompetenceRow
    figures: list[Figure]
    overall: Figure


def _overall(row: CompetenceRow, measure: str) -> Figure:
    if measure == "mwds":
        return row.mwds
    return getattr(row, measure).mean


@login_required
def compare(request):
    require_coordinator(request.user, hide=False)
    if not roles_of(request.user).is_consortium_coordinator:
        raise Http404
    data = request.GET.copy()
    if "surveys" not in data:
        data.setlist("surveys", [str(s.pk) for s in _newest_surveys()])
    form = ComparisonForm(data)
    context = {"form": form, "columns": None}
    if form.is_valid() and form.cleaned_data["surveys"]:
        measure = form.cleaned_data["measure"] or "current"
        campaigns = list(
            Campaign.objects.filter(survey__in=form.cleaned_data["surveys"])
            .select_related("survey", "region")
            .order_by("pk")
        )
        if campaigns:
            overall = analysis.analyse(Group.of(campaigns))
            columns = analysis.compare_regions(campaigns)
            index = MEASURE_INDEX[measure]
            rows = [
                ComparisonRow(
                    row,
                    [column.figures.get(row.code, (None,) * 4)[index] for column in columns],
                    _overall(row, measure),
                )
                for row in overall.competences
            ]
            context |= {
                "overall": overall,
                "columns": columns,
                "rows": rows,
                "measure_label": MEASURES[measure],
            }
    return render(request, "surveys/dashboard/compare.html", context)
