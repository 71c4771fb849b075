"""People with self-assessments in a baseline and a follow-up, written straight to the
database (bulk inserts: the change tests need many people and must stay fast)."""

import datetime
import itertools

from django.utils import timezone

from partners.models import Region, User
from surveys.models import Answer, Area, Competence, Framework, Response, Survey
from tests.factories.surveys import CampaignFactory, SurveyFactory

NOW = timezone.now()
EARLIER = NOW - datetime.timedelta(days=400)
LATER = NOW - datetime.timedelta(days=20)


def framework_of(codes: dict[str, list[str]], version: int | None = None) -> Framework:
    """A framework with areas {area code: [competence codes]}."""
    framework = Framework.objects.create(
        name="Change framework", version=version or Framework.objects.next_version()
    )
    for position, (area_code, competence_codes) in enumerate(codes.items()):
        area = Area.objects.create(
            framework=framework, code=area_code, name=f"Area {area_code}", position=position
        )
        for index, code in enumerate(competence_codes):
            Competence.objects.create(
                area=area, code=code, name=f"Competence {code}", description=".", position=index
            )
    return framework


def closed_campaign(framework, opens: datetime.datetime, region="PL22", kind=None):
    survey = SurveyFactory(framework=framework, kind=kind or Survey.Kind.SELF_ASSESSMENT)
    return CampaignFactory(
        survey=survey,
        region=Region.objects.get(nuts_code=region) if region else None,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30),
    )


_people = itertools.count()


def people(count: int) -> list[User]:
    start = next(_people) * 100_000
    return User.objects.bulk_create(
        User(email=f"change{start + i}@example.org", name=f"Person {i}") for i in range(count)
    )


def responses(campaign, persons, levels: list[dict[str, int | None]], submitted, **fields):
    """A submitted response of each person with {competence code: current level} (None for
    "not applicable")."""
    by_code = {
        c.code: c for c in Competence.objects.filter(area__framework=campaign.survey.framework)
    }
    made = Response.objects.bulk_create(
        Response(
            campaign=campaign,
            respondent=person,
            status=fields.get("status", Response.Status.SUBMITTED),
            consent_version="1.0",
            consented_at=submitted,
            submitted_at=submitted,
            released=fields.get("released", True),
        )
        for person in persons
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            competence=by_code[code],
            current_level=level,
            importance=3 if level is not None else None,
            not_applicable=level is None,
        )
        for response, values in zip(made, levels, strict=True)
        for code, level in values.items()
    )
    return made
