"""Competence change: a person's self-assessments paired across a baseline and a follow-up.

A pair is one person (`Response.respondent_id`) with a baseline response and a later
follow-up response; which responses those are is the pairing's business (`Pairing`):

- `CampaignPairs`: two sets of campaigns chosen by a coordinator; a person's earliest
  counted response in the baseline campaigns against their latest in the follow-up ones;
- `AroundDates`: given people (an activity's participants with an account), their latest
  counted response submitted before a moment against their earliest after another;
- `PersonPairs`: given people, their first counted response against their latest (or, for
  a respondent's own page, their first submitted response against a given one).

Only submitted self-assessments that count in figures (`counted_in_figures`: released, or
of a closed campaign) and of campaigns with at least `MINIMUM` counted responses take part,
the same rules as the rest of the analysis; a person's own page uses all their submitted
responses. Competences are paired by `Competence.code` (campaigns may use different
framework versions); an answer counts when its current level is given and not "not
applicable" on both sides. An area's value for a person is their mean current level over
the area's paired competences (the area is the follow-up's).

Per competence and per area: the number of pairs, the mean change of the current level,
the shares improved / unchanged / worse, and the Wilcoxon signed-rank test of the changes:
zero changes dropped (Wilcoxon's method), tied absolute changes given their average rank;
with n non-zero changes, W+ and W− are the rank sums of the rises and falls. Up to
`EXACT_UP_TO` (25) non-zero changes the two-sided p-value comes from the exact permutation
distribution of W+ (every sign assignment equally likely; with ties, of the doubled average
ranks, which are integers, counted by a small dynamic programme); above that from the
normal approximation with the tie correction, var = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 (t the
size of each tie group), and *no* continuity correction. p = 2 · min(P(W+ ≤ w), P(W+ ≥ w)),
at most 1 (scipy.stats.wilcoxon's definition). The effect size is the matched-pairs
rank-biserial correlation r = (W+ − W−) / (W+ + W−), from −1 (all fell) to 1 (all rose).

All aggregation runs in SQL, in one query for both tables (competences; areas) whatever
the number of competences or people: the pairing, the differences, the tie groups and
their average ranks (window functions over the groups), W+, W−, n and Σ(t³ − t); Python
computes only the p-values from those sums, and, for n ≤ 25, the exact distribution from
the tie groups (doubled rank, size) the query returns. Two more queries: the campaigns with
enough counted responses (passed to the pairing as ids) and the competences' names.

A group (a competence or an area) with fewer than `MINIMUM` pairs is suppressed: no figure
at all, "fewer than 5 pairs".

`compute` keeps its result in the cache, keyed by the pairing, the campaigns that count,
the number and latest change of the responses it may read (`_state`), and the language;
`people_whose_level_rose` keeps its people, keyed by the period, the regions and, per
self-assessment campaign, its region and the number and latest change of its responses;
`analysis.forget_all` (after an erasure) drops both with the rest of the analysis.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..i18n import localized
from ..models import Competence, Response, Survey
from ..models.responses import counted_in_figures
from . import CACHE_SECONDS, Suppressed, cache_key

MINIMUM = 5
EXACT_UP_TO = 25


class FewerPairs(Suppressed):
    """A change computed from fewer than five pairs: shown as text, never as a number (the
    templates' `figure` and `percent` filters show it as they show any suppressed figure)."""

    _instance = None

    def __str__(self) -> str:
        return str(_("fewer than 5 pairs"))

    def __repr__(self) -> str:
        return "FEWER_PAIRS"

    def __reduce__(self):
        return (FewerPairs, ())


FEWER_PAIRS = FewerPairs()


# Pairings: each gives SQL selecting (person, baseline_id, followup_id), one row a person.

# Submitted self-assessments, with their person, moment and campaign.
_RESPONSES = """
    SELECT r.id, r.respondent_id AS person, r.submitted_at, r.campaign_id
    FROM surveys_response r
    JOIN surveys_campaign cam ON cam.id = r.campaign_id
    JOIN surveys_survey s ON s.id = cam.survey_id
    WHERE r.status = %s AND s.kind = %s AND r.respondent_id IS NOT NULL
        AND r.submitted_at IS NOT NULL
"""
# ... counted in figures (the campaigns with MINIMUM counted responses are a parameter:
# as a subquery its row estimate of 1 turned the pairing join into a nested loop).
_COUNTED = """
        AND (r.released OR cam.closes_at <= %s) AND r.campaign_id = ANY(%s)
"""


def _responses(counted: Sequence[int] | None) -> tuple[str, list]:
    """Submitted self-assessments; only counted ones of the `counted` campaigns unless None."""
    sql, params = _RESPONSES, [Response.Status.SUBMITTED, Survey.Kind.SELF_ASSESSMENT]
    if counted is not None:
        sql += _COUNTED
        params += [timezone.now(), list(counted)]
    return sql, params


def counted_campaign_ids(scope: Q | None = None) -> list[int]:
    """The self-assessment campaigns (among `scope`, a filter of campaigns' responses:
    `Pairing.campaigns`) with at least
    MINIMUM counted responses: a smaller campaign contributes to no change (one query)."""
    campaigns = Response.objects.filter(
        counted_in_figures(), campaign__survey__kind=Survey.Kind.SELF_ASSESSMENT
    )
    if scope is not None:
        campaigns = campaigns.filter(scope)
    return list(
        campaigns.values("campaign_id")
        .annotate(counted=Count("pk"))
        .filter(counted__gte=MINIMUM)
        .values_list("campaign_id", flat=True)
        .order_by()
    )


class Pairing:
    """Which responses of whom are paired: `sql(counted)` gives (person, baseline_id,
    followup_id), `counted` being the campaigns that may take part (None: any, submitted)."""

    def sql(self, counted: Sequence[int] | None) -> tuple[str, list]:
        raise NotImplementedError

    def responses(self) -> Q:
        """The responses whose campaigns may take part (a filter of `Response`)."""
        raise NotImplementedError

    def campaigns(self) -> Q:
        """The campaigns that may take part, as a filter of `Response`."""
        return Q(campaign_id__in=Response.objects.filter(self.responses()).values("campaign_id"))

    @property
    def suppressed(self) -> bool:
        """Whether groups of fewer than MINIMUM pairs are hidden (not on one's own page)."""
        return True


@dataclass(frozen=True)
class CampaignPairs(Pairing):
    """A person's earliest counted response in the baseline campaigns against their latest
    in the follow-up campaigns, submitted after it."""

    baseline: tuple[int, ...]
    followup: tuple[int, ...]

    def responses(self) -> Q:
        return Q(campaign_id__in=[*self.baseline, *self.followup])

    def campaigns(self) -> Q:
        return self.responses()

    def sql(self, counted: Sequence[int] | None) -> tuple[str, list]:
        responses, params = _responses(counted)
        sql = f"""
            SELECT b.person, b.id AS baseline_id, f.id AS followup_id FROM (
                SELECT DISTINCT ON (person) * FROM ({responses}) x
                WHERE campaign_id = ANY(%s) ORDER BY person, submitted_at, id
            ) b JOIN (
                SELECT DISTINCT ON (person) * FROM ({responses}) y
                WHERE campaign_id = ANY(%s) ORDER BY person, submitted_at DESC, id DESC
            ) f ON f.person = b.person AND f.submitted_at > b.submitted_at
        """  # noqa: S608 - fixed SQL, values as parameters
        return sql, [*params, list(self.baseline), *params, list(self.followup)]


@dataclass(frozen=True)
class AroundDates(Pairing):
    """Given people: their latest counted response submitted before `before` against their
    earliest submitted at or after `after` (an activity's first day and the day after its
    last)."""

    people: tuple[int, ...]
    before: datetime.datetime
    after: datetime.datetime

    def responses(self) -> Q:
        return Q(respondent_id__in=self.people)

    def sql(self, counted: Sequence[int] | None) -> tuple[str, list]:
        responses, params = _responses(counted)
        sql = f"""
            SELECT b.person, b.id AS baseline_id, f.id AS followup_id FROM (
                SELECT DISTINCT ON (person) * FROM ({responses}) x
                WHERE person = ANY(%s) AND submitted_at < %s
                ORDER BY person, submitted_at DESC, id DESC
            ) b JOIN (
                SELECT DISTINCT ON (person) * FROM ({responses}) y
                WHERE person = ANY(%s) AND submitted_at >= %s
                ORDER BY person, submitted_at, id
            ) f ON f.person = b.person
        """  # noqa: S608 - fixed SQL, values as parameters
        people = list(self.people)
        return sql, [*params, people, self.before, *params, people, self.after]

    @classmethod
    def of_days(cls, people: Iterable[int], first_day: datetime.date, last_day: datetime.date):
        """Before the first day begins, and from the day after the last (local time)."""

        def midnight(day: datetime.date) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

        return cls(
            tuple(sorted(set(people))),
            midnight(first_day),
            midnight(last_day + datetime.timedelta(days=1)),
        )


@dataclass(frozen=True)
class PersonPairs(Pairing):
    """Given people: their first counted response against their latest. With `followup`
    (a respondent's own page): their first submitted response against that one, all their
    submitted responses taking part and nothing suppressed."""

    people: tuple[int, ...]
    followup: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.followup is None

    def responses(self) -> Q:
        return Q(respondent_id__in=self.people)

    def sql(self, counted: Sequence[int] | None) -> tuple[str, list]:
        responses, params = _responses(counted)
        people = list(self.people)
        if self.followup is None:
            later = f"""SELECT DISTINCT ON (person) * FROM ({responses}) y
                WHERE person = ANY(%s) ORDER BY person, submitted_at DESC, id DESC"""  # noqa: S608 - fixed SQL, values as parameters
            later_params = [*params, people]
        else:
            later = f"SELECT * FROM ({responses}) y WHERE person = ANY(%s) AND id = %s"  # noqa: S608 - fixed SQL, values as parameters
            later_params = [*params, people, self.followup]
        sql = f"""
            SELECT b.person, b.id AS baseline_id, f.id AS followup_id FROM (
                SELECT DISTINCT ON (person) * FROM ({responses}) x
                WHERE person = ANY(%s) ORDER BY person, submitted_at, id
            ) b JOIN ({later}) f ON f.person = b.person AND f.submitted_at > b.submitted_at
        """  # noqa: S608 - fixed SQL, values as parameters
        return sql, [*params, people, *later_params]


# The statistics -----------------------------------------------------------------------

# Both tables in one query. Each pair's two responses' answers in one pass, summed per
# person and competence code with the baseline's level negated: the change, where both
# sides gave a level (two answers). The area is the follow-up's. The competences and areas
# are numbered by code first, so that the large aggregation groups and sums integers (with
# text codes and numeric sums it took seconds at 20,000 pairs); the codes come back on the
# few rows of `changes`.
_STATISTICS = """
    WITH pairs AS MATERIALIZED ({pairs}),
    competences AS MATERIALIZED (
        SELECT co.id, co.code, dense_rank() OVER (ORDER BY co.code) AS code_number,
            ar.code AS area, dense_rank() OVER (ORDER BY ar.code) AS area_number
        FROM surveys_competence co JOIN surveys_area ar ON ar.id = co.area_id
    ),
    sides AS (
        SELECT person, baseline_id AS response_id, -1 AS side FROM pairs
        UNION ALL SELECT person, followup_id, 1 FROM pairs
    ),
    competence_diffs AS MATERIALIZED (
        SELECT s.person, c.code_number,
            max(c.area_number) FILTER (WHERE s.side = 1) AS area_number,
            sum(s.side * a.current_level) AS diff
        FROM sides s
        JOIN surveys_answer a ON a.response_id = s.response_id
        JOIN competences c ON c.id = a.competence_id
        WHERE a.current_level IS NOT NULL AND NOT a.not_applicable
        GROUP BY s.person, c.code_number HAVING count(*) = 2
    ),
    -- The area change of a person: of their mean over the paired competences of the area,
    -- rounded so that equal fractions (denominators up to a few dozen) tie exactly.
    area_diffs AS (
        SELECT person, area_number, round(sum(diff)::numeric / count(*), 12) AS diff
        FROM competence_diffs GROUP BY person, area_number
    ),
    changes AS (
        SELECT 'competence' AS level, k.code AS key, d.diff, d.n FROM (
            SELECT code_number, diff::numeric AS diff, count(*) AS n
            FROM competence_diffs GROUP BY code_number, diff
        ) d JOIN (SELECT DISTINCT code_number, code FROM competences) k USING (code_number)
        UNION ALL
        SELECT 'area', k.area, d.diff, d.n FROM (
            SELECT area_number, diff, count(*) AS n FROM area_diffs GROUP BY area_number, diff
        ) d JOIN (SELECT DISTINCT area_number, area FROM competences) k USING (area_number)
    ),
    -- Tie groups of the non-zero changes: their size and how many of them are rises.
    tie_groups AS (
        SELECT level, key, abs(diff) AS size, sum(n) AS tied,
            coalesce(sum(n) FILTER (WHERE diff > 0), 0) AS rises
        FROM changes WHERE diff <> 0 GROUP BY level, key, abs(diff)
    ),
    -- Twice the average rank of a group: the t changes after the c smaller ones have the
    -- ranks c + 1 .. c + t, on average c + (t + 1) / 2.
    ranked AS (
        SELECT level, key, size, tied, rises,
            2 * (sum(tied) OVER (PARTITION BY level, key ORDER BY size) - tied) + tied + 1
                AS doubled_rank,
            sum(tied) OVER (PARTITION BY level, key) AS nonzero
        FROM tie_groups
    ),
    signed AS (
        SELECT level, key,
            sum(rises * doubled_rank) AS w_plus2,
            sum((tied - rises) * doubled_rank) AS w_minus2,
            sum(tied * tied * tied - tied) AS ties,
            array_agg(doubled_rank ORDER BY size) FILTER (WHERE nonzero <= %s) AS ranks,
            array_agg(tied ORDER BY size) FILTER (WHERE nonzero <= %s) AS tie_sizes
        FROM ranked GROUP BY level, key
    ),
    counts AS (
        SELECT level, key, sum(n) AS pairs, sum(diff * n) / sum(n) AS mean_change,
            coalesce(sum(n) FILTER (WHERE diff > 0), 0) AS improved,
            coalesce(sum(n) FILTER (WHERE diff = 0), 0) AS unchanged,
            coalesce(sum(n) FILTER (WHERE diff < 0), 0) AS worse
        FROM changes GROUP BY level, key
    )
    SELECT c.level, c.key, c.pairs, c.mean_change, c.improved, c.unchanged, c.worse,
        coalesce(s.w_plus2, 0), coalesce(s.w_minus2, 0), coalesce(s.ties, 0), s.ranks,
        s.tie_sizes, (SELECT count(*) FROM pairs)
    FROM counts c LEFT JOIN signed s ON s.level = c.level AND s.key = c.key
"""


def _query(pairing: Pairing, counted: Sequence[int] | None) -> tuple[str, list]:
    pairs, params = pairing.sql(counted)
    return _STATISTICS.format(pairs=pairs), [*params, EXACT_UP_TO, EXACT_UP_TO]


@dataclass
class Change:
    """The change of one competence or area. Figures are `FEWER_PAIRS` below MINIMUM pairs;
    p and r are None when no pair changed."""

    code: str
    name: str
    pairs: int | FewerPairs
    mean_change: float | FewerPairs | None = None
    improved: float | FewerPairs | None = None
    unchanged: float | FewerPairs | None = None
    worse: float | FewerPairs | None = None
    w_plus: float | FewerPairs | None = None
    w_minus: float | FewerPairs | None = None
    p_value: float | FewerPairs | None = None
    effect_size: float | FewerPairs | None = None

    @property
    def shown(self) -> bool:
        return not isinstance(self.pairs, FewerPairs)

    @property
    def signed_change(self) -> str:
        """The mean change with its sign ("+0.50", "−0.25", "0.00"); or why there is none."""
        if not isinstance(self.mean_change, float | int):
            return "–" if self.mean_change is None else str(self.mean_change)
        value = round(self.mean_change, 2)
        text = number_format(abs(value), decimal_pos=2)
        return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text

    @property
    def p_text(self) -> str:
        """The p-value to three decimals, "< 0.001" below that; or why there is none."""
        if not isinstance(self.p_value, float):
            return "–" if self.p_value is None else str(self.p_value)
        if self.p_value < 0.001:
            return "< " + number_format(0.001, decimal_pos=3)
        return number_format(round(self.p_value, 3), decimal_pos=3)

    @property
    def significant(self) -> bool:
        return self.shown and self.p_value is not None and self.p_value < 0.05


@dataclass
class AreaChange(Change):
    competences: list[Change] = field(default_factory=list)


@dataclass
class CompetenceChange:
    """The whole change of a pairing: areas in the framework's order, each with its
    competences; `people` is the number of pairs (persons) at all, FEWER_PAIRS below 5."""

    areas: list[AreaChange]
    people: int | FewerPairs

    @property
    def competences(self) -> list[Change]:
        return [row for area in self.areas for row in area.competences]

    @property
    def people_shown(self) -> bool:
        return not isinstance(self.people, FewerPairs)


def exact_p_value(doubled_ranks: Sequence[int], w_plus_doubled: int) -> float:
    """Two-sided p of the signed-rank sum under the exact permutation distribution: each of
    the 2ⁿ sign assignments of the (doubled, so integer) ranks equally likely. The
    distribution of the sum of a random subset, counted by a dynamic programme."""
    total = sum(doubled_ranks)
    counts = [0] * (total + 1)
    counts[0] = 1
    reached = 0
    for rank in doubled_ranks:
        reached += rank
        for s in range(reached, rank - 1, -1):
            counts[s] += counts[s - rank]
    assignments = 2 ** len(doubled_ranks)
    below = sum(counts[: w_plus_doubled + 1]) / assignments
    above = sum(counts[w_plus_doubled:]) / assignments
    return min(1.0, 2 * min(below, above))


def normal_p_value(n: int, w_plus: float, ties: int) -> float:
    """Two-sided p of the normal approximation with tie correction (Σ(t³ − t) = `ties`),
    without continuity correction."""
    mean = n * (n + 1) / 4
    variance = n * (n + 1) * (2 * n + 1) / 24 - ties / 48
    if variance <= 0:
        return 1.0
    z = (w_plus - mean) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))


