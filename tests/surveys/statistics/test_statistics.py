"""Public statistics at /statistics/: open to everyone, closed campaigns only, the numbers of
the analysis with suppression, a chart of the largest gaps before the tables, the tables
folded, one choice of group that shows only released figures, and a fixed number of
queries."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys.analysis import Group, analyse, compare_regions, is_number
from surveys.models import Competence, Survey
from surveys.templatetags.analysis import figure
from tests.conftest import ROLES
from tests.factories.surveys import (
    CampaignFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    self_assessment,
    small_framework,
)
from tests.surveys.dashboard.test_dashboard import SUPPRESSED_TEXT, Tables

pytestmark = pytest.mark.django_db

URL = "/statistics/"


def closed_campaign(survey, region, title):
    now = timezone.now()
    return CampaignFactory(
        survey=survey,
        region=region,
        title=title,
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=1),
    )


@pytest.fixture
def world(slaskie, utrecht):
    from partners.models import Region

    framework = small_framework(areas=2, per_area=3)
    competences = list(Competence.objects.filter(area__framework=framework).order_by("code"))
    survey = SurveyFactory(framework=framework, kind=Survey.Kind.SELF_ASSESSMENT)
    silesia = closed_campaign(survey, slaskie, "Śląskie staff 2026")
    abroad = closed_campaign(survey, utrecht, "Utrecht staff 2026")
    liguria = closed_campaign(survey, Region.objects.get(nuts_code="ITC3"), "Liguria staff 2026")
    running = CampaignFactory(survey=survey, region=slaskie, title="Śląskie autumn (open)")
    for index in range(7):
        values = {c: (1 + (index + n) % 5, 5 - index % 3) for n, c in enumerate(competences)}
        self_assessment(silesia, values, respondent=None)
    for index in range(6):
        self_assessment(abroad, dict.fromkeys(competences, (2 + index % 2, 4)), respondent=None)
    # Three people in Liguria, each answering the same peculiar way.
    for _ in range(3):
        self_assessment(liguria, dict.fromkeys(competences, (1, 1)), respondent=None)
    for _ in range(9):
        self_assessment(running, dict.fromkeys(competences, (5, 5)), respondent=None)
    return {
        "framework": framework,
        "competences": competences,
        "closed": [silesia, abroad, liguria],
        "running": running,
    }


def employers(world, region, count: int):
    """A closed employer-demand campaign of the same framework with `count` employers."""
    survey = SurveyFactory(framework=world["framework"], kind=Survey.Kind.DEMAND)
    campaign = closed_campaign(survey, region, f"{region.name} employers 2026")
    for index in range(count):
        response = ResponseFactory(campaign=campaign, respondent=None)
        for n, competence in enumerate(world["competences"]):
            answer(response, competence, required=1 + (index + 2 * n) % 5)
    return campaign


def get(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def figures_table(page: str) -> list[list[str]]:
    """The rows of every competence area's table, header rows left out, in page order."""
    tables = Tables(page).tables
    return [
        row
        for name, rows in tables.items()
        if name.startswith("statistics-area-")
        for row in rows[1:]
    ]


def row_of(rows, code: str) -> list[str]:
    return next(row for row in rows if row[0].startswith(f"{code} "))


def section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


class Structure(HTMLParser):
    """The order of the first <svg> and the first <table>, the <title> inside that svg, and
    each table's enclosing <details>, if any."""

    def __init__(self, html: str):
        super().__init__()
        self.events: list[str] = []
        self.open_details = 0
        self.svg_titles: list[str] = []
        self.tables_outside_details = 0
        self.tables = 0
        self._in_svg = self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            self.open_details += 1
        elif tag == "svg":
            self.events.append("svg")
            self._in_svg = True
        elif tag == "title" and self._in_svg:
            self._in_title = True
            self.svg_titles.append("")
        elif tag == "table":
            self.events.append("table")
            self.tables += 1
            if not self.open_details:
                self.tables_outside_details += 1

    def handle_endtag(self, tag):
        if tag == "details":
            self.open_details -= 1
        elif tag == "svg":
            self._in_svg = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.svg_titles[-1] += data


@pytest.mark.parametrize("role", ROLES)
def test_statistics_are_public(role, client_as, world):
    response = client_as(role).get(reverse("statistics:index"))
    assert response.status_code == 200
    assert "Śląskie staff 2026" in response.content.decode()


def test_page_leads_with_a_titled_chart_and_folds_every_table(client, world):
    page = get(client)
    structure = Structure(page)
    assert structure.events[0] == "svg", "the first chart or table on the page is a chart"
    assert structure.svg_titles[0] == "The largest gaps: The whole consortium"
    assert '<desc id="gaps-chart-desc">' in page
    assert structure.tables >= 3
    assert structure.tables_outside_details == 0
    assert "<details open" not in page


