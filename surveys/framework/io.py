"""A framework version as a JSON file, to move it between installations and review it.

The schema (every text in English; other languages under ``translations``, see surveys.i18n):

    {
      "name": "…", "version": 3, "description": "…",
      "translations": {"pl": {"name": "…", "description": "…"}},
      "areas": [
        {"code": "A1", "name": "…", "description": "…", "translations": {…},
         "competences": [
           {"code": "1.1", "name": "…", "description": "…",
            "references": ["ResearchComp: Work in teams"], "translations": {…},
            "levels": {"1": "…", "2": "…", "3": "…", "4": "…", "5": "…"},
            "level_translations": {"1": {"pl": {"text": "…"}}}}
         ]}
      ]
    }

Order in the lists is the order shown. ``version`` is informative: an import always creates
a new draft with the next free version number. ``description``, ``translations``,
``references``, ``levels`` and ``level_translations`` may be left out.
"""

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import LEVELS, Area, Competence, Framework, LevelDescriptor

MAX_FILE_BYTES = 2_000_000


class FrameworkFileError(ValueError):
    """A file that cannot be imported; the message says where the problem is."""


def export_framework(framework: Framework) -> dict[str, Any]:
    areas = framework.areas.order_by("position", "pk").prefetch_related("competences__levels")
    return {
        "name": framework.name,
        "version": framework.version,
        "description": framework.description,
        "translations": framework.translations,
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "description": area.description,
                "translations": area.translations,
                "competences": [_export_competence(c) for c in area.competences.all()],
            }
            for area in areas
        ],
    }


def _export_competence(competence: Competence) -> dict[str, Any]:
    levels = sorted(competence.levels.all(), key=lambda level: level.level)
    data = {
        "code": competence.code,
        "name": competence.name,
        "description": competence.description,
        "references": competence.references,
        "translations": competence.translations,
        "levels": {str(level.level): level.text for level in levels},
    }
    level_translations = {
        str(level.level): level.translations for level in levels if level.translations
    }
    if level_translations:
        data["level_translations"] = level_translations
    return data


