"""The review queue (/practices/review/): good practices and policy briefs waiting for each
coordinator, the navigation's count, the second review prefilled with the first one's
scores, and the way on to the next record after each decision.

As in the workflow tests, the Province of Silesia (Śląskie) writes with `staff`; HU
(Utrecht) writes with `other_staff`; `coordinator` reviews Śląskie, `other_coordinator`
Utrecht, the consortium coordinator every region and the final stage.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import User
from practices.models import BriefStatus, GoodPractice, PolicyBrief, Status
from practices.review import count_waiting, waiting_for
from tests.conftest import row_counts
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.briefs import BriefFactory
from tests.factories.practices import RUBRIC, PracticeFactory, eager_tasks  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
COORDINATORS = ["coordinator", "other_coordinator", "consortium_coordinator"]


@pytest.fixture
def second_consortium_coordinator(lead_partner):
    user = UserFactory(email="consortium.second@example.org")
    MembershipFactory(
        user=user, partner=lead_partner, role="coordinator", is_consortium_coordinator=True
    )
    return user


class Queue(HTMLParser):
    """The rows of the queue's table (the text of each cell, and the row's link), and the
    navigation's count."""

    def __init__(self):
        super().__init__()
        self.rows, self.links, self.badge = [], [], None
        self._in_body = self._in_cell = self._in_badge = False

    @classmethod
    def of(cls, page: str) -> "Queue":
        parser = cls()
        parser.feed(page)
        return parser

    @property
    def titles(self) -> list[str]:
        return [row[1] for row in self.rows]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")
        elif self._in_body and tag == "a":
            self.links.append(attrs["href"])
        elif tag == "span" and attrs.get("class") == "nav-count":
            self._in_badge = True

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] = " ".join(f"{self.rows[-1][-1]} {data}".split())
        if self._in_badge:
            self.badge = int(data)
            self._in_badge = False


def queue_of(client, query: str = "") -> Queue:
    response = client.get(f"/practices/review/{query}")
    assert response.status_code == 200
    return Queue.of(response.content.decode())


def hu_brief(other_staff, hu, **fields) -> PolicyBrief:
    return BriefFactory(partner=hu, created_by=other_staff, **fields)


# What waits for whom -------------------------------------------------------------------------


def test_a_brief_waiting_is_in_the_queue_and_the_count_of_its_regions_coordinators_only(
    client_as, staff, other_staff, hu, coordinator, other_coordinator, consortium_coordinator
):
    with time_machine.travel(START, tick=False):
        silesian = BriefFactory(created_by=staff, title="Negotiation skills in Silesia")
        silesian.submit(by=staff)
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        practice = PracticeFactory(created_by=staff, title="Cooperation clinics")
        practice.submit(by=staff)
    with time_machine.travel(START + datetime.timedelta(days=2), tick=False):
        dutch = hu_brief(other_staff, hu, title="Mentoring in Utrecht")
        dutch.submit(by=other_staff)
    BriefFactory(created_by=staff, title="A Silesian draft")

    with time_machine.travel(START + datetime.timedelta(days=3, hours=2), tick=False):
        regional = queue_of(client_as("coordinator"))
        client_as("coordinator").logout()
        utrecht = queue_of(client_as("other_coordinator"))
        client_as("other_coordinator").logout()
        consortium = queue_of(client_as("consortium_coordinator"))

    assert regional.rows == [
        [
            "Policy brief",
            "Negotiation skills in Silesia",
            "Śląskie",
            "Regional review",
            "3 days, 2 hours (since 02/03/2026)",
        ],
        ["Good practice", "Cooperation clinics", "Śląskie", "Regional review", ANY_TIME],
    ]
    assert regional.links == [f"/briefs/{silesian.pk}/", f"/practices/{practice.pk}/"]
    assert regional.badge == 2
    assert utrecht.rows == [
        ["Policy brief", "Mentoring in Utrecht", "Utrecht", "Regional review", ANY_TIME]
    ]
    assert utrecht.badge == 1
    assert consortium.titles == [
        "Negotiation skills in Silesia",
        "Cooperation clinics",
        "Mentoring in Utrecht",
    ]
    assert [row[3] for row in consortium.rows] == [
        "Publication",
        "Regional review",
        "Publication",
    ]
    assert consortium.badge == 3


