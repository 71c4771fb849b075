"""Anonymised exports of a campaign: its answers (CSV, XLSX) and the aggregated competence table.

Pure writers: each takes the campaign (or an analysis result) and a binary file object and
writes one file; the report pipeline decides where the file goes and who may download it.

The answers file has one row per submitted response and no identifying data: no respondent,
email, name, invitation or timestamp, and a row number instead of the database id, in a random
order that says nothing about when anyone answered. Columns, documented in the codebook:

- ``row``: 1, 2, 3 … within the file;
- per competence, in framework order: ``<code> current`` and ``<code> importance``
  (self-assessment) or ``<code> required`` (demand), each 1–5, empty when the respondent chose
  "not applicable", then ``<code> n/a``: 1 for "not applicable", 0 for rated;
- the background columns the coordinator chose (default: type of organisation only, data
  minimisation), as numeric codes in the order of the survey's choices, empty when not given.

Suppression (DESIGN.md section 1, groups of fewer than 5 are never shown):

- a campaign with fewer than ``MINIMUM_GROUP`` submitted responses exports no rows;
- a response whose combination of the chosen background values is shared by fewer than
  ``MINIMUM_GROUP`` submitted responses is left out;
- secondary suppression: when fewer than ``MINIMUM_GROUP`` responses would be left out that
  way, the smallest remaining group is left out too, so that subtracting the file from the
  campaign's totals never gives the answers of fewer than five people.

The summary and the codebook say how many rows were left out and why. Rows come in a new
random order in every file, and every export of a campaign's answers has the background
columns of its first one (``ReportRequest.objects.answers_columns_of``): two files with
different columns could otherwise be joined row by row on the answers, each adding the
other's background to the same person.

Rows are streamed from PostgreSQL through a server-side cursor (one statement pivots each
response's answers into arrays) and written one by one: memory does not grow with the number
of responses. Outside a transaction the group counts and the rows are read in one
REPEATABLE READ snapshot; inside a caller's transaction only groups counted as large enough
are written, whatever arrives later.

The competence table writes an ``analysis.Analysis`` as it stands: a hidden figure reads
"fewer than 5 responses", a figure not asked of the group is an empty cell, numbers are
numbers (CSV with every digit and a dot; XLSX with 16 significant digits).

Every text cell goes through ``socore.lib.spreadsheets.inert``; XLSX strings are written as
strings, never as formulas. CSV files are UTF-8 with a byte order mark, so that spreadsheet
programs read accented letters right. Data headers are codes (English); the codebook is in the
active language (the caller activates the requester's).
"""

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, BinaryIO

from django.db import connection, transaction
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell

from socore.lib.spreadsheets import inert

from .. import analysis
from ..i18n import localized
from ..models import Campaign, Competence, Response, Survey

MINIMUM_GROUP = analysis.MINIMUM
CHUNK_ROWS = 2000
CSV_ENCODING = "utf-8-sig"
# The background questions a coordinator may add to an export, in the order of the survey.
BACKGROUND_FIELDS = analysis.BACKGROUND_FIELDS
BACKGROUND_CHOICES = {name: Response._meta.get_field(name).choices for name in BACKGROUND_FIELDS}
DEFAULT_BACKGROUND_FIELDS = ("organisation_type",)


@dataclass
class ExportSummary:
    """What an answers export wrote and what it left out, and why."""

    columns: list[str]
    submitted: int = 0
    rows: int = 0
    left_out_small_campaign: int = 0
    left_out_small_groups: int = 0
    left_out_secondary: int = 0

    @property
    def left_out(self) -> int:
        return self.left_out_small_campaign + self.left_out_small_groups + self.left_out_secondary

    def reasons(self) -> list[str]:
        """One translated sentence per reason for leaving rows out (none when none were)."""
        reasons = []
        if self.left_out_small_campaign:
            reasons.append(
                ngettext(
                    "%(count)s response left out: the campaign has fewer than %(minimum)s "
                    "submitted responses.",
                    "%(count)s responses left out: the campaign has fewer than %(minimum)s "
                    "submitted responses.",
                    self.left_out_small_campaign,
                )
                % {"count": self.left_out_small_campaign, "minimum": MINIMUM_GROUP}
            )
        if self.left_out_small_groups:
            reasons.append(
                ngettext(
                    "%(count)s response left out: fewer than %(minimum)s respondents share "
                    "its combination of background values.",
                    "%(count)s responses left out: fewer than %(minimum)s respondents share "
                    "their combination of background values.",
                    self.left_out_small_groups,
                )
                % {"count": self.left_out_small_groups, "minimum": MINIMUM_GROUP}
            )
        if self.left_out_secondary:
            reasons.append(
                _(
                    "%(count)s responses of the smallest other group left out as well, so "
                    "that the left-out answers cannot be recovered from the campaign's totals."
                )
                % {"count": self.left_out_secondary}
            )
        return reasons


