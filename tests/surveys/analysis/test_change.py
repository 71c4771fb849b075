"""Competence change: the Wilcoxon signed-rank statistic and p-value of the SQL against
scipy and against enumeration of every sign assignment, a hand-worked example, and the
pairing and suppression rules."""

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from scipy import stats

from partners.models import Region
from surveys.analysis import change
from surveys.analysis.change import (
    FEWER_PAIRS,
    AroundDates,
    CampaignPairs,
    PersonPairs,
    compute,
    people_whose_level_rose,
)
from surveys.models import Competence
from tests.factories.surveys import CampaignFactory, SurveyFactory
from tests.surveys.analysis.change_data import (
    EARLIER,
    LATER,
    NOW,
    closed_campaign,
    framework_of,
    people,
    responses,
)

pytestmark = pytest.mark.django_db


def paired(diffs: list[int], code="K1", unpaired: int = 0):
    """Baseline and follow-up campaigns where person i's level of `code` changes by diffs[i];
    and `unpaired` more people answering only one of the two."""
    framework = framework_of({"A": [code]})
    before = closed_campaign(framework, EARLIER)
    after = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(len(diffs))
    bases = [1 if d >= 0 else 5 for d in diffs]
    responses(before, persons, [{code: b} for b in bases], EARLIER + datetime.timedelta(days=1))
    responses(
        after,
        persons,
        [{code: b + d} for b, d in zip(bases, diffs, strict=True)],
        LATER - datetime.timedelta(days=39),
    )
    if unpaired:
        responses(before, people(unpaired), [{code: 3}] * unpaired, EARLIER)
        responses(after, people(unpaired), [{code: 3}] * unpaired, LATER)
    return CampaignPairs((before.pk,), (after.pk,))


def doubled_average_ranks(values: list[float]) -> list[int]:
    """Twice the average rank of each |value| among the non-zero values (independent of the
    SQL: sorted, ties found by equality)."""
    nonzero = sorted(abs(v) for v in values if v != 0)
    ranks = []
    for v in values:
        if v == 0:
            continue
        first = nonzero.index(abs(v)) + 1
        last = len(nonzero) - nonzero[::-1].index(abs(v))
        ranks.append(first + last)
    return ranks


def brute_force_p(values: list[float]) -> float:
    """Two-sided p from all 2^n sign assignments of the doubled average ranks."""
    ranks = doubled_average_ranks(values)
    observed = sum(r for r, v in zip(ranks, [v for v in values if v != 0], strict=True) if v > 0)
    sums = [
        sum(r for r, s in zip(ranks, signs, strict=True) if s)
        for signs in itertools.product((0, 1), repeat=len(ranks))
    ]
    below = sum(s <= observed for s in sums) / len(sums)
    above = sum(s >= observed for s in sums) / len(sums)
    return min(1.0, 2 * min(below, above))


def test_hand_worked_example():
    """Eight people rate competence K1 before and after; their changes are
    +2, +1, 0, +1, −1, +3, +2, +1.

    Zeros dropped: n = 7 changes, |changes| sorted: 1, 1, 1, 1, 2, 2, 3.
    The four 1s share ranks 1–4, average 2.5; the two 2s ranks 5–6, average 5.5; 3 has 7.
    W+ = 5.5 (+2) + 2.5 (+1) + 2.5 (+1) + 7 (+3) + 5.5 (+2) + 2.5 (+1) = 25.5,
    W− = 2.5 (the −1); W+ + W− = 28 = 7 · 8 / 2.
    Exact distribution of W+ over the 2⁷ = 128 sign assignments of the ranks
    (2.5, 2.5, 2.5, 2.5, 5.5, 5.5, 7): W+ ≥ 25.5 when at most one 2.5 is negative (the
    negative ranks sum to at most 2.5): 1 + 4 = 5 assignments; so P(W+ ≥ 25.5) = 5/128 and
    p = 2 · 5/128 = 10/128 = 0.078125.
    r = (25.5 − 2.5) / 28 = 0.8214…; mean change = 9/8 = 1.125; improved 6/8, unchanged
    1/8, worse 1/8.
    """
    result = compute(paired([2, 1, 0, 1, -1, 3, 2, 1]))
    row = result.areas[0].competences[0]
    assert row.pairs == 8
    assert row.mean_change == pytest.approx(1.125)
    assert (row.improved, row.unchanged, row.worse) == (0.75, 0.125, 0.125)
    assert (row.w_plus, row.w_minus) == (25.5, 2.5)
    assert row.p_value == pytest.approx(10 / 128)
    assert row.effect_size == pytest.approx(23 / 28)
    assert not row.significant
    assert brute_force_p([2, 1, 0, 1, -1, 3, 2, 1]) == pytest.approx(10 / 128)
    # The area of one competence: the same figures.
    assert result.areas[0].p_value == pytest.approx(10 / 128)
    assert result.people == 8


