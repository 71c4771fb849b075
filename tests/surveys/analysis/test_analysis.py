"""The gap analysis: numbers against a hand-checked example and an independent computation
over the raw rows, suppression (primary and secondary), and a fixed number of queries."""

import datetime
import random
import statistics

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import Region
from surveys import analysis
from surveys.analysis import SUPPRESSED, Group, analyse, breakdown, compare_regions
from surveys.models import Answer, Campaign, Competence, Framework, Response, Survey
from tests.factories.surveys import (
    CampaignFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    self_assessment,
    small_framework,
)
from tests.surveys.analysis import student_t

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework() -> Framework:
    return small_framework(areas=2, per_area=2)


@pytest.fixture
def competences(framework) -> list[Competence]:
    return list(Competence.objects.filter(area__framework=framework).order_by("code"))


def campaign_of(framework, kind=Survey.Kind.SELF_ASSESSMENT, region="PL22") -> Campaign:
    survey = SurveyFactory(framework=framework, kind=kind)
    return CampaignFactory(survey=survey, region=Region.objects.get(nuts_code=region))


def respond(campaign, values: dict, **background) -> Response:
    return self_assessment(campaign, values, respondent=None, **background)


def demand(campaign, required: dict) -> Response:
    response = ResponseFactory(campaign=campaign, respondent=None, organisation_type="company")
    for competence, level in required.items():
        answer(response, competence, required=level)
    return response


def test_mwds_matches_the_hand_checked_example(framework, competences):
    """Item A: I = (5, 4, 3), C = (3, 4, 1) gives 5.333; item B: I = (2, 3, 4), C = (2, 2, 2)
    gives 3.000. Each respondent is there twice, so the group passes suppression; the
    scores do not change with the duplication."""
    item_a, item_b = competences[0], competences[1]
    campaign = campaign_of(framework)
    for _twice in range(2):
        for (ia, ca), (ib, cb) in zip(
            [(5, 3), (4, 4), (3, 1)], [(2, 2), (3, 2), (4, 2)], strict=True
        ):
            respond(campaign, {item_a: (ca, ia), item_b: (cb, ib)})

    result = analyse(Group((campaign.pk,)))

    a, b = result.by_code[item_a.code], result.by_code[item_b.code]
    assert round(a.mwds, 3) == 5.333
    assert round(b.mwds, 3) == 3.000
    assert (a.rank, b.rank) == (1, 2)
    assert a.gap == pytest.approx(4 / 3)
    assert a.importance.mean == 4 and a.current.mean == pytest.approx(8 / 3)
    assert result.self_respondents == 6
    assert result.ranking == [a, b]


def independent_stats(rows: list[tuple], min_n: int = 5) -> dict:
    """Per competence code, the figures computed in plain Python from raw answer rows
    (code, kind, current, importance, required, not applicable)."""
    out = {}
    for code in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == code and not r[5]]
        selfs = [r for r in mine if r[1] == Survey.Kind.SELF_ASSESSMENT]
        current = [r[2] for r in selfs if r[2] is not None]
        importance = [r[3] for r in selfs if r[3] is not None]
        required = [r[4] for r in mine if r[1] == Survey.Kind.DEMAND and r[4] is not None]
        pairs = [(r[3], r[2]) for r in selfs if r[2] is not None and r[3] is not None]
        mean_importance = statistics.fmean(i for i, _c in pairs)
        out[code] = {
            "current": (len(current), statistics.fmean(current), statistics.stdev(current)),
            "importance": (
                len(importance),
                statistics.fmean(importance),
                statistics.stdev(importance),
            ),
            "required": (len(required), statistics.fmean(required), statistics.stdev(required)),
            "gap": statistics.fmean(i - c for i, c in pairs),
            "mwds": sum(i - c for i, c in pairs) * mean_importance / len(pairs),
            "market_gap": statistics.fmean(required) - statistics.fmean(current),
            "margins": {
                "current": student_t.margin(current),
                "importance": student_t.margin(importance),
                "required": student_t.margin(required),
                "gap": student_t.margin([i - c for i, c in pairs]),
                "mwds": student_t.margin([i - c for i, c in pairs]) * mean_importance,
                "market_gap": student_t.welch_margin(required, current),
            },
        }
    return out


