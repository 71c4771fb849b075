"""Good practices in the browser: the issue's story from the first draft to the catalogue.

Partner staff of the Province of Silesia describes a practice, attaches a PDF and submits it;
the regional coordinator of Śląskie asks for changes, then approves it with the rubric; the
consortium coordinator validates and publishes it; a visitor finds it in the catalogue,
downloads the PDF and does not see the contact email. A second story: text typed while the
session ran out is kept by the browser and saved after signing in again.

Every actor has a browser context of their own, kept for the whole test (a coordinator signs
in with TOTP once: allauth refuses a code used twice).
"""

import importlib
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string
from playwright.sync_api import Browser, Page, expect

from practices.models import Attachment, GoodPractice, PracticeVersion, Status, Theme
from socore.celery import app as celery_app
from surveys.models import Area, Competence, Framework
from tests.factories.accounts import PASSWORD
from tests.factories.practices import PracticeFactory

from .conftest import BROWSER_TEST, TIMEOUT_MS, totp_code

pytestmark = BROWSER_TEST

WORD = "quasarbridge"
CONTACT_EMAIL = "marta.nowak@example.org"
COMPETENCE = "2.2 Building networks"
THEME = "Open innovation"

# The smallest PDF readers accept: one empty A4 page.
PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


@pytest.fixture
def tags(live_server):
    """The framework and themes of the data migrations, back after a transactional flush."""
    if Framework.objects.current() is None:
        from surveys.framework.default import seed

        seed(Framework, Area, Competence)
    if not Theme.objects.exists():
        migration = importlib.import_module("practices.migrations.0002_unaccent_themes")
        migration.add_tags(apps, None)


@pytest.fixture
def eager_celery():
    """Workflow emails are sent in the live server's thread: no worker needed."""
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to this test's directory, not to the machine's media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def sign_in_on(page: Page, user, *, totp: bool = False) -> Page:
    """The sign-in form (and its TOTP step) on this page; like conftest's `sign_in`."""
    page.goto("/accounts/login/")
    fill_sign_in(page, user, totp=totp)
    return page


def fill_sign_in(page: Page, user, *, totp: bool = False) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    if totp:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(user.get_short_name())


@pytest.fixture
def new_page(browser: Browser, live_server) -> Callable[[], Page]:
    """`new_page()`: a page in a browser context of its own (cookies, storage)."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(locale="en-GB", base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def exactly(label: str) -> re.Pattern:
    """A field's whole label, with or without the colon Django puts after it."""
    return re.compile(rf"^{re.escape(label)}:?$")


def message(page: Page, text: str):
    return page.locator(".messages").get_by_text(text)


def fill_rubric(page: Page, scores: tuple[int, int, int], note: str) -> None:
    for label, comment_label, score in zip(
        ("Evidence of success", "Transferability", "Relevance to RII soft and social competences"),
        ("Comment on the evidence", "Comment on transferability", "Comment on relevance"),
        scores,
        strict=True,
    ):
        page.get_by_label(exactly(label)).select_option(str(score))
        page.get_by_label(exactly(comment_label)).fill(f"{note}: {label.lower()}.")


