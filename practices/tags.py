"""The themes and target groups good practices are tagged with, as the portal ships them.

Plain data and one function, so that a data migration (historical models) and the tests
(live models, after a flush) put the same rows in place.
"""

from django.utils.translation import gettext_noop

# Names are stored in English and shown in the reader's language (Tag.__str__).
THEMES = [
    ("science-business-cooperation", gettext_noop("Science–business cooperation")),
    ("knowledge-transfer", gettext_noop("Knowledge and technology transfer")),
    ("training-and-skills", gettext_noop("Training and skills development")),
    ("mentoring-and-coaching", gettext_noop("Mentoring and coaching")),
    ("entrepreneurship", gettext_noop("Entrepreneurship and spin-offs")),
    ("open-innovation", gettext_noop("Open innovation")),
    ("networking-and-matchmaking", gettext_noop("Networking and matchmaking")),
    ("intellectual-property", gettext_noop("Intellectual property")),
    ("communication-and-outreach", gettext_noop("Science communication and outreach")),
    ("regional-policy", gettext_noop("Regional innovation policy")),
]
TARGET_GROUPS = [
    ("researchers", gettext_noop("Researchers")),
    ("rii-managers", gettext_noop("RII managers")),
    ("technology-transfer-staff", gettext_noop("Technology transfer staff")),
    ("technicians-and-lab-staff", gettext_noop("Technicians and laboratory staff")),
    ("doctoral-candidates", gettext_noop("Doctoral candidates")),
    ("smes-and-companies", gettext_noop("SMEs and companies")),
    ("policy-makers", gettext_noop("Policy makers")),
    ("students", gettext_noop("Students")),
]


def add_tags(get_model) -> None:
    """Create or update the shipped themes and target groups; running it again changes nothing."""
    for model_name, rows in (("Theme", THEMES), ("TargetGroup", TARGET_GROUPS)):
        model = get_model("practices", model_name)
        for slug, name in rows:
            model.objects.update_or_create(slug=slug, defaults={"name": name})
