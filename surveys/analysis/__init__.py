"""Gap analysis of a group of survey responses: the numbers behind dashboards, reports,
exports, public statistics and the findings cited in policy briefs.

A group is one or more campaigns (self-assessment and/or employer demand), optionally
narrowed by a background value of the self-assessment respondents. Per competence:

- n, mean and sample standard deviation of current level C, importance I (self-assessment)
  and required level R (employer demand); "not applicable" answers count in no n;
- gap = mean(I − C) and Borich MWDS = Σᵢ (Iᵢ − Cᵢ) · Ī / N, both over the N respondents who
  rated both scales, Ī being their mean importance; competences ranked by MWDS;
- market gap = mean(R) − mean(C);
- the 95 % confidence interval of each of those means (`intervals`): shown only beside the
  figure it belongs to, so it is suppressed wherever that figure is;
- the importance–performance quadrant and the Locus for Focus view (importance against the
  gap), on the staff's importance or the employers' required level (`priorities`): a
  competence is given a quadrant only where its intervals stay clear of both cross-hairs
  (the means over the competences), and is "near the average" otherwise.

Competences are matched across framework versions by code; names come from the newest
version among the campaigns' surveys.

Suppression (DESIGN.md section 1): one background field at a time, and a group filtered by
it is shown only when the breakdown by that field shows it too (with its complementary
suppression), so that no two filters and a total leave a group of 1 to 4 to subtract. In a
group of several campaigns, that holds for each campaign's own part as well
(`hidden_in_any`, and per competence `_mark_recoverable_parts`): the same view of fewer
campaigns may be subtracted, and the difference is some campaigns' own parts.
While a campaign is open only its released responses count (`Response.released`, set five
or more at a time by `ResponseQuerySet.release_due` when people submit), so that figures
taken before and after one person submits are the same; once it closes, all count. A
campaign with fewer than `MINIMUM` counted responses contributes to no figure, alone or
combined with others (`counted_campaigns`), so that a selection of campaigns with and
without it differs by nobody. A figure computed from fewer than `MINIMUM` respondents is
`SUPPRESSED`. With a background filter, a figure is also
suppressed when the rest of the unfiltered group (total minus filtered) has 1 to 4
respondents, since the unfiltered total is shown too and the difference would reveal them.
Breakdowns and region comparisons hide more groups until the hidden ones total `MINIMUM` or
more (`hide_recoverable`).

All aggregation runs in SQL: `analyse` makes four queries whatever the number of
competences, campaigns or respondents (five for a filtered group of several campaigns);
`compare_regions` two, and `breakdowns` (every background field at once) two.

Results are cached, keyed by the group, the language and `response_state` (each campaign's
submitted responses' number and latest change - one cheap query, also behind report reuse,
and what `counted_campaigns` reads), so a dashboard
seen twice is computed once and an answer saved anywhere in the group is seen at once.
Erasure anonymises without touching those columns, so it calls `forget_all`.
"""

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..i18n import localized
from ..models import Campaign, Competence, Response, Survey
from ..models.responses import counted_in_figures
from . import intervals, priorities, statistics
from .priorities import AXES, CrossHairs, Placement
from .priorities import FOCUS as FOCUS
from .priorities import NEAR_AVERAGE as NEAR_AVERAGE
from .priorities import QUADRANTS as QUADRANTS

MINIMUM = 5
BACKGROUND_FIELDS = ("organisation_type", "role", "experience", "age_band")


