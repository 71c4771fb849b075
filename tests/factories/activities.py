"""Activities and participants for the activities tests: by default a confirmed study visit
of the Province of Silesia (Śląskie), planned for next month."""

import datetime

import factory
from django.utils import timezone

from activities.models import Activity, CapacityFollowUp, Participant
from partners.models import Partner
from tests.factories.accounts import UserFactory


def _next_month() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    kind = Activity.Kind.STUDY_VISIT
    title = factory.Sequence(lambda n: f"Study visit to the Silesian science park {n}")
    host_partner = factory.LazyFunction(lambda: Partner.objects.get(slug="province-of-silesia"))
    region = factory.LazyAttribute(lambda activity: activity.host_partner.region)
    starts_on = factory.LazyFunction(_next_month)
    ends_on = factory.LazyAttribute(
        lambda activity: activity.starts_on + datetime.timedelta(days=1)
    )
    place = "Katowice"
    description = "Two days with the park's technology transfer team and its tenant firms."
    status = Activity.Status.PLANNED
    created_by = factory.SubFactory(UserFactory)
    confirmed_at = factory.LazyFunction(timezone.now)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A guest (name and email, no account) of an activity."""

    class Meta:
        model = Participant

    activity = factory.SubFactory(ActivityFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    organisation = "Silesian Science Park"
    type = Participant.Type.RII_STAFF
    attended = True


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityFollowUp

    participant = factory.SubFactory(ParticipantFactory)