def side(value: float, margin: float, cross: float) -> bool | None:
    """Above (True) or below (False) the line, or None where the interval reaches it."""
    return None if abs(value - cross) <= margin else value > cross


def test_numbers_match_an_independent_computation_over_the_raw_rows(framework, competences):
    rng = random.Random(7)
    self_campaign = campaign_of(framework)
    demand_campaign = campaign_of(framework, kind=Survey.Kind.DEMAND)
    for _ in range(40):
        values = {}
        for competence in competences:
            if rng.random() < 0.1:
                values[competence] = None
            else:
                values[competence] = (
                    rng.choice([None, 1, 2, 3, 4, 5, 3, 2]),
                    rng.choice([None, 2, 3, 4, 5, 5, 4]),
                )
        respond(self_campaign, values)
    for _ in range(12):
        demand(demand_campaign, {c: rng.randint(2, 5) for c in competences})
    # An unsubmitted response never counts.
    respond(self_campaign, dict.fromkeys(competences, (1, 5)), status=Response.Status.IN_PROGRESS)

    result = analyse(Group((self_campaign.pk, demand_campaign.pk)))

    raw = list(
        Answer.objects.filter(response__status=Response.Status.SUBMITTED).values_list(
            "competence__code",
            "response__campaign__survey__kind",
            "current_level",
            "importance",
            "required_level",
            "not_applicable",
        )
    )
    expected = independent_stats(raw)
    assert result.self_respondents == 40 and result.demand_respondents == 12
    for code, figures in expected.items():
        row = result.by_code[code]
        for scale in ("current", "importance", "required"):
            measure = getattr(row, scale)
            assert (measure.n, measure.mean, measure.sd) == pytest.approx(figures[scale])
        assert row.gap == pytest.approx(figures["gap"])
        assert row.mwds == pytest.approx(figures["mwds"])
        assert row.market_gap == pytest.approx(figures["market_gap"])
        margins = figures["margins"]
        assert row.current.margin == pytest.approx(margins["current"], abs=1e-3)
        assert row.importance.margin == pytest.approx(margins["importance"], abs=1e-3)
        assert row.required.margin == pytest.approx(margins["required"], abs=1e-3)
        assert row.gap_margin == pytest.approx(margins["gap"], abs=1e-3)
        assert row.mwds_margin == pytest.approx(margins["mwds"], abs=1e-3)
        assert row.market_gap_margin == pytest.approx(margins["market_gap"], abs=1e-3)
    ranked = sorted(expected, key=lambda code: -expected[code]["mwds"])
    assert [row.code for row in result.ranking] == ranked

    grand_current = statistics.fmean(f["current"][1] for f in expected.values())
    grand_importance = statistics.fmean(f["importance"][1] for f in expected.values())
    grand_gap = statistics.fmean(f["gap"] for f in expected.values())
    assert result.grand_mean_current == pytest.approx(grand_current)
    for code, figures in expected.items():
        margins = figures["margins"]
        high_i = side(figures["importance"][1], margins["importance"], grand_importance)
        high_c = side(figures["current"][1], margins["current"], grand_current)
        high_gap = side(figures["gap"], margins["gap"], grand_gap)
        quadrant = {
            (True, False): "concentrate",
            (True, True): "keep_up",
            (False, False): "low_priority",
            (False, True): "overkill",
        }.get((high_i, high_c), "near_average")
        focus = {
            (True, True): "focus",
            (False, True): "large_gap",
            (True, False): "small_gap",
            (False, False): "least",
        }.get((high_i, high_gap), "near_average")
        assert result.by_code[code].quadrant == quadrant
        assert result.by_code[code].focus == focus


def test_a_group_of_four_is_suppressed_everywhere(framework, competences):
    campaign = campaign_of(framework)
    for _ in range(4):
        respond(campaign, dict.fromkeys(competences, (2, 4)))

    result = analyse(Group((campaign.pk,)))

    assert result.self_respondents is SUPPRESSED
    for row in result.competences:
        assert row.current.mean is SUPPRESSED and row.current.n is SUPPRESSED
        assert row.importance.sd is SUPPRESSED
        assert row.mwds is SUPPRESSED and row.rank is None and row.quadrant is None
    assert result.ranking == []
    assert str(SUPPRESSED) == "fewer than 5 responses"


