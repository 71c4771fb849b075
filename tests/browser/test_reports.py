"""A regional coordinator asks for the region's report, watches it being made by a real
worker, downloads it; another region's coordinator cannot open it. axe and the 320 px
layout on every report page."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import ReportRequest
from surveys.reports import pipeline
from tests.factories.reports import build_world
from tests.surveys.reports.test_worker import started_worker

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations, assert_reflows_at_narrowest

pytestmark = [*BROWSER_TEST, pytest.mark.worker]


def test_a_coordinator_requests_watches_and_downloads_the_report(
    page, sign_in, coordinator, other_coordinator, browser, live_server
):
    world = build_world()
    sign_in(coordinator, totp=True)
    # The dashboard's "Request a report" link, prefilled.
    page.goto(
        f"/reports/requests/new/?region=slaskie&campaign={world.self_campaign.pk}"
        f"&campaign={world.demand_campaign.pk}"
    )
    expect(page.get_by_role("combobox", name="Region")).to_have_value("slaskie")
    expect(page.get_by_label(re.compile("Śląskie staff 2026"))).to_be_checked()
    assert_no_serious_violations(page)

    with started_worker():
        page.get_by_role("button", name="Request the report").click()
        expect(page.get_by_text("Your report is on its way.")).to_be_visible()
        report = ReportRequest.objects.get()
        expect(page).to_have_url(re.compile(rf"/reports/requests/{report.pk}/$"))
        assert_no_serious_violations(page)
        # htmx polls the status until the worker has finished; no reload.
        download = page.get_by_role("link", name=re.compile(r"^Download \("))
        expect(download).to_be_visible(timeout=90_000)
    expect(page.locator("#report-status")).to_contain_text("Ready")
    assert_no_serious_violations(page)

    with page.expect_download() as download_info:
        download.click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download_info.value.suggested_filename == "socore-slaskie-report-pdf-v1.pdf"

    # Another region's coordinator: the page and the file do not exist for them.
    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto("/accounts/login/")
    other.get_by_label("Email").fill(other_coordinator.email)
    from tests.factories.accounts import PASSWORD

    from .conftest import totp_code

    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("main").get_by_role("button", name="Sign in").click()
    other.get_by_label("Code").fill(totp_code())
    other.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(other).not_to_have_url(re.compile(r"/accounts/"))
    assert other.goto(f"/reports/requests/{report.pk}/").status == 404
    assert other.goto(f"/reports/requests/{report.pk}/download/").status == 404
    other.context.close()


def test_report_pages_pass_axe_and_reflow(page, sign_in, coordinator):
    world = build_world(respondents=6)
    pending, _ = pipeline.request_report(
        user=coordinator, region=world.region, campaigns=world.campaigns, language="en"
    )
    failed = pipeline.render_again(pending, coordinator)
    ReportRequest.objects.filter(pk=failed.pk).update(
        status=ReportRequest.Status.FAILED, error="The report could not be made."
    )
    sign_in(coordinator, totp=True)

    for path in (
        "/reports/requests/",
        "/reports/requests/new/",
        f"/reports/requests/{pending.pk}/",
        f"/reports/requests/{failed.pk}/",
    ):
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.goto(path).status == 200
        assert_no_serious_violations(page)
        assert_reflows_at_narrowest(page)

    # The form with its errors shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/reports/requests/new/")
    page.get_by_role("button", name="Request the report").click()
    expect(page.get_by_text("Please correct the fields marked below.")).to_be_visible()
    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)


def test_from_the_dashboard_to_an_export_of_the_answers(page, sign_in, coordinator):
    build_world()
    sign_in(coordinator, totp=True)
    page.goto("/reports/region/slaskie/?group=organisation_type:university")
    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Export (CSV, XLSX)").click()
    expect(page.get_by_role("combobox", name="Region")).to_have_value("slaskie")
    expect(page.get_by_label("Results table (XLSX)")).to_be_checked()
    organisation_filter = page.get_by_role(
        "combobox", name=re.compile("type of organisation", re.I)
    )
    expect(organisation_filter).to_have_value("university")
    page.get_by_label("Anonymised answers (XLSX)").check()
    page.get_by_role("button", name="Request the report").click()

    # Both campaigns and the filter came from the dashboard: each refusal by its field.
    expect(page.get_by_text("tick exactly one campaign")).to_be_visible()
    expect(page.get_by_text("add this question as a background column")).to_be_visible()
    expect(page.get_by_label("Anonymised answers (XLSX)")).to_be_checked()
    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label(re.compile("Śląskie employers 2026")).uncheck()
    organisation_filter.select_option("")
    page.get_by_role("group", name="Background columns of the anonymised answers").get_by_label(
        "Role"
    ).check()
    page.get_by_role("button", name="Request the report").click()
    expect(page.get_by_text("Your report is on its way.")).to_be_visible()
    report = ReportRequest.objects.get()
    assert report.filters == {"columns": ["organisation_type", "role"]}

    pipeline.run(report.pk, "task-1")  # the unit of work, as the worker would run it
    page.reload()
    expect(page.get_by_role("link", name=re.compile(r"^Download \("))).to_be_visible()
    expect(page.get_by_text("0 rows, of 12 submitted responses.")).to_be_visible()
    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)
