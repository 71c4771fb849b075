"""/statistics/: the public results of the competence surveys, consortium-wide and by region.

Only closed campaigns are published. While a campaign is open its figures change with every
response, and two snapshots taken before and after one known person answers would give that
person's answers away, however large the group; once it has closed the figures stay as they
are. Everything comes from surveys.analysis, so every figure from fewer than five people is
suppressed, and the region columns come from `compare_regions`, which also keeps a hidden
region from being worked out by subtracting the others from the consortium total.

The newest self-assessment survey and the newest employer-demand survey with a closed
campaign are shown: one round of the survey, not a mixture of rounds.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import analysis
from ..analysis import Analysis, CompetenceRow, Figure, Group
from ..models import Campaign, Survey


@dataclass
class RegionRow:
    competence: CompetenceRow
    current: Figure
    importance: Figure
    required: Figure
    mwds: Figure
    rank: int | None = None


@dataclass
class RegionStatistics:
    name: str
    self_respondents: Figure
    demand_respondents: Figure
    campaigns: list[Campaign] = field(default_factory=list)
    rows: list[RegionRow] = field(default_factory=list)

    @property
    def ranking(self) -> list[RegionRow]:
        return sorted((r for r in self.rows if r.rank), key=lambda r: r.rank)


@dataclass
class Statistics:
    surveys: list[Survey]
    overall: Analysis | None = None
    regions: list[RegionStatistics] = field(default_factory=list)


def published_campaigns():
    """Campaigns whose results are public: those that have closed."""
    return Campaign.objects.filter(closes_at__lte=timezone.now())


def _newest_surveys() -> list[Survey]:
    surveys = {}
    closed = Survey.objects.filter(campaigns__in=published_campaigns()).distinct()
    for survey in closed.order_by("created_at", "pk"):
        surveys[survey.kind] = survey
    return sorted(surveys.values(), key=lambda s: s.kind != Survey.Kind.SELF_ASSESSMENT)


def public_statistics() -> Statistics:
    """The newest round of each survey kind, consortium-wide and by region, in a fixed
    number of queries."""
    surveys = _newest_surveys()
    statistics = Statistics(surveys)
    if not surveys:
        return statistics
    campaigns = list(
        published_campaigns()
        .filter(survey__in=surveys)
        .select_related("survey", "region")
        .order_by("opens_at", "pk")
    )
    statistics.overall = analysis.analyse(Group.of(campaigns))
    for column in analysis.compare_regions(campaigns):
        region = RegionStatistics(
            column.name or _("Consortium-wide"),
            column.self_respondents,
            column.demand_respondents,
            [c for c in campaigns if c.region_id == column.region_id],
        )
        for row in statistics.overall.competences:
            figures = column.figures.get(row.code, (None,) * 4)
            region.rows.append(RegionRow(row, *figures))
        ranked = sorted(
            (r for r in region.rows if analysis.is_number(r.mwds)),
            key=lambda r: (-r.mwds, r.competence.code),
        )
        for position, row in enumerate(ranked, start=1):
            row.rank = position
        statistics.regions.append(region)
    return statistics


def index(request):
    return render(
        request,
        "surveys/statistics/index.html",
        {"statistics": public_statistics(), "minimum": analysis.MINIMUM},
    )
