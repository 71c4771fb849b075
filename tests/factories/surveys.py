"""Frameworks, campaigns and responses for the results tests, written straight to the database.

The answering flow is not needed: a response is a row with its answers.
"""

import datetime

import factory
from django.utils import timezone

from partners.models import Region
from surveys.models import (
    Answer,
    Area,
    Campaign,
    Competence,
    Framework,
    LevelDescriptor,
    Response,
    Survey,
)
from tests.factories.accounts import UserFactory


def small_framework(areas: int = 2, per_area: int = 3, name: str = "Small framework") -> Framework:
    """A short draft framework with five level descriptors per competence: drafts still
    take new competences, and the answering pages stay few."""
    framework = Framework.objects.create(name=name, version=Framework.objects.next_version())
    for a in range(areas):
        area = Area.objects.create(
            framework=framework, code=f"A{a}", name=f"Area number {a}", position=a
        )
        for c in range(per_area):
            competence = Competence.objects.create(
                area=area,
                code=f"A{a}.{c}",
                name=f"Competence {a}-{c}",
                description=f"What competence {a}-{c} means.",
                position=c,
            )
            LevelDescriptor.objects.bulk_create(
                LevelDescriptor(competence=competence, level=n, text=f"Level {n} of {a}-{c}")
                for n in range(1, 6)
            )
    return framework


class FrameworkFactory(factory.django.DjangoModelFactory):
    """A draft framework of the test's own, so its areas and competences can be added."""

    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Test framework {n}")
    version = 1


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(lambda n: n)


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Competence {n}")
    description = "What this competence is about."
    position = factory.Sequence(lambda n: n)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    framework = factory.SubFactory(FrameworkFactory)
    kind = Survey.Kind.SELF_ASSESSMENT
    title = factory.Sequence(lambda n: f"Survey {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    """Open now, in Śląskie, unless told otherwise."""

    class Meta:
        model = Campaign

    survey = factory.SubFactory(SurveyFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(nuts_code="PL22"))
    title = factory.Sequence(lambda n: f"Campaign {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    privacy_notice = "We keep your answers for the project's analysis."
    privacy_notice_version = "1.0"


class ResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response, counted in its campaign's figures (as after a release of five);
    pass status=IN_PROGRESS (and submitted_at=None) for a draft, released=False for one
    submitted since the last release."""

    class Meta:
        model = Response

    campaign = factory.SubFactory(CampaignFactory)
    respondent = factory.SubFactory(UserFactory)
    status = Response.Status.SUBMITTED
    consent_version = "1.0"
    consented_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)
    released = factory.LazyAttribute(lambda response: response.status == Response.Status.SUBMITTED)
    organisation_type = "university"
    role = "researcher"
    experience = "6-10"
    age_band = "40-49"


def answer(response, competence, current=None, importance=None, *, required=None, na=False):
    return Answer.objects.create(
        response=response,
        competence=competence,
        current_level=None if na else current,
        importance=None if na else importance,
        required_level=None if na else required,
        not_applicable=na,
    )


def self_assessment(campaign, values: dict, **fields) -> Response:
    """A submitted response with {competence: (current, importance) or None for N/A}."""
    response = ResponseFactory(campaign=campaign, **fields)
    for competence, pair in values.items():
        if pair is None:
            answer(response, competence, na=True)
        else:
            answer(response, competence, *pair)
    return response
