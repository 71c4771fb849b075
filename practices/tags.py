"""The themes and target groups good practices are tagged with, as the portal ships them.

Plain data and two functions, so that data migrations (historical models) and the tests
(live models, after a flush) put the same rows in place.
"""

from django.conf import settings
from django.utils import translation
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


def translations_of(name: str) -> dict:
    """The (English) name in each other language the catalogues translate it into."""
    translated = {}
    for code, _label in settings.LANGUAGES:
        if code == "en":
            continue
        with translation.override(code):
            text = translation.gettext(name)
        if text != name:
            translated[code] = {"name": text}
    return translated


def sync_translations(get_model) -> bool:
    """Copy the catalogues' translations of every tag's name into its row, and recompute the
    search vectors of the practices whose tags changed (the vector is computed in SQL, which
    cannot read the catalogues); whether anything changed. Called after every migrate:
    nothing to do unless the catalogues changed."""
    from .models.practices import GoodPractice

    practices = get_model("practices", "GoodPractice")
    anything = False
    for model_name, field in (("Theme", "themes"), ("TargetGroup", "target_groups")):
        model = get_model("practices", model_name)
        changed = []
        for tag in model.objects.all():
            translated = translations_of(tag.name)
            if tag.translations != translated:
                tag.translations = translated
                tag.save(update_fields=["translations"])
                changed.append(tag.pk)
        if changed:
            practices.objects.filter(**{f"{field}__in": changed}).update(
                search_vector=GoodPractice.SEARCH_VECTOR
            )
            anything = True
    return anything
