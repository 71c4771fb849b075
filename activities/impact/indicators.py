"""The achieved value of each of the project's indicators, for a period and by region, per
six-month reporting period, and the evidence behind each number.

Every figure is counted in SQL, one query per source (activities, practices, people with
increased capacity, people whose self-assessed level rose), grouped by region and month;
the regions' rows, the totals and the reporting periods are sums of those groups, so the
by-region table, the chart and the total always agree.

- Study visits, workshops, peer reviews, stakeholder meetings: confirmed, held activities
  of that kind whose first day is in the period, in the host region.
- Good practices analysed: practices published (validated by the consortium) in the
  period, in the practice's region.
- People with increased capacity (activities.capacity) and people whose level rose
  (surveys.analysis.change): each person once; the date they first counted decides the
  period and the region.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Region
from partners.permissions import roles_of
from practices.models import GoodPractice

from ..models import PROJECT_END, PROJECT_START, Activity, Indicator, IndicatorTarget, Kind

PROJECT_START_DATE = datetime.date.fromisoformat(PROJECT_START)
PROJECT_END_DATE = datetime.date.fromisoformat(PROJECT_END)
# Reporting periods are six months long, from the project's first day (May–October,
# November–April).
REPORTING_MONTHS = 6

ACTIVITY_INDICATORS = {
    Indicator.STUDY_VISITS: Kind.STUDY_VISIT,
    Indicator.WORKSHOPS: Kind.WORKSHOP,
    Indicator.PEER_REVIEWS: Kind.PEER_REVIEW,
    Indicator.STAKEHOLDER_MEETINGS: Kind.STAKEHOLDER_MEETING,
}
PEOPLE_INDICATORS = (Indicator.INCREASED_CAPACITY, Indicator.COMPETENCE_ROSE)
# Counts of people are shown in steps of this size to whoever may not see the names behind
# them: a count that moves by one between two moments tells one person's answer.
PEOPLE_STEP = 5


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def project(cls) -> "Period":
        return cls(PROJECT_START_DATE, PROJECT_END_DATE)

    def __str__(self) -> str:
        return f"{date_format(self.start, 'SHORT_DATE_FORMAT')} – " + date_format(
            self.end, "SHORT_DATE_FORMAT"
        )

    def reporting_periods(self) -> list["Period"]:
        """The six-month reporting periods this period touches, each cut to it."""
        periods = []
        first, last = _reporting_index(self.start), _reporting_index(self.end)
        for index in range(first, last + 1):
            start, end = reporting_period(index)
            periods.append(Period(max(start, self.start), min(end, self.end)))
        return periods


def _months_since_start(day: datetime.date) -> int:
    return (day.year - PROJECT_START_DATE.year) * 12 + day.month - PROJECT_START_DATE.month


def _reporting_index(day: datetime.date) -> int:
    return _months_since_start(day) // REPORTING_MONTHS


def reporting_period(index: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of reporting period `index` (0 = May–October 2025)."""
    months = PROJECT_START_DATE.month - 1 + index * REPORTING_MONTHS
    start = datetime.date(PROJECT_START_DATE.year + months // 12, months % 12 + 1, 1)
    months += REPORTING_MONTHS
    following = datetime.date(PROJECT_START_DATE.year + months // 12, months % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def people_shown(count: int | None, exact: bool):
    """A count of people as a viewer may see it: exact for those who may see the names,
    otherwise rounded down to a step of 5, and "fewer than 5" below 5."""
    if count is None or exact:
        return count
    return rounded_people(count)


def rounded_people(count: int) -> int | str:
    # Rounded down to a multiple of 5: two figures read at two moments (or for two periods)
    # then differ by 0 or by at least 5, so no one learns a single person's answer from them.
    if count < PEOPLE_STEP:
        return _("fewer than %(number)s") % {"number": PEOPLE_STEP}
    return count - count % PEOPLE_STEP


# Counting -----------------------------------------------------------------------------------

# (region id, first day of the month) → number
Counts = dict[tuple[int | None, datetime.date], int]


def _month(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _activity_counts(period: Period, region_ids) -> dict[str, Counts]:
    activities = Activity.objects.counted().in_period(period.start, period.end)
    if region_ids is not None:
        activities = activities.filter(region_id__in=region_ids)
    rows = (
        activities.filter(kind__in=ACTIVITY_INDICATORS.values())
        .annotate(month=TruncMonth("starts_on"))
        .values("kind", "region_id", "month")
        .annotate(number=Count("pk"))
        .order_by()
    )
    by_kind: dict[str, Counts] = defaultdict(dict)
    for row in rows:
        by_kind[row["kind"]][(row["region_id"], _month(row["month"]))] = row["number"]
    return {indicator: by_kind.get(kind, {}) for indicator, kind in ACTIVITY_INDICATORS.items()}


def published_practices(period: Period, region_ids=None):
    """Good practices published (validated by the consortium) in the period."""
    practices = GoodPractice.objects.published().filter(
        published_at__date__gte=period.start, published_at__date__lte=period.end
    )
    if region_ids is not None:
        practices = practices.filter(region_id__in=region_ids)
    return practices


def _practice_counts(period: Period, region_ids) -> Counts:
    rows = (
        published_practices(period, region_ids)
        .annotate(month=TruncMonth("published_at"))
        .values("region_id", "month")
        .annotate(number=Count("pk"))
        .order_by()
    )
    return {(row["region_id"], _month(row["month"])): row["number"] for row in rows}


def _people_counts(rows: Iterable[dict]) -> Counts:
    counts: Counts = defaultdict(int)
    for row in rows:
        day = _month(row["date"])
        counts[(row["region_id"], day.replace(day=1))] += 1
    return dict(counts)


def increased_capacity_people(period: Period, region_ids=None) -> list[dict]:
    """One row per person with increased professional capacity: person, name, date,
    region_id, activity_id (the activity through which they first counted)."""
    from .people import increased_capacity

    return increased_capacity(period.start, period.end, region_ids)


def competence_rose_people(period: Period, region_ids=None, *, names: bool = False) -> list[dict]:
    """One row per person whose self-assessed level rose in at least one area (region None:
    a consortium-wide campaign)."""
    from .people import level_rose

    return level_rose(period.start, period.end, region_ids, names=names)


# Results ------------------------------------------------------------------------------------


@dataclass
class Figure:
    indicator: str
    label: str
    target: int | None
    counts: Counts | None  # None: not measured (yet)
    is_people: bool = False
    # Filled by `summarise`: what the viewer is shown.
    achieved: object = None
    share: int | None = None
    by_region: list[tuple[Region, object]] = field(default_factory=list)
    over_time: list[tuple["Period", object, object]] = field(default_factory=list)
    cumulative: list[int] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.indicator

    @property
    def is_measured(self) -> bool:
        return self.counts is not None

    @property
    def total(self) -> int | None:
        return None if self.counts is None else sum(self.counts.values())


def figures(
    period: Period, *, region_ids=None, regions: list[Region] | None = None, viewer=None
) -> list[Figure]:
    """Every indicator for the period (and regions), as `viewer` may see it.

    People counts are exact only when the viewer may see the names of everyone they hold:
    the consortium coordinator, or a regional coordinator for their own regions' rows."""
    targets = dict(IndicatorTarget.objects.values_list("indicator", "target"))
    activity_counts = _activity_counts(period, region_ids)
    sources: dict[str, Counts | None] = dict(activity_counts)
    sources[Indicator.GOOD_PRACTICES] = _practice_counts(period, region_ids)
    sources[Indicator.INCREASED_CAPACITY] = _people_counts(
        increased_capacity_people(period, region_ids)
    )
    sources[Indicator.COMPETENCE_ROSE] = _people_counts(competence_rose_people(period, region_ids))
    if regions is None:
        regions = list(Region.objects.order_by("name"))
    named_regions = names_visible_in(viewer)
    # What a total covers decides whether it is exact, never the data: a total that turned
    # from exact to rounded would tell that someone elsewhere was counted. None: campaigns of
    # the whole consortium.
    covered = set(region_ids) if region_ids is not None else {r.pk for r in regions} | {None}
    results = []
    for indicator, label in Indicator.choices:
        figure = Figure(
            indicator=indicator,
            label=label,
            target=targets.get(indicator),
            counts=sources[indicator],
            is_people=indicator in PEOPLE_INDICATORS,
        )
        summarise(figure, period, regions, named_regions, covered)
        results.append(figure)
    return results


def names_visible_in(viewer) -> set[int] | None:
    """The regions whose people a viewer sees by name; None: every region."""
    if viewer is None:
        return set()
    roles = roles_of(viewer)
    if roles.is_consortium_coordinator:
        return None
    return set(roles.coordinated_region_ids)


def summarise(figure: Figure, period: Period, regions, named_regions, covered: set) -> None:
    if figure.counts is None:
        return
    counts = figure.counts

    def exact_for(region_ids) -> bool:
        if not figure.is_people or named_regions is None:
            return True
        return set(region_ids) <= named_regions

    exact = exact_for(covered)
    figure.achieved = people_shown(figure.total, exact)
    if figure.target and isinstance(figure.achieved, int):
        figure.share = round(100 * figure.achieved / figure.target)
    per_region: dict[int | None, int] = defaultdict(int)
    for (region_id, _month_start), number in counts.items():
        per_region[region_id] += number
    figure.by_region = [
        (region, people_shown(per_region.get(region.pk, 0), exact_for({region.pk})))
        for region in regions
    ]
    running = 0
    # Reporting periods that have not begun yet have nothing to show.
    today = timezone.localdate()
    for one in [one for one in period.reporting_periods() if one.start <= today]:
        in_period = sum(
            number
            for (_region_id, month_start), number in counts.items()
            if one.start.replace(day=1) <= month_start <= one.end
        )
        running += in_period
        figure.over_time.append((one, people_shown(in_period, exact), people_shown(running, exact)))
        # The chart draws what the table shows: a rounded count rounded, "fewer than 5" as 0.
        shown_running = people_shown(running, exact)
        figure.cumulative.append(shown_running if isinstance(shown_running, int) else 0)


def figure_of(indicator: str, period: Period, *, viewer) -> Figure:
    for figure in figures(period, viewer=viewer):
        if figure.indicator == indicator:
            return figure
    raise KeyError(indicator)


# Evidence -----------------------------------------------------------------------------------


def counted_activities(indicator: str, period: Period, region_ids=None):
    activities = (
        Activity.objects.counted()
        .in_period(period.start, period.end)
        .filter(kind=ACTIVITY_INDICATORS[indicator])
        .select_related("region", "host_partner")
        .order_by("starts_on", "pk")
    )
    if region_ids is not None:
        activities = activities.filter(region_id__in=region_ids)
    return activities


@dataclass
class PeopleEvidence:
    """The people behind a count: names where the viewer may see them, else a count per
    region (rounded as the figures are)."""

    named: list[dict]
    counted: list[tuple[str, object]]  # (region name, rounded count)


def people_evidence(
    rows: list[dict], regions: list[Region], viewer, *, consortium_wide: bool = False
) -> PeopleEvidence:
    named_regions = names_visible_in(viewer)
    named, hidden = [], defaultdict(int)
    for row in rows:
        if named_regions is None or row["region_id"] in named_regions:
            named.append(row)
        else:
            hidden[row["region_id"]] += 1
    named.sort(key=lambda row: (row["date"], row["name"]))
    counted = []
    if named_regions is not None:
        # Every other region is listed, with or without people: a region that appeared only
        # once someone there counted would tell that one person had.
        counted = [
            (region.name, rounded_people(hidden.get(region.pk, 0)))
            for region in regions
            if region.pk not in named_regions
        ]
        if consortium_wide:
            counted.append((_("Consortium-wide campaigns"), rounded_people(hidden.get(None, 0))))
    return PeopleEvidence(named=named, counted=counted)
