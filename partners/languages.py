"""The language the portal writes to a person in, where no request says it (emails)."""

from django.conf import settings

from .models import LANGUAGE_OF_COUNTRY, Region, User


def language_for(email: str, region: Region | None = None) -> str:
    """Their account's language; else the language of the region the message is about
    (an invitation to a Lithuanian campaign is written in Lithuanian); else the site's."""
    saved = (
        User.objects.filter(email__iexact=email)
        .exclude(language="")
        .values_list("language", flat=True)
        .first()
    )
    if saved:
        return saved
    if region is not None and region.country in LANGUAGE_OF_COUNTRY:
        return LANGUAGE_OF_COUNTRY[region.country]
    return settings.LANGUAGE_CODE
