"""Seven languages: every shipped catalogue complete and compiled, every template's text
translatable, the default framework translated in every shipped language."""

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

from surveys.framework import default
from surveys.models import Area, Competence, Framework, FrameworkFrozen, LevelDescriptor

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
# Plural forms as CLDR counts them: one/few/many for the Slavic, Baltic and Romanian ones.
NPLURALS = {"pl": 3, "lt": 3, "ro": 3, "nl": 2, "it": 2, "pt": 2}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-z][^>]*>")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def test_every_interface_language_has_a_catalogue_and_a_glossary():
    assert set(SHIPPED) == set(NPLURALS)
    for language in SHIPPED:
        glossary = (ROOT / "locale" / language / "glossary.md").read_text()
        for term in ("competence", "good practice", "policy brief", "self-assessment", "RII"):
            assert term in glossary.lower() or term in glossary, (language, term)


@pytest.mark.parametrize("language", SHIPPED)
def test_a_catalogue_is_complete_with_no_fuzzy_or_obsolete_entry(language):
    po = catalogue(language)
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.obsolete_entries() == []
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    assert nplurals == NPLURALS[language]
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid


@pytest.mark.parametrize("language", SHIPPED)
def test_a_translation_keeps_every_placeholder_and_tag_of_its_english(language):
    wrong = []
    for entry in catalogue(language):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        expected = set(PLACEHOLDER.findall(" ".join(sources)))
        tags = sorted(HTML_TAG.findall(entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            # A singular form may leave out the count ("One campaign …"), never add one.
            if not set(PLACEHOLDER.findall(text)) <= expected or (
                not entry.msgid_plural and set(PLACEHOLDER.findall(text)) != expected
            ):
                wrong.append((entry.msgid, text))
            if sorted(HTML_TAG.findall(text)) != tags:
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_the_compiled_catalogue_is_the_current_one(language):
    """`make messages` compiles; the compiled files are committed, so the image and a bare
    `manage.py` need no gettext: this fails when a .po changed without its .mo."""
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    po, mo = polib.pofile(str(folder / "django.po")), polib.mofile(str(folder / "django.mo"))

    def entries(catalogue, only_translated: bool):
        found = {}
        for entry in catalogue:
            if only_translated and not entry.translated():
                continue
            text = (
                tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            )
            found[(entry.msgctxt, entry.msgid)] = text
        return found

    compiled = {key: text for key, text in entries(mo, False).items() if key[1]}  # no header
    assert compiled == entries(po, True)


# Templates ----------------------------------------------------------------------------------

COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->", re.S)
BLOCKS = re.compile(r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}", re.S)
SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.S)
READ_ATTRIBUTES = re.compile(r'\b(?:title|alt|placeholder|aria-label|aria-description)="([^"]*)"')
MARKUP = re.compile(r"<[^>]*>", re.S)
# Proper names that stay as they are in every language.
PROPER_NAMES = re.compile(r"\b(?:SOCORE|Interreg Europe|NUTS)\b")
WORD = re.compile(r"[^\W\d_]{2,}")


def untranslated_text(source: str) -> list[str]:
    """Text a reader sees that is not inside {% translate %} or {% blocktranslate %}."""
    source = SCRIPTS.sub(" ", BLOCKS.sub(" ", COMMENTS.sub(" ", source)))
    source = re.sub(r'<meta name="viewport"[^>]*>', " ", source)
    found = [
        value
        for value in READ_ATTRIBUTES.findall(source)
        if WORD.search(PROPER_NAMES.sub(" ", TEMPLATE_CODE.sub(" ", value)))
    ]
    text = TEMPLATE_CODE.sub(" ", MARKUP.sub("\n", source))
    found += [
        line.strip() for line in text.splitlines() if WORD.search(PROPER_NAMES.sub(" ", line))
    ]
    return found


def test_the_scanner_finds_text_outside_translate_tags():
    planted = (
        '{% load i18n %}<h1>{% translate "Results" %}</h1><p>Only in English</p>'
        '<img alt="A chart">{% blocktranslate %}Fine {{ n }}{% endblocktranslate %}'
        "<title>{{ title }} · SOCORE</title>"
    )
    assert untranslated_text(planted) == ["A chart", "Only in English"]


def test_no_template_shows_text_outside_translate_tags():
    found = {}
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt", ".xml"}:
            text = untranslated_text(path.read_text())
            if text:
                found[str(path.relative_to(ROOT))] = text
    assert found == {}


# The default framework ----------------------------------------------------------------------


def english_source() -> dict:
    areas = {area["code"]: area for area in default.AREAS}
    competences = {c["code"]: c for area in default.AREAS for c in area["competences"]}
    return {"areas": areas, "competences": competences}


@pytest.mark.parametrize("language", SHIPPED)
def test_a_shipped_framework_file_has_every_text_of_the_english_one(language):
    shipped = default.shipped_translations()[language]
    source = english_source()

    assert set(shipped["framework"]) == {"name", "description"}
    assert set(shipped["areas"]) == set(source["areas"])
    assert set(shipped["competences"]) == set(source["competences"])
    for code, texts in shipped["areas"].items():
        assert set(texts) == {"name", "description"}, code
        assert texts["name"] != source["areas"][code]["name"], code
    for code, texts in shipped["competences"].items():
        assert set(texts) == {"name", "description", "levels"}, code
        assert len(texts["levels"]) == 5 and all(texts["levels"]), code
        assert texts["description"] != source["competences"][code]["description"], code
        assert list(texts["levels"]) != list(default.LEVEL_DESCRIPTORS[code]), code


@pytest.mark.django_db
def test_the_migrated_default_framework_carries_every_text_in_every_shipped_language():
    framework = Framework.objects.get(name=default.FRAMEWORK["name"], version=1)
    records = [
        (framework, ("name", "description")),
        *((area, ("name", "description")) for area in Area.objects.filter(framework=framework)),
        *(
            (competence, ("name", "description"))
            for competence in Competence.objects.filter(area__framework=framework)
        ),
        *(
            (level, ("text",))
            for level in LevelDescriptor.objects.filter(competence__area__framework=framework)
        ),
    ]
    assert len(records) == 1 + 6 + 24 + 120

    missing = [
        (type(record).__name__, record.pk, language, field)
        for record, fields in records
        for language in SHIPPED
        for field in fields
        if not record.translations.get(language, {}).get(field)
    ]
    assert missing == []
    assert framework.is_frozen  # translated, and still the frozen version 1


@pytest.mark.django_db
def test_a_frozen_version_takes_translations_but_keeps_its_english_text():
    competence = Competence.objects.get(area__framework__version=1, code="1.1")
    english = competence.name

    competence.translations["pl"]["name"] = "Komunikacja z partnerami spoza nauki"
    competence.save(update_fields=["translations"])
    competence.refresh_from_db()
    assert competence.translations["pl"]["name"] == "Komunikacja z partnerami spoza nauki"

    competence.name = "Something else"
    with pytest.raises(FrameworkFrozen):
        competence.save()
    with pytest.raises(FrameworkFrozen):
        competence.save(update_fields=["name", "translations"])
    assert Competence.objects.get(pk=competence.pk).name == english


@pytest.mark.django_db
def test_adding_the_shipped_translations_again_keeps_what_a_coordinator_wrote():
    level = LevelDescriptor.objects.get(
        competence__code="1.1", level=1, competence__area__framework__version=1
    )
    level.translations["nl"]["text"] = "Eigen formulering van de coördinator."
    level.save(update_fields=["translations"])

    assert default.add_translations(apps.get_model) == 0
    level.refresh_from_db()
    assert level.translations["nl"]["text"] == "Eigen formulering van de coördinator."
