"""Translations of texts written in the portal: the framework's, and each campaign's title
and privacy notice.

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

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

CANONICAL_LANGUAGE = "en"


def translation_language(code: str) -> str:
    """`code` if texts can be translated into it (a shipped language other than English);
    404 otherwise."""
    if code == CANONICAL_LANGUAGE or code not in dict(settings.LANGUAGES):
        raise Http404
    return code


def page_context(texts: list, language: str) -> dict:
    """What a translation page shows beside its form: the language and the progress."""
    translated, total = progress(texts, language)
    return {
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
        "translated": translated,
        "total": total,
    }


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


@dataclass
class Text:
    key: str
    label: str  # where the text is shown, for the translator
    record: object
    field: str
    english: str

    def translation(self, language: str) -> str:
        return (self.record.translations or {}).get(language, {}).get(self.field, "")


def progress(texts: list[Text], language: str) -> tuple[int, int]:
    """(translated, all) texts in ``language``."""
    return sum(1 for text in texts if text.translation(language)), len(texts)


@transaction.atomic
def save(texts: list[Text], language: str, values: dict[str, str]) -> int:
    """Write the given translations (key → text; empty removes one); returns how many changed."""
    changed: dict[int, object] = {}
    count = 0
    for text in texts:
        if text.key not in values:
            continue
        value = values[text.key].strip()
        if value == text.translation(language):
            continue
        own = text.record.translations.setdefault(language, {})
        if value:
            own[text.field] = value
        else:
            own.pop(text.field, None)
        changed[id(text.record)] = text.record
        count += 1
    for record in changed.values():
        record.save(update_fields=["translations"])
    return count


def campaign_texts(campaign) -> list[Text]:
    """A campaign's own texts: what respondents read before they consent."""
    return [
        Text("campaign:title", _("Title"), campaign, "title", campaign.title),
        Text(
            "campaign:privacy_notice",
            _("Privacy notice"),
            campaign,
            "privacy_notice",
            campaign.privacy_notice,
        ),
    ]


def save_sent(request, form, texts: list[Text], language: str) -> None:
    """Save a valid translations form (only the fields sent: a partial form never empties
    the texts it did not carry) and say how many texts changed."""
    sent = {key: value for key, value in form.cleaned_data.items() if key in request.POST}
    changed = save(texts, language, sent)
    messages.success(
        request,
        ngettext("%(count)s text saved.", "%(count)s texts saved.", changed) % {"count": changed},
    )
