"""The catalogue's search vector gains the names of each practice's themes, target groups and
competences, in English and in every language they are translated into."""

from django.db import migrations, models

from practices import tags
from practices.models.practices import STEMMED_CONFIGS

# Shipped names are translated in the catalogues (copied into the tag rows, see
# practices.tags.sync_translations); competence names in the framework's translations.
TAG_NAMES = """
    SELECT t.name, t.translations FROM practices_goodpractice_themes x
      JOIN practices_theme t ON t.id = x.theme_id WHERE x.goodpractice_id = $1
    UNION ALL
    SELECT t.name, t.translations FROM practices_goodpractice_target_groups x
      JOIN practices_targetgroup t ON t.id = x.targetgroup_id WHERE x.goodpractice_id = $1
    UNION ALL
    SELECT c.name, c.translations FROM practices_goodpractice_competences x
      JOIN surveys_competence c ON c.id = x.competence_id WHERE x.goodpractice_id = $1
"""


def create_function(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    # Every name, in every language, as typed (unaccented); then each language's names stemmed
    # in that language, where PostgreSQL has a stemmer for it. Never NULL: a NULL would void
    # the whole vector it is added to.
    parts = [
        "to_tsvector('simple', practices_unaccent(coalesce(string_agg(concat_ws(' ', name, "
        "(SELECT string_agg(value ->> 'name', ' ') FROM jsonb_each(translations))), ' '), '')))"
    ]
    for code, config in STEMMED_CONFIGS.items():
        if config not in available:
            continue
        names = "name" if code == "en" else f"translations -> '{code}' ->> 'name'"
        parts.append(f"to_tsvector('{config}', coalesce(string_agg({names}, ' '), ''))")
    vector = "\n        || ".join(parts)
    # Built from PostgreSQL's own configuration names, no input.
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION practices_tags_vector(bigint) RETURNS tsvector
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$
        WITH tag (name, translations) AS ({TAG_NAMES})
        SELECT setweight({vector}, 'B') FROM tag
        $$;
        """  # noqa: S608
    )


def drop_function(apps, schema_editor):
    schema_editor.execute("DROP FUNCTION IF EXISTS practices_tags_vector(bigint)")


def fill(apps, schema_editor):
    from practices.models.practices import GoodPractice

    tags.sync_translations(apps.get_model)
    apps.get_model("practices", "GoodPractice").objects.update(
        search_vector=GoodPractice.SEARCH_VECTOR
    )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_frozen_brief_figures"),
        ("surveys", "0010_response_language"),
    ]
    operations = [
        migrations.AddField(
            model_name="targetgroup",
            name="translations",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="theme",
            name="translations",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(create_function, drop_function),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
