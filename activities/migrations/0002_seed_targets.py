"""SOCORE's commitments from its Interreg Europe application, as the indicators' targets."""

from django.db import migrations

COMMITMENTS = {
    "study_visits": 6,
    "workshops": 6,
    "peer_reviews": 6,
    "stakeholder_meetings": 36,
    "good_practices": 8,
    "increased_capacity": 200,
    "competence_rose": 100,
}


def seed(apps, schema_editor):
    IndicatorTarget = apps.get_model("activities", "IndicatorTarget")
    for indicator, target in COMMITMENTS.items():
        IndicatorTarget.objects.get_or_create(indicator=indicator, defaults={"target": target})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