class Suppressed:
    """A figure from fewer than five respondents; shown as text, never as a number."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return str(_("fewer than 5 responses"))

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        # Unpickled from the cache as the same singleton, so `is SUPPRESSED` holds.
        return (Suppressed, ())


SUPPRESSED = Suppressed()
Figure = float | int | Suppressed | None


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Group:
    """Campaigns analysed together, optionally narrowed by background values."""

    campaign_ids: tuple[int, ...]
    background: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "campaign_ids", tuple(sorted(set(self.campaign_ids))))
        for name, _value in self.background:
            if name not in BACKGROUND_FIELDS:
                raise ValueError(f"not a background field: {name}")
        if len(self.background) > 1:
            raise ValueError("one background field at a time")
        object.__setattr__(self, "background", tuple(sorted(self.background)))

    @classmethod
    def of(cls, campaigns: Iterable, background: dict[str, str] | None = None) -> "Group":
        ids = tuple(c if isinstance(c, int) else c.pk for c in campaigns)
        return cls(ids, tuple((k, v) for k, v in (background or {}).items() if v))

    def narrowed(self) -> Q:
        return Q(**{f"response__{name}": value for name, value in self.background})


@dataclass(frozen=True)
class Measure:
    n: int | Suppressed | None
    mean: Figure
    sd: Figure

    @property
    def shown(self) -> bool:
        return is_number(self.mean)

    @property
    def margin(self) -> Figure:
        """Half the width of the mean's 95 % interval; hidden wherever the mean is."""
        if not self.shown:
            return self.mean
        return intervals.margin_of_mean(self.n, self.sd)


def _margin_of(figure: Figure, margin: float | None) -> Figure:
    """A margin shown only beside a figure that is shown."""
    return margin if is_number(figure) else figure


NOT_ASKED = Measure(None, None, None)
HIDDEN = Measure(SUPPRESSED, SUPPRESSED, SUPPRESSED)


@dataclass
class CompetenceRow:
    code: str
    name: str
    area_code: str
    area_name: str
    current: Measure = NOT_ASKED
    importance: Measure = NOT_ASKED
    required: Measure = NOT_ASKED
    pairs: int | Suppressed | None = None
    gap: Figure = None
    mwds: Figure = None
    market_gap: Figure = None
    rank: int | None = None
    # The importance–performance quadrant on the staff's importance (the placement's).
    quadrant: str | None = None
    # Sample sd of I − C and mean importance (the MWDS weight) of the pairs.
    gap_sd: Figure = None
    pair_importance: Figure = None
    # Importance axis ("importance" or "required") → the competence in the priority views.
    placements: dict[str, Placement] = field(default_factory=dict)

    @property
    def quadrant_label(self) -> str:
        return self.placement("importance").quadrant_label

    @property
    def focus(self) -> str | None:
        return self.placement("importance").focus

    @property
    def focus_label(self) -> str:
        return self.placement("importance").focus_label

    def placement(self, axis: str) -> Placement:
        return self.placements.get(axis) or Placement()

    @property
    def gap_margin(self) -> Figure:
        if not is_number(self.gap):
            return self.gap
        return intervals.margin_of_mean(self.pairs, self.gap_sd)

    @property
    def mwds_margin(self) -> Figure:
        """The gap's margin times the mean importance, the weight taken as fixed."""
        margin = self.gap_margin
        if not is_number(self.mwds) or margin is None:
            return _margin_of(self.mwds, None)
        return margin * self.pair_importance

    @property
    def market_gap_margin(self) -> Figure:
        if not is_number(self.market_gap):
            return self.market_gap
        return intervals.margin_of_difference(
            self.required.n, self.required.sd, self.current.n, self.current.sd
        )


@dataclass
class AreaRow:
    code: str
    name: str
    mean_current: Figure = None
    mean_importance: Figure = None
    mean_required: Figure = None
    competences: list[CompetenceRow] = field(default_factory=list)