def signed_rank(
    w_plus_doubled: int, w_minus_doubled: int, ties: int, doubled_ranks: Sequence[int] | None
) -> tuple[float | None, float | None]:
    """(p, r) from the SQL's sums; None, None when no pair changed."""
    total = w_plus_doubled + w_minus_doubled
    if total == 0:
        return None, None
    # Sum of the ranks 1..n is n(n+1)/2, doubled n(n+1): n from the total.
    n = round((math.sqrt(1 + 4 * total) - 1) / 2)
    if n <= EXACT_UP_TO and doubled_ranks is not None:
        p = exact_p_value(list(doubled_ranks), int(w_plus_doubled))
    else:
        p = normal_p_value(n, w_plus_doubled / 2, ties)
    return p, (w_plus_doubled - w_minus_doubled) / total


def _row(cls, code: str, name: str, data: tuple | None, suppressed: bool):
    if data is None:
        return cls(code, name, 0)
    pairs, mean, improved, unchanged, worse, w_plus2, w_minus2, ties, ranks, sizes = data
    pairs = int(pairs)
    if suppressed and pairs < MINIMUM:
        hidden = FEWER_PAIRS
        return cls(code, name, hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden)
    doubled_ranks = None
    if ranks is not None:
        doubled_ranks = [int(r) for r, t in zip(ranks, sizes, strict=True) for _ in range(int(t))]
    p, r = signed_rank(int(w_plus2), int(w_minus2), int(ties), doubled_ranks)
    return cls(
        code,
        name,
        pairs,
        float(mean),
        int(improved) / pairs,
        int(unchanged) / pairs,
        int(worse) / pairs,
        int(w_plus2) / 2,
        int(w_minus2) / 2,
        p,
        r,
    )


