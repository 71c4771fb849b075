from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LEVELS = range(1, 6)


class FrameworkFrozen(ValidationError):
    """A change to a frozen framework version: make a new version instead."""

    def __init__(self, framework: "Framework"):
        super().__init__(
            _(
                "Version %(version)s of the framework is frozen: it has been published and may "
                "be in use. Create a new version from it and change that one."
            ),
            code="frozen",
            params={"version": framework.version},
        )


def translations_field():
    """Translations of a record's texts, kept inside the record: see surveys.i18n."""
    return models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('By language, e.g. {"pl": {"name": "…", "description": "…"}}.'),
    )


class FrameworkQuerySet(models.QuerySet):
    def current(self) -> "Framework | None":
        """The newest published version: what new practices and campaigns use."""
        return self.filter(status=Framework.Status.PUBLISHED).order_by("-version").first()

    def next_version(self) -> int:
        return (self.aggregate(highest=models.Max("version"))["highest"] or 0) + 1


class Framework(models.Model):
    """A versioned competence framework; a published version is the one in use."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(_("description"), blank=True)
    translations = translations_field()
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_name_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk and Framework.objects.filter(pk=self.pk, frozen_at__isnull=False).exists():
            raise FrameworkFrozen(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("surveys:framework")

    def delete(self, *args, **kwargs):
        self.check_not_frozen()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        """Frozen once published; campaigns (a later part of issue 4) will freeze it too.

        A frozen version's texts, areas, competences and level descriptors never change, so
        answers and reports made on it keep their meaning; edits go into a new version.
        """
        return self.frozen_at is not None

    def check_not_frozen(self) -> None:
        if self.is_frozen:
            raise FrameworkFrozen(self)

    def publish(self) -> None:
        """Publish this draft: it becomes the current version (if newest) and is frozen."""
        self.check_not_frozen()
        competences = Competence.objects.filter(area__framework=self).annotate(
            level_count=models.Count("levels")
        )
        if not competences.exists():
            raise ValidationError(_("A version without competences cannot be published."))
        incomplete = [c.code for c in competences if c.level_count < len(LEVELS)]
        if incomplete:
            raise ValidationError(
                _("Every competence needs its five level descriptors; missing in: %(codes)s."),
                params={"codes": ", ".join(incomplete)},
            )
        self.status = self.Status.PUBLISHED
        self.frozen_at = timezone.now()
        self.save()

    @transaction.atomic
    def new_version(self) -> "Framework":
        """A draft copy of everything in this version (texts, translations, references)."""
        copy = Framework.objects.create(
            name=self.name,
            version=Framework.objects.next_version(),
            description=self.description,
            translations=self.translations,
        )
        for area in self.areas.prefetch_related("competences__levels"):
            area_copy = Area.objects.create(
                framework=copy,
                **{f: getattr(area, f) for f in ("code", "name", "description", "position")},
                translations=area.translations,
            )
            for competence in area.competences.all():
                competence_copy = Competence.objects.create(
                    area=area_copy,
                    **{
                        f: getattr(competence, f)
                        for f in ("code", "name", "description", "references", "position")
                    },
                    translations=competence.translations,
                )
                LevelDescriptor.objects.bulk_create(
                    LevelDescriptor(
                        competence=competence_copy,
                        level=level.level,
                        text=level.text,
                        translations=level.translations,
                    )
                    for level in competence.levels.all()
                )
        return copy


class GuardedByFramework(models.Model):
    """A part of a framework version: refuses to change while that version is frozen.

    Bulk queryset updates and deletes bypass this guard; views and imports use save().
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.owning_framework().check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.owning_framework().check_not_frozen()
        return super().delete(*args, **kwargs)

    def owning_framework(self) -> Framework:
        raise NotImplementedError


class Area(GuardedByFramework):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = translations_field()

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_per_framework"),
        ]

    def __str__(self) -> str:
        return self.name

    def owning_framework(self) -> Framework:
        return self.framework