class _AnyTime:
    """Any waiting time, as the queue writes it ("2 days, 2 hours (since 03/03/2026)")."""

    def __eq__(self, other):
        return bool(re.fullmatch(r"\d+ \w+(, \d+ \w+)? \(since \d\d/\d\d/\d{4}\)", other))

    def __repr__(self):
        return "<any waiting time>"


ANY_TIME = _AnyTime()


def test_a_brief_about_two_regions_waits_for_both_regions_coordinators(
    client_as, staff, slaskie, utrecht, coordinator, other_coordinator
):
    brief = BriefFactory(created_by=staff, regions=[slaskie, utrecht], status=BriefStatus.DRAFT)
    brief.submit(by=staff)

    for role in ("coordinator", "other_coordinator"):
        queue = queue_of(client_as(role))
        assert queue.rows[0][1:3] == [brief.title, "Utrecht, Śląskie"], role
        assert queue.badge == 1


@pytest.fixture
def world(
    staff,
    other_staff,
    hu,
    slaskie,
    utrecht,
    coordinator,
    other_coordinator,
    consortium_coordinator,
    second_consortium_coordinator,
):
    """Records in every state, of both regions, some of them taken part in by a reviewer."""
    for status in Status:
        PracticeFactory(created_by=staff, status=status, title=f"Silesian {status}")
        PracticeFactory(partner=hu, created_by=other_staff, status=status, title=f"Dutch {status}")
    for status in BriefStatus:
        BriefFactory(created_by=staff, status=status, title=f"Silesian brief {status}")
        hu_brief(other_staff, hu, status=status, title=f"Dutch brief {status}")
        BriefFactory(created_by=staff, status=status, regions=[slaskie, utrecht])
    # Written, edited or submitted by a reviewer: not theirs to review.
    PracticeFactory(created_by=coordinator, status=Status.SUBMITTED, title="The coordinator's")
    edited = PracticeFactory(created_by=staff, title="Edited by the coordinator")
    edited.editors.add(coordinator)
    edited.submit(by=staff)
    submitted = BriefFactory(created_by=staff, title="Brief submitted by the coordinator")
    submitted.submit(by=coordinator)
    # Approved for the region by a consortium coordinator: the other one validates it.
    approved = PracticeFactory(created_by=staff, title="Approved by the consortium")
    approved.submit(by=staff)
    approved.approve(by=consortium_coordinator, rubric=dict(RUBRIC))
    # Approved by them in an earlier round only: theirs to validate again.
    again = PracticeFactory(created_by=staff, title="Approved again by the region")
    again.submit(by=staff)
    again.approve(by=consortium_coordinator, rubric=dict(RUBRIC))
    again.request_changes(by=second_consortium_coordinator, comment="Numbers, please.")
    again.resubmit(by=staff)
    again.approve(by=coordinator, rubric=dict(RUBRIC))


ROLES_WHO_REVIEW = [*COORDINATORS, "second_consortium_coordinator"]


@pytest.mark.parametrize("role", [*ROLES_WHO_REVIEW, "staff", "respondent"])
def test_the_queue_is_exactly_what_the_user_may_decide_on_now(request, world, role):
    user = User.objects.get(pk=request.getfixturevalue(role).pk)
    records = [*GoodPractice.objects.all(), *PolicyBrief.objects.all()]

    may_decide = {
        (type(record).__name__, record.pk)
        for record in records
        if any(t.decides for t in record.available_transitions(user))
    }
    queued = {(type(item.record).__name__, item.record.pk) for item in waiting_for(user)}

    assert queued == may_decide
    assert sum(count_waiting(user).values()) == len(queued)
    if role in ROLES_WHO_REVIEW:
        assert queued  # the world has something for every reviewer


@pytest.mark.parametrize("role", COORDINATORS)
def test_the_navigation_count_is_the_length_of_the_queue(client_as, world, role):
    client = client_as(role)

    home = Queue.of(client.get("/").content.decode())
    queue = queue_of(client)

    assert home.badge == queue.badge == len(queue.rows) > 0


