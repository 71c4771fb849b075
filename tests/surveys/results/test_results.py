"""Personal results: the numbers of a hand-computed profile, who may see it, PDF, export, erasure.

The example: areas A (A1, A2) and B (B1, B2); the respondent answers
A1 current 2 / importance 5, A2 4 / 4, B1 1 / 3, B2 not applicable. So area A means
current 3.0 and importance 4.5, area B 1.0 and 3.0 (B2 left out); the gaps are A1 3,
B1 2, A2 0, and the priorities come in that order.
"""

import datetime
import json
import subprocess

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practices.models import Status
from surveys.analysis import SUPPRESSED
from surveys.models import Answer, Invitation, Response, Survey
from surveys.results.profile import build_profile
from tests.conftest import ROLES
from tests.factories.practices import PracticeFactory
from tests.factories.surveys import (
    AreaFactory,
    CampaignFactory,
    CompetenceFactory,
    FrameworkFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    self_assessment,
)

pytestmark = pytest.mark.django_db

PDFTOTEXT = "/usr/bin/pdftotext"


@pytest.fixture
def framework():
    framework = FrameworkFactory()
    area_a = AreaFactory(framework=framework, code="A", name="Working with partners", position=0)
    area_b = AreaFactory(framework=framework, code="B", name="Self-management", position=1)
    return {
        "framework": framework,
        "A1": CompetenceFactory(area=area_a, code="A1", name="Negotiating agreements", position=0),
        "A2": CompetenceFactory(area=area_a, code="A2", name="Building networks", position=1),
        "B1": CompetenceFactory(area=area_b, code="B1", name="Coping with pressure", position=0),
        "B2": CompetenceFactory(area=area_b, code="B2", name="Planning own work", position=1),
    }


@pytest.fixture
def campaign(framework):
    return CampaignFactory(
        survey=SurveyFactory(framework=framework["framework"]), title="Spring 2026"
    )


@pytest.fixture
def mine(respondent, campaign, framework):
    c = framework
    return self_assessment(
        campaign,
        {c["A1"]: (2, 5), c["A2"]: (4, 4), c["B1"]: (1, 3), c["B2"]: None},
        respondent=respondent,
    )


def others(campaign, framework, count, **fields):
    """Other people's submitted responses: A1 4 / 4 and A2 not applicable each."""
    return [
        self_assessment(campaign, {framework["A1"]: (4, 4), framework["A2"]: None}, **fields)
        for _ in range(count)
    ]


def profile_url(response):
    return reverse("results:profile", args=[response.pk])


# The numbers ---------------------------------------------------------------------------


def test_profile_numbers_match_the_hand_computed_example(mine):
    profile = build_profile(mine)

    area_a, area_b = profile.areas
    assert (area_a.name, area_a.mean_current, area_a.mean_importance) == (
        "Working with partners",
        3.0,
        4.5,
    )
    assert (area_b.mean_current, area_b.mean_importance) == (1.0, 3.0)
    assert [(c.code, c.gap) for c in profile.priorities] == [("A1", 3), ("B1", 2), ("A2", 0)]
    b2 = area_b.competences[1]
    assert b2.not_applicable and b2.gap is None and b2.current is None


def test_the_page_shows_chart_table_and_priorities(client, respondent, mine):
    client.force_login(respondent)
    page = client.get(profile_url(mine)).content.decode()

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg and "<script" not in svg
    table = page[page.index('<table class="profile-table">') :]
    assert "4.50" in table and "3.00" in table and "1.00" in table
    priorities = page[page.index('<ol class="priorities">') :]
    order = [priorities.index(name) for name in ("A1 Negotiating", "B1 Coping", "A2 Building")]
    assert order == sorted(order)
    assert "B2 Planning" not in priorities[: priorities.index("</ol>")]


# The region beside them ----------------------------------------------------------------


