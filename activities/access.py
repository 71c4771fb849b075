"""Who may see and change an activity and its participants; every activity view, export
and download goes through here (STYLE.md point 3).

- Anyone sees a confirmed activity that is planned or held, without personal data.
- The host partner's staff propose an activity and edit it until it is confirmed.
- A coordinator of the host region (or the consortium coordinator) confirms it, edits it
  after that, marks it held or cancelled, and manages its participants; only they see the
  participants' names and emails. An activity such a coordinator proposes is confirmed as
  it is made: their confirmation is what confirming means.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from partners.permissions import coordinates_region, is_member_of, roles_of

from .models import Activity


@dataclass(frozen=True)
class ActivityAccess:
    activity: Activity
    is_host_staff: bool
    coordinates: bool

    @property
    def can_edit(self) -> bool:
        if self.coordinates:
            return True
        return self.is_host_staff and not self.activity.is_confirmed

    @property
    def can_confirm(self) -> bool:
        return self.coordinates and not self.activity.is_confirmed

    @property
    def can_upload(self) -> bool:
        """Agenda and minutes: the host's staff and the region's coordinators."""
        return self.is_host_staff or self.coordinates

    @property
    def sees_personal_data(self) -> bool:
        """Participants' names and emails, and the capacity survey's single answers."""
        return self.coordinates

    can_manage_participants = sees_personal_data


def can_view(user, activity: Activity) -> bool:
    return (
        activity.is_public
        or is_member_of(user, activity.host_partner)
        or coordinates_region(user, activity.region)
    )


def visible_to(user):
    """The activities a user may open: the public ones, their partners' and those of the
    regions they coordinate."""
    roles = roles_of(user)
    mine = Q(host_partner_id__in=roles.partner_ids) | Q(region_id__in=roles.coordinated_region_ids)
    if roles.is_consortium_coordinator:
        return Activity.objects.all()
    return Activity.objects.filter(
        mine
        | Q(confirmed_at__isnull=False, status__in=[Activity.Status.PLANNED, Activity.Status.HELD])
    )


def personal_data_visible_to(user):
    """The activities whose participants a user may see by name."""
    roles = roles_of(user)
    if roles.is_consortium_coordinator:
        return Activity.objects.all()
    return Activity.objects.filter(region_id__in=roles.coordinated_region_ids)


def access_of(user, activity: Activity) -> ActivityAccess:
    return ActivityAccess(
        activity=activity,
        is_host_staff=is_member_of(user, activity.host_partner),
        coordinates=coordinates_region(user, activity.region),
    )


def get_activity_for_user(
    request, pk: int, *, edit: bool = False, personal_data: bool = False
) -> ActivityAccess:
    """The activity and what the user may do: 404 for outsiders, 403 for read-only users."""
    try:
        activity = Activity.objects.select_related("host_partner", "region", "created_by").get(
            pk=pk
        )
    except Activity.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not can_view(user, activity):
        raise Http404
    access = access_of(user, activity)
    if edit and not access.can_edit:
        raise PermissionDenied
    if personal_data and not access.sees_personal_data:
        raise PermissionDenied
    return access


def host_partners_of(user):
    """The partners a user may propose an activity for: those they are staff of."""
    return roles_of(user).partner_ids
