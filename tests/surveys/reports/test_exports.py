"""Anonymised exports of a campaign: read back with the csv module and openpyxl, they give the
numbers in the database, no one's name or email, no row of a group under five, and text a
spreadsheet would run made inert.

The example: areas A (A1, A2) and B (B1); self-assessment answers as (current, importance),
None for "not applicable".
"""

import csv
import io
import statistics
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.utils import translation

from surveys import analysis
from surveys.models import Invitation, Response, Survey
from surveys.reports import exports
from tests.factories.accounts import UserFactory
from tests.factories.surveys import (
    AreaFactory,
    CampaignFactory,
    CompetenceFactory,
    FrameworkFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    self_assessment,
)

pytestmark = pytest.mark.django_db

ORGANISATION_CODES = {"university": 1, "research_institute": 2, "company": 5, "public_body": 6}


@pytest.fixture
def framework():
    framework = FrameworkFactory()
    area_a = AreaFactory(framework=framework, code="A", name="Working with partners", position=0)
    area_b = AreaFactory(framework=framework, code="B", name="Self-management", position=1)
    # Created out of order: the export follows the framework's positions, not creation.
    b1 = CompetenceFactory(area=area_b, code="B1", name="Coping with pressure", position=0)
    a2 = CompetenceFactory(area=area_a, code="A2", name="Building networks", position=1)
    a1 = CompetenceFactory(
        area=area_a,
        code="A1",
        name="Negotiating agreements",
        position=0,
        translations={"pl": {"name": "Negocjowanie porozumień"}},
    )
    return {"framework": framework, "A1": a1, "A2": a2, "B1": b1}


@pytest.fixture
def campaign(framework):
    return CampaignFactory(survey=SurveyFactory(framework=framework["framework"]))


def answers_of(framework, campaign, values_by_response, **fields):
    """Submitted responses with (A1, A2, B1) values each; returns what each row should read."""
    expected = []
    for values in values_by_response:
        self_assessment(campaign, dict(zip(_competences(framework), values, strict=True)), **fields)
        expected.append(_expected_row(values, fields.get("organisation_type", "university")))
    return expected


def _competences(framework):
    return [framework["A1"], framework["A2"], framework["B1"]]


def _expected_row(values, organisation_type):
    row = []
    for pair in values:
        row += ["", "", "1"] if pair is None else [str(pair[0]), str(pair[1]), "0"]
    return [*row, str(ORGANISATION_CODES[organisation_type])]


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def export_csv(campaign, **options):
    out = io.BytesIO()
    summary = exports.write_answers_csv(campaign, out, **options)
    return read_csv(out.getvalue()), summary, out.getvalue()


def export_xlsx(campaign, **options):
    out = io.BytesIO()
    summary = exports.write_answers_xlsx(campaign, out, **options)
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    return workbook, summary, out.getvalue()


SIX = [
    [(2, 5), (4, 4), (1, 3)],
    [(3, 3), None, (2, 2)],
    [(5, 5), (5, 4), None],
    [(1, 2), (2, 3), (3, 4)],
    [(4, 1), (3, 2), (2, 5)],
    [(2, 2), (2, 2), (2, 2)],
]


