"""The language and time zone the portal uses for a person: in every request (middleware)
and where no request says it (emails)."""

from django.conf import settings

from .models import LANGUAGE_OF_COUNTRY, TIME_ZONE_OF_COUNTRY, Region, User
from .permissions import roles_of


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


def time_zone_of(user) -> str:
    """A signed-in user's own time zone; else that of the region of their first membership
    (partner staff and coordinators); else the site's."""
    if user is not None and user.is_authenticated:
        if user.time_zone:
            return user.time_zone
        # The memberships the request reads anyway for the user's roles (one query, kept).
        memberships = sorted(roles_of(user).memberships, key=lambda m: m.pk)
        if memberships and memberships[0].partner.region.country in TIME_ZONE_OF_COUNTRY:
            return TIME_ZONE_OF_COUNTRY[memberships[0].partner.region.country]
    return settings.TIME_ZONE


def time_zone_for(email: str, region: Region | None = None) -> str:
    """For an email: the account's time zone, else the region's, else the site's."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.time_zone:
        return user.time_zone
    if region is not None and region.country in TIME_ZONE_OF_COUNTRY:
        return TIME_ZONE_OF_COUNTRY[region.country]
    return time_zone_of(user) if user is not None else settings.TIME_ZONE
