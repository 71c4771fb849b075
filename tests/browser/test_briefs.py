"""Policy briefs in the browser: the issue's story, and axe on every page of the briefs.

Partner staff of the Province of Silesia writes a brief, cites a published good practice
and a survey finding, and submits it; the consortium coordinator publishes it; a visitor
finds it in the listing, reads the key messages and the finding's live figures (suppressed:
four respondents), and downloads the PDF.
"""

import collections
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from playwright.sync_api import Page, expect

from practices.models import BriefStatus, BriefVersion, PolicyBrief
from surveys.models import Competence, Framework, Survey
from tests.conftest import unavailable
from tests.factories.briefs import BriefFactory
from tests.factories.practices import PracticeFactory
from tests.factories.surveys import CampaignFactory, SurveyFactory, self_assessment

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations, assert_reflows_at_narrowest
from .test_practices import (  # noqa: F401 - fixtures
    eager_celery,
    exactly,
    message,
    new_page,
    sign_in_on,
    tags,
)

pytestmark = BROWSER_TEST

SUPPRESSED_TEXT = "fewer than 5 responses"
PRACTICE = "Science-business speed dating"


@pytest.fixture
def evidence(tags):  # noqa: F811
    """A published practice, and a Śląskie campaign with four submitted self-assessments."""
    practice = PracticeFactory(status="published", title=PRACTICE)
    framework = Framework.objects.current()
    negotiating = Competence.objects.get(area__framework=framework, code="2.3")
    campaign = CampaignFactory(
        survey=SurveyFactory(framework=framework, kind=Survey.Kind.SELF_ASSESSMENT),
        title="Śląskie self-assessment 2026",
    )
    for current, importance in [(2, 5), (1, 4), (2, 4), (3, 5)]:
        self_assessment(campaign, {negotiating: (current, importance)})
    return practice, campaign


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        unavailable("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "brief.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


def test_a_brief_goes_from_draft_to_the_public_listing_and_its_pdf(
    page,
    sign_in,
    new_page,  # noqa: F811
    staff,
    consortium_coordinator,
    evidence,
    eager_celery,  # noqa: F811
    tmp_path,
):
    practice, campaign = evidence
    sign_in(staff)
    page.goto("/briefs/")
    page.get_by_role("link", name="Write a policy brief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a policy brief")
    page.get_by_label(exactly("Title")).fill("Teach negotiation to transfer staff")
    page.get_by_label(exactly("Audience")).fill("Regional innovation strategy managers")
    page.get_by_label(exactly("Key messages")).fill(
        "Negotiation is the weakest link.\nFund short, practical training."
    )
    text = page.get_by_label(exactly("Text (Markdown)"))
    text.fill("## Evidence\n\nStaff rate negotiation low.\n\n<script>alert(1)</script>")
    page.get_by_label(exactly("Authors")).fill("Marta Nowak")
    page.get_by_role("group", name="Good practices cited").get_by_label(PRACTICE).check()

    # Before any save: the cursor after "low", then cite the finding there.
    text.press("Control+Home")
    for key in ("ArrowDown", "ArrowDown", "End", "ArrowLeft"):
        text.press(key)
    findings = page.get_by_role("region", name="Findings cited")
    findings.get_by_label("Self-assessment campaign").select_option(label=campaign.title)
    findings.get_by_label(exactly("Competence")).select_option("2.3")
    findings.get_by_role("button", name="Cite this finding").click()
    expect(message(page, "Finding F1 added and [F1] written in the text.")).to_be_visible()
    brief = PolicyBrief.objects.get()
    expect(page.get_by_label(exactly("Text (Markdown)"))).to_have_value(
        "## Evidence\n\nStaff rate negotiation low[F1].\n\n<script>alert(1)</script>"
    )
    expect(page.get_by_label(exactly("Audience"))).to_have_value(
        "Regional innovation strategy managers"
    )
    page.get_by_role("button", name="Save and submit for review").click()
    expect(message(page, "Submitted for review.")).to_be_visible()
    brief.refresh_from_db()
    assert brief.status == BriefStatus.IN_REVIEW

    publisher = sign_in_on(new_page(), consortium_coordinator, totp=True)
    publisher.goto(f"/briefs/{brief.pk}/")
    publisher.get_by_role("button", name="Publish", exact=True).click()
    # Published, the brief leaves the queue: nothing else waits for the consortium coordinator.
    expect(message(publisher, "is now “Published”. Nothing else is waiting.")).to_be_visible()
    expect(publisher).to_have_url(re.compile(r"/practices/review/$"))

    visitor = new_page()
    visitor.goto("/briefs/")
    visitor.get_by_role("link", name="Teach negotiation to transfer staff").click()
    expect(visitor.get_by_role("region", name="Key messages")).to_contain_text(
        "Fund short, practical training."
    )
    body = visitor.locator(".brief__body")
    expect(body).to_contain_text("<script>alert(1)</script>")
    expect(body.get_by_role("link", name="[F1]")).to_be_visible()
    expect(body).to_contain_text(SUPPRESSED_TEXT)
    expect(visitor.locator("#finding-1")).to_contain_text("Negotiating agreements")
    expect(visitor.get_by_role("region", name="Good practices cited")).to_contain_text(PRACTICE)
    assert_no_serious_violations(visitor)

    pdf_url = visitor.get_by_role("link", name="PDF").get_attribute("href")
    response = visitor.request.get(pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body(), tmp_path)
    assert "Negotiation is the weakest link." in text and "Fund short, practical training." in text
    assert SUPPRESSED_TEXT in text and PRACTICE in text
    assert f"/practices/{practice.pk}/" in text


# axe and reflow on every page ------------------------------------------------------------


@pytest.fixture
def briefs(staff, coordinator, evidence):
    practice, campaign = evidence
    published = BriefFactory(created_by=staff, status=BriefStatus.PUBLISHED, body="Text [F1].")
    published.practices.set([practice])
    negotiating = Competence.objects.get(area__framework=campaign.survey.framework, code="2.3")
    published.findings.create(
        campaign=campaign, region=campaign.region, competence=negotiating, position=1
    )
    in_review = BriefFactory(created_by=staff, status=BriefStatus.IN_REVIEW)
    in_review.comment(by=coordinator, comment="Name the programme priority.")
    BriefVersion.objects.create(
        brief=in_review,
        number=1,
        content=in_review.snapshot() | {"audience": "Mayors"},
        saved_by=staff,
    )
    draft = BriefFactory(created_by=staff)
    draft.findings.create(
        campaign=campaign, region=campaign.region, competence=negotiating, position=1
    )
    return {"published": published.pk, "in_review": in_review.pk, "draft": draft.pk}


def too_many_key_messages(page: Page) -> None:
    page.get_by_label(exactly("Key messages")).fill("\n".join(f"M{n}" for n in range(7)))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("At most 5 key messages, one per line.")).to_be_visible()


