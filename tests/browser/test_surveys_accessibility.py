"""axe-core and the 320 px layout on the survey pages, as the role that sees them.

The same rules as test_accessibility.py: no axe violation of impact "serious" or "critical",
no horizontal scrolling in a 320 px wide window (WCAG 1.4.10 Reflow). Pages with a form are
also checked with their errors shown.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from surveys.models import Area, Campaign, Competence, Framework, Invitation, Response, Survey
from tests.factories.surveys import self_assessment

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations, assert_reflows_at_narrowest
from .test_surveys import make_campaign

pytestmark = BROWSER_TEST


@dataclass
class World:
    open_token: str  # an open campaign, not answered yet
    in_progress: int  # the respondent's response to another open campaign
    upcoming_token: str
    closed_token: str
    invitation_only_token: str
    submitted: int
    managed: int  # a campaign of Śląskie, with invitations


@pytest.fixture
def world(respondent, coordinator) -> World:
    if Framework.objects.current() is None:
        from surveys.framework.default import seed

        seed(Framework, Area, Competence)
    published_survey = Survey.objects.create(
        framework=Framework.objects.current(),
        kind=Survey.Kind.SELF_ASSESSMENT,
        title="SOCORE self-assessment",
    )

    opened = make_campaign(Campaign.Access.OPEN)
    answering = make_campaign(Campaign.Access.OPEN)
    in_progress = Response.objects.create(
        campaign=answering,
        respondent=respondent,
        consent_version="2026-1",
        consented_at=answering.opens_at,
    )
    upcoming = make_campaign(Campaign.Access.OPEN, opens_in_days=3, closes_in_days=20)
    closed = make_campaign(Campaign.Access.OPEN, opens_in_days=-20, closes_in_days=-3)
    invitation_only = make_campaign(Campaign.Access.INVITATION)

    finished = make_campaign(Campaign.Access.OPEN)
    competences = Competence.objects.filter(area__framework=finished.survey.framework).order_by(
        "area__position", "position"
    )
    values = {c: (index % 5 + 1, 4) for index, c in enumerate(competences)}
    values[competences[0]] = None  # not applicable
    submitted = self_assessment(finished, values, respondent=respondent)

    managed = make_campaign(Campaign.Access.INVITATION)
    managed.survey = published_survey
    managed.region_id = coordinator.memberships.first().partner.region_id
    managed.save()
    for number in range(3):
        Invitation.objects.create(
            campaign=managed, email=f"invitee{number}@example.org", name=f"Invitee {number}"
        )
    return World(
        open_token=opened.link_token,
        in_progress=in_progress.pk,
        upcoming_token=upcoming.link_token,
        closed_token=closed.link_token,
        invitation_only_token=invitation_only.link_token,
        submitted=submitted.pk,
        managed=managed.pk,
    )


@dataclass(frozen=True)
class Case:
    id: str
    role: str  # "visitor" or a fixture of tests/conftest.py
    path: Callable[[World], str]
    status: int = 200
    reach: Callable[[Page, World], None] | None = None  # after `path`: get to the state
    shows: Callable[[Page], None] | None = None  # the state is the one the case claims


def h1(text: str) -> Callable[[Page], None]:
    def check(page: Page) -> None:
        expect(page.get_by_role("heading", level=1)).to_contain_text(text)

    return check


def level_and_not_applicable(page: Page, world: World) -> None:
    first = page.locator("fieldset.competence").first
    first.locator("fieldset.rating").first.get_by_role("radio").nth(2).check()
    first.get_by_label("Not applicable").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(first).to_contain_text("Choose a level or “not applicable”, not both.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Area number 0")


def closing_before_opening(page: Page, world: World) -> None:
    page.locator("input[name=title]").fill("Autumn campaign")
    page.locator("select[name=survey]").select_option(index=1)
    page.locator("input[name=opens_at]").fill("2026-10-10T09:00")
    page.locator("input[name=closes_at]").fill("2026-10-01T09:00")
    page.locator("input[name=privacy_notice_version]").fill("2026-2")
    page.locator("textarea[name=privacy_notice]").fill("We keep your answers for SOCORE only.")
    page.get_by_role("button", name="Create campaign").click()
    expect(page.get_by_text("The campaign must close after it opens.")).to_be_visible()


def invitation_upload(page: Page) -> None:
    expect(page.get_by_label(re.compile("CSV file of invitees"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("invitee2@example.org")


def refused_upload(page: Page, world: World) -> None:
    page.get_by_label(re.compile("CSV file of invitees")).set_input_files(
        files=[{"name": "invitees.csv", "mimeType": "text/csv", "buffer": b""}]
    )
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator(".field__errors, .errorlist").first).to_be_visible()
    invitation_upload(page)


CASES = [
    Case(
        "consent",
        "respondent",
        lambda w: f"/surveys/c/{w.open_token}/",
        shows=h1("Before you start: your consent"),
    ),
    Case(
        "background-page",
        "respondent",
        lambda w: f"/surveys/responses/{w.in_progress}/pages/1/",
        shows=h1("About you"),
    ),
    Case(
        "area-page-with-error",
        "respondent",
        lambda w: f"/surveys/responses/{w.in_progress}/pages/2/",
        reach=level_and_not_applicable,
    ),
    Case(
        "upcoming",
        "visitor",
        lambda w: f"/surveys/c/{w.upcoming_token}/",
        shows=h1("This survey is not open yet"),
    ),
    Case(
        "closed",
        "visitor",
        lambda w: f"/surveys/c/{w.closed_token}/",
        shows=h1("This survey is closed"),
    ),
    Case(
        "invitation-only-refusal",
        "respondent",
        lambda w: f"/surveys/c/{w.invitation_only_token}/",
        status=403,
        shows=h1("This survey is by invitation only"),
    ),
    Case(
        "results",
        "respondent",
        lambda w: f"/surveys/results/{w.submitted}/",
        shows=lambda page: expect(page.locator("table.profile-table")).to_be_visible(),
    ),
    Case("results-list", "respondent", lambda w: "/surveys/results/"),
    Case("erase-confirmation", "respondent", lambda w: "/surveys/my-data/erase/"),
    Case(
        "campaign-list",
        "coordinator",
        lambda w: "/campaigns/",
        shows=lambda page: expect(page.get_by_role("main")).to_contain_text(
            "Śląskie competences 2026"
        ),
    ),
    Case(
        "campaign-form-with-error",
        "coordinator",
        lambda w: "/campaigns/new/",
        reach=closing_before_opening,
    ),
    Case(
        "campaign-with-invitation-upload",
        "coordinator",
        lambda w: f"/campaigns/{w.managed}/",
        shows=invitation_upload,
    ),
    Case(
        "campaign-with-refused-upload",
        "coordinator",
        lambda w: f"/campaigns/{w.managed}/",
        reach=refused_upload,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_survey_page_has_no_serious_axe_violations_and_reflows_at_320px(
    case, world, page, request, sign_in
):
    if case.role != "visitor":
        user = request.getfixturevalue(case.role)
        sign_in(user, totp=user.authenticator_set.filter(type="totp").exists())
    path = case.path(world)
    response = page.goto(path)
    assert response is not None
    assert response.status == case.status, f"{path}: HTTP {response.status}"
    if case.reach:
        case.reach(page, world)
    if case.shows:
        case.shows(page)

    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)
