"""Demo accounts, one per role (content/accounts.toml)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from partners.models import Membership, Partner, User

from . import content


def accounts() -> list[dict]:
    return content("accounts")["accounts"]


def seed_users() -> list[User]:
    users = []
    for account in accounts():
        superuser = account.get("superuser", False)
        user, created = User.objects.get_or_create(
            email=account["email"],
            defaults={"name": account["name"], "is_superuser": superuser, "is_staff": superuser},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=account["email"], defaults={"verified": True, "primary": True}
        )
        if "partner" in account:
            Membership.objects.get_or_create(
                user=user,
                partner=Partner.objects.get(slug=account["partner"]),
                defaults={
                    "role": account["role"],
                    "is_consortium_coordinator": account.get("consortium_coordinator", False),
                },
            )
        if account.get("role") == "coordinator" or superuser:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, settings.DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        users.append(user)
    return users
