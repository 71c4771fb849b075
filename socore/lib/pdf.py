"""PDFs from templates, with WeasyPrint, fetching nothing but the project's static files.

Every PDF of the portal (good practices, policy briefs, regional reports, personal
profiles) goes through `render_pdf`, so they share one look (templates/pdf/base.html,
static/css/print.css) and one rule: a URL that is not one of our static files - a
`file://` path, an `http(s)://` address, a `data:` URL in user text - is refused.
"""

import hashlib
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the rendered HTML resolve against this; no such host exists.
BASE_URL = "https://pdf.socore.invalid/"


class RefusedURL(ValueError):
    pass


def static_file_path(name: str) -> Path | None:
    """Where a static file lives: collected (hashed names) or in the source tree."""
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
        found = finders.find(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return Path(found) if found else None


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = "/static/"
        if (
            f"{parts.scheme}://{parts.netloc}/" != BASE_URL
            or not parts.path.startswith(static_prefix)
            or ".." in unquote(parts.path)
        ):
            raise RefusedURL(f"PDF rendering fetches only the portal's static files, not {url}")
        path = static_file_path(unquote(parts.path.removeprefix(static_prefix)))
        if path is None:
            raise RefusedURL(f"no such static file: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render a template to a tagged PDF (PDF/UA), fonts embedded."""
    return html_to_pdf(render_to_string(template, context, request=request))


SHARED_PDF_SECONDS = 24 * 3600


def render_shared_pdf(template: str, context: dict, request=None) -> bytes:
    """`render_pdf` for a document many people may ask for (a published practice or brief):
    laid out once per content, kept in the cache under the hash of its HTML, so a new
    version, language or figure makes a new PDF and asking again costs no rendering. Not for
    personal documents, which stay out of any shared cache."""
    html = render_to_string(template, context, request=request)
    key = f"pdf:{hashlib.sha256(html.encode()).hexdigest()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, SHARED_PDF_SECONDS)
    return pdf


def html_to_pdf(html: str, target=None) -> bytes | None:
    """Lay out HTML as a tagged PDF (PDF/UA); into `target` (a binary file) when given."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    return document.write_pdf(target, pdf_variant="pdf/ua-1", pdf_tags=True)
