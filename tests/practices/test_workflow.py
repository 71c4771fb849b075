"""The review workflow of a good practice, as the permission table of DESIGN.md reads it.

The practice is the Province of Silesia's, in Śląskie, written by `staff`. Partner members
(staff and the regional coordinator, who works at the same partner) submit; the region's
coordinator or the consortium's reviews; only the consortium's publishes and archives;
nobody reviews their own practice. Every step is taken through the model method and
through the URL, and a refused attempt leaves no trace: same status, no step, no email.
"""

from html.parser import HTMLParser

import pytest
from django.core import mail

from practices.models import GoodPractice, PracticeVersion, ReviewStep, Status
from practices.workflow import TransitionRefused
from tests.factories.practices import RUBRIC, PracticeFactory, eager_tasks, form_data  # noqa: F401

# Celery runs in the process: the emails a step queues on commit land in mail.outbox.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

S = Status
TARGETS = {
    "submit": S.SUBMITTED,
    "resubmit": S.SUBMITTED,
    "back_to_draft": S.DRAFT,
    "request_changes": S.CHANGES_REQUESTED,
    "approve": S.APPROVED,
    "publish": S.PUBLISHED,
    "decline": S.DECLINED,
    "archive": S.ARCHIVED,
}
REVIEW_STEPS = {"request_changes", "approve", "publish", "decline"}

# (action, state it starts from, who takes it)
ALLOWED = [
    ("submit", S.DRAFT, "staff"),
    ("submit", S.DRAFT, "coordinator"),
    ("resubmit", S.CHANGES_REQUESTED, "staff"),
    ("resubmit", S.CHANGES_REQUESTED, "coordinator"),
    ("back_to_draft", S.CHANGES_REQUESTED, "staff"),
    ("back_to_draft", S.CHANGES_REQUESTED, "coordinator"),
    ("request_changes", S.SUBMITTED, "coordinator"),
    ("request_changes", S.SUBMITTED, "consortium_coordinator"),
    ("request_changes", S.APPROVED, "consortium_coordinator"),
    ("approve", S.SUBMITTED, "coordinator"),
    ("approve", S.SUBMITTED, "consortium_coordinator"),
    ("publish", S.APPROVED, "consortium_coordinator"),
    ("decline", S.SUBMITTED, "coordinator"),
    ("decline", S.SUBMITTED, "consortium_coordinator"),
    ("decline", S.APPROVED, "consortium_coordinator"),
    ("archive", S.PUBLISHED, "consortium_coordinator"),
]

# (action, state, who tries, who wrote the practice, what the URL answers)
OUTSIDERS = [("respondent", 404), ("other_staff", 404), ("other_coordinator", 404)]
REFUSED = [
    *[("submit", S.DRAFT, role, "staff", code) for role, code in OUTSIDERS],
    # The consortium coordinator is not a member of the Province: a draft is not theirs to see.
    ("submit", S.DRAFT, "consortium_coordinator", "staff", 404),
    *[
        (action, S.CHANGES_REQUESTED, role, "staff", code)
        for action in ("resubmit", "back_to_draft")
        for role, code in [*OUTSIDERS, ("consortium_coordinator", 403)]
    ],
    *[
        (action, S.SUBMITTED, role, "staff", code)
        for action in ("request_changes", "approve", "decline")
        for role, code in [*OUTSIDERS, ("staff", 403)]
    ],
    # Once approved by the region, the next step is the consortium's, not the region's.
    ("request_changes", S.APPROVED, "coordinator", "staff", 403),
    ("decline", S.APPROVED, "coordinator", "staff", 403),
    *[
        ("publish", S.APPROVED, role, "staff", code)
        for role, code in [*OUTSIDERS, ("staff", 403), ("coordinator", 403)]
    ],
    *[
        ("archive", S.PUBLISHED, role, "staff", 403)
        for role in ("respondent", "other_staff", "other_coordinator", "staff", "coordinator")
    ],
    # Nobody reviews their own practice.
    ("approve", S.SUBMITTED, "coordinator", "coordinator", 403),
    ("request_changes", S.SUBMITTED, "coordinator", "coordinator", 403),
    ("decline", S.SUBMITTED, "coordinator", "coordinator", 403),
    ("approve", S.SUBMITTED, "consortium_coordinator", "consortium_coordinator", 403),
    ("publish", S.APPROVED, "consortium_coordinator", "consortium_coordinator", 403),
]


