"""Policy briefs: evidence turned into recommendations for regional policy makers.

A brief belongs to the partner of the staff member who started it; staff of the regions it
concerns write it with them. It cites good practices from the catalogue and findings from
the regional surveys (a competence's figures for a region's campaigns, rendered live). Its
states change only through the shared workflow (`practices.workflow`), step by step.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, Region
from partners.permissions import coordinates_region, is_consortium_coordinator, roles_of

from .. import workflow

KEY_MESSAGES_MAX = 5
KEY_MESSAGE_LENGTH = 300


class BriefStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def writes_brief(user, brief: "PolicyBrief") -> bool:
    """Staff of the brief's partner, or of a partner in one of the regions it concerns."""
    roles = roles_of(user)
    if brief.partner_id in roles.partner_ids:
        return True
    return bool(roles.region_ids & brief.region_ids)


def reviews_brief(user, brief: "PolicyBrief") -> bool:
    """A coordinator of a region the brief concerns (the consortium's: all); never anyone
    who wrote, edited or submitted it."""
    if workflow.took_part(user, brief):
        return False
    return is_consortium_coordinator(user) or any(
        coordinates_region(user, region) for region in brief.regions.all()
    )


def publishes_brief(user, brief: "PolicyBrief") -> bool:
    return is_consortium_coordinator(user) and not workflow.took_part(user, brief)


S = BriefStatus
BRIEF_TRANSITIONS = {
    t.action: t
    for t in [
        workflow.Transition(
            "submit",
            _("Submit for review"),
            (S.DRAFT,),
            S.IN_REVIEW,
            writes_brief,
            needs_complete=True,
        ),
        workflow.Transition(
            "comment",
            _("Add a review comment"),
            (S.IN_REVIEW,),
            S.IN_REVIEW,
            reviews_brief,
            comment_required=True,
            style="secondary",
        ),
        workflow.Transition(
            "request_changes",
            _("Request changes (back to draft)"),
            (S.IN_REVIEW,),
            S.DRAFT,
            reviews_brief,
            comment_required=True,
            style="secondary",
            decides=True,
        ),
        workflow.Transition(
            "publish",
            _("Publish"),
            (S.IN_REVIEW,),
            S.PUBLISHED,
            publishes_brief,
            needs_complete=True,
            decides=True,
        ),
        workflow.Transition(
            "withdraw",
            _("Withdraw"),
            (S.PUBLISHED,),
            S.WITHDRAWN,
            lambda user, brief: is_consortium_coordinator(user),
            comment_required=True,
            style="danger",
        ),
    ]
}


class PolicyBriefQuerySet(models.QuerySet):
    def published(self) -> "PolicyBriefQuerySet":
        return self.filter(status=BriefStatus.PUBLISHED)

    def written_by(self, user) -> "PolicyBriefQuerySet":
        """Briefs the user writes: their partners', and those concerning their regions."""
        roles = roles_of(user)
        return self.filter(
            models.Q(partner_id__in=roles.partner_ids) | models.Q(regions__in=roles.region_ids)
        ).distinct()

    def waiting_for(self, user) -> "PolicyBriefQuerySet":
        """In review, in a region this coordinator coordinates (all, for the consortium's)."""
        roles = roles_of(user)
        waiting = workflow.not_taken_part_by(self.filter(status=BriefStatus.IN_REVIEW), user)
        if not roles.is_consortium_coordinator:
            waiting = waiting.filter(regions__in=roles.coordinated_region_ids).distinct()
        return waiting


