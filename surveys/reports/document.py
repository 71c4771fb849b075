"""The regional report: its contents, gathered for one ReportRequest, laid out as a PDF.

Contents (DESIGN.md section 2): cover, summary (respondents, response rate, top gaps with
their 95 % intervals and where the priority views place them, strengths), method, charts
(profile, MWDS ranking, Locus for Focus, importance–performance quadrant), the full table,
breakdowns by background group, comparison with the consortium, good practices addressing
the top gaps, annex. The priority labels are the dashboard's (on the staff's importance).
Every number comes from surveys.analysis, so it is the same as on the dashboard and in the
exports; every text a person wrote (titles, names, practices) goes through the template's
escaping, and the PDF renderer fetches nothing but our own static files (socore.lib.pdf).

Queries: the analysis of the region (4), of the consortium (4), the breakdowns (2),
the practices (2) and the cover's partners and campaigns — a fixed number, whatever the
number of respondents or competences.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from socore.lib.pdf import html_to_pdf

from .. import analysis
from ..analysis import charts
from ..models import Campaign, Response, published_practices_for
from ..models.reports import ReportRequest

TOP = 5
PRACTICES_PER_COMPETENCE = 5


def comparison_campaign_ids(campaign_ids) -> list[int]:
    """The consortium: every campaign of the same questionnaires, in any region."""
    surveys = Campaign.objects.filter(pk__in=list(campaign_ids)).values("survey_id")
    return sorted(Campaign.objects.filter(survey_id__in=surveys).values_list("pk", flat=True))


@dataclass
class Comparison:
    """A competence of the region beside the consortium, with the dashboard's rule: no
    consortium figure that differs from the region's by 1 to 4 respondents."""

    row: analysis.CompetenceRow
    consortium: analysis.CompetenceRow | None

    @property
    def consortium_current(self) -> analysis.Figure:
        if self.consortium is None:
            return None
        return analysis.beside(self.consortium.current, self.row.current)

    @property
    def consortium_mwds(self) -> analysis.Figure:
        if self.consortium is None:
            return None
        if analysis.count_beside(self.consortium.pairs, self.row.pairs) is analysis.SUPPRESSED:
            return analysis.SUPPRESSED
        return self.consortium.mwds

    @property
    def consortium_rank(self):
        return self.consortium.rank if analysis.is_number(self.consortium_mwds) else None

    @property
    def difference_current(self) -> analysis.Figure:
        return _difference(self.row.current.mean, self.consortium_current)

    @property
    def difference_mwds(self) -> analysis.Figure:
        return _difference(self.row.mwds, self.consortium_mwds)


def _difference(mine, theirs) -> analysis.Figure:
    if analysis.is_number(mine) and analysis.is_number(theirs):
        return mine - theirs
    if mine is None or theirs is None:
        return None
    return analysis.SUPPRESSED


@dataclass
class GapPractices:
    row: analysis.CompetenceRow
    practices: list


def practices_for(rows: list[analysis.CompetenceRow]) -> list[GapPractices]:
    """Published good practices tagged with each competence, matched by code across
    framework versions."""
    by_code = published_practices_for([row.code for row in rows], PRACTICES_PER_COMPETENCE)
    return [GapPractices(row, by_code[row.code]) for row in rows]


def background_labels(filters: dict) -> list[tuple[str, str]]:
    """(field label, value label) of a background filter, for people to read."""
    labels = []
    for name, value in sorted(filters.items()):
        field = Response._meta.get_field(name)
        labels.append((str(field.verbose_name), str(dict(field.choices).get(value, value))))
    return labels


def build_context(report: ReportRequest, progress) -> dict:
    """Everything the report shows; runs in the report's language."""
    campaign_ids = list(report.campaigns.values_list("pk", flat=True))
    group = analysis.Group.of(campaign_ids, report.filters)
    progress(10, "analysis")
    result = analysis.analyse(group)
    breakdowns = []
    if result.has_self_assessment:
        by_field = analysis.breakdowns(group)
        for name in analysis.BACKGROUND_FIELDS:
            if name in report.filters:
                continue
            label = Response._meta.get_field(name).verbose_name
            breakdowns.append((label, by_field[name]))

    progress(30, "comparison")
    consortium_ids = comparison_campaign_ids(campaign_ids)
    if set(consortium_ids) == set(campaign_ids):
        consortium = result  # no other region answered these questionnaires (yet)
    else:
        consortium = analysis.analyse(analysis.Group.of(consortium_ids, report.filters))
    consortium_regions = sorted(
        {c.region.name if c.region else _("Consortium-wide") for c in consortium.campaigns}
    )
    comparisons = [Comparison(row, consortium.by_code.get(row.code)) for row in result.competences]
    top_gaps = result.ranking[:TOP]

    progress(40, "charts")
    drawn = {
        "profile": charts.area_profile_chart(result, chart_id="report-profile"),
        "ranking": charts.ranking_chart(result, chart_id="report-ranking"),
        "focus": charts.focus_chart(result, chart_id="report-focus"),
        "quadrant": charts.quadrant_chart(result, chart_id="report-quadrant"),
    }
    if "required" in result.axes:
        drawn["focus_required"] = charts.focus_chart(
            result, chart_id="report-focus-required", axis="required"
        )
    return {
        "report": report,
        "region": report.region,
        "partners": Partner.objects.filter(region=report.region).order_by("-is_lead", "name"),
        "result": result,
        "filters": background_labels(report.filters),
        "top_gaps": top_gaps,
        "strengths": result.strengths[:TOP],
        "breakdowns": breakdowns,
        "consortium": consortium,
        "consortium_self_respondents": analysis.count_beside(
            consortium.self_respondents, result.self_respondents
        ),
        "consortium_regions": consortium_regions,
        "comparisons": comparisons,
        "gap_practices": practices_for(top_gaps),
        "charts": drawn,
        "quadrants": analysis.QUADRANTS,
        "focus_labels": analysis.FOCUS,
        "spread": result.narrow_spread("importance", TOP),
        "below_importance_codes": ", ".join(
            row.code for row in result.gaps_below_importance("importance", TOP)
        ),
        "minimum": analysis.MINIMUM,
        "top": TOP,
        "generated_at": timezone.now(),
        "site_url": settings.SITE_URL,
    }


def render_html(report: ReportRequest, progress=lambda percent, stage: None) -> str:
    return render_to_string("surveys/reports/report.html", build_context(report, progress))


def write_pdf(report: ReportRequest, output, progress) -> str:
    """The ReportRequest renderer of kind report_pdf: the PDF into `output`."""
    html = render_html(report, progress)
    progress(60, "layout")
    html_to_pdf(html, target=output)
    return "pdf"
