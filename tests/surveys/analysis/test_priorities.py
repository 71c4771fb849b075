"""Confidence intervals and the priority views: the t quantile against published values and
an integration of its own, intervals against hand-computed ones (and hidden wherever their
mean is), the "near the average" rule, the Locus for Focus quadrants on the staff's
importance and on the employers' required level, and chart labels that never overlap."""

import random
import re
from html.parser import HTMLParser

import pytest

from partners.models import Region
from surveys.analysis import SUPPRESSED, Group, analyse, charts
from surveys.analysis.intervals import t_quantile
from surveys.models import Campaign, Competence, Framework, Survey
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
def framework(db) -> Framework:
    return small_framework(areas=2, per_area=2)


@pytest.fixture
def competences(framework) -> list[Competence]:
    return list(Competence.objects.filter(area__framework=framework).order_by("code"))


def campaign_of(framework, kind=Survey.Kind.SELF_ASSESSMENT) -> Campaign:
    survey = SurveyFactory(framework=framework, kind=kind)
    return CampaignFactory(survey=survey, region=Region.objects.get(nuts_code="PL22"))


def employers(campaign, levels: dict) -> None:
    """One employer response per position of the lists in `levels` {competence: [R, …]}."""
    count = len(next(iter(levels.values())))
    for index in range(count):
        response = ResponseFactory(campaign=campaign, respondent=None, organisation_type="company")
        for competence, values in levels.items():
            answer(response, competence, required=values[index])


# The t quantile ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "published"),
    # Student's t, two-sided 95 %, as printed in every statistics table.
    [
        (1, 12.706),
        (2, 4.303),
        (3, 3.182),
        (4, 2.776),
        (5, 2.571),
        (9, 2.262),
        (10, 2.228),
        (20, 2.086),
        (30, 2.042),
        (40, 2.021),
        (60, 2.000),
        (120, 1.980),
        (1000, 1.962),
    ],
)
def test_the_t_quantile_matches_published_tables(df, published):
    assert round(t_quantile(df), 3) == published


@pytest.mark.parametrize("df", [*range(1, 41), 55, 99, 250, 6.5, 7.25, 18.9])
def test_the_t_quantile_matches_a_numerical_integration(df):
    assert t_quantile(df) == pytest.approx(student_t.t_975(df), abs=2e-4)


def test_a_fraction_of_a_degree_below_six_is_rounded_down_to_a_wider_interval():
    assert t_quantile(3.9) == t_quantile(3) > student_t.t_975(3.9)
    assert t_quantile(5.5) == t_quantile(5) > student_t.t_975(5.5)


# Intervals against hand-computed ones ---------------------------------------------------


def test_intervals_match_hand_computed_ones(framework, competences):
    """Five staff: C = 1, 2, 3, 4, 5 (sd √2.5) and I = 5, 5, 4, 4, 2 (sd √1.5), so I − C =
    4, 3, 1, 0, −3 (mean 1, sd √7.5); t(4) = 2.7764 and √5 = 2.2361. Six employers: R = 3, 4,
    4, 5, 4, 3."""
    item = competences[0]
    staff = campaign_of(framework)
    for current, importance in zip((1, 2, 3, 4, 5), (5, 5, 4, 4, 2), strict=True):
        self_assessment(staff, {item: (current, importance)}, respondent=None)
    demand = campaign_of(framework, kind=Survey.Kind.DEMAND)
    employers(demand, {item: [3, 4, 4, 5, 4, 3]})

    row = analyse(Group.of([staff, demand])).by_code[item.code]

    # 2.7764 × 1.5811 / 2.2361 = 1.9632; × 1.2247 / 2.2361 = 1.5207; × 2.7386 / 2.2361 = 3.4004
    assert round(row.current.margin, 3) == 1.963
    assert round(row.importance.margin, 3) == 1.521
    assert round(row.gap_margin, 3) == 3.400
    # The weighted gap's: the gap's times the mean importance 4.
    assert round(row.mwds, 3) == 4.0 and round(row.mwds_margin, 2) == 13.60
    # R: sd 0.7528, t(5) = 2.5706, √6 = 2.4495: 0.790.
    assert round(row.required.margin, 3) == 0.790
    # Welch: √(0.5667/6 + 2.5/5) = 0.7710 with 5.50 degrees of freedom, rounded down to 5.
    assert row.market_gap == pytest.approx(23 / 6 - 3)
    assert round(row.market_gap_margin, 3) == round(2.5706 * 0.7710, 3) == 1.982