def case_id(case) -> str:
    return "-".join(str(part) for part in case)


def practice_of(request, status, author_role="staff", **fields) -> GoodPractice:
    """A complete practice in `status`, written by that role at that role's partner."""
    author = request.getfixturevalue(author_role)
    partner = author.memberships.get().partner
    return PracticeFactory(partner=partner, created_by=author, status=status, **fields)


def post_data(action: str) -> dict:
    data = {"comment": f"Comment on {action}."}
    if action in REVIEW_STEPS:
        data.update({key: str(value) for key, value in RUBRIC.items()})
    return data


def take(practice, action, user):
    """The model method of the action, with a comment and the rubric where it takes them."""
    method = getattr(practice, action)
    comment = f"Comment on {action}."
    if action in REVIEW_STEPS:
        return method(by=user, comment=comment, rubric=dict(RUBRIC))
    if action == "archive":
        return method(by=user, comment=comment)
    return method(by=user)


@pytest.fixture
def everyone(
    staff, coordinator, other_staff, other_coordinator, consortium_coordinator, respondent
):
    """All roles exist, so the emails could go to anyone: the tests see who got them."""


# Allowed ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "source", "role"), ALLOWED, ids=map(case_id, ALLOWED))
def test_allowed_role_takes_the_step_through_the_model(
    request, everyone, django_capture_on_commit_callbacks, action, source, role
):
    practice = practice_of(request, source)
    user = request.getfixturevalue(role)

    with django_capture_on_commit_callbacks(execute=True):
        step = take(practice, action, user)

    practice.refresh_from_db()
    assert practice.status == TARGETS[action]
    assert (step.from_status, step.to_status, step.actor, step.action) == (
        source,
        TARGETS[action],
        user,
        action,
    )
    assert list(practice.steps.all()) == [step]
    if action in REVIEW_STEPS:
        assert step.comment == f"Comment on {action}."
        assert (step.evidence_score, step.transferability_score, step.relevance_score) == (4, 3, 5)
        assert step.evidence_comment == RUBRIC["evidence_comment"]
    addressed = {address for message in mail.outbox for address in message.to}
    assert (practice.created_by.email in addressed) == (user != practice.created_by)


