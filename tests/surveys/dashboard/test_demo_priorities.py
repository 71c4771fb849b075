"""On the demo data (`manage.py seed_demo`), the priority views agree with the ranking or
explain themselves: no competence among the five largest weighted gaps is called low
priority (or any other low-need quadrant) without the page saying why, on the dashboard and
in the regional report PDF, which show the same labels."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from partners.models import Region, User
from surveys.models import Campaign
from surveys.reports import document, pipeline
from tests.surveys.dashboard.test_dashboard import Tables

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

DEMO_REGIONS = ("slaskie", "utrecht", "liguria")
LOW_NEED = {"Low priority", "Possible overkill", "Less important, smaller gap"}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return User.objects.get(email="coordinator@example.org")


def top_five(html: str, table_id: str) -> list[tuple[str, str, str]]:
    """(competence code, Locus for Focus, quadrant) of each row of a top-gaps table."""
    rows = Tables(html).tables[table_id][1:]
    return [(row[1].split()[0], row[-2], row[-1]) for row in rows]


def assert_agreeing_or_explained(html: str, table_id: str) -> None:
    rows = top_five(html, table_id)
    assert len(rows) == 5
    for code, focus, quadrant in rows:
        for label in (focus, quadrant):
            if label in LOW_NEED:
                # Only with the sentence that names it and says why.
                assert "clearly below the average importance" in html and code in html, code
            if label.startswith("Near the average (importance"):
                # The method says what an interval reaching the line means (and, where
                # importance hardly differs at all, the spread note says so as well).
                assert "the competence is “near the average” of that axis" in html, code


def test_the_priority_views_agree_on_the_demo_data(client, demo):
    """Each demo region, with its newest campaigns (the default) and with every campaign
    (an address of before the default changed)."""
    client.force_login(demo)
    for slug in DEMO_REGIONS:
        region = Region.objects.get(slug=slug)
        url = reverse("dashboard:region", args=[slug])
        every = "&".join(f"campaigns={c.pk}" for c in Campaign.objects.filter(region=region))
        for address in (url, f"{url}?{every}"):
            page = client.get(address).content.decode()
            assert_agreeing_or_explained(page, "top-gaps-table")
            # The demo's importance hardly differs between competences: with a plain
            # comparison of means, three of Śląskie's five largest gaps were "low priority".
            labels = {
                label for _code, *views in top_five(page, "top-gaps-table") for label in views
            }
            assert not LOW_NEED & labels, address


def test_the_report_shows_the_dashboards_priority_labels(client, demo):
    client.force_login(demo)
    for slug in DEMO_REGIONS:
        region = Region.objects.get(slug=slug)
        page = client.get(reverse("dashboard:region", args=[slug])).content.decode()
        ticked = re.findall(r'value="(\d+)" id="id_campaigns_\d+" checked', page)
        report, _existing = pipeline.request_report(
            user=demo,
            region=region,
            campaigns=list(Campaign.objects.filter(pk__in=ticked)),
            language="en",
        )
        html = document.render_html(report)

        assert_agreeing_or_explained(html, "top-gaps")
        assert top_five(html, "top-gaps") == top_five(page, "top-gaps-table"), slug
