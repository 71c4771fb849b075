"""The programme's capacity survey: the hourly sending (each email once, one reminder), the
follow-up page reached by its token, an activity's results under suppression, and people
with increased capacity counted once across activities."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from activities import tasks
from activities.capacity.results import people_with_increased_capacity
from activities.models import CapacityFollowUp
from activities.participants import imports
from tests.factories.accounts import UserFactory
from tests.factories.activities import ActivityFactory, FollowUpFactory, ParticipantFactory
from tests.factories.practices import eager_tasks  # noqa: F401

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def held(**fields):
    activity = ActivityFactory(starts_on=timezone.localdate(), **fields)
    activity.mark_held()
    return activity


# Sending ------------------------------------------------------------------------------------


def test_each_attendee_gets_the_email_once_after_the_delay_and_one_reminder(settings):
    activity = held()
    guest = ParticipantFactory(activity=activity, email="guest@example.org")
    account = UserFactory(email="user@example.org", language="it")
    ParticipantFactory(activity=activity, user=account, email="")
    ParticipantFactory(activity=activity, attended=False)
    assert tasks.send_due() == {"created": 0, "sent": 0, "reminded": 0}  # too early
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        assert tasks.send_due()["sent"] == 2
        assert tasks.send_due()["sent"] == 0  # the beat again: nobody twice
    assert sorted(message.to[0] for message in mail.outbox) == [
        "guest@example.org",
        "user@example.org",
    ]
    by_address = {message.to[0]: message for message in mail.outbox}
    follow_up = CapacityFollowUp.objects.get(participant=guest)
    assert f"/activities/follow-up/{follow_up.token}/" in by_address["guest@example.org"].body
    assert follow_up.language == "pl"  # a guest of Śląskie: the region's language
    assert CapacityFollowUp.objects.get(participant__user=account).language == "it"
    # One of them answers; the other is reminded once, after seven days.
    follow_up.answered_at = timezone.now()
    follow_up.save()
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        assert tasks.send_due()["reminded"] == 1
        assert tasks.send_due()["reminded"] == 0
    assert [message.to for message in mail.outbox] == [["user@example.org"]]


def test_a_failed_send_is_given_back_to_the_next_beat(settings):
    settings.EMAIL_BACKEND = "tests.activities.test_capacity.FailingBackend"
    activity = held()
    ParticipantFactory(activity=activity)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        with pytest.raises(OSError):
            tasks.send_due()
        assert CapacityFollowUp.objects.get().sent_at is None
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert tasks.send_due()["sent"] == 1


@pytest.mark.usefixtures("eager_tasks")
def test_a_coordinator_sends_the_follow_up_at_once_and_the_beat_sends_it_no_more(
    client_as, django_capture_on_commit_callbacks
):
    activity = held()
    ParticipantFactory(activity=activity, email="early@example.org")
    ParticipantFactory(activity=activity, attended=False)
    client = client_as("coordinator")
    page = text(client.get(f"/activities/{activity.pk}/capacity/"))
    assert "Send the follow-up now" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/activities/{activity.pk}/capacity/send/")
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["early@example.org"]]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert tasks.send_due()["sent"] == 0
    assert len(mail.outbox) == 1


def test_nothing_is_sent_now_for_an_activity_not_held(client_as):
    activity = ActivityFactory()
    ParticipantFactory(activity=activity)
    response = client_as("consortium_coordinator").post(
        f"/activities/{activity.pk}/capacity/send/", follow=True
    )
    assert "The follow-up goes out once the activity is marked held." in text(response)
    assert not CapacityFollowUp.objects.exists() and not mail.outbox


@pytest.mark.parametrize("role", ["staff", "other_coordinator", "respondent"])
def test_nobody_else_sends_the_follow_up(client_as, role):
    activity = held()
    ParticipantFactory(activity=activity)
    response = client_as(role).post(f"/activities/{activity.pk}/capacity/send/")
    assert response.status_code == 403
    assert not CapacityFollowUp.objects.exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")


# The follow-up page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "respondent", "coordinator"])
def test_the_link_is_the_key_and_the_page_leaks_nothing(client_as, role):
    follow_up = FollowUpFactory(participant=ParticipantFactory(activity=held()), language="en")
    client = client_as(role)
    response = client.get(f"/activities/follow-up/{follow_up.token}/")
    assert response.status_code == 200
    # Never sent to another site (and the answers' POST keeps its Origin for CSRF).
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in text(response)
    assert client.get("/activities/follow-up/not-a-token/").status_code == 404


def test_the_page_is_in_the_persons_language(client):
    follow_up = FollowUpFactory(participant=ParticipantFactory(activity=held()), language="pl")
    assert '<html lang="pl">' in text(client.get(f"/activities/follow-up/{follow_up.token}/"))


def test_bad_input_is_marked_next_to_the_field_and_kept(client):
    follow_up = FollowUpFactory(participant=ParticipantFactory(activity=held()), language="en")
    response = client.post(
        f"/activities/follow-up/{follow_up.token}/",
        {"met_practices": "9", "most_useful": "The <b>site visit</b>"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Select a valid choice." in page and "This field is required." in page
    assert "The &lt;b&gt;site visit&lt;/b&gt;" in page
    follow_up.refresh_from_db()
    assert follow_up.answered_at is None


def test_an_answer_is_given_once(client):
    follow_up = FollowUpFactory(participant=ParticipantFactory(activity=held()), language="en")
    url = f"/activities/follow-up/{follow_up.token}/"
    answer = {"met_practices": "4", "capacity_increased": "some", "most_useful": "The visit"}
    assert client.post(url, answer).status_code == 302
    again = client.post(url, {**answer, "capacity_increased": "no"})
    assert "Your answers about" in text(again) and "can no longer be changed" in text(again)
    follow_up.refresh_from_db()
    assert (follow_up.met_practices, follow_up.capacity_increased, follow_up.most_useful) == (
        4,
        "some",
        "The visit",
    )


# Results ------------------------------------------------------------------------------------


def answers(activity, values, **fields):
    start = timezone.now() - datetime.timedelta(days=1)
    for index, capacity in enumerate(values):
        FollowUpFactory(
            participant=ParticipantFactory(activity=activity),
            answered_at=start + datetime.timedelta(minutes=index),
            met_practices=4,
            capacity_increased=capacity,
            **fields,
        )


def test_fewer_than_five_answers_show_nothing(client_as):
    activity = held()
    answers(activity, ["large"] * 4)
    page = text(client_as("coordinator").get(f"/activities/{activity.pk}/capacity/"))
    assert 'data-count="answers">fewer than 5 responses<' in page
    assert "data-value=" not in page


def test_figures_move_in_steps_of_five_and_small_groups_are_hidden(client_as):
    activity = held()
    answers(activity, ["large"] * 6 + ["no"] + ["some"], most_useful="Meeting peers")
    page = text(client_as("coordinator").get(f"/activities/{activity.pk}/capacity/"))
    assert 'data-count="answers">5<' in page  # 8 answered: the first 5 count
    assert 'data-value="capacity-large">5<' in page
    assert 'data-value="capacity-no">0<' in page
    assert 'data-value="met-4">5<' in page
    assert "Meeting peers" not in page  # free text needs 10


def test_free_text_appears_from_ten_answers_without_names(client_as):
    activity = held()
    answers(activity, ["large"] * 7 + ["some"] * 3, most_useful="Meeting peers")
    page = text(client_as("consortium_coordinator").get(f"/activities/{activity.pk}/capacity/"))
    assert page.count("<li>Meeting peers</li>") == 10
    assert 'data-value="capacity-some">fewer than 5 responses<' in page
    # The hidden group could be had from the total: the smallest other one is hidden too.
    assert 'data-value="capacity-large">fewer than 5 responses<' in page
    assert "Participant " not in page


# People with increased capacity -------------------------------------------------------------


def test_a_person_counts_once_across_activities_from_their_first_answer():
    person = UserFactory(email="maria@example.org")
    first, second = held(), held()
    ParticipantFactory(activity=first, user=person, email="")
    # In the second activity they came as a guest, with the account's address: linked.
    imports.import_participants(second, b"Maria,MARIA@example.org,,rii_staff\n", by=None)
    assert second.participants.get().user == person
    early = timezone.now() - datetime.timedelta(days=30)
    late = timezone.now() - datetime.timedelta(days=1)
    for activity, when, capacity in ((second, early, "some"), (first, late, "large")):
        FollowUpFactory(
            participant=activity.participants.get(), answered_at=when, capacity_increased=capacity
        )
    guest = ParticipantFactory(activity=first, email="not.increased@example.org")
    FollowUpFactory(participant=guest, answered_at=late, capacity_increased="no")
    people = list(people_with_increased_capacity())
    assert [(row.person, row.first_counted_at, row.activity_id) for row in people] == [
        ("maria@example.org", early, second.pk)
    ]
    # Someone who first counted before a period is not counted again in it.
    assert not people_with_increased_capacity(
        start=timezone.localdate() - datetime.timedelta(days=7)
    ).exists()
    assert people_with_increased_capacity(region_ids=[second.region_id]).count() == 1
    assert people_with_increased_capacity(region_ids=[0]).count() == 0


def test_a_guest_who_later_made_an_account_is_still_one_person():
    """Added as a guest (no account yet), then, with an account of the same address, to
    another activity: one person, counted at the earlier answer."""
    first, second = held(), held()
    guest = ParticipantFactory(activity=first, email="Jan.Kowal@example.org")
    person = UserFactory(email="jan.kowal@example.org")
    by_account = ParticipantFactory(activity=second, user=person, email="")
    early = timezone.now() - datetime.timedelta(days=20)
    FollowUpFactory(participant=guest, answered_at=early, capacity_increased="large")
    FollowUpFactory(participant=by_account, answered_at=timezone.now(), capacity_increased="some")
    people = list(people_with_increased_capacity())
    assert [(row.person, row.activity_id) for row in people] == [
        ("jan.kowal@example.org", first.pk)
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CAPACITY_SURVEY_DAYS_AFTER_HELD", "-1", "must be from 0 to 90 days"),
        ("CAPACITY_SURVEY_REMINDER_DAYS", "soon", "CAPACITY_SURVEY_REMINDER_DAYS has an invalid"),
    ],
)
def test_a_bad_delay_stops_the_start_naming_the_variable(variable, value, message):
    from tests.socore.test_settings import PRODUCTION, manage

    result = manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_follow_up_once_however_often_the_beat_runs():
    """The beat's task through a Celery worker on the real broker and the test database: the
    email goes out once (the worker's console mail shows it in its log), the row says so."""
    from socore.celery import app as celery_app
    from tests.surveys.reports.test_worker import started_worker

    activity = ActivityFactory(starts_on=timezone.localdate() - datetime.timedelta(days=5))
    activity.mark_held()
    type(activity).objects.filter(pk=activity.pk).update(
        held_at=timezone.now() - datetime.timedelta(days=3)
    )
    ParticipantFactory(activity=activity, email="worker.guest@example.org")
    celery_app.control.purge()
    with started_worker(EMAIL_URL="consolemail://") as worker:
        first = tasks.send_capacity_follow_ups.delay().get(timeout=60)
        again = tasks.send_capacity_follow_ups.delay().get(timeout=60)
        log = worker.log_path.read_text()
    assert (first["sent"], again["sent"]) == (1, 0)
    assert log.count("To: worker.guest@example.org") == 1
    assert CapacityFollowUp.objects.get().sent_at is not None
