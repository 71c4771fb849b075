"""Accent folding for search, and the themes and target groups practices are tagged with.

`practices_unaccent` is a plain IMMUTABLE SQL function built on translate(): it behaves
the same on every PostgreSQL server, including the embedded one that has no contrib
`unaccent` extension, and it can be used in the stored search vector.
"""

from django.db import migrations

ACCENTED = (
    "ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħ"
    "ÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏő"
    "ŔŖŘŕŗřŚŜŞŠȘśŝşšșŢŤŦȚţťŧțÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž"
)
PLAIN = (
    "AAAAAAAAAaaaaaaaaaCCCCCcccccDDddEEEEEEEEEeeeeeeeeeGGGGggggHHhh"
    "IIIIIIIIIiiiiiiiiiJjKkLLLLLlllllNNNNnnnnOOOOOOOOOooooooooo"
    "RRRrrrSSSSSsssssTTTTttttUUUUUUUUUUuuuuuuuuuuWwYYYyyyZZZzzz"
)
assert len(ACCENTED) == len(PLAIN)

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION practices_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT translate($1, '{ACCENTED}', '{PLAIN}') $$;
"""

THEMES = [
    ("science-business-cooperation", "Science–business cooperation"),
    ("knowledge-transfer", "Knowledge and technology transfer"),
    ("training-and-skills", "Training and skills development"),
    ("mentoring-and-coaching", "Mentoring and coaching"),
    ("entrepreneurship", "Entrepreneurship and spin-offs"),
    ("open-innovation", "Open innovation"),
    ("networking-and-matchmaking", "Networking and matchmaking"),
    ("intellectual-property", "Intellectual property"),
    ("communication-and-outreach", "Science communication and outreach"),
    ("regional-policy", "Regional innovation policy"),
]
TARGET_GROUPS = [
    ("researchers", "Researchers"),
    ("rii-managers", "RII managers"),
    ("technology-transfer-staff", "Technology transfer staff"),
    ("technicians-and-lab-staff", "Technicians and laboratory staff"),
    ("doctoral-candidates", "Doctoral candidates"),
    ("smes-and-companies", "SMEs and companies"),
    ("policy-makers", "Policy makers"),
    ("students", "Students"),
]


def add_tags(apps, schema_editor):
    for model_name, rows in (("Theme", THEMES), ("TargetGroup", TARGET_GROUPS)):
        model = apps.get_model("practices", model_name)
        for slug, name in rows:
            model.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]
    operations = [
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION IF EXISTS practices_unaccent(text);"),
        migrations.RunPython(add_tags, migrations.RunPython.noop),
    ]
