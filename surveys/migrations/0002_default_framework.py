from django.db import migrations

from surveys.framework.default import seed, unseed


def create_default_framework(apps, schema_editor):
    seed(
        apps.get_model("surveys", "Framework"),
        apps.get_model("surveys", "Area"),
        apps.get_model("surveys", "Competence"),
    )


def delete_default_framework(apps, schema_editor):
    unseed(apps.get_model("surveys", "Framework"))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_default_framework, delete_default_framework),
    ]
