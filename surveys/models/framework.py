"""The competence framework: versions, areas, competences and level descriptors."""

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


def only_translations(save_kwargs: dict) -> bool:
    """A save that writes the translations and nothing else.

    Translations are not content changes: the English text (the canonical wording that
    answers and reports refer to) stays frozen, while a frozen version may still gain or
    correct its texts in other languages, saved with ``update_fields=["translations"]``.
    """
    return set(save_kwargs.get("update_fields") or ()) == {"translations"}


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
        if (
            self.pk
            and not only_translations(kwargs)
            and Framework.objects.filter(pk=self.pk, frozen_at__isnull=False).exists()
        ):
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
        Its translations may still change (see ``only_translations``).
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
        if not only_translations(kwargs):
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


def published_practices_for(codes, per_code: int | None = None) -> dict[str, list]:
    """Published good practices tagged with each competence code, in any framework version,
    by title: at most `per_code` of them for each code. Two queries, whatever the number:
    the (practice, code) pairs in title order, then only the practices chosen from them.

    Good practices belong to the practices app, which depends on this one: they are reached
    through the competence's reverse relation, never by an import.
    """
    codes = list(dict.fromkeys(codes))
    chosen: dict[str, list[int]] = {code: [] for code in codes}
    if not codes:
        return chosen
    practice_model = Competence.good_practices.rel.related_model
    pairs = (
        practice_model.competences.through.objects.filter(
            competence__code__in=codes, goodpractice__in=practice_model.objects.published()
        )
        .order_by("goodpractice__title", "goodpractice_id")
        .values_list("goodpractice_id", "competence__code")
        .distinct()
    )
    for practice_id, code in pairs:
        if per_code is None or len(chosen[code]) < per_code:
            chosen[code].append(practice_id)
    wanted = {pk for ids in chosen.values() for pk in ids}
    practices = practice_model.objects.select_related("region", "partner").in_bulk(wanted)
    return {code: [practices[pk] for pk in ids] for code, ids in chosen.items()}
