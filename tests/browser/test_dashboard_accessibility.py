"""axe-core and the 320 px layout on the results pages: the regional dashboard (with its
chart data open, and with refused filters), the region comparison and the public statistics.

The same rules as test_accessibility.py: no axe violation of impact "serious" or "critical",
no horizontal scrolling in a 320 px wide window (wide tables scroll in their own box).
"""

import datetime
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partners.models import Region
from surveys.models import Area, Competence, Framework, Survey
from tests.factories.surveys import CampaignFactory, ResponseFactory, answer, self_assessment

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations, assert_reflows_at_narrowest

pytestmark = BROWSER_TEST


@dataclass
class World:
    foreign_campaign: int


@pytest.fixture
def world(db) -> World:
    if Framework.objects.current() is None:
        from surveys.framework.default import seed

        seed(Framework, Area, Competence)
    framework = Framework.objects.current()
    competences = list(Competence.objects.filter(area__framework=framework))
    staff_survey = Survey.objects.create(
        framework=framework, kind=Survey.Kind.SELF_ASSESSMENT, title="SOCORE self-assessment"
    )
    employer_survey = Survey.objects.create(
        framework=framework, kind=Survey.Kind.DEMAND, title="SOCORE employer survey"
    )
    now = timezone.now()
    closed = {"opens_at": now - datetime.timedelta(days=40), "closes_at": now}
    slaskie = Region.objects.get(nuts_code="PL22")
    utrecht = Region.objects.get(nuts_code="NL35")
    silesia = CampaignFactory(
        survey=staff_survey, region=slaskie, title="Śląskie staff 2026", **closed
    )
    employers = CampaignFactory(
        survey=employer_survey, region=slaskie, title="Śląskie employers 2026", **closed
    )
    abroad = CampaignFactory(
        survey=staff_survey, region=utrecht, title="Utrecht staff 2026", **closed
    )
    rng = random.Random(2026)

    def ratings():
        return {
            c: None if rng.random() < 0.1 else (rng.randint(1, 5), rng.randint(2, 5))
            for c in competences
        }

    for role in ["researcher"] * 7 + ["technical"] * 3:
        self_assessment(silesia, ratings(), respondent=None, role=role)
    for _ in range(6):
        self_assessment(abroad, ratings(), respondent=None, role="transfer")
    for _ in range(5):
        response = ResponseFactory(campaign=employers, respondent=None, role="business")
        for competence in competences:
            answer(response, competence, required=rng.randint(2, 5))
    return World(foreign_campaign=abroad.pk)


@dataclass(frozen=True)
class Case:
    id: str
    role: str
    path: Callable[[World], str]
    shows: Callable[[Page], None]
    reach: Callable[[Page], None] | None = None


def table(caption: str) -> Callable[[Page], None]:
    def check(page: Page) -> None:
        expect(page.get_by_role("table", name=caption).first).to_be_visible()

    return check


def open_chart_data(page: Page) -> None:
    for summary in page.locator("details.chart-data > summary").all():
        summary.click()
    expect(page.get_by_role("table", name="Means by area and competence (1 to 5)")).to_be_visible()


def refused_filters(page: Page) -> None:
    expect(page.get_by_text("is not one of the campaigns shown here")).to_be_visible()
    expect(page.get_by_text("is not one of the groups listed")).to_be_visible()


def index_links(page: Page) -> None:
    expect(page.get_by_role("link", name="Results of Śląskie")).to_be_visible()
    expect(page.get_by_role("link", name="Reports and exports")).to_be_visible()


def region_with_report_links(page: Page) -> None:
    table("Means on the 1 to 5 scale, gaps and ranking by competence: Śląskie")(page)
    expect(page.get_by_role("link", name="Request a PDF report")).to_be_visible()
    expect(page.get_by_role("link", name="Export (CSV, XLSX)")).to_be_visible()


def open_every_table(page: Page) -> None:
    for summary in page.locator("main details > summary").all():
        summary.click()
    table("Weighted gap (MWDS) by competence and region")(page)


CASES = [
    Case("dashboard-index", "coordinator", lambda w: "/reports/", index_links),
    Case(
        "region-dashboard",
        "coordinator",
        lambda w: "/reports/region/slaskie/?sort=mwds&dir=desc",
        region_with_report_links,
    ),
    Case(
        "region-dashboard-chart-data",
        "coordinator",
        lambda w: "/reports/region/slaskie/?group=role:technical",
        table("Means on the 1 to 5 scale, gaps and ranking by competence: Śląskie"),
        reach=open_chart_data,
    ),
    Case(
        "region-dashboard-refused-filters",
        "coordinator",
        lambda w: f"/reports/region/slaskie/?campaigns={w.foreign_campaign}&group=nonsense",
        refused_filters,
    ),
    Case(
        "comparison",
        "consortium_coordinator",
        lambda w: "/reports/compare/?measure=mwds",
        table("Weighted gap (MWDS) by competence and region"),
    ),
    Case(
        "statistics",
        "visitor",
        lambda w: "/statistics/",
        lambda page: expect(
            page.get_by_role("img", name="The largest gaps: The whole consortium")
        ).to_be_visible(),
        reach=open_every_table,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_results_page_has_no_serious_axe_violations_and_reflows_at_320px(
    case, world, page, request, sign_in
):
    if case.role != "visitor":
        user = request.getfixturevalue(case.role)
        sign_in(user, totp=True)
    path = case.path(world)
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path}: HTTP {response.status}"
    case.shows(page)
    if case.reach:
        case.reach(page)

    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)


NUMBERS_ON_MORE_THAN_ONE_LINE = """
() => [...document.querySelectorAll(
    "main td.number:not(.number--suppressed), main dd:not(.key-figures__words)"
  )]
  .filter((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size > 1;
  })
  .map((cell) => cell.textContent)
"""

# The smallest text in the chart of the largest gaps, in CSS px as drawn.
SMALLEST_CHART_TEXT = """
() => {
  const chart = document.querySelector("svg.chart--gaps");
  const scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
  const sizes = [...chart.querySelectorAll("text")].map((t) => Number(t.getAttribute("font-size")));
  return Math.min(...sizes) * scale;
}
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_statistics_pass_axe_with_every_table_open_at(width, world, page):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/statistics/")
    expect(page.get_by_role("img", name="The largest gaps: The whole consortium")).to_be_visible()
    open_every_table(page)
    # The employers' survey of Śląskie has five answers: their required level is a column.
    expect(page.get_by_role("columnheader", name="Required level (R)").first).to_be_visible()
    assert_no_serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(NUMBERS_ON_MORE_THAN_ONE_LINE) == []
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 10


def test_statistics_choice_of_region_works_without_javascript(world, browser, live_server):
    context = browser.new_context(
        locale="en-GB", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/statistics/")
    page.get_by_label("Show the figures of").select_option(label="Śląskie")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"/statistics/\?region=slaskie#largest-gaps$"))
    expect(page.get_by_role("heading", name="Largest gaps: Śląskie")).to_be_visible()
    expect(page.get_by_role("img", name="The largest gaps: Śląskie")).to_be_visible()
    context.close()


def test_statistics_print_every_table_and_not_the_choice(world, page):
    page.goto("/statistics/")
    area_table = page.locator("#statistics-area-1")
    expect(area_table).to_be_hidden()
    page.emulate_media(media="print")
    expect(area_table).to_be_visible()
    expect(page.locator("#statistics-regions")).to_be_visible()
    expect(page.locator("form.statistics-choice")).to_be_hidden()
