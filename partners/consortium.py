"""The consortium's regions (Eurostat NUTS 2024, level 2) and the partners DESIGN.md names.

The Portuguese, Lithuanian and Moldovan partners are entered by coordinators in the
portal; their regions are here so they can be chosen. Moldova has no NUTS codes.
Used by the data migration and by the test suite (which re-creates it after a flush).
"""

# The consortium's partners, the lead partner included, as the Interreg Europe application
# lists them; the partners page says how many of them are entered.
CONSORTIUM_SIZE = 10

REGIONS = [
    # (slug, name, NUTS code, country, NUTS level)
    ("slaskie", "Śląskie", "PL22", "PL", 2),
    ("utrecht", "Utrecht", "NL35", "NL", 2),
    ("liguria", "Liguria", "ITC3", "IT", 2),
    ("norte", "Norte", "PT11", "PT", 2),
    ("algarve", "Algarve", "PT15", "PT", 2),
    ("centro-pt", "Centro", "PT19", "PT", 2),
    ("grande-lisboa", "Grande Lisboa", "PT1A", "PT", 2),
    ("peninsula-de-setubal", "Península de Setúbal", "PT1B", "PT", 2),
    ("alentejo", "Alentejo", "PT1C", "PT", 2),
    ("oeste-e-vale-do-tejo", "Oeste e Vale do Tejo", "PT1D", "PT", 2),
    ("acores", "Região Autónoma dos Açores", "PT20", "PT", 2),
    ("madeira", "Região Autónoma da Madeira", "PT30", "PT", 2),
    ("sostines-regionas", "Sostinės regionas", "LT01", "LT", 2),
    ("vidurio-ir-vakaru-lietuvos-regionas", "Vidurio ir vakarų Lietuvos regionas", "LT02", "LT", 2),
    ("chisinau", "Municipiul Chișinău", "", "MD", None),
    ("nord-md", "Nord", "", "MD", None),
    ("centru-md", "Centru", "", "MD", None),
    ("sud-md", "Sud", "", "MD", None),
    ("gagauzia", "UTA Găgăuzia", "", "MD", None),
]

PARTNERS = [
    # (slug, name, short name, type, region slug, website, lead)
    (
        "us",
        "University of Silesia in Katowice",
        "US",
        "university",
        "slaskie",
        "https://us.edu.pl",
        True,
    ),
    (
        "province-of-silesia",
        "Province of Silesia",
        "Province of Silesia",
        "public_authority",
        "slaskie",
        "https://www.slaskie.pl",
        False,
    ),
    (
        "hu",
        "HU University of Applied Sciences Utrecht",
        "HU",
        "university",
        "utrecht",
        "https://www.hu.nl",
        False,
    ),
    (
        "anci-liguria",
        "ANCI Liguria",
        "ANCI Liguria",
        "public_authority",
        "liguria",
        "https://www.anciliguria.it",
        False,
    ),
]


def seed(region_model, partner_model) -> None:
    """Create or update the regions and partners; takes the models so migrations can call it."""
    for slug, name, code, country, level in REGIONS:
        region_model.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "nuts_code": code, "country": country, "nuts_level": level},
        )
    for slug, name, short_name, kind, region, website, lead in PARTNERS:
        partner_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "type": kind,
                "region": region_model.objects.get(slug=region),
                "website": website,
                "is_lead": lead,
            },
        )
