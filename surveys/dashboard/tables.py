"""What the dashboard shows, built from one analysis: the competence table (sortable by every
column on the server), the region beside the consortium average (without giving away the few
who answered elsewhere) and the breakdowns by background. The regional report draws the same.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy

from .. import analysis
from ..analysis import SUPPRESSED, Analysis, CompetenceRow, Figure, Group, charts
from ..models import Campaign, Response

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
