"""A respondent's own results: the personal profile of one of their responses.

Everything here is computed for the respondent alone and shown only to them
(`get_own_response`). Means and counts are aggregated in SQL; the number of queries
does not grow with the number of competences, practices or campaigns.

- Means ignore "not applicable" answers and unanswered scales.
- The priority list orders competences by gap = importance − current level, largest
  first; a competence without both values (or not applicable) has no gap and is left out.
- The region's averages come from the analysis (surveys.analysis) of the same campaign,
  with all its rules, and need `REGION_MINIMUM` respondents besides the viewer: the viewer
  knows their own answer, and a mean of five that includes it would tell them the mean of
  the other four. Per competence the same: a figure is shown only when at least five other
  people rated it. A consortium-wide campaign compares with all of its respondents.
- History compares the mean current level (mean required level for the demand survey)
  of each submitted response of the same survey kind with the one before it. Framework
  versions may differ between campaigns; the mean is still over the 1–5 scale.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Case, F, IntegerField, Q, When
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import analysis
from ..analysis import charts
from ..i18n import localized
from ..models import Answer, Response, Survey, published_practices_for

REGION_MINIMUM = 5
PRACTICE_COMPETENCES = 3


def get_own_response(request, pk: int) -> Response:
    """The signed-in user's own response; anyone else's (or none) is a 404."""
    return get_object_or_404(
        Response.objects.select_related("campaign__survey", "campaign__region"),
        pk=pk,
        respondent=request.user,
    )


@dataclass
class CompetenceResult:
    competence_id: int
    code: str
    name: str
    area_id: int
    current: int | None
    importance: int | None
    required: int | None
    not_applicable: bool
    gap: int | None
    region_current: float | None = None
    region_importance: float | None = None
    practices: list = field(default_factory=list)


@dataclass
class AreaResult:
    area_id: int
    code: str
    name: str
    mean_current: float | None = None
    mean_importance: float | None = None
    mean_required: float | None = None
    region_mean_current: float | None = None
    region_mean_importance: float | None = None
    competences: list[CompetenceResult] = field(default_factory=list)


@dataclass
class RegionComparison:
    label: str
    submitted: int

    @property
    def shown(self) -> bool:
        """At least REGION_MINIMUM respondents besides the viewer."""
        return self.submitted - 1 >= REGION_MINIMUM


@dataclass
class HistoryEntry:
    response_id: int
    campaign_title: str
    submitted_at: datetime | None
    mean: float | None
    change: float | None
    is_current: bool


@dataclass
class Profile:
    response: Response
    is_demand: bool
    areas: list[AreaResult]
    priorities: list[CompetenceResult]
    comparison: RegionComparison | None
    practice_competences: list[CompetenceResult]
    history: list[HistoryEntry]

    @property
    def competences(self) -> list[CompetenceResult]:
        return [competence for area in self.areas for competence in area.competences]

    @property
    def previous(self) -> HistoryEntry | None:
        for index, entry in enumerate(self.history):
            if entry.is_current:
                return self.history[index - 1] if index else None
        return None

    @property
    def current_entry(self) -> HistoryEntry | None:
        return next((entry for entry in self.history if entry.is_current), None)

    def chart(self) -> str:
        return profile_chart(self)


def _gap():
    return Case(
        When(
            not_applicable=False,
            current_level__isnull=False,
            importance__isnull=False,
            then=F("importance") - F("current_level"),
        ),
        default=None,
        output_field=IntegerField(),
    )


def _applicable(prefix: str = "") -> Q:
    return Q(**{f"{prefix}not_applicable": False})


def build_profile(response: Response) -> Profile:
    """The profile of a submitted response (self-assessment, or required levels for demand)."""
    language = get_language()
    is_demand = response.campaign.survey.kind == Survey.Kind.DEMAND
    answers = (
        Answer.objects.filter(response=response)
        .select_related("competence__area")
        .annotate(gap=_gap())
        .order_by("competence__area__position", "competence__position", "competence__code")
    )
    areas: dict[int, AreaResult] = {}
    for answer in answers:
        competence = answer.competence
        area = areas.get(competence.area_id)
        if area is None:
            area = areas[competence.area_id] = AreaResult(
                area_id=competence.area_id,
                code=competence.area.code,
                name=localized(competence.area, "name", language),
            )
        area.competences.append(
            CompetenceResult(
                competence_id=competence.pk,
                code=competence.code,
                name=localized(competence, "name", language),
                area_id=competence.area_id,
                current=None if answer.not_applicable else answer.current_level,
                importance=None if answer.not_applicable else answer.importance,
                required=None if answer.not_applicable else answer.required_level,
                not_applicable=answer.not_applicable,
                gap=answer.gap,
            )
        )
    means = (
        Answer.objects.filter(response=response)
        .values("competence__area")
        .annotate(
            mean_current=Avg("current_level", filter=_applicable()),
            mean_importance=Avg("importance", filter=_applicable()),
            mean_required=Avg("required_level", filter=_applicable()),
        )
    )
    for row in means:
        area = areas[row["competence__area"]]
        area.mean_current = _number(row["mean_current"])
        area.mean_importance = _number(row["mean_importance"])
        area.mean_required = _number(row["mean_required"])

    competences = [c for area in areas.values() for c in area.competences]
    priorities = sorted((c for c in competences if c.gap is not None), key=lambda c: -c.gap)
    comparison = None
    practice_competences: list[CompetenceResult] = []
    if not is_demand:
        comparison = _compare_with_region(response, areas, competences)
        practice_competences = _attach_practices(priorities[:PRACTICE_COMPETENCES])
    return Profile(
        response=response,
        is_demand=is_demand,
        areas=list(areas.values()),
        priorities=priorities,
        comparison=comparison,
        practice_competences=practice_competences,
        history=_history(response, is_demand),
    )


def _number(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _compare_with_region(
    response: Response, areas: dict[int, AreaResult], competences: list[CompetenceResult]
) -> RegionComparison:
    campaign = response.campaign
    result = analysis.analyse(analysis.Group.of([campaign]))
    respondents = result.self_respondents
    comparison = RegionComparison(
        label=campaign.region.name if campaign.region else _("all respondents"),
        submitted=respondents if analysis.is_number(respondents) else 0,
    )
    if not comparison.shown:
        return comparison
    for competence in competences:
        row = result.by_code.get(competence.code)
        if row is None:
            continue
        competence.region_current = _beside_mine(row.current, competence.current)
        competence.region_importance = _beside_mine(row.importance, competence.importance)
    by_area = {area.code: area for area in areas.values()}
    for row in result.areas:
        area = by_area.get(row.code)
        if area is not None:
            area.region_mean_current = row.mean_current
            area.region_mean_importance = row.mean_importance
    return comparison


def _beside_mine(measure: analysis.Measure, mine: int | None) -> analysis.Figure:
    """The group's mean beside the viewer's own rating, a group of one within it: hidden
    unless at least MINIMUM people besides the viewer make it (analysis.beside)."""
    return analysis.beside(measure, analysis.Measure(1, mine, None))


def _attach_practices(top: list[CompetenceResult]) -> list[CompetenceResult]:
    """Published good practices tagged with each of the top priority competences."""
    by_code = published_practices_for([competence.code for competence in top])
    for competence in top:
        competence.practices = by_code[competence.code]
    return top


def _history(response: Response, is_demand: bool) -> list[HistoryEntry]:
    value = "answers__required_level" if is_demand else "answers__current_level"
    responses = (
        Response.objects.filter(
            respondent_id=response.respondent_id,
            status=Response.Status.SUBMITTED,
            campaign__survey__kind=response.campaign.survey.kind,
        )
        .annotate(mean=Avg(value, filter=_applicable("answers__")))
        .values("pk", "campaign__title", "submitted_at", "mean")
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    history: list[HistoryEntry] = []
    previous_mean = None
    for row in responses:
        mean = _number(row["mean"])
        change = (
            round(mean - previous_mean, 2)
            if mean is not None and previous_mean is not None
            else None
        )
        history.append(
            HistoryEntry(
                response_id=row["pk"],
                campaign_title=row["campaign__title"],
                submitted_at=row["submitted_at"],
                mean=mean,
                change=change,
                is_current=row["pk"] == response.pk,
            )
        )
        previous_mean = mean
    return history


def _plotted(value) -> float | None:
    # A hidden figure has no bar; the table beside the chart says why.
    return value if analysis.is_number(value) else None


def profile_chart(profile: Profile) -> str:
    """The profile as bars: each area's means, then its competences' values."""
    if profile.is_demand:
        series = [charts.Series("required", _("Required level"), charts.REQUIRED)]
    else:
        series = [
            charts.Series("current", _("Your current level"), charts.CURRENT),
            charts.Series("importance", _("Importance to you"), charts.IMPORTANCE),
        ]
        if profile.comparison and profile.comparison.shown:
            series.append(
                charts.Series("region_current", _("Region: current level"), charts.COMPARISON)
            )
    rows = []
    for area in profile.areas:
        rows.append(
            charts.Row(
                label=area.name,
                heading=True,
                values={
                    "current": area.mean_current,
                    "importance": area.mean_importance,
                    "required": area.mean_required,
                    "region_current": _plotted(area.region_mean_current),
                },
            )
        )
        for competence in area.competences:
            rows.append(
                charts.Row(
                    label=f"{competence.code} {competence.name}",
                    values={
                        "current": competence.current,
                        "importance": competence.importance,
                        "required": competence.required,
                        "region_current": _plotted(competence.region_current),
                    },
                )
            )
    if profile.is_demand:
        title = _("Required level by area and competence")
        description = _(
            "Bars from 0 to 5: the mean required level of each area, then the required level "
            "of each of its competences. The same numbers are in the table below."
        )
    else:
        title = _("Your current level and its importance, by area and competence")
        description = _(
            "Bars from 0 to 5: for each area the mean of your current levels and of the "
            "importance you gave, then the values for each of its competences. The same "
            "numbers are in the table below."
        )
    return charts.horizontal_bars(
        rows, series, title=title, description=description, chart_id="profile-chart"
    )