@pytest.mark.parametrize(("action", "source", "role"), ALLOWED, ids=map(case_id, ALLOWED))
def test_allowed_role_takes_the_step_through_the_url(
    request, client_as, everyone, django_capture_on_commit_callbacks, action, source, role
):
    practice = practice_of(request, source)
    user = request.getfixturevalue(role)
    client = client_as(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/practices/{practice.pk}/{action}/", post_data(action))

    assert response.status_code == 302
    # A reviewer's decision leads on to the next record waiting: here none, so the queue.
    decided = action in REVIEW_STEPS
    assert response["Location"] == (
        "/practices/review/" if decided else f"/practices/{practice.pk}/"
    )
    practice.refresh_from_db()
    assert practice.status == TARGETS[action]
    step = practice.steps.get()
    assert (step.from_status, step.to_status, step.actor) == (source, TARGETS[action], user)
    assert step.comment == f"Comment on {action}."
    if action in REVIEW_STEPS:
        assert (step.evidence_score, step.transferability_score, step.relevance_score) == (4, 3, 5)
        assert step.relevance_comment == RUBRIC["relevance_comment"]
    page = client.get(response["Location"]).content.decode()
    assert practice.get_status_display() in page
    if decided:
        assert "Nothing else is waiting." in page


def test_the_author_sees_the_whole_trail_with_comments_and_scores(
    staff, coordinator, consortium_coordinator, client_as
):
    practice = PracticeFactory(created_by=staff)
    practice.submit(by=staff)
    practice.request_changes(by=coordinator, comment="Add numbers to the evidence.")
    practice.resubmit(by=staff)
    practice.approve(by=coordinator, rubric=dict(RUBRIC))
    practice.publish(by=consortium_coordinator, rubric=dict(RUBRIC), comment="Welcome aboard.")

    page = client_as("staff").get(f"/practices/{practice.pk}/").content.decode()

    assert [s.to_status for s in practice.steps.all()] == [
        S.SUBMITTED,
        S.CHANGES_REQUESTED,
        S.SUBMITTED,
        S.APPROVED,
        S.PUBLISHED,
    ]
    assert "Review trail" in page
    assert "Add numbers to the evidence." in page
    assert "Welcome aboard." in page
    assert RUBRIC["transferability_comment"] in page
    practice.refresh_from_db()
    assert practice.published_at is not None


# Refused ------------------------------------------------------------------------------------


def assert_no_trace(practice, status):
    """Call after the step was tried inside django_capture_on_commit_callbacks(execute=True):
    step emails are sent on commit, so only then would an email be in the outbox."""
    practice.refresh_from_db()
    assert practice.status == status
    assert not ReviewStep.objects.filter(practice=practice).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("action", "source", "role", "author", "code"), REFUSED, ids=map(case_id, REFUSED)
)
def test_refused_role_is_refused_by_the_model(
    request, everyone, django_capture_on_commit_callbacks, action, source, role, author, code
):
    practice = practice_of(request, source, author)
    user = request.getfixturevalue(role)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        take(practice, action, user)

    assert_no_trace(practice, source)


@pytest.mark.parametrize(
    ("action", "source", "role", "author", "code"), REFUSED, ids=map(case_id, REFUSED)
)
def test_refused_role_is_refused_through_the_url(
    request,
    client_as,
    everyone,
    django_capture_on_commit_callbacks,
    action,
    source,
    role,
    author,
    code,
):
    practice = practice_of(request, source, author)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(role).post(f"/practices/{practice.pk}/{action}/", post_data(action))

    assert response.status_code == code
    if code == 403:
        assert "You cannot do this" in response.content.decode()
    assert_no_trace(practice, source)


@pytest.mark.parametrize("action", sorted(TARGETS))
def test_anonymous_is_sent_to_sign_in_and_changes_nothing(
    client, everyone, django_capture_on_commit_callbacks, staff, action
):
    source = {
        "submit": S.DRAFT,
        "resubmit": S.CHANGES_REQUESTED,
        "back_to_draft": S.CHANGES_REQUESTED,
        "publish": S.APPROVED,
        "archive": S.PUBLISHED,
    }.get(action, S.SUBMITTED)
    practice = PracticeFactory(created_by=staff, status=source)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/practices/{practice.pk}/{action}/", post_data(action))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert_no_trace(practice, source)


