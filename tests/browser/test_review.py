"""The review queue in the browser, at 1280 px, by the names on the screen: a regional
coordinator follows the header's "Review" link to a policy brief waiting for them, sends it
back to its authors, lands on the next record waiting (a good practice), approves it and is
told that nothing else waits. axe runs on each page on the way.
"""

import re

import pytest
from playwright.sync_api import expect

from practices.models import BriefStatus, Status
from tests.factories.briefs import BriefFactory
from tests.factories.practices import PracticeFactory

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations
from .test_practices import eager_celery, exactly, fill_rubric, message, tags  # noqa: F401 - fixtures

pytestmark = BROWSER_TEST

BRIEF = "Negotiation skills for transfer offices"
PRACTICE = "Cooperation clinics for laboratories"


@pytest.mark.usefixtures("tags", "eager_celery")
def test_a_coordinator_goes_from_the_review_link_to_a_brief_decides_and_lands_on_the_next(
    page, sign_in, staff, coordinator
):
    brief = BriefFactory(created_by=staff, title=BRIEF)
    brief.submit(by=staff)
    practice = PracticeFactory(created_by=staff, title=PRACTICE)
    practice.submit(by=staff)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(coordinator, totp=True)

    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name=re.compile(r"^Review\s+2\s+waiting$")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for your review")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Policy brief")
    expect(rows.nth(1)).to_contain_text("Regional review")
    expect(rows.nth(2)).to_contain_text("Good practice")
    assert_no_serious_violations(page)
    rows.nth(1).get_by_role("link", name=BRIEF).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(BRIEF)
    review = page.get_by_role("region", name="Your next step")
    review.get_by_label(exactly("Comment")).fill("Name the programme line that would pay for it.")
    review.get_by_role("button", name="Request changes (back to draft)").click()

    expect(page).to_have_url(re.compile(rf"/practices/{practice.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PRACTICE)
    expect(message(page, f"Done: “{BRIEF}” is now “Draft”.")).to_be_visible()
    expect(message(page, f"Next waiting for you: “{PRACTICE}”.")).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile(r"^Review\s+1\s+waiting$"))).to_be_visible()
    assert_no_serious_violations(page)
    brief.refresh_from_db()
    assert brief.status == BriefStatus.DRAFT
    assert brief.steps.last().comment == "Name the programme line that would pay for it."

    review = page.get_by_role("region", name="Your next step")
    fill_rubric(review, (4, 4, 5), "Regional review")
    review.get_by_role("button", name="Approve for the region").click()

    expect(page).to_have_url(re.compile(r"/practices/review/$"))
    expect(message(page, "Nothing else is waiting.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    assert_no_serious_violations(page)
    practice.refresh_from_db()
    assert practice.status == Status.APPROVED