def test_not_applicable_answers_leave_the_item_n(framework, competences):
    first, second = competences[0], competences[1]
    campaign = campaign_of(framework)
    for n in range(5):
        respond(campaign, {first: None if n == 0 else (3, 4), second: (3, 4)})

    result = analyse(Group((campaign.pk,)))

    assert result.by_code[first.code].current.n is SUPPRESSED
    assert result.by_code[second.code].current.n == 5
    assert result.by_code[second.code].mwds == pytest.approx(4.0)


def test_a_filtered_group_is_hidden_when_the_rest_could_be_worked_out(framework, competences):
    campaign = campaign_of(framework)
    for _ in range(5):
        respond(campaign, dict.fromkeys(competences, (3, 4)), organisation_type="university")
    for _ in range(3):
        respond(campaign, dict.fromkeys(competences, (1, 5)), organisation_type="company")
    group = Group.of([campaign], {"organisation_type": "university"})

    assert analyse(group).self_respondents is SUPPRESSED
    assert analyse(group).by_code[competences[0].code].current.mean is SUPPRESSED

    for _ in range(2):
        respond(campaign, dict.fromkeys(competences, (1, 5)), organisation_type="company")
    result = analyse(group)
    assert result.self_respondents == 5
    assert result.by_code[competences[0].code].current.mean == 3


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 12, "b": 30}, set()),
        ({"a": 3, "b": 10, "c": 20}, {"a", "b"}),
        ({"a": 3, "b": 3, "c": 10}, {"a", "b"}),
        ({"a": 2, "b": 2, "c": 10, "d": 12}, {"a", "b", "c"}),
        ({"a": 0, "b": 3, "c": 9}, {"b", "c"}),
        ({"a": 4}, {"a"}),
    ],
)
def test_secondary_suppression_hides_enough_groups(counts, hidden):
    assert analysis.hide_recoverable(counts) == hidden


def test_a_breakdown_hides_a_small_group_and_the_next_smallest(framework, competences):
    campaign = campaign_of(framework)
    for role, count in (("researcher", 12), ("technical", 7), ("management", 3)):
        for _ in range(count):
            respond(campaign, dict.fromkeys(competences, (3, 4)), role=role)

    rows = {row.value: row for row in breakdown(Group((campaign.pk,)), "role")}

    assert rows["researcher"].respondents == 12
    assert rows["researcher"].mean_gap == pytest.approx(1.0)
    assert rows["technical"].respondents is SUPPRESSED
    assert rows["management"].mean_current is SUPPRESSED
    assert "business" not in rows


def test_region_comparison_keeps_a_small_region_unrecoverable(framework, competences):
    campaigns = [campaign_of(framework, region=code) for code in ("PL22", "NL35", "ITC3")]
    for campaign, count in zip(campaigns, (9, 6, 2), strict=True):
        for _ in range(count):
            respond(campaign, dict.fromkeys(competences, (2, 4)))

    columns = {column.name: column for column in compare_regions(campaigns)}

    assert columns["Śląskie"].self_respondents == 9
    # Liguria's campaign of two counts nowhere, so nothing is left to protect in Utrecht.
    assert columns["Liguria"].self_respondents is SUPPRESSED
    assert columns["Liguria"].figures[competences[0].code][:2] == (SUPPRESSED, SUPPRESSED)
    assert columns["Utrecht"].self_respondents == 6
    current, importance, required, mwds = columns["Śląskie"].figures[competences[0].code]
    assert (current, importance, required, mwds) == (2.0, 4.0, None, 8.0)
    overall = analyse(Group.of(campaigns))
    assert overall.self_respondents == 15 and overall.uncounted == 1