def test_region_average_hidden_with_five_submitted_responses_mine_included(
    client, respondent, mine, campaign, framework
):
    # Four others: a mean of five that includes mine would tell me the mean of those four.
    others(campaign, framework, 4)
    # An unfinished response in the region does not count.
    ResponseFactory(campaign=campaign, status=Response.Status.IN_PROGRESS, submitted_at=None)

    profile = build_profile(mine)
    assert profile.comparison.submitted == 5 and not profile.comparison.shown
    assert profile.areas[0].region_mean_current is None

    client.force_login(respondent)
    page = client.get(profile_url(mine)).content.decode()
    assert "shown once at least 5 other people in your region have answered" in page
    assert "Region: current level" not in page


def test_region_average_shown_with_five_other_respondents(
    client, respondent, mine, campaign, framework
):
    others(campaign, framework, 5)

    profile = build_profile(mine)
    assert profile.comparison.submitted == 6 and profile.comparison.shown
    assert profile.comparison.label == "Śląskie"
    a1 = profile.areas[0].competences[0]
    # A1: mine 2 and five times 4 → 22 / 6; importance 5 and five times 4 → 25 / 6.
    assert (round(a1.region_current, 2), round(a1.region_importance, 2)) == (3.67, 4.17)
    # A2 and B1 only I rated: the region's figure would be mine, or tell nothing else.
    assert profile.areas[0].competences[1].region_current is SUPPRESSED
    assert profile.areas[1].competences[0].region_current is SUPPRESSED

    client.force_login(respondent)
    response = client.get(profile_url(mine))
    page = response.content.decode()
    assert "Region: current level" in page and "3.67" in page and "4.17" in page
    assert "fewer than 5 responses" in page


def test_a_competence_rated_by_five_including_me_stays_hidden(
    respondent, mine, campaign, framework
):
    """Six respondents in all, but A1 rated by me and four others only."""
    others(campaign, framework, 4)
    self_assessment(campaign, {framework["A1"]: None, framework["A2"]: None})

    profile = build_profile(mine)
    assert profile.comparison.shown
    assert profile.areas[0].competences[0].region_current is SUPPRESSED


def test_published_practices_of_the_top_priorities_are_shown(client, respondent, mine, framework):
    PracticeFactory(
        title="Negotiation clinic", status=Status.PUBLISHED, competences=[framework["A1"]]
    )
    PracticeFactory(title="Draft on negotiating", competences=[framework["A1"]])
    PracticeFactory(title="Pressure valve", status=Status.PUBLISHED, competences=[framework["B1"]])
    PracticeFactory(title="Planning day", status=Status.PUBLISHED, competences=[framework["B2"]])

    client.force_login(respondent)
    page = client.get(profile_url(mine)).content.decode()

    assert "Negotiation clinic" in page and "Pressure valve" in page
    assert "Draft on negotiating" not in page
    # B2 was not applicable: not a priority.
    assert "Planning day" not in page


# History ---------------------------------------------------------------------------------


def test_history_shows_the_change_since_last_time(client, respondent, mine, framework):
    last_year = timezone.now() - datetime.timedelta(days=365)
    earlier = CampaignFactory(
        survey=SurveyFactory(framework=framework["framework"]),
        title="Spring 2025",
        opens_at=last_year - datetime.timedelta(days=30),
        closes_at=last_year + datetime.timedelta(days=30),
    )
    c = framework
    self_assessment(
        earlier,
        {c["A1"]: (1, 5), c["A2"]: (2, 4), c["B1"]: (1, 3)},
        respondent=respondent,
        submitted_at=last_year,
    )
    # Someone else's earlier response is not my history.
    self_assessment(earlier, {c["A1"]: (5, 5)}, submitted_at=last_year)

    profile = build_profile(mine)
    before, now = profile.history
    # Means of current levels: (1 + 2 + 1) / 3 = 1.33, then (2 + 4 + 1) / 3 = 2.33.
    assert (before.campaign_title, before.mean, before.change) == ("Spring 2025", 1.33, None)
    assert (now.mean, now.change, now.is_current) == (2.33, 1.0, True)

    client.force_login(respondent)
    page = client.get(profile_url(mine)).content.decode()
    assert "Spring 2025" in page and "+1.00" in page


