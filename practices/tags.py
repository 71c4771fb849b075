"""The themes and target groups good practices are tagged with, as the portal ships them.

Plain data and one function, so that a data migration (historical models) and the tests
(live models, after a flush) put the same rows in place.
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


def add_tags(get_model) -> None:
    """Create or update the shipped themes and target groups; running it again changes nothing."""
    for model_name, rows in (("Theme", THEMES), ("TargetGroup", TARGET_GROUPS)):
        model = get_model("practices", model_name)
        for slug, name in rows:
            model.objects.update_or_create(slug=slug, defaults={"name": name})
