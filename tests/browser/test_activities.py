"""Activities in the browser: partner staff of the Province of Silesia propose a study visit
(the last day before the first is refused next to the field, with what was typed kept); the
regional coordinator of Śląskie confirms it; a visitor then finds it in the list, filtered
by kind, and opens its page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

TITLE = "Study visit to the Silesian science park"


@pytest.mark.usefixtures("live_server")
def test_staff_propose_a_coordinator_confirms_a_visitor_finds_it(page, sign_in, staff, coordinator):
    first_day = timezone.localdate() + datetime.timedelta(days=20)
    sign_in(staff)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Activities").click()
    page.get_by_role("link", name="Propose an activity").click()

    page.get_by_label("Kind").select_option(label="Study visit")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("First day").fill(first_day.isoformat())
    page.get_by_label("Last day").fill((first_day - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Place").fill("Katowice")
    page.get_by_role("button", name="Propose the activity").click()

    expect(page.locator(".field--error")).to_contain_text(
        "The last day cannot be before the first day."
    )
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    page.get_by_label("Last day").fill((first_day + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Propose the activity").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("awaiting confirmation")
    activity = Activity.objects.get(title=TITLE)
    assert not activity.is_confirmed

    page.context.clear_cookies()
    sign_in(coordinator, totp=True)
    page.goto(f"/activities/{activity.pk}/")
    page.get_by_role("button", name="Confirm the activity").click()
    expect(page.get_by_role("main")).to_contain_text("Confirmed by the host region")

    page.context.clear_cookies()
    page.goto("/activities/")
    page.get_by_label("Kind").select_option(label="Study visit")
    page.get_by_role("button", name="Show activities").click()
    expect(page).to_have_url(re.compile(r"kind=study_visit"))
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).not_to_contain_text("awaiting confirmation")
