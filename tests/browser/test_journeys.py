"""Each role from the home page to its next task, as a first-time user would go, by the names
on the screen and never by typing an address: at 1280 px and at 390 px (a phone), with axe.

- a respondent signs in and continues the survey where they stopped;
- the header stays one line for a coordinator at 1280 px, and folds behind "Menu" at 390 px;
- partner staff describe a practice, are told which fields are missing, and reach each one
  from the list;
- a coordinator goes from the home page to the review queue.
"""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Campaign, Response
from tests.factories.practices import PracticeFactory

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations
from .test_surveys import fill_background, heading, make_campaign

pytestmark = BROWSER_TEST

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def width(request, page):
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 844})
    return WIDTHS[request.param]


def open_menu(page, width: int):
    """On a phone the menu is behind its button; on a desktop it is already there."""
    if width < 640:
        page.get_by_role("button", name="Menu").click()
    return page.get_by_role("navigation", name="Main")


def test_a_respondent_signs_in_and_continues_where_they_stopped(page, sign_in, respondent, width):
    campaign = make_campaign(Campaign.Access.OPEN)
    sign_in(respondent)
    # The campaign's link, as the respondent received it.
    page.goto(f"/surveys/c/{campaign.link_token}/")
    page.get_by_role("button", name="I agree").click()
    fill_background(page)
    page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Area number 0")
    page.get_by_role("button", name="Save and continue later").click()
    expect(page.locator(".messages")).to_be_visible()

    # Later, from anywhere: the home page, then Continue.
    page.get_by_role("link", name=re.compile("SOCORE")).first.click()
    todo = page.get_by_role("region", name="Surveys waiting for you")
    expect(todo).to_contain_text("Śląskie competences 2026")
    assert_no_serious_violations(page)
    todo.get_by_role("link", name=re.compile("^Continue")).click()
    expect(heading(page)).to_have_text("Area number 0")
    response = Response.objects.get(campaign=campaign)
    assert response.status == Response.Status.IN_PROGRESS

    # And from the menu: "Your surveys" lists it with the same way back.
    open_menu(page, width).get_by_role("link", name="Your surveys").click()
    row = page.get_by_role("row", name=re.compile("Śląskie competences 2026"))
    expect(row.get_by_role("link", name=re.compile("^Continue"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_serious_violations(page)


def test_the_header_is_one_line_on_a_desktop_and_folds_on_a_phone(
    page, sign_in, coordinator, width
):
    sign_in(coordinator, totp=True)
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    nav = page.get_by_role("navigation", name="Main")
    if width >= 1280:
        # Every item on one line: the main menu is no taller than one item.
        item = nav.get_by_role("link", name="Good practices").bounding_box()
        assert nav.bounding_box()["height"] < 2 * item["height"] + 8
    else:
        # Folded: the header takes at most a sixth of the screen, the menu is hidden.
        assert header["height"] <= 844 / 6
        expect(nav).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        expect(nav).to_be_visible()
    assert_no_serious_violations(page)

    # The tasks of the role, in "Your work".
    nav.get_by_text("Your work").click()
    nav.get_by_role("link", name="Campaigns").click()
    expect(heading(page)).to_have_text("Survey campaigns")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_partner_staff_are_led_to_each_missing_field(page, sign_in, staff, width):
    sign_in(staff)
    page.goto("/")
    page.get_by_role("link", name="Describe a good practice").click()
    page.get_by_label("Title").fill("Mentoring for laboratory managers")
    page.get_by_role("button", name="Save and submit for review").click()

    expect(page.get_by_text("Saved, but not submitted yet")).to_be_visible()
    missing = page.get_by_role("alert")
    expect(missing).to_contain_text("Before it can be submitted for review, fill in:")
    assert_no_serious_violations(page)
    missing.get_by_role("link", name="Evidence of success").click()
    evidence = page.get_by_label("Evidence of success")
    expect(evidence).to_be_focused()
    expect(evidence).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_value("Mentoring for laboratory managers")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_coordinator_goes_from_the_home_page_to_what_waits_for_review(
    page, sign_in, coordinator, width
):
    PracticeFactory(status="submitted", title="Science-business speed dating")
    sign_in(coordinator, totp=True)
    page.goto("/")
    card = page.get_by_role("listitem").filter(has_text="I coordinate a region")
    card.get_by_role("link", name="Review: 1 waiting").click()
    expect(page.get_by_role("link", name="Science-business speed dating")).to_be_visible()
    assert_no_serious_violations(page)
