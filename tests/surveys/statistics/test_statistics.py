"""Public statistics at /statistics/: open to everyone, closed campaigns only, the numbers of
the analysis with suppression, and a fixed number of queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys.analysis import Group, analyse, compare_regions
from surveys.models import Competence, Survey
from surveys.templatetags.analysis import figure
from tests.conftest import ROLES
from tests.factories.surveys import CampaignFactory, SurveyFactory, self_assessment, small_framework
from tests.surveys.dashboard.test_dashboard import SUPPRESSED_TEXT, Tables

pytestmark = pytest.mark.django_db


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

    framework = small_framework(areas=1, per_area=3)
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
        "competences": competences,
        "closed": [silesia, abroad, liguria],
        "running": running,
    }


@pytest.mark.parametrize("role", ROLES)
def test_statistics_are_public(role, client_as, world):
    response = client_as(role).get(reverse("statistics:index"))
    assert response.status_code == 200
    assert "Śląskie staff 2026" in response.content.decode()


def test_numbers_are_those_of_the_analysis_of_closed_campaigns(client, world):
    response = client.get(reverse("statistics:index"))
    page = response.content.decode()
    overall = analyse(Group.of(world["closed"]))
    tables = Tables(page).tables
    consortium = tables["statistics-consortium"]
    first = world["competences"][0]
    row = next(r for r in consortium if r[0].startswith(first.code))
    by_code = overall.by_code[first.code]
    assert row[1:] == [
        figure(by_code.current.mean),
        figure(by_code.importance.mean),
        figure(by_code.mwds),
        figure(by_code.rank),
    ]
    assert f"<dd>{overall.self_respondents}</dd>" in page
    columns = compare_regions(world["closed"])
    number, silesia = next((n, c) for n, c in enumerate(columns, 1) if c.name == "Śląskie")
    row = next(r for r in tables[f"statistics-region-{number}"] if r[0].startswith(first.code))
    assert row[1:4] == [figure(value) for value in silesia.figures[first.code][:2]] + [
        figure(silesia.figures[first.code][3])
    ]


def test_open_campaigns_are_not_published(client, world):
    page = client.get(reverse("statistics:index")).content.decode()
    assert "Śląskie autumn (open)" not in page
    # The nine open-campaign respondents are not counted, nor Liguria's three: a campaign
    # under five counts nowhere.
    assert "<dd>13</dd>" in page


def test_small_region_is_suppressed_and_its_numbers_absent(client, world):
    page = client.get(reverse("statistics:index")).content.decode()
    tables = Tables(page).tables
    assert "Liguria" in page
    names = [column.name for column in compare_regions(world["closed"])]
    number = names.index("Liguria") + 1
    for row in tables[f"statistics-region-{number}"][1:]:
        assert row[1:4] == [SUPPRESSED_TEXT] * 3
    # Liguria's means of exactly 1 and the resulting 0 gap are nowhere in its section.
    section = page[page.index(f'id="region-{number}"') : page.index(f'id="region-{number + 1}"')]
    assert "1.00" not in section and "0.00" not in section
    assert "fewer than 5" in page
    assert "once a campaign has closed" in page


def test_nothing_closed_yet(client, slaskie):
    CampaignFactory(region=slaskie, title="Still open")
    page = client.get(reverse("statistics:index")).content.decode()
    assert "No survey campaign has closed yet" in page
    assert "Still open" not in page


def test_queries_do_not_grow_with_responses_or_regions(client, world, hu):
    # Measured without cached analyses, so both runs compute everything.
    client.get(reverse("statistics:index"))
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("statistics:index"))
    survey = world["closed"][0].survey
    more = closed_campaign(survey, hu.region, "Another Utrecht round")
    for _ in range(8):
        self_assessment(more, dict.fromkeys(world["competences"], (3, 3)), respondent=None)
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("statistics:index"))
    assert len(after) == len(before)


def test_footer_and_home_page_link_to_the_statistics(client, db):
    page = client.get(reverse("home")).content.decode()
    assert page.count(f'href="{reverse("statistics:index")}"') == 2
