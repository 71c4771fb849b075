"""Regional results for coordinators, at /reports/: the dashboard of a region (or of the
consortium-wide campaigns) and the region-by-region comparison.

Every view goes through get_region_for_user. All numbers come from surveys.analysis, so the
page, the regional report PDF and the exports agree, and suppression applies everywhere.
The data partials under templates/surveys/dashboard/ take a `RegionalResults`, so the PDF
report can include them as they are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from partners.models import Region
from partners.permissions import coordinates_region, roles_of

from . import analysis
from .analysis import MINIMUM, SUPPRESSED, Analysis, CompetenceRow, Figure, Group, Measure, charts
from .dashboard_forms import MEASURES, ComparisonForm, DashboardFilterForm
from .models import Campaign, Response, Survey

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


def _require_coordinator(user) -> None:
    # Staff and respondents are signed in but have no dashboard: a plain refusal.
    if not roles_of(user).is_coordinator:
        raise PermissionDenied


def get_region_for_user(request, slug: str | None) -> Scope:
    """The region's results, for its coordinators and the consortium's; the consortium-wide
    campaigns (slug None) for consortium coordinators. 404 for a region the user may not
    see, 403 for anyone who coordinates nothing."""
    _require_coordinator(request.user)
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


# The competence table: every column sortable on the server ----------------------------


def _quadrant_order(row: CompetenceRow):
    if row.quadrant:
        return list(analysis.QUADRANTS).index(row.quadrant)
    hidden = SUPPRESSED in (row.current.mean, row.importance.mean)
    return SUPPRESSED if hidden else None


def _rank(row: CompetenceRow):
    if row.rank:
        return row.rank
    return SUPPRESSED if row.mwds is SUPPRESSED else None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[CompetenceRow], object]
    needs: str  # "self", "demand" or "both": the kinds of campaign the column needs
    text: bool = False


COLUMNS = [
    Column("competence", gettext_lazy("Competence"), lambda row: None, "any", text=True),
    Column("current_n", gettext_lazy("Staff answering (n)"), lambda r: r.current.n, "self"),
    Column("current", gettext_lazy("Current level (C)"), lambda r: r.current.mean, "self"),
    Column("importance", gettext_lazy("Importance (I)"), lambda r: r.importance.mean, "self"),
    Column("gap", gettext_lazy("Gap (I − C)"), lambda r: r.gap, "self"),
    Column("mwds", gettext_lazy("Weighted gap (MWDS)"), lambda r: r.mwds, "self"),
    Column("rank", gettext_lazy("Rank"), _rank, "self"),
    Column("quadrant", gettext_lazy("Quadrant"), _quadrant_order, "self", text=True),
    Column("required_n", gettext_lazy("Employers answering (n)"), lambda r: r.required.n, "demand"),
    Column("required", gettext_lazy("Required level (R)"), lambda r: r.required.mean, "demand"),
    Column("market_gap", gettext_lazy("Market gap (R − C)"), lambda r: r.market_gap, "both"),
]
SORT_KEYS = [column.key for column in COLUMNS]


def columns_for(result: Analysis) -> list[Column]:
    has = {
        "any": True,
        "self": result.has_self_assessment,
        "demand": result.has_demand,
        "both": result.has_self_assessment and result.has_demand,
    }
    return [column for column in COLUMNS if has[column.needs]]


def sort_rows(rows: list[CompetenceRow], key: str, descending: bool) -> list[CompetenceRow]:
    """Rows by one column; suppressed and empty cells last whichever the direction, each
    group in framework order."""
    if key == "competence":
        return list(reversed(rows)) if descending else list(rows)
    column = next(c for c in COLUMNS if c.key == key)
    shown = [row for row in rows if analysis.is_number(column.value(row))]
    rest = [row for row in rows if not analysis.is_number(column.value(row))]
    # sorted() is stable with reverse=True too: equal values keep framework order.
    return sorted(shown, key=column.value, reverse=descending) + rest


@dataclass
class Cell:
    value: object
    text: bool = False


@dataclass
class TableRow:
    competence: CompetenceRow
    cells: list[Cell]


def _cell(column: Column, row: CompetenceRow) -> Cell:
    if column.key == "quadrant" and row.quadrant:
        return Cell(row.quadrant_label, text=True)
    return Cell(column.value(row))


@dataclass
class HeaderCell:
    label: str
    key: str
    number: bool
    sort_url: str = ""  # empty where the table is not sortable (the PDF)
    aria_sort: str = ""  # "ascending" / "descending" on the sorted column


def competence_table(
    result: Analysis, sort: str = "competence", descending: bool = False, query=None
) -> tuple[list[HeaderCell], list[TableRow]]:
    """Header and rows of the competence table, sorted; with sort links when `query` (the
    request's GET parameters) is given."""
    columns = columns_for(result)
    if sort not in [c.key for c in columns]:
        sort, descending = "competence", False
    headers = []
    for column in columns:
        header = HeaderCell(str(column.label), column.key, number=not column.text)
        if column.key == sort:
            header.aria_sort = "descending" if descending else "ascending"
        if query is not None:
            params = query.copy()
            params["sort"] = column.key
            params["dir"] = "asc" if column.key != sort or descending else "desc"
            header.sort_url = "?" + params.urlencode()
        headers.append(header)
    rows = [
        TableRow(row, [_cell(column, row) for column in columns[1:]])
        for row in sort_rows(result.competences, sort, descending)
    ]
    return headers, rows


# The region beside the consortium ------------------------------------------------------


def _apart(consortium: Measure, region: Measure) -> Figure:
    """The consortium's mean, unless it and the region's differ by 1 to 4 respondents,
    which would give away the answers of those few in other regions."""
    if not consortium.shown:
        return consortium.mean
    if region.shown and 0 < consortium.n - region.n < MINIMUM:
        return SUPPRESSED
    return consortium.mean


def _count_apart(consortium, region):
    both = analysis.is_number(consortium) and analysis.is_number(region)
    return SUPPRESSED if both and 0 < consortium - region < MINIMUM else consortium


@dataclass
class BesideRow:
    competence: CompetenceRow
    current: Figure
    importance: Figure
    required: Figure
    mwds: Figure


@dataclass
class Breakdown:
    field: str
    label: str
    rows: list[analysis.BreakdownRow]


@dataclass
class RegionalResults:
    """Everything the dashboard and the regional report show for one group of campaigns."""

    scope_name: str
    result: Analysis
    consortium: Analysis
    breakdowns: list[Breakdown] = field(default_factory=list)
    group_label: str = ""

    @cached_property
    def consortium_respondents(self) -> tuple:
        return (
            _count_apart(self.consortium.self_respondents, self.result.self_respondents),
            _count_apart(self.consortium.demand_respondents, self.result.demand_respondents),
        )

    @cached_property
    def beside_consortium(self) -> list[BesideRow]:
        rows = []
        for row in self.result.competences:
            other = self.consortium.by_code.get(row.code)
            if other is None:
                continue
            mwds = other.mwds
            if _count_apart(other.pairs, row.pairs) is SUPPRESSED:
                mwds = SUPPRESSED
            rows.append(
                BesideRow(
                    row,
                    _apart(other.current, row.current),
                    _apart(other.importance, row.importance),
                    _apart(other.required, row.required),
                    mwds,
                )
            )
        return rows

    @cached_property
    def top_gaps(self) -> list[CompetenceRow]:
        return self.result.ranking[:5]

    @cached_property
    def strengths(self) -> list[CompetenceRow]:
        return self.result.strengths[:5]

    @cached_property
    def profile_chart(self) -> str:
        return charts.area_profile_chart(self.result, chart_id="profile-chart")

    @cached_property
    def ranking_chart(self) -> str:
        return charts.ranking_chart(self.result, chart_id="ranking-chart")

    @cached_property
    def quadrant_chart(self) -> str:
        return charts.quadrant_chart(self.result, chart_id="quadrant-chart")


def regional_results(
    scope_name: str, campaigns: list[Campaign], background: dict[str, str], group_label=""
) -> RegionalResults:
    """The analysis of the campaigns, the same surveys' campaigns in all regions for the
    consortium average, and the breakdown by each background field: a fixed number of
    queries whatever the number of responses."""
    group = Group.of(campaigns, background)
    result = analysis.analyse(group)
    same_surveys = Campaign.objects.filter(survey__in={c.survey_id for c in campaigns})
    consortium = analysis.analyse(Group.of(same_surveys.values_list("pk", flat=True), background))
    breakdowns = []
    if result.has_self_assessment:
        by_field = analysis.breakdowns(group)
        for name in analysis.BACKGROUND_FIELDS:
            if name in background:
                continue
            label = Response._meta.get_field(name).verbose_name
            breakdowns.append(Breakdown(name, str(label).capitalize(), by_field[name]))
    return RegionalResults(scope_name, result, consortium, breakdowns, group_label)


# Views ---------------------------------------------------------------------------------


@login_required
def index(request):
    _require_coordinator(request.user)
    roles = roles_of(request.user)
    context = {
        "regions": regions_for(request.user),
        "consortium_wide": roles.is_consortium_coordinator
        and Campaign.objects.filter(region__isnull=True).exists(),
        "can_compare": roles.is_consortium_coordinator,
    }
    return render(request, "surveys/dashboard/index.html", context)


def _dashboard(request, scope: Scope):
    campaigns = list(scope.campaigns())
    data = request.GET.copy()
    if "campaigns" not in data:
        data.setlist("campaigns", [str(c.pk) for c in campaigns])
    form = DashboardFilterForm(data, campaigns=scope.campaigns(), sort_columns=SORT_KEYS)
    form.is_valid()
    context = {"scope": scope, "form": form, "campaigns": campaigns, "results": None}
    if campaigns and not form.filter_errors:
        chosen = form.cleaned_data.get("campaigns") or campaigns
        results = regional_results(scope.name, list(chosen), form.background(), form.group_label())
        sort = form.cleaned_data.get("sort") or "competence"
        descending = form.cleaned_data.get("dir") == "desc"
        headers, rows = competence_table(results.result, sort, descending, request.GET)
        context |= {"results": results, "headers": headers, "rows": rows}
        if scope.region is not None:
            context["report_query"] = report_query(scope.region, chosen, form.background())
    return render(request, "surveys/dashboard/region.html", context)


def report_query(region: Region, campaigns, background: dict[str, str]) -> str:
    """The report form's GET parameters for what the dashboard shows, in the reader's
    language (surveys.report_forms.initial_from_query reads them)."""
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
    _require_coordinator(request.user)
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
