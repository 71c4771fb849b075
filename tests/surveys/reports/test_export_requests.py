"""Exports through the report pipeline: the anonymised answers and the results table as CSV
(zipped with the codebook) and XLSX, made by the unit of work (`pipeline.run`) and read back
with the csv module and openpyxl; who may ask for them, follow them and download them; the
form's refusals; and the dashboard's way to the form.

The world (tests/factories/reports.build_world): Śląskie's staff campaign with 12 anonymous
self-assessments from universities; added here, 5 more from universities by named people
with emails, 6 from research institutes and 2 from companies. With the organisation type
as a column, the companies' 2 rows are left out, and the research institutes' 6 with them
(otherwise the 2 could be recovered from the campaign's totals): 17 rows remain.
"""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from surveys import analysis
from surveys.models import Answer, Competence, ReportRequest, Response
from surveys.models.reports import private_storage
from surveys.reports import pipeline
from tests.conftest import ROLES
from tests.factories.accounts import UserFactory
from tests.factories.reports import add_self_response, build_world
from tests.factories.surveys import ResponseFactory

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'
FORMULA_TITLE = "@SUM(1+1) staff survey"
SECRETS = (b"Zbigniew", b"Tajny", b"hidden.person", b"example.org", b"@example")
KEPT = 17
SUBMITTED = 25


@pytest.fixture
def world():
    world = build_world()
    campaign = world.self_campaign
    for number in range(5):
        user = UserFactory(
            email=f"hidden.person{number}@example.org", name=f"Zbigniew Tajny{number}"
        )
        response = add_self_response(campaign, world.competences, world.top)
        Response.objects.filter(pk=response.pk).update(respondent=user)
    for organisation_type, count in (("research_institute", 6), ("company", 2)):
        for _ in range(count):
            response = add_self_response(campaign, world.competences, world.top)
            Response.objects.filter(pk=response.pk).update(organisation_type=organisation_type)
    # Text a spreadsheet would run, where the export writes names and titles.
    Competence.objects.filter(pk=world.top.pk).update(name=FORMULA_NAME)
    type(campaign).objects.filter(pk=campaign.pk).update(title=FORMULA_TITLE)
    campaign.refresh_from_db()
    return world


def export(user, world, kind, campaigns=None, **options) -> ReportRequest:
    """Asked for and made by the unit of work, as the worker would."""
    options.setdefault("language", "en")
    report, _existing = pipeline.request_report(
        user=user,
        region=world.region,
        campaigns=campaigns or [world.self_campaign],
        kind=kind,
        **options,
    )
    assert pipeline.run(report.pk, f"task-{report.pk}") == ReportRequest.Status.DONE
    report.refresh_from_db()
    return report


def stored(report: ReportRequest) -> bytes:
    with private_storage().open(report.file, "rb") as handle:
        return handle.read()


def zip_members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_parts(content: bytes) -> bytes:
    """Every part of the workbook, decompressed: what a search of the file would find."""
    return b"".join(zip_members(content).values())


def answers_in_database(world, header: list[str]) -> list[list]:
    """Per kept response (universities), its answers in the header's column order."""
    by_code = {c.code: c.pk for c in world.competences}
    rows = []
    kept = Response.objects.filter(campaign=world.self_campaign, organisation_type="university")
    for response in kept:
        answers = {a.competence_id: a for a in Answer.objects.filter(response=response)}
        row = []
        for name in header[1:-1]:
            code, scale = name.rsplit(" ", 1)
            given = answers[by_code[code]]
            row.append(
                {
                    "current": given.current_level,
                    "importance": given.importance,
                    "n/a": int(given.not_applicable),
                }[scale]
            )
        rows.append([*row, 1])  # organisation type 1 = university
    return sorted(rows)


# The answers --------------------------------------------------------------------------------