def test_a_practice_goes_from_draft_to_the_public_catalogue(
    page,
    sign_in,
    new_page,
    staff,
    coordinator,
    consortium_coordinator,
    tags,
    eager_celery,
    media,
    tmp_path,
):
    # Partner staff describes the practice ---------------------------------------------------
    sign_in(staff)
    page.goto("/practices/")
    page.get_by_role("link", name="Describe a good practice").click()
    expect(page).to_have_url(re.compile(r"/practices/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Describe a good practice")

    title = page.get_by_label(exactly("Title"))
    counter = page.locator('[data-counter-for="id_title"]')
    expect(counter).to_have_text("100 characters left")
    title.fill("Science-business speed dating")
    expect(counter).to_have_text(f"{100 - len('Science-business speed dating')} characters left")
    title.fill("Science-business speed dating in Silesia")
    left = 100 - len("Science-business speed dating in Silesia")
    expect(counter).to_have_text(f"{left} characters left")

    page.get_by_label("Short summary").fill(
        "Researchers and firms meet in short rounds and plan joint projects."
    )
    page.get_by_label("Detailed description").fill(
        f"The {WORD} sessions pair each laboratory with five firms in ten-minute rounds."
    )
    page.get_by_label("Language of the record").select_option("en")
    page.get_by_label("City").fill("Katowice")
    page.get_by_label("Organisation in charge").fill("Silesian Science Park")
    page.get_by_label(exactly("Start")).fill("2023-02-01")
    page.get_by_label("Ongoing").check()
    page.get_by_label("Resources needed").fill("Two organisers and a hall, four times a year.")
    page.get_by_label("Evidence of success").fill("120 researchers, 14 joint project proposals.")
    page.get_by_label("Potential for learning or transfer").fill(
        "Any region with a science park can host it."
    )
    page.get_by_label("Difficulties encountered and lessons learnt").fill(
        "Firms need the list of laboratories a week before."
    )
    page.get_by_label("Further information").fill("https://example.org/speed-dating")
    page.get_by_role("group", name="Competences addressed").get_by_label(COMPETENCE).check()
    page.get_by_role("group", name="Themes").get_by_role("checkbox", name=THEME, exact=True).check()
    page.get_by_role("group", name="Target groups").get_by_label("Researchers").check()
    page.get_by_label("Contact person").fill("Marta Nowak")
    page.get_by_label("Contact email").fill(CONTACT_EMAIL)
    page.get_by_role("button", name="Save draft").click()

    expect(message(page, "Saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/practices/\d+/edit/$"))
    practice = GoodPractice.objects.get()
    assert practice.status == Status.DRAFT
    assert practice.created_by == staff
    assert WORD in practice.description
    assert practice.is_ongoing and practice.start_date.isoformat() == "2023-02-01"
    assert [str(c) for c in practice.competences.all()] == [COMPETENCE]
    assert [t.name for t in practice.themes.all()] == [THEME]
    assert practice.missing_fields() == []

    # ... attaches a PDF on the edit page ...
    pdf_file = tmp_path / "speed-dating-report.pdf"
    pdf_file.write_bytes(PDF)
    page.get_by_label("Add files").set_input_files(pdf_file)
    page.get_by_role("button", name="Upload").click()
    expect(message(page, "Files added.")).to_be_visible()
    attachments = page.get_by_role("region", name="Attachments")
    expect(attachments.get_by_role("link", name="speed-dating-report.pdf")).to_be_visible()
    assert Attachment.objects.get(practice=practice).file.read() == PDF

    # ... and submits it.
    page.get_by_role("button", name="Save and submit for review").click()
    expect(message(page, "Submitted for review")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/practices/{practice.pk}/$"))
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    assert coordinator.email in {address for email in mail.outbox for address in email.to}

    # The regional coordinator asks for changes ------------------------------------------------
    regional = sign_in_on(new_page(), coordinator, totp=True)
    nav = regional.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Review\s+1\s+waiting$"))).to_be_visible()
    nav.get_by_role("link", name=re.compile(r"^Review")).click()
    expect(regional).to_have_url(re.compile(r"/practices/review/$"))
    queue = regional.get_by_role("table")
    expect(queue).to_contain_text("Regional review")
    queue.get_by_role("link", name="Science-business speed dating in Silesia").click()
    review = regional.get_by_role("region", name="Your next step")
    expect(review.get_by_role("group", name=re.compile("Review rubric"))).to_be_visible()
    review.get_by_label(exactly("Comment")).fill(
        "Please say how many proposals were funded, not only submitted."
    )
    review.get_by_role("button", name="Request changes").click()
    expect(message(regional, "Changes requested")).to_be_visible()
    practice.refresh_from_db()
    assert practice.status == Status.CHANGES_REQUESTED

    # The author reads the comment, edits and resubmits -------------------------------------
    page.goto(f"/practices/{practice.pk}/")
    trail = page.get_by_role("region", name="Review trail")
    expect(trail).to_contain_text("Changes requested")
    expect(trail).to_contain_text("Please say how many proposals were funded, not only submitted.")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Evidence of success").fill(
        "120 researchers, 14 joint project proposals, 5 of them funded."
    )
    page.get_by_role("button", name="Save and resubmit").click()
    expect(message(page, "Submitted for review")).to_be_visible()
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    assert "5 of them funded" in practice.evidence
    assert PracticeVersion.objects.filter(practice=practice, number=1).exists()

    # The regional coordinator approves with the rubric ----------------------------------------
    regional.goto("/practices/review/")
    regional.get_by_role("table").get_by_role(
        "link", name="Science-business speed dating in Silesia"
    ).click()
    review = regional.get_by_role("region", name="Your next step")
    fill_rubric(review, (4, 4, 5), "Regional review")
    review.get_by_role("button", name="Approve for the region").click()
    expect(message(regional, "Approved by the region")).to_be_visible()
    practice.refresh_from_db()
    assert practice.status == Status.APPROVED
    expect(
        regional.get_by_role("navigation", name="Main").get_by_role(
            "link", name=re.compile(r"^Review\s+0\s+waiting$")
        )
    ).to_be_visible()

    # The consortium coordinator validates and publishes ---------------------------------------
    consortium = sign_in_on(new_page(), consortium_coordinator, totp=True)
    consortium.goto("/practices/review/")
    row = consortium.get_by_role("row", name=re.compile("Science-business speed dating"))
    expect(row).to_contain_text("Final validation")
    row.get_by_role("link").click()
    review = consortium.get_by_role("region", name="Your next step")
    fill_rubric(review, (5, 4, 5), "Consortium validation")
    review.get_by_role("button", name="Validate and publish").click()
    expect(message(consortium, "Published")).to_be_visible()
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED
    assert list(practice.steps.values_list("action", flat=True)) == [
        "submit",
        "request_changes",
        "resubmit",
        "approve",
        "publish",
    ]
    assert practice.steps.get(action="publish").evidence_score == 5

    # A visitor finds it, downloads the PDF, and sees no contact email ------------------------
    visitor = new_page()
    visitor.goto("/practices/")
    visitor.get_by_role("searchbox", name="Search words").fill(WORD)
    visitor.get_by_role("button", name="Search").click()
    expect(visitor).to_have_url(re.compile(rf"[?&]q={WORD}"))
    results = visitor.get_by_role("region", name=re.compile("good practice"))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 good practice")
    results.get_by_role("link", name="Science-business speed dating in Silesia").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Science-business speed dating in Silesia"
    )
    expect(visitor.get_by_role("main")).to_contain_text("5 of them funded")
    expect(visitor.get_by_role("main")).not_to_contain_text(CONTACT_EMAIL)
    expect(visitor.get_by_role("region", name="Contact")).to_contain_text(
        "Sign in to see the contact person."
    )
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="speed-dating-report.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "speed-dating-report.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == PDF


