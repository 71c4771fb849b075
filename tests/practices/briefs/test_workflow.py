"""The workflow of a policy brief, as the permission table of DESIGN.md reads it.

The brief is the Province of Silesia's, about Śląskie, started by `staff`. Staff of the
regions it concerns write and submit it (the consortium coordinator's lead partner is in
Śląskie too); the coordinators of those regions comment or send it back to draft; only the
consortium coordinator publishes and withdraws; nobody reviews their own brief. Each step
goes through the shared workflow, is recorded and emailed; a refused one leaves no trace.
"""

import pytest
from django.core import mail

from practices.models import BriefStatus, BriefStep, BriefVersion, PolicyBrief
from practices.workflow import TransitionRefused
from tests.factories.briefs import BriefFactory, form_data
from tests.factories.practices import eager_tasks  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

S = BriefStatus
TARGETS = {
    "submit": S.IN_REVIEW,
    "comment": S.IN_REVIEW,
    "request_changes": S.DRAFT,
    "publish": S.PUBLISHED,
    "withdraw": S.WITHDRAWN,
}
WITH_COMMENT = {"comment", "request_changes", "withdraw"}

ALLOWED = [
    ("submit", S.DRAFT, "staff"),
    ("submit", S.DRAFT, "coordinator"),
    ("submit", S.DRAFT, "consortium_coordinator"),
    ("comment", S.IN_REVIEW, "coordinator"),
    ("comment", S.IN_REVIEW, "consortium_coordinator"),
    ("request_changes", S.IN_REVIEW, "coordinator"),
    ("request_changes", S.IN_REVIEW, "consortium_coordinator"),
    ("publish", S.IN_REVIEW, "consortium_coordinator"),
    ("withdraw", S.PUBLISHED, "consortium_coordinator"),
]

OUTSIDERS = [("respondent", 404), ("other_staff", 404), ("other_coordinator", 404)]
REFUSED = [
    *[("submit", S.DRAFT, role, "staff", code) for role, code in OUTSIDERS],
    *[
        (action, S.IN_REVIEW, role, "staff", code)
        for action in ("comment", "request_changes")
        for role, code in [*OUTSIDERS, ("staff", 403)]
    ],
    *[
        ("publish", S.IN_REVIEW, role, "staff", code)
        for role, code in [*OUTSIDERS, ("staff", 403), ("coordinator", 403)]
    ],
    *[
        ("withdraw", S.PUBLISHED, role, "staff", 403)
        for role in ("respondent", "other_staff", "other_coordinator", "staff", "coordinator")
    ],
    # A draft cannot be published, a brief in review not submitted again.
    ("publish", S.DRAFT, "consortium_coordinator", "staff", 403),
    ("submit", S.IN_REVIEW, "staff", "staff", 403),
    # Nobody reviews or publishes their own brief.
    ("comment", S.IN_REVIEW, "coordinator", "coordinator", 403),
    ("request_changes", S.IN_REVIEW, "coordinator", "coordinator", 403),
    ("publish", S.IN_REVIEW, "consortium_coordinator", "consortium_coordinator", 403),
]


def case_id(case) -> str:
    return "-".join(str(part) for part in case)


def brief_of(request, status, author_role="staff", **fields) -> PolicyBrief:
    author = request.getfixturevalue(author_role)
    partner = author.memberships.get().partner
    return BriefFactory(partner=partner, created_by=author, status=status, **fields)


def take(brief, action, user):
    method = getattr(brief, action)
    if action in WITH_COMMENT:
        return method(by=user, comment=f"Comment on {action}.")
    return method(by=user)


@pytest.fixture
def everyone(
    staff, coordinator, other_staff, other_coordinator, consortium_coordinator, respondent
):
    """All roles exist, so the emails could go to anyone: the tests see who got them."""


@pytest.mark.parametrize(("action", "source", "role"), ALLOWED, ids=map(case_id, ALLOWED))
def test_allowed_role_takes_the_step_through_the_model(
    request, everyone, django_capture_on_commit_callbacks, action, source, role
):
    brief = brief_of(request, source)
    user = request.getfixturevalue(role)

    with django_capture_on_commit_callbacks(execute=True):
        step = take(brief, action, user)

    brief.refresh_from_db()
    assert brief.status == TARGETS[action]
    assert (step.from_status, step.to_status, step.actor, step.action) == (
        source,
        TARGETS[action],
        user,
        action,
    )
    assert list(brief.steps.all()) == [step]
    addressed = {address for message in mail.outbox for address in message.to}
    assert (brief.created_by.email in addressed) == (user != brief.created_by)
    assert user.email not in addressed