def _fetch(pairing: Pairing, counted) -> tuple[dict, dict, int]:
    """(competence code → figures, area code → figures, number of pairs): one query."""
    sql, params = _query(pairing, counted)
    tables: dict[str, dict] = {"competence": {}, "area": {}}
    people = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for level, key, *figures, paired in cursor.fetchall():
            tables[level][key] = tuple(figures)
            people = paired
    if not people:
        pairs, params = pairing.sql(counted)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({pairs}) p", params)  # noqa: S608 - fixed SQL, values as parameters
            people = cursor.fetchone()[0]
    return tables["competence"], tables["area"], people


def _names(codes: Iterable[str]) -> list[tuple[str, str, str, str]]:
    """(area code, area name, competence code, name) in the newest framework's order."""
    language = get_language()
    seen: dict[str, tuple] = {}
    competences = (
        Competence.objects.filter(code__in=set(codes))
        .select_related("area__framework")
        .order_by("-area__framework__version", "area__position", "position", "code")
    )
    for competence in competences:
        if competence.code not in seen:
            area = competence.area
            seen[competence.code] = (
                area.code,
                localized(area, "name", language),
                competence.code,
                localized(competence, "name", language),
            )
    return list(seen.values())


def compute(pairing: Pairing) -> CompetenceChange:
    """The change per area and competence for a pairing: from the cache while none of the
    responses it reads has changed (two queries), else computed in two or three more."""
    # One's own page takes all one's submitted responses; every other view counted ones.
    counted = counted_campaign_ids(pairing.campaigns()) if pairing.suppressed else None
    key = cache_key("change", pairing, counted, _state(pairing), get_language())
    result = cache.get(key)
    if result is None:
        result = _compute(pairing, counted)
        cache.set(key, result, CACHE_SECONDS)
    return result


