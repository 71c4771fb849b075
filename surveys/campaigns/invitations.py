"""Invitations to a campaign: reading the CSV of invitees, and the emails they get."""

import csv
import io
import secrets
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.localisation import language_for, time_zone_for
from socore.lib import csvfiles
from socore.lib.csvfiles import SkippedRow

from ..i18n import localized
from ..models import Campaign, Invitation, Response

HEADER_NAMES = {"email", "e-mail", "email address", "e-mail address", "mail"}
NAME_LENGTH = Invitation._meta.get_field("name").max_length


class InvitationFileError(ValueError):
    """The file as a whole cannot be read (not text, not UTF-8)."""


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    name: str


@dataclass
class ImportResult:
    invited: list[Invitation] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)

    def summary(self) -> str:
        """What was read: invited and duplicates (the skipped lines: `skipped_summary`)."""
        invited = ngettext(
            "%(count)s person invited", "%(count)s people invited", len(self.invited)
        ) % {"count": len(self.invited)}
        duplicates = ngettext(
            "%(count)s duplicate ignored", "%(count)s duplicates ignored", self.duplicates
        ) % {"count": self.duplicates}
        return _("%(invited)s, %(duplicates)s.") % {"invited": invited, "duplicates": duplicates}

    def skipped_summary(self) -> str:
        return csvfiles.skipped_summary(self.skipped)


def parse_invitees(content: bytes) -> tuple[list[Row], list[SkippedRow]]:
    """Good rows and bad rows (by line number, with the reason) of a CSV of email[,name]."""
    try:
        text = csvfiles.decode(
            content,
            not_utf8=_("The file is not UTF-8 text. Save it as CSV UTF-8."),
            not_text=_("The file is not a CSV text file."),
        )
    except csvfiles.CSVFileError as error:
        raise InvitationFileError(str(error)) from None
    reader = csv.reader(io.StringIO(text), delimiter=csvfiles.delimiter(text))
    rows, skipped = [], []

    def unreadable(line: int) -> None:
        skipped.append(SkippedRow(line, _("too long to be an invitee")))

    for index, cells in enumerate(csvfiles.readable_rows(reader, unreadable)):
        line = reader.line_num
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue  # blank lines, e.g. at the end of the file, mean nothing
        email, name = cells[0], (cells[1] if len(cells) > 1 else "")
        if index == 0 and email.lower() in HEADER_NAMES:
            continue
        if not email:
            skipped.append(SkippedRow(line, _("no email address")))
            continue
        try:
            validate_email(email)
        except ValidationError:
            skipped.append(
                SkippedRow(line, _("'%(value)s' is not an email address") % {"value": email})
            )
            continue
        rows.append(Row(line, email.lower(), name[:NAME_LENGTH]))
    return rows, skipped


def invite(campaign: Campaign, content: bytes) -> ImportResult:
    """Invite the good rows not invited yet; their emails go out after the commit."""
    from ..tasks import send_invitations

    rows, skipped = parse_invitees(content)
    result = ImportResult(skipped=skipped)
    seen = {email.lower() for email in campaign.invitations.values_list("email", flat=True)}
    new = []
    for row in rows:
        if row.email in seen:
            result.duplicates += 1
            continue
        seen.add(row.email)
        new.append(
            Invitation(
                campaign=campaign,
                email=row.email,
                name=row.name,
                token=secrets.token_urlsafe(24),
            )
        )
    with transaction.atomic():
        result.invited = Invitation.objects.bulk_create(new)
        ids = [invitation.pk for invitation in result.invited]
        if ids:
            transaction.on_commit(lambda: send_invitations.delay(ids))
    return result


def personal_link(invitation: Invitation) -> str:
    return f"{settings.SITE_URL}/surveys/i/{invitation.token}/"


def open_link(campaign: Campaign) -> str:
    return f"{settings.SITE_URL}/surveys/c/{campaign.link_token}/"


def not_submitted(campaign: Campaign):
    """Invitations of the campaign whose invitee has no submitted response."""
    submitted = Response.objects.filter(campaign=campaign, status=Response.Status.SUBMITTED)
    return campaign.invitations.exclude(
        Exists(submitted.filter(invitation=OuterRef("pk")))
    ).exclude(Exists(submitted.filter(respondent__email__iexact=OuterRef("email"))))


def due_for_reminder(campaign: Campaign):
    """Invited (the email went out), not submitted, not reminded yet: each is reminded once."""
    return not_submitted(campaign).filter(sent_at__isnull=False, reminded_at__isnull=True)


def send_invitation_email(invitation: Invitation, kind: str) -> None:
    """kind: "invitation" or "reminder"; the templates surveys/email/<kind>_*.txt."""
    campaign = invitation.campaign
    language = language_for(invitation.email, campaign.region)
    zone = time_zone_for(invitation.email, campaign.region)
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        closes = formats.date_format(timezone.localtime(campaign.closes_at), "DATETIME_FORMAT")
        context = {
            "invitation": invitation,
            "campaign": campaign,
            "title": localized(campaign, "title", language),
            "closes": f"{closes} ({zone.replace('_', ' ')})",
            "link": personal_link(invitation),
            "site_url": settings.SITE_URL,
        }
        # A title may hold line breaks; a mail header may not.
        subject = " ".join(render_to_string(f"surveys/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"surveys/email/{kind}_message.txt", context)
    send_mail(subject, body, None, [invitation.email])