def test_chart_and_words_show_the_largest_gaps_in_rank_order(client, world):
    page = get(client)
    overall = analyse(Group.of(world["closed"]))
    ranking = overall.ranking
    chart = page[page.index("<svg") : page.index("</svg>")]
    drawn = re.findall(r'font-size="14" fill="#1a1f29">(\d+)\. (\S+) ', chart)
    assert drawn == [(str(row.rank), row.code) for row in ranking]
    # Each weighted gap is written in the chart with the analysis's value.
    for row in ranking:
        assert f">{figure(row.mwds)}</text>" in chart
    words = page[page.index('<ol class="gap-words">') :]
    words = words[: words.index("</ol>")]
    best = ranking[0]
    assert f"<strong>{best.code} {best.name}</strong>: current level " in words
    assert f"weighted gap of {figure(best.mwds)}" in words
    # The chart's numbers, as a table: the same rows in the same order.
    chart_rows = Tables(page).tables["statistics-gaps"][1:]
    assert [row[:2] for row in chart_rows] == [
        [str(row.rank), f"{row.code} {row.name}"] for row in ranking
    ]
    assert chart_rows[0][2:] == [
        figure(best.current.mean),
        figure(best.importance.mean),
        figure(best.mwds),
    ]


def test_numbers_are_those_of_the_analysis_of_closed_campaigns(client, world):
    page = get(client)
    overall = analyse(Group.of(world["closed"]))
    rows = figures_table(page)
    assert len(rows) == len(world["competences"])
    for competence in world["competences"]:
        by_code = overall.by_code[competence.code]
        assert row_of(rows, competence.code)[1:] == [
            figure(by_code.current.mean),
            figure(by_code.importance.mean),
            figure(by_code.mwds),
            figure(by_code.rank),
        ]
    assert f'<dd id="key-self-respondents">{overall.self_respondents}</dd>' in page


@pytest.mark.parametrize("name", ["Śląskie", "Utrecht", "Liguria"])
def test_each_region_choice_shows_exactly_what_compare_regions_releases(client, world, name):
    """A region's view is the same figures as its column of the comparison, the one
    consortium view that already publishes them: the choice adds no group of its own."""
    columns = {column.name: column for column in compare_regions(world["closed"])}
    column = columns[name]
    slug = {"Śląskie": "slaskie", "Utrecht": "utrecht", "Liguria": "liguria"}[name]
    page = get(client, region=slug)
    assert f"Largest gaps: {name}" in page
    rows = figures_table(page)
    for competence in world["competences"]:
        current, importance, _required, mwds = column.figures[competence.code]
        assert row_of(rows, competence.code)[1:4] == [
            figure(current),
            figure(importance),
            figure(mwds),
        ]
    # The comparison table holds the same column.
    comparison = Tables(page).tables["statistics-regions"]
    position = comparison[0].index(name)
    for competence in world["competences"]:
        assert row_of(comparison[1:], competence.code)[position] == figure(
            column.figures[competence.code][3]
        )


def test_open_campaigns_are_not_published(client, world):
    page = get(client)
    assert "Śląskie autumn (open)" not in page
    # The nine open-campaign respondents are not counted, nor Liguria's three: a campaign
    # under five counts nowhere.
    assert '<dd id="key-self-respondents">13</dd>' in page
    assert '<dd id="key-regions">2 of 3</dd>' in page


def test_small_region_is_suppressed_and_its_numbers_absent(client, world):
    page = get(client, region="liguria")
    rows = figures_table(page)
    assert rows
    for row in rows:
        assert row[1:4] == [SUPPRESSED_TEXT] * 3
    # No chart and no list of gaps for a region without a released gap: a message instead.
    gaps = section(page, "largest-gaps")
    assert "<svg" not in gaps and 'id="no-gaps"' in gaps
    # Liguria's means of exactly 1 and the resulting 0 gap are nowhere in its view, and
    # its three people are counted nowhere.
    own = gaps + section(page, "all-figures")
    assert "1.00" not in own and "0.00" not in own
    assert ">3<" not in page
    comparison = Tables(page).tables["statistics-regions"]
    position = comparison[0].index("Liguria")
    assert {row[position] for row in comparison[1:]} == {SUPPRESSED_TEXT}
    assert "once a campaign has closed" in page


