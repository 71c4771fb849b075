"""axe-core and the 320 px layout on every page of the good practices, as the role that sees it.

The same rules as test_accessibility.py: no axe violation of impact "serious" or "critical",
no horizontal scrolling in a 320 px wide window (WCAG 1.4.10 Reflow). Each page is opened in
the state that shows most of it: results and a selected filter, the review form with the
rubric, a trail with comments and scores, a form with errors, an attachment, a diff.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import resolve
from playwright.sync_api import Page, expect

from practices.models import Attachment, Status, Theme
from tests.factories.practices import RUBRIC, PracticeFactory

from .conftest import BROWSER_TEST
from .test_accessibility import (
    NARROWEST,
    assert_no_serious_violations,
    assert_reflows_at_narrowest,
)
from .test_practices import PDF, WORD, eager_celery, media, tags  # noqa: F401 - fixtures

pytestmark = BROWSER_TEST


@dataclass
class World:
    published: int
    submitted: int
    reviewed: int  # changes requested after a review with scores, then edited: one version
    draft: int  # with an attachment
    approved: int  # approved for the region, waiting for the consortium's validation


@pytest.fixture
def world(staff, coordinator, consortium_coordinator, tags, eager_celery, media) -> World:  # noqa: F811
    open_innovation = Theme.objects.filter(slug="open-innovation")
    published = PracticeFactory(
        created_by=staff,
        status=Status.PUBLISHED,
        title="Science-business speed dating",
        summary=f"Researchers and firms meet in short {WORD} rounds and plan joint projects.",
        themes=open_innovation,
    )
    for number in range(3):
        PracticeFactory(
            created_by=staff, status=Status.PUBLISHED, title=f"Innovation voucher {number}"
        )
    submitted = PracticeFactory(
        created_by=staff, status=Status.SUBMITTED, title="Mentoring lunches"
    )

    reviewed = PracticeFactory(created_by=staff, title="Industrial PhD matchmaking")
    reviewed.submit(by=staff)
    reviewed.approve(by=coordinator, rubric=RUBRIC, comment="A clear, well-evidenced practice.")
    reviewed.request_changes(
        by=consortium_coordinator,
        comment="Please add the number of PhD candidates who found a company.",
        rubric=RUBRIC,
    )
    before = reviewed.snapshot()
    reviewed.evidence += "\n\nTwelve candidates found a company; nine of them were hired."
    reviewed.save()
    reviewed.keep_version(by=staff, content=before)

    draft = PracticeFactory(created_by=staff, title="Open laboratory days")
    approved = PracticeFactory(created_by=staff, title="Research vouchers for small firms")
    approved.submit(by=staff)
    approved.approve(by=coordinator, rubric=RUBRIC, comment="Ready for validation.")
    for item in (published, draft):
        attachment = Attachment(
            practice=item,
            name="annual-report-2024.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=staff,
        )
        attachment.file.save(attachment.name, ContentFile(PDF), save=False)
        attachment.save()
    return World(published.pk, submitted.pk, reviewed.pk, draft.pk, approved.pk)


@dataclass(frozen=True)
class Case:
    id: str
    role: str  # "visitor" or a fixture of tests/conftest.py
    path: Callable[[World], str] | None = None
    status: int = 200
    reach: Callable[[Page, World], None] | None = None  # after `path`: get to the state
    shows: Callable[[Page], None] | None = None  # the state is the one the case claims


def in_catalogue(page: Page) -> None:
    expect(page.get_by_role("heading", name="4 good practices")).to_be_visible()


def a_result_and_a_selected_filter(page: Page) -> None:
    expect(page.get_by_role("heading", name="1 good practice", exact=True)).to_be_visible()
    expect(page.locator("mark").first).to_have_text(WORD)
    expect(page.locator(".facet__selected")).to_contain_text("Open innovation")


def no_result(page: Page) -> None:
    expect(page.get_by_role("heading", name="0 good practices")).to_be_visible()


def public_practice(page: Page) -> None:
    expect(page.get_by_role("link", name="annual-report-2024.pdf")).to_be_visible()
    expect(page.get_by_role("region", name="Contact")).to_contain_text("Sign in")


def review_form_with_rubric(page: Page) -> None:
    review = page.get_by_role("region", name="Your next step")
    expect(review.get_by_role("group", name=re.compile("Review rubric"))).to_be_visible()
    expect(review.get_by_role("button", name="Approve for the region")).to_be_visible()


def second_review_from_the_first(page: Page) -> None:
    review = page.get_by_role("region", name="Your next step")
    evidence = review.get_by_label(re.compile(r"^Evidence of success:?$"))
    expect(evidence).to_have_value("4")
    expect(evidence).to_have_accessible_description(re.compile(r"^Regional review: 4 — by "))
    expect(review.get_by_role("button", name="Validate and publish")).to_be_visible()


def approve_without_scores(page: Page, world: World) -> None:
    review = page.get_by_role("region", name="Your next step")
    review.get_by_role("button", name="Approve for the region").click()
    expect(page.locator(".messages")).to_contain_text("Please complete the review form.")
    expect(review.get_by_text("Give a score from 1 to 5.")).to_have_count(3)


def trail_with_scores_and_versions(page: Page) -> None:
    trail = page.get_by_role("region", name="Review trail")
    expect(trail.get_by_role("table")).to_have_count(2)
    expect(trail).to_contain_text("Please add the number of PhD candidates")
    versions = page.get_by_role("region", name="Earlier versions")
    expect(versions.get_by_role("link", name="Changes after version 1")).to_be_visible()
    expect(page.get_by_role("button", name="Resubmit")).to_be_visible()


def end_before_start(page: Page, world: World) -> None:
    page.get_by_label("Ongoing").uncheck()
    page.get_by_label(re.compile(r"^End:?$")).fill("2020-01-01")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The end cannot be before the start.")).to_be_visible()
    expect(page.get_by_role("region", name="Attachments")).to_contain_text("annual-report-2024.pdf")


def refused_upload(page: Page, world: World) -> None:
    page.get_by_label("Add files").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"plain text"}]
    )
    page.get_by_role("button", name="Upload").click()
    attachments = page.get_by_role("region", name="Attachments")
    expect(attachments.get_by_role("alert")).to_have_text("Please correct the fields marked below.")


def a_diff(page: Page) -> None:
    expect(page.get_by_role("heading", name="Evidence of success")).to_be_visible()
    expect(page.locator("ins")).to_contain_text(["Twelve candidates found a company"])


def queue_of(count: int) -> Callable[[Page], None]:
    def check(page: Page) -> None:
        expect(page.get_by_role("table").get_by_role("row")).to_have_count(count + 1)

    return check


CASES = [
    Case("catalogue", "visitor", lambda w: "/practices/", shows=in_catalogue),
    Case(
        "catalogue-search-and-filter",
        "visitor",
        lambda w: f"/practices/?q={WORD}&theme=open-innovation",
        shows=a_result_and_a_selected_filter,
    ),
    Case(
        "catalogue-no-result", "visitor", lambda w: "/practices/?q=nothingmatches", shows=no_result
    ),
    Case(
        "catalogue-signed-in",
        "staff",
        lambda w: "/practices/?sort=title&country=PL",
        shows=lambda page: expect(
            page.get_by_role("link", name="Describe a good practice")
        ).to_be_visible(),
    ),
    Case(
        "detail-published", "visitor", lambda w: f"/practices/{w.published}/", shows=public_practice
    ),
    Case(
        "detail-submitted-for-the-reviewer",
        "coordinator",
        lambda w: f"/practices/{w.submitted}/",
        shows=review_form_with_rubric,
    ),
    Case(
        "detail-approved-for-the-second-reviewer",
        "consortium_coordinator",
        lambda w: f"/practices/{w.approved}/",
        shows=second_review_from_the_first,
    ),
    Case(
        "detail-review-with-errors",
        "coordinator",
        lambda w: f"/practices/{w.submitted}/",
        reach=approve_without_scores,
    ),
    Case(
        "detail-trail-for-the-author",
        "staff",
        lambda w: f"/practices/{w.reviewed}/",
        shows=trail_with_scores_and_versions,
    ),
    Case("create", "staff", lambda w: "/practices/new/"),
    Case(
        "edit-with-errors", "staff", lambda w: f"/practices/{w.draft}/edit/", reach=end_before_start
    ),
    Case(
        "edit-refused-upload",
        "staff",
        lambda w: f"/practices/{w.draft}/edit/",
        reach=refused_upload,
    ),
    Case("mine", "staff", lambda w: "/practices/mine/", shows=queue_of(8)),
    Case("review-queue", "coordinator", lambda w: "/practices/review/", shows=queue_of(1)),
    Case(
        "review-queue-consortium",
        "consortium_coordinator",
        lambda w: "/practices/review/",
        shows=queue_of(2),
    ),
    Case("version-diff", "staff", lambda w: f"/practices/{w.reviewed}/versions/1/", shows=a_diff),
    Case(
        "framework",
        "visitor",
        lambda w: "/framework/",
        shows=lambda page: expect(page.locator("dt").first).to_be_visible(),
    ),
]


DUPLICATE_IDS = """
() => {
  const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
  return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
}
"""

# How much of the focused element the sticky form actions cover, in pixels.
FOCUS_HIDDEN_BY_STICKY_ACTIONS = """
() => {
  const focused = document.activeElement;
  const actions = document.querySelector(".form-actions--sticky");
  if (!focused || focused === document.body || actions.contains(focused)) return null;
  const a = focused.getBoundingClientRect(), b = actions.getBoundingClientRect();
  const hidden = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  return hidden ? `${focused.tagName.toLowerCase()}#${focused.id}: ${hidden}px hidden` : null;
}
"""


def sign_in_for(case: Case, request: pytest.FixtureRequest, sign_in) -> None:
    if case.role != "visitor":
        user = request.getfixturevalue(case.role)
        sign_in(user, totp=user.authenticator_set.filter(type="totp").exists())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_practice_page_has_no_serious_axe_violations_and_reflows_at_320px(
    case, world, page, request, sign_in
):
    sign_in_for(case, request, sign_in)
    if case.path:
        path = case.path(world)
        response = page.goto(path)
        assert response is not None
        assert response.status == case.status, f"{path}: HTTP {response.status}"
    if case.reach:
        case.reach(page, world)
    if case.shows:
        case.shows(page)

    assert_no_serious_violations(page)
    # axe only lists duplicate ids as "incomplete"; an error list and its wrapper shared one.
    assert not page.evaluate(DUPLICATE_IDS), f"{page.url}: ids used twice"
    assert_reflows_at_narrowest(page)


@pytest.mark.parametrize("width", [1280, NARROWEST])
def test_the_sticky_form_actions_never_cover_the_focused_field(width, world, page, sign_in, staff):
    """WCAG 2.4.11 Focus Not Obscured: tabbing through the whole form, every field shows."""
    sign_in(staff)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/practices/{world.draft}/edit/")
    page.get_by_label(re.compile(r"^Title:?$")).focus()
    covered = []
    for _field in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "then":
            break  # the first of the form's own buttons: every field was visited
        if hidden := page.evaluate(FOCUS_HIDDEN_BY_STICKY_ACTIONS):
            covered.append(hidden)
    else:
        pytest.fail("tabbing never reached the form's buttons")
    assert not covered, f"at {width} px the sticky actions cover: {covered}"


def test_every_page_of_the_practices_app_has_a_case_above():
    """A new page of the app needs a case here. Not pages: the CSV export, the feed, the
    practice's PDF and the attachment download; the transition, upload and removal URLs answer
    a POST with a redirect (a refused upload shows the edit page: "edit-refused-upload")."""
    from practices.urls import urlpatterns

    not_pages = {"export_csv", "feed", "pdf", "attachment", "transition", "upload"}
    not_pages |= {"delete_attachment"}

    class AnyIds:
        def __getattr__(self, name):
            return 1

    covered = {
        resolve(urlsplit(case.path(AnyIds())).path).url_name
        for case in CASES
        if case.path and resolve(urlsplit(case.path(AnyIds())).path).namespace == "practices"
    }
    assert covered | not_pages == {pattern.name for pattern in urlpatterns}
    assert not covered & not_pages