def test_text_typed_when_the_session_ended_is_restored_after_signing_in(page, sign_in, staff, tags):
    practice = PracticeFactory(created_by=staff, title="Mentoring lunches")
    sign_in(staff)
    page.goto(f"/practices/{practice.pk}/edit/")
    description = page.get_by_label("Detailed description")
    typed = practice.description + "\n\nA typed paragraph about the lunches that must not be lost."
    description.fill(typed)

    # The session ends on the server (expired, or signed out elsewhere).
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key=session_key).delete()

    # The autosave tells the user that nothing was saved, and that the text is kept.
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile("Not saved: your session has ended"), timeout=15_000
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    practice.refresh_from_db()
    assert "must not be lost" not in practice.description

    fill_sign_in(page, staff)
    expect(page).to_have_url(re.compile(rf"/practices/{practice.pk}/edit/$"))
    expect(page.get_by_text("We restored text you typed earlier")).to_be_visible()
    expect(page.get_by_label("Detailed description")).to_have_value(typed)

    page.get_by_role("button", name="Save draft").click()
    expect(message(page, "Saved.")).to_be_visible()
    practice.refresh_from_db()
    assert practice.description.replace("\r\n", "\n") == typed
    # Once saved, the browser's copy is dropped: reloading restores nothing.
    page.reload()
    expect(page.get_by_text("We restored text you typed earlier")).to_have_count(0)
