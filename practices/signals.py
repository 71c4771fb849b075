"""The stored search vector follows changes that do not go through GoodPractice.save():
tags added to or removed from a practice (from either side of the relation), and a tag
renamed, translated or deleted. Each is one UPDATE of the practices concerned."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete

from surveys.models import Competence

from . import tags
from .models import GoodPractice, TargetGroup, Theme
from .search import catalogue_changed

# The tag models, by the name of the practice's field that holds them.
TAG_FIELDS = {"themes": Theme, "target_groups": TargetGroup, "competences": Competence}


def _refresh(practices) -> None:
    practices.refresh_search_vectors()
    catalogue_changed()


def _tagged_with(field: str, tag):
    return GoodPractice.objects.filter(**{field: tag})


def _relation_changed(field: str):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if reverse and action == "pre_clear":
            # After the clear, nothing says which practices had the tag.
            instance._cleared_practices = list(
                _tagged_with(field, instance).values_list("pk", flat=True)
            )
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            ids = [instance.pk]
        elif action == "post_clear":
            ids = instance.__dict__.pop("_cleared_practices", [])
        else:
            ids = pk_set or []
        if ids:
            _refresh(GoodPractice.objects.filter(pk__in=ids))

    return receiver


def _tag_saved(field: str):
    def receiver(sender, instance, created, raw=False, **kwargs):
        if not created and not raw:
            _refresh(_tagged_with(field, instance))

    return receiver


def _tag_deleting(field: str):
    def receiver(sender, instance, **kwargs):
        instance._tagged_practices = list(
            _tagged_with(field, instance).values_list("pk", flat=True)
        )

    return receiver


def _tag_deleted(sender, instance, **kwargs):
    ids = instance.__dict__.pop("_tagged_practices", [])
    if ids:
        _refresh(GoodPractice.objects.filter(pk__in=ids))


def _migrated(sender, apps=None, **kwargs):
    # Only once the state has the tags' translations (not when migrating back before 0007).
    # `flush` sends the signal without `apps`: the installed models, then.
    if apps is None:
        from django.apps import apps
    theme = apps.get_model("practices", "Theme")
    fields = {field.name for field in theme._meta.get_fields()}
    if "translations" in fields and tags.sync_translations(apps.get_model):
        catalogue_changed()


def connect(app_config) -> None:
    for field, model in TAG_FIELDS.items():
        through = getattr(GoodPractice, field).through
        uid = f"practices-search-{field}"
        m2m_changed.connect(_relation_changed(field), sender=through, weak=False, dispatch_uid=uid)
        post_save.connect(_tag_saved(field), sender=model, weak=False, dispatch_uid=uid)
        pre_delete.connect(_tag_deleting(field), sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_tag_deleted, sender=model, dispatch_uid=uid)
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="practices-tag-translations")
