"""Good practices: records, their review workflow, versions and attachments."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchVector,
    SearchVectorCombinable,
    SearchVectorField,
)
from django.db import models
from django.db.models import F, Func
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, Region
from partners.permissions import (
    coordinates_region,
    is_consortium_coordinator,
    is_member_of,
    roles_of,
)

from .. import workflow


class Tag(models.Model):
    """A fixed vocabulary a practice is tagged with, for facets."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    # The name in the other languages, {"pl": {"name": "…"}} as the framework keeps its texts:
    # copied from the catalogues at every migrate (practices.tags.sync_translations), so that
    # the search vector, computed in SQL, finds a practice by its tags' names in any language.
    translations = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        # The shipped vocabulary (practices.tags) is in the catalogues; added names stay as typed.
        return gettext(self.name)


class Theme(Tag):
    class Meta(Tag.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class TargetGroup(Tag):
    class Meta(Tag.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved by the region")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")
    ARCHIVED = "archived", _("Archived")


def _is_author_side(user, practice) -> bool:
    return is_member_of(user, practice.partner)


def _is_reviewer(user, practice) -> bool:
    """First stage by the region's coordinator, second by the consortium's and someone else
    than the first; never by anyone who wrote, edited or submitted the practice."""
    if workflow.took_part(user, practice):
        return False
    if practice.status == Status.APPROVED:
        return _is_second_stage(user, practice)
    return coordinates_region(user, practice.region)


def _is_second_stage(user, practice) -> bool:
    return is_consortium_coordinator(user) and user.pk != workflow.approved_by(practice)


def _is_validator(user, practice) -> bool:
    return not workflow.took_part(user, practice) and _is_second_stage(user, practice)


PRACTICE_TRANSITIONS = {
    t.action: t
    for t in [
        workflow.Transition(
            "submit",
            _("Submit for review"),
            (Status.DRAFT,),
            Status.SUBMITTED,
            _is_author_side,
            needs_complete=True,
        ),
        workflow.Transition(
            "resubmit",
            _("Resubmit"),
            (Status.CHANGES_REQUESTED,),
            Status.SUBMITTED,
            _is_author_side,
            needs_complete=True,
        ),
        workflow.Transition(
            "back_to_draft",
            _("Back to draft"),
            (Status.CHANGES_REQUESTED,),
            Status.DRAFT,
            _is_author_side,
            style="secondary",
        ),
        workflow.Transition(
            "request_changes",
            _("Request changes"),
            (Status.SUBMITTED, Status.APPROVED),
            Status.CHANGES_REQUESTED,
            _is_reviewer,
            comment_required=True,
            style="secondary",
            decides=True,
        ),
        workflow.Transition(
            "approve",
            _("Approve for the region"),
            (Status.SUBMITTED,),
            Status.APPROVED,
            _is_reviewer,
            rubric_required=True,
            decides=True,
        ),
        workflow.Transition(
            "publish",
            _("Validate and publish"),
            (Status.APPROVED,),
            Status.PUBLISHED,
            _is_validator,
            rubric_required=True,
            decides=True,
        ),
        workflow.Transition(
            "decline",
            _("Decline"),
            (Status.SUBMITTED, Status.APPROVED),
            Status.DECLINED,
            _is_reviewer,
            comment_required=True,
            style="danger",
            decides=True,
        ),
        workflow.Transition(
            "archive",
            _("Archive"),
            (Status.PUBLISHED,),
            Status.ARCHIVED,
            lambda user, practice: is_consortium_coordinator(user),
            style="secondary",
        ),
    ]
}


class GoodPracticeQuerySet(models.QuerySet):
    def published(self) -> "GoodPracticeQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def refresh_search_vectors(self) -> int:
        """Recompute these practices' stored search vectors (one UPDATE, in SQL)."""
        return self.update(search_vector=GoodPractice.SEARCH_VECTOR)

    def of_partners(self, partner_ids) -> "GoodPracticeQuerySet":
        return self.filter(partner_id__in=partner_ids)

    def waiting_for(self, user) -> "GoodPracticeQuerySet":
        """Whose next step is this coordinator's: the regional review, or the final one."""
        roles = roles_of(user)
        waiting = models.Q(status=Status.SUBMITTED, region_id__in=roles.coordinated_region_ids)
        if roles.is_consortium_coordinator:
            waiting |= models.Q(status__in=[Status.SUBMITTED, Status.APPROVED])
        # Who approved the current round for the region does not also validate it.
        last_approver = (
            ReviewStep.objects.filter(practice=models.OuterRef("pk"), action="approve")
            .order_by("-pk")
            .values("actor_id")[:1]
        )
        return (
            workflow.not_taken_part_by(self.filter(waiting), user)
            .alias(
                last_approver=Coalesce(
                    models.Subquery(last_approver), 0, output_field=models.IntegerField()
                )
            )
            .exclude(status=Status.APPROVED, last_approver=user.pk)
            .select_related("partner", "region")
            .order_by("submitted_at")
        )


# SQL function (migration 0005): a language code to its text-search configuration.
SEARCH_CONFIG = "practices_search_config"


class TagsVector(SearchVectorCombinable, models.Func):
    """The names of a practice's themes, target groups and competences, in every language, as
    a search vector of weight B (SQL function of migration 0007)."""

    function = "practices_tags_vector"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("pk"))


