"""Every page of the policy briefs as every role, and what the pages show.

The briefs are the Province of Silesia's, about Śląskie, started by `staff`. Its writers are
the staff of Śląskie's partners: `staff` and `coordinator` (the Province), and the consortium
coordinator (the lead partner is in Śląskie too). Utrecht's people see published briefs only.
"""

import datetime
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from practices.models import BriefStatus, BriefVersion, PolicyBrief
from surveys.models import Competence, Framework
from tests.conftest import ROLES, unavailable
from tests.factories.briefs import BriefFactory, form_data
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, MISSING, LOGIN = 200, 403, 404, "login"
S = BriefStatus

EVERYONE = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
WRITERS = {
    **dict.fromkeys(ROLES, MISSING),
    "staff": OK,
    "coordinator": OK,
    "consortium_coordinator": OK,
}
PARTNER_MEMBERS = {
    **dict.fromkeys(ROLES, OK),
    "anonymous": LOGIN,
    "respondent": FORBIDDEN,
    "admin_user": FORBIDDEN,
}
WRITERS_READ_ONLY = {
    **dict.fromkeys(ROLES, MISSING),
    "anonymous": LOGIN,
    "staff": FORBIDDEN,
    "coordinator": FORBIDDEN,
    "consortium_coordinator": FORBIDDEN,
}

PAGES = {
    "/briefs/": EVERYONE,
    "/briefs/?region=slaskie&area=A2": EVERYONE,
    "/briefs/?region=nowhere&area=99": EVERYONE,
    "/briefs/feed/": EVERYONE,
    "/briefs/{published}/": EVERYONE,
    "/briefs/{published}/pdf/": EVERYONE,
    "/briefs/{draft}/": WRITERS,
    "/briefs/{draft}/pdf/": WRITERS,
    "/briefs/{in_review}/": WRITERS,
    "/briefs/{in_review}/pdf/": WRITERS,
    "/briefs/{withdrawn}/": WRITERS,
    "/briefs/{in_review}/versions/1/": WRITERS,
    "/briefs/{published}/versions/1/": {**WRITERS},
    "/briefs/{draft}/edit/": {**WRITERS, "anonymous": LOGIN},
    "/briefs/{in_review}/edit/": WRITERS_READ_ONLY,
    "/briefs/{published}/edit/": {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN},
    "/briefs/999999/": dict.fromkeys(ROLES, MISSING),
    "/briefs/999999/pdf/": dict.fromkeys(ROLES, MISSING),
    "/briefs/new/": PARTNER_MEMBERS,
    "/briefs/mine/": SIGNED_IN,
}


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    if response.status_code == FORBIDDEN:
        assert "You cannot do this" in response.content.decode()
    if response.status_code == MISSING:
        assert "We cannot find this page" in response.content.decode()
    if response.status_code == OK and response.get("Content-Type") == "application/pdf":
        assert response.content.startswith(b"%PDF")
    return response.status_code


@pytest.fixture
def everyone(request):
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            clients[role].force_login(request.getfixturevalue(role))
    return clients


@pytest.fixture
def briefs(staff):
    made = {
        status.value: BriefFactory(created_by=staff, status=status, title=f"Brief {status}")
        for status in S
    }
    for name in ("in_review", "published"):
        BriefVersion.objects.create(
            brief=made[name],
            number=1,
            content=made[name].snapshot() | {"audience": "Mayors"},
            saved_by=staff,
        )
    return {name: brief.pk for name, brief in made.items()}


@pytest.mark.parametrize(("path", "expected"), PAGES.items(), ids=list(PAGES))
def test_page_as_every_role(everyone, briefs, path, expected):
    url = path.format(**briefs)

    outcomes = {role: outcome(client.get(url)) for role, client in everyone.items()}

    assert outcomes == expected


# Markdown --------------------------------------------------------------------------------

HOSTILE = """\
## Recommendations

<script>alert("body")</script>

<div onmouseover="alert('div')">raw block</div>

Click [here](javascript:alert('link')) or [there](JAVASCRIPT:alert('upper')) or
<a href="javascript:alert('tag')">a tag</a> and <img src=x onerror="alert('img')">.

[Programme](https://www.interregeurope.eu/) · **bold** and *italic*.

<iframe src="https://example.org/"></iframe>
"""