def test_a_campaign_under_five_changes_no_figure_of_a_selection(framework, competences):
    """The attack: a second campaign with one invitee, then the dashboard for {A} and
    {A, B}; the difference would be that one person's answers."""
    large = campaign_of(framework, region="PL22")
    for current in (1, 2, 3, 4, 5, 3):
        respond(large, dict.fromkeys(competences, (current, 5)))
    small = campaign_of(framework, region="PL22")
    respond(small, dict.fromkeys(competences, (5, 1)))

    alone = analyse(Group.of([large]))
    together = analyse(Group.of([large, small]))
    for row, with_small in zip(alone.competences, together.competences, strict=True):
        assert (row.current, row.importance, row.mwds) == (
            with_small.current,
            with_small.importance,
            with_small.mwds,
        )
    assert together.self_respondents == alone.self_respondents == 6
    assert analyse(Group.of([small])).competences[0].current.mean is SUPPRESSED
    # From its fifth response on, the campaign counts.
    for _ in range(4):
        respond(small, dict.fromkeys(competences, (5, 1)))
    assert analyse(Group.of([large, small])).self_respondents == 11


def count_queries(group) -> int:
    with CaptureQueriesContext(connection) as queries:
        analyse(group)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(memory_cache):
    small = small_framework(areas=1, per_area=2)
    large = small_framework(areas=4, per_area=6, name="Large")
    counts = []
    for framework, respondents in ((small, 5), (large, 30)):
        campaign = campaign_of(framework)
        other = campaign_of(framework, kind=Survey.Kind.DEMAND)
        competences = Competence.objects.filter(area__framework=framework)
        for _ in range(respondents):
            respond(campaign, dict.fromkeys(competences, (2, 4)))
            demand(other, dict.fromkeys(competences, 4))
        group = Group((campaign.pk, other.pk))
        first = count_queries(group)
        cache.clear()
        counts.append((first, count_queries(group)))
    # The first time, each campaign's statistics are stored; then the state of the
    # responses (for the cache and the stored statistics), their check and four queries.
    assert counts[0] == counts[1]
    assert counts[0][1] == 6


def test_a_cached_analysis_follows_new_answers_and_erasure(
    framework, competences, django_capture_on_commit_callbacks, memory_cache
):
    from surveys.results.personal_data import erase_user_data

    campaign = campaign_of(framework)
    for _ in range(5):
        respond(campaign, dict.fromkeys(competences, (2, 4)), role="researcher")
    group = Group((campaign.pk,))
    assert analyse(group).self_respondents == 5
    assert count_queries(group) == 1

    mine = self_assessment(campaign, dict.fromkeys(competences, (4, 4)), role="researcher")
    assert analyse(group).self_respondents == 6
    assert breakdown(group, "role")[0].respondents == 6

    # Erasure from a closed campaign anonymises without touching the columns the cache
    # key reads; it forgets the cached figures instead.
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=mine.submitted_at)
    with django_capture_on_commit_callbacks(execute=True):
        erase_user_data(mine.respondent)
    rows = {row.value: row.respondents for row in breakdown(group, "role")}
    # One anonymised respondent is hidden, and with them the only other group.
    assert rows == {"researcher": SUPPRESSED, "": SUPPRESSED}


def test_breakdowns_match_pooled_means_over_the_raw_rows(framework, competences):
    rng = random.Random(11)
    campaign = campaign_of(framework)
    for _ in range(30):
        values = {c: (rng.randint(1, 5), rng.randint(1, 5)) for c in competences}
        respond(campaign, values, role=rng.choice(["researcher", "technical"]))

    rows = {row.value: row for row in analysis.breakdowns(Group((campaign.pk,)))["role"]}

    for role in ("researcher", "technical"):
        raw = list(
            Answer.objects.filter(response__role=role).values_list("current_level", "importance")
        )
        assert rows[role].respondents == Response.objects.filter(role=role).count()
        assert rows[role].mean_current == pytest.approx(statistics.fmean(c for c, _i in raw))
        assert rows[role].mean_importance == pytest.approx(statistics.fmean(i for _c, i in raw))
        assert rows[role].mean_gap == pytest.approx(statistics.fmean(i - c for c, i in raw))


