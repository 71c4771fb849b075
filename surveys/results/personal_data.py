"""The survey part of everything we hold about a user (partners.personal_data); and erasing
their survey data.

Erasure, in DESIGN terms (section 1: no one but the respondent sees an individual's
answers; aggregates only):
- A response in a campaign that is not closed yet (upcoming or open) is deleted with its
  answers: nothing has been reported from it.
- An unfinished response is deleted too: reports count submitted responses only.
- A submitted response in a closed campaign is treated as already reported and is anonymised
  irreversibly instead, so published aggregates stay reproducible: the link to the
  person (respondent, invitation) is removed; of the background only the organisation
  type is kept (for aggregate statistics), role, experience and age band are cleared;
  the timestamps are all set to the campaign's closing moment, so the time of answering
  cannot identify anyone either. The answers and the organisation type are all that is
  left. Once report requests (ReportRequest) exist, "closed" will be refined to
  "closed and reported": a closed campaign nothing was reported from will be deleted.
- Invitations addressed to any of the user's email addresses are deleted.
The account itself (email, name, memberships) is not deleted here: account deletion
(partners.personal_data.delete_account) calls this first, then empties the account; report
requests stay for the region's coordinators, attributed to "former member".
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from ..analysis import forget_all
from ..models import Answer, Invitation, ReportRequest, Response


def is_kept_anonymised(response: Response, now=None) -> bool:
    """Whether erasure anonymises this response (closed campaign, submitted) or deletes it."""
    closed = response.campaign.closes_at <= (now or timezone.now())
    return closed and response.status == Response.Status.SUBMITTED


def _invitations_of(user):
    return Invitation.objects.filter(Q(user=user) | user.addressed())


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def export_survey_data(user) -> dict[str, Any]:
    """The user's responses with their answers, their invitations and report requests (the
    account itself: partners.personal_data)."""
    responses = (
        Response.objects.filter(respondent=user)
        .select_related("campaign__survey", "campaign__region")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("competence__area").order_by(
                    "competence__area__position", "competence__position"
                ),
            )
        )
        .order_by("started_at", "pk")
    )
    return {
        "responses": [
            {
                "campaign": response.campaign.title,
                "survey": response.campaign.survey.title,
                "survey_kind": response.campaign.survey.kind,
                "region": response.campaign.region.name if response.campaign.region else None,
                "status": response.status,
                "consent": {
                    "privacy_notice_version": response.consent_version,
                    "given_at": _moment(response.consented_at),
                },
                "started_at": _moment(response.started_at),
                "updated_at": _moment(response.updated_at),
                "submitted_at": _moment(response.submitted_at),
                "background": {
                    "organisation_type": response.organisation_type,
                    "role": response.role,
                    "experience": response.experience,
                    "age_band": response.age_band,
                },
                "answers": [
                    {
                        "competence_code": answer.competence.code,
                        "competence": answer.competence.name,
                        "area": answer.competence.area.name,
                        "current_level": answer.current_level,
                        "importance": answer.importance,
                        "required_level": answer.required_level,
                        "not_applicable": answer.not_applicable,
                    }
                    for answer in response.answers.all()
                ],
            }
            for response in responses
        ],
        "invitations": [
            {
                "campaign": invitation.campaign.title,
                "email": invitation.email,
                "name": invitation.name,
                "created_at": _moment(invitation.created_at),
                "sent_at": _moment(invitation.sent_at),
                "reminded_at": _moment(invitation.reminded_at),
            }
            for invitation in _invitations_of(user).select_related("campaign").order_by("pk")
        ],
        "report_requests": [
            {
                "kind": report.kind,
                "region": report.region.name if report.region else None,
                "language": report.language,
                "status": report.status,
                "requested_at": _moment(report.created_at),
            }
            for report in ReportRequest.objects.filter(requested_by=user)
            .select_related("region")
            .order_by("pk")
        ],
    }


@dataclass(frozen=True)
class ErasureOutcome:
    deleted: int
    anonymised: int
    invitations_deleted: int


@transaction.atomic
def erase_user_data(user) -> ErasureOutcome:
    """Delete or anonymise each of the user's responses; delete their invitations."""
    now = timezone.now()
    responses = Response.objects.filter(respondent=user).select_related("campaign")
    to_delete, to_anonymise = [], []
    for response in responses.select_for_update(of=("self",)):
        (to_anonymise if is_kept_anonymised(response, now) else to_delete).append(response)
    Answer.objects.filter(response__in=[r.pk for r in to_delete]).delete()
    Response.objects.filter(pk__in=[r.pk for r in to_delete]).delete()
    for response in to_anonymise:
        closed = response.campaign.closes_at
        # update(), not save(): auto_now fields would otherwise stamp the erasure time.
        Response.objects.filter(pk=response.pk).update(
            respondent=None,
            invitation=None,
            role="",
            experience="",
            age_band="",
            consented_at=closed,
            started_at=closed,
            updated_at=closed,
            submitted_at=closed if response.submitted_at else None,
        )
    if to_anonymise:
        # Cached analyses hold the background values just cleared.
        transaction.on_commit(forget_all)
    _, deleted_by_model = _invitations_of(user).delete()
    invitations_deleted = deleted_by_model.get(Invitation._meta.label, 0)
    return ErasureOutcome(
        deleted=len(to_delete),
        anonymised=len(to_anonymise),
        invitations_deleted=invitations_deleted,
    )
