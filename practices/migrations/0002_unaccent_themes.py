"""Accent folding for search, and the themes and target groups practices are tagged with.

`practices_unaccent` is a plain IMMUTABLE SQL function built on translate(): it behaves
the same on every PostgreSQL server, including the embedded one that has no contrib
`unaccent` extension, and it can be used in the stored search vector.
"""

from django.db import migrations

from practices import tags

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

def add_tags(apps, schema_editor):
    tags.add_tags(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]
    operations = [
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION IF EXISTS practices_unaccent(text);"),
        migrations.RunPython(add_tags, migrations.RunPython.noop),
    ]
