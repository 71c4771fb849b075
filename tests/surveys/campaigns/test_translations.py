"""A campaign's title and privacy notice in the respondents' languages, written by the
coordinators who manage the campaign."""

import pytest

from surveys.models import Framework, Survey
from tests.surveys.campaigns.test_campaigns import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(slaskie):
    survey = Survey.objects.create(
        framework=Framework.objects.get(version=1), kind="self", title="Self-assessment"
    )
    return make_campaign(survey, slaskie, title="Competences 2026", access="open")


def url(campaign, language):
    return f"/campaigns/{campaign.pk}/translations/{language}/"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("respondent", 404),
        ("staff", 404),
        ("other_coordinator", 404),  # Utrecht's: not theirs, and not told it exists
        ("coordinator", 200),
        ("consortium_coordinator", 200),
    ],
)
def test_only_who_manages_the_campaign_translates_it(client_as, campaign, role, status):
    client = client_as(role)
    assert client.get(url(campaign, "lt")).status_code == status
    posted = client.post(url(campaign, "lt"), {"campaign:title": "Perimta"})
    assert posted.status_code == (302 if status in (200, 302) else status)
    campaign.refresh_from_db()
    assert campaign.translations.get("lt", {}).get("title") == (
        "Perimta" if status == 200 else None
    )


def test_the_translation_is_what_a_respondent_of_that_language_consents_to(
    client_as, client, campaign, respondent
):
    coordinator = client_as("coordinator")
    assert "Not yet translated" in coordinator.get(url(campaign, "lt")).content.decode()
    coordinator.post(
        url(campaign, "lt"),
        {
            "campaign:title": "Kompetencijos 2026",
            "campaign:privacy_notice": "Atsakymus saugome tik projekto analizei.",
        },
    )
    assert coordinator.get(url(campaign, "en")).status_code == 404

    client.force_login(respondent)
    page = client.get(f"/surveys/c/{campaign.link_token}/", {"language": "lt"}).content.decode()
    assert "Kompetencijos 2026" in page
    assert "Atsakymus saugome tik projekto analizei." in page
    assert "We keep your answers" not in page
