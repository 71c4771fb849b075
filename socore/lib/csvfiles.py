"""Reading the CSV files people upload (invitees, participants): UTF-8 with or without a byte
order mark, commas or semicolons, and lines csv cannot read left out instead of a server
error."""

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CSVFileError(ValueError):
    """The file as a whole cannot be read (not text, not UTF-8)."""


def decode(content: bytes, *, not_utf8: str, not_text: str) -> str:
    """The text of an uploaded file; CSVFileError with the given message when it has none."""
    try:
        text = content.decode("utf-8-sig")  # with or without a byte order mark
    except UnicodeDecodeError:
        raise CSVFileError(not_utf8) from None
    if "\x00" in text:
        raise CSVFileError(not_text)
    return text


def delimiter(text: str) -> str:
    """`;` where the first non-blank line has more semicolons than commas (as spreadsheets
    write CSV in languages with a decimal comma), else `,`."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first_line.count(";") > first_line.count(",") else ","


def readable_rows(reader, unreadable: Callable[[int], None]) -> Iterator[list[str]]:
    """The rows csv can read. A line it cannot (a field over csv's 128 KB limit, which was a
    server error) is passed to `unreadable` by its line number, and reading goes on."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            unreadable(reader.line_num)


@dataclass(frozen=True)
class SkippedRow:
    """A line of an uploaded file that was not imported, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


def skipped_summary(skipped: Sequence[SkippedRow]) -> str:
    """The lines not imported, each with its reason (shown beside what was imported)."""
    return ngettext(
        "%(count)s line not imported: %(lines)s.",
        "%(count)s lines not imported: %(lines)s.",
        len(skipped),
    ) % {"count": len(skipped), "lines": "; ".join(str(row) for row in skipped)}