@dataclass
class _Column:
    name: str
    meaning: str


@dataclass
class _Plan:
    """The columns of an answers export and the competences behind the answer columns."""

    campaign: Campaign
    background_fields: tuple[str, ...]
    competence_ids: list[int]
    columns: list[_Column] = field(default_factory=list)

    @property
    def is_demand(self) -> bool:
        return self.campaign.survey.kind == Survey.Kind.DEMAND


def _checked_fields(background_fields: Iterable[str]) -> tuple[str, ...]:
    chosen = set(background_fields)
    unknown = chosen - set(BACKGROUND_FIELDS)
    if unknown:
        raise ValueError(f"Not a background field of an export: {', '.join(sorted(unknown))}")
    return tuple(name for name in BACKGROUND_FIELDS if name in chosen)


def _plan(campaign: Campaign, background_fields: Iterable[str]) -> _Plan:
    fields = _checked_fields(background_fields)
    language = get_language()
    competences = list(
        Competence.objects.filter(area__framework_id=campaign.survey.framework_id)
        .select_related("area")
        .order_by("area__position", "area__code", "position", "code")
    )
    plan = _Plan(campaign, fields, [competence.pk for competence in competences])
    plan.columns.append(
        _Column(
            "row",
            _("Row number within this file; not an identifier, and the order is arbitrary."),
        )
    )
    na = _("empty when the respondent chose “not applicable”")
    if plan.is_demand:
        scales = [
            (
                "required",
                _("Level required of RII staff"),
                _("1 = novice"),
                _("5 = expert, can guide others"),
            ),
        ]
    else:
        scales = [
            (
                "current",
                _("My current level"),
                _("1 = novice"),
                _("5 = expert, can guide others"),
            ),
            (
                "importance",
                _("Importance for my work"),
                _("1 = not important"),
                _("5 = essential"),
            ),
        ]
    for competence in competences:
        title = "{area} — {code} {name}".format(
            area=localized(competence.area, "name", language),
            code=competence.code,
            name=localized(competence, "name", language),
        )
        for suffix, label, low, high in scales:
            meaning = f"{title}. {label}: {low} … {high}; {na}."
            plan.columns.append(_Column(f"{competence.code} {suffix}", meaning))
        plan.columns.append(
            _Column(
                f"{competence.code} n/a",
                f"{title}. " + _("1 = “not applicable” chosen, 0 = rated."),
            )
        )
    for name in fields:
        label = Response._meta.get_field(name).verbose_name
        codes = "; ".join(
            f"{number} = {text}"
            for number, (_value, text) in enumerate(BACKGROUND_CHOICES[name], start=1)
        )
        plan.columns.append(
            _Column(
                name,
                f"{str(label)[:1].upper()}{str(label)[1:]}: {codes}; " + _("empty = not given."),
            )
        )
    return plan


def _key_expression(fields: tuple[str, ...]) -> str:
    """SQL for a response's combination of background values (field names are checked)."""
    if not fields:
        return "''"
    return "concat_ws(chr(31), " + ", ".join(f'r."{name}"' for name in fields) + ")"


def _decide_groups(sizes: dict[str, int], summary: ExportSummary) -> list[str]:
    """The combinations whose responses are written; counts what is left out in ``summary``.

    The same rule as the analysis's breakdowns (``analysis.hide_recoverable``).
    """
    total = sum(sizes.values())
    summary.submitted = total
    if total < MINIMUM_GROUP:
        summary.left_out_small_campaign = total
        return []
    hidden = analysis.hide_recoverable(sizes, MINIMUM_GROUP)
    summary.left_out_small_groups = sum(n for n in sizes.values() if n < MINIMUM_GROUP)
    summary.left_out_secondary = sum(sizes[key] for key in hidden) - summary.left_out_small_groups
    return sorted(key for key in sizes if key not in hidden)


