"""Rate limits (django-ratelimit): the address a request came from, behind the deployment's
TLS proxy, and the limits' rates, read from the settings at each request."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies, the address the outermost of them saw
    (X-Forwarded-For counted from the right, which a client cannot forge past its proxy). A
    header that is short or not an address falls back to REMOTE_ADDR."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - an address, not a bind


def public_pdf_rate(group, request) -> str:
    """The rate of the public PDF endpoints (practices, briefs): PUBLIC_PDF_RATE."""
    return settings.PUBLIC_PDF_RATE
