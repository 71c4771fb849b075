"""A respondent's own change since their baseline, on their results page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.surveys import (
    AreaFactory,
    CampaignFactory,
    CompetenceFactory,
    FrameworkFactory,
    SurveyFactory,
    self_assessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(respondent):
    """A baseline a year ago and a follow-up now: A1 2 → 4, A2 3 → 2, B1 N/A → 3."""
    framework = FrameworkFactory()
    area_a = AreaFactory(framework=framework, code="A", name="Working with partners")
    area_b = AreaFactory(framework=framework, code="B", name="Self-management")
    a1 = CompetenceFactory(area=area_a, code="A1", name="Negotiating agreements")
    a2 = CompetenceFactory(area=area_a, code="A2", name="Building networks")
    b1 = CompetenceFactory(area=area_b, code="B1", name="Coping with pressure")
    survey = SurveyFactory(framework=framework)
    year_ago = timezone.now() - datetime.timedelta(days=365)
    old = CampaignFactory(
        survey=survey,
        title="Baseline 2025",
        opens_at=year_ago - datetime.timedelta(days=10),
        closes_at=year_ago + datetime.timedelta(days=10),
    )
    new = CampaignFactory(survey=survey, title="Follow-up 2026")
    baseline = self_assessment(
        old, {a1: (2, 4), a2: (3, 3), b1: None}, respondent=respondent, submitted_at=year_ago
    )
    followup = self_assessment(new, {a1: (4, 4), a2: (2, 3), b1: (3, 3)}, respondent=respondent)
    return baseline, followup


def test_the_follow_up_shows_the_change_since_the_baseline(client, respondent, world):
    baseline, followup = world
    client.force_login(respondent)
    page = client.get(reverse("results:profile", args=[followup.pk])).content.decode()
    assert "Your change since your baseline" in page
    assert "Baseline 2025" in page
    # A1 +2, A2 −1, area A +0.50 (mean 2.5 → 3); B1 was not applicable at the baseline.
    assert "+2.00" in page and "−1.00" in page and "+0.50" in page
    assert "Coping with pressure" not in page.split("Your change since your baseline")[1]


def test_the_baseline_itself_shows_no_change(client, respondent, world):
    baseline, _followup = world
    client.force_login(respondent)
    page = client.get(reverse("results:profile", args=[baseline.pk])).content.decode()
    assert "Your results" in page
    assert "Your change since your baseline" not in page


def test_one_persons_change_is_not_suppressed_but_only_theirs(client, client_as, world):
    """Their own data is shown for a single pair; nobody else opens the page."""
    _baseline, followup = world
    other = client_as("staff")
    assert other.get(reverse("results:profile", args=[followup.pk])).status_code == 404
