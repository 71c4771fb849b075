"""The activity pages as each role sees them: the list and its filters, an activity's page,
proposing and editing, confirming, marking held and cancelling, documents, the calendar."""

import datetime
import re

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, ActivityDocument, Participant
from partners.models import Partner
from surveys.models import Competence, Framework
from tests.factories.activities import ActivityFactory, ParticipantFactory
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TODAY = timezone.localdate
ROLES = [
    "anonymous",
    "respondent",
    "staff",
    "other_staff",
    "coordinator",
    "other_coordinator",
    "consortium_coordinator",
]
# Who opens a proposal of the Province of Silesia (Śląskie) that nobody has confirmed yet.
SEES_UNCONFIRMED = {"staff", "coordinator", "consortium_coordinator"}
# Who changes a confirmed activity of Śląskie: its region's coordinators, the consortium's.
COORDINATES_HOST = {"coordinator", "consortium_coordinator"}


def proposal(**fields) -> Activity:
    return ActivityFactory(confirmed_at=None, title="Proposed peer review in Katowice", **fields)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_proposal_is_seen_by_the_host_and_its_region_only(client_as, role):
    activity = proposal()
    client = client_as(role)

    page = client.get(activity.get_absolute_url())
    listed = "Proposed peer review in Katowice" in text(client.get("/activities/"))

    if role in SEES_UNCONFIRMED:
        assert page.status_code == 200
        assert "awaiting confirmation" in text(page)
        assert listed
    else:
        assert page.status_code == 404
        assert not listed


@pytest.mark.parametrize("role", ROLES)
def test_a_confirmed_activity_is_public_without_anyones_name(client_as, role):
    activity = ActivityFactory(title="Study visit to the Silesian science park")
    ParticipantFactory.create_batch(6, activity=activity, name="Agnieszka Nowak-Kowalska")
    for n in range(5):
        ParticipantFactory(
            activity=activity,
            type=Participant.Type.POLICY_MAKER,
            name=f"Policy maker {n}",
            email=f"policy{n}@example.org",
        )

    page = text(client_as(role).get(activity.get_absolute_url()))

    assert "Study visit to the Silesian science park" in page
    assert "Nowak-Kowalska" not in page and "Policy maker 1" not in page
    assert "@example.org" not in page
    assert 'data-count="attended">11<' in page
    assert 'RII staff</th><td class="number">6<' in page
    assert 'Policy maker</th><td class="number">5<' in page


def test_counts_under_five_and_those_that_would_reveal_them_show_as_fewer_than_5(client):
    activity = ActivityFactory()
    ParticipantFactory.create_batch(6, activity=activity)
    ParticipantFactory.create_batch(2, activity=activity, type=Participant.Type.POLICY_MAKER)
    ParticipantFactory.create_batch(3, activity=activity, attended=False)
    small = ActivityFactory(title="A small workshop")
    ParticipantFactory.create_batch(3, activity=small)

    page = text(client.get(activity.get_absolute_url()))
    listed = text(client.get("/activities/"))

    # 8 attended in all: the 2 policy makers are hidden, and so are the 6 RII staff, whose
    # count would give away the 2 (8 − 6).
    assert 'data-count="attended">8<' in page
    assert 'RII staff</th><td class="number">6<' not in page
    assert page.count("fewer than 5") >= 3
    assert ">8<" in listed and ">3<" not in listed


@pytest.mark.parametrize("role", ROLES)
def test_the_participants_page_is_linked_for_coordinators_of_the_host_only(client_as, role):
    activity = ActivityFactory()
    link = f'href="/activities/{activity.pk}/participants/"'

    page = text(client_as(role).get(activity.get_absolute_url()))

    assert (link in page) == (role in COORDINATES_HOST)


def test_the_page_shows_only_the_practices_and_briefs_one_may_see(client_as, staff, hu):
    from tests.factories.briefs import BriefFactory

    activity = ActivityFactory()
    published = PracticeFactory(title="Published mentoring scheme", status="published")
    draft = PracticeFactory(title="Draft of another partner", partner=hu)
    brief = BriefFactory(title="A brief in draft", partner=hu)
    activity.practices.add(published, draft)
    activity.briefs.add(brief)
    competence = Competence.objects.filter(area__framework=Framework.objects.current()).first()
    activity.competences.add(competence)

    visitor = text(client_as("anonymous").get(activity.get_absolute_url()))
    other_staff = text(client_as("other_staff").get(activity.get_absolute_url()))

    assert "Published mentoring scheme" in visitor
    assert "Draft of another partner" not in visitor and "A brief in draft" not in visitor
    assert competence.name in visitor
    assert "Draft of another partner" in other_staff and "A brief in draft" in other_staff