def test_the_queue_shows_one_kind_when_asked_and_both_otherwise(client_as, world):
    client = client_as("coordinator")
    everything = queue_of(client)

    practices = queue_of(client, "?kind=practice")
    briefs = queue_of(client, "?kind=brief")
    unknown = queue_of(client, "?kind=%3Cscript%3E")

    assert {row[0] for row in practices.rows} == {"Good practice"}
    assert {row[0] for row in briefs.rows} == {"Policy brief"}
    assert sorted(practices.titles + briefs.titles) == sorted(everything.titles)
    assert unknown.rows == everything.rows
    page = client.get("/practices/review/?kind=brief").content.decode()
    assert f'aria-current="page">Policy briefs ({len(briefs.rows)})</a>' in page
    assert f"Everything ({len(everything.rows)})" in page


@pytest.mark.parametrize("role", ["anonymous", "respondent", "staff", "other_staff"])
def test_people_who_do_not_review_have_no_queue(client_as, world, role):
    response = client_as(role).get("/practices/review/")

    assert response.status_code in (302, 403)
    assert "Silesian" not in response.content.decode()


def test_nothing_waiting_says_so(client_as, coordinator):
    page = client_as("coordinator").get("/practices/review/").content.decode()

    assert "Nothing is waiting for you." in page
    assert "<table" not in page


def test_the_count_and_the_queue_take_a_fixed_number_of_queries(
    client_as, memory_cache, staff, other_staff, hu, coordinator, consortium_coordinator
):
    def add_records(number):
        for _ in range(number):
            PracticeFactory(created_by=staff).submit(by=staff)
            BriefFactory(created_by=staff).submit(by=staff)
            PracticeFactory(created_by=staff, status=Status.APPROVED)
            hu_brief(other_staff, hu, status=BriefStatus.IN_REVIEW)

    def queries_of_the_queue_page():
        client = client_as("consortium_coordinator")
        client.get("/practices/review/")  # the session and the sign-in are read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/practices/review/").status_code == 200
        return len(queries)

    add_records(1)
    few = queries_of_the_queue_page()
    add_records(4)
    many = queries_of_the_queue_page()

    assert many == few
    for reviewer, expected in [
        (coordinator, {"practice": 5, "brief": 5}),
        (consortium_coordinator, {"practice": 10, "brief": 10}),
    ]:
        user = User.objects.get(pk=reviewer.pk)  # nothing read about them yet
        with CaptureQueriesContext(connection) as queries:
            assert count_waiting(user) == expected
        assert len(queries) == 3  # the user's memberships, then one COUNT per kind


def test_the_count_in_the_navigation_is_a_few_queries_whatever_the_number_waiting(
    client_as, memory_cache, staff, consortium_coordinator, django_assert_max_num_queries
):
    for _ in range(6):
        PracticeFactory(created_by=staff, status=Status.SUBMITTED)
        BriefFactory(created_by=staff, status=BriefStatus.IN_REVIEW)
    user = User.objects.get(pk=consortium_coordinator.pk)

    with django_assert_max_num_queries(3):
        assert sum(count_waiting(user).values()) == 12


# The second review -------------------------------------------------------------------------


def selected_scores(page: str) -> dict[str, str | None]:
    """The option selected in each score field of the review form."""
    scores = {}
    for criterion in ("evidence", "transferability", "relevance"):
        select = page.split(f'name="{criterion}_score"')[1].split("</select>")[0]
        chosen = re.search(r'<option value="(\d)" selected>', select)
        scores[criterion] = chosen.group(1) if chosen else None
    return scores


