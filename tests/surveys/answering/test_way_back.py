"""A respondent finds their way back: every unfinished survey of an open campaign, and every
invitation not taken up, is one click away on the home page and on "Your responses"."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from surveys.models import Invitation, Response
from tests.surveys.answering import test_answering
from tests.surveys.answering.test_answering import BACKGROUND, consent, page_url

pytestmark = pytest.mark.django_db


def make_campaign(**fields):
    """Open from yesterday for two weeks, on the real clock."""
    now = timezone.now()
    return test_answering.make_campaign(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=14), **fields
    )


@pytest.fixture
def started(client, respondent):
    """A response left on its second page, in an open campaign."""
    campaign = make_campaign()
    client.force_login(respondent)
    response = consent(client, campaign)
    client.post(page_url(response, 0), BACKGROUND)
    return response


def test_the_home_page_and_your_responses_lead_back_to_where_the_respondent_stopped(
    client, started
):
    target = page_url(started, 1)
    home = client.get("/").content.decode()
    responses = client.get("/surveys/results/").content.decode()

    for page in (home, responses):
        assert f'href="{target}"' in page
        assert "Continue" in page
    assert "Surveys waiting for you" in home


def test_a_closed_campaigns_unfinished_response_has_no_way_back(client, started):
    campaign = started.campaign
    campaign.closes_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()

    assert page_url(started, 1) not in client.get("/").content.decode()
    page = client.get("/surveys/results/").content.decode()
    assert page_url(started, 1) not in page and "not submitted yet" in page


def test_an_invitation_not_taken_up_is_listed_until_the_survey_is_started(client, respondent):
    campaign = make_campaign(access="invitation")
    EmailAddress.objects.update_or_create(
        user=respondent, email=respondent.email, defaults={"verified": True, "primary": True}
    )
    invitation = Invitation.objects.create(campaign=campaign, email=respondent.email.upper())
    Invitation.objects.create(campaign=make_campaign(access="invitation"), email="x@example.org")
    client.force_login(respondent)

    home = client.get("/").content.decode()
    assert f'href="/surveys/i/{invitation.token}/"' in home
    assert home.count("/surveys/i/") == 1  # only invitations addressed to this person

    client.post(f"/surveys/i/{invitation.token}/", {"agree": "1"})
    response = Response.objects.get(campaign=campaign, respondent=respondent)
    home = client.get("/").content.decode()
    assert "/surveys/i/" not in home
    assert f'href="{page_url(response, 0)}"' in home


def test_save_and_continue_later_gives_the_address_as_a_link(client, started):
    reply = client.post(page_url(started, 1), {"action": "save"}, follow=True)
    page = reply.content.decode()
    link = f"http://testserver/surveys/c/{started.campaign.link_token}/"
    assert f'<a href="{link}">{link}</a>' in page


def test_a_visitor_sees_no_survey_list(client, started):
    client.logout()
    assert "Surveys waiting for you" not in client.get("/").content.decode()
