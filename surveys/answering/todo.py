"""What a respondent has left to do: surveys started and not submitted while their campaign is
open, and invitations addressed to them that they have not taken up yet."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..models import Invitation, Response
from .views import page_url


def _open() -> Q:
    now = timezone.now()
    return Q(campaign__opens_at__lte=now, campaign__closes_at__gt=now)


def unfinished(user) -> list[Response]:
    """Each with `continue_url`: the page where the respondent stopped."""
    if not user.is_authenticated:
        return []
    responses = list(
        Response.objects.filter(_open(), respondent=user, status=Response.Status.IN_PROGRESS)
        .select_related("campaign")
        .order_by("campaign__closes_at")
    )
    for response in responses:
        response.continue_url = page_url(response, response.current_page)
    return responses


def waiting_invitations(user) -> list[Invitation]:
    """Invitations to open campaigns, to this account or one of its verified addresses, for
    campaigns the user has not started; each with `start_url`."""
    if not user.is_authenticated:
        return []
    addressed = Q(user=user) | (user.addressed(verified=True) & Q(user__isnull=True))
    started = Response.objects.filter(respondent=user).values("campaign_id")
    invitations = list(
        Invitation.objects.filter(addressed, _open())
        .exclude(campaign_id__in=started)
        .select_related("campaign")
        .order_by("campaign__closes_at")
    )
    seen: set[int] = set()
    kept = []
    for invitation in invitations:
        if invitation.campaign_id in seen:
            continue
        seen.add(invitation.campaign_id)
        invitation.start_url = reverse("answers:invitation", args=[invitation.token])
        kept.append(invitation)
    return kept
