from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FrameworkQuerySet(models.QuerySet):
    def current(self) -> "Framework | None":
        """The newest published version: what new practices and campaigns use."""
        return self.filter(status=Framework.Status.PUBLISHED).order_by("-version").first()


class Framework(models.Model):
    """A versioned competence framework; a published version is the one in use."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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

    def get_absolute_url(self) -> str:
        return reverse("surveys:framework")


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_per_framework"),
        ]

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
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
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__position", "position"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return f"{reverse('surveys:framework')}#competence-{self.code}"
