"""What the dashboard shows, built from one analysis: the competence table (sortable by every
column on the server, each mean with its 95 % interval), the priority views on the chosen
importance axis, the region beside the consortium average (without giving away the few who
answered elsewhere) and the breakdowns by background. The regional report draws the same.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy

from .. import analysis
from ..analysis import SUPPRESSED, Analysis, CompetenceRow, Figure, Group, charts
from ..models import Campaign, Response

# The competence table: every column sortable on the server ----------------------------


def _hidden_for(row: CompetenceRow, axis: str):
    """What a quadrant cell of a competence placed in no view shows: suppressed or not asked."""
    return SUPPRESSED if SUPPRESSED in (row.current.mean, getattr(row, axis).mean) else None


def _quadrant_order(row: CompetenceRow, axis: str):
    placement = row.placement(axis)
    if placement.quadrant:
        return [*analysis.QUADRANTS, analysis.NEAR_AVERAGE].index(placement.quadrant)
    return _hidden_for(row, axis)


def _focus_order(row: CompetenceRow, axis: str):
    placement = row.placement(axis)
    if placement.focus:
        return [*analysis.FOCUS, analysis.NEAR_AVERAGE].index(placement.focus)
    return _hidden_for(row, axis)


def _rank(row: CompetenceRow, axis: str):
    if row.rank:
        return row.rank
    return SUPPRESSED if row.mwds is SUPPRESSED else None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[CompetenceRow, str], object]  # (row, importance axis) → sort value
    needs: str  # "self", "demand" or "both": the kinds of campaign the column needs
    text: bool = False
    margin: Callable[[CompetenceRow], object] | None = None  # half its 95 % interval


COLUMNS = [
    Column("competence", gettext_lazy("Competence"), lambda r, a: None, "any", text=True),
    Column("current_n", gettext_lazy("Staff answering (n)"), lambda r, a: r.current.n, "self"),
    Column(
        "current",
        gettext_lazy("Current level (C)"),
        lambda r, a: r.current.mean,
        "self",
        margin=lambda r: r.current.margin,
    ),
    Column(
        "importance",
        gettext_lazy("Importance (I)"),
        lambda r, a: r.importance.mean,
        "self",
        margin=lambda r: r.importance.margin,
    ),
    Column(
        "gap",
        gettext_lazy("Gap (I − C)"),
        lambda r, a: r.gap,
        "self",
        margin=lambda r: r.gap_margin,
    ),
    Column(
        "mwds",
        gettext_lazy("Weighted gap (MWDS)"),
        lambda r, a: r.mwds,
        "self",
        margin=lambda r: r.mwds_margin,
    ),
    Column("rank", gettext_lazy("Rank"), _rank, "self"),
    Column("focus", gettext_lazy("Locus for Focus"), _focus_order, "self", text=True),
    Column("quadrant", gettext_lazy("Quadrant"), _quadrant_order, "self", text=True),
    Column(
        "required_n", gettext_lazy("Employers answering (n)"), lambda r, a: r.required.n, "demand"
    ),
    Column(
        "required",
        gettext_lazy("Required level (R)"),
        lambda r, a: r.required.mean,
        "demand",
        margin=lambda r: r.required.margin,
    ),
    Column(
        "market_gap",
        gettext_lazy("Market gap (R − C)"),
        lambda r, a: r.market_gap,
        "both",
        margin=lambda r: r.market_gap_margin,
    ),
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


def sort_rows(
    rows: list[CompetenceRow], key: str, descending: bool, axis: str = "importance"
) -> list[CompetenceRow]:
    """Rows by one column; suppressed and empty cells last whichever the direction, each
    group in framework order."""
    if key == "competence":
        return list(reversed(rows)) if descending else list(rows)
    column = next(c for c in COLUMNS if c.key == key)

    def value(row):
        return column.value(row, axis)

    shown = [row for row in rows if analysis.is_number(value(row))]
    rest = [row for row in rows if not analysis.is_number(value(row))]
    # sorted() is stable with reverse=True too: equal values keep framework order.
    return sorted(shown, key=value, reverse=descending) + rest


@dataclass
class Cell:
    value: object
    text: bool = False
    margin: object = None  # half the 95 % interval, shown beside a shown value only


@dataclass
class TableRow:
    competence: CompetenceRow
    cells: list[Cell]


def _cell(column: Column, row: CompetenceRow, axis: str) -> Cell:
    placement = row.placement(axis)
    if column.key == "quadrant" and placement.quadrant:
        return Cell(placement.quadrant_label, text=True)
    if column.key == "focus" and placement.focus:
        return Cell(placement.focus_label, text=True)
    return Cell(column.value(row, axis), margin=column.margin(row) if column.margin else None)


@dataclass
class HeaderCell:
    label: str
    key: str
    number: bool
    sort_url: str = ""  # empty where the table is not sortable (the PDF)
    aria_sort: str = ""  # "ascending" / "descending" on the sorted column


def competence_table(
    result: Analysis,
    sort: str = "competence",
    descending: bool = False,
    query=None,
    axis: str = "importance",
) -> tuple[list[HeaderCell], list[TableRow]]:
    """Header and rows of the competence table, sorted, its views on the importance `axis`;
    with sort links when `query` (the request's GET parameters) is given."""
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
        TableRow(row, [_cell(column, row, axis) for column in columns[1:]])
        for row in sort_rows(result.competences, sort, descending, axis)
    ]
    return headers, rows


