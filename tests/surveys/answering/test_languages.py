"""A respondent takes the survey in the language chosen on its first page (the consent page),
whatever the interface language; the answers are the same in every language."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.analysis import Group, analyse
from surveys.models import Campaign, Competence, Framework, Response, Survey
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    framework = Framework.objects.get(version=1)
    survey = Survey.objects.create(framework=framework, kind="self", title="Self-assessment")
    return Campaign.objects.create(
        survey=survey,
        title="Competences 2026",
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=14),
        access=Campaign.Access.OPEN,
        privacy_notice="We keep your answers for the SOCORE project only.",
        privacy_notice_version="2026-1",
        translations={
            "lt": {
                "title": "Kompetencijos 2026",
                "privacy_notice": "Jūsų atsakymus saugome tik SOCORE projektui.",
            }
        },
    )


def open_url(campaign):
    return f"/surveys/c/{campaign.link_token}/"


def test_the_consent_page_offers_the_survey_in_every_language_starting_with_the_interfaces(
    client, respondent, campaign
):
    respondent.language = "pl"
    respondent.save()
    client.force_login(respondent)

    page = client.get(open_url(campaign)).content.decode()
    assert '<option value="pl" lang="pl" selected>Polski</option>' in page
    for code, name in [("lt", "Lietuviškai"), ("ro", "Română"), ("nl", "Nederlands")]:
        assert f'<option value="{code}" lang="{code}">{name}</option>' in page
    assert '<input type="hidden" name="language" value="pl">' in page


def test_the_notice_is_read_and_agreed_to_in_the_chosen_language(client, respondent, campaign):
    client.force_login(respondent)  # the interface speaks English to this respondent

    page = client.get(open_url(campaign), {"language": "lt"}).content.decode()
    assert '<html lang="lt"' in page
    assert "Jūsų atsakymus saugome tik SOCORE projektui." in page
    assert "Kompetencijos 2026" in page
    assert "We keep your answers" not in page

    client.post(open_url(campaign), {"agree": "1", "language": "lt"})
    response = Response.objects.get(campaign=campaign, respondent=respondent)
    assert response.language == "lt"


def test_every_survey_page_speaks_the_chosen_language(client, respondent, campaign):
    client.force_login(respondent)
    client.post(open_url(campaign), {"agree": "1", "language": "lt"})
    response = Response.objects.get(campaign=campaign)
    competence = Competence.objects.get(area__framework__version=1, code="1.1")

    about_you = client.get(f"/surveys/responses/{response.pk}/pages/1/").content.decode()
    first_area = client.get(f"/surveys/responses/{response.pk}/pages/2/").content.decode()

    assert '<html lang="lt"' in about_you and '<html lang="lt"' in first_area
    assert competence.translations["lt"]["name"] in first_area
    assert competence.name not in first_area
    for level in competence.levels.all():
        assert level.translations["lt"]["text"] in first_area
    # The interface around the survey is Lithuanian too, from the catalogue.
    assert "Kompetencijos 2026" in first_area


def test_an_unknown_language_falls_back_to_the_interfaces(client, respondent, campaign):
    client.force_login(respondent)
    page = client.get(open_url(campaign), {"language": "xx"}).content.decode()
    assert '<input type="hidden" name="language" value="en">' in page
    client.post(open_url(campaign), {"agree": "1", "language": "klingon"})
    assert Response.objects.get(campaign=campaign).language == "en"


def test_answers_given_in_different_languages_are_analysed_together(campaign):
    competences = list(Competence.objects.filter(area__framework__version=1).order_by("pk"))
    for number, language in enumerate(["en", "pl", "lt", "ro", "nl", "pt"]):
        response = Response.objects.create(
            campaign=campaign,
            respondent=UserFactory(),
            consent_version="2026-1",
            consented_at=timezone.now(),
            language=language,
            status=Response.Status.SUBMITTED,
            submitted_at=timezone.now(),
            released=True,
        )
        response.answers.create(competence=competences[0], current_level=1 + number % 5)

    figures = analyse(Group((campaign.pk,)))
    row = next(r for r in figures.competences if r.code == competences[0].code)
    assert figures.self_respondents == 6
    assert row.current.n == 6
    assert row.current.mean == pytest.approx((1 + 2 + 3 + 4 + 5 + 1) / 6, abs=0.01)