def test_the_body_is_markdown_with_every_kind_of_script_neutralised(client, staff):
    brief = BriefFactory(created_by=staff, status=S.PUBLISHED, body=HOSTILE)

    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    body = page[page.index('class="prose brief__body"') :].split("</div>", 1)[0]

    assert "<h3>Recommendations</h3>" in body  # one level below the page's h2 sections
    assert "<strong>bold</strong>" in body and "<em>italic</em>" in body
    elements = Elements()
    elements.feed(body.split(">", 1)[1])
    assert {tag for tag, _attrs in elements.found} == {"h3", "p", "a", "strong", "em"}
    assert [attrs for tag, attrs in elements.found if tag == "a"] == [
        {"href": "https://www.interregeurope.eu/", "rel": "nofollow noopener"}
    ]
    assert not [name for _tag, attrs in elements.found for name in attrs if name.startswith("on")]
    # What was typed is still there, as text.
    assert '&lt;script&gt;alert("body")&lt;/script&gt;' in body
    assert "&lt;div onmouseover=" in body


class Elements(HTMLParser):
    """The elements of an HTML fragment and their attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_markdown_in_key_messages_and_title_is_plain_escaped_text(client, staff):
    brief = BriefFactory(
        created_by=staff,
        status=S.PUBLISHED,
        title="<b>Bold</b> title",
        key_messages=['<script>alert("km")</script>'],
    )
    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;km&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page


# Listing and feed ------------------------------------------------------------------------


def test_the_listing_shows_published_briefs_only_and_filters_by_region_and_area(
    client, staff, other_staff, slaskie, utrecht
):
    framework = Framework.objects.current()
    networking = Competence.objects.get(area__framework=framework, code="2.2")
    silesian = BriefFactory(created_by=staff, status=S.PUBLISHED, title="Silesian brief")
    silesian.practices.set([PracticeFactory(status="published", competences=[networking])])
    dutch = BriefFactory(
        created_by=other_staff,
        partner=other_staff.memberships.get().partner,
        status=S.PUBLISHED,
        title="Utrecht brief",
        regions=[utrecht],
    )
    BriefFactory(created_by=staff, status=S.IN_REVIEW, title="Brief still in review")

    def titles(query=""):
        page = client.get(f"/briefs/{query}")
        assert page.status_code == 200
        return {b.title for b in page.context["page"].object_list}

    assert titles() == {silesian.title, dutch.title}
    assert titles("?region=utrecht") == {dutch.title}
    assert titles("?region=slaskie") == {silesian.title}
    assert titles("?area=A2") == {silesian.title}
    assert titles("?area=A5") == set()
    assert titles("?region=utrecht&area=A2") == set()
    assert "Brief still in review" not in client.get("/briefs/").content.decode()


def test_the_listing_runs_the_same_queries_for_3_briefs_or_30(
    client, staff, django_assert_max_num_queries
):
    for _ in range(3):
        BriefFactory(created_by=staff, status=S.PUBLISHED)
    with django_assert_max_num_queries(8) as few:
        client.get("/briefs/")
    for _ in range(27):
        BriefFactory(created_by=staff, status=S.PUBLISHED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/briefs/")
    assert len(response.context["page"].object_list) == 20


def test_the_atom_feed_lists_published_briefs_with_their_key_messages(client, staff):
    published = BriefFactory(created_by=staff, status=S.PUBLISHED, title="Fund mentoring")
    BriefFactory(created_by=staff, status=S.IN_REVIEW, title="Not yet public")

    response = client.get("/briefs/feed/")

    feed = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Fund mentoring</title>" in feed
    assert published.key_messages[0] in feed
    assert f"/briefs/{published.pk}/" in feed
    assert "Not yet public" not in feed
    assert "<name>Anna Kowalska, Jan Nowak</name>" in feed


def test_the_navigation_links_to_policy_briefs(client, client_as, staff):
    assert 'href="/briefs/"' in client.get("/").content.decode()
    page = client_as("staff").get("/").content.decode()
    assert 'href="/briefs/mine/"' in page


# PDF -------------------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        unavailable("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "brief.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_has_a_cover_with_the_key_messages_and_the_practices_cited(client, staff, tmp_path):
    practice = PracticeFactory(status="published", title="Łódź science cafés")
    brief = BriefFactory(
        created_by=staff,
        status=S.PUBLISHED,
        title="Negotiation skills for Śląskie",
        body="## What we found\n\nTransfer staff <script>x</script> want **training**.",
    )
    brief.practices.set([practice])

    response = client.get(f"/briefs/{brief.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Negotiation skills for Śląskie" in text
    assert "Key messages" in text
    for message in brief.key_messages:
        assert message in text
    assert "What we found" in text
    assert "<script>x</script>" in text  # shown as typed, never run
    assert "Łódź science cafés" in text
    assert f"/practices/{practice.pk}/" in text


# Authoring -------------------------------------------------------------------------------


def test_a_member_starts_a_brief_for_their_partner_and_region(client_as, other_staff, hu):
    client = client_as("other_staff")
    form = client.get("/briefs/new/").context["form"]
    assert form["regions"].value() == [hu.region_id]

    response = client.post(
        "/briefs/new/",
        {
            "title": "Mentoring for Utrecht",
            "key_messages": "One\n\n  Two  ",
            "language": "en",
            "then": "save",
        },
    )

    brief = PolicyBrief.objects.get()
    assert response["Location"] == f"/briefs/{brief.pk}/edit/"
    assert (brief.partner, brief.created_by, brief.status) == (hu, other_staff, S.DRAFT)
    assert brief.key_messages == ["One", "Two"]


def test_too_many_key_messages_are_refused_next_to_the_field_keeping_the_text(client_as, staff):
    brief = BriefFactory(created_by=staff)
    typed = "\n".join(f"Message number {n}" for n in range(1, 7))

    response = client_as("staff").post(
        f"/briefs/{brief.pk}/edit/", form_data(brief, key_messages=typed)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "At most 5 key messages, one per line." in page
    assert "Message number 6" in page
    brief.refresh_from_db()
    assert len(brief.key_messages) == 2


def test_only_published_practices_can_be_cited(client_as, staff):
    brief = BriefFactory(created_by=staff)
    draft = PracticeFactory(status="draft")

    response = client_as("staff").post(
        f"/briefs/{brief.pk}/edit/", form_data(brief, practices=[draft.pk])
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not brief.practices.exists()


def test_the_reviewer_sees_the_comment_form_and_the_author_does_not(client_as, staff, coordinator):
    brief = BriefFactory(created_by=staff, status=S.IN_REVIEW)
    author_page = client_as("staff").get(f"/briefs/{brief.pk}/").content.decode()
    assert "Your next step" not in author_page

    reviewer_page = client_as("coordinator").get(f"/briefs/{brief.pk}/").content.decode()
    assert "Add a review comment" in reviewer_page
    assert "Request changes (back to draft)" in reviewer_page
    assert "Publish</button>" not in reviewer_page


def test_your_briefs_lists_what_each_person_writes_and_reviews(client_as, staff, utrecht):
    draft = BriefFactory(created_by=staff, title="Our own draft")
    in_review = BriefFactory(created_by=staff, status=S.IN_REVIEW, title="Waiting in review")
    BriefFactory(created_by=staff, status=S.IN_REVIEW, regions=[utrecht], title="About Utrecht")

    staff_page = client_as("staff").get("/briefs/mine/")
    assert set(staff_page.context["written"]) >= {draft, in_review}
    assert "Waiting for your review" not in staff_page.content.decode()

    other = client_as("other_coordinator").get("/briefs/mine/")
    assert [b.title for b in other.context["waiting"]] == ["About Utrecht"]


def test_a_published_brief_shows_its_date(client, staff):
    brief = BriefFactory(created_by=staff, status=S.PUBLISHED)
    PolicyBrief.objects.filter(pk=brief.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
    )
    assert "4 Mar 2026" in client.get(f"/briefs/{brief.pk}/").content.decode()


# Demo ------------------------------------------------------------------------------------


def test_seed_demo_adds_three_briefs_once_the_published_one_with_live_findings(settings, client):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    assert sorted(PolicyBrief.objects.values_list("status", flat=True)) == sorted(
        [S.DRAFT, S.IN_REVIEW, S.PUBLISHED]
    )
    published = PolicyBrief.objects.get(status=S.PUBLISHED)
    assert published.practices.count() == 2 and published.findings.count() == 2
    assert [s.action for s in published.steps.all()] == ["submit", "comment", "publish"]
    page = client.get(f"/briefs/{published.pk}/").content.decode()
    assert "Negotiating agreements" in page and "current level" in page
    assert [b.title for b in client.get("/briefs/").context["page"].object_list] == [
        published.title
    ]