def _rows(plan: _Plan, summary: ExportSummary) -> Iterator[list[Any]]:
    """The rows of the answers file, header first; fills in the summary's counts first."""
    yield [column.name for column in plan.columns]
    fields = plan.background_fields
    key = _key_expression(fields)
    codes = [
        {value: number for number, (value, _label) in enumerate(BACKGROUND_CHOICES[name], 1)}
        for name in fields
    ]
    scales = ("required_level",) if plan.is_demand else ("current_level", "importance")
    # "n/a" as 1/0 from the database: every answer cell arrives as an integer or NULL.
    arrays = ", ".join(
        f"array_agg(a.{scale} ORDER BY o.n)" for scale in (*scales, "not_applicable::int")
    )
    background = "".join(f', r."{name}"' for name in fields)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                # The group counts and the rows come from one snapshot of the campaign.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(
                f"SELECT {key}, count(*) FROM surveys_response r "  # noqa: S608 - checked names
                f"WHERE r.campaign_id = %s AND r.status = %s GROUP BY 1",
                [plan.campaign.pk, Response.Status.SUBMITTED],
            )
            kept = _decide_groups(dict(cursor.fetchall()), summary)
        if not kept or not plan.competence_ids:
            return
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(
                # Per response, its answers in framework order through the (response,
                # competence) index; an answer missing from the response gives empty cells.
                f"SELECT answers.*{background} "  # noqa: S608 - checked names
                "FROM surveys_response r CROSS JOIN LATERAL ("
                f"SELECT {arrays} "
                "FROM unnest(%s::bigint[]) WITH ORDINALITY AS o(competence_id, n) "
                "LEFT JOIN surveys_answer a "
                "ON a.response_id = r.id AND a.competence_id = o.competence_id"
                ") AS answers "
                f"WHERE r.campaign_id = %s AND r.status = %s AND {key} = ANY(%s) "
                "ORDER BY random()",
                [plan.competence_ids, plan.campaign.pk, Response.Status.SUBMITTED, kept],
            )
            number = 0
            while batch := cursor.fetchmany(CHUNK_ROWS):
                for record in batch:
                    number += 1
                    yield _row(number, record, len(scales), codes)
                summary.rows = number
        finally:
            cursor.close()


def _row(number: int, record: tuple, scale_count: int, codes: list[dict]) -> list[Any]:
    """The row number, per competence its scales and "n/a" (integers or None), then the
    background codes (a value outside the choices as its text)."""
    row: list[Any] = [number]
    row += chain.from_iterable(zip(*record[: scale_count + 1], strict=True))
    row += [
        code.get(value, value or None)
        for value, code in zip(record[scale_count + 1 :], codes, strict=True)
    ]
    return row


def answers_codebook_rows(
    campaign: Campaign,
    background_fields: Sequence[str] = DEFAULT_BACKGROUND_FIELDS,
    summary: ExportSummary | None = None,
) -> list[tuple[str, str]]:
    """(column, meaning) for each column of the answers file, then notes on the file itself.

    With the summary of the export it documents, the notes give the counts of rows written
    and left out and why.
    """
    plan = _plan(campaign, background_fields)
    rows = [(_("Column"), _("Meaning"))]
    rows += [(column.name, column.meaning) for column in plan.columns]
    survey = campaign.survey
    rows += [
        ("", ""),
        (_("Campaign"), localized(campaign, "title", get_language())),
        (
            _("Survey"),
            f"{localized(survey, 'title', get_language())} ({survey.get_kind_display()})",
        ),
        (_("Framework"), str(survey.framework)),
        (
            _("Suppression"),
            _(
                "No rows when the campaign has fewer than %(minimum)s submitted responses; no "
                "row of a combination of background values shared by fewer than %(minimum)s "
                "respondents; if fewer than %(minimum)s rows are left out that way, the "
                "smallest other group is left out too."
            )
            % {"minimum": MINIMUM_GROUP},
        ),
    ]
    if summary is not None:
        rows += [
            (_("Submitted responses"), str(summary.submitted)),
            (_("Rows in the file"), str(summary.rows)),
            (_("Responses left out"), str(summary.left_out)),
        ]
        rows += [(_("Why left out"), reason) for reason in summary.reasons()]
    return rows


