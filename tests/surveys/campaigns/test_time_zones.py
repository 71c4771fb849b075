"""Dates and times in each person's own time zone: their choice, else their region's."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from surveys.models import Campaign, Framework, Invitation, Survey
from tests.factories.accounts import UserFactory
from tests.factories.practices import eager_tasks  # noqa: F401
from tests.surveys.campaigns.test_campaigns import form_data, make_campaign, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return Survey.objects.create(
        framework=Framework.objects.get(version=1), kind="self", title="Self-assessment"
    )


def test_a_coordinator_enters_and_reads_times_in_their_regions_time_zone(
    client_as, survey, slaskie, settings
):
    settings.TIME_ZONE = "Europe/Lisbon"  # the site's: not the coordinator's
    client = client_as("coordinator")  # Province of Silesia: Europe/Warsaw
    data = form_data(survey, slaskie, opens_at="2026-06-01T09:00", closes_at="2026-06-30T18:00")

    page = client.get("/campaigns/new/").content.decode()
    assert "In your time zone, Europe/Warsaw." in page
    # One truth: each date field names the zone, and nothing on the page names another.
    assert page.count("Europe/Warsaw") == 2
    assert "Europe/Brussels" not in page
    client.post("/campaigns/new/", data)

    campaign = Campaign.objects.get()
    assert campaign.opens_at == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 CEST
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "(Europe/Warsaw)" in page
    assert 'value="2026-06-01T09:00"' in client.get(f"/campaigns/{campaign.pk}/edit/").text


def test_a_time_zone_of_ones_own_wins_over_the_regions(client_as, coordinator, survey, slaskie):
    coordinator.time_zone = "America/Sao_Paulo"
    coordinator.save()
    client = client_as("coordinator")
    data = form_data(survey, slaskie, opens_at="2026-06-01T09:00", closes_at="2026-06-30T18:00")
    client.post("/campaigns/new/", data)

    campaign = Campaign.objects.get()
    assert campaign.opens_at == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 09:00 BRT
    assert "(America/Sao_Paulo)" in client.get(f"/campaigns/{campaign.pk}/").content.decode()


def test_the_profile_takes_a_time_zone_and_refuses_a_made_up_one(client, staff):
    client.force_login(staff)
    refused = client.post(
        "/accounts/profile/", {"name": "Ewa", "language": "pl", "time_zone": "Mars/Olympus"}
    )
    assert refused.status_code == 200
    assert 'value="Ewa"' in refused.content.decode()
    assert 'class="field field--error"' in refused.content.decode()

    client.post(
        "/accounts/profile/", {"name": "Ewa", "language": "pl", "time_zone": "Europe/Vilnius"}
    )
    staff.refresh_from_db()
    assert staff.time_zone == "Europe/Vilnius"


@pytest.mark.usefixtures("eager_tasks")
def test_an_invitation_tells_the_closing_time_in_the_invitees_time_zone(
    client_as, survey, slaskie, django_capture_on_commit_callbacks
):
    UserFactory(email="far@example.org", time_zone="Asia/Tokyo", language="en")
    campaign = make_campaign(survey, slaskie)
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_at=datetime(2026, 12, 20, 17, 0, tzinfo=UTC)
    )
    content = b"email\nfar@example.org\nnear@example.org\n"

    with django_capture_on_commit_callbacks(execute=True):
        upload(client_as("coordinator"), campaign, content)

    def body(email):
        token = Invitation.objects.get(email=email).token
        return next(m.body for m in mail.outbox if token in m.body)

    assert "(Asia/Tokyo)" in body("far@example.org")
    assert "21 Dec 2026, 02:00" in body("far@example.org")
    assert "(Europe/Warsaw)" in body("near@example.org")
    assert "20 grudnia 2026 18:00" in body("near@example.org")