@dataclass
class Analysis:
    group: Group
    campaigns: list[Campaign]
    self_respondents: int | Suppressed | None
    demand_respondents: int | Suppressed | None
    response_rate: Figure
    competences: list[CompetenceRow]
    grand_mean_current: Figure = None
    grand_mean_importance: Figure = None
    # Importance axis → where the lines of the priority views cross.
    cross_hairs: dict[str, CrossHairs] = field(default_factory=dict)
    # Campaigns of the group left out of every figure: fewer than MINIMUM responses each.
    uncounted: int = 0

    @property
    def has_open_campaign(self) -> bool:
        return any(campaign.is_open for campaign in self.campaigns)

    @cached_property
    def by_code(self) -> dict[str, CompetenceRow]:
        return {row.code: row for row in self.competences}

    @cached_property
    def ranking(self) -> list[CompetenceRow]:
        """Competences with a shown MWDS, largest first."""
        return sorted((r for r in self.competences if r.rank), key=lambda r: r.rank)

    @cached_property
    def strengths(self) -> list[CompetenceRow]:
        """Competences rated highest for current level, highest first."""
        shown = [r for r in self.competences if r.current.shown]
        return sorted(shown, key=lambda r: (-r.current.mean, r.code))

    @cached_property
    def areas(self) -> list[AreaRow]:
        areas: dict[str, AreaRow] = {}
        for row in self.competences:
            area = areas.setdefault(row.area_code, AreaRow(row.area_code, row.area_name))
            area.competences.append(row)
        for area in areas.values():
            area.mean_current = _mean_of(r.current for r in area.competences)
            area.mean_importance = _mean_of(r.importance for r in area.competences)
            area.mean_required = _mean_of(r.required for r in area.competences)
        return list(areas.values())

    @property
    def axes(self) -> list[str]:
        """The importance axes the priority views can be drawn on for this group."""
        return [axis for axis in AXES if axis in self.cross_hairs]

    def spread(self, axis: str = "importance") -> priorities.Spread | None:
        return priorities.spread(self.competences, axis)

    def narrow_spread(self, axis: str = "importance", top: int = 5) -> priorities.Spread | None:
        """The importance axis's range where it is too narrow for the views to place some of
        the `top` largest gaps (near the average of it): the pages then say why."""
        spread = self.spread(axis)
        near = any(axis in row.placement(axis).focus_near for row in self.ranking[:top])
        return spread if spread and spread.narrow and near else None

    def gaps_below_importance(self, axis: str = "importance", top: int = 5) -> list:
        """The `top` largest gaps that the importance–performance quadrant clearly puts below
        the average importance (low priority, possible overkill): it compares levels, the
        ranking gaps, and the pages say so."""
        below = ("low_priority", "overkill")
        return [row for row in self.ranking[:top] if row.placement(axis).quadrant in below]

    @property
    def has_self_assessment(self) -> bool:
        return self.self_respondents is not None

    @property
    def has_demand(self) -> bool:
        return self.demand_respondents is not None


def _mean_of(measures: Iterable[Measure]) -> Figure:
    measures = list(measures)
    shown = [m.mean for m in measures if m.shown]
    if shown:
        return fmean(shown)
    return SUPPRESSED if any(m.n is not None for m in measures) else None


def _number(value) -> float | None:
    return None if value is None else float(value)


def _visible(n: int, total: int) -> bool:
    """A count may be shown if it is large enough and so is what the total leaves over."""
    rest = total - n
    return n >= MINIMUM and (rest == 0 or rest >= MINIMUM)


def _competence_names(campaigns: Sequence[Campaign]) -> dict[str, tuple[str, str, str, str]]:
    """code → (name, area code, area name, sort key) from the newest framework of the group."""
    language = get_language()
    framework_ids = {c.survey.framework_id for c in campaigns}
    names: dict[str, tuple] = {}
    competences = (
        Competence.objects.filter(area__framework_id__in=framework_ids)
        .select_related("area__framework")
        .order_by("-area__framework__version", "area__position", "position", "code")
    )
    for competence in competences:
        if competence.code in names:
            continue
        area = competence.area
        names[competence.code] = (
            localized(competence, "name", language),
            area.code,
            localized(area, "name", language),
            len(names),
        )
    return names


def _load_campaigns(group: Group) -> list[Campaign]:
    return list(
        Campaign.objects.filter(pk__in=group.campaign_ids)
        .select_related("survey", "region")
        .annotate(invited=Count("invitations", distinct=True))
        .order_by("opens_at", "pk")
    )


def _respondent_counts(group: Group, kinds: dict[int, str]) -> dict:
    """Submitted respondents: all, those of the filter's value, employers; and, with a
    filter, `hidden`: whether the breakdown by that field hides its value (one query)."""
    is_self = {pk: kind == Survey.Kind.SELF_ASSESSMENT for pk, kind in kinds.items()}
    if not group.background:
        rows = statistics.rows(group.campaign_ids, respondents=True)
        self_total = sum(r["respondents"] for r in rows if is_self[r["campaign_id"]])
        demand_n = sum(r["respondents"] for r in rows if not is_self[r["campaign_id"]])
        return {
            "self_total": self_total,
            "demand_n": demand_n,
            "self_n": self_total,
            "hidden": False,
        }
    ((name, value),) = group.background
    rows = statistics.rows(group.campaign_ids, respondents=True, **{name: ...})
    per_campaign: dict[int, dict] = {}
    for row in rows:
        own = row["respondents"] if is_self[row["campaign_id"]] else 0
        per_campaign.setdefault(row["campaign_id"], {})[row[name]] = own
    hidden = hidden_in_any(per_campaign)
    self_rows = [row for row in rows if is_self[row["campaign_id"]]]
    return {
        "self_total": sum(row["respondents"] for row in self_rows),
        "self_n": sum(row["respondents"] for row in self_rows if row[name] == value),
        "demand_n": sum(r["respondents"] for r in rows if not is_self[r["campaign_id"]]),
        "hidden": value in hidden,
    }


