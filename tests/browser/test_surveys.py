"""Answering a survey in the browser: the issue's story of an invited respondent.

A new person is invited by email to an invitation-only campaign. They follow the personal
link, are sent to sign in, sign up with the invited address (verified by an emailed code),
consent and answer two pages; they close the browser. In a new browser they sign in by
password, follow the link again and land where they stopped; they finish, submit, see their
profile (chart and table) and download it as a PDF.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from surveys.models import (
    Campaign,
    Invitation,
    Response,
    Survey,
)
from tests.factories.surveys import small_framework

from .conftest import BROWSER_TEST, TIMEOUT_MS
from .test_accounts import emailed_code

pytestmark = BROWSER_TEST

EMAIL = "invited.person@example.org"
PASSWORD = "competence-profile-2026"


def make_campaign(access=Campaign.Access.INVITATION, *, opens_in_days=-1, closes_in_days=14):
    survey = Survey.objects.create(
        framework=small_framework(per_area=2),
        kind=Survey.Kind.SELF_ASSESSMENT,
        title="Self-assessment",
    )
    now = timezone.now()
    return Campaign.objects.create(
        survey=survey,
        title="Śląskie competences 2026",
        opens_at=now + dt.timedelta(days=opens_in_days),
        closes_at=now + dt.timedelta(days=closes_in_days),
        access=access,
        privacy_notice="We keep your answers for the SOCORE project only.",
        privacy_notice_version="2026-1",
    )


def new_page(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(locale="en-GB", base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


def fill_background(page: Page) -> None:
    for name in ("organisation_type", "role", "experience"):
        page.locator(f"select[name='{name}']").select_option(index=1)


def rate_every_competence(page: Page) -> None:
    """The third level of every scale on the page (one radio group per scale)."""
    groups = page.locator("fieldset.rating")
    for index in range(groups.count()):
        groups.nth(index).get_by_role("radio").nth(2).check()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_an_invited_person_signs_up_answers_in_two_sittings_and_gets_the_profile(
    browser, live_server
):
    campaign = make_campaign()
    invitation = Invitation.objects.create(campaign=campaign, email=EMAIL, name="Invited Person")
    link = f"/surveys/i/{invitation.token}/"

    # First sitting: sign up from the invitation link ---------------------------------------
    page = new_page(browser, live_server.url)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))
    page.get_by_label("Code").fill(emailed_code(EMAIL))
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    # Verified and signed in, straight back at the link: the consent page.
    expect(page).to_have_url(re.compile(rf"{re.escape(link)}$"))
    expect(heading(page)).to_have_text("Before you start: your consent")
    expect(page.get_by_text("We keep your answers for the SOCORE project only.")).to_be_visible()
    page.get_by_role("button", name="I agree").click()

    expect(heading(page)).to_have_text("About you")
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()
    fill_background(page)
    page.get_by_role("button", name="Next").click()

    expect(heading(page)).to_have_text("Area number 0")
    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    rate_every_competence(page)
    page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Area number 1")
    page.context.close()  # the browser is closed

    response = Response.objects.get(campaign=campaign)
    assert response.respondent.email == EMAIL
    assert response.invitation_id == invitation.pk
    assert response.answers.count() == 2
    invitation.refresh_from_db()
    assert invitation.user_id == response.respondent_id

    # Second sitting: a new browser, sign in by password, the link again --------------------
    page = new_page(browser, live_server.url)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/surveys/responses/{response.pk}/pages/3/$"))
    expect(heading(page)).to_have_text("Area number 1")
    expect(page.get_by_text("Page 3 of 3")).to_be_visible()

    # The earlier answers are still there.
    page.get_by_role("button", name="Back").click()
    expect(heading(page)).to_have_text("Area number 0")
    checked = page.locator("fieldset.rating input[type=radio]:checked")
    expect(checked).to_have_count(4)
    page.get_by_role("button", name="Next").click()

    expect(heading(page)).to_have_text("Area number 1")
    rate_every_competence(page)
    page.get_by_role("button", name="Submit").click()

    # The profile: chart, table and PDF -------------------------------------------------------
    expect(page).to_have_url(re.compile(rf"/surveys/results/{response.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("Thank you: your answers are submitted.")
    expect(heading(page)).to_contain_text("Your results: Śląskie competences 2026")
    expect(page.locator(".chart-figure svg")).to_be_visible()
    table = page.locator("table.profile-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Competence 1-1")
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my profile (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"my-profile-{response.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.context.close()


@pytest.fixture(autouse=True)
def _no_leftover_contexts(browser):
    yield
    for context in browser.contexts:
        context.close()
