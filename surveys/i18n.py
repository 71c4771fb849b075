"""Translations of framework texts (later also survey and privacy-notice texts).

English is the canonical text and lives in the ordinary fields (``name``, ``description``,
``text``). Each record also has a ``translations`` JSON field holding the other languages:
``{"pl": {"name": "…", "description": "…"}, "it": {…}}``.

Why a JSON field on the record, rather than a translation table or a package such as
django-modeltranslation or django-parler:
- a frozen framework version, and its JSON export and import, carry their translations
  inside the record itself, so freezing and copying need no second set of rows;
- analysis never depends on language: answers point at competences, not at texts;
- no extra dependency, and adding a language needs no migration.
"""

from typing import Any

CANONICAL_LANGUAGE = "en"


def localized(obj: Any, field: str, language: str | None) -> str:
    """The text of ``obj.field`` in ``language``, falling back to the English text.

    A regional variant ("pt-br") falls back to its base language ("pt") first.
    """
    canonical = getattr(obj, field)
    if not language:
        return canonical
    translations = getattr(obj, "translations", None) or {}
    for code in (language.lower(), language.lower().split("-")[0]):
        if code == CANONICAL_LANGUAGE:
            return canonical
        text = (translations.get(code) or {}).get(field)
        if text:
            return text
    return canonical
