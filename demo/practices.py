"""Demo good practices (content/practices.toml), in every state of the review workflow.

Plausible initiatives of the consortium's regions (Śląskie, Utrecht, Liguria) that build the
soft and social competences research and innovation staff need to work with companies.
Every state is reached through the real transition methods, so each practice has the review
trail (steps, rubric scores, comments) a real one would have; the dates are then moved back
so the catalogue looks lived-in (published between 2025 and 2026).

Idempotent: a practice whose title already exists is skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partners.models import Partner, Region, User
from practices.models import GoodPractice, Status, TargetGroup, Theme
from surveys.models import Competence, Framework

from . import content, paragraphs, tasks_run_here

CONSORTIUM_COORDINATOR = "coordinator@example.org"
# The first stage of review is each region's: its coordinators, in this order, but never
# the author (the two stages need two people, and nobody reviews what they wrote).
REGIONAL_COORDINATORS = {
    "slaskie": ["coordinator.pl@example.org", "coordinator.us@example.org"],
    "utrecht": ["coordinator.nl@example.org"],
    "liguria": ["coordinator.it@example.org"],
}

# Final state and the path that leads to it, as a list of actions.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.CHANGES_REQUESTED: ["submit", "request_changes"],
    Status.APPROVED: ["submit", "approve"],
    Status.PUBLISHED: ["submit", "approve", "publish"],
    Status.DECLINED: ["submit", "decline"],
    Status.ARCHIVED: ["submit", "approve", "publish", "archive"],
}
# Practices that were sent back once before going further.
REVISED = ["submit", "request_changes", "resubmit"]

TEXT_FIELDS = (
    "summary",
    "summary_en",
    "description",
    "resources",
    "evidence",
    "transferability",
    "lessons",
)


def _d(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _rubric(comments: dict, scores: list[int]) -> dict:
    rubric = {}
    for criterion, score in zip(("evidence", "transferability", "relevance"), scores, strict=True):
        rubric[f"{criterion}_score"] = score
        rubric[f"{criterion}_comment"] = comments[criterion][str(max(2, score))]
    return rubric


def _regional_reviewer(data: dict, users: dict) -> User:
    """The first of the region's coordinators who did not write it."""
    email = next(e for e in REGIONAL_COORDINATORS[data["region"]] if e != data["author"])
    return users[email]


def _create(data: dict, users: dict, framework) -> GoodPractice:
    contact_name, contact_email = data["contact"]
    practice = GoodPractice(
        partner=Partner.objects.get(slug=data["partner"]),
        created_by=users[data["author"]],
        title=data["title"],
        language=data.get("language", "en"),
        region=Region.objects.get(slug=data["region"]),
        city=data["city"],
        organisation=data["organisation"],
        start_date=_d(data["start"]),
        end_date=_d(data["end"]) if "end" in data else None,
        is_ongoing="end" not in data,
        further_information=data["further_information"],
        contact_name=contact_name,
        contact_email=contact_email,
        **{name: paragraphs(data.get(name, "")) for name in TEXT_FIELDS},
    )
    practice.save()
    practice.editors.add(practice.created_by)
    practice.competences.set(
        Competence.objects.filter(area__framework=framework, code__in=data["competences"])
    )
    practice.themes.set(Theme.objects.filter(slug__in=data["themes"]))
    practice.target_groups.set(TargetGroup.objects.filter(slug__in=data["target_groups"]))
    return practice


def _walk(practice: GoodPractice, data: dict, users: dict, comments: dict) -> None:
    """Take the practice to its state through the real transitions."""
    author = users[data["author"]]
    regional = _regional_reviewer(data, users)
    consortium = users[CONSORTIUM_COORDINATOR]
    scores = data.get("scores", [3, 3, 3])
    comment = data.get("comment", "")
    actions = list(PATHS[Status(data["state"])])
    if data.get("revised"):
        actions[:1] = REVISED
    if data.get("back_to_draft"):
        actions = ["submit", "request_changes", "back_to_draft"]
    for action in actions:
        if action in ("submit", "resubmit"):
            practice.transition(action, by=author)
        elif action == "back_to_draft":
            practice.back_to_draft(by=author)
        elif action == "request_changes":
            practice.request_changes(
                by=regional,
                comment=comment
                or "Please give outcome figures, not only participation, and the yearly cost.",
                rubric=_rubric(comments, [max(2, s - 1) for s in scores]),
            )
        elif action == "approve":
            practice.approve(
                by=regional,
                rubric=_rubric(comments, scores),
                comment="A clear, well documented practice; recommended for publication.",
            )
        elif action == "publish":
            practice.publish(by=consortium, rubric=_rubric(comments, scores), comment="Validated.")
        elif action == "decline":
            practice.decline(by=regional, comment=comment, rubric=_rubric(comments, scores))
        elif action == "archive":
            practice.archive(by=consortium, comment="The practice has ended; kept for reference.")


def _backdate(practice: GoodPractice, data: dict) -> None:
    """Spread the trail over past weeks, ending on `when` (published between 2025 and 2026)."""
    when = timezone.make_aware(datetime.datetime.combine(_d(data["when"]), datetime.time(10, 30)))
    steps = list(practice.steps.order_by("pk"))
    moments = []
    moment = when
    for index, step in enumerate(reversed(steps)):
        moments.append(moment)
        # Archiving comes long after publication; the other steps a week or two apart.
        moment -= datetime.timedelta(days=240 if step.action == "archive" else 6 + 3 * index)
    moments.reverse()
    for step, at in zip(steps, moments, strict=True):
        type(step).objects.filter(pk=step.pk).update(created_at=at)
    created = (moments[0] if moments else when) - datetime.timedelta(days=17)
    submitted = next(
        (at for s, at in zip(steps, moments, strict=True) if s.action == "submit"), None
    )
    published = next(
        (at for s, at in zip(steps, moments, strict=True) if s.action == "publish"), None
    )
    GoodPractice.objects.filter(pk=practice.pk).update(
        created_at=created,
        updated_at=moments[-1] if moments else when,
        submitted_at=submitted,
        published_at=published,
    )


def seed_practices() -> int:
    """Add the demo practices that are not there yet; return how many were added.

    Call it outside a transaction: each practice is committed on its own, so the e-mail
    tasks its transitions queue run (eagerly) before the Celery setting is restored.
    """
    demo = content("practices")
    records = demo["practices"]
    emails = {data["author"] for data in records} | {CONSORTIUM_COORDINATOR}
    emails |= {email for emails in REGIONAL_COORDINATORS.values() for email in emails}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    framework = Framework.objects.current()
    existing = set(
        GoodPractice.objects.filter(title__in=[d["title"] for d in records]).values_list(
            "title", flat=True
        )
    )
    added = 0
    with tasks_run_here():
        for data in records:
            if data["title"] in existing:
                continue
            with transaction.atomic():
                practice = _create(data, users, framework)
                _walk(practice, data, users, demo["rubric_comments"])
                _backdate(practice, data)
            added += 1
    return added
