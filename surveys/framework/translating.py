"""Translating a framework version: every text beside its English, edited in the portal or
exchanged with translators as a PO file (the gettext format that Poedit, Weblate, Lokalize
and OmegaT read).

Each text has a stable key: ``framework:name``, ``area:A1:description``,
``competence:1.1:name``, ``level:1.1:3``. In a PO file the key is the entry's context
(``msgctxt``), the English text its ``msgid`` and the translation its ``msgstr``. Only the
``translations`` field of a record is ever written, so a frozen version can be translated.
"""

from dataclasses import dataclass

import polib
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ..i18n import Text, save
from ..models import Competence, Framework, LevelDescriptor

MAX_PO_BYTES = 2_000_000


def texts_of(framework: Framework) -> list[Text]:
    """Every translatable text of a version, in the order the framework page shows them."""
    texts = [
        Text("framework:name", _("Name of the framework"), framework, "name", framework.name),
    ]
    if framework.description:
        texts.append(
            Text(
                "framework:description",
                _("Description of the framework"),
                framework,
                "description",
                framework.description,
            )
        )
    levels = Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level"))
    competences = Prefetch(
        "competences",
        queryset=Competence.objects.order_by("position", "pk").prefetch_related(levels),
    )
    for area in framework.areas.order_by("position", "pk").prefetch_related(competences):
        texts.append(Text(f"area:{area.code}:name", area.code, area, "name", area.name))
        if area.description:
            texts.append(
                Text(
                    f"area:{area.code}:description",
                    area.code,
                    area,
                    "description",
                    area.description,
                )
            )
        for competence in area.competences.all():
            code = competence.code
            texts.append(Text(f"competence:{code}:name", code, competence, "name", competence.name))
            if competence.description:
                texts.append(
                    Text(
                        f"competence:{code}:description",
                        code,
                        competence,
                        "description",
                        competence.description,
                    )
                )
            for level in competence.levels.all():
                label = _("%(code)s, level %(level)s") % {"code": code, "level": level.level}
                texts.append(Text(f"level:{code}:{level.level}", label, level, "text", level.text))
    return texts


def to_po(framework: Framework, language: str) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"SOCORE framework v{framework.version}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "PO-Revision-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
    }
    for text in texts_of(framework):
        po.append(
            polib.POEntry(
                msgctxt=text.key,
                msgid=text.english,
                msgstr=text.translation(language),
                comment=str(text.label),
            )
        )
    return str(po).encode("utf-8")


class TranslationFileError(ValueError):
    """A file that is not a PO file of this framework."""


@dataclass
class Imported:
    saved: int
    outdated: list[str]  # keys whose English changed since the file was made: not taken
    unknown: list[str]  # keys this version does not have


def from_po(framework: Framework, language: str, content: bytes) -> Imported:
    """Take the translated entries of a PO file; fuzzy and empty entries are left out."""
    if len(content) > MAX_PO_BYTES:
        raise TranslationFileError(_("The file is larger than 2 MB."))
    try:
        po = polib.pofile(content.decode("utf-8"))
    except (UnicodeDecodeError, OSError, ValueError) as error:
        raise TranslationFileError(
            _("This is not a PO file in UTF-8: %(error)s") % {"error": error}
        ) from error
    texts = texts_of(framework)
    by_key = {text.key: text for text in texts}
    values, outdated, unknown = {}, [], []
    for entry in po.translated_entries():
        if "\x00" in entry.msgstr:  # PostgreSQL stores none, which was a server error
            raise TranslationFileError(
                _("Line %(line)s: the translation contains a NUL character.")
                % {"line": entry.linenum}
            )
        text = by_key.get(entry.msgctxt or "")
        if text is None:
            unknown.append(entry.msgctxt or entry.msgid[:40])
        elif entry.msgid != text.english:
            outdated.append(text.key)
        else:
            values[text.key] = entry.msgstr
    if not values and not outdated and not unknown:
        raise TranslationFileError(_("The file holds no translated text."))
    return Imported(save(texts, language, values), outdated, unknown)