def parse(content: bytes) -> dict[str, Any]:
    """The checked content of an uploaded file, or FrameworkFileError naming line or field."""
    if len(content) > MAX_FILE_BYTES:
        raise FrameworkFileError(_("The file is larger than 2 MB."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkFileError(_("The file is not UTF-8 text.")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameworkFileError(
            _("Not valid JSON: line %(line)s, column %(column)s: %(problem)s.")
            % {"line": error.lineno, "column": error.colno, "problem": error.msg}
        ) from None
    except RecursionError:  # thousands of nested brackets, which was a server error
        raise FrameworkFileError(_("Not a framework file: nested too deeply.")) from None
    _Checker().framework(data)
    return data


class _Checker:
    """Walks the structure; the first problem raises with its path, e.g. areas[2].code."""

    def __init__(self):
        self.competence_codes: set[str] = set()

    def fail(self, path: str, problem: str):
        raise FrameworkFileError(f"{path}: {problem}")

    def readable(self, value: str, path: str) -> None:
        # PostgreSQL stores no NUL character (the JSON escape \u0000), which was a server error.
        if "\x00" in value:
            self.fail(path, _("contains a NUL character"))

    def obj(self, value, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path or _("the file"), _("must be an object {…}"))
        return value

    def text(self, data: dict, key: str, path: str, *, required=True, max_length=None) -> None:
        where = f"{path}.{key}" if path else key
        if key not in data:
            if required:
                self.fail(where, _("missing"))
            return
        value = data[key]
        if not isinstance(value, str):
            self.fail(where, _("must be text"))
        self.readable(value, where)
        if required and not value.strip():
            self.fail(where, _("must not be empty"))
        if max_length and len(value) > max_length:
            self.fail(where, _("longer than %(limit)s characters") % {"limit": max_length})

    def translations(self, value, path: str) -> None:
        self.obj(value, path)
        for language, texts in value.items():
            self.obj(texts, f"{path}.{language}")
            for field, text in texts.items():
                if not isinstance(text, str):
                    self.fail(f"{path}.{language}.{field}", _("must be text"))
                self.readable(text, f"{path}.{language}.{field}")

    def items(self, data: dict, key: str, path: str) -> list:
        where = f"{path}.{key}" if path else key
        if key not in data:
            self.fail(where, _("missing"))
        if not isinstance(data[key], list):
            self.fail(where, _("must be a list […]"))
        return data[key]

    def framework(self, data) -> None:
        self.obj(data, "")
        self.text(data, "name", "", max_length=200)
        self.text(data, "description", "", required=False)
        if "translations" in data:
            self.translations(data["translations"], "translations")
        area_codes = set()
        for index, area in enumerate(self.items(data, "areas", "")):
            path = f"areas[{index}]"
            self.obj(area, path)
            self.text(area, "code", path, max_length=10)
            if area["code"] in area_codes:
                self.fail(f"{path}.code", _('duplicate area code "%(code)s"') % area)
            area_codes.add(area["code"])
            self.text(area, "name", path, max_length=200)
            self.text(area, "description", path, required=False)
            if "translations" in area:
                self.translations(area["translations"], f"{path}.translations")
            for position, competence in enumerate(self.items(area, "competences", path)):
                self.competence(competence, f"{path}.competences[{position}]")

    def competence(self, data, path: str) -> None:
        self.obj(data, path)
        self.text(data, "code", path, max_length=10)
        if data["code"] in self.competence_codes:
            self.fail(f"{path}.code", _('duplicate competence code "%(code)s"') % data)
        self.competence_codes.add(data["code"])
        self.text(data, "name", path, max_length=200)
        self.text(data, "description", path)
        references = data.get("references", [])
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            self.fail(f"{path}.references", _("must be a list of texts"))
        for reference in references:
            self.readable(reference, f"{path}.references")
        if "translations" in data:
            self.translations(data["translations"], f"{path}.translations")
        allowed = {str(level) for level in LEVELS}
        for key in ("levels", "level_translations"):
            levels = self.obj(data.get(key, {}), f"{path}.{key}")
            for level, value in levels.items():
                if level not in allowed:
                    self.fail(
                        f"{path}.{key}",
                        _('level "%(level)s" is not one of 1 to 5') % {"level": level},
                    )
                if key == "levels":
                    if not isinstance(value, str) or not value.strip():
                        self.fail(f"{path}.levels.{level}", _("must be text, not empty"))
                    self.readable(value, f"{path}.levels.{level}")
                else:
                    self.translations(value, f"{path}.{key}.{level}")


@transaction.atomic
def import_framework(content: bytes) -> Framework:
    """A new draft version from a file; all of it or, on any problem, nothing."""
    data = parse(content)
    framework = Framework.objects.create(
        name=data["name"],
        version=Framework.objects.next_version(),
        description=data.get("description", ""),
        translations=data.get("translations", {}),
    )
    for area_position, area_data in enumerate(data["areas"], start=1):
        area = Area.objects.create(
            framework=framework,
            code=area_data["code"],
            name=area_data["name"],
            description=area_data.get("description", ""),
            translations=area_data.get("translations", {}),
            position=area_position,
        )
        for position, item in enumerate(area_data["competences"], start=1):
            competence = Competence.objects.create(
                area=area,
                code=item["code"],
                name=item["name"],
                description=item["description"],
                references=item.get("references", []),
                translations=item.get("translations", {}),
                position=position,
            )
            level_translations = item.get("level_translations", {})
            LevelDescriptor.objects.bulk_create(
                LevelDescriptor(
                    competence=competence,
                    level=int(level),
                    text=text,
                    translations=level_translations.get(level, {}),
                )
                for level, text in item.get("levels", {}).items()
            )
    return framework
