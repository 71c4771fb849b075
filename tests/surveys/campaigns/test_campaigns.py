"""Campaign management: who sees which campaign, the form, invitations, reminders and counts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from partners.models import Region
from surveys import tasks
from surveys.campaigns import invitations
from surveys.models import Campaign, Framework, Invitation, Response, Survey
from tests.conftest import ROLES
from tests.factories.accounts import UserFactory
from tests.factories.practices import eager_tasks  # noqa: F401

pytestmark = pytest.mark.django_db

OK, MISSING, LOGIN = 200, 404, "login"
NOBODY = {**dict.fromkeys(ROLES, MISSING), "anonymous": LOGIN}
SLASKIE_CAMPAIGN = {**NOBODY, "coordinator": OK, "consortium_coordinator": OK}
UTRECHT_CAMPAIGN = {**NOBODY, "other_coordinator": OK, "consortium_coordinator": OK}
CONSORTIUM_CAMPAIGN = {**NOBODY, "consortium_coordinator": OK}
ANY_COORDINATOR = {
    **NOBODY,
    "coordinator": OK,
    "other_coordinator": OK,
    "consortium_coordinator": OK,
}


@pytest.fixture
def survey(db) -> Survey:
    return Survey.objects.create(
        framework=Framework.objects.get(version=1),
        kind=Survey.Kind.SELF_ASSESSMENT,
        title="RII staff self-assessment 2026",
    )


def make_campaign(survey, region, *, title="Campaign", opens=-1, closes=10, **fields):
    now = timezone.now()
    return Campaign.objects.create(
        survey=survey,
        region=region,
        title=title,
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        privacy_notice="We keep your answers for the project's duration.",
        privacy_notice_version="2026-01",
        **fields,
    )


@pytest.fixture
def campaigns(survey, slaskie, utrecht) -> dict[str, Campaign]:
    return {
        "slaskie": make_campaign(survey, slaskie, title="Śląskie spring survey"),
        "utrecht": make_campaign(survey, utrecht, title="Utrecht spring survey"),
        "consortium": make_campaign(survey, None, title="Consortium-wide survey"),
    }


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


# Each page as each role ----------------------------------------------------------------

PAGES = [
    (which, suffix, outcomes)
    for which, outcomes in (
        ("slaskie", SLASKIE_CAMPAIGN),
        ("utrecht", UTRECHT_CAMPAIGN),
        ("consortium", CONSORTIUM_CAMPAIGN),
    )
    for suffix in ("", "edit/")
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("which", "suffix", "outcomes"), PAGES)
def test_campaign_pages_as_role(client_as, campaigns, role, which, suffix, outcomes):
    campaign = campaigns[which]
    response = client_as(role).get(f"/campaigns/{campaign.pk}/{suffix}")
    assert_outcome(response, outcomes[role])
    if outcomes[role] == MISSING:
        assert campaign.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/campaigns/", "/campaigns/new/"])
def test_list_and_create_pages_as_role(client_as, campaigns, role, path):
    assert_outcome(client_as(role).get(path), ANY_COORDINATOR[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["invitations", "reminders"])
def test_posts_as_role(client_as, campaigns, role, action):
    campaign = campaigns["slaskie"]
    response = client_as(role).post(f"/campaigns/{campaign.pk}/{action}/")
    expected = SLASKIE_CAMPAIGN[role]
    if expected == OK:
        assert response.status_code in (302, 400)
    else:
        assert_outcome(response, expected)


def test_missing_campaign_is_404_even_for_the_consortium(client_as, campaigns):
    assert client_as("consortium_coordinator").get("/campaigns/999999/").status_code == 404


def test_list_shows_only_the_coordinators_campaigns(client_as, campaigns):
    page = client_as("coordinator").get("/campaigns/").content.decode()
    assert "Śląskie spring survey" in page
    assert "Utrecht spring survey" not in page
    assert "Consortium-wide survey" not in page


def test_consortium_coordinator_lists_every_campaign(client_as, campaigns):
    page = client_as("consortium_coordinator").get("/campaigns/").content.decode()
    for campaign in campaigns.values():
        assert campaign.title in page


# Counts: one query, and no respondent identity ----------------------------------------


def add_responses(campaign, *, submitted: int, in_progress: int, invited: int = 0):
    for n in range(invited):
        Invitation.objects.create(campaign=campaign, email=f"invitee{n}.{campaign.pk}@example.org")
    for n in range(submitted + in_progress):
        Response.objects.create(
            campaign=campaign,
            respondent=UserFactory(email=f"answerer{n}.{campaign.pk}@example.org"),
            status=Response.Status.SUBMITTED if n < submitted else Response.Status.IN_PROGRESS,
            consent_version="2026-01",
            consented_at=timezone.now(),
        )


def test_list_query_count_does_not_grow_with_campaigns(
    client_as, survey, slaskie, django_assert_max_num_queries
):
    client = client_as("consortium_coordinator")
    for n in range(2):
        add_responses(make_campaign(survey, slaskie, title=f"C{n}"), submitted=1, in_progress=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/campaigns/").status_code == 200
    for n in range(2, 20):
        add_responses(make_campaign(survey, slaskie, title=f"C{n}"), submitted=1, in_progress=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/campaigns/")
    assert response.content.decode().count("/campaigns/") >= 20


def test_campaign_page_counts_without_naming_respondents(client_as, survey, slaskie):
    campaign = make_campaign(survey, slaskie, target_responses=20)
    add_responses(campaign, submitted=6, in_progress=2, invited=4)
    page = client_as("coordinator").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'data-count="invited">4<' in page
    assert 'data-count="started">8<' in page
    assert 'data-count="submitted">6<' in page
    assert 'data-count="rate">30%<' in page
    assert "answerer" not in page  # nobody who answered is named
    assert "invitee0" in page  # the invitation list is shown, without who submitted


def test_participation_below_five_is_fewer_than_five_on_every_campaign_page(
    client_as, survey, slaskie
):
    campaign = make_campaign(survey, slaskie, target_responses=10)
    add_responses(campaign, submitted=3, in_progress=1, invited=6)
    client = client_as("coordinator")
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    listing = client.get("/campaigns/").content.decode()
    assert 'data-count="started">fewer than 5 responses<' in page
    assert 'data-count="submitted">fewer than 5 responses<' in page
    assert "30%" not in page
    for html in (page, listing):
        assert ">3<" not in html and ">4<" not in html
    assert 'data-count="invited">6<' in page  # the coordinator's own list


def test_no_count_on_the_campaign_page_moves_when_a_known_invitee_submits(
    client_as, survey, slaskie, django_capture_on_commit_callbacks
):
    """The oracle: invite one person among many, read the page, let them answer, read it
    again. Beyond the counts of five and more, nothing may change."""
    campaign = make_campaign(survey, slaskie)
    add_responses(campaign, submitted=7, in_progress=0, invited=0)
    known = Invitation.objects.create(
        campaign=campaign, email="known@example.org", sent_at=timezone.now()
    )
    for index in range(5):
        Invitation.objects.create(
            campaign=campaign, email=f"other{index}@example.org", sent_at=timezone.now()
        )
    client = client_as("coordinator")

    def page() -> str:
        html = client.get(f"/campaigns/{campaign.pk}/").content.decode()
        html = html[html.index("<main") : html.index("</main>")]
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'data-count="(started|submitted)">\d+<', "", html)

    before = page()
    Response.objects.create(
        campaign=campaign,
        invitation=known,
        status=Response.Status.SUBMITTED,
        consent_version="2026-01",
        consented_at=timezone.now(),
    )
    assert page() == before
    with django_capture_on_commit_callbacks():
        response = client.post(f"/campaigns/{campaign.pk}/reminders/", follow=True)
    assert "invitees who have not submitted" in response.content.decode()
    assert not re.search(r"\b5 invitees", response.content.decode())


def test_invitee_who_submitted_looks_the_same_as_one_who_did_not(client_as, survey, slaskie):
    campaign = make_campaign(survey, slaskie)
    first = Invitation.objects.create(campaign=campaign, email="a@example.org")
    Invitation.objects.create(campaign=campaign, email="b@example.org")
    client = client_as("coordinator")
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=1))
    before = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    Response.objects.create(
        campaign=campaign,
        invitation=first,
        status=Response.Status.SUBMITTED,
        consent_version="1",
        consented_at=timezone.now(),
    )
    assert tasks.remind(campaign) == 1  # only b@ is reminded
    after = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    rows = lambda page: [line for line in page.splitlines() if "@example.org</td>" in line]  # noqa: E731
    assert rows(before) == rows(after)


def test_campaign_page_shows_status_and_open_link(client_as, survey, slaskie, settings):
    settings.SITE_URL = "https://portal.socore.eu"
    campaign = make_campaign(survey, slaskie, access=Campaign.Access.OPEN, opens=1, closes=5)
    page = client_as("coordinator").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Upcoming" in page
    assert f"https://portal.socore.eu/surveys/c/{campaign.link_token}/" in page


# The form -----------------------------------------------------------------------------


def form_data(survey, region, **changes):
    data = {
        "title": "Śląskie autumn survey",
        "survey": survey.pk,
        "region": region.pk if region else "",
        "opens_at": "2026-01-15T09:00",
        "closes_at": "2026-02-15T18:00",
        "access": "invitation",
        "privacy_notice": "We keep your answers until the end of the project.",
        "privacy_notice_version": "2026-01",
        "target_responses": "50",
        "reminder_days_before": "3",
    }
    return {**data, **changes}


def test_create_stores_times_from_the_users_time_zone(client_as, survey, slaskie, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    response = client_as("coordinator").post("/campaigns/new/", form_data(survey, slaskie))
    campaign = Campaign.objects.get(title="Śląskie autumn survey")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.opens_at == datetime(2026, 1, 15, 8, 0, tzinfo=UTC)  # 09:00 CET
    assert campaign.closes_at == datetime(2026, 2, 15, 17, 0, tzinfo=UTC)
    assert campaign.region == slaskie
    # and back again: the edit form shows the local time that was entered
    page = client_as("coordinator").get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert 'value="2026-01-15T09:00"' in page


def test_create_with_closing_before_opening_keeps_input(client_as, survey, slaskie):
    data = form_data(survey, slaskie, closes_at="2026-01-10T09:00", title="Kept title")
    response = client_as("coordinator").post("/campaigns/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert not Campaign.objects.exists()
    assert 'value="Kept title"' in page
    assert 'value="2026-01-10T09:00"' in page
    closes_field = page.split('for="id_closes_at"')[0].rsplit('<div class="field', 1)[1]
    assert "field--error" in closes_field
    assert "must close after it opens" in page


def test_regional_coordinator_cannot_create_for_another_region(client_as, survey, utrecht):
    response = client_as("coordinator").post("/campaigns/new/", form_data(survey, utrecht))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_regional_coordinator_cannot_create_consortium_wide(client_as, survey):
    response = client_as("coordinator").post("/campaigns/new/", form_data(survey, None))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_consortium_coordinator_creates_consortium_wide(client_as, survey):
    response = client_as("consortium_coordinator").post("/campaigns/new/", form_data(survey, None))
    assert response.status_code == 302
    assert Campaign.objects.get().region is None


def test_only_surveys_on_a_published_framework_are_offered(client_as, survey, slaskie):
    draft = Framework.objects.get(version=1).new_version()
    on_draft = Survey.objects.create(framework=draft, kind="demand", title="On a draft")
    page = client_as("coordinator").get("/campaigns/new/").content.decode()
    assert survey.title in page and "On a draft" not in page
    response = client_as("coordinator").post("/campaigns/new/", form_data(on_draft, slaskie))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_creating_a_campaign_freezes_its_framework(client_as, slaskie):
    framework = Framework.objects.get(version=1).new_version()
    Framework.objects.filter(pk=framework.pk).update(status=Framework.Status.PUBLISHED)
    survey = Survey.objects.create(framework=framework, kind="self", title="On v2")
    response = client_as("coordinator").post("/campaigns/new/", form_data(survey, slaskie))
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.is_frozen


def test_edit_saves_changes(client_as, campaigns, survey, slaskie):
    campaign = campaigns["slaskie"]
    data = form_data(survey, slaskie, title="Renamed")
    response = client_as("coordinator").post(f"/campaigns/{campaign.pk}/edit/", data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Renamed"


# Invitations --------------------------------------------------------------------------


def test_parse_reports_bad_rows_by_line_and_reads_names():
    content = (
        "email,name\nada@example.org,Ada Lovelace\n,No Email\nnot-an-email\n\nbob@example.org\n"
    )
    rows, skipped = invitations.parse_invitees(content.encode())
    assert [(r.line, r.email, r.name) for r in rows] == [
        (2, "ada@example.org", "Ada Lovelace"),
        (6, "bob@example.org", ""),
    ]
    assert [str(row) for row in skipped] == [
        "line 3: no email address",
        "line 4: 'not-an-email' is not an email address",
    ]


def test_parse_reads_bom_and_semicolons_without_header():
    content = "\ufeffAda@Example.org;Ada Łącka\nbob@example.org;Bob\n".encode()
    rows, skipped = invitations.parse_invitees(content)
    assert [(r.line, r.email, r.name) for r in rows] == [
        (1, "ada@example.org", "Ada Łącka"),
        (2, "bob@example.org", "Bob"),
    ]
    assert skipped == []


def test_parse_refuses_a_file_that_is_not_utf8():
    with pytest.raises(invitations.InvitationFileError):
        invitations.parse_invitees("ada@example.org;Łucja\n".encode("cp1250"))


def upload(client, campaign, content: bytes):
    return client.post(
        f"/campaigns/{campaign.pk}/invitations/",
        {"file": SimpleUploadedFile("invitees.csv", content, content_type="text/csv")},
        follow=True,
    )


@pytest.mark.usefixtures("eager_tasks")
def test_upload_invites_reports_and_emails_personal_links(
    client_as, survey, slaskie, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.socore.eu"
    campaign = make_campaign(survey, slaskie)
    Invitation.objects.create(campaign=campaign, email="already@example.org")
    content = (
        "\ufeffemail;name\n"
        "ada@example.org;Ada\n"
        "ALREADY@example.org;Again\n"
        "not-an-email;X\n"
        "Ada@Example.org;Ada twice\n"
        ";Nobody\n"
        "bob@example.org\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_as("coordinator"), campaign, content)
    page = response.content.decode()
    # Mostly read: a success, with the lines left out listed beside it (amber, not red).
    assert (
        '<li class="message message--success">2 people invited, 2 duplicates ignored.</li>' in page
    )
    assert (
        '<li class="message message--warning">2 lines not imported: line 4: '
        "&#x27;not-an-email&#x27; is not an email address; line 6: no email address.</li>" in page
    )
    assert sorted(campaign.invitations.values_list("email", flat=True)) == [
        "ada@example.org",
        "already@example.org",
        "bob@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bob@example.org"]
    ada = Invitation.objects.get(email="ada@example.org")
    message = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert f"https://portal.socore.eu/surveys/i/{ada.token}/" in message.body
    # A Śląskie campaign writes to people without an account in Polish.
    assert "Dzień dobry, Ada," in message.body
    assert "Zapraszamy do udziału w ankiecie SOCORE" in message.body
    assert ada.sent_at is not None


@pytest.mark.usefixtures("eager_tasks")
def test_an_invitation_is_written_in_the_invitees_own_language_else_the_regions(
    client_as, survey, slaskie, django_capture_on_commit_callbacks
):
    UserFactory(email="Dovile@example.org", language="lt")
    UserFactory(email="no-preference@example.org", language="")
    regional = make_campaign(survey, slaskie)
    regional.translations = {"lt": {"title": "Kompetencijos 2026"}}
    regional.save()
    consortium_wide = make_campaign(survey, None)
    content = b"email\ndovile@example.org\nno-preference@example.org\nstranger@example.org\n"

    with django_capture_on_commit_callbacks(execute=True):
        upload(client_as("consortium_coordinator"), regional, content)
        upload(client_as("consortium_coordinator"), consortium_wide, content)

    def body(campaign, email):
        link = Invitation.objects.get(campaign=campaign, email=email).token
        return next(m for m in mail.outbox if link in m.body)

    lithuanian = body(regional, "dovile@example.org")
    assert lithuanian.subject == "[SOCORE] Kvietimas dalyvauti: Kompetencijos 2026"
    assert "Jūsų asmeninė nuoroda:" in lithuanian.body
    assert "Zapraszamy" in body(regional, "no-preference@example.org").body
    assert "Zapraszamy" in body(regional, "stranger@example.org").body
    assert "You are invited to take part" in body(consortium_wide, "stranger@example.org").body
    assert "You are invited" not in lithuanian.body


def test_invitation_emails_go_out_only_after_commit(
    client_as, survey, slaskie, django_capture_on_commit_callbacks
):
    campaign = make_campaign(survey, slaskie)
    coordinator = client_as("coordinator")  # before the capture: its membership has a callback
    with django_capture_on_commit_callbacks() as callbacks:
        upload(coordinator, campaign, b"ada@example.org\n")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_sending_twice_sends_one_email(survey, slaskie):
    campaign = make_campaign(survey, slaskie)
    invitation = Invitation.objects.create(campaign=campaign, email="ada@example.org")
    assert tasks.send_invitations([invitation.pk]) == 1
    assert tasks.send_invitations([invitation.pk]) == 0
    assert len(mail.outbox) == 1


def test_upload_of_a_binary_file_is_refused_with_a_reason(client_as, survey, slaskie):
    campaign = make_campaign(survey, slaskie)
    response = upload(client_as("coordinator"), campaign, "ó;x".encode("cp1250"))
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert not campaign.invitations.exists()


# Reminders ----------------------------------------------------------------------------


@pytest.fixture
def invited(survey, slaskie):
    """An open campaign with three sent invitations; one submitted, one started, one silent."""
    campaign = make_campaign(survey, slaskie, opens=-10, closes=10, reminder_days_before=3)
    sent = timezone.now() - timedelta(days=5)
    by_link, by_account, silent = (
        Invitation.objects.create(campaign=campaign, email=email, sent_at=sent)
        for email in ("by-link@example.org", "by-account@example.org", "silent@example.org")
    )
    Response.objects.create(
        campaign=campaign,
        invitation=by_link,
        status=Response.Status.SUBMITTED,
        consent_version="1",
        consented_at=sent,
    )
    Response.objects.create(
        campaign=campaign,
        respondent=UserFactory(email="By-Account@example.org"),
        status=Response.Status.SUBMITTED,
        consent_version="1",
        consented_at=sent,
    )
    Response.objects.create(
        campaign=campaign,
        respondent=UserFactory(email="in-progress@example.org"),
        status=Response.Status.IN_PROGRESS,
        consent_version="1",
        consented_at=sent,
    )
    Invitation.objects.create(campaign=campaign, email="in-progress@example.org", sent_at=sent)
    return campaign


@pytest.mark.usefixtures("eager_tasks")
def test_reminder_button_reminds_only_who_has_not_submitted_and_only_once(
    client_as, invited, django_capture_on_commit_callbacks
):
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/campaigns/{invited.pk}/reminders/", follow=True)
    assert "Reminders are on their way to the invitees" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "in-progress@example.org",
        "silent@example.org",
    ]
    assert "zostanie zamknięta" in mail.outbox[0].body  # Śląskie: in Polish
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/campaigns/{invited.pk}/reminders/", follow=True)
    # The same words the second time: how many were left to remind is not told.
    assert "Reminders are on their way to the invitees" in response.content.decode()
    assert len(mail.outbox) == 2


def test_reminder_button_does_nothing_for_a_closed_campaign(client_as, invited):
    Campaign.objects.filter(pk=invited.pk).update(
        opens_at=timezone.now() - timedelta(days=20), closes_at=timezone.now() - timedelta(days=1)
    )
    response = client_as("coordinator").post(f"/campaigns/{invited.pk}/reminders/", follow=True)
    assert "only while the campaign is open" in response.content.decode()
    assert tasks.send_reminders(invited.pk) == 0
    assert mail.outbox == []


def test_due_reminder_waits_for_reminder_days_before(invited):
    closes_at = invited.closes_at
    with time_machine.travel(closes_at - timedelta(days=3, hours=1)):
        assert tasks.send_due_reminders() == 0
    assert mail.outbox == []
    with time_machine.travel(closes_at - timedelta(days=3) + timedelta(minutes=5)):
        assert tasks.send_due_reminders() == 2
        assert tasks.send_due_reminders() == 0  # once
    assert sorted(m.to[0] for m in mail.outbox) == [
        "in-progress@example.org",
        "silent@example.org",
    ]
    invited.refresh_from_db()
    assert invited.reminder_sent_at is not None


def test_due_reminder_skips_campaigns_without_a_reminder_and_closed_ones(invited):
    Campaign.objects.filter(pk=invited.pk).update(reminder_days_before=None)
    with time_machine.travel(invited.closes_at - timedelta(hours=1)):
        assert tasks.send_due_reminders() == 0
    Campaign.objects.filter(pk=invited.pk).update(reminder_days_before=3)
    with time_machine.travel(invited.closes_at + timedelta(hours=1)):
        assert tasks.send_due_reminders() == 0
    assert mail.outbox == []


def test_due_reminders_are_on_the_beat_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert schedule["task"] == "surveys.tasks.send_due_reminders"
    assert schedule["schedule"] == 3600.0


def test_regions_offered_to_a_regional_coordinator_are_theirs(client_as, survey):
    page = client_as("coordinator").get("/campaigns/new/").content.decode()
    assert Region.objects.get(nuts_code="PL22").name in page
    assert Region.objects.get(nuts_code="NL35").name not in page
    assert "Consortium-wide" not in page


def test_a_file_with_no_good_line_is_a_warning_only(client_as, survey, slaskie):
    campaign = make_campaign(survey, slaskie)

    page = upload(client_as("coordinator"), campaign, b"not-an-email\n").content.decode()

    assert "message--success" not in page
    assert "1 line not imported: line 1: " in page
    assert not campaign.invitations.exists()


def test_a_new_campaign_starts_from_the_consortium_privacy_notice_in_every_language(
    client_as, survey, slaskie
):
    from surveys.campaigns.forms import DEFAULT_PRIVACY_NOTICE

    client = client_as("coordinator")
    form = client.get("/campaigns/new/").context["form"]
    assert form["privacy_notice"].value() == DEFAULT_PRIVACY_NOTICE
    assert re.fullmatch(r"\d{4}-\d\d", form["privacy_notice_version"].value())

    response = client.post(
        "/campaigns/new/",
        {
            "title": "Śląskie staff 2027",
            "survey": survey.pk,
            "region": slaskie.pk,
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-02-10T17:00",
            "access": "open",
            "privacy_notice": DEFAULT_PRIVACY_NOTICE,
            "privacy_notice_version": "2027-01",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Śląskie staff 2027")
    # Respondents who answer in Polish read the catalogue's Polish notice, untouched by hand.
    with translation.override("pl"):
        assert campaign.translations["pl"]["privacy_notice"] == gettext(DEFAULT_PRIVACY_NOTICE)
    assert set(campaign.translations) == {"pl", "nl", "it", "pt", "ro", "lt"}
