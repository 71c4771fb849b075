from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from partners.localisation import language_for
from partners.models import Membership

from .models import BriefStatus, BriefStep, ReviewStep, Status


def _coordinators():
    return Membership.objects.filter(role=Membership.Role.COORDINATOR).select_related("user")


def _consortium_coordinator_emails() -> set[str]:
    return {
        m.user.email
        for m in _coordinators().filter(is_consortium_coordinator=True, partner__is_lead=True)
    }


def recipients_of(step: ReviewStep) -> set[str]:
    """The author at every step; the reviewers whose turn it now is."""
    practice = step.practice
    emails = {practice.created_by.email}
    if step.to_status == Status.SUBMITTED:
        emails |= {m.user.email for m in _coordinators().filter(partner__region=practice.region)}
    elif step.to_status == Status.APPROVED:
        emails |= _consortium_coordinator_emails()
    emails.discard(step.actor.email)
    return emails


def brief_recipients_of(step: BriefStep) -> set[str]:
    """The author at every step; on submission, the coordinators of the regions concerned and
    the consortium's (who publishes)."""
    brief = step.brief
    emails = {brief.created_by.email}
    if step.to_status == BriefStatus.IN_REVIEW and step.from_status != BriefStatus.IN_REVIEW:
        emails |= {
            m.user.email for m in _coordinators().filter(partner__region__in=brief.regions.all())
        }
        emails |= _consortium_coordinator_emails()
    emails.discard(step.actor.email)
    return emails


def _send_step_emails(
    step, recipients: set[str], templates: str, context: dict, region=None
) -> int:
    """One email per recipient, in their own language (see `language_for`), from
    `<templates>_subject/message`."""
    sent = 0
    for email in sorted(recipients):
        with translation.override(language_for(email, region)):
            context = {**context, "step": step, "site_url": settings.SITE_URL}
            # A title may hold line breaks; a mail header may not.
            subject = " ".join(render_to_string(f"{templates}_subject.txt", context).split())
            body = render_to_string(f"{templates}_message.txt", context)
        send_mail(subject, body, None, [email])
        sent += 1
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_step(step_id: int) -> int:
    """Email the people concerned by a workflow step; returns how many were written to."""
    step = ReviewStep.objects.select_related(
        "practice", "practice__created_by", "practice__region", "actor"
    ).get(pk=step_id)
    return _send_step_emails(
        step,
        recipients_of(step),
        "practices/email/step",
        {"practice": step.practice},
        region=step.practice.region,
    )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_brief_step(step_id: int) -> int:
    """Email the people concerned by a step of a policy brief; returns how many."""
    step = BriefStep.objects.select_related("brief", "brief__created_by", "actor").get(pk=step_id)
    return _send_step_emails(
        step, brief_recipients_of(step), "practices/email/brief_step", {"brief": step.brief}
    )