def test_answers_csv_is_a_zip_of_the_database_answers_and_their_codebook(coordinator, world):
    report = export(coordinator, world, ReportRequest.Kind.ANSWERS_CSV)

    content = stored(report)
    members = zip_members(content)
    assert list(members) == ["answers.csv", "codebook.csv"]
    rows = read_csv(members["answers.csv"])
    header = rows[0]
    assert header[0] == "row" and header[-1] == "organisation_type"
    assert len(header) == 1 + 3 * len(world.competences) + 1
    data = sorted([int(value) if value else None for value in row[1:]] for row in rows[1:])
    assert data == answers_in_database(world, header)
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, KEPT + 1)]

    codebook = {name: meaning for name, meaning in read_csv(members["codebook.csv"])[1:] if name}
    assert list(codebook)[: len(header)] == header
    assert codebook["Rows in the file"] == str(KEPT)
    assert codebook["Submitted responses"] == str(SUBMITTED)
    # A competence named like a formula reads as text in the codebook.
    top_columns = [
        meaning for name, meaning in codebook.items() if name.startswith(f"{world.top.code} ")
    ]
    assert top_columns and all(FORMULA_NAME in meaning for meaning in top_columns)
    assert codebook["Campaign"] == "'" + FORMULA_TITLE
    assert report.download_name() == "socore-slaskie-answers-csv-v1.zip"
    for secret in SECRETS:
        assert secret not in members["answers.csv"] + members["codebook.csv"]


def test_answers_xlsx_holds_the_numbers_as_numbers_and_leaves_the_small_groups_out(
    coordinator, world
):
    report = export(coordinator, world, ReportRequest.Kind.ANSWERS_XLSX)

    content = stored(report)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Answers", "Codebook"]
    rows = [list(row) for row in workbook["Answers"].iter_rows(values_only=True)]
    header = rows[0]
    assert sorted(row[1:] for row in rows[1:]) == answers_in_database(world, header)
    # No company or research institute row: only the universities' code, 1.
    assert {row[-1] for row in rows[1:]} == {1}
    assert report.summary == {
        "columns": header,
        "submitted": SUBMITTED,
        "rows": KEPT,
        "left_out_small_campaign": 0,
        "left_out_small_groups": 2,
        "left_out_secondary": 6,
    }
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@"))
    text = xlsx_parts(content)
    assert b"<f>" not in text
    for secret in SECRETS:
        assert secret not in text


def test_background_columns_are_part_of_what_is_asked_for(coordinator, world):
    with_role = export(
        coordinator, world, ReportRequest.Kind.ANSWERS_XLSX, columns=["role", "organisation_type"]
    )
    again, existing = pipeline.request_report(
        user=coordinator,
        region=world.region,
        campaigns=[world.self_campaign],
        kind=ReportRequest.Kind.ANSWERS_XLSX,
        language="en",
        columns=["organisation_type", "role"],
    )

    assert with_role.filters == {"columns": ["organisation_type", "role"]}
    assert with_role.version == 1
    assert existing and again == with_role
    header = next(
        openpyxl.load_workbook(io.BytesIO(stored(with_role)))["Answers"].iter_rows(
            max_row=1, values_only=True
        )
    )
    assert header[-2:] == ("organisation_type", "role")
    # Render again keeps the columns.
    newer = pipeline.render_again(with_role, coordinator)
    assert newer.filters == with_role.filters and newer.version == 2


def test_every_answers_export_of_a_campaign_keeps_the_columns_of_the_first(
    client_as, coordinator, world
):
    """The attack: three exports with different columns, joined on the answers."""
    first = export(coordinator, world, ReportRequest.Kind.ANSWERS_CSV, columns=[])
    with pytest.raises(ValueError):
        export(coordinator, world, ReportRequest.Kind.ANSWERS_CSV, columns=["role"])
    response = client_as("coordinator").post(
        "/reports/requests/new/",
        {
            "region": "slaskie",
            "campaigns": [world.self_campaign.pk],
            "language": "en",
            "kind": "answers_xlsx",
            "columns": ["organisation_type"],
        },
    )
    assert response.status_code == 400
    assert "first exported with these background columns: none" in response.content.decode()
    assert ReportRequest.objects.count() == 1
    # The same set again is a new export of its own kind.
    same = export(coordinator, world, ReportRequest.Kind.ANSWERS_XLSX, columns=[])
    assert same.filters == first.filters == {"columns": []}


