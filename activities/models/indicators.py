"""The project's indicators (targets from its Interreg Europe application) and the policy
instruments each region addresses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Region

# The project period of the Interreg Europe application.
PROJECT_START = "2025-05-01"
PROJECT_END = "2029-04-30"


class Indicator(models.TextChoices):
    STUDY_VISITS = "study_visits", _("Study visits")
    WORKSHOPS = "workshops", _("Interregional thematic workshops")
    PEER_REVIEWS = "peer_reviews", _("Peer reviews")
    STAKEHOLDER_MEETINGS = "stakeholder_meetings", _("Regional stakeholder group meetings")
    GOOD_PRACTICES = "good_practices", _("Good practices analysed")
    INCREASED_CAPACITY = "increased_capacity", _("People with increased professional capacity")
    # SOCORE's own measure, beside the programme's.
    COMPETENCE_ROSE = (
        "competence_rose",
        _("People whose self-assessed level rose in at least one area"),
    )


# SOCORE's commitments; the consortium coordinator can change them on /impact/.
COMMITMENTS = {
    Indicator.STUDY_VISITS: 6,
    Indicator.WORKSHOPS: 6,
    Indicator.PEER_REVIEWS: 6,
    Indicator.STAKEHOLDER_MEETINGS: 36,
    Indicator.GOOD_PRACTICES: 8,
    Indicator.INCREASED_CAPACITY: 200,
    Indicator.COMPETENCE_ROSE: 100,
}


class IndicatorTarget(models.Model):
    indicator = models.CharField(
        _("indicator"), max_length=30, choices=Indicator.choices, unique=True
    )
    target = models.PositiveIntegerField(_("target"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.target}"


class PolicyInstrument(models.Model):
    """The regional policy instrument a region's partners work to improve, with its status
    and the evidence for it (a brief, a link, a date)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PREPARATION = "in_preparation", _("Change in preparation")
        IMPROVED = "improved", pgettext_lazy("policy instrument status", "Improved")

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="policy_instruments",
        verbose_name=_("region"),
    )
    name = models.CharField(_("policy instrument"), max_length=300)
    managing_authority = models.CharField(_("managing authority"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    evidence_brief = models.ForeignKey(
        "practices.PolicyBrief",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policy_instruments",
        verbose_name=_("policy brief"),
    )
    evidence_link = models.URLField(_("link"), max_length=500, blank=True)
    evidence_date = models.DateField(_("date of the evidence"), null=True, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__name", "name", "pk"]
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")

    def __str__(self) -> str:
        return self.name
