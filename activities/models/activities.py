"""Activities (the project's learning events) and the files that document them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Partner, Region


class Kind(models.TextChoices):
    STUDY_VISIT = "study_visit", _("Study visit")
    WORKSHOP = "workshop", _("Interregional thematic workshop")
    PEER_REVIEW = "peer_review", _("Peer review")
    STAKEHOLDER_MEETING = "stakeholder_meeting", _("Regional stakeholder group meeting")
    TRAINING = "training", _("Training or pilot for RII staff")
    OTHER = "other", pgettext_lazy("activity kind", "Other")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityQuerySet(models.QuerySet):
    def public(self) -> "ActivityQuerySet":
        """What anyone may see: confirmed by the host region, planned or held."""
        return self.filter(confirmed_at__isnull=False, status__in=[Status.PLANNED, Status.HELD])

    def counted(self) -> "ActivityQuerySet":
        """What the indicators count: confirmed and held."""
        return self.filter(confirmed_at__isnull=False, status=Status.HELD)

    def in_period(self, start, end) -> "ActivityQuerySet":
        """Activities whose first day falls in [start, end] (dates, both included)."""
        return self.filter(starts_on__gte=start, starts_on__lte=end)


class Activity(models.Model):
    """A study visit, workshop, peer review, stakeholder meeting, training or other event.

    Partner staff of the host propose and edit it; a coordinator of the host region (or the
    consortium coordinator) confirms it. Only confirmed activities are public or counted.
    State changes go through the methods below, never by assigning `status`.
    """

    Kind = Kind
    Status = Status

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    host_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="activities", verbose_name=_("host partner")
    )
    # The host partner's region when the activity was proposed: its coordinators confirm it.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="activities", verbose_name=_("region")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    description = models.TextField(_("description"), blank=True)
    competences = models.ManyToManyField(
        "surveys.Competence",
        blank=True,
        related_name="activities",
        verbose_name=_("competences addressed"),
    )
    practices = models.ManyToManyField(
        "practices.GoodPractice",
        blank=True,
        related_name="activities",
        verbose_name=_("good practices presented"),
    )
    briefs = models.ManyToManyField(
        "practices.PolicyBrief",
        blank=True,
        related_name="activities",
        verbose_name=_("policy briefs that came out of it"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When it was marked held: the capacity survey goes out some days after this.
    held_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["status", "starts_on"], name="activity_list_by_status_date"),
            models.Index(fields=["region", "starts_on"], name="activity_list_by_region_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.region_id and self.host_partner_id:
            self.region_id = self.host_partner.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_public(self) -> bool:
        return self.is_confirmed and self.status in (Status.PLANNED, Status.HELD)

    def confirm(self, *, by) -> None:
        """The host region's coordinator confirms what the host's staff proposed."""
        self.confirmed_by = by
        self.confirmed_at = timezone.now()
        self.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])

    def mark_held(self) -> None:
        """Held: attendance can be confirmed, and the capacity survey is scheduled."""
        if self.status == Status.HELD:
            return
        self.status = Status.HELD
        self.held_at = timezone.now()
        self.save(update_fields=["status", "held_at", "updated_at"])

    def cancel(self) -> None:
        self.status = Status.CANCELLED
        self.save(update_fields=["status", "updated_at"])


def document_path(instance: "ActivityDocument", filename: str) -> str:
    return f"activities/{instance.activity_id}/{filename}"


class ActivityDocument(models.Model):
    """The agenda, the minutes or another file of an activity, in private storage, checked
    by the good practices' upload rules (practices/uploads.py)."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", _("Other document")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=document_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:document", args=[self.activity_id, self.pk])