# Writers --------------------------------------------------------------------------------


def csv_value(value: Any) -> Any:
    """A cell value for a CSV file: numbers as they are (dot decimals), text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return inert(str(value))


@dataclass
class TextOut:
    """A text stream on the caller's binary file, detached (not closed) when done."""

    out: BinaryIO

    def __enter__(self) -> io.TextIOWrapper:
        self.stream = io.TextIOWrapper(self.out, encoding=CSV_ENCODING, newline="")
        return self.stream

    def __exit__(self, *exc_info) -> None:
        self.stream.flush()
        self.stream.detach()


def _write_csv(rows: Iterable[Sequence[Any]], out: BinaryIO) -> None:
    with TextOut(out) as stream:
        writer = csv.writer(stream)
        for row in rows:
            writer.writerow([csv_value(value) for value in row])


def _write_answers_csv(rows: Iterator[list[Any]], out: BinaryIO, text_from: int) -> None:
    """The answers rows as `_write_csv` writes them, faster: up to column `text_from` a
    data row holds only integers and None, which the csv module writes as `csv_value`
    would (None as an empty cell); only the background columns may hold text."""
    with TextOut(out) as stream:
        writer = csv.writer(stream)
        writer.writerow([csv_value(value) for value in next(rows)])
        for row in rows:
            row[text_from:] = [csv_value(value) for value in row[text_from:]]
            writer.writerow(row)


def _cell(sheet, value: Any):
    """An XLSX cell: numbers as numbers, text inert and always a string, never a formula."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        return value
    # Characters XML cannot hold go first: "\x01=1" would otherwise become "=1", not inert.
    cell = WriteOnlyCell(sheet, value=inert(ILLEGAL_CHARACTERS_RE.sub("", str(value))))
    cell.data_type = "s"
    return cell


def append_row(sheet, row: Iterable[Any]) -> None:
    sheet.append([_cell(sheet, value) for value in row])


def write_answers_csv(
    campaign: Campaign,
    out: BinaryIO,
    background_fields: Sequence[str] = DEFAULT_BACKGROUND_FIELDS,
) -> ExportSummary:
    """The campaign's anonymised answers as CSV; the codebook is a separate file
    (``write_codebook_csv`` with the summary returned here)."""
    plan = _plan(campaign, background_fields)
    summary = ExportSummary(columns=[column.name for column in plan.columns])
    _write_answers_csv(_rows(plan, summary), out, len(plan.columns) - len(plan.background_fields))
    return summary


def write_codebook_csv(
    campaign: Campaign,
    out: BinaryIO,
    background_fields: Sequence[str] = DEFAULT_BACKGROUND_FIELDS,
    summary: ExportSummary | None = None,
) -> None:
    _write_csv(answers_codebook_rows(campaign, background_fields, summary), out)


def write_answers_xlsx(
    campaign: Campaign,
    out: BinaryIO,
    background_fields: Sequence[str] = DEFAULT_BACKGROUND_FIELDS,
) -> ExportSummary:
    """The campaign's anonymised answers as XLSX: an "Answers" sheet and a "Codebook" sheet."""
    plan = _plan(campaign, background_fields)
    summary = ExportSummary(columns=[column.name for column in plan.columns])
    workbook = Workbook(write_only=True)
    answers = workbook.create_sheet("Answers")
    for row in _rows(plan, summary):
        append_row(answers, row)
    codebook = workbook.create_sheet("Codebook")
    for row in answers_codebook_rows(campaign, background_fields, summary):
        append_row(codebook, row)
    workbook.save(out)
    return summary


# The aggregated competence table ---------------------------------------------------------

MEASURES = ("current", "importance", "required")


