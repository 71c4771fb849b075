from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.activities import seed_activities
from demo.briefs import seed_briefs
from demo.partners import accounts, seed_users
from demo.practices import seed_practices
from demo.surveys import seed_surveys

ROLE_LABELS = {
    ("coordinator", True): "consortium coordinator",
    ("coordinator", False): "regional coordinator",
    ("staff", False): "partner staff",
}


class Command(BaseCommand):
    help = (
        "Add demo accounts and content. Idempotent; refused outside LOCAL (or DEBUG) "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even outside LOCAL.")

    def handle(self, *args, force: bool = False, **options):
        if not (settings.LOCAL or settings.DEBUG) and not force:
            raise CommandError(
                "seed_demo adds accounts with a published password; it runs only with LOCAL "
                "(or DEBUG) on. Use --force if you really mean it."
            )
        with transaction.atomic():
            seed_users()
        # Outside the transaction: each practice commits on its own (see seed_practices).
        added = seed_practices()
        self.stdout.write(f"Good practices: {added} added.")
        self.stdout.write(f"Survey responses: {seed_surveys()} added.")
        # After the surveys: the published brief cites findings of the demo campaigns.
        self.stdout.write(f"Policy briefs: {seed_briefs()} added.")
        # After the practices and surveys: activities present practices, and their
        # participants' paired self-assessments use the demo campaigns.
        added = seed_activities()
        self.stdout.write(
            "Activities: {activities} added, with {participants} participants, {answers} "
            "capacity-survey answers and {responses} paired self-assessments.".format(**added)
        )
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo sign-ins:"))
        for account in accounts():
            role = (account.get("role"), account.get("consortium_coordinator", False))
            label = "admin" if account.get("superuser") else ROLE_LABELS.get(role, "respondent")
            self.stdout.write(f"  {account['email']:<30} {label}")
        self.stdout.write(f"  password: {settings.DEMO_PASSWORD}")
        self.stdout.write(
            f"  coordinators and admin: TOTP secret {settings.DEMO_TOTP_SECRET} "
            "(add it to an authenticator app)"
        )