class Competence(GuardedByFramework):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    references = models.JSONField(
        _("references"),
        default=list,
        blank=True,
        help_text=_("Source competences, e.g. ResearchComp, LifeComp, EntreComp, ESCO, by name."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = translations_field()

    class Meta:
        ordering = ["area__position", "position"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return f"{reverse('surveys:framework')}#competence-{self.code}"

    def owning_framework(self) -> Framework:
        return self.area.framework


class LevelDescriptor(GuardedByFramework):
    """What a competence looks like at one level, 1 (novice) to 5 (expert who guides others)."""

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), choices=[(n, str(n)) for n in LEVELS])
    text = models.TextField(_("text"))
    translations = translations_field()

    class Meta:
        ordering = ["competence", "level"]
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        constraints = [
            models.UniqueConstraint(
                fields=["competence", "level"], name="one_descriptor_per_level"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="descriptor_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} level {self.level}"

    def owning_framework(self) -> Framework:
        return self.competence.area.framework


# Surveys, campaigns and responses ------------------------------------------------------


class Survey(models.Model):
    """A questionnaire on one framework version: self-assessment or employer demand."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self", _("Self-assessment (RII staff)")
        DEMAND = "demand", _("Employer demand")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    translations = translations_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class CampaignQuerySet(models.QuerySet):
    def open_now(self) -> "CampaignQuerySet":
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Campaign(models.Model):
    """A survey run in one region (or consortium-wide) between two moments."""

    class Access(models.TextChoices):
        OPEN = "open", _("Open link: anyone with the link")
        INVITATION = "invitation", _("Invitation only")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="campaigns")
    region = models.ForeignKey(
        "partners.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_("Empty for a consortium-wide campaign."),
    )
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    access = models.CharField(
        _("access"), max_length=12, choices=Access.choices, default=Access.INVITATION
    )
    link_token = models.CharField(max_length=40, unique=True, editable=False)
    privacy_notice = models.TextField(_("privacy notice"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    target_responses = models.PositiveIntegerField(
        _("target number of responses"), null=True, blank=True
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before closing"), null=True, blank=True, default=3
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    translations = translations_field()
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="campaign_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.link_token:
            import secrets

            self.link_token = secrets.token_urlsafe(24)
        super().save(*args, **kwargs)

    @property
    def state(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    @property
    def is_open(self) -> bool:
        return self.state == "open"


class Invitation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    token = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="invitation_once_per_email"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        if not self.token:
            import secrets

            self.token = secrets.token_urlsafe(24)
        super().save(*args, **kwargs)


# The short background section; nothing more is asked (data minimisation).
ORGANISATION_TYPES = [
    ("university", _("University")),
    ("research_institute", _("Research institute")),
    ("technology_transfer", _("Technology transfer office")),
    ("science_park", _("Science or technology park")),
    ("company", _("Company")),
    ("public_body", _("Public body")),
    ("other", _("Other")),
]
ROLES = [
    ("researcher", _("Researcher")),
    ("technical", _("Technical or laboratory staff")),
    ("transfer", _("Technology transfer or innovation support")),
    ("management", _("Management")),
    ("business", _("Business owner or manager")),
    ("other", _("Other")),
]
EXPERIENCE = [
    ("0-2", _("Less than 2 years")),
    ("2-5", _("2 to 5 years")),
    ("6-10", _("6 to 10 years")),
    ("11-20", _("11 to 20 years")),
    ("20+", _("More than 20 years")),
]
AGE_BANDS = [
    ("-29", _("Under 30")),
    ("30-39", _("30 to 39")),
    ("40-49", _("40 to 49")),
    ("50-59", _("50 to 59")),
    ("60+", _("60 or over")),
]


class Response(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    # Empty once a respondent's data is erased from a closed, reported campaign (anonymised).
    respondent = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    current_page = models.PositiveSmallIntegerField(default=0)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=30, choices=ORGANISATION_TYPES, blank=True
    )
    role = models.CharField(_("role"), max_length=30, choices=ROLES, blank=True)
    experience = models.CharField(
        _("years of experience"), max_length=10, choices=EXPERIENCE, blank=True
    )
    age_band = models.CharField(_("age (optional)"), max_length=10, choices=AGE_BANDS, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="response_once_per_respondent",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="response_counts_by_status")]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"


SCALE = [(n, str(n)) for n in LEVELS]


class Answer(models.Model):
    """One competence in one response: the scale values (none when not applicable)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="answers")
    current_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=SCALE)
    importance = models.PositiveSmallIntegerField(null=True, blank=True, choices=SCALE)
    required_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=SCALE)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "competence"], name="answer_once"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__range": (1, 5)}),
                    name=f"answer_{name}_range",
                )
                for name in ("current_level", "importance", "required_level")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.competence_id}"


# Regional reports and exports: their own module, registered with the app from here.
from .report_models import ReportRequest  # noqa: E402, F401