# The list -----------------------------------------------------------------------------------


def test_the_list_has_upcoming_and_past_activities_and_filters_by_kind_region_and_year(client, hu):
    ActivityFactory(title="Upcoming visit")
    ActivityFactory(
        title="The 2025 workshop in Utrecht",
        kind=Activity.Kind.WORKSHOP,
        host_partner=hu,
        starts_on=datetime.date(2025, 10, 7),
        ends_on=datetime.date(2025, 10, 8),
        status=Activity.Status.HELD,
    )
    ActivityFactory(title="A cancelled visit", status=Activity.Status.CANCELLED)

    page = text(client.get("/activities/"))
    upcoming, past = page.split('id="past-heading"')

    assert "Upcoming visit" in upcoming and "The 2025 workshop" in past
    assert "A cancelled visit" not in page
    assert titles(client.get("/activities/", {"kind": "workshop"})) == [
        "The 2025 workshop in Utrecht"
    ]
    assert titles(client.get("/activities/", {"region": hu.region_id})) == [
        "The 2025 workshop in Utrecht"
    ]
    assert titles(client.get("/activities/", {"year": "2025"})) == ["The 2025 workshop in Utrecht"]
    # A year of the project without activities has its own (empty) list, not everything.
    assert titles(client.get("/activities/", {"year": "2028"})) == []
    # A filter that cannot be read is left out, not an error.
    assert len(titles(client.get("/activities/", {"year": "soon", "kind": "party"}))) == 2
    filtered = client.get("/activities/", {"kind": "workshop"}).content.decode()
    assert '<option value="workshop" selected>' in filtered


def titles(response) -> list[str]:
    return re.findall(r'<a href="/activities/\d+/">([^<]+)</a>', response.content.decode())