def hidden_in_any(per_campaign: dict[int, dict]) -> set:
    """The background values to hide in a group of campaigns: those `hide_recoverable`
    hides in the group's totals, or in any one campaign's own counts. Views of the group and
    of its sub-groups (fewer campaigns) may be set against each other, and their difference
    is some campaigns' own part: each part of each value must be 0 or at least MINIMUM."""
    totals: dict = {}
    for counts in per_campaign.values():
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
    hidden = hide_recoverable(totals)
    if len(per_campaign) > 1:
        for counts in per_campaign.values():
            hidden |= hide_recoverable(counts)
    return hidden


def _response_rate(campaigns: Sequence[Campaign], counts: dict) -> Figure:
    """Submitted responses against invitations (invitation-only) or the target (open link)."""
    expected = 0
    for campaign in campaigns:
        if campaign.access == Campaign.Access.INVITATION:
            expected += campaign.invited
        else:
            expected += campaign.target_responses or 0
    if not expected:
        return None
    return (counts["self_total"] + counts["demand_n"]) / expected


CACHE_SECONDS = 3600
GENERATION_KEY = "analysis:generation"
# Part of every cache key: a new shape of the cached results never meets an old one.
RESULT_SHAPE = 3


def forget_all() -> None:
    """Drop every cached analysis and stored statistics (after a change the response
    columns do not show)."""
    statistics.forget()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def response_state(campaign_ids: Sequence[int]) -> dict:
    """What the figures of these campaigns depend on: each campaign's number of submitted
    responses and their latest change (saving or submitting a response stamps `updated_at`)."""
    rows = (
        Response.objects.filter(counted_in_figures(), campaign_id__in=campaign_ids)
        .values("campaign_id")
        # count(*), not count(id): the covering index response_counts_by_status alone answers.
        .annotate(submitted=Count("*"), latest=Max("updated_at"))
        .order_by("campaign_id")
    )
    return {row["campaign_id"]: (row["submitted"], row["latest"].isoformat()) for row in rows}


def counted_campaigns(state: dict) -> tuple[int, ...]:
    """The campaigns that contribute to figures: those with at least `MINIMUM` submitted
    responses of their own. A smaller one counts nowhere, alone or beside others, so that
    comparing a selection with and without it reveals nobody."""
    return tuple(sorted(pk for pk, (submitted, _latest) in state.items() if submitted >= MINIMUM))


def cache_key(prefix: str, *inputs) -> str:
    """The cache key of a result computed from `inputs` (their repr), in the current
    generation (`forget_all` starts a new one) and shape of the cached results."""
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    fingerprint = repr((RESULT_SHAPE, *inputs))
    return f"{prefix}:{generation}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"


def _cached(kind: str, campaign_ids: Sequence[int], details, compute: Callable):
    """`compute(counted campaign ids)`, from the cache when the responses have not changed."""
    state = response_state(campaign_ids)
    counted = counted_campaigns(state)
    key = cache_key("analysis", kind, tuple(sorted(campaign_ids)), details, get_language(), state)
    result = cache.get(key)
    if result is None:
        statistics.refresh(state, counted)
        result = compute(counted)
        cache.set(key, result, CACHE_SECONDS)
    return result


def analyse(group: Group) -> Analysis:
    """The whole analysis of a group: from the cache, or in four more queries."""
    return _cached(
        "analyse", group.campaign_ids, group.background, lambda ids: _analyse(group, ids)
    )