def test_the_second_reviewer_confirms_or_changes_the_first_reviewers_scores(
    client_as, staff, coordinator, consortium_coordinator
):
    coordinator.name = "Ewa Regional"
    coordinator.save()
    practice = PracticeFactory(created_by=staff)
    practice.submit(by=staff)
    regional_form = client_as("coordinator").get(f"/practices/{practice.pk}/").content.decode()
    with time_machine.travel(START, tick=False):
        practice.approve(by=coordinator, rubric=dict(RUBRIC), comment="Good to go.")
    client_as("coordinator").logout()
    client = client_as("consortium_coordinator")

    page = client.get(f"/practices/{practice.pk}/").content.decode()

    # The first review starts empty; the second starts from the first one's scores.
    assert selected_scores(regional_form) == dict.fromkeys(
        ("evidence", "transferability", "relevance")
    )
    assert selected_scores(page) == {"evidence": "4", "transferability": "3", "relevance": "5"}
    assert "Regional review: 4 — by Ewa Regional on 2 Mar 2026" in page
    assert "Regional review: 3 — by Ewa Regional on 2 Mar 2026" in page
    assert f"The regional reviewer wrote: {RUBRIC['evidence_comment']}" in page
    # The consortium coordinator keeps two scores and changes one.
    response = client.post(
        f"/practices/{practice.pk}/publish/",
        {
            "evidence_score": "4",
            "transferability_score": "5",
            "relevance_score": "5",
            "transferability_comment": "Two other regions asked for it already.",
        },
    )

    assert response.status_code == 302
    approval, publication = practice.steps.filter(action__in=["approve", "publish"])
    assert (approval.actor, approval.scores()) == (
        coordinator,
        {"evidence_score": 4, "transferability_score": 3, "relevance_score": 5},
    )
    assert approval.transferability_comment == RUBRIC["transferability_comment"]
    assert (publication.actor, publication.scores()) == (
        consortium_coordinator,
        {"evidence_score": 4, "transferability_score": 5, "relevance_score": 5},
    )
    assert publication.transferability_comment == "Two other regions asked for it already."
    trail = client.get(f"/practices/{practice.pk}/").content.decode().split("Review trail")[1]
    assert trail.count('<table class="rubric">') == 2


def test_the_second_review_starts_from_the_latest_regional_review(
    client_as, staff, coordinator, consortium_coordinator
):
    practice = PracticeFactory(created_by=staff)
    practice.submit(by=staff)
    practice.approve(by=coordinator, rubric=dict(RUBRIC))
    practice.request_changes(by=consortium_coordinator, comment="Add the funding.")
    practice.resubmit(by=staff)
    practice.approve(by=coordinator, rubric={**RUBRIC, "evidence_score": 2})

    page = client_as("consortium_coordinator").get(f"/practices/{practice.pk}/").content.decode()

    assert selected_scores(page) == {"evidence": "2", "transferability": "3", "relevance": "5"}


