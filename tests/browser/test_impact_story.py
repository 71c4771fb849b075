"""The impact story end to end, in the browser: a regional coordinator creates a study visit,
imports its participants, marks it held and confirms who came; the capacity survey's email
reaches a participant, who answers it from the link; the indicators move by one; and the
progress report's PDF shows the visit and the person."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from activities import tasks
from activities.models import Activity, CapacityFollowUp
from surveys.models import ReportRequest
from surveys.reports import pipeline
from tests.factories.reports import pdf_text

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations

pytestmark = BROWSER_TEST

PARTICIPANTS = (
    "name;email;organisation;type\n"
    "Ewa Zielińska;ewa.zielinska@example.org;Silesian Science Park;rii_staff\n"
    "Marek Wójcik;marek.wojcik@example.org;Marshal's Office;policy_maker\n"
    "Ewa Zielińska;EWA.ZIELINSKA@example.org;Silesian Science Park;rii_staff\n"
    "no address here;;;rii_staff\n"
)


def slaskie_figures(page) -> list[str]:
    """The Śląskie row of the indicators' table by region: one cell per indicator, in the
    order of `Indicator` (study visits first, people with increased capacity sixth)."""
    table = page.get_by_role("table", name="Achieved value of each indicator in each region")
    row = table.get_by_role("row", name=re.compile("^Śląskie"))
    return [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]


def test_a_study_visit_moves_the_indicators_and_reaches_the_progress_report(
    page, sign_in, coordinator, browser, live_server, tmp_path, private_root, settings
):
    settings.SITE_URL = live_server.url
    sign_in(coordinator, totp=True)
    page.goto("/impact/")
    before = slaskie_figures(page)
    assert before[0] == "0" and before[5] == "0"

    # A study visit that starts today, proposed by the region's coordinator: confirmed at once.
    page.goto("/activities/new/")
    page.get_by_label("Kind").select_option(label="Study visit")
    page.get_by_label("Title").fill("Study visit to the Gliwice technology park")
    today = timezone.localdate()
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("Last day").fill(today.isoformat())
    page.get_by_label("Place").fill("Gliwice")
    page.get_by_role("button", name="Propose the activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Study visit to the Gliwice technology park"
    )
    activity = Activity.objects.get(title="Study visit to the Gliwice technology park")
    assert activity.is_confirmed
    assert_no_serious_violations(page)

    # Participants from a file: one line twice is merged, a line without an address refused.
    page.goto(f"/activities/{activity.pk}/participants/")
    upload = tmp_path / "participants.csv"
    upload.write_text(PARTICIPANTS, encoding="utf-8")
    page.get_by_label("CSV file of participants").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text(re.compile("line 5"))).to_be_visible()
    assert activity.participants.count() == 2
    assert_no_serious_violations(page)

    # Held today; then who came.
    page.goto(f"/activities/{activity.pk}/")
    page.get_by_role("button", name="Mark as held").click()
    page.goto(f"/activities/{activity.pk}/participants/")
    for checkbox in page.get_by_role("checkbox").all():
        checkbox.check()
    page.get_by_role("button", name="Confirm attendance").click()
    expect(page.get_by_text(re.compile("2 of 2 attended"))).to_be_visible()

    # Some days later the beat sends the capacity survey; Ewa answers from her email's link.
    tasks.send_due(
        now=timezone.now() + datetime.timedelta(days=settings.CAPACITY_SURVEY_DAYS_AFTER_HELD + 1)
    )
    (message,) = [m for m in mail.outbox if "ewa.zielinska@example.org" in m.to]
    link = re.search(r"https?://\S+/activities/follow-up/\S+/", message.body).group(0)
    guest = browser.new_context(base_url=live_server.url).new_page()
    guest.goto(link)
    # A guest of an activity in Śląskie reads the survey in Polish.
    expect(guest.locator("html")).to_have_attribute("lang", "pl")
    guest.locator("input[name=met_practices][value='4']").check()
    guest.locator("input[name=capacity_increased][value=large]").check()
    guest.locator("textarea[name=most_useful]").fill("Klinika współpracy w parku.")
    guest.locator("textarea[name=most_useful]").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    expect(guest.locator("textarea[name=most_useful]")).to_have_count(0)
    answer = CapacityFollowUp.objects.get(participant__email="ewa.zielinska@example.org")
    assert (answer.capacity_increased, answer.most_useful) == (
        "large",
        "Klinika współpracy w parku.",
    )
    assert_no_serious_violations(guest)
    guest.context.close()

    # The indicators: one more study visit, one more person with increased capacity.
    # (The coordinator's own region is exact; the all-region total is in steps of 5.)
    page.goto("/impact/")
    after = slaskie_figures(page)
    assert (after[0], after[5]) == ("1", "1")
    assert after[1:5] == before[1:5]
    assert_no_serious_violations(page)

    # The progress report of this half-year, as a PDF, made by the report pipeline.
    page.get_by_label(re.compile("PDF")).check()
    page.get_by_role("button", name="Make the progress report").click()
    report = ReportRequest.objects.get()
    pipeline.run(report.pk, "story")
    page.goto(f"/reports/requests/{report.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download \(")).click()
    with open(download_info.value.path(), "rb") as handle:
        text = " ".join(pdf_text(handle.read(), tmp_path).split())
    assert "Study visit to the Gliwice technology park" in text
    # Indicator, target, achieved: a region's report has no target of its own
    # (the commitments are the consortium's), so its target and share read "–".
    assert re.search(r"Study visits – 1 –", text), text[:1500]