def _state(pairing: Pairing) -> tuple:
    """What the change depends on: the number of the submitted and of the counted responses
    among those it may read, and their latest change (saving stamps `updated_at`)."""
    state = Response.objects.filter(
        pairing.responses(), status=Response.Status.SUBMITTED
    ).aggregate(
        submitted=Count("pk"),
        counted=Count("pk", filter=counted_in_figures()),
        latest=Max("updated_at"),
    )
    latest = state["latest"].isoformat() if state["latest"] else None
    return (state["submitted"], state["counted"], latest)


def _compute(pairing: Pairing, counted: Sequence[int] | None) -> CompetenceChange:
    suppressed = pairing.suppressed
    by_competence, by_area, people = _fetch(pairing, counted)
    areas: dict[str, AreaChange] = {}
    for area_code, area_name, code, name in _names(by_competence):
        area = areas.get(area_code)
        if area is None:
            area = _row(AreaChange, area_code, area_name, by_area.get(area_code), suppressed)
            areas[area_code] = area
        area.competences.append(_row(Change, code, name, by_competence[code], suppressed))
    shown_people = FEWER_PAIRS if suppressed and people < MINIMUM else people
    return CompetenceChange(list(areas.values()), shown_people)


# SOCORE's own capacity measure --------------------------------------------------------


