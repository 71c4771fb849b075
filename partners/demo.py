"""Demo accounts, one per role, for `manage.py seed_demo`."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from .models import Membership, Partner, User

# email, name, partner slug, role, consortium coordinator, superuser
DEMO_USERS = [
    ("coordinator@example.org", "Anna Nowak", "us", "coordinator", True, False),
    (
        "coordinator.pl@example.org",
        "Piotr Kowalski",
        "province-of-silesia",
        "coordinator",
        False,
        False,
    ),
    ("staff.pl@example.org", "Marta Zielińska", "us", "staff", False, False),
    ("staff.nl@example.org", "Daan de Vries", "hu", "staff", False, False),
    ("staff.it@example.org", "Giulia Bianchi", "anci-liguria", "staff", False, False),
    ("respondent@example.org", "Lucia Rossi", None, None, False, False),
    ("admin@example.org", "Portal Admin", None, None, False, True),
]


def seed_users() -> list[User]:
    users = []
    for email, name, partner_slug, role, consortium, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"name": name, "is_superuser": superuser, "is_staff": superuser},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if partner_slug:
            Membership.objects.get_or_create(
                user=user,
                partner=Partner.objects.get(slug=partner_slug),
                defaults={"role": role, "is_consortium_coordinator": consortium},
            )
        if role == "coordinator" or superuser:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, settings.DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        users.append(user)
    return users