def test_an_interval_is_hidden_wherever_its_mean_is(framework, competences):
    staff = campaign_of(framework)
    for current in (1, 2, 3, 4):
        self_assessment(staff, dict.fromkeys(competences, (current, 5)), respondent=None)
    demand = campaign_of(framework, kind=Survey.Kind.DEMAND)
    employers(demand, dict.fromkeys(competences, [3, 4, 4, 5, 4, 3]))

    result = analyse(Group.of([staff, demand]))

    for row in result.competences:
        assert row.current.mean is SUPPRESSED and row.current.margin is SUPPRESSED
        assert row.importance.margin is SUPPRESSED
        assert row.gap_margin is SUPPRESSED and row.mwds_margin is SUPPRESSED
        assert row.market_gap_margin is SUPPRESSED
        assert row.required.margin == pytest.approx(0.790, abs=1e-3)
        assert row.quadrant is None and row.focus is None
    assert result.axes == []


def test_a_filtered_groups_intervals_follow_its_suppression(framework, competences):
    """The rest of the group (three companies) could be worked out: every figure of the
    filtered group is hidden, and so is every interval."""
    staff = campaign_of(framework)
    for _ in range(5):
        self_assessment(
            staff,
            dict.fromkeys(competences, (3, 4)),
            respondent=None,
            organisation_type="university",
        )
    for _ in range(3):
        self_assessment(
            staff, dict.fromkeys(competences, (1, 5)), respondent=None, organisation_type="company"
        )
    result = analyse(Group.of([staff], {"organisation_type": "university"}))
    for row in result.competences:
        assert row.current.margin is SUPPRESSED and row.gap_margin is SUPPRESSED
        assert row.placement("importance").quadrant is None


# The views and "near the average" ------------------------------------------------------


def ten_staff(framework, competences, d_importance: list[int]):
    """Ten staff rating A (C 1, I 5), B (C 5, I 1), C (C 5, I 5) the same, and D at
    current level 1 with the importance `d_importance` (alternating over the ten)."""
    a, b, c, d = competences
    staff = campaign_of(framework)
    for index in range(10):
        values = {a: (1, 5), b: (5, 1), c: (5, 5), d: (1, d_importance[index % 2])}
        self_assessment(staff, values, respondent=None)
    return staff


def test_a_competence_whose_interval_reaches_a_line_is_near_the_average(framework, competences):
    """D's importance is 2 or 4 (mean 3, ± 2.262 · 1.054 / √10 = 0.754): its interval holds
    the mean importance of all four, 3.5, so neither view names its quadrant, where a plain
    comparison of the means would call it low priority. The others' sides are clear."""
    staff = ten_staff(framework, competences, [2, 4])
    result = analyse(Group.of([staff]))
    a, b, c, d = (result.by_code[competence.code] for competence in competences)

    assert result.cross_hairs["importance"].importance == pytest.approx(3.5)
    assert result.cross_hairs["importance"].current == pytest.approx(3.0)
    assert d.importance.margin == pytest.approx(0.754, abs=1e-3)
    assert d.importance.mean < 3.5 and d.current.mean < 3.0
    assert d.quadrant == "near_average" and d.quadrant_label == "Near the average (importance)"
    assert d.focus == "near_average" and d.focus_label == "Near the average (importance)"
    assert (a.quadrant, b.quadrant, c.quadrant) == ("concentrate", "overkill", "keep_up")


def test_locus_for_focus_places_importance_against_the_gap(framework, competences):
    """With D's importance 2 throughout, every point is clear of the lines (mean importance
    3.25, mean gap (4 − 4 + 0 + 1) / 4 = 0.25): one competence in each quadrant."""
    staff = ten_staff(framework, competences, [2, 2])
    result = analyse(Group.of([staff]))
    a, b, c, d = (result.by_code[competence.code] for competence in competences)

    assert result.cross_hairs["importance"].focus_importance == pytest.approx(3.25)
    assert result.cross_hairs["importance"].discrepancy == pytest.approx(0.25)
    assert (a.focus, b.focus, c.focus, d.focus) == ("focus", "least", "small_gap", "large_gap")
    assert a.focus_label == "Focus here: important, large gap"
    # The importance–performance quadrant calls D low priority: it compares levels, not gaps,
    # while the weighted gap ranks D second (gap 1 × importance 2 beside A's 4 × 5).
    assert d.quadrant == "low_priority"
    assert [row.code for row in result.ranking[:2]] == [a.code, d.code]
    assert result.gaps_below_importance("importance", top=2) == [d]


