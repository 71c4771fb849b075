"""The spreadsheet writers played by an attacker (hypothesis): any text in any cell of an
export (the anonymised answers, their codebook, the competence table) or of the catalogue's
CSV comes back as it was written, and no cell is one a spreadsheet would run.

The rule the writers follow (socore.lib.spreadsheets.inert): a text starting with = + - @, a
tab or a carriage return gets a ' in front, which spreadsheets show instead of evaluating the
rest. XLSX is XML: the control characters XML forbids are left out (what is left follows the
same rule), and a line ends with a line feed, whether typed as CR, LF or CR LF. Numbers stay
numbers: every digit in CSV, 16 significant digits in XLSX.
"""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from practices.models import GoodPractice, Status
from socore.lib.spreadsheets import FORMULA_STARTS
from surveys.reports import exports
from tests.factories.practices import PracticeFactory

# Texts that start the way formulas and tricks start, then anything.
TRICKY_STARTS = st.sampled_from(["", *FORMULA_STARTS, "'", " =", "\x01=", "\x0b+", "﻿="])
TEXT = st.builds(lambda start, rest: start + rest, TRICKY_STARTS, st.text(max_size=40))
CELL = st.one_of(
    TEXT,
    st.integers(-(10**15), 10**15),
    st.floats(-1e12, 1e12),  # means, deviations, counts: nowhere near overflow
    st.none(),
    st.booleans(),
)
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8)

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def shown(text: str) -> str:
    """What a spreadsheet must show for a text: the text, with a ' in front of a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def runs(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS)


def xml_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@PROPERTY
@given(rows=ROWS)
def test_any_text_comes_back_from_a_csv_export_and_no_text_cell_runs(rows):
    out = io.BytesIO()
    exports._write_csv(rows, out)

    content = out.getvalue().decode("utf-8-sig")
    back = list(csv.reader(io.StringIO(content, newline="")))
    assert len(back) == len(rows)
    for written, read in zip(rows, back, strict=True):
        assert len(read) == len(written)
        for value, cell in zip(written, read, strict=True):
            if isinstance(value, str):
                assert cell == shown(value)
                assert not runs(cell) or cell == "", repr(cell)
            elif value is None:
                assert cell == ""
            elif isinstance(value, bool):
                assert cell == str(int(value))
            else:
                assert float(cell) == value  # every digit, a dot for decimals


@PROPERTY
@given(rows=ROWS)
def test_any_text_comes_back_from_an_xlsx_export_and_no_cell_is_a_formula(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Answers")
    for row in rows:
        exports.append_row(sheet, row)
    out = io.BytesIO()
    workbook.save(out)

    back = load_workbook(io.BytesIO(out.getvalue()))["Answers"]
    for number, written in enumerate(rows, start=1):
        for column, value in enumerate(written, start=1):
            cell = back.cell(row=number, column=column)
            assert cell.data_type != "f", cell.value
            if isinstance(value, str):
                expected = shown(ILLEGAL_CHARACTERS_RE.sub("", value))
                assert (cell.value or "") == xml_lines(expected)
                assert not runs(cell.value or ""), repr(cell.value)
            elif isinstance(value, bool):
                assert cell.value == str(value)  # written as text: the codebook's True/False
            elif value is None:
                assert cell.value is None
            else:
                assert cell.value == pytest.approx(value, rel=1e-15)


# The catalogue's CSV, through the page a visitor downloads it from -----------------------

DB_TEXT = st.builds(
    lambda start, rest: (start + rest).strip(),
    TRICKY_STARTS,
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30),
).filter(bool)


@pytest.fixture
def published(db):
    return PracticeFactory(status=Status.PUBLISHED, title="Cooperation clinic")


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=DB_TEXT, summary=DB_TEXT, organisation=DB_TEXT)
def test_the_catalogues_csv_gives_back_each_text_and_runs_none(
    client, published, title, summary, organisation
):
    GoodPractice.objects.filter(pk=published.pk).update(
        title=title[:100], summary=summary, organisation=organisation[:200]
    )

    response = client.get("/practices/export.csv")

    content = b"".join(response.streaming_content).decode("utf-8")
    header, row = list(csv.reader(io.StringIO(content, newline="")))
    cells = dict(zip(header, row, strict=True))
    assert cells["Title"] == shown(title[:100])
    assert cells["Summary"] == shown(summary)
    assert cells["Organisation in charge"] == shown(organisation[:200])
    assert not any(runs(cell) for cell in row)
