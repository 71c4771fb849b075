"""The competence change page at /reports/change/: who may open it for which region, the
table of a baseline and a follow-up, and the refused choices with their messages."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.surveys.analysis.change_data import (
    EARLIER,
    LATER,
    closed_campaign,
    framework_of,
    people,
    responses,
)

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:change")


@pytest.fixture
def world():
    """Śląskie: a baseline and a follow-up of six people each (K1 +1 for all, K2 +1 for
    four only: four pairs), a demand survey, a campaign of four; a Utrecht campaign."""
    framework = framework_of({"A": ["K1", "K2"]})
    baseline = closed_campaign(framework, EARLIER)
    followup = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    small = closed_campaign(framework, LATER - datetime.timedelta(days=80))
    demand = closed_campaign(framework, LATER - datetime.timedelta(days=60), kind="demand")
    utrecht = closed_campaign(framework, LATER - datetime.timedelta(days=60), region="NL35")
    persons = people(6)
    responses(
        baseline,
        persons,
        [{"K1": 2, "K2": 2}] * 4 + [{"K1": 2, "K2": None}] * 2,
        EARLIER + datetime.timedelta(days=1),
    )
    responses(followup, persons, [{"K1": 3, "K2": 3}] * 6, LATER - datetime.timedelta(days=39))
    responses(small, people(4), [{"K1": 3}] * 4, LATER - datetime.timedelta(days=79))
    responses(utrecht, people(5), [{"K1": 3}] * 5, LATER - datetime.timedelta(days=59))
    return {
        "baseline": baseline,
        "followup": followup,
        "small": small,
        "demand": demand,
        "utrecht": utrecht,
    }


def query(scope="slaskie", baseline=(), followup=()):
    return {
        "scope": scope,
        "baseline": [c.pk for c in baseline],
        "followup": [c.pk for c in followup],
    }


def test_the_coordinator_sees_the_change_of_their_region(client_as, world):
    page = client_as("coordinator").get(
        URL, query(baseline=[world["baseline"]], followup=[world["followup"]])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "6 people have both a baseline and a follow-up." in text
    table = text.split('id="change-table"')[1]
    assert "+1.00" in table and "100 %" in table
    # K2: four pairs only, its row shows no figure.
    k2 = table.split("K2 Competence K2")[1].split("</tr>")[0]
    assert "fewer than 5 pairs" in k2 and "%" not in k2
    assert "unlikely to be chance alone" in table  # six of six rose: p = 0.031


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("respondent", 403), ("staff", 403), ("coordinator", 200)],
)
def test_who_opens_the_page(client_as, role, status, world):
    assert client_as(role).get(URL).status_code == status


def test_another_regions_coordinator_cannot_choose_slaskie(client_as, world):
    page = client_as("other_coordinator").get(
        URL, query(baseline=[world["baseline"]], followup=[world["followup"]])
    )
    assert page.status_code == 200
    assert "is not one of the regions listed" in page.content.decode()
    assert 'id="change-table"' not in page.content.decode()


def test_a_campaign_of_another_region_is_refused(client_as, world):
    page = client_as("coordinator").get(
        URL, query(baseline=[world["baseline"]], followup=[world["utrecht"]])
    )
    text = page.content.decode()
    assert f"Campaign {world['utrecht'].pk} is not one of the campaigns" in text
    assert world["utrecht"].title not in text


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (("baseline", "baseline"), "cannot be both a baseline and a follow-up"),
        (("baseline", "demand"), "is an employer demand survey"),
        (("followup", "baseline"), "must open after the last baseline campaign opens"),
        (("baseline", "small"), "has fewer than 5 counted responses"),
    ],
)
def test_refused_choices_say_why_next_to_the_field(client_as, world, chosen, message):
    before, after = chosen
    page = client_as("coordinator").get(
        URL, query(baseline=[world[before]], followup=[world[after]])
    )
    text = page.content.decode()
    assert message in text
    assert "field--error" in text
    assert 'id="change-table"' not in text
    # What was ticked stays ticked.
    assert re.search(rf'name="baseline" value="{world[before].pk}"[^>]*checked', text)


def test_the_consortium_coordinator_compares_any_campaigns(client_as, world):
    page = client_as("consortium_coordinator").get(
        URL,
        query("consortium", baseline=[world["baseline"]], followup=[world["followup"]]),
    )
    assert "6 people have both" in page.content.decode()
    page = client_as("consortium_coordinator").get(
        URL, query("utrecht", baseline=[world["baseline"]], followup=[world["followup"]])
    )
    assert "is not one of the campaigns you may choose here" in page.content.decode()


def test_the_dashboard_index_links_to_the_change(client_as):
    page = client_as("coordinator").get(reverse("dashboard:index"))
    assert URL in page.content.decode()


def test_queries_do_not_grow_with_people(client_as, world, django_assert_max_num_queries):
    client = client_as("coordinator")
    params = query(baseline=[world["baseline"]], followup=[world["followup"]])
    client.get(URL, params)
    with django_assert_max_num_queries(16):
        assert client.get(URL, params).status_code == 200
    more = people(20)
    responses(world["baseline"], more, [{"K1": 1}] * 20, EARLIER + datetime.timedelta(days=2))
    responses(world["followup"], more, [{"K1": 4}] * 20, LATER - datetime.timedelta(days=38))
    with django_assert_max_num_queries(16):
        assert client.get(URL, params).status_code == 200
