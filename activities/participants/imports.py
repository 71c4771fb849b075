"""Adding participants to an activity: one by one, or from a CSV of name, email, organisation
and type. A guest whose email belongs to an account is linked to that account, and nobody is
added twice (same email, or same account): within the file and with those already there."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from partners.models import User
from socore.lib import csvfiles
from socore.lib.csvfiles import SkippedRow

from ..models import Activity, Participant, ParticipantType

COLUMNS = ("name", "email", "organisation", "type")
# Header cells recognised (lower case, in English) for each column.
HEADER_NAMES = {
    "name": "name",
    "full name": "name",
    "participant": "name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "mail": "email",
    "organisation": "organisation",
    "organization": "organisation",
    "institution": "organisation",
    "type": "type",
    "participant type": "type",
}
LIMITS = {
    "name": Participant._meta.get_field("name").max_length,
    "organisation": Participant._meta.get_field("organisation").max_length,
}


class ParticipantFileError(csvfiles.CSVFileError):
    """The file as a whole cannot be read."""


def participant_type(value: str) -> str | None:
    """The type's code for a cell holding its code or its English label (any case); an
    empty cell is "Other"; None for anything else."""
    wanted = " ".join(value.split()).lower()
    if not wanted:
        return ParticipantType.OTHER
    with override("en"):
        for code, label in ParticipantType.choices:
            if wanted in (code, str(label).lower()):
                return code
    return None


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    organisation: str
    type: str


@dataclass
class ImportResult:
    added: list[Participant] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)

    def summary(self) -> str:
        added = ngettext(
            "%(count)s participant added", "%(count)s participants added", len(self.added)
        ) % {"count": len(self.added)}
        duplicates = ngettext(
            "%(count)s duplicate merged", "%(count)s duplicates merged", self.duplicates
        ) % {"count": self.duplicates}
        return _("%(added)s, %(duplicates)s.") % {"added": added, "duplicates": duplicates}

    def skipped_summary(self) -> str:
        return csvfiles.skipped_summary(self.skipped)


def _cell(cells: list[str], positions: dict[str, int], column: str) -> str:
    index = positions.get(column)
    return cells[index] if index is not None and index < len(cells) else ""


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions when the row is a header (it names the email column), else None."""
    names = [HEADER_NAMES.get(" ".join(cell.split()).lower()) for cell in cells]
    if "email" not in names:
        return None
    return {column: names.index(column) for column in COLUMNS if column in names}


def parse_participants(content: bytes) -> tuple[list[Row], list[SkippedRow]]:
    """Good rows and bad rows (by line number, with the reason) of a CSV of participants:
    name, email, organisation, type in that order, or in the order a header row gives."""
    text = csvfiles.decode(
        content,
        not_utf8=_("The file is not UTF-8 text. Save it as CSV UTF-8."),
        not_text=_("The file is not a CSV text file."),
    )
    reader = csv.reader(io.StringIO(text), delimiter=csvfiles.delimiter(text))
    rows: list[Row] = []
    skipped: list[SkippedRow] = []

    def unreadable(line: int) -> None:
        skipped.append(SkippedRow(line, _("too long to be a participant")))

    positions = {column: index for index, column in enumerate(COLUMNS)}
    first = True
    for cells in csvfiles.readable_rows(reader, unreadable):
        line = reader.line_num
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue  # blank lines mean nothing
        if first:
            first = False
            header = _header(cells)
            if header is not None:
                positions = header
                continue

        email = _cell(cells, positions, "email")
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
        code = participant_type(_cell(cells, positions, "type"))
        if code is None:
            skipped.append(
                SkippedRow(
                    line,
                    _("'%(value)s' is not a participant type")
                    % {"value": _cell(cells, positions, "type")},
                )
            )
            continue
        rows.append(
            Row(
                line=line,
                name=_cell(cells, positions, "name")[: LIMITS["name"]],
                email=email.lower(),
                organisation=_cell(cells, positions, "organisation")[: LIMITS["organisation"]],
                type=code,
            )
        )
    return rows, skipped


def accounts_by_email(emails) -> dict[str, int]:
    """The account of each address that has one (lower-case address → user id)."""
    found = (
        User.objects.annotate(address=Lower("email"))
        .filter(address__in={email.lower() for email in emails})
        .values_list("address", "pk")
    )
    return dict(found)


def add_participants(activity: Activity, rows: list[Row], *, by) -> tuple[list[Participant], int]:
    """Add the rows not there yet (by email or by account); returns (added, duplicates)."""
    accounts = accounts_by_email(row.email for row in rows)
    existing = activity.participants.values_list("user_id", Lower("email"))
    seen_users = {user_id for user_id, _email in existing if user_id}
    seen_emails = {email for _user_id, email in existing if email}
    new, duplicates = [], 0
    for row in rows:
        user_id = accounts.get(row.email)
        if row.email in seen_emails or (user_id and user_id in seen_users):
            duplicates += 1
            continue
        seen_emails.add(row.email)
        if user_id:
            seen_users.add(user_id)
        new.append(
            Participant(
                activity=activity,
                user_id=user_id,
                name=row.name,
                email=row.email,
                organisation=row.organisation,
                type=row.type,
                added_by=by,
            )
        )
    with transaction.atomic():
        # Two coordinators importing at once: the constraints decide, the loser's rows merge.
        added = Participant.objects.bulk_create(new, ignore_conflicts=True)
    return added, duplicates


def import_participants(activity: Activity, content: bytes, *, by) -> ImportResult:
    rows, skipped = parse_participants(content)
    added, duplicates = add_participants(activity, rows, by=by)
    return ImportResult(added=added, duplicates=duplicates, skipped=skipped)


def confirm_attendance(activity: Activity, attended_ids) -> int:
    """Who came, after the event: the ticked participants attended, the others did not.
    Returns how many attended."""
    now = timezone.now()
    participants = activity.participants.all()
    with transaction.atomic():
        came = participants.filter(pk__in=attended_ids).update(
            attended=True, attendance_confirmed_at=now
        )
        participants.exclude(pk__in=attended_ids).update(
            attended=False, attendance_confirmed_at=now
        )
    return came