def test_a_refused_second_review_keeps_what_was_typed_and_the_first_scores_shown(
    client_as, staff, coordinator, consortium_coordinator
):
    practice = PracticeFactory(created_by=staff)
    practice.submit(by=staff)
    practice.approve(by=coordinator, rubric=dict(RUBRIC))
    steps = practice.steps.count()

    response = client_as("consortium_coordinator").post(
        f"/practices/{practice.pk}/publish/",
        {"evidence_score": "", "transferability_score": "1", "relevance_score": "5"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert selected_scores(page) == {"evidence": None, "transferability": "1", "relevance": "5"}
    assert "Give a score from 1 to 5." in page
    assert "Regional review: 4 — by" in page
    practice.refresh_from_db()
    assert practice.status == Status.APPROVED and practice.steps.count() == steps


# After a decision ---------------------------------------------------------------------------


def test_after_each_decision_the_reviewer_lands_on_the_next_item_waiting(
    client_as, staff, coordinator, consortium_coordinator
):
    with time_machine.travel(START, tick=False):
        oldest = PracticeFactory(created_by=staff, title="Oldest practice")
        oldest.submit(by=staff)
    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        brief = BriefFactory(created_by=staff, title="A brief in between")
        brief.submit(by=staff)
    with time_machine.travel(START + datetime.timedelta(hours=2), tick=False):
        newest = PracticeFactory(created_by=staff, title="Newest practice")
        newest.submit(by=staff)
    client = client_as("coordinator")
    review = {**{key: str(value) for key, value in RUBRIC.items()}, "comment": "Fine."}

    # Deciding on the newest first leads to the oldest still waiting.
    to_oldest = client.post(f"/practices/{newest.pk}/approve/", review, follow=True)
    to_brief = client.post(f"/practices/{oldest.pk}/decline/", review, follow=True)
    to_queue = client.post(f"/briefs/{brief.pk}/request_changes/", review, follow=True)

    assert to_oldest.redirect_chain == [(f"/practices/{oldest.pk}/", 302)]
    assert "Done: “Newest practice” is now “Approved by the region”." in to_oldest.content.decode()
    assert "Next waiting for you: “Oldest practice”." in to_oldest.content.decode()
    assert to_brief.redirect_chain == [(f"/briefs/{brief.pk}/", 302)]
    assert to_queue.redirect_chain == [("/practices/review/", 302)]
    assert "Nothing else is waiting." in to_queue.content.decode()
    oldest.refresh_from_db(), newest.refresh_from_db(), brief.refresh_from_db()
    assert (oldest.status, newest.status, brief.status) == (
        Status.DECLINED,
        Status.APPROVED,
        BriefStatus.DRAFT,
    )
    # The practice approved for the region now waits for the consortium coordinator.
    client.logout()
    consortium = client_as("consortium_coordinator")
    published = consortium.post(f"/practices/{newest.pk}/publish/", review, follow=True)
    assert published.redirect_chain == [("/practices/review/", 302)]


def test_a_review_comment_on_a_brief_stays_on_the_brief(client_as, staff, coordinator):
    brief = BriefFactory(created_by=staff)
    brief.submit(by=staff)
    PracticeFactory(created_by=staff).submit(by=staff)

    response = client_as("coordinator").post(f"/briefs/{brief.pk}/comment/", {"comment": "Why?"})

    assert response["Location"] == f"/briefs/{brief.pk}/"


@pytest.mark.parametrize(
    ("role", "url", "code"),
    [
        ("other_coordinator", "/practices/{practice}/approve/", 404),
        ("staff", "/practices/{practice}/decline/", 403),
        ("coordinator", "/practices/{approved}/publish/", 403),
        ("other_coordinator", "/briefs/{brief}/request_changes/", 404),
        ("staff", "/briefs/{brief}/request_changes/", 403),
        ("coordinator", "/briefs/{brief}/publish/", 403),
    ],
)
def test_a_refused_decision_changes_nothing_and_leads_nowhere(
    client_as,
    django_capture_on_commit_callbacks,
    staff,
    coordinator,
    other_coordinator,
    consortium_coordinator,
    role,
    url,
    code,
):
    practice = PracticeFactory(created_by=staff)
    practice.submit(by=staff)
    approved = PracticeFactory(created_by=staff)
    approved.submit(by=staff)
    approved.approve(by=consortium_coordinator, rubric=dict(RUBRIC))
    brief = BriefFactory(created_by=staff)
    brief.submit(by=staff)
    client = client_as(role)
    before, mail.outbox = row_counts(), []
    statuses = [(r.pk, r.status) for r in (practice, approved, brief)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url.format(practice=practice.pk, approved=approved.pk, brief=brief.pk),
            {**{key: str(value) for key, value in RUBRIC.items()}, "comment": "Sneaky."},
        )

    assert response.status_code == code
    assert row_counts() == before
    for record in (practice, approved, brief):
        record.refresh_from_db()
    assert [(r.pk, r.status) for r in (practice, approved, brief)] == statuses
    assert mail.outbox == []


def test_the_waiting_time_counts_from_the_current_stage(staff, coordinator, consortium_coordinator):
    with time_machine.travel(START, tick=False):
        practice = PracticeFactory(created_by=staff)
        practice.submit(by=staff)
    with time_machine.travel(START + datetime.timedelta(days=5), tick=False):
        practice.approve(by=coordinator, rubric=dict(RUBRIC))

    [item] = waiting_for(User.objects.get(pk=consortium_coordinator.pk))

    assert item.waiting_since == START + datetime.timedelta(days=5)
    assert item.step == "Final validation"
    assert timezone.is_aware(item.waiting_since)
