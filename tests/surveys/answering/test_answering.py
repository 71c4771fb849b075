"""Answering a campaign: entry links, consent, saving page by page, submitting, closing."""

import datetime as dt

import pytest
import time_machine

from surveys.models import (
    Answer,
    Campaign,
    Competence,
    Framework,
    Invitation,
    Response,
    Survey,
)
from tests.factories.accounts import UserFactory
from tests.factories.surveys import small_framework

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_campaign(kind="self", access="open", framework=None, **dates) -> Campaign:
    survey = Survey.objects.create(
        framework=framework or small_framework(), kind=kind, title=f"Survey {kind}"
    )
    return Campaign.objects.create(
        survey=survey,
        title="Śląskie competences 2026",
        opens_at=dates.get("opens_at", NOW - dt.timedelta(days=1)),
        closes_at=dates.get("closes_at", NOW + dt.timedelta(days=14)),
        access=access,
        privacy_notice="We keep your answers for the SOCORE project only.",
        privacy_notice_version="2026-1",
    )


@pytest.fixture
def campaign():
    return make_campaign()


def competences_of(campaign, area_index):
    return list(
        Competence.objects.filter(
            area__framework=campaign.survey.framework, area__position=area_index
        ).order_by("position")
    )


def open_url(campaign):
    return f"/surveys/c/{campaign.link_token}/"


def page_url(response, page):
    """The page at position `page` from 0 (About you), as `current_page` counts: its address
    and its indicator number it from 1."""
    return f"/surveys/responses/{response.pk}/pages/{page + 1}/"


def consent(client, campaign, url=None) -> Response:
    reply = client.post(url or open_url(campaign), {"agree": "1"})
    response = Response.objects.get(campaign=campaign)
    assert reply.status_code == 302
    assert reply["Location"] == page_url(response, 0)
    return response


def rated(competences, current=3, importance=4, **extra):
    data = {}
    for competence in competences:
        data[f"c{competence.pk}-current_level"] = current
        data[f"c{competence.pk}-importance"] = importance
    return {**data, **extra}


BACKGROUND = {
    "organisation_type": "university",
    "role": "researcher",
    "experience": "2-5",
    "action": "next",
}


# Entry ------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, campaign):
    reply = client.get(open_url(campaign))
    assert reply.status_code == 302
    assert reply["Location"].startswith("/accounts/login/")
    assert f"next=/surveys/c/{campaign.link_token}/" in reply["Location"]


def test_open_link_flow_from_consent_to_submission(client, respondent, campaign):
    client.force_login(respondent)
    page = client.get(open_url(campaign))
    assert page.status_code == 200
    assert "We keep your answers for the SOCORE project only." in page.text
    assert "2026-1" in page.text
    response = consent(client, campaign)
    assert response.respondent == respondent
    assert response.consent_version == "2026-1"
    assert response.consented_at == NOW

    reply = client.post(page_url(response, 0), BACKGROUND)
    assert reply["Location"] == page_url(response, 1)
    reply = client.post(page_url(response, 1), rated(competences_of(campaign, 0), action="next"))
    assert reply["Location"] == page_url(response, 2)
    last = client.get(page_url(response, 2))
    assert "Page 3 of 3" in last.text
    assert 'value="submit"' in last.text
    reply = client.post(page_url(response, 2), rated(competences_of(campaign, 1), action="submit"))
    assert reply["Location"] == f"/surveys/results/{response.pk}/"
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_at == NOW
    assert response.organisation_type == "university"
    assert Answer.objects.filter(response=response).count() == 6


