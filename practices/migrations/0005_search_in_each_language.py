"""The catalogue's search vector gains each practice's text stemmed in its own language."""

from django.db import migrations

from practices.models.practices import STEMMED_CONFIGS


def create_function(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    cases = " ".join(
        f"WHEN '{code}' THEN '{config}'::regconfig"
        for code, config in STEMMED_CONFIGS.items()
        if config in available
    )
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION practices_search_config(text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT CASE split_part(lower($1), '-', 1) {cases} ELSE 'simple'::regconfig END $$;
        """
    )


def recompute(apps, schema_editor):
    from practices.models.practices import GoodPractice

    apps.get_model("practices", "GoodPractice").objects.update(
        search_vector=GoodPractice.TEXT_VECTOR
    )


class Migration(migrations.Migration):
    dependencies = [("practices", "0004_editors")]
    operations = [
        migrations.RunPython(create_function, migrations.RunPython.noop),
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