def test_the_list_costs_the_same_queries_for_3_and_30_activities(
    client_as, django_assert_max_num_queries, memory_cache
):
    client = client_as("staff")
    for n in range(3):
        ParticipantFactory(activity=ActivityFactory(title=f"Visit {n}"))
    ActivityFactory(
        title="Visit held",
        starts_on=datetime.date(2025, 5, 30),
        ends_on=datetime.date(2025, 5, 30),
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get("/activities/").status_code == 200

    for n in range(3, 30):
        activity = ActivityFactory(
            title=f"Visit {n}",
            starts_on=datetime.date(2025, 6, 1) + datetime.timedelta(days=n),
            ends_on=datetime.date(2025, 6, 1) + datetime.timedelta(days=n),
        )
        ParticipantFactory(activity=activity)
    proposal()
    with django_assert_max_num_queries(len(few)):
        response = client.get("/activities/")

    assert len(titles(response)) == 3 + 1 + 20  # upcoming ones, the proposal, a page of past
    assert client.get("/activities/", {"page": 2}).status_code == 200


# Proposing and editing ----------------------------------------------------------------------


def form_data(partner: Partner, **changes) -> dict:
    data = {
        "host_partner": partner.pk,
        "kind": Activity.Kind.PEER_REVIEW,
        "title": "Peer review of the Silesian innovation strategy",
        "starts_on": (TODAY() + datetime.timedelta(days=40)).isoformat(),
        "ends_on": (TODAY() + datetime.timedelta(days=41)).isoformat(),
        "place": "Katowice, Marshal's Office",
        "description": "Peers from Utrecht and Liguria read the strategy with us.",
    }
    return {**data, **changes}


def test_partner_staff_propose_an_activity_that_awaits_confirmation(client_as, province):
    competence = Competence.objects.filter(area__framework=Framework.objects.current()).first()

    response = client_as("staff").post(
        "/activities/new/", form_data(province, competences=[competence.pk])
    )

    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.host_partner == province and activity.region == province.region
    assert not activity.is_confirmed
    assert list(activity.competences.all()) == [competence]


def test_the_form_groups_competences_by_area(client_as):
    page = text(client_as("staff").get("/activities/new/"))

    groups = re.findall(r"<div><label>([^<]+)</label>(.*?)</div> </div>", page)
    areas = Framework.objects.current().areas.order_by("position")
    assert [name for name, _options in groups] == [area.name for area in areas]
    first = areas[0].competences.order_by("position")[0]
    assert f"{first.code} {first.name}" in groups[0][1]


def test_a_coordinator_s_activity_is_confirmed_as_it_is_made(client_as, province, coordinator):
    client_as("coordinator").post("/activities/new/", form_data(province))

    activity = Activity.objects.get()
    assert activity.is_confirmed and activity.confirmed_by == coordinator


def test_staff_cannot_propose_for_another_partner(client_as, hu):
    response = client_as("staff").post("/activities/new/", form_data(hu))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "Select a valid choice" in text(response)
    assert "field--error" in text(response).split('name="host_partner"')[0][-400:]


@pytest.mark.parametrize("role", ["anonymous", "respondent"])
def test_who_is_not_partner_staff_cannot_propose(client_as, role):
    response = client_as(role).get("/activities/new/")

    assert response.status_code == (302 if role == "anonymous" else 403)


def test_the_last_day_before_the_first_is_refused_next_to_the_field_with_input_kept(
    client_as, province
):
    data = form_data(province, starts_on="2026-05-10", ends_on="2026-05-08", place="")

    response = client_as("staff").post("/activities/new/", data)

    page = text(response)
    assert response.status_code == 200 and not Activity.objects.exists()
    ends_field = page.split('for="id_ends_on"')[1].split('name="ends_on"')[0]
    assert "The last day cannot be before the first day." in ends_field
    assert "Give the place, or tick “online”." in page
    assert 'value="Peer review of the Silesian innovation strategy"' in page
    assert 'value="2026-05-08"' in page


@pytest.mark.parametrize("role", ROLES)
def test_who_edits_a_confirmed_activity(client_as, role):
    activity = ActivityFactory()

    response = client_as(role).get(f"/activities/{activity.pk}/edit/")

    expected = {"anonymous": 302, **dict.fromkeys(COORDINATES_HOST, 200)}.get(role, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_who_edits_a_proposal(client_as, role):
    activity = proposal()

    response = client_as(role).post(
        f"/activities/{activity.pk}/edit/", form_data(activity.host_partner, title="New title")
    )

    activity.refresh_from_db()
    if role in SEES_UNCONFIRMED:
        assert response.status_code == 302 and activity.title == "New title"
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert activity.title == "Proposed peer review in Katowice"


# Confirm, mark held, cancel -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_confirms_a_proposal(client_as, role):
    activity = proposal()

    response = client_as(role).post(f"/activities/{activity.pk}/confirm/")

    activity.refresh_from_db()
    assert activity.is_confirmed == (role in COORDINATES_HOST)
    expected = {"anonymous": 302, "staff": 403, **dict.fromkeys(COORDINATES_HOST, 302)}
    assert response.status_code == expected.get(role, 404)


def test_transitions_take_post_only(client_as):
    activity = proposal()
    client = client_as("coordinator")

    for action in ("confirm", "held", "cancel"):
        assert client.get(f"/activities/{activity.pk}/{action}/").status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_who_marks_a_started_activity_held(client_as, role):
    activity = ActivityFactory(starts_on=TODAY(), ends_on=TODAY())

    response = client_as(role).post(f"/activities/{activity.pk}/held/")

    activity.refresh_from_db()
    assert (activity.status == Activity.Status.HELD) == (role in COORDINATES_HOST)
    expected = {"anonymous": 302, **dict.fromkeys(COORDINATES_HOST, 302)}.get(role, 403)
    assert response.status_code == expected


def test_an_activity_is_marked_held_from_its_first_day_on_and_once_confirmed(client_as):
    future = ActivityFactory()
    unconfirmed = proposal(starts_on=TODAY(), ends_on=TODAY())
    client = client_as("coordinator")

    later = client.post(f"/activities/{future.pk}/held/", follow=True)
    not_yet = client.post(f"/activities/{unconfirmed.pk}/held/", follow=True)

    future.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert future.status == unconfirmed.status == Activity.Status.PLANNED
    assert "An activity can be marked held from its first day on." in text(later)
    assert "Only a confirmed activity can be marked held." in text(not_yet)


def test_the_host_s_staff_cancel_their_own_proposal_not_a_confirmed_activity(client_as):
    mine = proposal()
    confirmed = ActivityFactory()
    client = client_as("staff")

    assert client.post(f"/activities/{mine.pk}/cancel/").status_code == 302
    assert client.post(f"/activities/{confirmed.pk}/cancel/").status_code == 403

    mine.refresh_from_db()
    confirmed.refresh_from_db()
    assert mine.status == Activity.Status.CANCELLED
    assert confirmed.status == Activity.Status.PLANNED


def test_a_cancelled_activity_leaves_the_public_list_and_page(client_as):
    activity = ActivityFactory(title="Visit that will not happen")

    client_as("coordinator").post(f"/activities/{activity.pk}/cancel/")

    client_as("anonymous").logout()
    assert "Visit that will not happen" not in text(client_as("anonymous").get("/activities/"))
    assert client_as("anonymous").get(activity.get_absolute_url()).status_code == 404


# Documents ----------------------------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_host_s_staff_add_an_agenda_that_anyone_who_sees_the_activity_downloads(
    client_as, media, staff
):
    activity = ActivityFactory()

    response = client_as("staff").post(
        f"/activities/{activity.pk}/documents/",
        {"kind": "agenda", "file": upload("Agenda.pdf", PDF)},
    )

    document = ActivityDocument.objects.get()
    assert response.status_code == 302
    assert document.uploaded_by == staff and document.content_type == "application/pdf"
    client_as("anonymous").logout()
    download = client_as("anonymous").get(document.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_a_file_whose_content_does_not_match_its_name_is_refused_with_a_message(client_as, media):
    activity = ActivityFactory()

    response = client_as("staff").post(
        f"/activities/{activity.pk}/documents/",
        {"kind": "minutes", "file": upload("minutes.pdf", b"<html>not a pdf</html>")},
    )

    assert response.status_code == 400
    assert "is not really a PDF file" in text(response)
    assert not ActivityDocument.objects.exists()


@pytest.mark.parametrize("role", ["respondent", "other_staff", "other_coordinator"])
def test_who_is_not_of_the_host_cannot_upload(client_as, role, media):
    activity = ActivityFactory()

    response = client_as(role).post(
        f"/activities/{activity.pk}/documents/", {"kind": "agenda", "file": upload("a.pdf", PDF)}
    )

    assert response.status_code == 403 and not ActivityDocument.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_proposal_s_documents_are_hidden_from_outsiders(client_as, role, media, staff):
    activity = proposal()
    client_as("staff").post(
        f"/activities/{activity.pk}/documents/", {"kind": "agenda", "file": upload("a.pdf", PDF)}
    )
    document = ActivityDocument.objects.get()
    client = client_as("anonymous")
    client.logout()

    response = client_as(role).get(document.get_absolute_url())

    assert response.status_code == (200 if role in SEES_UNCONFIRMED else 404)


def test_the_uploader_and_coordinators_remove_a_document_others_cannot(
    client_as, media, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    client_as("staff").post(
        f"/activities/{activity.pk}/documents/", {"kind": "agenda", "file": upload("a.pdf", PDF)}
    )
    document = ActivityDocument.objects.get()
    url = f"/activities/{activity.pk}/documents/{document.pk}/delete/"

    assert client_as("other_staff").post(url).status_code == 403
    assert client_as("respondent").post(url).status_code == 403
    stored = media / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as("coordinator").post(url).status_code == 302
    assert not ActivityDocument.objects.exists() and not stored.exists()


# The calendar -------------------------------------------------------------------------------


def test_the_calendar_has_public_activities_as_all_day_events(client, hu):
    visit = ActivityFactory(
        title="Study visit to Katowice",
        starts_on=datetime.date(2026, 3, 10),
        ends_on=datetime.date(2026, 3, 12),
        place="Katowice",
    )
    online = ActivityFactory(
        title="Online workshop",
        host_partner=hu,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 1),
        place="",
        is_online=True,
    )
    proposal()
    ActivityFactory(title="Cancelled visit", status=Activity.Status.CANCELLED)
    ParticipantFactory(activity=visit, name="Someone Particular")

    response = client.get("/activities/calendar.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"Someone Particular" not in response.content
    events = {
        str(event["summary"]): event
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert set(events) == {"Study visit to Katowice", "Online workshop"}
    event = events["Study visit to Katowice"]
    assert event.decoded("dtstart") == datetime.date(2026, 3, 10)
    assert event.decoded("dtend") == datetime.date(2026, 3, 13)
    assert str(event["location"]) == "Katowice"
    assert str(event["uid"]) == f"activity-{visit.pk}@testserver"
    assert str(event["url"]) == f"http://testserver/activities/{visit.pk}/"
    assert str(event["status"]) == "CONFIRMED"
    assert str(events["Online workshop"]["location"]) == "Online"
    assert events["Online workshop"].decoded("dtend") == datetime.date(2026, 4, 2)
    assert str(events["Online workshop"]["uid"]) == f"activity-{online.pk}@testserver"


# The practice's page ------------------------------------------------------------------------


def test_a_practice_s_page_names_the_public_activities_it_was_presented_at(client):
    practice = PracticeFactory(title="Published mentoring scheme", status="published")
    ActivityFactory(title="Workshop on mentoring").practices.add(practice)
    proposal().practices.add(practice)

    page = text(client.get(practice.get_absolute_url()))

    assert "Presented at" in page and "Workshop on mentoring" in page
    assert "Proposed peer review in Katowice" not in page
