"""The progress report: asked for on /impact/, made by the report pipeline (the unit of work
`pipeline.run` called directly, as the reports tests do), as CSV, XLSX and PDF, of one region
or of the consortium; the reports pages and their access checks for a report without a
region; the regional report form does not offer it."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity
from surveys.models import ReportRequest
from surveys.models.reports import private_storage
from surveys.reports import pipeline
from surveys.reports.forms import ReportRequestForm
from tests.conftest import row_counts
from tests.factories.activities import ActivityFactory, FollowUpFactory, ParticipantFactory
from tests.factories.reports import pdf_text

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2025-05-01", "end": "2025-10-31"}


@pytest.fixture
def world(hu):
    visit = ActivityFactory(
        title="Study visit to the Silesian Science Park",
        starts_on=datetime.date(2025, 6, 10),
        ends_on=datetime.date(2025, 6, 11),
        status=Activity.Status.HELD,
    )
    ActivityFactory(
        title="Utrecht stakeholder meeting",
        kind=Activity.Kind.STAKEHOLDER_MEETING,
        host_partner=hu,
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2025, 9, 1),
        status=Activity.Status.HELD,
    )
    for number in range(3):
        participant = ParticipantFactory(
            activity=visit, name=f"Anna {number}", email=f"anna{number}@example.org"
        )
        FollowUpFactory(
            participant=participant,
            sent_at=timezone.now(),
            answered_at=timezone.make_aware(datetime.datetime(2025, 6, 20)),
            capacity_increased="large" if number else "no",
            met_practices=4,
        )
    return visit


def make(user, kind, region=None, capture=None):
    report, _existing = pipeline.request_report(
        user=user, region=region, campaigns=[], filters=PERIOD, language="en", kind=kind
    )
    assert pipeline.run(report.pk, f"task-{kind}") == ReportRequest.Status.DONE
    report.refresh_from_db()
    return report


def stored(report) -> bytes:
    with private_storage().open(report.file, "rb") as handle:
        return handle.read()


def test_the_consortium_pdf_shows_the_indicators_activities_and_the_period(
    consortium_coordinator, world, private_root, tmp_path
):
    report = make(consortium_coordinator, "progress_pdf")
    text = " ".join(pdf_text(stored(report), tmp_path).split())  # table cells wrap
    assert "SOCORE PROGRESS REPORT" in text  # the kicker is in capitals
    assert "All regions" in text
    assert "Study visit to the Silesian Science Park" in text
    assert "Utrecht stakeholder meeting" in text
    assert "People with increased professional capacity" in text
    assert "Anna" not in text  # no names
    assert report.download_name() == "socore-consortium-progress-pdf-v1.pdf"
    assert str(report) == "Progress report (PDF) · All regions · v1"


def test_a_regional_xlsx_holds_its_region_only_with_a_sheet_per_section(
    coordinator, slaskie, world, private_root
):
    report = make(coordinator, "progress_xlsx", region=slaskie)
    workbook = load_workbook(io.BytesIO(stored(report)), read_only=True)
    assert workbook.sheetnames[:3] == ["Activities", "Participants by type", "Indicators"]
    activities = list(workbook["Activities"].values)
    titles = {row[3] for row in activities if len(row) > 3}
    assert "Study visit to the Silesian Science Park" in titles
    assert "Utrecht stakeholder meeting" not in titles
    indicators = {row[0]: row for row in workbook["Indicators"].values}
    assert indicators["Study visits"][2] == 1
    assert indicators["People with increased professional capacity"][2] == 2
    survey = list(workbook["Capacity survey"].values)
    assert ("My professional capacity increased", "To a large degree", 2) in survey


def test_the_csv_has_every_section(consortium_coordinator, world, private_root):
    report = make(consortium_coordinator, "progress_csv")
    text = stored(report).decode("utf-8-sig")
    for title in [
        "Activities",
        "Participants by type",
        "Indicators",
        "Capacity survey",
        "Good practices published",
        "Policy briefs published",
    ]:
        assert f"\r\n{title}\r\n" in text
    assert "Stakeholder group member" in text


def test_asking_on_impact_makes_a_queued_request_and_its_page_works_without_a_region(
    client_as, consortium_coordinator, world, django_capture_on_commit_callbacks
):
    client = client_as("consortium_coordinator")
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("impact:export"),
            {**PERIOD, "region": "", "kind": "progress_csv", "language": "en"},
        )
    report = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.region is None and report.filters == PERIOD
    page = client.get(report.get_absolute_url()).content.decode()
    assert "All regions" in page and "2025-05-01" in page
    assert "All regions" in client.get(reverse("reports:list")).content.decode()


def test_a_regional_coordinator_cannot_ask_for_a_consortium_or_another_region_s_report(
    client_as, coordinator, consortium_coordinator, world
):
    client = client_as("coordinator")
    before = row_counts()
    for region in ["", "utrecht"]:
        response = client.post(
            reverse("impact:export"),
            {**PERIOD, "region": region, "kind": "progress_pdf", "language": "en"},
        )
        assert response.status_code == 400
        assert response.context["export_form"].errors["region"]
    assert row_counts() == before
    response = client.post(
        reverse("impact:export"), {**PERIOD, "end": "2024-01-01", "kind": "x", "language": "en"}
    )
    assert response.status_code == 400
    assert set(response.context["export_form"].errors) >= {"end", "kind", "region"}
    consortium_report, _existing = pipeline.request_report(
        user=consortium_coordinator,
        region=None,
        campaigns=[],
        filters=PERIOD,
        language="en",
        kind="progress_pdf",
    )
    assert client.get(consortium_report.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:download", args=[consortium_report.pk])).status_code == 404
    listed = client.get(reverse("reports:list")).content.decode()
    assert consortium_report.get_absolute_url() not in listed


def test_a_consortium_report_is_not_made_for_someone_no_longer_consortium_coordinator(
    consortium_coordinator, world, private_root
):
    report, _existing = pipeline.request_report(
        user=consortium_coordinator,
        region=None,
        campaigns=[],
        filters=PERIOD,
        language="en",
        kind="progress_pdf",
    )
    consortium_coordinator.memberships.update(is_consortium_coordinator=False)
    assert pipeline.run(report.pk, "task-1") == ReportRequest.Status.FAILED


def test_the_same_progress_report_is_reused_until_the_data_changes(consortium_coordinator, world):
    def ask():
        return pipeline.request_report(
            user=consortium_coordinator,
            region=None,
            campaigns=[],
            filters=PERIOD,
            language="en",
            kind="progress_csv",
        )

    first, _existing = ask()
    again, existing = ask()
    assert existing and again.pk == first.pk
    ParticipantFactory(activity=world)
    newer, existing = ask()
    assert not existing and newer.version == 2


def test_the_regional_report_form_does_not_offer_the_progress_reports(coordinator):
    kinds = {value for value, _label in ReportRequestForm(user=coordinator).fields["kind"].choices}
    assert kinds and not kinds & {"progress_pdf", "progress_xlsx", "progress_csv"}


def test_a_consortium_report_is_downloaded_and_emailed_under_all_regions(
    client_as, consortium_coordinator, world, private_root, mailoutbox
):
    report = make(consortium_coordinator, "progress_csv")
    response = client_as("consortium_coordinator").get(
        reverse("reports:download", args=[report.pk])
    )
    assert response.status_code == 200
    assert "socore-consortium-progress-csv-v1.csv" in response["Content-Disposition"]
    assert pipeline.email_outcome(report)
    assert mailoutbox[-1].subject == "[SOCORE] Your report is ready: All regions"