def test_the_employers_required_level_is_an_importance_axis(framework, competences):
    a, b, c, d = competences
    staff = ten_staff(framework, competences, [2, 2])
    assert analyse(Group.of([staff])).axes == ["importance"]

    demand = campaign_of(framework, kind=Survey.Kind.DEMAND)
    # R: A 1, B 5, C 5, D 2 or 4 (mean 3 ± 2.571 · 1.095 / √6 = 1.15).
    employers(demand, {a: [1] * 6, b: [5] * 6, c: [5] * 6, d: [2, 4, 2, 4, 2, 4]})
    result = analyse(Group.of([staff, demand]))
    rows = [result.by_code[competence.code] for competence in competences]

    assert result.axes == ["importance", "required"]
    # Mean R 3.5; market gaps R − C: A 0, B 0, C 0, D 2; their mean 0.5.
    assert result.cross_hairs["required"].importance == pytest.approx(3.5)
    assert result.cross_hairs["required"].discrepancy == pytest.approx(0.5)
    on_required = [row.placement("required") for row in rows]
    assert [p.quadrant for p in on_required] == [
        "low_priority",
        "keep_up",
        "keep_up",
        "near_average",
    ]
    assert [p.focus for p in on_required] == ["least", "small_gap", "small_gap", "near_average"]
    assert on_required[3].focus_label == "Near the average (requirement)"
    # On the staff's importance nothing moved.
    assert [row.focus for row in rows] == ["focus", "least", "small_gap", "large_gap"]


# Chart labels --------------------------------------------------------------------------


class SvgTexts(HTMLParser):
    """Point labels (text, x, baseline, font size) and point centres of a scatter chart."""

    def __init__(self, svg: str):
        super().__init__()
        self.labels: list[tuple[str, float, float, float]] = []
        self.points: list[tuple[float, float]] = []
        self.unlabelled = ""
        self._open = None
        self.feed(svg)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "text" and attrs.get("class") in ("chart-point-label", "chart-unlabelled"):
            self._open = attrs
        if tag == "circle" and attrs.get("class") == "chart-point":
            self.points.append((float(attrs["cx"]), float(attrs["cy"])))

    def handle_data(self, data):
        if self._open is None:
            return
        if self._open["class"] == "chart-unlabelled":
            self.unlabelled = data
        else:
            x, y = float(self._open["x"]), float(self._open["y"])
            self.labels.append((data, x, y, float(self._open["font-size"])))
        self._open = None


def label_box(text: str, x: float, baseline: float, size: float) -> tuple[float, ...]:
    # DejaVu Sans, the PDFs' font: digits 0.636 em, capitals up to 0.77 em, the dot 0.318 em.
    width = sum(0.318 if ch == "." else 0.77 if ch.isupper() else 0.636 for ch in text) * size
    return (x, baseline - 0.76 * size, x + width, baseline + 0.24 * size)


def overlap(one, other) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


@pytest.fixture
def crowded():
    """24 competences whose means lie close together, as in a real region."""
    framework = small_framework(areas=4, per_area=6, name="Crowded")
    competences = list(Competence.objects.filter(area__framework=framework))
    staff, demand = campaign_of(framework), campaign_of(framework, kind=Survey.Kind.DEMAND)
    rng = random.Random(16)
    for _ in range(40):
        self_assessment(
            staff,
            {c: (rng.choice([2, 3, 3, 4]), rng.choice([3, 4, 4, 5])) for c in competences},
            respondent=None,
        )
    employers(demand, {c: [rng.choice([3, 4, 5]) for _ in range(8)] for c in competences})
    return analyse(Group.of([staff, demand]))


@pytest.mark.parametrize("axis", ["importance", "required"])
@pytest.mark.parametrize("draw", [charts.quadrant_chart, charts.focus_chart])
def test_chart_labels_never_overlap_and_every_point_is_named(crowded, draw, axis):
    svg = SvgTexts(str(draw(crowded, axis=axis)))
    boxes = [label_box(*label) for label in svg.labels]

    assert len(svg.points) == 24
    for index, box in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert not overlap(box, other), (svg.labels[index], other)
        # No label covers a point (its own marker is beside it, not under it either).
        for x, y in svg.points:
            assert not overlap(box, (x - 3, y - 3, x + 3, y + 3)), (svg.labels[index], x, y)
    labelled = {text for text, *_ in svg.labels}
    listed = set(re.findall(r"A\d\.\d", svg.unlabelled))
    assert labelled | listed == {row.code for row in crowded.competences}
    assert not labelled & listed
    assert len(labelled) >= 20


def test_a_chart_without_points_draws_no_labels(framework):
    result = analyse(Group.of([campaign_of(framework)]))
    svg = SvgTexts(str(charts.focus_chart(result)))
    assert svg.labels == [] and svg.points == [] and svg.unlabelled == ""
