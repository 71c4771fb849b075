"""Who may see and change a good practice; every practice view goes through here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from partners.permissions import coordinates_region, is_member_of, roles_of

from .models import BriefStatus, GoodPractice, PolicyBrief, Status
from .models.briefs import writes_brief

EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)


@dataclass(frozen=True)
class PracticeAccess:
    practice: GoodPractice
    can_edit: bool
    is_member: bool
    is_reviewer: bool

    @property
    def sees_trail(self) -> bool:
        return self.is_member or self.is_reviewer


def can_view(user, practice: GoodPractice) -> bool:
    if practice.status == Status.PUBLISHED:
        return True
    if is_member_of(user, practice.partner):
        return True
    # Reviewers see a practice from its first submission on, never another partner's draft.
    return practice.submitted_at is not None and coordinates_region(user, practice.region)


def visible_to(user):
    """Practices the user may open, beyond the published ones (for lists)."""
    roles = roles_of(user)
    submitted = Q(submitted_at__isnull=False)
    if roles.is_consortium_coordinator:
        return GoodPractice.objects.filter(Q(partner_id__in=roles.partner_ids) | submitted)
    return GoodPractice.objects.filter(
        Q(partner_id__in=roles.partner_ids)
        | (submitted & Q(region_id__in=roles.coordinated_region_ids))
        | Q(status=Status.PUBLISHED)
    )


def get_practice_for_user(request, pk: int, *, edit: bool = False) -> PracticeAccess:
    """The practice and what the user may do: 404 for outsiders, 403 for read-only users."""
    try:
        practice = GoodPractice.objects.select_related("partner", "region", "created_by").get(pk=pk)
    except GoodPractice.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not can_view(user, practice):
        raise Http404
    member = is_member_of(user, practice.partner)
    access = PracticeAccess(
        practice=practice,
        can_edit=member and practice.status in EDITABLE,
        is_member=member,
        is_reviewer=practice.submitted_at is not None and coordinates_region(user, practice.region),
    )
    if edit and not access.can_edit:
        raise PermissionDenied
    return access


# Policy briefs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefAccess:
    brief: PolicyBrief
    can_edit: bool
    is_writer: bool
    is_reviewer: bool

    @property
    def sees_trail(self) -> bool:
        return self.is_writer or self.is_reviewer


def can_view_brief(user, brief: PolicyBrief) -> bool:
    if brief.status == BriefStatus.PUBLISHED:
        return True
    if writes_brief(user, brief):
        return True
    # Reviewers see a brief from its first submission on, never a draft nobody sent them.
    return brief.submitted_at is not None and _reviews_regions_of(user, brief)


def _reviews_regions_of(user, brief: PolicyBrief) -> bool:
    roles = roles_of(user)
    return roles.is_consortium_coordinator or bool(roles.coordinated_region_ids & brief.region_ids)


def get_brief_for_user(request, pk: int, *, edit: bool = False) -> BriefAccess:
    """The brief and what the user may do: 404 for outsiders, 403 for read-only users."""
    try:
        brief = PolicyBrief.objects.select_related("partner", "created_by").get(pk=pk)
    except PolicyBrief.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not can_view_brief(user, brief):
        raise Http404
    writer = writes_brief(user, brief)
    access = BriefAccess(
        brief=brief,
        can_edit=writer and brief.status == BriefStatus.DRAFT,
        is_writer=writer,
        is_reviewer=brief.submitted_at is not None and _reviews_regions_of(user, brief),
    )
    if edit and not access.can_edit:
        raise PermissionDenied
    return access
