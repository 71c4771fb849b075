"""The demo's activities (`manage.py seed_demo`, demo/activities.py): every kind across the
seeded regions, participants imported from a file, attendance, the capacity survey sent
and answered through its link's form, and paired self-assessments in which the people
trained improved most in what their training addressed."""

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count

from activities.capacity.results import people_with_increased_capacity
from activities.models import Activity, CapacityFollowUp, Participant
from surveys.analysis import change

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_activities_of_every_kind_in_every_state(demo):
    activities = Activity.objects.all()
    assert set(activities.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert set(activities.values_list("region__slug", flat=True)) == {
        "slaskie",
        "utrecht",
        "liguria",
    }
    assert set(activities.values_list("status", flat=True)) == set(Activity.Status.values)
    # One proposal awaits its region's confirmation; the rest were confirmed by a coordinator
    # of the host region (who confirmed their own proposals as they made them).
    assert activities.filter(confirmed_at__isnull=True).count() == 1
    for activity in activities.filter(confirmed_at__isnull=False).select_related("region"):
        assert activity.confirmed_by.memberships.filter(
            partner__region=activity.region, role="coordinator"
        ).exists()


def test_held_activities_have_participants_attendance_and_answers(demo):
    held = Activity.objects.counted()
    assert held.count() == 10
    for activity in held:
        participants = activity.participants.all()
        assert participants.exists()
        # Attendance confirmed for everyone after the event; most came.
        assert not participants.filter(attendance_confirmed_at__isnull=True).exists()
        assert participants.filter(attended=True).count() >= participants.count() * 0.7
    # The line given twice in each file was merged, and the trainees are linked to accounts.
    assert not (
        Participant.objects.values("activity", "email")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
        .exists()
    )
    trainings = held.filter(kind=Activity.Kind.TRAINING)
    assert Participant.objects.filter(activity__in=trainings, user__isnull=False).count() == 60
    # Each attendee was sent the survey once; about three in four answered.
    follow_ups = CapacityFollowUp.objects.all()
    assert follow_ups.count() == Participant.objects.filter(attended=True).count()
    assert not follow_ups.filter(sent_at__isnull=True).exists()
    answered = follow_ups.filter(answered_at__isnull=False).count()
    assert 0.6 * follow_ups.count() <= answered <= 0.9 * follow_ups.count()
    # Each person counted once, at the earliest answer that said their capacity increased.
    people = list(people_with_increased_capacity())
    increased = CapacityFollowUp.objects.increased()
    assert len(people) == increased.values("participant__email").distinct().count()


def test_the_people_trained_improved_most_in_what_their_training_addressed(demo):
    training = Activity.objects.get(kind=Activity.Kind.TRAINING, title__startswith="Negotiation")
    addressed = set(training.competences.values_list("code", flat=True))
    trainees = training.participants.filter(user__isnull=False).values_list("user_id", flat=True)
    result = change.compute(
        change.AroundDates.of_days(trainees, training.starts_on, training.ends_on)
    )
    rows = [row for area in result.areas for row in area.competences]
    assert {row.pairs for row in rows} == {30}
    trained = [row for row in rows if row.code in addressed]
    others = [row for row in rows if row.code not in addressed]
    assert min(row.mean_change for row in trained) > max(row.mean_change for row in others)
    assert all(row.p_value < 0.05 for row in trained)
    # The change is uneven: not everyone's level rose, and regions differ.
    rose = change.people_whose_level_rose()
    assert 0 < len(rose) < 120
    by_region = (
        CapacityFollowUp.objects.increased()
        .values("participant__activity__region__slug")
        .annotate(mean=Avg("met_practices"))
    )
    assert len(by_region) == 3


def test_seeding_again_adds_no_activity(demo, settings):
    before = (Activity.objects.count(), Participant.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Activity.objects.count(), Participant.objects.count()) == before