def test_page_shows_real_radio_groups_descriptors_and_progress(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    page = client.get(page_url(response, 1))
    competence = competences_of(campaign, 0)[0]
    assert "Page 2 of 3" in page.text
    assert '<progress value="2" max="3"' in page.text
    assert page.text.count('type="radio"') == 3 * 2 * 5
    assert f"<legend>{competence.code} {competence.name}</legend>" in page.text
    assert f'for="id_c{competence.pk}-current_level_0"' in page.text
    assert "Level 5 of 0-0" in page.text
    assert "What competence 0-0 means." in page.text


def test_invitation_only_campaign_refuses_the_uninvited(client, respondent):
    campaign = make_campaign(access="invitation")
    client.force_login(respondent)
    reply = client.get(open_url(campaign))
    assert reply.status_code == 403
    assert "This survey is by invitation only" in reply.text
    assert client.post(open_url(campaign), {"agree": "1"}).status_code == 403
    assert not Response.objects.exists()


def test_invitation_only_campaign_finds_the_invitation_by_verified_email(client, respondent):
    campaign = make_campaign(access="invitation")
    invitation = Invitation.objects.create(campaign=campaign, email=respondent.email.upper())
    client.force_login(respondent)
    assert client.get(open_url(campaign)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.user == respondent
    response = consent(client, campaign)
    assert response.invitation == invitation


def test_invitation_link_is_kept_by_its_first_account(client, respondent):
    campaign = make_campaign(access="invitation")
    invitation = Invitation.objects.create(campaign=campaign, email="invited@example.org")
    url = f"/surveys/i/{invitation.token}/"
    client.force_login(respondent)
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.user == respondent
    response = consent(client, campaign, url)
    assert response.invitation == invitation

    intruder = UserFactory()
    client.force_login(intruder)
    reply = client.get(url)
    assert reply.status_code == 403
    assert "already been used by another account" in reply.text
    assert client.post(url, {"agree": "1"}).status_code == 403
    assert Response.objects.filter(respondent=intruder).count() == 0


def test_anonymous_invitee_signs_in_first_and_nothing_is_claimed(client):
    campaign = make_campaign(access="invitation")
    invitation = Invitation.objects.create(campaign=campaign, email="invited@example.org")
    reply = client.get(f"/surveys/i/{invitation.token}/")
    assert reply.status_code == 302
    assert f"next=/surveys/i/{invitation.token}/" in reply["Location"]
    invitation.refresh_from_db()
    assert invitation.user is None


def test_invitation_to_another_accounts_address_is_refused(client, respondent):
    campaign = make_campaign(access="invitation")
    owner = UserFactory(email="owner@example.org")
    invitation = Invitation.objects.create(campaign=campaign, email=owner.email)
    client.force_login(respondent)
    reply = client.get(f"/surveys/i/{invitation.token}/")
    assert reply.status_code == 403
    assert "belongs to another account" in reply.text
    invitation.refresh_from_db()
    assert invitation.user is None


def test_upcoming_campaign_shows_its_dates(client, respondent):
    campaign = make_campaign(
        opens_at=NOW + dt.timedelta(days=2), closes_at=NOW + dt.timedelta(days=20)
    )
    client.force_login(respondent)
    reply = client.get(open_url(campaign))
    assert reply.status_code == 200
    assert "This survey is not open yet" in reply.text
    assert "It opens on" in reply.text
    assert client.post(open_url(campaign), {"agree": "1"}).status_code == 200
    assert not Response.objects.exists()


def test_closed_campaign_shows_its_dates_to_everyone_who_did_not_answer(client, respondent):
    campaign = make_campaign(
        opens_at=NOW - dt.timedelta(days=20), closes_at=NOW - dt.timedelta(days=2)
    )
    anonymous = client.get(open_url(campaign))
    assert anonymous.status_code == 200
    assert "This survey is closed" in anonymous.text
    client.force_login(respondent)
    reply = client.post(open_url(campaign), {"agree": "1"})
    assert reply.status_code == 200
    assert "This survey is closed" in reply.text
    assert not Response.objects.exists()


# Consent ----------------------------------------------------------------------------------


def test_no_response_before_consent_and_none_after_no_thanks(client, respondent, campaign):
    client.force_login(respondent)
    client.get(open_url(campaign))
    assert not Response.objects.exists()
    reply = client.post(open_url(campaign), {"decline": "1"})
    assert reply.status_code == 200
    assert "nothing was stored" in reply.text
    assert not Response.objects.exists()


def test_consent_twice_resumes_the_one_response(client, respondent, campaign):
    client.force_login(respondent)
    first = consent(client, campaign)
    client.post(open_url(campaign), {"agree": "1"})
    assert Response.objects.filter(campaign=campaign, respondent=respondent).get() == first


# Saving page by page ----------------------------------------------------------------------


def test_back_saves_the_page_and_remembers_where_the_respondent_is(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    second_area = competences_of(campaign, 1)
    reply = client.post(page_url(response, 2), rated(second_area, 2, 5, action="back"))
    assert reply["Location"] == page_url(response, 1)
    answers = Answer.objects.filter(response=response)
    assert sorted(answers.values_list("current_level", "importance")) == [(2, 5)] * 3
    response.refresh_from_db()
    assert response.current_page == 1
    # The saved values come back checked when the page is drawn again.
    page = client.get(page_url(response, 2))
    assert f'name="c{second_area[0].pk}-current_level" value="2" id=' in page.text
    prefix = f"c{second_area[0].pk}-importance"
    checked = f'name="{prefix}" value="5" id="id_{prefix}_4" checked'
    assert checked in page.text
    assert page.text.count("checked") == 6


def test_save_and_continue_later_then_the_entry_link_resumes_there(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    client.post(page_url(response, 0), BACKGROUND)
    reply = client.post(page_url(response, 1), rated(competences_of(campaign, 0), action="save"))
    assert reply["Location"] == page_url(response, 1)
    follow = client.get(reply["Location"])
    assert "Your answers are saved" in follow.text
    assert open_url(campaign) in follow.text
    client.logout()
    client.force_login(respondent)
    assert client.get(open_url(campaign))["Location"] == page_url(response, 1)


def test_partial_page_keeps_good_answers_and_marks_the_problem(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    answered, conflicting, empty = competences_of(campaign, 0)
    data = {
        f"c{answered.pk}-current_level": "4",
        f"c{answered.pk}-importance": "2",
        f"c{conflicting.pk}-current_level": "3",
        f"c{conflicting.pk}-not_applicable": "on",
        "action": "next",
    }
    reply = client.post(page_url(response, 1), data)
    assert reply.status_code == 200
    assert "Choose a level or “not applicable”, not both." in reply.text
    assert "Level 1 of 0-1" in reply.text  # the descriptors are still at hand
    stored = {a.competence_id: a for a in Answer.objects.filter(response=response)}
    assert set(stored) == {answered.pk}
    assert (stored[answered.pk].current_level, stored[answered.pk].importance) == (4, 2)
    response.refresh_from_db()
    assert response.current_page == 1
    assert empty.pk not in stored


def test_half_answered_and_out_of_range_values_are_handled(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    half, wrong, _rest = competences_of(campaign, 0)
    data = {
        f"c{half.pk}-importance": "5",
        f"c{wrong.pk}-current_level": "7",
        "action": "next",
    }
    reply = client.post(page_url(response, 1), data)
    assert reply.status_code == 200
    assert "Select a valid choice" in reply.text
    answer = Answer.objects.get(response=response)
    assert (answer.competence, answer.current_level, answer.importance) == (half, None, 5)


def test_submit_lists_what_is_missing_and_keeps_everything(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    first, second = competences_of(campaign, 0), competences_of(campaign, 1)
    client.post(page_url(response, 1), rated(first[:2], action="next"))
    data = rated(second[:2], action="submit")
    data[f"c{second[2].pk}-not_applicable"] = "on"
    reply = client.post(page_url(response, 2), data)
    assert reply.status_code == 200
    assert "Before you submit" in reply.text
    assert f"{first[2].code} {first[2].name}" in reply.text
    assert f"#competence-{first[2].pk}" in reply.text
    assert "Type of organisation" in reply.text
    for competence in [*first[:2], *second]:
        assert f"{competence.code} {competence.name}</a>" not in reply.text
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS
    assert Answer.objects.filter(response=response).count() == 5
    assert Answer.objects.get(response=response, competence=second[2]).not_applicable


def test_self_assessment_and_demand_store_their_own_scales(client, respondent):
    self_campaign = make_campaign()
    demand_campaign = make_campaign(kind="demand", framework=self_campaign.survey.framework)
    client.force_login(respondent)
    own = consent(client, self_campaign)
    competence = competences_of(self_campaign, 0)[0]
    client.post(page_url(own, 1), rated([competence], current=1, importance=5, action="next"))
    assert Answer.objects.filter(response=own).values_list(
        "current_level", "importance", "required_level", "not_applicable"
    ).get() == (1, 5, None, False)

    demand = consent(client, demand_campaign)
    page = client.get(page_url(demand, 1))
    assert "Level required of RII staff" in page.text
    assert "My current level" not in page.text
    client.post(page_url(demand, 1), {f"c{competence.pk}-required_level": "4", "action": "next"})
    assert Answer.objects.filter(response=demand).values_list(
        "current_level", "importance", "required_level", "not_applicable"
    ).get() == (None, None, 4, False)


# Until the campaign closes, and after -----------------------------------------------------


def submit_everything(client, campaign, response):
    client.post(page_url(response, 0), BACKGROUND)
    client.post(page_url(response, 1), rated(competences_of(campaign, 0), action="next"))
    return client.post(page_url(response, 2), rated(competences_of(campaign, 1), action="submit"))


def test_editable_until_close_then_read_only(client, respondent, campaign, _clock):
    client.force_login(respondent)
    response = consent(client, campaign)
    submit_everything(client, campaign, response)
    competence = competences_of(campaign, 0)[0]

    _clock.move_to(NOW + dt.timedelta(days=3))
    changed = rated(competences_of(campaign, 0), action="next")
    changed[f"c{competence.pk}-current_level"] = 5
    reply = client.post(page_url(response, 1), changed)
    assert reply.status_code == 302
    client.post(page_url(response, 2), rated(competences_of(campaign, 1), action="submit"))
    response.refresh_from_db()
    assert response.submitted_at == NOW + dt.timedelta(days=3)
    assert Answer.objects.get(response=response, competence=competence).current_level == 5

    _clock.move_to(campaign.closes_at + dt.timedelta(hours=1))
    client.force_login(respondent)  # the respondent signs in again, days later
    page = client.get(page_url(response, 1))
    assert page.status_code == 200
    assert 'type="radio"' not in page.text
    assert 'value="submit"' not in page.text
    assert "can no longer be changed" in page.text
    assert "5 of 5" in page.text
    background = client.get(page_url(response, 0))
    assert "University" in background.text
    assert 'name="organisation_type"' not in background.text
    assert client.get(open_url(campaign))["Location"] == page_url(response, 2)
    reply = client.post(page_url(response, 1), rated([competence], current=1, action="next"))
    assert reply.status_code == 302
    assert reply["Location"] == page_url(response, 1)
    assert "This survey is closed" in client.get(reply["Location"]).text
    assert Answer.objects.get(response=response, competence=competence).current_level == 5


def test_a_respondent_never_sees_anothers_response(client, respondent, campaign):
    client.force_login(respondent)
    response = consent(client, campaign)
    client.post(page_url(response, 1), rated(competences_of(campaign, 0), action="next"))
    client.force_login(UserFactory())
    assert client.get(page_url(response, 1)).status_code == 404
    reply = client.post(page_url(response, 1), rated(competences_of(campaign, 0), 1, 1))
    assert reply.status_code == 404
    assert set(Answer.objects.values_list("current_level", flat=True)) == {3}
    client.logout()
    assert client.get(page_url(response, 1)).status_code == 302


@pytest.mark.parametrize("frozen", [False, True], ids=["draft", "frozen"])
@pytest.mark.parametrize("per_area", [2, 12])
def test_saving_a_page_takes_the_same_queries_for_any_number_of_competences(
    client, respondent, django_assert_max_num_queries, per_area, frozen, memory_cache
):
    framework = small_framework(areas=1, per_area=per_area)
    if frozen:
        Framework.objects.filter(pk=framework.pk).update(frozen_at=NOW)
    campaign = make_campaign(framework=framework)
    client.force_login(respondent)
    response = consent(client, campaign)
    competences = competences_of(campaign, 0)
    data = rated(competences, action="next")
    client.post(page_url(response, 1), data)
    # One is emptied (its row is deleted). The session, the user, their memberships (whose
    # region gives the time zone), the response, the upsert, the delete, the page reached,
    # and the transaction; a draft's pages are read each time (areas, competences,
    # descriptors), a frozen version's once per process.
    del data[f"c{competences[0].pk}-current_level"], data[f"c{competences[0].pk}-importance"]
    with django_assert_max_num_queries(9 if frozen else 12):
        reply = client.post(page_url(response, 1), data)
    assert reply.status_code == 302
    assert Answer.objects.filter(response=response).count() == per_area - 1
    # The page drawn again: its stored answers, and the roles for the navigation.
    with django_assert_max_num_queries(5 if frozen else 8):
        page = client.get(page_url(response, 1))
    assert page.text.count('type="radio"') == per_area * 10
    assert page.text.count("Level 5 of") == per_area


def test_submissions_are_released_to_the_figures_five_at_a_time(client, campaign):
    responses = []
    for number in range(6):
        person = UserFactory(email=f"person{number}@example.org")
        client.force_login(person)
        client.post(open_url(campaign), {"agree": "1"})
        response = Response.objects.get(campaign=campaign, respondent=person)
        submit_everything(client, campaign, response)
        responses.append(response)
        released = Response.objects.filter(campaign=campaign, released=True)
        assert released.count() == (0 if number < 4 else 5), number
    states = {r.pk: r.released for r in Response.objects.filter(campaign=campaign)}
    assert [states[r.pk] for r in responses] == [True] * 5 + [False]
