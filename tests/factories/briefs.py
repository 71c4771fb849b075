"""Policy briefs for the briefs tests: complete by default, in any workflow state.

A brief beyond draft carries the dates the workflow would have set (`submitted_at` from the
first submission on, `published_at` once published), because who may see it depends on them.
"""

import factory
from django.utils import timezone

from partners.models import Partner
from practices.models import BriefStatus, PolicyBrief
from tests.factories.accounts import UserFactory

KEY_MESSAGES = [
    "Fund negotiation training for technology transfer staff.",
    "Count cooperation skills in the regional innovation strategy's indicators.",
]


class BriefFactory(factory.django.DjangoModelFactory):
    """A brief with everything review needs, by default of the Province of Silesia (Śląskie)."""

    class Meta:
        model = PolicyBrief
        skip_postgeneration_save = True

    partner = factory.LazyFunction(lambda: Partner.objects.get(slug="province-of-silesia"))
    created_by = factory.SubFactory(UserFactory)
    status = BriefStatus.DRAFT
    title = factory.Sequence(lambda n: f"Negotiation skills for transfer offices {n}")
    audience = "Managers of the regional innovation strategy"
    key_messages = factory.LazyFunction(lambda: list(KEY_MESSAGES))
    body = "## Why it matters\n\nTransfer staff rate their negotiation skills lowest."
    authors = "Anna Kowalska, Jan Nowak"
    language = "en"
    submitted_at = factory.LazyAttribute(
        lambda brief: None if brief.status == BriefStatus.DRAFT else timezone.now()
    )
    published_at = factory.LazyAttribute(
        lambda brief: (
            timezone.now()
            if brief.status in (BriefStatus.PUBLISHED, BriefStatus.WITHDRAWN)
            else None
        )
    )

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted if extracted is not None else [self.partner.region])


def form_data(brief: PolicyBrief, **changes) -> dict:
    """What the edit form posts for this brief, with some fields changed."""
    data = {
        "title": brief.title,
        "audience": brief.audience,
        "key_messages": "\n".join(brief.key_messages),
        "body": brief.body,
        "authors": brief.authors,
        "language": brief.language,
        "summary_en": brief.summary_en,
        "regions": [r.pk for r in brief.regions.all()],
        "practices": [p.pk for p in brief.practices.all()],
        "then": "save",
    }
    data.update(changes)
    return data