def _analyse(group: Group, counted: tuple[int, ...]) -> Analysis:
    campaigns = _load_campaigns(group)
    kinds = {c.pk: c.survey.kind for c in campaigns}
    has_self = Survey.Kind.SELF_ASSESSMENT in kinds.values()
    has_demand = Survey.Kind.DEMAND in kinds.values()
    names = _competence_names(campaigns)
    counts = _respondent_counts(Group(counted, group.background), kinds)
    stats = _answer_stats(counted, kinds, group.background)
    if counts["hidden"]:
        # The breakdown by this field hides this group: so does every figure filtered by it.
        counts["self_n"] = 0
        for data in stats.values():
            data.update(current_n=0, importance_n=0, pairs=0)

    rows = []
    for code, (name, area_code, area_name, _order) in sorted(
        names.items(), key=lambda item: item[1][3]
    ):
        row = CompetenceRow(code, name, area_code, area_name)
        data = stats.get(code, {})
        if has_self:
            row.current = _measure(data, "current", group)
            row.importance = _measure(data, "importance", group)
            pairs = data.get("pairs", 0)
            if _visible(pairs, data.get("pairs_total", pairs)) and not data.get("pairs_parts"):
                row.pairs = pairs
                row.gap = float(data["gap"])
                row.gap_sd = _number(data["gap_sd"])
                row.pair_importance = float(data["pair_importance"])
                row.mwds = row.gap * row.pair_importance
            else:
                row.pairs = row.gap = row.mwds = SUPPRESSED
                row.gap_sd = row.pair_importance = SUPPRESSED
        if has_demand:
            row.required = _measure(data, "required", None)
        if has_self and has_demand:
            shown = row.current.shown and row.required.shown
            row.market_gap = row.required.mean - row.current.mean if shown else SUPPRESSED
        rows.append(row)

    ranked = sorted((r for r in rows if is_number(r.mwds)), key=lambda r: (-r.mwds, r.code))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    analysis = Analysis(
        group=group,
        campaigns=campaigns,
        self_respondents=_count(counts["self_n"], counts["self_total"]) if has_self else None,
        demand_respondents=_count(counts["demand_n"], counts["demand_n"]) if has_demand else None,
        response_rate=_response_rate([c for c in campaigns if c.pk in counted], counts),
        competences=rows,
        uncounted=len(campaigns) - len(counted),
    )
    _place_in_quadrants(analysis)
    return analysis


def _mean(total: int, n: int) -> float | None:
    return total / n if n else None


def _sd(total: int, squares: int, n: int) -> float | None:
    """The sample standard deviation from the number, sum and sum of squares."""
    if n < 2:
        return None
    spread = n * squares - total * total
    return math.sqrt(spread / (n * (n - 1))) if spread > 0 else 0.0


def _added(rows: Iterable[dict], kinds: dict[int, str]) -> dict[str, dict]:
    """Per competence code, the stored sums of the rows added up, each scale over the
    campaigns that ask it (current level and importance: self-assessment; required level:
    employer demand)."""
    sums: dict[str, dict] = {}
    for row in rows:
        data = sums.setdefault(row["competence_code"], dict.fromkeys(statistics.SUMS, 0))
        if kinds[row["campaign_id"]] == Survey.Kind.SELF_ASSESSMENT:
            for key in statistics.SELF_SUMS:
                data[key] += row[key]
        else:
            for key in statistics.DEMAND_SUMS:
                data[key] += row[key]
    return sums


def _figures(sums: dict) -> dict:
    """n, mean and sd of each scale and of the pairs' gap, as `_analyse` reads them."""
    figures = {}
    for prefix in ("current", "importance", "required"):
        n, total, squares = (sums[f"{prefix}_{key}"] for key in ("n", "sum", "squares"))
        figures |= {
            f"{prefix}_n": n,
            f"{prefix}_mean": _mean(total, n),
            f"{prefix}_sd": _sd(total, squares, n),
        }
    pairs = sums["pairs"]
    return figures | {
        "pairs": pairs,
        "gap": _mean(sums["gap_sum"], pairs),
        "gap_sd": _sd(sums["gap_sum"], sums["gap_squares"], pairs),
        "pair_importance": _mean(sums["pair_importance_sum"], pairs),
    }


# What a region's column of the comparison shows of each competence.
REGION_CELL = (
    "current_n",
    "current_mean",
    "importance_n",
    "importance_mean",
    "required_n",
    "required_mean",
    "pairs",
    "gap",
    "pair_importance",
)
# The counts whose filtered part or rest, in one campaign, may be subtracted (`*_parts`).
PART_COUNTS = (("current", "current_n"), ("importance", "importance_n"), ("pairs", "pairs"))


def _answer_stats(counted: Sequence[int], kinds: dict[int, str], background) -> dict:
    """Per competence code the figures of the (filtered) group, from the stored rows; with
    a filter also each scale's unfiltered count (`*_total`) and, for several campaigns,
    `*_parts` where one campaign's filtered part or its rest holds 1 to 4 answers, since
    the same view of fewer campaigns may be subtracted from it."""
    totals = statistics.rows(counted, respondents=False)
    if not background:
        return {code: _figures(sums) for code, sums in _added(totals, kinds).items()}
    ((name, value),) = background
    narrowed = statistics.rows(counted, respondents=False, **{name: value})
    whole = _added(totals, kinds)
    part = _added(narrowed, kinds)
    empty = dict.fromkeys(statistics.SUMS, 0)
    stats = {}
    for code, sums in whole.items():
        stats[code] = _figures(part.get(code, empty)) | {
            "current_total": sums["current_n"],
            "importance_total": sums["importance_n"],
            "pairs_total": sums["pairs"],
        }
    if len(counted) > 1:
        own = {(r["campaign_id"], r["competence_code"]): r for r in narrowed}
        for row in totals:
            if kinds[row["campaign_id"]] != Survey.Kind.SELF_ASSESSMENT:
                continue
            mine = own.get((row["campaign_id"], row["competence_code"]), empty)
            data = stats[row["competence_code"]]
            for prefix, key in PART_COUNTS:
                n, total = mine[key], row[key]
                if 0 < n < MINIMUM or 0 < total - n < MINIMUM:
                    data[f"{prefix}_parts"] = True
    return stats


def _count(n: int, total: int) -> int | Suppressed:
    return n if _visible(n, total) else SUPPRESSED


def _measure(data: dict, prefix: str, group: Group | None) -> Measure:
    n = data.get(f"{prefix}_n", 0)
    total = data.get(f"{prefix}_total", n) if group else n
    if not _visible(n, total) or data.get(f"{prefix}_parts"):
        return HIDDEN
    return Measure(n, _number(data[f"{prefix}_mean"]), _number(data[f"{prefix}_sd"]))


def _place_in_quadrants(analysis: Analysis) -> None:
    """Both priority views on each importance axis the group has (`priorities.place`)."""
    for axis in AXES:
        cross_hairs, placements = priorities.place(analysis.competences, axis)
        if cross_hairs is None:
            continue
        analysis.cross_hairs[axis] = cross_hairs
        for row in analysis.competences:
            if row.code in placements:
                row.placements[axis] = placements[row.code]
    on_importance = analysis.cross_hairs.get("importance")
    if on_importance is not None:
        analysis.grand_mean_current = on_importance.current
        analysis.grand_mean_importance = on_importance.importance
    for row in analysis.competences:
        row.quadrant = row.placement("importance").quadrant


# Breakdowns and comparisons: several groups side by side, where a hidden group must not
# be recoverable from the visible ones and the total.


def participation(count: int) -> int | Suppressed:
    """A count of people who started or submitted, as shown: below `MINIMUM`, "fewer than 5",
    so that a count moving by one does not tell whether one given person answered."""
    return count if count >= MINIMUM else SUPPRESSED


def beside(whole: Measure, part: Measure) -> Figure:
    """The mean of a whole shown beside a part of it (the consortium beside a region):
    hidden when the two differ by 1 to 4 respondents, whose answers the difference of the
    two means would give away."""
    if not whole.shown:
        return whole.mean
    if part.shown and 0 < whole.n - part.n < MINIMUM:
        return SUPPRESSED
    return whole.mean


def count_beside(whole, part):
    """A count of a whole shown beside the count of a part of it: hidden the same way."""
    both = is_number(whole) and is_number(part)
    return SUPPRESSED if both and 0 < whole - part < MINIMUM else whole


