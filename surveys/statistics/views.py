"""/statistics/: the public results of the competence surveys, consortium-wide and by region.

Only closed campaigns are published. While a campaign is open its figures change with every
response, and two snapshots taken before and after one known person answers would give that
person's answers away, however large the group; once it has closed the figures stay as they
are. Everything comes from surveys.analysis, so every figure from fewer than five people is
suppressed, and the region figures come from `compare_regions`, which also keeps a hidden
region from being worked out by subtracting the others from the consortium total.

The newest self-assessment survey and the newest employer-demand survey with a closed
campaign are shown: one round of the survey, not a mixture of rounds.

The page leads with key figures and a chart of the largest gaps of one group, the whole
consortium or a region chosen with `?region=<slug>`; the tables are folded below. The
choice only picks which of the released groups is drawn: every figure of every choice is
one that `analyse` of the whole round or `compare_regions` releases, so no choice makes a
group of its own.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import analysis
from ..analysis import Analysis, Figure, Group
from ..models import Campaign, Survey
from .charts import GapLine, largest_gaps_chart
from .forms import WHOLE_CONSORTIUM, GroupChoiceForm

# Competences drawn in the chart and written out in words.
CHART_LIMIT = 8
WORDS_LIMIT = 5
# The key of the campaigns run for the whole consortium rather than one region.
CONSORTIUM_WIDE = "consortium-wide"


@dataclass
class Line:
    """One competence's released figures in one group."""

    code: str
    name: str
    area_code: str
    area_name: str
    current: Figure
    importance: Figure
    required: Figure
    mwds: Figure
    rank: int | None = None


@dataclass
class Area:
    code: str
    name: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class GroupFigures:
    """The whole consortium (key "") or one region's campaigns, as released."""

    key: str
    name: str
    self_respondents: Figure
    demand_respondents: Figure
    campaigns: list[Campaign] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def is_consortium(self) -> bool:
        return self.key == WHOLE_CONSORTIUM

    @property
    def ranking(self) -> list[Line]:
        return sorted((line for line in self.lines if line.rank), key=lambda line: line.rank)

    @property
    def areas(self) -> list[Area]:
        areas: dict[str, Area] = {}
        for line in self.lines:
            areas.setdefault(line.area_code, Area(line.area_code, line.area_name)).lines.append(
                line
            )
        return list(areas.values())

    @property
    def is_released(self) -> bool:
        """Whether any of its people are counted in a shown figure (0 is nobody)."""
        counts = (self.self_respondents, self.demand_respondents)
        return any(analysis.is_number(count) and count > 0 for count in counts)


@dataclass
class Statistics:
    surveys: list[Survey]
    overall: Analysis | None = None
    consortium: GroupFigures | None = None
    regions: list[GroupFigures] = field(default_factory=list)

    @property
    def groups(self) -> list[GroupFigures]:
        return [self.consortium, *self.regions] if self.consortium else []

    @property
    def shows_required(self) -> bool:
        """Whether any level required by employers is released: with fewer than five
        employers in the whole round, none is, and no column promises one."""
        return bool(self.consortium) and any(
            analysis.is_number(line.required) for line in self.consortium.lines
        )

    @property
    def released_regions(self) -> list[GroupFigures]:
        return [region for region in self.regions if region.is_released]

    def comparison(self) -> list[tuple[Line, list[Figure]]]:
        """Each competence's weighted gap in every region, beside the consortium's."""
        return [
            (line, [region.lines[index].mwds for region in self.regions])
            for index, line in enumerate(self.consortium.lines)
        ]


def published_campaigns():
    """Campaigns whose results are public: those that have closed."""
    return Campaign.objects.filter(closes_at__lte=timezone.now())


def _newest_surveys() -> list[Survey]:
    surveys = {}
    closed = Survey.objects.filter(campaigns__in=published_campaigns()).distinct()
    for survey in closed.order_by("created_at", "pk"):
        surveys[survey.kind] = survey
    return sorted(surveys.values(), key=lambda s: s.kind != Survey.Kind.SELF_ASSESSMENT)


def _rank(lines: list[Line]) -> None:
    ranked = sorted(
        (line for line in lines if analysis.is_number(line.mwds)),
        key=lambda line: (-line.mwds, line.code),
    )
    for position, line in enumerate(ranked, start=1):
        line.rank = position


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
    overall = analysis.analyse(Group.of(campaigns))
    statistics.overall = overall
    statistics.consortium = GroupFigures(
        WHOLE_CONSORTIUM,
        _("The whole consortium"),
        overall.self_respondents,
        overall.demand_respondents,
        campaigns,
        [
            Line(
                row.code,
                row.name,
                row.area_code,
                row.area_name,
                row.current.mean,
                row.importance.mean,
                row.required.mean,
                row.mwds,
                row.rank,
            )
            for row in overall.competences
        ],
    )
    slugs = {c.region_id: c.region.slug for c in campaigns if c.region}
    for column in analysis.compare_regions(campaigns):
        region = GroupFigures(
            slugs.get(column.region_id, CONSORTIUM_WIDE),
            column.name or _("Consortium-wide"),
            column.self_respondents,
            column.demand_respondents,
            [c for c in campaigns if c.region_id == column.region_id],
        )
        for row in overall.competences:
            figures = column.figures.get(row.code, (None,) * 4)
            region.lines.append(Line(row.code, row.name, row.area_code, row.area_name, *figures))
        _rank(region.lines)
        statistics.regions.append(region)
    return statistics


def _drawn(value: Figure) -> float | None:
    return float(value) if analysis.is_number(value) else None


def gaps_chart(group: GroupFigures, *, with_required: bool) -> str:
    lines = group.ranking[:CHART_LIMIT]
    if not lines:
        return ""
    description = _(
        "For each of the competences with the largest weighted gap (MWDS), largest first: "
        "the mean current level (circle) and the mean importance (square) on the 1 to 5 "
        "scale, joined by a line; the weighted gap is written at the right."
    )
    if with_required:
        description += " " + _("A diamond marks the mean level employers require.")
    description += " " + _("The table below the chart gives the same numbers.")
    return largest_gaps_chart(
        [
            GapLine(
                f"{line.rank}. {line.code} {line.name}",
                _drawn(line.current),
                _drawn(line.importance),
                _drawn(line.required) if with_required else None,
                line.mwds,
            )
            for line in lines
        ],
        title=_("The largest gaps: %(name)s") % {"name": group.name},
        description=description,
        with_required=with_required,
    )


def index(request: HttpRequest) -> HttpResponse:
    statistics = public_statistics()
    form = GroupChoiceForm(request.GET or None, groups=statistics.groups)
    chosen = form.chosen()
    shown = next((g for g in statistics.groups if g.key == chosen), statistics.consortium)
    context = {
        "statistics": statistics,
        "minimum": analysis.MINIMUM,
        "suppressed": analysis.SUPPRESSED,
        "form": form,
        "shown": shown,
    }
    if shown is not None:
        with_required = statistics.shows_required
        context |= {
            "chart": gaps_chart(shown, with_required=with_required),
            "chart_lines": shown.ranking[:CHART_LIMIT],
            "words": shown.ranking[:WORDS_LIMIT],
            "with_required": with_required,
        }
    return render(request, "surveys/statistics/index.html", context)
