"""A regional coordinator asks for the region's report, watches it being made by a real
worker, downloads it; another region's coordinator cannot open it. axe and the 320 px
layout on every report page."""

import re

import pytest
from playwright.sync_api import expect

from surveys import reports
from surveys.models import ReportRequest
from tests.report_factories import build_world
from tests.test_report_worker import started_worker

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
    expect(page.get_by_label("Region")).to_have_value("slaskie")
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
    from tests.factories import PASSWORD

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
    pending, _ = reports.request_report(
        user=coordinator, region=world.region, campaigns=world.campaigns, language="en"
    )
    failed = reports.render_again(pending, coordinator)
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
