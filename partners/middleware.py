import time
from zoneinfo import ZoneInfo

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from .localisation import time_zone_of
from .permissions import requires_two_factor


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's; dates and times are shown
    and read in the user's time zone (their own, else their region's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        timezone.activate(ZoneInfo(time_zone_of(user)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TwoFactorRequiredMiddleware:
    """Coordinators and admins set up TOTP before they can use anything else."""

    # Paths that stay reachable while setting it up: the setup itself, signing out, assets.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/health/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and requires_two_factor(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


class CoordinatorIdleTimeoutMiddleware:
    """A coordinator's or admin's session ends after COORDINATOR_SESSION_IDLE_SECONDS without
    a request; the expiry moves with use, renewed at most every few minutes."""

    RENEW_AFTER_SECONDS = 300

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and requires_two_factor(user):
            now = int(time.time())
            if now - request.session.get("_socore_seen", 0) > self.RENEW_AFTER_SECONDS:
                request.session["_socore_seen"] = now
                request.session.set_expiry(settings.COORDINATOR_SESSION_IDLE_SECONDS)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every response to a signed-in person, and every account page (signing in, codes, a
    password reset), is `Cache-Control: private, no-store`: no proxy or browser keeps it.
    Each signed-in page names its reader in the header, and most show more of them (answers,
    results, drafts, a region's figures); one rule here instead of a decorator on each view.
    Public pages seen by visitors stay cacheable."""

    ACCOUNT_PREFIX = "/accounts/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asked before the view: a sign-out leaves an anonymous user on the request.
        personal = request.user.is_authenticated or request.path.startswith(self.ACCOUNT_PREFIX)
        response = self.get_response(request)
        if personal:
            patch_cache_control(response, private=True, no_store=True)
        return response