def shown_counts(page: str) -> list[str]:
    """Every count of people on the page: the key figures, the chosen region's facts and the
    comparison's row of respondents."""
    counts = re.findall(r'<dd id="key-[a-z-]+respondents"[^>]*>([^<]*)</dd>', page)
    facts = re.findall(r'<p class="statistics-group-facts">(.*?)</p>', page, re.DOTALL)
    counts += re.findall(r'<span class="nowrap">([^<]*)</span>', "".join(facts))
    comparison = Tables(page).tables.get("statistics-regions", [])
    counts += [cell for row in comparison[1:2] for cell in row[1:]]
    return counts


def test_no_view_shows_a_figure_from_fewer_than_five(client, world, utrecht):
    """Every choice of the page, with an employer campaign of four people beside: no count
    under five, and nothing of the four employers or of Liguria's three."""
    employers(world, utrecht, 4)
    for region in ["", "slaskie", "utrecht", "liguria", "consortium-wide", "nonsense"]:
        page = get(client, region=region)
        counts = shown_counts(page)
        assert counts, region
        for count in counts:
            # Nobody counted (a region without employers) reveals nobody.
            assert count == SUPPRESSED_TEXT or not 0 < int(count) < 5, region
        # Four employers: the required level is released nowhere, so no column promises it.
        assert "Required level (R)" not in page
        assert 'id="no-required-level"' in page
        demand = re.search(r'<dd id="key-demand-respondents"[^>]*>([^<]*)</dd>', page)
        assert demand[1] == SUPPRESSED_TEXT


def test_required_level_is_a_column_where_employers_answered(client, world, slaskie):
    campaign = employers(world, slaskie, 6)
    page = get(client)
    assert "and the level employers require of them" in page
    assert 'id="no-required-level"' not in page
    overall = analyse(Group.of([*world["closed"], campaign]))
    rows = figures_table(page)
    first = world["competences"][0]
    row = row_of(rows, first.code)
    assert row[3] == figure(overall.by_code[first.code].required.mean)
    assert is_number(overall.by_code[first.code].required.mean)
    # The chart marks it and says so in its legend; the chart's table has the column.
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "Required by employers" in chart
    assert "A diamond marks the mean level employers require." in chart
    assert "Required level (R)" in Tables(page).tables["statistics-gaps"][0]
    # A region without employers shows a dash for it, not a figure of others.
    utrecht_rows = figures_table(get(client, region="utrecht"))
    assert row_of(utrecht_rows, first.code)[3] == "–"
    columns = {c.name: c for c in compare_regions([*world["closed"], campaign])}
    slaskie_rows = figures_table(get(client, region="slaskie"))
    assert row_of(slaskie_rows, first.code)[3] == figure(columns["Śląskie"].figures[first.code][2])


def test_without_employers_the_intro_promises_no_required_level(client, world):
    page = get(client)
    lead = page[page.index('<p class="lead">') :]
    lead = lead[: lead.index("</p>")]
    assert "employers" not in lead
    assert 'id="no-required-level"' in page
    assert "Required level (R)" not in page
    assert "Required by employers" not in page


def test_an_unknown_region_is_refused_next_to_the_choice(client, world):
    page = get(client, region="atlantis")
    choice = page[page.index('<form class="statistics-choice"') :]
    choice = choice[: choice.index("</form>")]
    assert "“atlantis” is not one of the regions listed." in choice
    assert "Largest gaps: The whole consortium" in page
    assert 'aria-invalid="true"' in choice


def test_nothing_closed_yet(client, slaskie):
    CampaignFactory(region=slaskie, title="Still open")
    page = get(client)
    assert "No survey campaign has closed yet" in page
    assert "Still open" not in page
    assert "<svg" not in page[page.index("<main") :]


@pytest.mark.parametrize("params", [{}, {"region": "slaskie"}])
def test_queries_do_not_grow_with_responses_or_regions(client, world, hu, params):
    # Measured without cached analyses, so both runs compute everything.
    client.get(reverse("statistics:index"), params)
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("statistics:index"), params)
    survey = world["closed"][0].survey
    more = closed_campaign(survey, hu.region, "Another Utrecht round")
    for _ in range(8):
        self_assessment(more, dict.fromkeys(world["competences"], (3, 3)), respondent=None)
    client.get(reverse("statistics:index"), params)  # stores the new campaign's statistics
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("statistics:index"), params)
    assert len(after) == len(before)


def test_main_menu_footer_and_home_page_link_to_the_statistics(client, db):
    page = client.get(reverse("home")).content.decode()
    link = f'href="{reverse("statistics:index")}"'
    menu = page[page.index('<nav class="main-nav"') :]
    menu = menu[: menu.index("</nav>")]
    footer = page[page.index('<footer class="site-footer"') :]
    main = page[page.index("<main") : page.index("</main>")]
    assert link in menu
    assert link in footer
    assert link in main
