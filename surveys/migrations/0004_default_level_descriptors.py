from django.db import migrations
from django.db.models import F

from surveys.framework.default import seed_levels


def add_level_descriptors_and_freeze(apps, schema_editor):
    seed_levels(apps.get_model("surveys", "Competence"), apps.get_model("surveys", "LevelDescriptor"))
    # Published versions were already in use: from now on they are frozen.
    Framework = apps.get_model("surveys", "Framework")
    Framework.objects.filter(status="published", frozen_at__isnull=True).update(
        frozen_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_framework_translations_levels_freezing"),
    ]

    operations = [
        # Reversing 0003 drops the descriptors and the frozen_at column with them.
        migrations.RunPython(add_level_descriptors_and_freeze, migrations.RunPython.noop),
    ]
