"""Everything the portal holds about a person, as one export; and deleting their account.

Each app adds its own part at start-up (``register`` in its AppConfig.ready), so this module,
at the bottom of the one-way chain, never imports the apps above it:
- partners (here): the account, memberships, email addresses, sign-in sessions, two-factor
  devices (their kind and dates, never their secrets), region changes they made;
- surveys: responses with their answers, invitations, report requests;
- practices: good practices and policy briefs they created or edited, their review steps and
  comments, the versions they saved.

Deleting an account (GDPR art. 17) first lets every app erase what is personal in its part
(the survey data: deleted, or anonymised where it was already reported), then empties the
account itself: email, name, preferences, password, email addresses, memberships, sessions
and two-factor devices are removed. The row stays as a tombstone without personal data, so
that content written for a partner (practices, briefs, review comments) keeps its history;
it is attributed to "former member".
"""

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from .models import Membership, RegionChange, User

EXPORTS: dict[str, Callable[[User], Any]] = {}
ERASERS: list[Callable[[User], None]] = []


def register(*, export: Callable[[User], dict[str, Any]] | None = None, erase=None) -> None:
    """An app's part: ``export(user)`` returns top-level sections; ``erase(user)`` removes or
    anonymises what the app holds about the user, before the account is emptied."""
    if export is not None:
        EXPORTS[f"{export.__module__}.{export.__qualname__}"] = export
    if erase is not None and erase not in ERASERS:
        ERASERS.append(erase)


def moment(value) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    data = _account(user)
    for part in EXPORTS.values():
        data.update(part(user))
    return data


def _account(user: User) -> dict[str, Any]:
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": moment(user.date_joined),
            "last_login": moment(user.last_login),
        },
        "memberships": [
            {
                "partner": membership.partner.name,
                "role": membership.role,
                "consortium_coordinator": membership.is_consortium_coordinator,
                "since": moment(membership.created_at),
            }
            for membership in user.memberships.select_related("partner").order_by("pk")
        ],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "sessions": [
            {
                "ip": session.ip,
                "user_agent": session.user_agent,
                "created_at": moment(session.created_at),
                "last_seen_at": moment(session.last_seen_at),
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ],
        "two_factor_devices": [
            {
                "type": device.type,
                "created_at": moment(device.created_at),
                "last_used_at": moment(device.last_used_at),
            }
            for device in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "region_changes": [
            {
                "partner": change.partner.name,
                "from": change.from_region.name,
                "to": change.to_region.name,
                "at": moment(change.changed_at),
            }
            for change in RegionChange.objects.filter(changed_by=user)
            .select_related("partner", "from_region", "to_region")
            .order_by("pk")
        ],
    }


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase the user's data in every app, then empty the account; their sessions end."""
    for erase in ERASERS:
        erase(user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()  # signals drop the cached roles
    user.email = f"former-member-{user.pk}@deleted.invalid"
    user.name = ""
    user.language = ""
    user.time_zone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