@pytest.mark.parametrize("n", [6, 13, 25])
def test_exact_p_value_of_tie_free_area_changes_matches_scipy(n):
    """An area of seven competences: each person's area change is k/7 for a distinct k
    (no ties), random signs; the SQL's W+ and exact p against scipy's."""
    rng = random.Random(n)
    codes = [f"E{i}" for i in range(7)]
    framework = framework_of({"E": codes})
    before = closed_campaign(framework, EARLIER)
    after = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(n)
    ks = rng.sample(range(1, 29), n)
    signs = [rng.choice((1, -1)) for _ in range(n)]
    base_levels, follow_levels = [], []
    for k, sign in zip(ks, signs, strict=True):
        steps = [min(4, max(0, k - 4 * i)) for i in range(7)]  # sum is k, each at most 4
        base = 1 if sign > 0 else 5
        base_levels.append(dict.fromkeys(codes, base))
        follow_levels.append({c: base + sign * s for c, s in zip(codes, steps, strict=True)})
    responses(before, persons, base_levels, EARLIER + datetime.timedelta(days=1))
    responses(after, persons, follow_levels, LATER - datetime.timedelta(days=39))

    area = compute(CampaignPairs((before.pk,), (after.pk,))).areas[0]
    changes = [sign * k / 7 for k, sign in zip(ks, signs, strict=True)]
    reference = stats.wilcoxon(changes, zero_method="wilcox", method="exact")
    expected_plus = sum(
        r / 2 for r, d in zip(doubled_average_ranks(changes), changes, strict=True) if d > 0
    )
    assert area.pairs == n
    assert area.w_plus == pytest.approx(expected_plus)
    assert min(area.w_plus, area.w_minus) == pytest.approx(reference.statistic)
    assert area.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert area.effect_size == pytest.approx((area.w_plus - area.w_minus) / (n * (n + 1) / 2))


