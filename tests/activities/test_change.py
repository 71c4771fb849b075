"""The competence change of an activity's participants: who opens it, and the pairing
around the activity's dates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.activities import ActivityFactory, ParticipantFactory
from tests.surveys.analysis.change_data import closed_campaign, framework_of, people, responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    """Six participants with accounts, a guest: K1 2 before the visit, 4 after it; a
    seventh account answered only after."""
    today = timezone.localdate()
    visit = ActivityFactory(
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today - datetime.timedelta(days=99),
        status="held",
    )
    framework = framework_of({"A": ["K1"]})
    now = timezone.now()
    before = closed_campaign(framework, now - datetime.timedelta(days=200))
    after = closed_campaign(framework, now - datetime.timedelta(days=60))
    persons = people(7)
    responses(before, persons[:6], [{"K1": 2}] * 6, now - datetime.timedelta(days=190))
    responses(after, persons, [{"K1": 4}] * 7, now - datetime.timedelta(days=50))
    for person in persons:
        ParticipantFactory(activity=visit, user=person)
    ParticipantFactory(activity=visit)
    return visit


def url(activity):
    return reverse("activities:change", args=[activity.pk])


def test_the_host_coordinator_sees_the_participants_change(client_as, activity):
    page = client_as("coordinator").get(url(activity))
    assert page.status_code == 200
    text = page.content.decode()
    assert "6 people have both a baseline and a follow-up." in text
    assert "+2.00" in text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("respondent", 403),
        ("staff", 403),
        ("other_coordinator", 403),
        ("consortium_coordinator", 200),
    ],
)
def test_who_opens_it(client_as, role, status, activity):
    assert client_as(role).get(url(activity)).status_code == status


def test_an_unconfirmed_activity_is_not_found_by_outsiders(client_as):
    proposed = ActivityFactory(confirmed_at=None)
    assert client_as("other_coordinator").get(url(proposed)).status_code == 404
    assert client_as("coordinator").get(reverse("activities:change", args=[0])).status_code == 404


def test_fewer_than_five_pairs_show_no_figures(client_as, activity):
    activity.participants.filter(user__isnull=False).order_by("pk").first().delete()
    activity.participants.filter(user__isnull=False).order_by("pk").first().delete()
    text = client_as("coordinator").get(url(activity)).content.decode()
    assert "Fewer than 5 people have both" in text
    assert "fewer than 5 pairs" in text and "+2.00" not in text