def hide_recoverable(counts: dict, minimum: int = MINIMUM) -> set:
    """Keys whose figures must be hidden: groups below `minimum`, and then the smallest
    visible groups until the hidden ones hold `minimum` or more respondents together
    (or nothing is left to hide). Empty groups reveal nothing and stay as they are."""
    hidden = {key for key, n in counts.items() if 0 < n < minimum}
    if not hidden:
        return hidden
    visible = sorted((n, str(key), key) for key, n in counts.items() if n >= minimum)
    while visible and (len(hidden) < 2 or sum(counts[k] for k in hidden) < minimum):
        hidden.add(visible.pop(0)[2])
    return hidden


@dataclass
class BreakdownRow:
    value: str
    label: str
    respondents: int | Suppressed
    mean_current: Figure
    mean_importance: Figure
    mean_gap: Figure


def _choices(name: str) -> dict[str, str]:
    return dict(Response._meta.get_field(name).choices)


def breakdown(group: Group, name: str) -> list[BreakdownRow]:
    """Self-assessment respondents of the group by one background field, with the means of
    all their ratings; small groups hidden and hidden groups kept unrecoverable."""
    if name not in BACKGROUND_FIELDS:
        raise ValueError(f"not a background field: {name}")
    return breakdowns(group)[name]


def breakdowns(group: Group) -> dict[str, list[BreakdownRow]]:
    """`breakdown` for every background field at once: two queries, one pass over the
    answers grouped by all fields together, summed per field here."""
    return _cached(
        "breakdowns",
        group.campaign_ids,
        group.background,
        lambda ids: _breakdowns(Group(ids, group.background)),
    )


def _breakdowns(group: Group) -> dict[str, list[BreakdownRow]]:
    kinds = dict(
        Campaign.objects.filter(pk__in=group.campaign_ids).values_list("pk", "survey__kind")
    )
    own = [pk for pk, kind in kinds.items() if kind == Survey.Kind.SELF_ASSESSMENT]
    narrowed = dict(group.background)
    result = {}
    for name in BACKGROUND_FIELDS:
        # The filter's own field has its value only; any other, each value beside it.
        by_value = narrowed if name in narrowed else {**narrowed, name: ...}
        totals: dict[str, dict] = {}
        parts: dict[int, dict] = {}  # campaign -> value -> respondents
        for row in statistics.rows(own, None, **by_value):
            per_value = totals.setdefault(row[name], dict.fromkeys(_SUMMED, 0))
            if row["competence_code"]:
                for key in _SUMMED[1:]:
                    per_value[key] += row[key]
            else:
                per_value["respondents"] += row["respondents"]
                parts.setdefault(row["campaign_id"], {})[row[name]] = row["respondents"]
        result[name] = _breakdown_rows(name, totals, hidden_in_any(parts))
    return result


_SUMMED = (
    "respondents",
    "current_n",
    "current_sum",
    "importance_n",
    "importance_sum",
    "pairs",
    "gap_sum",
)


def _ratio(total: int, n: int) -> float | None:
    return total / n if n else None


def _breakdown_rows(name: str, per_value: dict[str, dict], hidden: set) -> list[BreakdownRow]:
    rows = []
    for value, label in [*_choices(name).items(), ("", _("Not given"))]:
        figures = per_value.get(value)
        if not figures or not figures["respondents"]:
            continue
        if value in hidden:
            rows.append(BreakdownRow(value, str(label), *[SUPPRESSED] * 4))
            continue
        rows.append(
            BreakdownRow(
                value,
                str(label),
                figures["respondents"],
                _ratio(figures["current_sum"], figures["current_n"]),
                _ratio(figures["importance_sum"], figures["importance_n"]),
                _ratio(figures["gap_sum"], figures["pairs"]),
            )
        )
    return rows


COUNT_OF = {
    "current": "current_n",
    "importance": "importance_n",
    "required": "required_n",
    "pairs": "pairs",
}


@dataclass
class RegionColumn:
    region_id: int | None
    name: str
    self_respondents: int | Suppressed
    demand_respondents: int | Suppressed
    # competence code → (mean current, mean importance, mean required, MWDS)
    figures: dict[str, tuple[Figure, Figure, Figure, Figure]] = field(default_factory=dict)