def test_two_filters_and_the_total_leave_no_small_group_to_subtract(framework, competences):
    """The attack: university and company shown against the total reveal the three others.
    The breakdown hides `other` (3) and then the next smallest group, `company`; a filter on
    a hidden group shows nothing either, so only the total and `university` are released."""
    campaign = campaign_of(framework)
    for organisation_type, count, current in (("university", 20, 2), ("company", 10, 3)):
        for _ in range(count):
            respond(
                campaign,
                dict.fromkeys(competences, (current, 4)),
                organisation_type=organisation_type,
            )
    for _ in range(3):
        respond(campaign, dict.fromkeys(competences, (5, 5)), organisation_type="other")

    rows = {row.value: row for row in breakdown(Group.of([campaign]), "organisation_type")}
    assert rows["other"].respondents is SUPPRESSED and rows["company"].respondents is SUPPRESSED

    company = analyse(Group.of([campaign], {"organisation_type": "company"}))
    assert company.self_respondents is SUPPRESSED
    assert all(row.current.mean is SUPPRESSED for row in company.competences)
    assert all(row.mwds is SUPPRESSED for row in company.competences)
    university = analyse(Group.of([campaign], {"organisation_type": "university"}))
    assert university.self_respondents == 20
    assert university.competences[0].current.mean == 2.0
    total = analyse(Group.of([campaign]))
    # What the released figures leave over is the 13 of company and other together.
    assert total.self_respondents - university.self_respondents == 13


def test_a_group_narrows_by_one_background_field_at_a_time(framework):
    campaign = campaign_of(framework)
    with pytest.raises(ValueError, match="one background field at a time"):
        Group.of([campaign], {"organisation_type": "university", "role": "researcher"})


def test_an_open_campaigns_figures_grow_in_steps_of_five(framework, competences):
    """The attack: read the figures, let one known person submit, read them again."""
    campaign = campaign_of(framework)
    for current in (1, 2, 3, 4, 5):
        respond(campaign, dict.fromkeys(competences, (current, 5)))
    before = analyse(Group.of([campaign]))
    assert before.self_respondents == 5

    newcomers = []
    for step in range(4):
        newcomers.append(
            self_assessment(
                campaign, dict.fromkeys(competences, (5, 1)), respondent=None, released=False
            )
        )
        assert Response.objects.release_due(campaign) == 0
        after = analyse(Group.of([campaign]))
        assert after.self_respondents == 5, step
        assert after.competences[0].current.mean == before.competences[0].current.mean
    # The fifth newcomer releases all five together.
    newcomers.append(
        self_assessment(
            campaign, dict.fromkeys(competences, (5, 1)), respondent=None, released=False
        )
    )
    assert Response.objects.release_due(campaign) == 5
    assert analyse(Group.of([campaign])).self_respondents == 10


def test_a_closed_campaign_counts_every_response(framework, competences):
    campaign = campaign_of(framework)
    for _ in range(6):
        respond(campaign, dict.fromkeys(competences, (3, 4)))
    self_assessment(campaign, dict.fromkeys(competences, (5, 1)), respondent=None, released=False)
    assert analyse(Group.of([campaign])).self_respondents == 6
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert analyse(Group.of([campaign])).self_respondents == 7


def test_a_filtered_gap_over_campaigns_hides_a_campaign_s_few_pairs(framework, competences):
    """Researchers of two campaigns: campaign A's researchers rated five current levels and
    five importances, but only three both. The gap over A and B less the gap over B alone
    would be those three people's: so the filtered gap is hidden, the levels are not."""
    first = competences[0]
    a, b = campaign_of(framework), campaign_of(framework)
    for pair in [(3, 4)] * 3 + [(3, None), (3, None), (None, 4), (None, 4)]:
        respond(a, {first: pair}, role="researcher")
    for campaign in (a, b, b):
        for _ in range(6):
            respond(campaign, {first: (2, 5)}, role="technical")
    for _ in range(6):
        respond(b, {first: (4, 4)}, role="researcher")

    both = analyse(Group((a.pk, b.pk), (("role", "researcher"),)))
    row = next(row for row in both.competences if row.code == first.code)
    assert row.current.n == 11 and row.importance.n == 11
    assert row.pairs is SUPPRESSED and row.gap is SUPPRESSED and row.mwds is SUPPRESSED
    alone = analyse(Group((b.pk,), (("role", "researcher"),)))
    assert next(row for row in alone.competences if row.code == first.code).pairs == 6