def test_no_columns_is_an_export_with_every_row(coordinator, world):
    report = export(coordinator, world, ReportRequest.Kind.ANSWERS_CSV, columns=[])

    rows = read_csv(zip_members(stored(report))["answers.csv"])
    assert report.filters == {"columns": []}
    assert rows[0][-1].endswith("n/a")
    assert len(rows) - 1 == SUBMITTED


def test_rows_come_in_a_new_order_in_every_file(coordinator, world):
    def rows_of(report) -> tuple:
        rows = read_csv(zip_members(stored(report))["answers.csv"])[1:]
        return tuple(tuple(row[1:]) for row in rows)  # without the row number

    # Every respondent a different answer to two competences, so that rows can be told apart.
    first_two = world.competences[2:4]
    responses = Response.objects.filter(campaign=world.self_campaign).order_by("pk")
    for index, response in enumerate(responses):
        for position, competence in enumerate(first_two):
            level = (index // 5 if position else index % 5) + 1
            Answer.objects.filter(response=response, competence=competence).update(
                current_level=level, not_applicable=False
            )
    first = export(coordinator, world, ReportRequest.Kind.ANSWERS_CSV, columns=[])
    assert len(set(rows_of(first))) > 20
    orders = {rows_of(first)}
    for _ in range(3):
        newer = pipeline.render_again(first, coordinator)
        assert pipeline.run(newer.pk, f"again-{newer.pk}") == ReportRequest.Status.DONE
        newer.refresh_from_db()
        assert sorted(rows_of(newer)) == sorted(rows_of(first))
        orders.add(rows_of(newer))
    assert len(orders) > 1


def test_an_answers_export_of_two_campaigns_is_refused(coordinator, world):
    with pytest.raises(ValueError):
        pipeline.request_report(
            user=coordinator,
            region=world.region,
            campaigns=world.campaigns,
            kind=ReportRequest.Kind.ANSWERS_CSV,
            language="en",
        )
    assert ReportRequest.objects.count() == 0


# The results table -------------------------------------------------------------------------


def table_from_csv(report) -> list[dict]:
    members = zip_members(stored(report))
    assert list(members) == ["competences.csv", "codebook.csv"]
    rows = read_csv(members["competences.csv"])
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def table_from_xlsx(report) -> list[dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(stored(report)))
    assert workbook.sheetnames == ["Competences", "Codebook"]
    rows = list(workbook["Competences"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("kind", [ReportRequest.Kind.TABLE_CSV, ReportRequest.Kind.TABLE_XLSX])
def test_the_results_table_reads_back_to_the_analysis(kind, coordinator, world):
    report = export(
        coordinator, world, kind, campaigns=world.campaigns, filters={"role": "researcher"}
    )
    result = analysis.analyse(analysis.Group.of(world.campaigns, {"role": "researcher"}))

    rows = table_from_csv(report) if kind == "table_csv" else table_from_xlsx(report)

    assert [row["competence"] for row in rows] == [row.code for row in result.competences]
    researchers = Response.objects.filter(campaign=world.self_campaign, role="researcher").count()
    assert researchers < SUBMITTED  # the filter narrowed the group
    for row, expected in zip(rows, result.competences, strict=True):
        assert float(row["current n"]) == expected.current.n == researchers
        assert float(row["current mean"]) == pytest.approx(expected.current.mean, rel=1e-15)
        assert float(row["importance mean"]) == pytest.approx(expected.importance.mean)
        assert float(row["required mean"]) == pytest.approx(expected.required.mean)
        assert float(row["mwds"]) == pytest.approx(expected.mwds)
        assert int(row["mwds rank"]) == expected.rank
    top = next(row for row in rows if row["competence"] == world.top.code)
    assert top["competence name"] == "'" + FORMULA_NAME
    assert int(top["mwds rank"]) == 1
    assert report.summary == {}


# Pages and downloads, as each role -----------------------------------------------------------

SEES_THE_EXPORT = {"coordinator", "consortium_coordinator"}


@pytest.fixture
def done_export(coordinator, world):
    return export(coordinator, world, ReportRequest.Kind.ANSWERS_CSV)


@pytest.mark.parametrize("role", ROLES)
def test_the_export_page_as_each_role(role, client_as, done_export):
    response = client_as(role).get(f"/reports/requests/{done_export.pk}/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_EXPORT:
        page = response.content.decode()
        assert response.status_code == 200
        assert f"/reports/requests/{done_export.pk}/download/" in page
        assert "Anonymised answers (CSV): Śląskie" in page
        assert "Type of organisation" in page  # its background column
        assert f"{KEPT} rows, of {SUBMITTED} submitted responses." in page
        assert "2 responses left out: fewer than 5 respondents share" in page
        assert "6 responses of the smallest other group left out as well" in page
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_export_download_as_each_role(role, client_as, done_export):
    response = client_as(role).get(f"/reports/requests/{done_export.pk}/download/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_EXPORT:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert "socore-slaskie-answers-csv-v1.zip" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        members = zip_members(b"".join(response.streaming_content))
        assert len(read_csv(members["answers.csv"])) == KEPT + 1
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_an_export_as_each_role(
    role, client_as, world, django_capture_on_commit_callbacks
):
    data = {
        "region": "slaskie",
        "campaigns": [world.self_campaign.pk],
        "language": "en",
        "kind": "answers_xlsx",
        "columns": ["role", "age_band"],
    }
    with django_capture_on_commit_callbacks():
        response = client_as(role).post("/reports/requests/new/", data)

    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in SEES_THE_EXPORT:
        report = ReportRequest.objects.get()
        assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
        assert report.kind == "answers_xlsx"
        assert report.filters == {"columns": ["role", "age_band"]}
    elif role == "other_coordinator":
        assert response.status_code == 400  # Śląskie is not among their regions
    else:
        assert response.status_code == 404
    if role not in SEES_THE_EXPORT:
        assert ReportRequest.objects.count() == 0


def test_the_progress_of_an_export_is_followed_like_a_reports(client_as, coordinator, world):
    report, _ = pipeline.request_report(
        user=coordinator,
        region=world.region,
        campaigns=[world.self_campaign],
        kind=ReportRequest.Kind.TABLE_XLSX,
        language="en",
    )
    client = client_as("coordinator")
    pending = client.get(f"/reports/requests/{report.pk}/", headers={"HX-Request": "true"})
    assert pending.status_code == 200 and "<progress" in pending.content.decode()

    pipeline.run(report.pk, "task-1")

    done = client.get(f"/reports/requests/{report.pk}/", headers={"HX-Request": "true"})
    assert done.status_code == 286
    assert f"/reports/requests/{report.pk}/download/" in done.content.decode()
    download = client.get(f"/reports/requests/{report.pk}/download/")
    assert "socore-slaskie-table-xlsx-v1.xlsx" in download["Content-Disposition"]


# The form ------------------------------------------------------------------------------------


def test_the_form_offers_every_kind_and_the_background_columns(client_as, world):
    page = client_as("coordinator").get("/reports/requests/new/").content.decode()

    for kind in ("report_pdf", "answers_csv", "answers_xlsx", "table_csv", "table_xlsx"):
        assert f'value="{kind}"' in page
    assert re.search(r'name="columns" value="organisation_type"[^>]*checked', page)
    assert not re.search(r'name="columns" value="role"[^>]*checked', page)


def test_an_answers_export_of_two_campaigns_is_explained_next_to_the_field_and_kept(
    client_as, world
):
    response = client_as("coordinator").post(
        "/reports/requests/new/",
        {
            "region": "slaskie",
            "campaigns": [world.self_campaign.pk, world.demand_campaign.pk],
            "language": "pl",
            "kind": "answers_csv",
            "columns": ["experience"],
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    errors = page.split('<div class="field__errors">', 1)[1].split("</div>", 1)[0]
    assert "exported one campaign at a time: tick exactly one campaign." in errors
    # Next to the campaigns: the error comes before their checkboxes.
    assert page.index("tick exactly one campaign") < page.index('name="campaigns"')
    for campaign in world.campaigns:
        assert re.search(rf'name="campaigns" value="{campaign.pk}"[^>]*checked', page)
    assert '<option value="pl" selected>' in page
    assert re.search(r'value="answers_csv"[^>]*checked', page)
    assert re.search(r'name="columns" value="experience"[^>]*checked', page)
    assert ReportRequest.objects.count() == 0


def test_an_answers_export_with_a_background_filter_says_to_use_a_column(client_as, world):
    response = client_as("coordinator").post(
        "/reports/requests/new/",
        {
            "region": "slaskie",
            "campaigns": [world.self_campaign.pk],
            "language": "en",
            "kind": "answers_xlsx",
            "role": "researcher",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "choose “Everyone” here, and add this question as a background column" in page
    assert page.index("add this question as a background column") < page.index('name="role"')
    assert '<option value="researcher" selected>' in page
    assert ReportRequest.objects.count() == 0


# The dashboard leads to the form --------------------------------------------------------------


def test_the_dashboard_links_to_the_form_prefilled_with_what_it_shows(client_as, world):
    client = client_as("coordinator")
    page = client.get(
        f"/reports/region/slaskie/?campaigns={world.self_campaign.pk}&group=role:technical"
    ).content.decode()

    links = re.findall(r'href="(/reports/requests/new/\?[^"]+)"', page)
    assert len(links) == 2
    pdf_link, export_link = (link.replace("&amp;", "&") for link in links)
    assert pdf_link.endswith("kind=report_pdf") and export_link.endswith("kind=table_xlsx")
    assert 'href="/reports/requests/"' in page

    form = client.get(export_link).content.decode()
    assert '<option value="slaskie" selected>' in form
    assert re.search(rf'value="{world.self_campaign.pk}"[^>]*checked', form)
    assert not re.search(rf'value="{world.demand_campaign.pk}"[^>]*checked', form)
    assert '<option value="technical" selected>' in form
    assert re.search(r'value="table_xlsx"[^>]*checked', form)
    language = client.get(pdf_link).content.decode()
    assert re.search(r'value="report_pdf"[^>]*checked', language)


def test_the_dashboard_asks_in_the_readers_language(client_as, coordinator, world):
    coordinator.language = "pl"
    coordinator.save()
    client = client_as("coordinator")

    page = client.get("/reports/region/slaskie/").content.decode()

    link = re.search(r'href="(/reports/requests/new/\?[^"]+)"', page).group(1)
    assert "language=pl" in link
    assert f"campaign={world.self_campaign.pk}" in link
    assert f"campaign={world.demand_campaign.pk}" in link


def test_the_results_index_leads_to_the_reports(client_as, world):
    page = client_as("coordinator").get("/reports/").content.decode()

    assert 'href="/reports/requests/"' in page


def test_the_consortium_wide_dashboard_has_no_regional_report_link(
    client_as, consortium_coordinator
):
    from tests.factories.surveys import CampaignFactory

    campaign = CampaignFactory(region=None, title="Everyone 2026")
    for _ in range(5):
        ResponseFactory(campaign=campaign, respondent=None, submitted_at=timezone.now())

    response = client_as("consortium_coordinator").get("/reports/consortium/")

    assert response.status_code == 200
    assert "/reports/requests/new/" not in response.content.decode()