def compare_regions(campaigns: Sequence[Campaign]) -> list[RegionColumn]:
    """Each region's campaigns among `campaigns` side by side, per competence, with the
    same suppression per cell and no hidden region recoverable from the consortium total."""
    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]

    def compute(counted: tuple[int, ...]) -> list[RegionColumn]:
        columns = _compare_regions([c for c in campaigns if c.pk in counted])
        # A region all of whose campaigns are too small to count: fewer than 5, nothing shown.
        shown = {column.region_id for column in columns}
        hidden = {
            c.region_id: c.region.name if c.region else str(_("Consortium-wide"))
            for c in campaigns
            if c.region_id not in shown
        }
        asked = {}
        for column in columns:
            for code, figures in column.figures.items():
                asked.setdefault(
                    code, tuple(SUPPRESSED if f is not None else None for f in figures)
                )
        columns += [
            RegionColumn(region, name, SUPPRESSED, SUPPRESSED, dict(asked))
            for region, name in hidden.items()
        ]
        return sorted(columns, key=lambda column: column.name)

    return _cached("regions", ids, None, compute)


def _compare_regions(campaigns: list[Campaign]) -> list[RegionColumn]:
    ids = [c.pk for c in campaigns]
    regions = {
        c.region_id: (c.region.name if c.region else str(_("Consortium-wide"))) for c in campaigns
    }
    region_of = {c.pk: c.region_id for c in campaigns}
    kinds = {c.pk: c.survey.kind for c in campaigns}
    counts: dict = {}
    for row in statistics.rows(ids, respondents=True):
        count = counts.setdefault(region_of[row["campaign_id"]], {"self_n": 0, "demand_n": 0})
        is_self = kinds[row["campaign_id"]] == Survey.Kind.SELF_ASSESSMENT
        count["self_n" if is_self else "demand_n"] += row["respondents"]
    per_region: dict = {}
    for row in statistics.rows(ids, respondents=False):
        per_region.setdefault(region_of[row["campaign_id"]], []).append(row)
    cells = []
    for region, rows in per_region.items():
        for code, sums in _added(rows, kinds).items():
            figures = _figures(sums)
            cells.append(
                {
                    "response__campaign__region": region,
                    "competence__code": code,
                    **{key: figures[key] for key in REGION_CELL},
                }
            )
    hidden_self = hide_recoverable({r: counts.get(r, {}).get("self_n", 0) for r in regions})
    hidden_demand = hide_recoverable({r: counts.get(r, {}).get("demand_n", 0) for r in regions})
    columns = {
        region: RegionColumn(
            region,
            name,
            SUPPRESSED if region in hidden_self else counts.get(region, {}).get("self_n", 0),
            SUPPRESSED if region in hidden_demand else counts.get(region, {}).get("demand_n", 0),
        )
        for region, name in sorted(regions.items(), key=lambda item: item[1])
    }
    by_code: dict[str, dict] = {}
    for cell in cells:
        by_code.setdefault(cell["competence__code"], {})[cell["response__campaign__region"]] = cell
    for code, per_region in by_code.items():
        hidden = {
            scale: hide_recoverable({r: per_region.get(r, {}).get(key, 0) for r in regions})
            for scale, key in COUNT_OF.items()
        }
        for region, column in columns.items():
            cell = per_region.get(region)
            if cell is not None:
                column.figures[code] = _region_figures(cell, region, hidden)
    return list(columns.values())


def background_options() -> dict[str, list[tuple[str, str]]]:
    """The background fields a filter may use, with their values, for forms."""
    return {name: list(Response._meta.get_field(name).choices) for name in BACKGROUND_FIELDS}


def _region_figures(cell: dict, region, hidden: dict[str, set]) -> tuple[Figure, ...]:
    def figure(scale: str, value) -> Figure:
        n = cell[COUNT_OF[scale]]
        if n == 0:
            return None
        return SUPPRESSED if region in hidden[scale] or n < MINIMUM else float(value)

    mwds = None
    if cell["pairs"]:
        mwds = figure("pairs", cell["gap"] * cell["pair_importance"])
    return (
        figure("current", cell["current_mean"]),
        figure("importance", cell["importance_mean"]),
        figure("required", cell["required_mean"]),
        mwds,
    )