@pytest.mark.parametrize(("action", "source", "role"), ALLOWED, ids=map(case_id, ALLOWED))
def test_allowed_role_takes_the_step_through_the_url(
    request, client_as, everyone, django_capture_on_commit_callbacks, action, source, role
):
    brief = brief_of(request, source)
    user = request.getfixturevalue(role)
    client = client_as(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/briefs/{brief.pk}/{action}/", {"comment": f"On {action}."})

    assert response.status_code == 302
    # A reviewer's decision leads on to the next record waiting: here none, so the queue.
    decided = action in ("request_changes", "publish")
    assert response["Location"] == ("/practices/review/" if decided else f"/briefs/{brief.pk}/")
    brief.refresh_from_db()
    assert brief.status == TARGETS[action]
    step = brief.steps.get()
    assert (step.from_status, step.to_status, step.actor) == (source, TARGETS[action], user)
    assert step.comment == f"On {action}."
    if decided:
        queue = client.get(response["Location"]).content.decode()
        assert brief.get_status_display() in queue and "Nothing else is waiting." in queue
    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    assert f"On {action}." in page  # the trail shows the comment


@pytest.mark.parametrize(
    ("action", "source", "role", "author_role", "code"), REFUSED, ids=map(case_id, REFUSED)
)
def test_refused_role_changes_nothing(
    request,
    client_as,
    everyone,
    django_capture_on_commit_callbacks,
    action,
    source,
    role,
    author_role,
    code,
):
    brief = brief_of(request, source, author_role)
    user = request.getfixturevalue(role)

    # Step emails are sent on commit: run what was queued, so an email would be seen.
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(TransitionRefused):
            take(brief, action, user)
        response = client_as(role).post(f"/briefs/{brief.pk}/{action}/", {"comment": "Sneaky."})

    assert response.status_code == code
    brief.refresh_from_db()
    assert brief.status == source
    assert not BriefStep.objects.exists()
    assert mail.outbox == []


def test_a_visitor_is_sent_to_sign_in(client, staff):
    brief = BriefFactory(created_by=staff, status=S.PUBLISHED)
    response = client.post(f"/briefs/{brief.pk}/withdraw/", {"comment": "No."})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    brief.refresh_from_db()
    assert brief.status == S.PUBLISHED


def test_staff_of_another_region_concerned_writes_and_submits(client_as, staff, other_staff):
    """HU (Utrecht) staff may write a Province brief once it concerns Utrecht too."""
    brief = BriefFactory(created_by=staff)
    assert client_as("other_staff").get(f"/briefs/{brief.pk}/edit/").status_code == 404

    brief.regions.add(other_staff.memberships.get().partner.region)
    client = client_as("other_staff")
    response = client.post(f"/briefs/{brief.pk}/edit/", form_data(brief, then="submit"))

    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.status == S.IN_REVIEW
    assert brief.steps.get().actor == other_staff


def test_submission_emails_the_coordinators_of_the_regions_concerned(
    everyone,
    staff,
    coordinator,
    other_coordinator,
    consortium_coordinator,
    slaskie,
    utrecht,
    django_capture_on_commit_callbacks,
):
    brief = BriefFactory(created_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        brief.submit(by=staff)

    addressed = sorted(address for message in mail.outbox for address in message.to)
    assert addressed == sorted([coordinator.email, consortium_coordinator.email])
    assert all(brief.title in message.subject for message in mail.outbox)
    assert f"/briefs/{brief.pk}/" in mail.outbox[0].body

    # A brief that also concerns Utrecht reaches Utrecht's coordinator as well.
    mail.outbox.clear()
    other = BriefFactory(created_by=staff, regions=[slaskie, utrecht])
    with django_capture_on_commit_callbacks(execute=True):
        other.submit(by=staff)
    addressed = {address for message in mail.outbox for address in message.to}
    assert other_coordinator.email in addressed


def test_a_review_comment_keeps_the_state_and_reaches_the_author(
    everyone, staff, coordinator, django_capture_on_commit_callbacks
):
    brief = BriefFactory(created_by=staff, status=S.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        brief.comment(by=coordinator, comment="Name the programme line that would fund this.")

    brief.refresh_from_db()
    assert brief.status == S.IN_REVIEW
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert "Review comment" in message.subject
    assert "Name the programme line" in message.body


def test_comments_and_changes_requests_need_a_reason(staff, coordinator, consortium_coordinator):
    brief = BriefFactory(created_by=staff, status=S.IN_REVIEW)
    for action in ("comment", "request_changes"):
        with pytest.raises(TransitionRefused) as refusal:
            brief.transition(action, by=coordinator, comment="  ")
        assert "comment" in refusal.value.errors
    published = BriefFactory(created_by=staff, status=S.PUBLISHED)
    with pytest.raises(TransitionRefused):
        published.withdraw(by=consortium_coordinator, comment="")
    assert not BriefStep.objects.exists()


def test_the_url_shows_why_a_comment_was_refused_and_keeps_nothing(client_as, staff, coordinator):
    brief = BriefFactory(created_by=staff, status=S.IN_REVIEW)
    response = client_as("coordinator").post(f"/briefs/{brief.pk}/comment/", {"comment": ""})
    assert response.status_code == 400
    assert "Please say why" in response.content.decode()
    assert not brief.steps.exists()


def test_an_incomplete_brief_is_not_submitted_and_says_what_is_missing(client_as, staff):
    brief = BriefFactory(created_by=staff, audience="", key_messages=[], body="")
    client = client_as("staff")
    response = client.post(
        f"/briefs/{brief.pk}/edit/", form_data(brief, then="submit"), follow=True
    )

    brief.refresh_from_db()
    assert brief.status == S.DRAFT
    page = response.content.decode()
    assert "Saved, but not submitted yet." in page
    for label in ("audience", "key messages", "text (Markdown)"):
        assert label in page


def test_the_whole_path_with_a_request_for_changes_keeps_versions(
    client_as, staff, coordinator, consortium_coordinator, django_capture_on_commit_callbacks
):
    brief = BriefFactory(created_by=staff)
    brief.submit(by=staff)
    brief.request_changes(by=coordinator, comment="Add a key message on funding.")
    client = client_as("staff")
    messages = "\n".join([*brief.key_messages, "Open a voucher line for cooperation training."])
    response = client.post(
        f"/briefs/{brief.pk}/edit/", form_data(brief, key_messages=messages, then="submit")
    )
    assert response.status_code == 302
    brief.refresh_from_db()
    brief.publish(by=consortium_coordinator)

    assert [s.to_status for s in brief.steps.all()] == [
        S.IN_REVIEW,
        S.DRAFT,
        S.IN_REVIEW,
        S.PUBLISHED,
    ]
    version = BriefVersion.objects.get(brief=brief)
    assert version.number == 1
    assert "Open a voucher line" not in "\n".join(version.content["key_messages"])
    diff = client.get(f"/briefs/{brief.pk}/versions/1/").content.decode()
    assert "Key messages" in diff
    assert "<ins>" in diff and "Open a voucher line for cooperation training." in diff


def test_a_coordinator_who_edited_a_brief_does_not_review_or_publish_it(
    client_as, staff, coordinator, consortium_coordinator, slaskie
):
    brief = BriefFactory(partner=staff.memberships.get().partner, created_by=staff, status=S.DRAFT)
    brief.regions.set([slaskie])
    for role in ("coordinator", "consortium_coordinator"):
        response = client_as(role).post(
            f"/briefs/{brief.pk}/edit/", form_data(brief, authors=f"{role} helped")
        )
        assert response.status_code == 302, role
    take(brief, "submit", staff)

    assert brief not in PolicyBrief.objects.waiting_for(coordinator)
    assert brief not in PolicyBrief.objects.waiting_for(consortium_coordinator)
    for action, user in [
        ("comment", coordinator),
        ("request_changes", coordinator),
        ("comment", consortium_coordinator),
        ("publish", consortium_coordinator),
    ]:
        with pytest.raises(TransitionRefused):
            take(brief, action, user)
    brief.refresh_from_db()
    assert brief.status == S.IN_REVIEW and brief.steps.count() == 1


def test_a_coordinator_who_submitted_a_brief_does_not_review_it(staff, coordinator):
    brief = BriefFactory(partner=staff.memberships.get().partner, created_by=staff, status=S.DRAFT)
    take(brief, "submit", coordinator)
    with pytest.raises(TransitionRefused):
        take(brief, "comment", coordinator)
