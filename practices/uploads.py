"""Attachment checks: count, size, extension and content must agree; images lose metadata."""

import io
import os
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_FILES = 10
MAX_SIZE = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 10 MB file can still unpack to gigabytes of pixels

# extension: (content type, check of the first bytes / container)
OFFICE_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
}
ALLOWED = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT"


@dataclass
class CheckedFile:
    name: str
    content_type: str
    data: bytes


def clean_name(name: str) -> str:
    """The last path component, reduced to safe characters; never empty, never hidden."""
    base = os.path.basename(name.replace("\\", "/"))
    stem, extension = os.path.splitext(base)
    try:
        stem = get_valid_filename(stem).lstrip(".")
    except Exception:  # noqa: BLE001 - Django refuses names with nothing left
        stem = ""
    return f"{(stem or 'file')[:150]}{extension.lower()}"


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if extension == ".odt":
                return archive.read("mimetype") == CONTENT_TYPES[".odt"].encode()
            return "[Content_Types].xml" in names and any(
                n.startswith(OFFICE_PARTS[extension]) for n in names
            )
    except (zipfile.BadZipFile, KeyError):
        return False


def _strip_image_metadata(extension: str, data: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("image too large")
        image.load()
        # A new image from the pixels alone: EXIF, GPS, XMP and comments stay behind.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        output = io.BytesIO()
        clean.save(output, format="PNG" if extension == ".png" else "JPEG", quality=92)
    return output.getvalue()


def check_file(upload: UploadedFile) -> CheckedFile:
    """Raise ValidationError naming the file and the rule, or return the cleaned file."""
    name = clean_name(upload.name or "")
    shown = upload.name or name
    extension = os.path.splitext(name)[1]
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("“%(name)s”: this type of file is not accepted; use %(allowed)s.")
            % {"name": shown, "allowed": ALLOWED}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": shown})
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB; please make it smaller.") % {"name": shown}
        )
    data = upload.read()
    if not _content_matches(extension, data):
        raise ValidationError(
            _("“%(name)s” is not really a %(type)s file (its content does not match its name).")
            % {"name": shown, "type": extension[1:].upper()}
        )
    if extension in (".png", ".jpg", ".jpeg"):
        try:
            data = _strip_image_metadata(extension, data)
        except Exception as error:  # noqa: BLE001 - any decoding failure means a broken image
            raise ValidationError(
                _("“%(name)s” could not be read as an image.") % {"name": shown}
            ) from error
    return CheckedFile(name=name, content_type=CONTENT_TYPES[extension], data=data)


def check_count(existing: int, new: int) -> None:
    if existing + new > MAX_FILES:
        raise ValidationError(
            _("A practice can have at most %(max)d attachments; it has %(existing)d already.")
            % {"max": MAX_FILES, "existing": existing}
        )
