"""The programme's capacity survey: who is sent it and when, and the emails themselves.

Some days after an activity is marked held (CAPACITY_SURVEY_DAYS_AFTER_HELD), each attendee
with an email address gets a personal link; one reminder follows after
CAPACITY_SURVEY_REMINDER_DAYS if they have not answered. The email goes in the person's
language: their account's, else the language of the host region's country.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from partners.localisation import language_for

from ..models import Activity, CapacityFollowUp, Participant


def has_address() -> Q:
    """Participants the survey can reach: an account's address, or a guest's."""
    return (Q(user__isnull=False) & ~Q(user__email="")) | (Q(user__isnull=True) & ~Q(email=""))


def due_activities(now=None):
    """Held (and confirmed) activities whose survey is due: marked held long enough ago."""
    now = now or timezone.now()
    held_before = now - timedelta(days=settings.CAPACITY_SURVEY_DAYS_AFTER_HELD)
    return Activity.objects.counted().filter(held_at__isnull=False, held_at__lte=held_before)


def create_follow_ups(now=None, activities=None) -> int:
    """A follow-up row for each attendee of a due activity (or of `activities`, due or not)
    who has none yet; how many."""
    waiting = Participant.objects.filter(
        has_address(),
        activity__in=due_activities(now) if activities is None else activities,
        attended=True,
        follow_up__isnull=True,
    ).select_related("user", "activity__region")
    new = [
        CapacityFollowUp(
            participant=participant,
            token=secrets.token_urlsafe(24),
            language=language_for(participant.contact_email, participant.activity.region),
        )
        for participant in waiting
    ]
    # Two beats at once: the one-per-participant constraint keeps the first row.
    return len(CapacityFollowUp.objects.bulk_create(new, ignore_conflicts=True))


def due_for_sending(now=None, activities=None):
    """Follow-ups not sent yet, of attendees of due activities (or of `activities`)."""
    return CapacityFollowUp.objects.filter(
        sent_at__isnull=True,
        participant__attended=True,
        participant__activity__in=due_activities(now) if activities is None else activities,
    )


def due_for_reminder(now=None):
    """Sent long enough ago, not answered, not reminded yet: each is reminded once."""
    now = now or timezone.now()
    sent_before = now - timedelta(days=settings.CAPACITY_SURVEY_REMINDER_DAYS)
    return CapacityFollowUp.objects.filter(
        sent_at__lte=sent_before,
        reminded_at__isnull=True,
        answered_at__isnull=True,
        participant__attended=True,
        participant__activity__in=Activity.objects.counted(),
    )


def personal_link(follow_up: CapacityFollowUp) -> str:
    return f"{settings.SITE_URL}/activities/follow-up/{follow_up.token}/"


def send_follow_up_email(follow_up: CapacityFollowUp, kind: str) -> None:
    """kind: "follow_up" or "reminder"; the templates activities/email/capacity_<kind>_*.txt."""
    participant = follow_up.participant
    activity = participant.activity
    language = follow_up.language or language_for(participant.contact_email, activity.region)
    with translation.override(language):
        context = {
            "participant": participant,
            "name": participant.name
            or (participant.user.get_full_name() if participant.user_id else ""),
            "activity": activity,
            "link": personal_link(follow_up),
            "site_url": settings.SITE_URL,
        }
        # A title may hold line breaks; a mail header may not.
        subject = " ".join(
            render_to_string(f"activities/email/capacity_{kind}_subject.txt", context).split()
        )
        body = render_to_string(f"activities/email/capacity_{kind}_message.txt", context)
    send_mail(subject, body, None, [participant.contact_email])
