"""Good practices for the practices tests: complete by default, in any workflow state.

A practice in a state beyond draft carries the dates the workflow would have set
(`submitted_at` from the first submission on, `published_at` once published), because
who may see it depends on them.
"""

import datetime

import factory
import pytest
from django.utils import timezone

from partners.models import Partner
from practices.models import GoodPractice, Status, Theme
from socore.celery import app as celery_app
from surveys.models import Competence, Framework
from tests.factories.accounts import UserFactory

RUBRIC = {
    "evidence_score": 4,
    "evidence_comment": "Forty researchers trained, six contracts signed.",
    "transferability_score": 3,
    "transferability_comment": "Needs a regional agency to host it.",
    "relevance_score": 5,
    "relevance_comment": "Negotiation and networking at its core.",
}

NOT_YET_SUBMITTED = (Status.DRAFT,)
SHOWN_IN_CATALOGUE = (Status.PUBLISHED, Status.ARCHIVED)


def current_competences():
    return Competence.objects.filter(area__framework=Framework.objects.current()).order_by(
        "area__position", "position"
    )


class PracticeFactory(factory.django.DjangoModelFactory):
    """A practice with everything submission needs, by default of the Province of Silesia."""

    class Meta:
        model = GoodPractice
        skip_postgeneration_save = True

    partner = factory.LazyFunction(lambda: Partner.objects.get(slug="province-of-silesia"))
    created_by = factory.SubFactory(UserFactory)
    region = factory.LazyAttribute(lambda practice: practice.partner.region)
    status = Status.DRAFT
    title = factory.Sequence(lambda n: f"Cooperation clinic {n}")
    summary = "Monthly clinics where laboratory teams and firms plan joint projects together."
    description = "Each clinic pairs two laboratories with three firms for one afternoon."
    language = "en"
    city = "Katowice"
    organisation = "Silesian Innovation Office"
    start_date = datetime.date(2022, 3, 1)
    end_date = None
    is_ongoing = True
    resources = "One facilitator for two days a month and a meeting room."
    evidence = "Forty researchers took part; six contracts were signed within a year."
    transferability = "Any region with a technology transfer office can host the clinics."
    lessons = "Firms come when the agenda is theirs, not the laboratories'."
    further_information = "https://example.org/clinics"
    contact_name = "Anna Kowalska"
    contact_email = "anna.kowalska@example.org"
    submitted_at = factory.LazyAttribute(
        lambda practice: None if practice.status in NOT_YET_SUBMITTED else timezone.now()
    )
    published_at = factory.LazyAttribute(
        lambda practice: timezone.now() if practice.status in SHOWN_IN_CATALOGUE else None
    )

    @factory.post_generation
    def competences(self, create, extracted, **kwargs):
        if create:
            self.competences.set(extracted if extracted is not None else current_competences()[:2])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted if extracted is not None else Theme.objects.all()[:1])


def form_data(practice: GoodPractice, **changes) -> dict:
    """What the edit form posts for this practice, with some fields changed."""
    data = {
        "title": practice.title,
        "summary": practice.summary,
        "description": practice.description,
        "language": practice.language,
        "summary_en": practice.summary_en,
        "region": practice.region_id,
        "city": practice.city,
        "organisation": practice.organisation,
        "start_date": practice.start_date.isoformat() if practice.start_date else "",
        "end_date": practice.end_date.isoformat() if practice.end_date else "",
        "resources": practice.resources,
        "evidence": practice.evidence,
        "transferability": practice.transferability,
        "lessons": practice.lessons,
        "further_information": practice.further_information,
        "competences": [c.pk for c in practice.competences.all()],
        "themes": [t.pk for t in practice.themes.all()],
        "target_groups": [t.pk for t in practice.target_groups.all()],
        "contact_name": practice.contact_name,
        "contact_email": practice.contact_email,
        "then": "save",
    }
    if practice.is_ongoing:
        data["is_ongoing"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the process, so the emails queued on commit reach mail.outbox."""
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved
