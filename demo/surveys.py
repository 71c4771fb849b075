"""Demo surveys (texts in content/surveys.toml): campaigns per region and synthetic
responses, this year's open rounds and last year's closed self-assessment round.

The responses are generated from a fixed seed with plausible shapes: people rate their
current level a little below the importance they give a competence, business-facing
competences (knowledge transfer, negotiation, IP) show the largest gaps, and employers
ask for levels near the staff's importance. They have no respondent account, like
responses anonymised after erasure.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partners.models import Region, User
from surveys.models import (
    AGE_BANDS,
    EXPERIENCE,
    ORGANISATION_TYPES,
    ROLES,
    Answer,
    Campaign,
    Competence,
    Framework,
    Response,
    Survey,
)

from . import content, paragraphs

SEED = 2026
REGION_SLUGS = ("slaskie", "utrecht", "liguria")
SELF_RESPONSES = 200
DEMAND_RESPONSES = 40
CLOSED_ROUND_RESPONSES = 30
# Competence codes whose gap between importance and current level is larger in practice.
WIDER_GAPS = {"2.3", "3.1", "3.2", "3.3", "3.4", "5.4", "1.4"}


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _add_responses(campaign, count: int, competences, rng, now, wider: float = 0.0) -> int:
    """Submitted responses to a campaign; `wider` widens every gap (an earlier round)."""
    is_self = campaign.survey.kind == Survey.Kind.SELF_ASSESSMENT
    closes = min(campaign.closes_at, now)
    responses = Response.objects.bulk_create(
        [
            Response(
                campaign=campaign,
                status=Response.Status.SUBMITTED,
                released=True,
                consent_version=campaign.privacy_notice_version,
                consented_at=closes - datetime.timedelta(days=rng.randint(1, 29)),
                submitted_at=closes - datetime.timedelta(days=rng.randint(0, 28)),
                current_page=len(competences),
                organisation_type=rng.choice(ORGANISATION_TYPES[:5])[0],
                role=rng.choice(ROLES)[0],
                experience=rng.choice(EXPERIENCE)[0],
                age_band=rng.choice(AGE_BANDS + [("", "")])[0],
            )
            for _ in range(count)
        ]
    )
    answers = []
    for response in responses:
        leniency = rng.gauss(0, 0.4)
        for competence in competences:
            if is_self and rng.random() < 0.04:
                answers.append(
                    Answer(response=response, competence=competence, not_applicable=True)
                )
                continue
            importance = rng.gauss(3.9, 0.8)
            gap = rng.gauss((1.1 if competence.code in WIDER_GAPS else 0.5) + wider, 0.6)
            if is_self:
                answers.append(
                    Answer(
                        response=response,
                        competence=competence,
                        importance=_clamp(importance + leniency),
                        current_level=_clamp(importance - gap + leniency),
                    )
                )
            else:
                answers.append(
                    Answer(
                        response=response,
                        competence=competence,
                        required_level=_clamp(importance + 0.2 + leniency),
                    )
                )
    Answer.objects.bulk_create(answers)
    return len(responses)


def _add_closed_round(texts, framework, competences, rng, now) -> int:
    """Last year's self-assessment round, closed: public statistics and the change since
    then have something to show."""
    survey = Survey.objects.create(
        framework=framework,
        kind=Survey.Kind.SELF_ASSESSMENT,
        title=texts["closed_round"]["title"],
        introduction=texts["closed_round"]["introduction"],
    )
    added = 0
    for slug in REGION_SLUGS:
        region = Region.objects.get(slug=slug)
        campaign = Campaign.objects.create(
            survey=survey,
            region=region,
            title=f"{survey.title} – {region.name}",
            opens_at=now - datetime.timedelta(days=400),
            closes_at=now - datetime.timedelta(days=340),
            access=Campaign.Access.OPEN,
            privacy_notice=paragraphs(texts["privacy_notice"]),
            privacy_notice_version="2025-1",
            target_responses=40,
        )
        added += _add_responses(campaign, CLOSED_ROUND_RESPONSES, competences, rng, now, 0.2)
    return added


def seed_surveys() -> int:
    """Add the demo surveys, campaigns and responses once; return the responses added."""
    framework = Framework.objects.current()
    if framework is None or Survey.objects.filter(framework=framework).exists():
        return 0
    texts = content("surveys")
    rng = random.Random(SEED)
    now = timezone.now()
    competences = list(Competence.objects.filter(area__framework=framework))
    with transaction.atomic():
        # Last year's round first, so this year's surveys are the newest.
        added = _add_closed_round(texts, framework, competences, rng, now)
        self_survey = Survey.objects.create(
            framework=framework,
            kind=Survey.Kind.SELF_ASSESSMENT,
            title=texts["self_assessment"]["title"],
            introduction=texts["self_assessment"]["introduction"],
        )
        demand_survey = Survey.objects.create(
            framework=framework,
            kind=Survey.Kind.DEMAND,
            title=texts["demand"]["title"],
            introduction=texts["demand"]["introduction"],
        )
        campaigns = []
        for slug in REGION_SLUGS:
            region = Region.objects.get(slug=slug)
            for survey in (self_survey, demand_survey):
                campaigns.append(
                    Campaign.objects.create(
                        survey=survey,
                        region=region,
                        title=f"{survey.title} – {region.name}",
                        opens_at=now - datetime.timedelta(days=30),
                        closes_at=now + datetime.timedelta(days=45),
                        access=Campaign.Access.OPEN,
                        privacy_notice=paragraphs(texts["privacy_notice"]),
                        privacy_notice_version="2026-1",
                        target_responses=120 if survey is self_survey else 25,
                    )
                )
        for campaign in campaigns:
            is_self = campaign.survey.kind == Survey.Kind.SELF_ASSESSMENT
            count = (SELF_RESPONSES if is_self else DEMAND_RESPONSES) // len(REGION_SLUGS)
            added += _add_responses(campaign, count, competences, rng, now)

        respondent = User.objects.filter(email="respondent@example.org").first()
        if respondent is not None:
            Response.objects.create(
                campaign=campaigns[0],
                respondent=respondent,
                consent_version=campaigns[0].privacy_notice_version,
                consented_at=now,
                current_page=2,
                organisation_type="research_institute",
                role="technical",
                experience="6-10",
            )
            added += 1
    return added
