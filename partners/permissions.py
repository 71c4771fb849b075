"""Who may do what: the roles of DESIGN.md section 1, answered in one place.

A user's memberships are read once per request and kept on the user object.
Every view, export and download asks these functions (directly or through an
app's `get_<object>_for_user` helper) instead of looking at memberships itself.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from .models import LANGUAGE_OF_COUNTRY, Membership, Partner, Region, User


@dataclass(frozen=True)
class Roles:
    """What a user is, across all their memberships."""

    partner_ids: frozenset[int] = frozenset()
    coordinated_partner_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    coordinated_region_ids: frozenset[int] = frozenset()
    is_consortium_coordinator: bool = False
    is_admin: bool = False
    memberships: tuple = field(default=(), compare=False)

    @property
    def is_partner_staff(self) -> bool:
        return bool(self.partner_ids)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinated_partner_ids) or self.is_consortium_coordinator


NOBODY = Roles()


def roles_of(user: User | AnonymousUser) -> Roles:
    if not user.is_authenticated:
        return NOBODY
    cached = getattr(user, "_socore_roles", None)
    if cached is not None:
        return cached
    memberships = tuple(
        Membership.objects.filter(user=user).select_related("partner", "partner__region")
    )
    coordinating = [m for m in memberships if m.role == Membership.Role.COORDINATOR]
    roles = Roles(
        partner_ids=frozenset(m.partner_id for m in memberships),
        coordinated_partner_ids=frozenset(m.partner_id for m in coordinating),
        region_ids=frozenset(m.partner.region_id for m in memberships),
        coordinated_region_ids=frozenset(m.partner.region_id for m in coordinating),
        is_consortium_coordinator=any(
            m.is_consortium_coordinator and m.partner.is_lead for m in coordinating
        ),
        is_admin=user.is_superuser,
        memberships=memberships,
    )
    user._socore_roles = roles
    return roles


# Whether a user coordinates is asked on every request (TwoFactorRequiredMiddleware); it is
# cached for a short while and dropped whenever one of the user's memberships changes.
COORDINATES_CACHE_SECONDS = 60


def _coordinates_key(user_pk: int) -> str:
    return f"partners:coordinates:{user_pk}"


def forget_coordinates(user_pk: int) -> None:
    """Drop the cached answer now and again at commit, so no request keeps the old one."""
    key = _coordinates_key(user_pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def requires_two_factor(user: User | AnonymousUser) -> bool:
    """Coordinators and admins must sign in with TOTP."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = getattr(user, "_socore_roles", None)
    if roles is not None:
        return roles.is_coordinator
    key = _coordinates_key(user.pk)
    coordinates = cache.get(key)
    if coordinates is None:
        coordinates = roles_of(user).is_coordinator
        cache.set(key, coordinates, COORDINATES_CACHE_SECONDS)
    return coordinates


def is_consortium_coordinator(user: User | AnonymousUser) -> bool:
    return roles_of(user).is_consortium_coordinator


def is_member_of(user: User | AnonymousUser, partner: Partner) -> bool:
    return partner.pk in roles_of(user).partner_ids


def coordinates_region(user: User | AnonymousUser, region: Region) -> bool:
    """Regional coordinator of this region, or consortium coordinator (all regions)."""
    roles = roles_of(user)
    return roles.is_consortium_coordinator or region.pk in roles.coordinated_region_ids


def translatable_languages(user: User | AnonymousUser) -> list[str]:
    """The languages a user may translate the framework into: every shipped one for the
    consortium coordinator; for a regional coordinator, the language of each coordinated
    region's country. A translation is read by every respondent of that language, so it is
    never open to partner staff."""
    roles = roles_of(user)
    shipped = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    if roles.is_consortium_coordinator:
        return shipped
    countries = {
        m.partner.region.country for m in roles.memberships if m.role == Membership.Role.COORDINATOR
    }
    own = {LANGUAGE_OF_COUNTRY.get(country) for country in countries}
    return [code for code in shipped if code in own]


def require_coordinator(user: User | AnonymousUser, *, hide: bool) -> None:
    """Only regional and consortium coordinators go on. Others get 404 with `hide` (pages whose
    existence they must not learn: campaigns, reports) or 403 (a plain refusal)."""
    if not roles_of(user).is_coordinator:
        raise Http404 if hide else PermissionDenied


def can_edit_partner(user: User | AnonymousUser, partner: Partner) -> bool:
    roles = roles_of(user)
    return roles.is_consortium_coordinator or partner.pk in roles.coordinated_partner_ids


def can_add_partner(user: User | AnonymousUser) -> bool:
    return roles_of(user).is_consortium_coordinator


def get_partner_for_user(request, slug: str, *, edit: bool = False) -> Partner:
    """A partner page is public; editing it is for its coordinators and the consortium's."""
    try:
        partner = Partner.objects.select_related("region").get(slug=slug)
    except Partner.DoesNotExist:
        raise Http404 from None
    if edit and not can_edit_partner(request.user, partner):
        raise PermissionDenied
    return partner
