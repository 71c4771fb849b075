"""Background work of campaigns (invitation emails, reminders, the scheduled reminder) and
of regional reports (the render, its email, the sweep of rows no worker holds)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .campaigns import invitations
from .models import Campaign, Invitation, ReportRequest
from .reports import pipeline


def _send_claimed(invitation_ids, *, claim_field: str, kind: str) -> int:
    """Send each email once: claim the row with a conditional update, undo it if sending fails."""
    sent = 0
    for invitation_id in invitation_ids:
        now = timezone.now()
        claimed = Invitation.objects.filter(
            pk=invitation_id, **{f"{claim_field}__isnull": True}
        ).update(**{claim_field: now})
        if not claimed:
            continue
        invitation = Invitation.objects.select_related("campaign").get(pk=invitation_id)
        try:
            invitations.send_invitation_email(invitation, kind)
        except Exception:
            Invitation.objects.filter(pk=invitation_id).update(**{claim_field: None})
            raise
        sent += 1
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitations(invitation_ids: list[int]) -> int:
    """The invitation email with the personal link, once per invitation; returns how many."""
    return _send_claimed(invitation_ids, claim_field="sent_at", kind="invitation")


def remind(campaign: Campaign) -> int:
    """Remind the invitees of a campaign who have not submitted (each at most once)."""
    ids = list(invitations.due_for_reminder(campaign).values_list("pk", flat=True))
    return _send_claimed(ids, claim_field="reminded_at", kind="reminder")


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reminders(campaign_id: int) -> int:
    """The coordinator's "Send reminders" button."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if not campaign.is_open:
        return 0
    return remind(campaign)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_due_reminders() -> int:
    """Hourly (Celery beat): the scheduled reminder of each open campaign, once it is due."""
    now = timezone.now()
    candidates = Campaign.objects.open_now().filter(
        reminder_days_before__isnull=False, reminder_sent_at__isnull=True
    )
    sent = 0
    for campaign in candidates:
        if now < campaign.closes_at - timedelta(days=campaign.reminder_days_before):
            continue
        # The campaign's reminder is claimed once, even if two beats overlap.
        claimed = Campaign.objects.filter(pk=campaign.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if claimed:
            sent += remind(campaign)
    return sent


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
)
def render_report(self, report_id: int) -> str:
    """Make the file of a ReportRequest; no Celery retries: the row counts the attempts."""
    return pipeline.run(report_id, self.request.id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_report_outcome(report_id: int) -> bool:
    report = ReportRequest.objects.select_related("requested_by", "region").get(pk=report_id)
    return pipeline.email_outcome(report)


@shared_task(acks_late=True)
def sweep_report_requests() -> dict:
    """Every 5 minutes (Celery beat): no row stays running without a worker, none is lost."""
    return pipeline.sweep()