class Rise(NamedTuple):
    """A tuple, cheap to make: the indicators read tens of thousands of them at a time."""

    person_id: int
    rose_at: datetime.datetime
    region_id: int | None


# The counted responses first (with the campaigns that count as a parameter), each
# person's baseline, then the pairs (one a later follow-up in the period); then one pass
# over the answers of just those responses, grouped by pair and area, comparing the means
# of the two sides. (With the area means joined to each other instead, PostgreSQL guessed
# a handful of rows and joined the means on the area alone: minutes at 20,000 people.)
_ROSE = """
    WITH counted AS MATERIALIZED ({responses}),
    baseline AS MATERIALIZED (
        SELECT DISTINCT ON (person) id, person, submitted_at FROM counted
        ORDER BY person, submitted_at, id
    ),
    pairs AS MATERIALIZED (
        SELECT c.person, b.id AS baseline_id, c.id AS followup_id, c.submitted_at,
            cam.region_id
        FROM counted c
        JOIN baseline b ON b.person = c.person AND c.submitted_at > b.submitted_at
        JOIN surveys_campaign cam ON cam.id = c.campaign_id
        WHERE c.submitted_at >= %s AND c.submitted_at <= %s {regions}
    ),
    areas AS MATERIALIZED (
        SELECT co.id, dense_rank() OVER (ORDER BY ar.code) AS area_number
        FROM surveys_competence co JOIN surveys_area ar ON ar.id = co.area_id
    ),
    sides AS (
        SELECT followup_id, baseline_id AS response_id FROM pairs
        UNION ALL SELECT followup_id, followup_id FROM pairs
    ),
    -- An area rose where the follow-up's mean is higher than the baseline's: the sums and
    -- counts of both sides compared crosswise, integers only (a small state per group).
    rose AS (
        SELECT DISTINCT s.followup_id
        FROM sides s
        JOIN surveys_answer a ON a.response_id = s.response_id
        JOIN areas ON areas.id = a.competence_id
        WHERE a.current_level IS NOT NULL AND NOT a.not_applicable
        GROUP BY s.followup_id, areas.area_number
        HAVING sum(a.current_level) FILTER (WHERE a.response_id = s.followup_id)
                * count(*) FILTER (WHERE a.response_id <> s.followup_id)
            > sum(a.current_level) FILTER (WHERE a.response_id <> s.followup_id)
                * count(*) FILTER (WHERE a.response_id = s.followup_id)
    )
    SELECT DISTINCT ON (p.person) p.person, p.submitted_at, p.region_id
    FROM pairs p JOIN rose r ON r.followup_id = p.followup_id
    ORDER BY p.person, p.submitted_at, p.followup_id
"""


