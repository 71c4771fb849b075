from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from partners.models import Membership

from .models import ReviewStep, Status


def recipients_of(step: ReviewStep) -> set[str]:
    """The author at every step; the reviewers whose turn it now is."""
    practice = step.practice
    emails = {practice.created_by.email}
    coordinators = Membership.objects.filter(role=Membership.Role.COORDINATOR).select_related(
        "user"
    )
    if step.to_status == Status.SUBMITTED:
        emails |= {m.user.email for m in coordinators.filter(partner__region=practice.region)}
    elif step.to_status == Status.APPROVED:
        emails |= {
            m.user.email
            for m in coordinators.filter(is_consortium_coordinator=True, partner__is_lead=True)
        }
    emails.discard(step.actor.email)
    return emails


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_step(step_id: int) -> int:
    """Email the people concerned by a workflow step; returns how many were written to."""
    step = ReviewStep.objects.select_related(
        "practice", "practice__created_by", "practice__region", "actor"
    ).get(pk=step_id)
    sent = 0
    for email in sorted(recipients_of(step)):
        with translation.override(settings.LANGUAGE_CODE):
            context = {"step": step, "practice": step.practice, "site_url": settings.SITE_URL}
            # A title may hold line breaks; a mail header may not.
            subject = " ".join(
                render_to_string("practices/email/step_subject.txt", context).split()
            )
            body = render_to_string("practices/email/step_message.txt", context)
        send_mail(subject, body, None, [email])
        sent += 1
    return sent
