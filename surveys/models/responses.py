"""Responses to a campaign and their answers, one per competence."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .campaigns import Campaign, Invitation
from .framework import LEVELS, Competence

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


class ResponseQuerySet(models.QuerySet):
    def counted(self, prefix: str = "") -> "ResponseQuerySet":
        return self.filter(counted_in_figures(prefix))

    def release_due(self, campaign) -> int:
        """While a campaign is open, its figures grow in steps: the submitted responses not
        yet counted are released together once there are `RELEASE_STEP` of them, so that no
        two moments differ by one person's answers. Returns how many were released."""
        with transaction.atomic():
            type(campaign).objects.select_for_update().filter(pk=campaign.pk).first()
            waiting = self.filter(
                campaign=campaign, status=Response.Status.SUBMITTED, released=False
            )
            if waiting.count() < RELEASE_STEP:
                return 0
            return waiting.update(released=True)


RELEASE_STEP = 5


def counted_in_figures(prefix: str = "") -> models.Q:
    """Submitted, and released or of a campaign that has closed (all its responses count)."""
    return models.Q(**{f"{prefix}status": Response.Status.SUBMITTED}) & (
        models.Q(**{f"{prefix}released": True})
        | models.Q(**{f"{prefix}campaign__closes_at__lte": timezone.now()})
    )


class Response(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("response status", "In progress")
        SUBMITTED = "submitted", pgettext_lazy("response status", "Submitted")

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
    # The language the respondent chose for the survey; answers do not depend on it.
    language = models.CharField(
        _("language of the survey"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
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
    # Counted in the figures of its campaign while the campaign is open (see `release_due`).
    released = models.BooleanField(default=False, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="response_once_per_respondent",
            ),
        ]
        # Covering: the figures' cache key (response_state) counts and dates a campaign's
        # counted responses from the index alone.
        indexes = [
            models.Index(
                fields=["campaign", "status"],
                include=["released", "updated_at"],
                name="response_counts_by_status",
            )
        ]

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
