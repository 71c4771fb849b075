"""A small review workflow shared by good practices and policy briefs.

A content type declares its transitions as a table; `perform` checks the state and the
user under a row lock, changes the state, records the step and queues the emails, all
in one transaction. Nothing else changes a workflow state.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RUBRIC_CRITERIA = ("evidence", "transferability", "relevance")


class TransitionRefused(Exception):
    """The transition is not possible now, for this user; `errors` says why, per field."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    allowed: Callable  # (user, obj) -> bool
    comment_required: bool = False
    rubric_required: bool = False
    needs_complete: bool = False
    # A reviewer's decision on a record of their queue: they go on to the next record waiting.
    decides: bool = False
    style: str = "primary"


SUBMITTING = ("submit", "resubmit")


def took_part(user, obj) -> bool:
    """Wrote, edited or submitted the record: whoever did so never reviews it."""
    participants = obj.__dict__.get("_participant_ids")
    if participants is None:
        participants = {
            obj.created_by_id,
            *obj.editors.values_list("pk", flat=True),
            *obj.steps.filter(action__in=SUBMITTING).values_list("actor_id", flat=True),
        }
        obj.__dict__["_participant_ids"] = participants
    return user.pk in participants


def not_taken_part_by(records: models.QuerySet, user) -> models.QuerySet:
    """The records among `records` that `user` did not write, edit or submit: the queryset
    twin of `took_part`, for review queues."""
    steps = records.model.steps.field  # the step model's foreign key to its record
    submitted = steps.model.objects.filter(actor=user, action__in=SUBMITTING)
    return (
        records.exclude(created_by=user)
        .exclude(editors=user)
        .exclude(pk__in=submitted.values(steps.name))
    )


def approved_by(obj) -> int | None:
    """Who took the first review stage of the record's current round."""
    return (
        obj.steps.filter(action="approve")
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def available(obj, user, transitions: dict[str, Transition]) -> list[Transition]:
    """Transitions this user may take on this object now."""
    if not user.is_authenticated:
        return []
    return [t for t in transitions.values() if obj.status in t.sources and t.allowed(user, obj)]


def perform(
    obj: models.Model,
    action: str,
    user,
    transitions: dict[str, Transition],
    *,
    comment: str = "",
    rubric: dict | None = None,
    on_done: Callable | None = None,
):
    """Take `action` on `obj` as `user`; return the recorded step or raise TransitionRefused."""
    transition = transitions.get(action)
    if transition is None:
        raise TransitionRefused(_("This action does not exist."))
    comment = (comment or "").strip()
    rubric = rubric or {}
    errors = {}
    if transition.comment_required and not comment:
        errors["comment"] = _("Please say why: the author will read this comment.")
    if transition.rubric_required:
        for criterion in RUBRIC_CRITERIA:
            score = rubric.get(f"{criterion}_score")
            if score is None or not 1 <= int(score) <= 5:
                errors[f"{criterion}_score"] = _("Give a score from 1 to 5.")
    if errors:
        raise TransitionRefused(_("Please complete the review form."), errors)

    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status not in transition.sources:
            raise TransitionRefused(
                _("This is no longer possible: the status is now “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        if not transition.allowed(user, locked):
            raise TransitionRefused(_("You are not allowed to do this."))
        if transition.needs_complete:
            missing = locked.missing_fields()
            if missing:
                raise TransitionRefused(
                    _("Please complete these fields first: %(fields)s.")
                    % {"fields": ", ".join(str(name) for name in missing)},
                    {"missing": missing},
                )
        from_status = locked.status
        locked.status = transition.target
        locked.on_transition(transition, timezone.now())
        locked.save()
        step = locked.steps.create(
            actor=user,
            action=transition.action,
            from_status=from_status,
            to_status=transition.target,
            comment=comment,
            **{key: value for key, value in rubric.items() if value not in (None, "")},
        )
        if on_done is not None:
            transaction.on_commit(lambda: on_done(step))
    obj.refresh_from_db()
    obj.__dict__.pop("_participant_ids", None)
    return step


def content_changes(old: dict, new: dict, label_of: Callable[[str], str]) -> list[dict]:
    """Line-by-line differences of the fields that changed between two saved versions."""
    changes = []
    for name, old_value in old.items():
        new_value = new.get(name, "")
        if old_value == new_value:
            continue
        old_text = "\n".join(old_value) if isinstance(old_value, list) else old_value
        new_text = "\n".join(new_value) if isinstance(new_value, list) else new_value
        lines = difflib.ndiff(old_text.splitlines() or [""], new_text.splitlines() or [""])
        changes.append({"field": label_of(name), "lines": list(lines)})
    return changes


# Versions: every change after the first submission keeps the content as it was before.


class SavedVersion(models.Model):
    """The content of a record as it was before a change made after its first submission;
    the concrete model adds the foreign key to its record as `related_name="versions"`."""

    number = models.PositiveIntegerField()
    content = models.JSONField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-number"]


def keep_version(obj: models.Model, *, by, content: dict) -> None:
    """Store `content` as the record's next version, once it has been submitted."""
    if obj.submitted_at is None:
        return
    obj.version += 1
    type(obj).objects.filter(pk=obj.pk).update(version=obj.version)
    obj.versions.create(number=obj.version, content=content, saved_by=by)


def version_changes(obj: models.Model, number: int, label_of: Callable[[str], str]):
    """Version `number` of a record, the version after it (None: the current content is
    next) and the differences between the two."""
    old = get_object_or_404(obj.versions, number=number)
    newer = obj.versions.filter(number=number + 1).first()
    new_content = newer.content if newer else obj.snapshot()
    return old, newer, content_changes(old.content, new_content, label_of)