# The Snowball configurations PostgreSQL ships for the portal's languages; others use simple.
STEMMED_CONFIGS = {
    "en": "english",
    "nl": "dutch",
    "it": "italian",
    "pt": "portuguese",
    "ro": "romanian",
    "lt": "lithuanian",
}


class GoodPractice(models.Model):
    """An initiative that proved successful in a region and may interest others.

    Fields follow the Interreg Europe good-practice form. State changes go through the
    methods in `practices.workflow`, never by assigning `status`.
    """

    Status = Status

    # Who owns it
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("partner")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    # The practice
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("short summary"), blank=True)
    description = models.TextField(_("detailed description"), blank=True)
    language = models.CharField(
        _("language of the record"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    summary_en = models.TextField(_("summary in English"), blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("region")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation in charge"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_ongoing = models.BooleanField(_("ongoing"), default=False)
    resources = models.TextField(_("resources needed"), blank=True)
    evidence = models.TextField(_("evidence of success"), blank=True)
    transferability = models.TextField(_("potential for learning or transfer"), blank=True)
    lessons = models.TextField(_("difficulties encountered and lessons learnt"), blank=True)
    further_information = models.TextField(_("further information"), blank=True)
    competences = models.ManyToManyField(
        "surveys.Competence",
        related_name="good_practices",
        blank=True,
        verbose_name=_("competences addressed"),
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    target_groups = models.ManyToManyField(TargetGroup, blank=True, verbose_name=_("target groups"))

    # Contact person: shown to signed-in users only.
    # Everyone who saved its content: none of them may review it (workflow.took_part).
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("edited by")
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = GoodPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [
            GinIndex(fields=["search_vector"], name="practice_search_vector"),
            models.Index(fields=["status", "-published_at"], name="practice_catalogue_newest"),
            models.Index(fields=["status", "region"], name="practice_queue_by_region"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="practice_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # The stored search vector follows every save (one UPDATE, computed in SQL); changes of
        # tags alone are followed by practices.signals.
        GoodPractice.objects.filter(pk=self.pk).refresh_search_vectors()
        from ..search import catalogue_changed

        catalogue_changed()

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.pk])

    # The practice's own texts (migration 0005 stores this part alone)…
    TEXT_VECTOR = (
        SearchVector(Func(F("title"), function="practices_unaccent"), weight="A", config="simple")
        + SearchVector(
            Func(F("summary"), function="practices_unaccent"),
            Func(F("summary_en"), function="practices_unaccent"),
            weight="B",
            config="simple",
        )
        + SearchVector(
            *(
                Func(F(name), function="practices_unaccent")
                for name in (
                    "description",
                    "evidence",
                    "transferability",
                    "lessons",
                    "resources",
                    "organisation",
                    "city",
                )
            ),
            weight="C",
            config="simple",
        )
        # The same texts stemmed in the record's own language (Snowball; see
        # practices_search_config), so a query finds inflected forms: "innovatie" finds
        # "innovaties". Polish has no stemmer in PostgreSQL: prefix matching serves it.
        + SearchVector("title", weight="A", config=Func(F("language"), function=SEARCH_CONFIG))
        + SearchVector("summary", weight="B", config=Func(F("language"), function=SEARCH_CONFIG))
        + SearchVector("summary_en", weight="B", config="english")
        + SearchVector(
            "description",
            "evidence",
            "transferability",
            "lessons",
            weight="C",
            config=Func(F("language"), function=SEARCH_CONFIG),
        )
    )
    # …and the names of its tags, in English and in every language they are translated into
    # (unaccented, and stemmed in each language that has a stemmer): a practice tagged
    # "Mentoring and coaching" is found by "mentoring", "coaching" or "Mentoring i coaching".
    SEARCH_VECTOR = TEXT_VECTOR + TagsVector()

    # Workflow ----------------------------------------------------------------------------
    TRANSITIONS = PRACTICE_TRANSITIONS

    # What a practice needs before it can be submitted (title is needed even for a draft).
    REQUIRED_FOR_SUBMISSION = (
        "summary",
        "description",
        "organisation",
        "start_date",
        "resources",
        "evidence",
        "transferability",
        "lessons",
        "contact_name",
        "contact_email",
    )

    def missing_fields(self) -> list[str]:
        """Labels of what must still be filled in before submission."""
        return [label for _name, label in self.missing_by_field()]

    def missing_by_field(self) -> list[tuple[str, str]]:
        """(form field, label) of what must still be filled in before submission."""
        missing = [
            (name, self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_FOR_SUBMISSION
            if getattr(self, name) in (None, "")
        ]
        if not self.end_date and not self.is_ongoing:
            missing.append(("end_date", _("end date, or “ongoing”")))
        if self.pk is None or not self.competences.exists():
            missing.append(("competences", _("competences addressed")))
        if self.pk is None or not self.themes.exists():
            missing.append(("themes", _("themes")))
        return missing

    def on_transition(self, transition, now) -> None:
        if transition.target == Status.SUBMITTED and self.submitted_at is None:
            self.submitted_at = now
        if transition.target == Status.PUBLISHED:
            self.published_at = now

    def available_transitions(self, user) -> list:
        return workflow.available(self, user, self.TRANSITIONS)

    def transition(self, action: str, *, by, comment: str = "", rubric: dict | None = None):
        from ..tasks import notify_step

        return workflow.perform(
            self,
            action,
            by,
            self.TRANSITIONS,
            comment=comment,
            rubric=rubric,
            on_done=lambda step: notify_step.delay(step.pk),
        )

    def presented_at(self):
        """The public activities where the practice was presented, latest first (the
        activities app's reverse relation: practices does not import activities)."""
        return self.activities.public().select_related("region").order_by("-starts_on", "-pk")

    def regional_review(self) -> "ReviewStep | None":
        """While the practice waits for validation: the step that approved its current round
        for the region, with the first reviewer's rubric."""
        if self.status != Status.APPROVED:
            return None
        return self.steps.filter(action="approve").select_related("actor").order_by("-pk").first()

    def submit(self, *, by):
        return self.transition("submit", by=by)

    def resubmit(self, *, by):
        return self.transition("resubmit", by=by)

    def back_to_draft(self, *, by):
        return self.transition("back_to_draft", by=by)

    def request_changes(self, *, by, comment: str, rubric: dict | None = None):
        return self.transition("request_changes", by=by, comment=comment, rubric=rubric)

    def approve(self, *, by, rubric: dict, comment: str = ""):
        return self.transition("approve", by=by, comment=comment, rubric=rubric)

    def publish(self, *, by, rubric: dict, comment: str = ""):
        return self.transition("publish", by=by, comment=comment, rubric=rubric)

    def decline(self, *, by, comment: str, rubric: dict | None = None):
        return self.transition("decline", by=by, comment=comment, rubric=rubric)

    def archive(self, *, by, comment: str = ""):
        return self.transition("archive", by=by, comment=comment)

    # Versions ----------------------------------------------------------------------------
    VERSIONED_FIELDS = (
        "title",
        "summary",
        "description",
        "language",
        "summary_en",
        "city",
        "organisation",
        "start_date",
        "end_date",
        "is_ongoing",
        "resources",
        "evidence",
        "transferability",
        "lessons",
        "further_information",
        "contact_name",
        "contact_email",
    )

    def snapshot(self) -> dict:
        """The practice's content as plain text, for versions and their diff."""
        content = {
            name: "" if getattr(self, name) is None else str(getattr(self, name))
            for name in self.VERSIONED_FIELDS
        }
        content["region"] = str(self.region)
        content["competences"] = sorted(str(c) for c in self.competences.all())
        content["themes"] = sorted(str(t) for t in self.themes.all())
        content["target_groups"] = sorted(str(t) for t in self.target_groups.all())
        return content

    def keep_version(self, *, by, content: dict) -> None:
        """Store the content as it was before an edit made after the first submission."""
        workflow.keep_version(self, by=by, content=content)

    @property
    def country(self) -> str:
        return self.region.country

    @property
    def start_year(self) -> int | None:
        return self.start_date.year if self.start_date else None


class ReviewStep(models.Model):
    """One step of the workflow: who moved the practice from which state to which, and why."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    comment = models.TextField(blank=True)
    # Rubric, on review steps: 1-5 and a comment per criterion.
    evidence_score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence_comment = models.TextField(blank=True)
    transferability_score = models.PositiveSmallIntegerField(null=True, blank=True)
    transferability_comment = models.TextField(blank=True)
    relevance_score = models.PositiveSmallIntegerField(null=True, blank=True)
    relevance_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evidence_score__isnull=True)
                | models.Q(evidence_score__range=(1, 5)),
                name="step_evidence_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(transferability_score__isnull=True)
                | models.Q(transferability_score__range=(1, 5)),
                name="step_transferability_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(relevance_score__isnull=True)
                | models.Q(relevance_score__range=(1, 5)),
                name="step_relevance_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.from_status} → {self.to_status}"

    @property
    def has_rubric(self) -> bool:
        return self.evidence_score is not None

    def scores(self) -> dict[str, int | None]:
        """The rubric's scores, keyed as the review form names them."""
        return {
            f"{criterion}_score": getattr(self, f"{criterion}_score")
            for criterion in workflow.RUBRIC_CRITERIA
        }


class PracticeVersion(workflow.SavedVersion):
    """The content of a practice as it was before an edit made after its first submission."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="versions")

    class Meta(workflow.SavedVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="practice_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} v{self.number}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Random names on disk: the original name is kept (sanitised) in the row only.
    import uuid

    return f"practices/{instance.practice_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:attachment", args=[self.practice_id, self.pk])
