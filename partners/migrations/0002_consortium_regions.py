from django.db import migrations

from partners.consortium import PARTNERS, REGIONS, seed


def add(apps, schema_editor):
    seed(apps.get_model("partners", "Region"), apps.get_model("partners", "Partner"))


def remove(apps, schema_editor):
    apps.get_model("partners", "Partner").objects.filter(slug__in=[p[0] for p in PARTNERS]).delete()
    apps.get_model("partners", "Region").objects.filter(slug__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