def comment_without_text(page: Page) -> None:
    page.get_by_role("button", name="Add a review comment").click()
    expect(page.get_by_text("Please say why")).to_be_visible()


CASES = [
    ("list", "visitor", "/briefs/", None),
    ("list-filtered", "visitor", "/briefs/?region=utrecht&area=A2", None),
    ("detail-published", "visitor", "/briefs/{published}/", None),
    ("detail-for-the-author", "staff", "/briefs/{in_review}/", None),
    ("detail-review-with-error", "coordinator", "/briefs/{in_review}/", comment_without_text),
    ("create", "staff", "/briefs/new/", None),
    ("edit-with-finding-and-error", "staff", "/briefs/{draft}/edit/", too_many_key_messages),
    ("mine", "staff", "/briefs/mine/", None),
    ("mine-coordinator", "coordinator", "/briefs/mine/", None),
    ("version-diff", "staff", "/briefs/{in_review}/versions/1/", None),
]


@pytest.mark.parametrize(("case_id", "role", "path", "reach"), CASES, ids=[c[0] for c in CASES])
def test_brief_page_has_no_serious_axe_violations_and_reflows_at_320px(
    case_id, role, path, reach, briefs, page, request, sign_in
):
    if role != "visitor":
        user = request.getfixturevalue(role)
        sign_in(user, totp=user.authenticator_set.filter(type="totp").exists())
    response = page.goto(path.format(**briefs))
    assert response is not None and response.status == 200
    if reach:
        reach(page)
    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)


def test_every_page_of_the_briefs_app_has_a_case_above():
    """Not pages: the feed and the PDF; findings, removal and transitions answer a POST."""
    from practices.briefs.urls import urlpatterns

    not_pages = {"feed", "pdf", "add_finding", "remove_finding", "transition"}
    ids = collections.defaultdict(lambda: 1)
    covered = {resolve(urlsplit(path.format_map(ids)).path).url_name for _, _, path, _ in CASES}
    assert covered | not_pages == {pattern.name for pattern in urlpatterns}
    assert not covered & not_pages