# Demand ----------------------------------------------------------------------------------


def test_a_demand_response_shows_required_levels(client, respondent, framework):
    campaign = CampaignFactory(
        survey=SurveyFactory(framework=framework["framework"], kind=Survey.Kind.DEMAND)
    )
    response = ResponseFactory(campaign=campaign, respondent=respondent)
    answer(response, framework["A1"], required=4)
    answer(response, framework["A2"], required=3)

    profile = build_profile(response)
    assert profile.is_demand and profile.areas[0].mean_required == 3.5

    client.force_login(respondent)
    page = client.get(profile_url(response)).content.decode()
    assert "The levels you require" in page and "3.50" in page and "<svg" in page
    assert "Your priorities" not in page


# Who may see what --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["results:profile", "results:pdf"])
def test_only_the_respondent_sees_their_results(client_as, role, view, mine):
    response = client_as(role).get(reverse(view, args=[mine.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "respondent":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["results:list", "results:my_data", "results:erase"])
def test_own_data_pages_need_sign_in_and_show_only_own_data(client_as, role, view, mine):
    response = client_as(role).get(reverse(view))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Spring 2026" in body) == (role == "respondent")


def test_the_list_links_submitted_responses(client, respondent, mine, framework):
    draft = ResponseFactory(
        campaign=CampaignFactory(title="Autumn draft"),
        respondent=respondent,
        status=Response.Status.IN_PROGRESS,
        submitted_at=None,
    )
    client.force_login(respondent)
    page = client.get(reverse("results:list")).content.decode()
    assert profile_url(mine) in page
    assert "Autumn draft" in page and profile_url(draft) not in page


# PDF -------------------------------------------------------------------------------------


def test_the_profile_pdf_holds_the_top_priority(client, respondent, mine, tmp_path):
    client.force_login(respondent)
    response = client.get(reverse("results:pdf", args=[mine.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "profile.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        [PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Negotiating agreements" in text
    assert "Personal profile" in text


# Export ----------------------------------------------------------------------------------


def test_my_data_holds_account_responses_consent_answers_and_invitations(
    client, respondent, mine, campaign, staff
):
    Invitation.objects.create(campaign=campaign, email=respondent.email.upper(), name="Me")
    Invitation.objects.create(campaign=campaign, email="someone.else@example.org")
    self_assessment(campaign, {}, respondent=staff)

    client.force_login(respondent)
    response = client.get(reverse("results:my_data"))

    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == respondent.email
    assert data["account"]["name"] == respondent.name
    assert data["email_addresses"] == [
        {"email": respondent.email, "verified": True, "primary": True}
    ]
    (exported,) = data["responses"]
    assert exported["campaign"] == "Spring 2026"
    assert exported["consent"]["privacy_notice_version"] == "1.0"
    assert exported["consent"]["given_at"] == mine.consented_at.isoformat()
    assert exported["background"] == {
        "organisation_type": "university",
        "role": "researcher",
        "experience": "6-10",
        "age_band": "40-49",
    }
    assert [
        (a["competence_code"], a["current_level"], a["importance"]) for a in exported["answers"]
    ] == [("A1", 2, 5), ("A2", 4, 4), ("B1", 1, 3), ("B2", None, None)]
    assert exported["answers"][0]["competence"] == "Negotiating agreements"
    assert [i["name"] for i in data["invitations"]] == ["Me"]


def test_my_data_lists_memberships(client, staff):
    client.force_login(staff)
    data = json.loads(client.get(reverse("results:my_data")).content)
    assert [m["partner"] for m in data["memberships"]] == [staff.memberships.get().partner.name]


# Erasure ---------------------------------------------------------------------------------


def test_erasure_deletes_open_and_anonymises_closed_responses(client, respondent, mine, framework):
    closed = CampaignFactory(
        survey=SurveyFactory(framework=framework["framework"]),
        opens_at=timezone.now() - datetime.timedelta(days=90),
        closes_at=timezone.now() - datetime.timedelta(days=60),
    )
    invitation = Invitation.objects.create(campaign=closed, email=respondent.email)
    old = self_assessment(
        closed,
        {framework["A1"]: (3, 4)},
        respondent=respondent,
        invitation=invitation,
        submitted_at=closed.closes_at - datetime.timedelta(days=5),
    )
    Invitation.objects.create(campaign=mine.campaign, email=respondent.email)
    someone_else = self_assessment(mine.campaign, {framework["A1"]: (5, 5)})
    client.force_login(respondent)

    page = client.get(reverse("results:erase")).content.decode()
    assert "is not deleted here" in page and 'href="/accounts/delete/"' in page
    response = client.post(reverse("results:erase"))

    assert response.status_code == 200
    assert "1 response deleted" in response.content.decode()
    assert "1 response in a closed campaign anonymised" in response.content.decode()
    # Open campaign: gone with its answers.
    assert not Response.objects.filter(pk=mine.pk).exists()
    assert not Answer.objects.filter(response_id=mine.pk).exists()
    # Closed campaign: answers and organisation type kept, nothing that points to the person.
    old.refresh_from_db()
    assert old.respondent is None and old.invitation is None
    assert (old.role, old.experience, old.age_band) == ("", "", "")
    assert old.organisation_type == "university"
    assert old.consented_at == old.started_at == old.submitted_at == closed.closes_at
    assert list(old.answers.values_list("current_level", "importance")) == [(3, 4)]
    # Nothing personal left.
    assert not Response.objects.filter(respondent=respondent).exists()
    assert not Invitation.objects.filter(email__iexact=respondent.email).exists()
    data = json.loads(client.get(reverse("results:my_data")).content)
    assert data["responses"] == [] and data["invitations"] == []
    # Other people's data untouched.
    assert Response.objects.filter(pk=someone_else.pk, respondent__isnull=False).exists()


def test_an_unsubmitted_response_in_a_closed_campaign_is_deleted(client, respondent, framework):
    closed = CampaignFactory(
        opens_at=timezone.now() - datetime.timedelta(days=90),
        closes_at=timezone.now() - datetime.timedelta(days=60),
    )
    draft = ResponseFactory(
        campaign=closed,
        respondent=respondent,
        status=Response.Status.IN_PROGRESS,
        submitted_at=None,
    )
    client.force_login(respondent)
    client.post(reverse("results:erase"))
    assert not Response.objects.filter(pk=draft.pk).exists()


# Lean queries ------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_results_page_queries_do_not_grow_with_the_data(client, respondent, mine, framework):
    others(mine.campaign, framework, 5)
    PracticeFactory(status=Status.PUBLISHED, competences=[framework["A1"]])
    client.force_login(respondent)
    url = profile_url(mine)
    client.get(url)  # the first request of a session also loads what the session caches
    cache.clear()  # both counts with the region's analysis computed afresh
    small = count_queries(client, url)

    area = AreaFactory(framework=framework["framework"], position=5)
    more = [CompetenceFactory(area=area) for _ in range(6)]
    for competence in more:
        answer(mine, competence, 1, 5)
        PracticeFactory(status=Status.PUBLISHED, competences=[competence])
    others(mine.campaign, framework, 6)
    earlier = CampaignFactory(
        survey=mine.campaign.survey,
        opens_at=timezone.now() - datetime.timedelta(days=400),
        closes_at=timezone.now() - datetime.timedelta(days=300),
    )
    self_assessment(earlier, {framework["A1"]: (1, 1)}, respondent=respondent)

    client.get(url)  # stores the statistics of the campaign that changed
    cache.clear()
    assert count_queries(client, url) == small
    assert small <= 17


def test_personal_pages_are_never_stored_by_a_browser_or_proxy(client, respondent, mine):
    client.force_login(respondent)
    for url in (
        reverse("results:list"),
        profile_url(mine),
        reverse("results:pdf", args=[mine.pk]),
        reverse("results:my_data"),
        reverse("results:erase"),
        reverse("profile"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