def test_csv_has_one_row_per_submitted_response_with_the_numbers_in_the_database(
    framework, campaign
):
    expected = answers_of(framework, campaign, SIX)
    ResponseFactory(campaign=campaign, status=Response.Status.IN_PROGRESS, submitted_at=None)
    other = CampaignFactory(survey=campaign.survey)
    answers_of(framework, other, SIX[:5])

    rows, summary, _content = export_csv(campaign)

    header = ["row"]
    for code in ("A1", "A2", "B1"):
        header += [f"{code} current", f"{code} importance", f"{code} n/a"]
    assert rows[0] == [*header, "organisation_type"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert sorted(row[1:] for row in rows[1:]) == sorted(expected)
    assert (summary.submitted, summary.rows, summary.left_out) == (6, 6, 0)
    assert summary.columns == rows[0]


def test_xlsx_holds_the_same_numbers_as_numbers_and_a_codebook_sheet(framework, campaign):
    expected = answers_of(framework, campaign, SIX)

    workbook, summary, _content = export_xlsx(campaign)

    assert workbook.sheetnames == ["Answers", "Codebook"]
    rows = list(workbook["Answers"].iter_rows(values_only=True))
    assert rows[0][:4] == ("row", "A1 current", "A1 importance", "A1 n/a")
    assert [row[0] for row in rows[1:]] == [1, 2, 3, 4, 5, 6]
    as_text = sorted([("" if v is None else str(v)) for v in row[1:]] for row in rows[1:])
    assert as_text == sorted(expected)
    assert all(isinstance(v, int) for row in rows[1:] for v in row if v is not None)
    codebook = list(workbook["Codebook"].iter_rows(values_only=True))
    documented = [name for name, _meaning in codebook[1 : len(summary.columns) + 1]]
    assert documented == list(rows[0])
    assert summary.rows == 6


def test_rows_come_in_an_order_that_does_not_follow_submission(framework, campaign):
    values = [[(n % 5 + 1, 5 - n % 5), (1, 1), (1, 1)] for n in range(12)]
    answers_of(framework, campaign, values)

    rows, _summary, _content = export_csv(campaign)

    submitted_order = [str(n % 5 + 1) for n in range(12)]
    assert sorted(row[1] for row in rows[1:]) == sorted(submitted_order)
    assert [row[1] for row in rows[1:]] != submitted_order


def test_no_name_email_invitation_or_date_of_a_respondent_anywhere_in_the_files(
    framework, campaign
):
    users = [
        UserFactory(email=f"secret.person{n}@example.org", name=f"Zbigniew Tajny{n}")
        for n in range(6)
    ]
    for n, user in enumerate(users):
        invitation = Invitation.objects.create(
            campaign=campaign, email=user.email, name=f"Invited Ksenia{n}", user=user
        )
        response = ResponseFactory(campaign=campaign, respondent=user, invitation=invitation)
        for competence in _competences(framework):
            answer(response, competence, 3, 4)

    rows, _summary, csv_bytes = export_csv(campaign, background_fields=exports.BACKGROUND_FIELDS)
    _workbook, _summary, xlsx_bytes = export_xlsx(
        campaign, background_fields=exports.BACKGROUND_FIELDS
    )
    codebook = io.BytesIO()
    exports.write_codebook_csv(campaign, codebook, exports.BACKGROUND_FIELDS)

    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        xlsx_text = b"".join(archive.read(name) for name in archive.namelist())
    year = str(Response.objects.first().submitted_at.year).encode()
    for content in (csv_bytes, xlsx_text, codebook.getvalue()):
        for secret in (b"secret.person", b"Tajny", b"Ksenia", b"example.org", b"@"):
            assert secret not in content
    assert year not in csv_bytes
    assert len(rows) == 7


def test_a_campaign_with_fewer_than_five_responses_exports_no_rows_and_says_why(
    framework, campaign
):
    answers_of(framework, campaign, SIX[:4])

    rows, summary, _content = export_csv(campaign)
    codebook = dict(exports.answers_codebook_rows(campaign, summary=summary)[1:])

    assert len(rows) == 1
    assert (summary.submitted, summary.rows, summary.left_out_small_campaign) == (4, 0, 4)
    assert codebook["Rows in the file"] == "0"
    assert codebook["Responses left out"] == "4"
    assert "fewer than 5 submitted responses" in codebook["Why left out"]


def test_responses_of_a_background_group_under_five_are_left_out(framework, campaign):
    expected = answers_of(framework, campaign, SIX, organisation_type="university")
    answers_of(framework, campaign, SIX[:3], organisation_type="company")
    answers_of(framework, campaign, SIX[:2], organisation_type="public_body")

    rows, summary, _content = export_csv(campaign)
    everyone, everyone_summary, _content = export_csv(campaign, background_fields=())

    assert sorted(row[1:] for row in rows[1:]) == sorted(expected)
    assert (summary.submitted, summary.rows, summary.left_out_small_groups) == (11, 6, 5)
    assert summary.left_out_secondary == 0
    assert "fewer than 5 respondents share" in summary.reasons()[0]
    # Without background columns nobody is in a small group.
    assert len(everyone) == 12 and everyone_summary.left_out == 0
    assert "organisation_type" not in everyone[0]


def test_a_lone_small_group_takes_the_smallest_other_group_with_it(framework, campaign):
    """Otherwise the campaign's totals minus the file would give the lone respondent's answers."""
    expected = answers_of(framework, campaign, SIX, organisation_type="university")
    answers_of(framework, campaign, SIX[:5], organisation_type="research_institute")
    answers_of(framework, campaign, SIX[:1], organisation_type="company")

    rows, summary, _content = export_csv(campaign)
    workbook, xlsx_summary, _content = export_xlsx(campaign)
    codebook = dict(exports.answers_codebook_rows(campaign, summary=summary)[1:])

    assert sorted(row[1:] for row in rows[1:]) == sorted(expected)
    assert (summary.left_out_small_groups, summary.left_out_secondary, summary.rows) == (1, 5, 6)
    assert xlsx_summary == summary
    assert workbook["Answers"].max_row == 7
    assert codebook["Responses left out"] == "6"


def test_chosen_background_columns_carry_codes_that_the_codebook_decodes(framework, campaign):
    for _n in range(5):
        self_assessment(
            campaign,
            dict.fromkeys(_competences(framework), (3, 3)),
            role="management",
            experience="20+",
            age_band="-29",
        )

    rows, _summary, _content = export_csv(
        campaign, background_fields=["age_band", "role", "experience"]
    )
    codebook = dict(exports.answers_codebook_rows(campaign, ["role", "age_band", "experience"]))

    assert rows[0][-3:] == ["role", "experience", "age_band"]
    assert {tuple(row[-3:]) for row in rows[1:]} == {("4", "5", "1")}
    assert "4 = Management" in codebook["role"]
    assert "5 = More than 20 years" in codebook["experience"]
    assert "1 = Under 30" in codebook["age_band"]
    with pytest.raises(ValueError, match="email"):
        exports.write_answers_csv(campaign, io.BytesIO(), background_fields=["email"])


def test_demand_survey_exports_the_required_level(framework):
    campaign = CampaignFactory(
        survey=SurveyFactory(framework=framework["framework"], kind=Survey.Kind.DEMAND)
    )
    for level in (1, 2, 3, 4, 5):
        response = ResponseFactory(campaign=campaign)
        answer(response, framework["A1"], required=level)
        answer(response, framework["A2"], na=True)
        answer(response, framework["B1"], required=6 - level)

    rows, _summary, _content = export_csv(campaign)

    assert rows[0][1:4] == ["A1 required", "A1 n/a", "A2 required"]
    assert sorted(row[1:7] for row in rows[1:]) == sorted(
        [str(level), "0", "", "1", str(6 - level), "0"] for level in (1, 2, 3, 4, 5)
    )


@pytest.mark.parametrize("kind", [Survey.Kind.SELF_ASSESSMENT, Survey.Kind.DEMAND])
def test_every_line_of_the_answers_file_is_its_cells_written_one_by_one(framework, kind):
    """The file's lines, byte for byte, are those of each response's cells through
    `csv_value` and the csv module: rated, "not applicable" and missing answers, a
    background value outside the choices that a spreadsheet would run, and empty ones."""
    campaign = CampaignFactory(survey=SurveyFactory(framework=framework["framework"], kind=kind))
    competences = _competences(framework)
    background = {
        "organisation_type": "=cmd|' /C calc'!A0",
        "role": "",
        "experience": "20+",
        "age_band": "-29",
    }
    scales = ("required_level",) if kind == Survey.Kind.DEMAND else ("current_level", "importance")
    expected = []
    for number in range(7):
        response = ResponseFactory(campaign=campaign, **background)
        cells = []
        # Every third response has no answer to B1 at all (framework extended later).
        for competence in competences[: 2 if number % 3 == 0 else 3]:
            levels = (1 + number % 5, 5 - number % 5)
            if number % 4 == 1:
                made = answer(response, competence, na=True)
            elif kind == Survey.Kind.DEMAND:
                made = answer(response, competence, required=levels[0])
            else:
                made = answer(response, competence, *levels)
            cells += [getattr(made, scale) for scale in scales] + [int(made.not_applicable)]
        cells += [None] * (len(scales) + 1) * (3 - len(cells) // (len(scales) + 1))
        cells += [background["organisation_type"], None, 5, 1]
        line = io.StringIO()
        csv.writer(line).writerow([exports.csv_value(value) for value in cells])
        expected.append(line.getvalue())

    out = io.BytesIO()
    summary = exports.write_answers_csv(campaign, out, background_fields=list(background))
    text = out.getvalue().decode("utf-8")
    header, *lines = text.removeprefix("\ufeff").splitlines(keepends=True)

    assert text.startswith("\ufeff")
    assert header.rstrip("\r\n").split(",") == [exports.csv_value(n) for n in summary.columns]
    assert [line.split(",", 1)[0] for line in lines] == [str(n) for n in range(1, 8)]
    assert sorted(line.split(",", 1)[1] for line in lines) == sorted(expected)
    assert "'=cmd|' /C calc'!A0" in expected[0]


def test_text_a_spreadsheet_would_run_is_inert_in_every_file(framework):
    area = AreaFactory(framework=framework["framework"], code="Z", name="@SUM(1+1)", position=9)
    CompetenceFactory(area=area, code="=1+2", name='=HYPERLINK("http://evil.example")')
    campaign = CampaignFactory(survey=SurveyFactory(framework=framework["framework"]))
    answers_of(framework, campaign, SIX)

    rows, _summary, _content = export_csv(campaign)
    workbook, _summary, xlsx_bytes = export_xlsx(campaign)
    codebook_file = io.BytesIO()
    exports.write_codebook_csv(campaign, codebook_file)
    codebook = read_csv(codebook_file.getvalue())

    assert "'=1+2 current" in rows[0]
    assert all(row[rows[0].index("'=1+2 current")] == "" for row in rows[1:])
    header = [cell.value for cell in next(workbook["Answers"].iter_rows(max_row=1))]
    assert "'=1+2 current" in header
    meanings = {name: meaning for name, meaning in codebook[1:] if name}
    assert meanings["'=1+2 importance"].startswith("'@SUM(1+1) — =1+2 =HYPERLINK(")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@"))
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert all(b"<f>" not in archive.read(name) for name in sheets)


def test_codebook_is_in_the_requesters_language(framework, campaign):
    answers_of(framework, campaign, SIX)
    out = io.BytesIO()

    with translation.override("pl"):
        summary = exports.write_answers_csv(campaign, io.BytesIO())
        exports.write_codebook_csv(campaign, out, summary=summary)
    codebook = {name: meaning for name, meaning in read_csv(out.getvalue())[1:] if name}

    assert "Negocjowanie porozumień" in codebook["A1 current"]
    assert "Znaczenie dla mojej pracy" in codebook["A1 importance"]
    assert "Building networks" in codebook["A2 current"]  # no Polish name: the English one


# The aggregated competence table


def test_competence_table_reads_back_to_the_analysis_numbers(framework, campaign):
    answers_of(framework, campaign, SIX)
    demand = CampaignFactory(
        survey=SurveyFactory(framework=framework["framework"], kind=Survey.Kind.DEMAND)
    )
    for level in (3, 4, 5):  # three employers: their figures stay hidden
        response = ResponseFactory(campaign=demand)
        for competence in _competences(framework):
            answer(response, competence, required=level)
    result = analysis.analyse(analysis.Group.of([campaign, demand]))

    out = io.BytesIO()
    exports.write_table_csv(result, out)
    rows = read_csv(out.getvalue())
    workbook_file = io.BytesIO()
    exports.write_table_xlsx(result, workbook_file)
    workbook = openpyxl.load_workbook(workbook_file)
    sheet_rows = list(workbook["Competences"].iter_rows(values_only=True))

    header = rows[0]
    assert list(sheet_rows[0]) == header
    assert [row[header.index("competence")] for row in rows[1:]] == ["A1", "A2", "B1"]
    a1 = dict(zip(header, rows[1], strict=True))
    a1_sheet = dict(zip(header, sheet_rows[1], strict=True))
    currents = [2, 3, 5, 1, 4, 2]
    importances = [5, 3, 5, 2, 1, 2]
    assert a1["competence name"] == "Negotiating agreements"
    assert int(a1["current n"]) == a1_sheet["current n"] == 6
    # CSV keeps every digit; XLSX 16 significant ones, as much as a spreadsheet holds.
    assert float(a1["current mean"]) == result.by_code["A1"].current.mean
    assert a1_sheet["current mean"] == pytest.approx(result.by_code["A1"].current.mean, rel=1e-15)
    assert a1_sheet["current mean"] == pytest.approx(statistics.fmean(currents))
    assert float(a1["current sd"]) == pytest.approx(statistics.stdev(currents))
    assert a1_sheet["current sd"] == pytest.approx(result.by_code["A1"].current.sd, rel=1e-15)
    gap = statistics.fmean(i - c for i, c in zip(importances, currents, strict=True))
    assert float(a1["gap"]) == pytest.approx(gap)
    assert float(a1["mwds"]) == pytest.approx(gap * statistics.fmean(importances))
    assert int(a1["mwds rank"]) == a1_sheet["mwds rank"] == result.by_code["A1"].rank
    assert a1["quadrant"] == a1_sheet["quadrant"] == result.by_code["A1"].quadrant_label != ""
    for column in ("required n", "required mean", "required sd", "market gap"):
        assert a1[column] == a1_sheet[column] == "fewer than 5 responses"
    # B1 has a "not applicable": five ratings, counted as such.
    b1 = dict(zip(header, rows[3], strict=True))
    assert b1["current n"] == "5"


def test_competence_table_leaves_figures_not_asked_empty_and_names_inert(framework, campaign):
    framework["A2"].name = '=HYPERLINK("http://evil.example")'
    framework["A2"].save()
    answers_of(framework, campaign, SIX)
    result = analysis.analyse(analysis.Group.of([campaign]))

    out = io.BytesIO()
    exports.write_table_csv(result, out)
    rows = read_csv(out.getvalue())
    workbook_file = io.BytesIO()
    exports.write_table_xlsx(result, workbook_file)
    workbook = openpyxl.load_workbook(workbook_file)
    sheet = list(workbook["Competences"].iter_rows())
    codebook = dict(list(workbook["Codebook"].iter_rows(values_only=True))[1:])

    a2 = dict(zip(rows[0], rows[2], strict=True))
    assert a2["competence name"] == '\'=HYPERLINK("http://evil.example")'
    assert a2["required n"] == a2["required mean"] == a2["market gap"] == ""
    name_cell = sheet[2][rows[0].index("competence name")]
    assert (name_cell.data_type, name_cell.value) == ("s", a2["competence name"])
    assert sheet[2][rows[0].index("required mean")].value is None
    assert codebook["mwds"].startswith("Borich")
    assert codebook["Respondents, self-assessment"] == "6"
    assert workbook.sheetnames == ["Competences", "Codebook"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_export_reads_one_snapshot_and_leaves_the_connection_as_it_was(
    framework, campaign
):
    expected = answers_of(framework, campaign, SIX)

    rows, summary, _content = export_csv(campaign)
    _workbook, xlsx_summary, _content = export_xlsx(campaign)

    assert sorted(row[1:] for row in rows[1:]) == sorted(expected)
    assert summary == xlsx_summary
    assert not connection.in_atomic_block and connection.get_autocommit()
    answers_of(framework, campaign, SIX[:1])  # writes still work and are kept
    assert Response.objects.filter(campaign=campaign).count() == 7