class PolicyBrief(models.Model):
    Status = BriefStatus

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="policy_briefs", verbose_name=_("partner")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="policy_briefs",
        verbose_name=_("started by"),
    )
    # Everyone who saved its content: none of them may review it (workflow.took_part).
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("edited by")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BriefStatus.choices, default=BriefStatus.DRAFT
    )

    title = models.CharField(_("title"), max_length=150)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    key_messages = ArrayField(
        models.CharField(max_length=KEY_MESSAGE_LENGTH),
        size=KEY_MESSAGES_MAX,
        default=list,
        blank=True,
        verbose_name=_("key messages"),
    )
    body = models.TextField(_("text (Markdown)"), blank=True)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    language = models.CharField(
        _("language of the brief"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    summary_en = models.TextField(_("summary in English"), blank=True)
    regions = models.ManyToManyField(
        Region, related_name="policy_briefs", blank=True, verbose_name=_("regions concerned")
    )
    practices = models.ManyToManyField(
        "practices.GoodPractice",
        related_name="cited_by_briefs",
        blank=True,
        verbose_name=_("good practices cited"),
    )

    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the figures of its findings were frozen: at publication (see findings.freeze).
    figures_as_of = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PolicyBriefQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name = _("policy brief")
        verbose_name_plural = _("policy briefs")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="brief_listing_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefs:detail", args=[self.pk])

    @property
    def region_ids(self) -> frozenset[int]:
        """The regions concerned, read once per object (prefetched where lists need it)."""
        if not hasattr(self, "_region_ids"):
            self._region_ids = (
                frozenset(r.pk for r in self.regions.all()) if self.pk else frozenset()
            )
        return self._region_ids

    # Workflow ----------------------------------------------------------------------------
    TRANSITIONS = BRIEF_TRANSITIONS

    def missing_fields(self) -> list[str]:
        """What must be filled in before the brief goes to review (or is published)."""
        missing = [
            self._meta.get_field(name).verbose_name
            for name in ("audience", "body", "authors")
            if not getattr(self, name).strip()
        ]
        if not self.key_messages:
            missing.append(self._meta.get_field("key_messages").verbose_name)
        if self.language != "en" and not self.summary_en.strip():
            missing.append(self._meta.get_field("summary_en").verbose_name)
        if self.pk is None or not self.regions.exists():
            missing.append(self._meta.get_field("regions").verbose_name)
        return missing

    def on_transition(self, transition, now) -> None:
        if transition.target == BriefStatus.IN_REVIEW and self.submitted_at is None:
            self.submitted_at = now
        if transition.target == BriefStatus.PUBLISHED:
            self.published_at = now
            from ..briefs.findings import freeze

            freeze(self, now)

    def available_transitions(self, user) -> list:
        return workflow.available(self, user, self.TRANSITIONS)

    def transition(self, action: str, *, by, comment: str = ""):
        from ..tasks import notify_brief_step

        return workflow.perform(
            self,
            action,
            by,
            self.TRANSITIONS,
            comment=comment,
            on_done=lambda step: notify_brief_step.delay(step.pk),
        )

    def submit(self, *, by):
        return self.transition("submit", by=by)

    def comment(self, *, by, comment: str):
        return self.transition("comment", by=by, comment=comment)

    def request_changes(self, *, by, comment: str):
        return self.transition("request_changes", by=by, comment=comment)

    def publish(self, *, by, comment: str = ""):
        return self.transition("publish", by=by, comment=comment)

    def withdraw(self, *, by, comment: str):
        return self.transition("withdraw", by=by, comment=comment)

    # Versions ----------------------------------------------------------------------------
    VERSIONED_FIELDS = ("title", "audience", "authors", "language", "summary_en", "body")

    def snapshot(self) -> dict:
        """The brief's content as plain text, for versions and their diff."""
        content = {name: str(getattr(self, name)) for name in self.VERSIONED_FIELDS}
        content["key_messages"] = list(self.key_messages)
        content["regions"] = sorted(str(r) for r in self.regions.all())
        content["practices"] = sorted(p.title for p in self.practices.all())
        content["findings"] = [str(f) for f in self.findings.all()]
        return content

    def keep_version(self, *, by, content: dict) -> None:
        """Store the content as it was before a change made after the first submission."""
        workflow.keep_version(self, by=by, content=content)


class BriefStep(models.Model):
    """One step of a brief's workflow (a review comment is a step that keeps the state)."""

    brief = models.ForeignKey(PolicyBrief, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=BriefStatus.choices)
    to_status = models.CharField(max_length=20, choices=BriefStatus.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.brief_id}: {self.from_status} → {self.to_status}"

    @property
    def is_comment(self) -> bool:
        return self.from_status == self.to_status


class BriefVersion(workflow.SavedVersion):
    """The content of a brief as it was before a change made after its first submission."""

    brief = models.ForeignKey(PolicyBrief, on_delete=models.CASCADE, related_name="versions")

    class Meta(workflow.SavedVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["brief", "number"], name="brief_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} v{self.number}"


class BriefFinding(models.Model):
    """A competence's figures for a region's campaigns, cited in a brief.

    While the brief is written and reviewed, the figures are read live from the analysis
    (with its suppression rules); when it is published they are frozen into ``figures``, so
    that the published text and its numbers never change afterwards, and no reader can
    subtract two readings of a public page taken before and after one more response.
    """

    brief = models.ForeignKey(PolicyBrief, on_delete=models.CASCADE, related_name="findings")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        "surveys.Campaign",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("self-assessment campaign"),
    )
    demand_campaign = models.ForeignKey(
        "surveys.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer demand campaign"),
    )
    competence = models.ForeignKey("surveys.Competence", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    figures = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        where = self.region.name if self.region_id else _("all regions")
        return f"{self.competence.code} {self.competence.name} – {where}: {self.campaign}"

    @property
    def campaign_ids(self) -> tuple[int, ...]:
        ids = [self.campaign_id]
        if self.demand_campaign_id:
            ids.append(self.demand_campaign_id)
        return tuple(ids)

    @property
    def label(self) -> str:
        """How the body refers to it: [F1], [F2] ..."""
        return f"F{self.position}"
