"""The review queue: the good practices and policy briefs waiting for a coordinator.

The queue holds exactly the records on which the user may take a review step now: the
querysets `waiting_for` are the SQL twins of the transitions' permission rules (region,
stage, nobody reviews what they took part in, two people for two stages). The oldest waiting
comes first; the navigation's count is the length of the same queue.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.db import models
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.permissions import roles_of

from .models import BriefStep, GoodPractice, PolicyBrief, ReviewStep, Status

PRACTICE, BRIEF = "practice", "brief"
KINDS = {PRACTICE: gettext_lazy("Good practice"), BRIEF: gettext_lazy("Policy brief")}


@dataclass(frozen=True)
class WaitingItem:
    kind: str
    record: GoodPractice | PolicyBrief
    step: str
    regions: str
    waiting_since: datetime

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def key(self) -> tuple:
        return (self.waiting_since, self.kind, self.record.pk)


def _waiting_since(steps: type[models.Model], record_field: str):
    """When the record reached its current state: the latest step into it (a brief's review
    comment keeps the state, so it does not count), else its first submission."""
    into_state = (
        steps.objects.filter(**{record_field: models.OuterRef("pk")})
        .filter(to_status=models.OuterRef("status"))
        .exclude(from_status=models.F("to_status"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Coalesce(models.Subquery(into_state), "submitted_at", "updated_at")


def _practices(user):
    return (
        GoodPractice.objects.waiting_for(user)
        .select_related(None)
        .select_related("region")
        .only("title", "status", "submitted_at", "updated_at", "region__name")
        .annotate(waiting_since=_waiting_since(ReviewStep, "practice"))
    )


def _briefs(user):
    return (
        PolicyBrief.objects.waiting_for(user)
        .only("title", "status", "submitted_at", "updated_at")
        .annotate(waiting_since=_waiting_since(BriefStep, "brief"))
        .prefetch_related(models.Prefetch("regions", to_attr="queue_regions"))
        .order_by()
    )


def waiting_for(user, kind: str | None = None) -> list[WaitingItem]:
    """Everything waiting for this user's review (of one kind, if given), oldest first."""
    if not roles_of(user).is_coordinator:
        return []
    regional, final = _("Regional review"), _("Final validation")
    items = []
    if kind in (None, PRACTICE):
        items += [
            WaitingItem(
                PRACTICE,
                practice,
                final if practice.status == Status.APPROVED else regional,
                practice.region.name,
                practice.waiting_since,
            )
            for practice in _practices(user)
        ]
    if kind in (None, BRIEF):
        # Every brief in this queue is one the consortium coordinator may publish.
        step = _("Publication") if roles_of(user).is_consortium_coordinator else regional
        items += [
            WaitingItem(
                BRIEF,
                brief,
                step,
                ", ".join(region.name for region in brief.queue_regions),
                brief.waiting_since,
            )
            for brief in _briefs(user)
        ]
    return sorted(items, key=lambda item: item.key)


def count_waiting(user) -> dict[str, int]:
    """How many records of each kind wait for this user: one COUNT per kind."""
    if not roles_of(user).is_coordinator:
        return dict.fromkeys(KINDS, 0)
    return {
        PRACTICE: GoodPractice.objects.waiting_for(user).count(),
        BRIEF: PolicyBrief.objects.waiting_for(user).count(),
    }


def kind_of(record) -> str:
    return BRIEF if isinstance(record, PolicyBrief) else PRACTICE


def after_decision(request, decided, done: str) -> HttpResponse:
    """Where a reviewer goes once they decided on `decided`: the oldest record still waiting
    for them, or the queue when nothing is."""
    decided_key = (kind_of(decided), decided.pk)
    following = next(
        (item for item in waiting_for(request.user) if (item.kind, item.record.pk) != decided_key),
        None,
    )
    if following is None:
        messages.success(request, f"{done} " + _("Nothing else is waiting."))
        return redirect("practices:queue")
    messages.success(
        request,
        f"{done} " + _("Next waiting for you: “%(title)s”.") % {"title": following.record.title},
    )
    return redirect(following.url)
