"""Surveys (a questionnaire on one framework version), campaigns that run them, invitations."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .framework import Framework, translations_field


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
    name = models.CharField(pgettext_lazy("of a person", "name"), max_length=150, blank=True)
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
            self.token = secrets.token_urlsafe(24)
        super().save(*args, **kwargs)