@pytest.mark.parametrize("n", [26, 60, 150])
def test_normal_approximation_with_ties_matches_scipy(n):
    rng = random.Random(1000 + n)
    diffs = [rng.choice([-2, -1, -1, 0, 0, 1, 1, 1, 2, 3]) for _ in range(n)]
    if sum(d != 0 for d in diffs) <= 25:
        diffs += [1] * 26
    row = compute(paired(diffs)).areas[0].competences[0]
    reference = stats.wilcoxon(diffs, zero_method="wilcox", correction=False, method="approx")
    assert row.pairs == len(diffs)
    assert min(row.w_plus, row.w_minus) == pytest.approx(reference.statistic)
    assert row.p_value == pytest.approx(reference.pvalue, rel=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_exact_p_value_with_ties_matches_enumeration(seed):
    rng = random.Random(seed)
    diffs = [rng.choice([-2, -1, 0, 1, 1, 2, 3]) for _ in range(rng.randint(6, 14))]
    row = compute(paired(diffs)).areas[0].competences[0]
    if not any(diffs):
        assert row.p_value is None
        return
    assert row.p_value == pytest.approx(brute_force_p(diffs), rel=1e-12)


def test_statistics_of_random_samples_match_scipy():
    """The Python half alone (p from doubled ranks) over many random tie-free samples."""
    rng = random.Random(7)
    for _ in range(40):
        n = rng.randint(1, 25)
        values = [v * rng.choice((1, -1)) for v in rng.sample(range(1, 200), n)]
        ranks = doubled_average_ranks(values)
        plus = sum(r for r, v in zip(ranks, values, strict=True) if v > 0)
        minus = sum(ranks) - plus
        p, r = change.signed_rank(plus, minus, 0, ranks)
        reference = stats.wilcoxon(values, zero_method="wilcox", method="exact")
        assert p == pytest.approx(reference.pvalue, rel=1e-9)
        assert r == pytest.approx((plus - minus) / sum(ranks))


def test_four_pairs_are_suppressed_and_five_shown():
    """Each campaign has five counted responses; four people answered both."""
    four = compute(paired([1, 1, 0, -1], unpaired=1)).areas[0]
    assert four.pairs is FEWER_PAIRS and four.p_value is FEWER_PAIRS
    assert four.competences[0].mean_change is FEWER_PAIRS
    assert str(four.pairs) == "fewer than 5 pairs"
    assert compute(paired([1, 1, 0, -1])).areas == []  # campaigns of four count nowhere
    five = compute(paired([1, 1, 0, -1, 2])).areas[0]
    assert five.pairs == 5 and five.mean_change == pytest.approx(0.6)


def test_competences_pair_by_code_across_framework_versions():
    """Version 1 has K1 and K2 in area A, version 2 renames area A's competences and drops
    K2; only K1 pairs, and the names are the newer version's."""
    old = framework_of({"A": ["K1", "K2"]})
    new = framework_of({"A": ["K1", "K3"]})
    Competence.objects.filter(area__framework=new, code="K1").update(name="Renamed K1")
    before = closed_campaign(old, EARLIER)
    after = closed_campaign(new, LATER - datetime.timedelta(days=40))
    persons = people(6)
    responses(before, persons, [{"K1": 2, "K2": 2}] * 6, EARLIER + datetime.timedelta(days=1))
    responses(after, persons, [{"K1": 4, "K3": 1}] * 6, LATER - datetime.timedelta(days=39))
    with CaptureQueriesContext(connection) as queries:
        result = compute(CampaignPairs((before.pk,), (after.pk,)))
    assert len(queries.captured_queries) <= 4
    [area] = result.areas
    assert [(row.code, row.name) for row in area.competences] == [("K1", "Renamed K1")]
    assert area.competences[0].mean_change == 2
    assert area.improved == 1.0


def test_not_applicable_and_single_assessments_are_left_out():
    framework = framework_of({"A": ["K1"]})
    before = closed_campaign(framework, EARLIER)
    after = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(9)
    base_day, follow_day = EARLIER + datetime.timedelta(days=1), LATER - datetime.timedelta(days=39)
    responses(before, persons, [{"K1": 2}] * 6 + [{"K1": None}] + [{"K1": 2}] * 2, base_day)
    # The last two only answered once; the 7th said "not applicable" at the baseline.
    responses(after, persons[:7], [{"K1": 3}] * 7, follow_day)
    row = compute(CampaignPairs((before.pk,), (after.pk,))).areas[0].competences[0]
    assert row.pairs == 6


def test_open_campaign_counts_only_released_responses():
    framework = framework_of({"A": ["K1"]})
    before = closed_campaign(framework, EARLIER)
    follow_up = SurveyFactory(framework=framework)
    open_now = CampaignFactory(survey=follow_up)  # open now
    persons = people(9)
    responses(before, persons, [{"K1": 1}] * 9, EARLIER + datetime.timedelta(days=1))
    responses(open_now, persons[:5], [{"K1": 3}] * 5, NOW - datetime.timedelta(hours=2))
    responses(open_now, persons[5:], [{"K1": 3}] * 4, NOW, released=False)
    row = compute(CampaignPairs((before.pk,), (open_now.pk,))).areas[0].competences[0]
    assert row.pairs == 5


def test_person_with_several_baselines_takes_the_earliest_and_latest_follow_up():
    framework = framework_of({"A": ["K1"]})
    first = closed_campaign(framework, EARLIER)
    second = closed_campaign(framework, EARLIER + datetime.timedelta(days=60))
    third = closed_campaign(framework, LATER - datetime.timedelta(days=100))
    fourth = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(5)
    responses(first, persons, [{"K1": 1}] * 5, EARLIER + datetime.timedelta(days=1))
    responses(second, persons, [{"K1": 4}] * 5, EARLIER + datetime.timedelta(days=61))
    responses(third, persons, [{"K1": 2}] * 5, LATER - datetime.timedelta(days=99))
    responses(fourth, persons, [{"K1": 5}] * 5, LATER - datetime.timedelta(days=39))
    row = compute(CampaignPairs((first.pk, second.pk), (third.pk, fourth.pk))).areas[0]
    assert row.mean_change == 4
    # People alone: their first against their latest counted response.
    assert compute(PersonPairs(tuple(p.pk for p in persons))).areas[0].mean_change == 4


def test_around_dates_takes_the_latest_before_and_the_earliest_after():
    framework = framework_of({"A": ["K1"]})
    first = closed_campaign(framework, EARLIER)
    second = closed_campaign(framework, EARLIER + datetime.timedelta(days=60))
    third = closed_campaign(framework, LATER - datetime.timedelta(days=100))
    fourth = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(6)
    responses(first, persons, [{"K1": 1}] * 6, EARLIER + datetime.timedelta(days=1))
    responses(second, persons, [{"K1": 2}] * 6, EARLIER + datetime.timedelta(days=61))
    responses(third, persons, [{"K1": 4}] * 6, LATER - datetime.timedelta(days=99))
    responses(fourth, persons, [{"K1": 5}] * 6, LATER - datetime.timedelta(days=39))
    day = timezone.localdate(EARLIER + datetime.timedelta(days=100))
    pairing = AroundDates.of_days([p.pk for p in persons[:5]], day, day)
    row = compute(pairing).areas[0]
    assert row.pairs == 5 and row.mean_change == 2


def test_people_whose_level_rose():
    framework = framework_of({"A": ["K1", "K2"], "B": ["K3"]})
    first = closed_campaign(framework, EARLIER)
    second = closed_campaign(framework, LATER - datetime.timedelta(days=40), region="NL35")
    persons = people(6)
    base = {"K1": 3, "K2": 3, "K3": 3}
    responses(first, persons, [base] * 6, EARLIER + datetime.timedelta(days=1))
    follow = [
        {"K1": 4, "K2": 3, "K3": 3},  # area A rose
        {"K1": 4, "K2": 2, "K3": 3},  # area A the same on average, B the same
        {"K1": 3, "K2": 3, "K3": 2},  # fell
        {"K1": 3, "K2": 3, "K3": None},  # B not applicable, A the same
        {"K1": 2, "K2": 2, "K3": 4},  # B rose
    ]
    follow_day = LATER - datetime.timedelta(days=39)
    responses(second, persons[:5], follow, follow_day)
    rose = people_whose_level_rose()
    assert [r.person_id for r in rose] == [persons[0].pk, persons[4].pk]
    assert rose[0].region_id == Region.objects.get(nuts_code="NL35").pk
    assert rose[0].rose_at == follow_day
    assert people_whose_level_rose(region_ids=[Region.objects.get(nuts_code="PL22").pk]) == []
    day = timezone.localdate(follow_day)
    assert len(people_whose_level_rose(start=day, end=day)) == 2
    assert people_whose_level_rose(end=day - datetime.timedelta(days=1)) == []


def _random_levels(rng: random.Random, codes: list[str]) -> dict[str, int | None]:
    return {code: None if rng.random() < 0.15 else rng.randint(1, 5) for code in codes}


def test_figures_of_random_pairs_match_a_computation_in_python():
    """Two areas, random levels with "not applicable" on either side, the follow-up on a
    newer framework version: every competence's and area's figures against the same rules
    computed here with exact fractions (ties by equality) and scipy's p-value."""
    from fractions import Fraction

    rng = random.Random(15)
    areas = {"A": ["K1", "K2", "K3"], "B": ["K4", "K5", "K6", "K7"]}
    codes = [code for area in areas.values() for code in area]
    before = closed_campaign(framework_of(areas), EARLIER)
    after = closed_campaign(framework_of(areas), LATER - datetime.timedelta(days=40))
    persons = people(40)
    base = [_random_levels(rng, codes) for _ in persons]
    follow = [_random_levels(rng, codes) for _ in persons]
    responses(before, persons, base, EARLIER + datetime.timedelta(days=1))
    responses(after, persons, follow, LATER - datetime.timedelta(days=39))
    result = compute(CampaignPairs((before.pk,), (after.pk,)))

    def expected(changes: list[Fraction]) -> dict:
        n = len(changes)
        ranks = doubled_average_ranks(changes)
        nonzero = [d for d in changes if d != 0]
        return {
            "pairs": n,
            "mean_change": pytest.approx(float(sum(changes) / n)),
            "improved": sum(d > 0 for d in changes) / n,
            "unchanged": sum(d == 0 for d in changes) / n,
            "worse": sum(d < 0 for d in changes) / n,
            "w_plus": sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0) / 2,
            "w_minus": sum(r for r, d in zip(ranks, nonzero, strict=True) if d < 0) / 2,
            # Above 25 changes scipy's normal approximation; up to it the exact distribution
            # of these ranks (the Python half, tested against enumeration above).
            "p_value": pytest.approx(
                stats.wilcoxon(
                    [float(d) for d in changes],
                    zero_method="wilcox",
                    correction=False,
                    method="approx",
                ).pvalue
                if len(nonzero) > 25
                else change.exact_p_value(
                    ranks, sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
                ),
                rel=1e-9,
            ),
        }

    def figures(row) -> dict:
        return {name: getattr(row, name) for name in expected([Fraction(1)])}

    by_code = {row.code: row for row in result.competences}
    for area in result.areas:
        area_changes = []
        for before_levels, after_levels in zip(base, follow, strict=True):
            paired_codes = [
                code
                for code in areas[area.code]
                if before_levels[code] is not None and after_levels[code] is not None
            ]
            if paired_codes:
                area_changes.append(
                    Fraction(
                        sum(after_levels[c] - before_levels[c] for c in paired_codes),
                        len(paired_codes),
                    )
                )
        assert figures(area) == expected(area_changes)
        for code in areas[area.code]:
            competence_changes = [
                Fraction(a[code] - b[code])
                for b, a in zip(base, follow, strict=True)
                if a[code] is not None and b[code] is not None
            ]
            assert figures(by_code[code]) == expected(competence_changes)
    assert result.people == 40