def _table_columns() -> list[_Column]:
    scales = {
        "current": _("Current level (self-assessment), 1–5"),
        "importance": _("Importance for my work (self-assessment), 1–5"),
        "required": _("Level required of RII staff (employer demand), 1–5"),
    }
    columns = [
        _Column("area", _("Code of the competence area")),
        _Column("area name", _("Competence area")),
        _Column("competence", _("Code of the competence")),
        _Column("competence name", _("Competence")),
    ]
    for measure in MEASURES:
        columns += [
            _Column(
                f"{measure} n",
                scales[measure] + ": " + _("number of respondents who rated it"),
            ),
            _Column(f"{measure} mean", scales[measure] + ": " + _("mean")),
            _Column(f"{measure} sd", scales[measure] + ": " + _("sample standard deviation")),
        ]
    columns += [
        _Column("pairs n", _("Respondents who rated both current level and importance")),
        _Column("gap", _("Gap to own importance: mean of (importance − current level)")),
        _Column(
            "mwds",
            _(
                "Borich mean weighted discrepancy score: Σ (importance − current level) × "
                "mean importance / number of respondents who rated both"
            ),
        ),
        _Column("mwds rank", _("Rank by MWDS, 1 = largest")),
        _Column("market gap", _("Market gap: mean required level − mean current level")),
        _Column(
            "quadrant",
            # xgettext:no-python-format
            _(
                "Importance–performance quadrant, cross-hairs at the group's mean current "
                "level and mean importance; “near the average” where the 95 % interval of "
                "either mean reaches its cross-hair"
            ),
        ),
    ]
    return columns


def _table_rows(result: analysis.Analysis) -> Iterator[list[Any]]:
    yield [column.name for column in _table_columns()]
    for row in result.competences:
        values: list[Any] = [row.area_code, row.area_name, row.code, row.name]
        for measure in MEASURES:
            figures = getattr(row, measure)
            values += [figures.n, figures.mean, figures.sd]
        values += [row.pairs, row.gap, row.mwds, row.rank, row.market_gap, row.quadrant_label]
        yield values


def table_codebook_rows(result: analysis.Analysis) -> list[tuple[str, str]]:
    """(column, meaning) for each column of the competence table, then notes on the group."""
    rows = [(_("Column"), _("Meaning"))]
    rows += [(column.name, column.meaning) for column in _table_columns()]
    language = get_language()
    rows += [
        ("", ""),
        *((_("Campaign"), localized(campaign, "title", language)) for campaign in result.campaigns),
    ]
    for name, value in result.group.background:
        label = Response._meta.get_field(name).verbose_name
        choices = dict(BACKGROUND_CHOICES[name])
        rows.append((_("Only respondents with"), f"{label}: {choices.get(value, value)}"))
    for label, count in (
        (_("Respondents, self-assessment"), result.self_respondents),
        (_("Respondents, employer demand"), result.demand_respondents),
    ):
        if count is not None:
            rows.append((label, str(count)))
    rows += [
        (
            _("Suppression"),
            _(
                "A figure computed from fewer than %(minimum)s respondents reads “%(text)s”; "
                "an empty cell was not asked in this group."
            )
            % {"minimum": MINIMUM_GROUP, "text": str(analysis.SUPPRESSED)},
        ),
        (_("Not applicable"), _("“Not applicable” answers count in no n, mean or gap.")),
    ]
    return rows


def _table_value(value: Any) -> Any:
    return str(value) if isinstance(value, analysis.Suppressed) else value


def write_table_csv(result: analysis.Analysis, out: BinaryIO) -> None:
    """The aggregated competence table of an analysis as CSV (codebook: ``table_codebook_rows``)."""
    _write_csv(([_table_value(v) for v in row] for row in _table_rows(result)), out)


def write_table_codebook_csv(result: analysis.Analysis, out: BinaryIO) -> None:
    _write_csv(table_codebook_rows(result), out)


def write_table_xlsx(result: analysis.Analysis, out: BinaryIO) -> None:
    """The aggregated competence table as XLSX: a "Competences" sheet and a "Codebook" sheet."""
    workbook = Workbook(write_only=True)
    table = workbook.create_sheet("Competences")
    for row in _table_rows(result):
        append_row(table, [_table_value(v) for v in row])
    codebook = workbook.create_sheet("Codebook")
    for row in table_codebook_rows(result):
        append_row(codebook, row)
    workbook.save(out)
