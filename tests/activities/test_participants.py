"""The participants of an activity: who sees them, adding one, the CSV import (bad rows by
line, duplicates merged, guests linked to their accounts), attendance, removing one."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities.models import Activity, Participant
from activities.participants import imports
from tests.factories.accounts import UserFactory
from tests.factories.activities import ActivityFactory, FollowUpFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "respondent",
    "staff",
    "other_staff",
    "coordinator",
    "other_coordinator",
    "consortium_coordinator",
]
# Those who see the participants of a Śląskie activity by name.
MANAGERS = {"coordinator", "consortium_coordinator"}
GUEST_EMAIL = "ewa.guest@example.org"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def held(**fields) -> Activity:
    activity = ActivityFactory(starts_on=timezone.localdate(), **fields)
    activity.mark_held()
    return activity


def upload(content: str | bytes, name="participants.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def expected_status(role: str, *, public: bool) -> int | str:
    if role == "anonymous":
        return "login"
    if role in MANAGERS:
        return 200
    # Read-only (the activity is public, or theirs as the host's staff): 403; else 404.
    return 403 if public or role == "staff" else 404


def assert_status(response, expected) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


# Who sees the names ------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["activities:participants", "activities:capacity"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_host_regions_coordinators_and_the_consortium_see_participants(
    client_as, role, page
):
    activity = ActivityFactory()
    ParticipantFactory(activity=activity, email=GUEST_EMAIL, name="Ewa Gość")
    response = client_as(role).get(f"/activities/{activity.pk}/" + page.split(":")[1] + "/")
    assert_status(response, expected_status(role, public=True))
    if page == "activities:participants" and role in MANAGERS:
        assert GUEST_EMAIL in text(response) and "Ewa Gość" in text(response)
    elif response.status_code != 302:
        assert GUEST_EMAIL not in text(response)


@pytest.mark.parametrize("role", ROLES)
def test_an_unconfirmed_activitys_participants_are_not_found_by_outsiders(client_as, role):
    activity = ActivityFactory(confirmed_at=None)
    response = client_as(role).get(f"/activities/{activity.pk}/participants/")
    assert_status(response, expected_status(role, public=False))


@pytest.mark.parametrize("action", ["add/", "import/", "attendance/", "{participant}/remove/"])
@pytest.mark.parametrize("role", ["anonymous", "respondent", "staff", "other_coordinator"])
def test_nobody_else_changes_participants(client_as, role, action):
    activity = held()
    participant = ParticipantFactory(activity=activity, attended=False)
    data = {
        "email": "new.person@example.org",
        "type": "other",
        "attended": [participant.pk],
        "file": upload("New,new.person@example.org,,other\n"),
    }
    url = f"/activities/{activity.pk}/participants/" + action.format(participant=participant.pk)
    response = client_as(role).post(url, data)
    assert_status(response, expected_status(role, public=True))
    assert list(Participant.objects.values_list("pk", "attended")) == [(participant.pk, False)]


def test_the_list_costs_the_same_number_of_queries_for_many_participants(
    client_as, django_assert_max_num_queries, memory_cache
):
    activity = ActivityFactory()
    client = client_as("coordinator")
    ParticipantFactory(activity=activity, user=UserFactory())
    client.get(f"/activities/{activity.pk}/participants/")  # the session, warmed
    with django_assert_max_num_queries(12) as few:
        client.get(f"/activities/{activity.pk}/participants/")
    ParticipantFactory.create_batch(20, activity=activity)
    for _ in range(5):
        ParticipantFactory(activity=activity, user=UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/activities/{activity.pk}/participants/")
    assert response.content.decode().count("<tr>") >= 26


# Adding one ---------------------------------------------------------------------------------


def test_an_existing_users_email_links_the_participant_to_the_account(client_as):
    activity = ActivityFactory()
    person = UserFactory(email="Maria.Nowak@example.org", name="Maria Nowak")
    response = client_as("coordinator").post(
        f"/activities/{activity.pk}/participants/add/",
        {"email": "maria.nowak@EXAMPLE.org", "type": "rii_staff"},
    )
    assert response.status_code == 302
    participant = activity.participants.get()
    assert participant.user == person
    page = text(client_as("coordinator").get(f"/activities/{activity.pk}/participants/"))
    assert "Maria Nowak" in page and "Participant added and linked to their account." in page


def test_a_guest_is_added_with_name_organisation_and_type(client_as):
    activity = ActivityFactory()
    response = client_as("consortium_coordinator").post(
        f"/activities/{activity.pk}/participants/add/",
        {
            "email": GUEST_EMAIL,
            "name": "Ewa Gość",
            "organisation": "Silesian Park",
            "type": "policy_maker",
        },
    )
    assert response.status_code == 302
    guest = activity.participants.get()
    assert (guest.user, guest.name, guest.email, guest.organisation, guest.type) == (
        None,
        "Ewa Gość",
        GUEST_EMAIL,
        "Silesian Park",
        "policy_maker",
    )


def test_someone_already_there_is_refused_beside_the_email_with_the_input_kept(client_as):
    activity = ActivityFactory()
    ParticipantFactory(activity=activity, email=GUEST_EMAIL)
    response = client_as("coordinator").post(
        f"/activities/{activity.pk}/participants/add/",
        {"email": GUEST_EMAIL.upper(), "name": "Typed Name", "type": "other"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "This person is already a participant." in page
    assert 'value="Typed Name"' in page
    assert activity.participants.count() == 1


def test_a_bad_address_is_marked_next_to_the_field(client_as):
    activity = ActivityFactory()
    response = client_as("coordinator").post(
        f"/activities/{activity.pk}/participants/add/",
        {"email": "not an address", "name": "Typed Name", "type": "nobody"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Enter a valid email address." in page and 'value="Typed Name"' in page
    assert "Select a valid choice." in page
    assert not activity.participants.exists()


# The CSV import -----------------------------------------------------------------------------

CSV = (
    "Name;E-mail;Organisation;Type\n"  # line 1: the header
    "Anna Kowalska;anna@example.org;Silesian Park;RII staff\n"
    "Jan Nowak;jan@example.org;Province;partner_staff\n"
    "Bad Address;not-an-email;;other\n"  # line 4
    "Anna again;ANNA@example.org;;other\n"  # a duplicate within the file
    "No Email;;Somewhere;other\n"  # line 6
    "Piet;piet@example.org;HU;astronaut\n"  # line 7
    "\n"
    "Already There;existing@example.org;;policy maker\n"  # a duplicate of one already there
    "Account Holder;holder@example.org;;Stakeholder group member\n"
    "Typeless;typeless@example.org;;\n"
)


def test_the_import_adds_good_rows_reports_bad_ones_by_line_and_merges_duplicates(client_as):
    activity = ActivityFactory()
    ParticipantFactory(activity=activity, email="existing@example.org")
    holder = UserFactory(email="holder@example.org")
    client = client_as("coordinator")
    response = client.post(
        f"/activities/{activity.pk}/participants/import/", {"file": upload(CSV)}, follow=True
    )
    page = text(response)
    assert "4 participants added, 2 duplicates merged." in page
    assert (
        "3 lines not imported: line 4: &#x27;not-an-email&#x27; is not an email address; " in page
    )
    assert (
        "line 6: no email address; line 7: &#x27;astronaut&#x27; is not a participant type." in page
    )
    rows = {p.email: (p.name, p.type, p.user_id) for p in activity.participants.all()}
    assert rows == {
        "anna@example.org": ("Anna Kowalska", "rii_staff", None),
        "jan@example.org": ("Jan Nowak", "partner_staff", None),
        "existing@example.org": (rows["existing@example.org"][0], "rii_staff", None),
        "holder@example.org": ("Account Holder", "stakeholder", holder.pk),
        "typeless@example.org": ("Typeless", "other", None),
    }


def test_an_account_already_there_is_a_duplicate_whatever_address_the_file_gives():
    activity = ActivityFactory()
    person = UserFactory(email="person@example.org")
    ParticipantFactory(activity=activity, user=person, email="")
    result = imports.import_participants(activity, b"Person,PERSON@example.org,,other\n", by=None)
    assert (len(result.added), result.duplicates) == (0, 1)


def test_a_file_without_header_with_commas_and_a_byte_order_mark_is_read():
    rows, skipped = imports.parse_participants(
        "\ufeffAnna,anna@example.org,Park,Policy maker\n".encode()
    )
    assert skipped == []
    assert rows == [imports.Row(1, "Anna", "anna@example.org", "Park", "policy_maker")]


def test_a_header_in_another_order_is_followed():
    rows, _skipped = imports.parse_participants(b"email,type,name\nanna@example.org,other,Anna\n")
    assert rows == [imports.Row(2, "Anna", "anna@example.org", "", "other")]


def test_a_file_that_is_not_text_is_refused_next_to_the_field(client_as):
    activity = ActivityFactory()
    response = client_as("coordinator").post(
        f"/activities/{activity.pk}/participants/import/",
        {"file": upload(b"\xff\xfe\x00b\x00a\x00d")},
    )
    assert response.status_code == 400
    assert "The file is not UTF-8 text. Save it as CSV UTF-8." in text(response)
    assert not activity.participants.exists()


# Attendance and removal ---------------------------------------------------------------------


def test_attendance_is_confirmed_for_everyone_in_one_post_once_the_activity_is_held(client_as):
    activity = held()
    came, stayed_away = ParticipantFactory.create_batch(2, activity=activity, attended=False)
    client = client_as("coordinator")
    page = text(client.get(f"/activities/{activity.pk}/participants/"))
    assert f'name="attended" value="{came.pk}"' in page
    response = client.post(
        f"/activities/{activity.pk}/participants/attendance/", {"attended": [came.pk]}
    )
    assert response.status_code == 302
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert came.attended and not stayed_away.attended
    assert came.attendance_confirmed_at and stayed_away.attendance_confirmed_at
    counts = text(client.get(f"/activities/{activity.pk}/participants/"))
    assert 'data-attended="total">1<' in counts and 'data-count="total">2<' in counts


def test_attendance_waits_until_the_activity_is_held(client_as):
    activity = ActivityFactory()
    participant = ParticipantFactory(activity=activity, attended=False)
    client = client_as("coordinator")
    assert 'name="attended"' not in text(client.get(f"/activities/{activity.pk}/participants/"))
    response = client.post(
        f"/activities/{activity.pk}/participants/attendance/",
        {"attended": [participant.pk]},
        follow=True,
    )
    assert "Attendance is confirmed once the activity is marked held." in text(response)
    participant.refresh_from_db()
    assert not participant.attended and participant.attendance_confirmed_at is None


def test_another_activitys_participant_is_not_ticked_or_removed(client_as):
    activity = held()
    elsewhere = ParticipantFactory(activity=ActivityFactory(), attended=False)
    client = client_as("coordinator")
    client.post(f"/activities/{activity.pk}/participants/attendance/", {"attended": [elsewhere.pk]})
    response = client.post(f"/activities/{activity.pk}/participants/{elsewhere.pk}/remove/")
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.attended


def test_a_participant_is_removed(client_as):
    activity = ActivityFactory()
    participant = ParticipantFactory(activity=activity)
    response = client_as("consortium_coordinator").post(
        f"/activities/{activity.pk}/participants/{participant.pk}/remove/"
    )
    assert response.status_code == 302
    assert not activity.participants.exists()


def test_a_participant_who_answered_the_capacity_survey_stays(client_as):
    activity = held()
    participant = ParticipantFactory(activity=activity)
    FollowUpFactory(participant=participant, answered_at=timezone.now(), capacity_increased="some")
    response = client_as("coordinator").post(
        f"/activities/{activity.pk}/participants/{participant.pk}/remove/", follow=True
    )
    assert activity.participants.get() == participant
    assert "answered the capacity survey" in response.content.decode()