# The region beside the consortium ------------------------------------------------------


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


TOP = 5


@dataclass(frozen=True)
class Priority:
    """A competence with its place in the priority views on the importance axis `axis`."""

    row: CompetenceRow
    axis: str

    @property
    def placement(self) -> analysis.Placement:
        return self.row.placement(self.axis)

    @property
    def importance(self) -> analysis.Measure:
        """The importance axis's measure: the staff's importance or the required level."""
        return getattr(self.row, self.axis)

    @property
    def discrepancy(self) -> Figure:
        return self.row.gap if self.axis == "importance" else self.row.market_gap

    @property
    def discrepancy_margin(self) -> Figure:
        if self.axis == "importance":
            return self.row.gap_margin
        return self.row.market_gap_margin


@dataclass
class RegionalResults:
    """Everything the dashboard and the regional report show for one group of campaigns."""

    scope_name: str
    result: Analysis
    consortium: Analysis
    breakdowns: list[Breakdown] = field(default_factory=list)
    group_label: str = ""
    # The importance axis of the priority views: "importance" (I) or "required" (R).
    axis: str = "importance"

    @cached_property
    def consortium_respondents(self) -> tuple:
        return (
            analysis.count_beside(self.consortium.self_respondents, self.result.self_respondents),
            analysis.count_beside(
                self.consortium.demand_respondents, self.result.demand_respondents
            ),
        )

    @cached_property
    def beside_consortium(self) -> list[BesideRow]:
        rows = []
        for row in self.result.competences:
            other = self.consortium.by_code.get(row.code)
            if other is None:
                continue
            mwds = other.mwds
            if analysis.count_beside(other.pairs, row.pairs) is SUPPRESSED:
                mwds = SUPPRESSED
            rows.append(
                BesideRow(
                    row,
                    analysis.beside(other.current, row.current),
                    analysis.beside(other.importance, row.importance),
                    analysis.beside(other.required, row.required),
                    mwds,
                )
            )
        return rows

    @cached_property
    def top_gaps(self) -> list[Priority]:
        return [Priority(row, self.axis) for row in self.result.ranking[:TOP]]

    @cached_property
    def strengths(self) -> list[CompetenceRow]:
        return self.result.strengths[:TOP]

    @cached_property
    def axis_label(self) -> str:
        return str(analysis.AXES[self.axis])

    @cached_property
    def cross_hairs(self) -> analysis.CrossHairs | None:
        return self.result.cross_hairs.get(self.axis)

    @cached_property
    def priorities(self) -> list[Priority]:
        """Every competence with its place in the priority views, in framework order."""
        return [Priority(row, self.axis) for row in self.result.competences]

    @cached_property
    def spread(self) -> analysis.priorities.Spread | None:
        return self.result.narrow_spread(self.axis, TOP)

    @cached_property
    def gaps_below_importance_codes(self) -> str:
        return ", ".join(row.code for row in self.result.gaps_below_importance(self.axis, TOP))

    @cached_property
    def summary_ranking_chart(self) -> str:
        return charts.ranking_chart(self.result, chart_id="summary-ranking-chart", limit=10)

    @cached_property
    def profile_chart(self) -> str:
        return charts.area_profile_chart(self.result, chart_id="profile-chart")

    @cached_property
    def ranking_chart(self) -> str:
        return charts.ranking_chart(self.result, chart_id="ranking-chart")

    @cached_property
    def focus_chart(self) -> str:
        return charts.focus_chart(self.result, chart_id="focus-chart", axis=self.axis)

    @cached_property
    def quadrant_chart(self) -> str:
        return charts.quadrant_chart(self.result, chart_id="quadrant-chart", axis=self.axis)


def regional_results(
    scope_name: str,
    campaigns: list[Campaign],
    background: dict[str, str],
    group_label="",
    axis: str = "importance",
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
    if axis not in result.axes:
        axis = "importance"
    return RegionalResults(scope_name, result, consortium, breakdowns, group_label, axis)
