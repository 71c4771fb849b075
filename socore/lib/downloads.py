"""Serving an uploaded file (a practice's attachment, an activity's document) after its
view has checked who may have it."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def uploaded_file(file: FieldFile, *, content_type: str, filename: str) -> FileResponse:
    """A download, never shown inline and never sniffed: what someone uploaded cannot run
    as a page of the site. 404 when the stored file is gone."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
