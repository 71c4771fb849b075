"""A survey page's address names the page its indicator shows: /pages/2/ is "Page 2 of 3";
the earlier addresses, counted from 0, lead to the same pages."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import Answer, Campaign, Response
from tests.surveys.answering.test_answering import (
    BACKGROUND,
    competences_of,
    consent,
    make_campaign,
    rated,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    """Open from yesterday for two weeks; two areas, so three pages."""
    now = timezone.now()
    return make_campaign(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=14))


def address(response, number: int) -> str:
    return f"/surveys/responses/{response.pk}/pages/{number}/"


def heading(page) -> str:
    return page.text.split("<h1>")[1].split("</h1>")[0]


def test_the_address_and_the_indicator_name_the_same_page(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    areas = [area.name for area in campaign.survey.framework.areas.order_by("position")]

    pages = [client.get(address(response, number)) for number in (1, 2, 3)]

    assert [heading(page) for page in pages] == ["About you", *areas]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of 3" in page.text
        assert f'<progress value="{number}" max="3"' in page.text
    assert client.get(address(response, 0)).status_code == 404
    assert client.get(address(response, 4)).status_code == 404


def test_next_back_and_the_list_of_what_is_missing_lead_to_numbered_pages(
    client,
    respondent,
    campaign,
):
    client.force_login(respondent)
    response = consent(client, campaign)
    assert client.get(f"/surveys/c/{campaign.link_token}/")["Location"] == address(response, 1)

    assert client.post(address(response, 1), BACKGROUND)["Location"] == address(response, 2)
    first_area = rated(competences_of(campaign, 0), action="next")
    assert client.post(address(response, 2), first_area)["Location"] == address(response, 3)
    back = client.post(address(response, 3), {"action": "back"})
    assert back["Location"] == address(response, 2)

    # Submitting with the last area unanswered names it, with a link to its page.
    page = client.post(address(response, 3), {"action": "submit"})
    missing = competences_of(campaign, 1)[0]
    assert f'href="{address(response, 3)}#competence-{missing.pk}"' in page.text
    # Where the respondent stopped: the page they left, by the same number.
    home = client.get("/").content.decode()
    assert f'href="{address(response, 3)}"' in home


@pytest.mark.parametrize(("counted_from_0", "number"), [(0, 1), (1, 2), (2, 3)])
def test_an_address_counted_from_0_leads_to_the_same_page(
    client,
    respondent,
    campaign,
    counted_from_0,
    number,
):
    client.force_login(respondent)
    response = consent(client, campaign)

    reply = client.get(f"/surveys/responses/{response.pk}/{counted_from_0}/")

    assert reply.status_code == 308
    assert reply["Location"] == address(response, number)


def test_answers_sent_to_an_address_counted_from_0_are_saved(
    client,
    respondent,
    campaign,
):
    # A page loaded before the addresses changed, sent afterwards: nothing is lost.
    client.force_login(respondent)
    response = consent(client, campaign)
    competences = competences_of(campaign, 0)

    reply = client.post(
        f"/surveys/responses/{response.pk}/1/",
        rated(competences, current=2, importance=5, action="next"),
        follow=True,
    )

    assert reply.redirect_chain == [
        (address(response, 2), 308),
        (address(response, 3), 302),
    ]
    answers = Answer.objects.filter(response=response)
    assert {(a.competence_id, a.current_level, a.importance) for a in answers} == {
        (competence.pk, 2, 5) for competence in competences
    }
    response.refresh_from_db()
    assert response.current_page == 2
    assert Response.objects.count() == 1


def test_after_closing_the_pages_link_to_their_neighbours_by_number(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))

    page = client.get(address(response, 2)).text

    assert "Page 2 of 3" in page
    assert f'href="{address(response, 1)}">Previous page' in page
    assert f'href="{address(response, 3)}">Next page' in page
