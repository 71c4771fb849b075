"""Background work of activities: the programme's capacity survey, its emails and reminder
(activities/capacity/followups.py), sent hourly by Celery beat."""

from celery import shared_task
from django.utils import timezone

from .capacity import followups
from .models import Activity, CapacityFollowUp


def _send_claimed(follow_up_ids, *, claim_field: str, kind: str) -> int:
    """Send each email once: claim the row with a conditional update, undo it if sending fails."""
    sent = 0
    for follow_up_id in follow_up_ids:
        claimed = CapacityFollowUp.objects.filter(
            pk=follow_up_id, **{f"{claim_field}__isnull": True}
        ).update(**{claim_field: timezone.now()})
        if not claimed:
            continue
        follow_up = CapacityFollowUp.objects.select_related(
            "participant__user", "participant__activity__region"
        ).get(pk=follow_up_id)
        try:
            followups.send_follow_up_email(follow_up, kind)
        except Exception:
            CapacityFollowUp.objects.filter(pk=follow_up_id).update(**{claim_field: None})
            raise
        sent += 1
    return sent


def send_due(now=None) -> dict:
    """The unit of work of the beat: new follow-ups created, first emails and reminders sent."""
    created = followups.create_follow_ups(now)
    first = list(followups.due_for_sending(now).values_list("pk", flat=True))
    sent = _send_claimed(first, claim_field="sent_at", kind="follow_up")
    # The reminder is due only long after the first email, so never in the same run as it.
    later = list(followups.due_for_reminder(now).values_list("pk", flat=True))
    reminded = _send_claimed(later, claim_field="reminded_at", kind="reminder")
    return {"created": created, "sent": sent, "reminded": reminded}


def send_now(activity_id: int) -> int:
    """A coordinator's "Send the follow-up now": the attendees of one held activity not sent
    it yet, without waiting for the delay; how many were sent."""
    activities = Activity.objects.counted().filter(pk=activity_id)
    followups.create_follow_ups(activities=activities)
    ids = list(followups.due_for_sending(activities=activities).values_list("pk", flat=True))
    return _send_claimed(ids, claim_field="sent_at", kind="follow_up")


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_capacity_follow_ups_now(activity_id: int) -> int:
    return send_now(activity_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_capacity_follow_ups() -> dict:
    """Hourly (Celery beat): the capacity survey to the attendees of activities held some days
    ago, and its one reminder."""
    return send_due()
