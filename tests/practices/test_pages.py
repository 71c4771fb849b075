"""Every page of the good practices as every role: allowed, 403, 404 or sent to sign in.

The practices are the Province of Silesia's (Śląskie), written by `staff`. The regional
coordinator works at the same partner, so a draft is theirs to see and edit too.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.models import PracticeVersion, Status, TargetGroup, Theme
from tests.conftest import ROLES
from tests.factories.practices import PracticeFactory, current_competences

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, MISSING, LOGIN = 200, 403, 404, "login"

EVERYONE = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
# The practice's partner: staff and the regional coordinator (both at the Province).
MEMBERS_ONLY = {**dict.fromkeys(ROLES, MISSING), "staff": OK, "coordinator": OK}
# ... and, once submitted, the region's reviewers: the consortium coordinator reviews all regions.
MEMBERS_AND_REVIEWERS = {**MEMBERS_ONLY, "consortium_coordinator": OK}
COORDINATORS = {
    **dict.fromkeys(ROLES, FORBIDDEN),
    "anonymous": LOGIN,
    "coordinator": OK,
    "other_coordinator": OK,
    "consortium_coordinator": OK,
}
PARTNER_MEMBERS = {
    **dict.fromkeys(ROLES, OK),
    "anonymous": LOGIN,
    "respondent": FORBIDDEN,
    "admin_user": FORBIDDEN,
}

PAGES = {
    "/practices/": EVERYONE,
    "/practices/feed/": EVERYONE,
    "/practices/export.csv": EVERYONE,
    "/practices/export.csv?q=clinic&country=PL": EVERYONE,
    "/practices/{published}/": EVERYONE,
    "/practices/{published}/pdf/": EVERYONE,
    "/practices/{draft}/": MEMBERS_ONLY,
    "/practices/{draft}/pdf/": MEMBERS_ONLY,
    "/practices/{submitted}/": MEMBERS_AND_REVIEWERS,
    "/practices/{submitted}/pdf/": MEMBERS_AND_REVIEWERS,
    "/practices/{changes_requested}/versions/1/": MEMBERS_AND_REVIEWERS,
    "/practices/{draft}/versions/1/": dict.fromkeys(ROLES, MISSING),
    "/practices/{draft}/edit/": {**MEMBERS_ONLY, "anonymous": LOGIN},
    "/practices/{changes_requested}/edit/": {
        **MEMBERS_AND_REVIEWERS,
        "consortium_coordinator": FORBIDDEN,
        "anonymous": LOGIN,
    },
    "/practices/{submitted}/edit/": {
        **dict.fromkeys(ROLES, MISSING),
        "anonymous": LOGIN,
        "staff": FORBIDDEN,
        "coordinator": FORBIDDEN,
        "consortium_coordinator": FORBIDDEN,
    },
    "/practices/{published}/edit/": {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN},
    "/practices/999999/": dict.fromkeys(ROLES, MISSING),
    "/practices/999999/pdf/": dict.fromkeys(ROLES, MISSING),
    "/practices/999999/edit/": {**dict.fromkeys(ROLES, MISSING), "anonymous": LOGIN},
    "/practices/new/": PARTNER_MEMBERS,
    "/practices/mine/": SIGNED_IN,
    "/practices/review/": COORDINATORS,
    "/framework/": EVERYONE,
}


def outcome(response):
    """What a visitor of the page meets: the status, or "login" when sent to sign in."""
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    page = response.content.decode() if response.status_code in (403, 404) else ""
    if response.status_code == FORBIDDEN:
        assert "You cannot do this" in page
    if response.status_code == MISSING:
        assert "We cannot find this page" in page
    if response.status_code == OK and response.get("Content-Type") == "application/pdf":
        assert response.content.startswith(b"%PDF")
    return response.status_code


@pytest.fixture
def everyone(request):
    """A test client signed in as each role (not signed in for "anonymous")."""
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            clients[role].force_login(request.getfixturevalue(role))
    return clients


@pytest.fixture
def practices(staff, coordinator):
    """One practice of the Province in each state a page treats differently; their pks."""
    made = {
        status.value: PracticeFactory(created_by=staff, status=status, title=f"Clinic {status}")
        for status in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED)
    }
    PracticeVersion.objects.create(
        practice=made["changes_requested"],
        number=1,
        content=made["changes_requested"].snapshot() | {"city": "Gliwice"},
        saved_by=staff,
    )
    return {name: practice.pk for name, practice in made.items()}


@pytest.mark.parametrize(("path", "expected"), PAGES.items(), ids=list(PAGES))
def test_page_as_every_role(everyone, practices, path, expected):
    url = path.format(**practices)

    outcomes = {role: outcome(client.get(url)) for role, client in everyone.items()}

    assert outcomes == expected


# What the pages show ------------------------------------------------------------------------


def test_the_review_queue_lists_what_waits_for_each_coordinator(
    client_as, staff, coordinator, consortium_coordinator, other_coordinator, hu
):
    PracticeFactory(created_by=staff, status=Status.SUBMITTED, title="Waiting in Silesia")
    PracticeFactory(created_by=staff, status=Status.APPROVED, title="Waiting for validation")
    PracticeFactory(partner=hu, status=Status.SUBMITTED, title="Waiting in Utrecht")
    PracticeFactory(created_by=staff, status=Status.DRAFT, title="Still a draft")
    PracticeFactory(created_by=staff, status=Status.PUBLISHED, title="Already out")
    PracticeFactory(
        partner=consortium_coordinator.memberships.get().partner,
        created_by=consortium_coordinator,
        status=Status.SUBMITTED,
        title="The consortium coordinator's own",
    )

    def listed(role):
        page = client_as(role).get("/practices/review/").content.decode()
        return {
            title
            for title in (
                "Waiting in Silesia",
                "Waiting for validation",
                "Waiting in Utrecht",
                "Still a draft",
                "Already out",
                "The consortium coordinator&#x27;s own",
            )
            if title in page
        }

    assert listed("coordinator") == {"Waiting in Silesia", "The consortium coordinator&#x27;s own"}
    assert listed("other_coordinator") == {"Waiting in Utrecht"}
    assert listed("consortium_coordinator") == {
        "Waiting in Silesia",
        "Waiting for validation",
        "Waiting in Utrecht",
    }


@pytest.mark.parametrize(
    ("role", "count"), [("coordinator", 1), ("other_coordinator", 0), ("consortium_coordinator", 2)]
)
def test_the_navigation_counts_what_waits_for_review(client_as, staff, hu, role, count):
    PracticeFactory(created_by=staff, status=Status.SUBMITTED)
    PracticeFactory(created_by=staff, status=Status.APPROVED)
    PracticeFactory(created_by=staff, status=Status.DRAFT)

    page = client_as(role).get("/").content.decode()

    assert 'href="/practices/review/"' in page
    assert f'<span class="nav-count">{count}<span class="visually-hidden"> waiting' in page


@pytest.mark.parametrize("role", ["anonymous", "respondent", "staff", "other_staff"])
def test_no_review_link_for_people_who_do_not_review(client_as, staff, role):
    PracticeFactory(created_by=staff, status=Status.SUBMITTED)

    page = client_as(role).get("/").content.decode()

    assert 'href="/practices/review/"' not in page
    assert "nav-count" not in page


def test_the_framework_page_shows_the_24_competences_in_6_areas(client):
    page = client.get("/framework/").content.decode()

    assert page.count('<dt id="competence-') == 24
    assert page.count('<section class="area"') == 6


def test_your_practices_are_your_partners_in_every_state(client_as, staff, hu):
    for status in (Status.DRAFT, Status.SUBMITTED, Status.DECLINED):
        PracticeFactory(created_by=staff, status=status, title=f"Ours {status.value}")
    PracticeFactory(partner=hu, title="Theirs")

    mine = client_as("coordinator").get("/practices/mine/").content.decode()
    theirs = client_as("other_staff").get("/practices/mine/").content.decode()
    nobody = client_as("respondent").get("/practices/mine/").content.decode()

    assert all(f"Ours {s}" in mine for s in ("draft", "submitted", "declined"))
    assert "Theirs" not in mine
    assert "Theirs" in theirs and "Ours" not in theirs
    assert "Only partner staff describe good practices" in nobody


def test_the_contact_person_is_shown_to_signed_in_users_only(client_as, staff):
    practice = PracticeFactory(created_by=staff, status=Status.PUBLISHED)

    anonymous = client_as("anonymous").get(f"/practices/{practice.pk}/").content.decode()
    signed_in = client_as("other_staff").get(f"/practices/{practice.pk}/").content.decode()

    assert practice.contact_email not in anonymous
    assert practice.contact_name not in anonymous
    assert f"/accounts/login/?next=/practices/{practice.pk}/" in anonymous
    assert practice.contact_email in signed_in


@pytest.mark.parametrize(
    ("role", "can_edit"), [("staff", True), ("coordinator", True), ("other_staff", False)]
)
def test_the_edit_button_is_there_for_editors_only(client_as, staff, role, can_edit):
    practice = PracticeFactory(created_by=staff, status=Status.CHANGES_REQUESTED)
    published = PracticeFactory(created_by=staff, status=Status.PUBLISHED)

    client = client_as(role)
    page = client.get(f"/practices/{practice.pk}/")
    published_page = client.get(f"/practices/{published.pk}/").content.decode()

    if can_edit:
        assert f'href="/practices/{practice.pk}/edit/"' in page.content.decode()
    else:
        assert page.status_code == 404
    assert f'href="/practices/{published.pk}/edit/"' not in published_page


@pytest.mark.parametrize(
    ("role", "shown"),
    [("anonymous", False), ("respondent", False), ("staff", True), ("other_coordinator", True)],
)
def test_describe_a_practice_is_offered_to_partner_members(client_as, role, shown):
    page = client_as(role).get("/practices/").content.decode()

    assert ('href="/practices/new/"' in page) == shown


def test_a_member_creates_a_draft_for_their_partner(client_as, other_staff, hu):
    response = client_as("other_staff").post(
        "/practices/new/",
        {"title": "Utrecht matchmaking", "language": "en", "region": hu.region_id},
    )

    practice = hu.good_practices.get()
    assert response.status_code == 302
    assert response["Location"] == f"/practices/{practice.pk}/edit/"
    assert (practice.title, practice.status, practice.created_by) == (
        "Utrecht matchmaking",
        Status.DRAFT,
        other_staff,
    )


def test_the_reviewer_sees_the_review_form_and_the_author_does_not(client_as, staff, coordinator):
    practice = PracticeFactory(created_by=staff, status=Status.SUBMITTED)

    reviewer = client_as("coordinator").get(f"/practices/{practice.pk}/").content.decode()
    author = client_as("staff").get(f"/practices/{practice.pk}/").content.decode()

    assert f'formaction="/practices/{practice.pk}/approve/"' in reviewer
    assert 'name="evidence_score"' in reviewer
    assert "Your next step" not in author
    assert "/approve/" not in author


def test_a_published_practice_shows_its_dates_in_the_feed_and_detail(client, staff):
    practice = PracticeFactory(
        created_by=staff, status=Status.PUBLISHED, published_at=timezone.now()
    )

    feed = client.get("/practices/feed/").content.decode()
    page = client.get(f"/practices/{practice.pk}/").content.decode()

    assert f"/practices/{practice.pk}/" in feed
    assert "March 2022 – ongoing" in page


def test_a_practice_page_costs_the_same_queries_with_1_or_many_competences_and_tags(
    client, staff, django_assert_max_num_queries
):
    plain = PracticeFactory(
        created_by=staff,
        status=Status.PUBLISHED,
        competences=current_competences()[:1],
        themes=Theme.objects.all()[:1],
    )
    client.get(f"/practices/{plain.pk}/")  # the session, the framework: once
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/practices/{plain.pk}/").status_code == 200

    rich = PracticeFactory(
        created_by=staff,
        status=Status.PUBLISHED,
        competences=current_competences()[:12],
        themes=Theme.objects.all()[:6],
    )
    rich.target_groups.set(TargetGroup.objects.all())
    with django_assert_max_num_queries(len(few)):
        page = client.get(f"/practices/{rich.pk}/").content.decode()

    assert all(competence.name in page for competence in current_competences()[:12])
