from django.db import migrations

from surveys.framework.default import add_translations


def translate_default_framework(apps, schema_editor):
    add_translations(apps.get_model)


class Migration(migrations.Migration):
    """The default framework's texts in the shipped languages. Translations are not content
    changes: the frozen version 1 keeps its English text, its areas, competences and levels."""

    dependencies = [
        ("surveys", "0008_released_responses"),
    ]

    operations = [
        migrations.RunPython(translate_default_framework, migrations.RunPython.noop),
    ]