def test_people_whose_level_rose_match_a_computation_in_python():
    """Random levels over two areas, a baseline and two later campaigns (one in Utrecht),
    some people missing a follow-up: who rose, when and where, against the rules computed
    here, for all time, a period and a region."""
    from fractions import Fraction

    rng = random.Random(2025)
    areas = {"A": ["K1", "K2", "K3"], "B": ["K4", "K5"]}
    codes = [code for area in areas.values() for code in area]
    framework = framework_of(areas)
    first = closed_campaign(framework, EARLIER)
    second = closed_campaign(framework, LATER - datetime.timedelta(days=200), region="NL35")
    third = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(30)
    answered = {}  # person -> [(submitted, region, levels)]
    for campaign, day, region, who in (
        (first, EARLIER + datetime.timedelta(days=1), "PL22", persons),
        (second, LATER - datetime.timedelta(days=199), "NL35", persons[:24]),
        (third, LATER - datetime.timedelta(days=39), "PL22", persons[6:]),
    ):
        levels = [_random_levels(rng, codes) for _ in who]
        responses(campaign, who, levels, day)
        region_id = Region.objects.get(nuts_code=region).pk
        for person, values in zip(who, levels, strict=True):
            answered.setdefault(person.pk, []).append((day, region_id, values))

    def mean(values, area) -> Fraction | None:
        given = [values[c] for c in areas[area] if values[c] is not None]
        return Fraction(sum(given), len(given)) if given else None

    def rose(start=None, end=None, region_ids=None):
        found = []
        for person, (baseline, *later) in sorted(answered.items()):
            for day, region_id, values in later:
                if (start and day < start) or (end and day > end):
                    continue
                if region_ids is not None and region_id not in region_ids:
                    continue
                means = [(mean(values, a), mean(baseline[2], a)) for a in areas]
                if any(f is not None and b is not None and f > b for f, b in means):
                    found.append(change.Rise(person, day, region_id))
                    break
        return found

    everyone = rose()
    assert 5 < len(everyone) < 30  # some rose, some did not
    assert people_whose_level_rose() == everyone
    utrecht = Region.objects.get(nuts_code="NL35").pk
    assert people_whose_level_rose(region_ids=[utrecht]) == rose(region_ids={utrecht})
    day = timezone.localdate(LATER - datetime.timedelta(days=39))
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    assert people_whose_level_rose(start=day, end=day) == rose(start=start)


def test_people_whose_level_rose_are_kept_until_a_self_assessment_changes(
    django_assert_num_queries,
):
    framework = framework_of({"A": ["K1"]})
    first = closed_campaign(framework, EARLIER)
    second = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(6)
    responses(first, persons, [{"K1": 2}] * 6, EARLIER + datetime.timedelta(days=1))
    responses(
        second, persons[:5], [{"K1": 3}] + [{"K1": 2}] * 4, LATER - datetime.timedelta(days=39)
    )
    assert [r.person_id for r in people_whose_level_rose()] == [persons[0].pk]
    with django_assert_num_queries(1):  # what it depends on; the rest from the cache
        assert [r.person_id for r in people_whose_level_rose()] == [persons[0].pk]
    responses(second, persons[5:], [{"K1": 4}], LATER - datetime.timedelta(days=38))
    assert [r.person_id for r in people_whose_level_rose()] == [persons[0].pk, persons[5].pk]
    # A campaign moved to another region moves the people who rose there.
    second.region = Region.objects.get(nuts_code="NL35")
    second.save()
    assert {r.region_id for r in people_whose_level_rose()} == {second.region_id}