def test_a_transition_needs_a_post(client_as, staff, django_capture_on_commit_callbacks):
    practice = PracticeFactory(created_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("staff").get(f"/practices/{practice.pk}/submit/")

    assert response.status_code == 405
    assert_no_trace(practice, S.DRAFT)


# Wrong state --------------------------------------------------------------------------------

# (action, state it is tried from, who tries (someone who could take it in the right state))
WRONG_STATE = [
    ("publish", S.DRAFT, "consortium_coordinator"),
    ("publish", S.SUBMITTED, "consortium_coordinator"),
    ("approve", S.DRAFT, "coordinator"),
    ("approve", S.APPROVED, "consortium_coordinator"),
    ("approve", S.CHANGES_REQUESTED, "coordinator"),
    ("request_changes", S.DRAFT, "coordinator"),
    ("decline", S.PUBLISHED, "consortium_coordinator"),
    ("decline", S.DECLINED, "coordinator"),
    ("submit", S.SUBMITTED, "staff"),
    ("submit", S.PUBLISHED, "staff"),
    ("resubmit", S.DRAFT, "staff"),
    ("back_to_draft", S.SUBMITTED, "staff"),
    ("archive", S.APPROVED, "consortium_coordinator"),
    ("archive", S.ARCHIVED, "consortium_coordinator"),
]


@pytest.mark.parametrize(("action", "source", "role"), WRONG_STATE, ids=map(case_id, WRONG_STATE))
def test_a_step_from_the_wrong_state_is_refused(
    request, client_as, everyone, django_capture_on_commit_callbacks, action, source, role
):
    practice = practice_of(request, source)
    user = request.getfixturevalue(role)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(TransitionRefused, match="no longer possible"):
            take(practice, action, user)
        response = client_as(role).post(f"/practices/{practice.pk}/{action}/", post_data(action))

    assert response.status_code in (403, 404)
    assert_no_trace(practice, source)


def test_an_unknown_action_is_refused(
    client_as, staff, coordinator, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(created_by=staff, status=S.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(TransitionRefused, match="does not exist"):
            practice.transition("delete_everything", by=coordinator)
        response = client_as("coordinator").post(f"/practices/{practice.pk}/delete_everything/")

    assert response.status_code == 403
    assert_no_trace(practice, S.SUBMITTED)


def test_a_step_taken_meanwhile_by_someone_else_is_refused_with_the_new_status(
    staff, coordinator, consortium_coordinator, client_as
):
    practice = PracticeFactory(created_by=staff, status=S.SUBMITTED)
    stale = GoodPractice.objects.get(pk=practice.pk)
    practice.decline(by=consortium_coordinator, comment="Not a practice, a plan.")

    with pytest.raises(TransitionRefused, match="Declined"):
        stale.approve(by=coordinator, rubric=dict(RUBRIC))

    assert [s.action for s in practice.steps.all()] == ["decline"]


# Comment and rubric -------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["request_changes", "decline"])
def test_a_comment_is_required_to_send_a_practice_back_or_decline_it(
    client_as, everyone, django_capture_on_commit_callbacks, staff, coordinator, action
):
    practice = PracticeFactory(created_by=staff, status=S.SUBMITTED)
    data = {
        **{key: str(value) for key, value in RUBRIC.items()},
        "comment": "   ",
        "evidence_score": "2",
        "evidence_comment": "The typed rubric stays put.",
    }

    with pytest.raises(TransitionRefused) as refusal:
        practice.transition(action, by=coordinator, comment="  ", rubric=dict(RUBRIC))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(f"/practices/{practice.pk}/{action}/", data)

    assert set(refusal.value.errors) == {"comment"}
    assert response.status_code == 400
    page = response.content.decode()
    error_at = page.index('id="id_comment_error"')
    assert "the author will read this comment" in page[error_at : error_at + 300]
    assert page.index('name="comment"') > error_at  # the error sits with its field
    assert "The typed rubric stays put." in page
    assert '<option value="2" selected>' in page
    assert_no_trace(practice, S.SUBMITTED)


@pytest.mark.parametrize(
    ("action", "source", "role"),
    [("approve", S.SUBMITTED, "coordinator"), ("publish", S.APPROVED, "consortium_coordinator")],
)
def test_the_rubric_is_required_to_approve_and_to_publish(
    request, client_as, everyone, django_capture_on_commit_callbacks, action, source, role
):
    practice = PracticeFactory(created_by=request.getfixturevalue("staff"), status=source)
    user = request.getfixturevalue(role)
    partial = {"evidence_score": "5", "evidence_comment": "Strong evidence, typed once."}

    with pytest.raises(TransitionRefused) as refusal:
        practice.transition(action, by=user, rubric={"evidence_score": 5})
    with pytest.raises(TransitionRefused):
        practice.transition(action, by=user, rubric={**RUBRIC, "relevance_score": 6})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(role).post(
            f"/practices/{practice.pk}/{action}/", {"comment": "Fine.", **partial}
        )

    assert set(refusal.value.errors) == {"transferability_score", "relevance_score"}
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Give a score from 1 to 5.") == 2
    assert 'id="id_transferability_score_error"' in page
    assert 'id="id_relevance_score_error"' in page
    assert "Strong evidence, typed once." in page
    assert_no_trace(practice, source)


# Completeness -------------------------------------------------------------------------------

EVERY_MISSING_FIELD = [
    "short summary",
    "detailed description",
    "organisation in charge",
    "start",
    "resources needed",
    "evidence of success",
    "potential for learning or transfer",
    "difficulties encountered and lessons learnt",
    "contact person",
    "contact email",
    "end date, or “ongoing”",
    "competences addressed",
    "themes",
]


def test_submitting_an_incomplete_practice_lists_every_missing_field(
    client_as, everyone, django_capture_on_commit_callbacks, staff
):
    practice = GoodPractice.objects.create(
        title="Only a title so far",
        partner=staff.memberships.get().partner,
        region=staff.memberships.get().partner.region,
        created_by=staff,
    )

    with pytest.raises(TransitionRefused) as refusal:
        practice.submit(by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("staff").post(f"/practices/{practice.pk}/submit/")

    assert [str(label) for label in refusal.value.errors["missing"]] == EVERY_MISSING_FIELD
    assert response.status_code == 400
    message = response.content.decode().split('class="message message--error">')[1]
    message = message.split("</li>")[0]
    for label in EVERY_MISSING_FIELD:
        assert label in message
    assert_no_trace(practice, S.DRAFT)


def test_a_practice_missing_only_its_themes_says_so(staff):
    practice = PracticeFactory(created_by=staff, themes=[])

    with pytest.raises(TransitionRefused) as refusal:
        practice.submit(by=staff)

    assert [str(label) for label in refusal.value.errors["missing"]] == ["themes"]


def test_save_and_submit_from_the_form_keeps_the_draft_and_names_what_is_missing(client_as, staff):
    practice = PracticeFactory(created_by=staff)
    data = form_data(practice, evidence="", contact_email="", then="submit")

    response = client_as("staff").post(f"/practices/{practice.pk}/edit/", data, follow=True)

    practice.refresh_from_db()
    assert practice.status == S.DRAFT
    assert practice.evidence == ""
    page = response.content.decode()
    assert "Saved, but not submitted yet" in page
    # Each missing field is linked from the list above the form, and marked itself.
    inputs = Inputs.of(page)
    assert inputs.links_to_missing == ["#id_evidence", "#id_contact_email"]
    for name in ("evidence", "contact_email"):
        assert inputs.attrs[f"id_{name}"]["aria-invalid"] == "true"
        error_id = inputs.attrs[f"id_{name}"]["aria-describedby"].split()
        assert any(inputs.text.get(i) == "Needed before you submit for review." for i in error_id)
    assert "aria-invalid" not in inputs.attrs["id_title"]
    # What was typed is on the page, not lost.
    assert inputs.attrs["id_title"]["value"] == practice.title


class Inputs(HTMLParser):
    """The attributes of each element with an id, the text of each, and the missing-field
    links of the page."""

    def __init__(self):
        super().__init__()
        self.attrs, self.text, self.links_to_missing = {}, {}, []
        self._open, self._in_missing = [], False

    @classmethod
    def of(cls, page: str) -> "Inputs":
        parser = cls()
        parser.feed(page)
        return parser

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.attrs[attrs["id"]] = attrs
            if tag not in ("input", "br", "img"):
                self._open.append(attrs["id"])
        if attrs.get("id") == "missing-fields":
            self._in_missing = True
        if self._in_missing and tag == "a":
            self.links_to_missing.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "ul":
            self._in_missing = False  # the list of missing fields ends with its first </ul>
        if self._open and tag in ("div", "ul", "p", "textarea", "span", "fieldset", "select"):
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            self.text[element] = (self.text.get(element, "") + data).strip()


def test_save_and_submit_from_the_form_submits_a_complete_practice(
    client_as, everyone, django_capture_on_commit_callbacks, staff, coordinator
):
    practice = PracticeFactory(created_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("staff").post(
            f"/practices/{practice.pk}/edit/", form_data(practice, then="submit")
        )

    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == S.SUBMITTED
    assert practice.submitted_at is not None
    assert coordinator.email in {address for m in mail.outbox for address in m.to}


# Emails -------------------------------------------------------------------------------------


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_submission_emails_the_regions_coordinators_but_not_the_author_who_acted(
    everyone,
    django_capture_on_commit_callbacks,
    staff,
    coordinator,
    consortium_coordinator,
):
    practice = PracticeFactory(created_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        practice.submit(by=staff)

    # The University of Silesia, the consortium coordinator's partner, is in Śląskie too.
    assert recipients() == sorted([coordinator.email, consortium_coordinator.email])
    message = mail.outbox[0]
    assert practice.title in message.subject
    assert f"/practices/{practice.pk}/" in message.body


def test_submission_by_a_colleague_emails_the_author_and_the_other_coordinators(
    everyone,
    django_capture_on_commit_callbacks,
    staff,
    coordinator,
    consortium_coordinator,
):
    practice = PracticeFactory(created_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        practice.submit(by=coordinator)

    assert recipients() == sorted([staff.email, consortium_coordinator.email])


def test_approval_emails_the_consortium_coordinators_and_the_author(
    everyone,
    django_capture_on_commit_callbacks,
    staff,
    coordinator,
    consortium_coordinator,
):
    practice = PracticeFactory(created_by=staff, status=S.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        practice.approve(by=coordinator, rubric=dict(RUBRIC), comment="Good to go.")

    assert recipients() == sorted([staff.email, consortium_coordinator.email])
    body = next(m.body for m in mail.outbox if m.to == [staff.email])
    assert "Good to go." in body
    assert "4/5" in body and RUBRIC["evidence_comment"] in body


@pytest.mark.parametrize(
    ("action", "source", "role"),
    [
        ("request_changes", S.SUBMITTED, "coordinator"),
        ("decline", S.SUBMITTED, "coordinator"),
        ("publish", S.APPROVED, "consortium_coordinator"),
        ("archive", S.PUBLISHED, "consortium_coordinator"),
    ],
)
def test_the_other_steps_email_the_author_only(
    request, everyone, django_capture_on_commit_callbacks, staff, action, source, role
):
    practice = PracticeFactory(created_by=staff, status=source)

    with django_capture_on_commit_callbacks(execute=True):
        take(practice, action, request.getfixturevalue(role))

    assert recipients() == [staff.email]
    assert f"Comment on {action}." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("action", "source"),
    [("back_to_draft", S.CHANGES_REQUESTED), ("resubmit", S.CHANGES_REQUESTED)],
)
def test_the_author_is_not_emailed_about_their_own_step(
    everyone, django_capture_on_commit_callbacks, staff, coordinator, action, source
):
    practice = PracticeFactory(created_by=staff, status=source)

    with django_capture_on_commit_callbacks(execute=True):
        take(practice, action, staff)

    assert staff.email not in recipients()


def test_a_title_with_a_line_break_does_not_stop_the_emails(
    client_as, everyone, django_capture_on_commit_callbacks, staff, coordinator
):
    # A browser drops line breaks from a text input; a hand-made request keeps them.
    practice = PracticeFactory(created_by=staff)
    client_as("staff").post(
        f"/practices/{practice.pk}/edit/", form_data(practice, title="Mentoring\r\nclinic")
    )
    practice.refresh_from_db()
    assert "\n" in practice.title  # the title was saved as sent

    with django_capture_on_commit_callbacks(execute=True):
        practice.submit(by=staff)

    assert coordinator.email in recipients()
    assert all("\n" not in message.subject for message in mail.outbox)


def test_a_step_is_emailed_only_once_the_transaction_commits(
    everyone, django_capture_on_commit_callbacks, staff, coordinator
):
    practice = PracticeFactory(created_by=staff)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        practice.submit(by=staff)
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert coordinator.email in recipients()


# Versions -----------------------------------------------------------------------------------


def test_an_edit_after_submission_keeps_the_previous_version_and_shows_the_change(
    client_as, staff, coordinator
):
    practice = PracticeFactory(
        created_by=staff,
        status=S.CHANGES_REQUESTED,
        evidence="Twelve researchers took part.",
    )
    client = client_as("staff")

    response = client.post(
        f"/practices/{practice.pk}/edit/",
        form_data(practice, evidence="Forty-two researchers took part in 2024."),
    )

    assert response.status_code == 302
    version = PracticeVersion.objects.get(practice=practice)
    assert version.number == 1
    assert version.saved_by == staff
    assert version.content["evidence"] == "Twelve researchers took part."
    assert version.content["title"] == practice.title
    practice.refresh_from_db()
    assert practice.version == 1
    assert practice.evidence == "Forty-two researchers took part in 2024."

    for role in ("staff", "coordinator"):
        page = client_as(role).get(f"/practices/{practice.pk}/versions/1/").content.decode()
        assert "<h2>evidence of success</h2>" in page
        assert "Twelve researchers took part.</del>" in page
        assert "Forty-two researchers took part in 2024.</ins>" in page
        assert "<h2>short summary</h2>" not in page  # unchanged fields are not listed


def test_each_edit_after_submission_adds_a_version_compared_with_the_next(
    client_as, staff, coordinator
):
    practice = PracticeFactory(created_by=staff, city="Gliwice")
    practice.submit(by=staff)
    practice.request_changes(by=coordinator, comment="Which city?")
    client = client_as("staff")

    client.post(f"/practices/{practice.pk}/edit/", form_data(practice, city="Bytom"))
    practice.refresh_from_db()
    client.post(f"/practices/{practice.pk}/edit/", form_data(practice, city="Zabrze"))

    assert list(practice.versions.values_list("number", flat=True)) == [2, 1]
    first = client.get(f"/practices/{practice.pk}/versions/1/").content.decode()
    second = client.get(f"/practices/{practice.pk}/versions/2/").content.decode()
    assert "Gliwice</del>" in first and "Bytom</ins>" in first
    assert "Bytom</del>" in second and "Zabrze</ins>" in second
    detail = client.get(f"/practices/{practice.pk}/").content.decode()
    assert f"/practices/{practice.pk}/versions/2/" in detail


def test_saving_without_a_change_keeps_no_version(client_as, staff):
    practice = PracticeFactory(created_by=staff, status=S.CHANGES_REQUESTED)

    client_as("staff").post(f"/practices/{practice.pk}/edit/", form_data(practice))

    assert not PracticeVersion.objects.filter(practice=practice).exists()


def test_edits_of_a_draft_never_submitted_keep_no_version(client_as, staff):
    practice = PracticeFactory(created_by=staff, evidence="First words.")

    response = client_as("staff").post(
        f"/practices/{practice.pk}/edit/", form_data(practice, evidence="Second words.")
    )

    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.evidence == "Second words."
    assert not PracticeVersion.objects.filter(practice=practice).exists()
    assert client_as("staff").get(f"/practices/{practice.pk}/versions/1/").status_code == 404


def test_a_practice_under_review_cannot_be_edited(client_as, staff):
    practice = PracticeFactory(created_by=staff, status=S.SUBMITTED, city="Gliwice")

    response = client_as("staff").post(
        f"/practices/{practice.pk}/edit/", form_data(practice, city="Bytom")
    )

    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.city == "Gliwice"
    assert not PracticeVersion.objects.filter(practice=practice).exists()


def test_versions_are_not_shown_to_outsiders(client_as, staff, other_coordinator):
    practice = PracticeFactory(created_by=staff, status=S.CHANGES_REQUESTED)
    client_as("staff").post(f"/practices/{practice.pk}/edit/", form_data(practice, city="Bytom"))
    client_as("staff").logout()

    response = client_as("other_coordinator").get(f"/practices/{practice.pk}/versions/1/")

    assert response.status_code == 404


# Two people, neither of whom took part -------------------------------------------------------


@pytest.fixture
def second_consortium_coordinator(lead_partner):
    from tests.factories.accounts import MembershipFactory, UserFactory

    user = UserFactory(email="consortium.second@example.org")
    MembershipFactory(
        user=user, partner=lead_partner, role="coordinator", is_consortium_coordinator=True
    )
    return user


def test_who_approved_for_the_region_does_not_also_publish(
    client_as, staff, consortium_coordinator, second_consortium_coordinator
):
    practice = practice_of_staff(staff, S.SUBMITTED)
    take(practice, "approve", consortium_coordinator)

    for action in ("publish", "request_changes", "decline"):
        with pytest.raises(TransitionRefused):
            take(practice, action, consortium_coordinator)
    client = client_as("consortium_coordinator")
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "Validate and publish" not in page
    assert practice not in GoodPractice.objects.waiting_for(consortium_coordinator)
    response = client.post(f"/practices/{practice.pk}/publish/", post_data("publish"))
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.status == S.APPROVED and practice.steps.count() == 1

    assert practice in GoodPractice.objects.waiting_for(second_consortium_coordinator)
    take(practice, "publish", second_consortium_coordinator)
    assert practice.status == S.PUBLISHED


def practice_of_staff(staff, status) -> GoodPractice:
    return PracticeFactory(partner=staff.memberships.get().partner, created_by=staff, status=status)


def test_a_coordinator_who_edited_a_colleagues_draft_does_not_review_it(
    client_as, staff, coordinator, consortium_coordinator
):
    practice = practice_of_staff(staff, S.DRAFT)
    client = client_as("coordinator")
    response = client.post(
        f"/practices/{practice.pk}/edit/", form_data(practice, summary="Tightened by me.")
    )
    assert response.status_code == 302
    take(practice, "submit", staff)

    assert practice not in GoodPractice.objects.waiting_for(coordinator)
    response = client.post(f"/practices/{practice.pk}/approve/", post_data("approve"))
    assert response.status_code == 403
    with pytest.raises(TransitionRefused):
        take(practice, "approve", coordinator)
    practice.refresh_from_db()
    assert practice.status == S.SUBMITTED
    # Someone who did not take part reviews it.
    take(practice, "approve", consortium_coordinator)
    assert practice.status == S.APPROVED


def test_a_coordinator_who_submitted_a_colleagues_practice_does_not_review_it(
    staff, coordinator, consortium_coordinator
):
    practice = practice_of_staff(staff, S.DRAFT)
    take(practice, "submit", coordinator)

    assert practice not in GoodPractice.objects.waiting_for(coordinator)
    for action in ("approve", "request_changes", "decline"):
        with pytest.raises(TransitionRefused):
            take(practice, action, coordinator)
    take(practice, "request_changes", consortium_coordinator)
    assert practice.status == S.CHANGES_REQUESTED


def test_each_step_email_is_written_in_its_recipients_language(
    everyone, django_capture_on_commit_callbacks, staff, coordinator, consortium_coordinator
):
    # The regional coordinator reads Lithuanian; the consortium coordinator chose nothing, so
    # the Śląskie practice is written about in Polish, the region's language.
    coordinator.language = "lt"
    coordinator.save()
    consortium_coordinator.language = ""
    consortium_coordinator.save()
    practice = PracticeFactory(created_by=staff, title="Mentoring")

    with django_capture_on_commit_callbacks(execute=True):
        practice.submit(by=staff)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        coordinator.email: "[SOCORE] „Mentoring“ būsena dabar: Pateikta",
        consortium_coordinator.email: "[SOCORE] „Mentoring” – nowy status: Przekazana do oceny",
    }