def _moment(value, end: bool) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    day = value + datetime.timedelta(days=1) if end else value
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return moment - datetime.timedelta(microseconds=1) if end else moment


def people_whose_level_rose(
    *,
    start: datetime.date | datetime.datetime | None = None,
    end: datetime.date | datetime.datetime | None = None,
    region_ids: Iterable[int] | None = None,
) -> list[Rise]:
    """SOCORE's own capacity measure: people whose self-assessed level rose in at least one
    area. Stable signature, read by the indicators (/impact/).

    One `Rise(person_id, rose_at, region_id)` per person, ordered by person: the baseline
    is the person's first counted self-assessment (all time); they count when a later
    counted self-assessment submitted within [start, end] (dates are whole local days,
    both included; None leaves that side open) has at least one area whose mean current
    level (over the area's answered competences, "not applicable" left out, areas matched
    by code) is higher than at the baseline. `rose_at` is when the earliest such follow-up
    was submitted, `region_id` the region of its campaign (None: consortium-wide). With
    `region_ids`, only follow-ups of campaigns in those regions count.

    From the cache while no self-assessment has changed (one query), else one more.
    """
    state = _self_assessment_state()
    counted = [pk for pk, _region, _submitted, number, _latest in state if number >= MINIMUM]
    start_at = _moment(start, end=False) or datetime.datetime.min.replace(tzinfo=datetime.UTC)
    end_at = _moment(end, end=True) or datetime.datetime.max.replace(tzinfo=datetime.UTC)
    regions_key = None if region_ids is None else tuple(sorted(set(region_ids)))
    key = cache_key("change:rose", start_at, end_at, regions_key, state)
    kept = cache.get(key)
    if kept is None:
        rises = _rises(counted, start_at, end_at, regions_key)
        # Plain integers (the moment in microseconds since the epoch): tens of thousands of
        # people read back from the cache in a few milliseconds, not as pickled objects.
        kept = [
            (rise.person_id, (rise.rose_at - _EPOCH) // _MICROSECOND, rise.region_id)
            for rise in rises
        ]
        cache.set(key, kept, CACHE_SECONDS)
        return rises
    return [
        Rise(person, _EPOCH + datetime.timedelta(microseconds=moment), region)
        for person, moment, region in kept
    ]


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


def _self_assessment_state() -> list[tuple]:
    """What the measure depends on, per self-assessment campaign with submitted responses:
    (campaign id, region id, submitted, counted, latest change of a submitted response)."""
    rows = (
        Response.objects.filter(
            status=Response.Status.SUBMITTED, campaign__survey__kind=Survey.Kind.SELF_ASSESSMENT
        )
        .values("campaign_id", "campaign__region_id")
        .annotate(
            submitted=Count("pk"),
            counted=Count("pk", filter=counted_in_figures()),
            latest=Max("updated_at"),
        )
        .order_by("campaign_id")
    )
    return [
        (
            row["campaign_id"],
            row["campaign__region_id"],
            row["submitted"],
            row["counted"],
            row["latest"].isoformat(),
        )
        for row in rows
    ]


def _rises(counted: Sequence[int], start_at, end_at, region_ids) -> list[Rise]:
    responses, params = _responses(counted)
    regions, region_params = "", []
    if region_ids is not None:
        regions, region_params = "AND cam.region_id = ANY(%s)", [list(region_ids)]
    sql = _ROSE.format(responses=responses, regions=regions)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, start_at, end_at, *region_params])
        return [Rise(*row) for row in cursor.fetchall()]


# A respondent's own change -------------------------------------------------------------


@dataclass
class OwnChange:
    baseline: Response
    change: CompetenceChange


def own_change(response: Response) -> OwnChange | None:
    """A respondent's change from their first submitted self-assessment (the baseline) to
    this one, per area and competence: their own data, so nothing is suppressed. None when
    this response is not a submitted self-assessment later than the baseline."""
    if (
        response.status != Response.Status.SUBMITTED
        or response.respondent_id is None
        or response.submitted_at is None
        or response.campaign.survey.kind != Survey.Kind.SELF_ASSESSMENT
    ):
        return None
    baseline = (
        Response.objects.filter(
            respondent_id=response.respondent_id,
            status=Response.Status.SUBMITTED,
            submitted_at__isnull=False,
            campaign__survey__kind=Survey.Kind.SELF_ASSESSMENT,
        )
        .select_related("campaign")
        .order_by("submitted_at", "pk")
        .first()
    )
    if baseline is None or baseline.submitted_at >= response.submitted_at:
        return None
    return OwnChange(baseline, compute(PersonPairs((response.respondent_id,), response.pk)))
