"""Attachments: what is accepted, what is refused and why, where it lands, who downloads it."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from practices.models import Attachment, Status
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501
GPS_IFD = 0x8825
MAKE = 0x010F


def png_with_exif() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "Camera of the author"
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(output, format="PNG", exif=exif)
    data = output.getvalue()
    assert Image.open(io.BytesIO(data)).getexif()[MAKE] == "Camera of the author"
    return data


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "Phone of the author"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 15.0, 30.0), 3: "E", 4: (19.0, 1.0, 2.0)})
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(output, format="JPEG", exif=exif)
    data = output.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)[1] == "N"
    return data


def office(part: str, content_types: bool = True) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{part}document.xml", "<document/>")
    return output.getvalue()


def odt() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return output.getvalue()


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(staff):
    return PracticeFactory(created_by=staff)


def post_files(client, practice, *files):
    return client.post(f"/practices/{practice.pk}/files/", {"files": list(files)})


ACCEPTED = [
    ("report.pdf", PDF, "application/pdf"),
    ("poster.png", None, "image/png"),
    ("photo.JPG", None, "image/jpeg"),
    (
        "agenda.docx",
        office("word/"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "budget.xlsx",
        office("xl/"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "slides.pptx",
        office("ppt/"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("minutes.odt", odt(), "application/vnd.oasis.opendocument.text"),
]


def test_the_accepted_kinds_of_file_are_stored_with_their_type(client_as, media, draft, staff):
    data = {"poster.png": png_with_exif(), "photo.JPG": jpeg_with_gps()}
    files = [upload(name, content or data[name]) for name, content, _type in ACCEPTED]

    response = post_files(client_as("staff"), draft, *files)

    assert response.status_code == 302
    assert response["Location"] == f"/practices/{draft.pk}/edit/"
    stored = {item.name: item for item in draft.attachments.all()}
    assert sorted(stored) == sorted(name.lower() for name, _content, _type in ACCEPTED)
    for name, content, content_type in ACCEPTED:
        item = stored[name.lower()]
        assert item.content_type == content_type
        assert item.uploaded_by == staff
        path = Path(item.file.path)
        assert path.is_relative_to(media)
        assert path.stat().st_size == item.size
        if content is not None:
            assert path.read_bytes() == content
    page = client_as("staff").get(f"/practices/{draft.pk}/edit/").content.decode()
    assert "agenda.docx" in page and "Files added." in page


def test_image_metadata_is_removed(client_as, media, draft):
    post_files(client_as("staff"), draft, upload("poster.png", png_with_exif()))
    post_files(client_as("staff"), draft, upload("photo.jpg", jpeg_with_gps()))

    png = Image.open(draft.attachments.get(name="poster.png").file.path)
    jpeg = Image.open(draft.attachments.get(name="photo.jpg").file.path)
    assert png.format == "PNG" and png.size == (8, 8)
    assert dict(png.getexif()) == {}
    assert "exif" not in png.info
    assert jpeg.format == "JPEG" and jpeg.size == (8, 8)
    assert dict(jpeg.getexif()) == {}
    assert dict(jpeg.getexif().get_ifd(GPS_IFD)) == {}
    assert b"Phone of the author" not in Path(jpeg.filename).read_bytes()


REFUSED = [
    ("setup.exe", b"MZ\x90\x00 not for you", "this type of file is not accepted"),
    ("notes.pdf", b"Just some notes, not a PDF.", "is not really a PDF file"),
    ("empty.pdf", b"", "is empty"),
    ("huge.pdf", PDF + b"0" * (11 * 1024 * 1024), "is larger than 10 MB"),
    ("letter.docx", office("other/"), "is not really a DOCX file"),
    ("letter2.docx", office("word/", content_types=False), "is not really a DOCX file"),
    ("table.xlsx", b"PK\x03\x04 but broken", "is not really a XLSX file"),
    ("image.png", b"\x89PNG\r\n\x1a\n but no image", "could not be read as an image"),
    ("fake.odt", office("word/"), "is not really a ODT file"),
    ("no-extension", PDF, "this type of file is not accepted"),
]


@pytest.mark.parametrize(("name", "content", "rule"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_file_is_named_with_the_rule_it_breaks(
    client_as, media, draft, name, content, rule
):
    response = post_files(client_as("staff"), draft, upload(name, content))

    assert response.status_code == 400
    page = response.content.decode()
    errors = page.split('class="field__errors"')[1].split("</div>")[0]
    assert f"“{name}”" in errors
    assert rule in errors
    assert not draft.attachments.exists()
    assert stored_files(media) == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_of_enormous_dimensions_is_refused(client_as, media, draft):
    # 92 megapixels in 11 kB: decoding it as RGBA would take hundreds of MB per copy.
    output = io.BytesIO()
    Image.new("1", (9600, 9600)).save(output, format="PNG", optimize=True)
    assert len(output.getvalue()) < 100_000

    response = post_files(client_as("staff"), draft, upload("bomb.png", output.getvalue()))

    assert response.status_code == 400
    errors = response.content.decode().split('class="field__errors"')[1].split("</div>")[0]
    assert "“bomb.png”" in errors
    assert not draft.attachments.exists()


def test_one_bad_file_refuses_the_whole_upload_and_names_only_the_bad_one(client_as, media, draft):
    response = post_files(
        client_as("staff"), draft, upload("fine.pdf", PDF), upload("bad.exe", b"MZ")
    )

    assert response.status_code == 400
    errors = response.content.decode().split('class="field__errors"')[1].split("</div>")[0]
    assert "“bad.exe”" in errors and "fine.pdf" not in errors
    assert not draft.attachments.exists()


def test_an_eleventh_file_is_refused(client_as, media, draft):
    client = client_as("staff")
    response = post_files(client, draft, *[upload(f"part-{n}.pdf", PDF) for n in range(10)])
    assert response.status_code == 302
    assert draft.attachments.count() == 10

    response = post_files(client, draft, upload("part-10.pdf", PDF))

    assert response.status_code == 400
    assert "at most 10 attachments; it has 10 already" in response.content.decode()
    assert draft.attachments.count() == 10


def test_eleven_files_at_once_are_refused(client_as, media, draft):
    response = post_files(
        client_as("staff"), draft, *[upload(f"part-{n}.pdf", PDF) for n in range(11)]
    )

    assert response.status_code == 400
    assert "at most 10 attachments" in response.content.decode()
    assert not draft.attachments.exists()


def test_a_post_without_files_asks_for_one(client_as, media, draft):
    response = client_as("staff").post(f"/practices/{draft.pk}/files/", {})

    assert response.status_code == 400
    assert not draft.attachments.exists()


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\system.pdf", "/etc/passwd.pdf", ".hidden.pdf"],
)
def test_a_path_in_the_file_name_is_dropped(client_as, media, draft, name):
    response = post_files(client_as("staff"), draft, upload(name, PDF))

    assert response.status_code == 302
    item = draft.attachments.get()
    assert "/" not in item.name and "\\" not in item.name and ".." not in item.name
    assert not item.name.startswith(".")
    assert item.name.endswith(".pdf")
    path = Path(item.file.path).resolve()
    assert path.is_relative_to(media.resolve())
    assert path.read_bytes() == PDF
    response = client_as("staff").get(item.get_absolute_url())
    assert f'filename="{item.name}"' in response["Content-Disposition"]


# Who may download ---------------------------------------------------------------------------


@pytest.fixture
def attached(media, draft, staff):
    """The draft with one PDF attached (stored as the upload view stores it)."""
    item = Attachment(
        practice=draft,
        name="results.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=staff,
    )
    item.file.save("results.pdf", ContentFile(PDF), save=False)
    item.save()
    return draft, item


def download(client_as, role, practice, item):
    client = client_as(role)
    response = client.get(f"/practices/{practice.pk}/files/{item.pk}/")
    client.logout()
    return response


def assert_served(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="results.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    response.close()


DRAFT_ACCESS = {
    "anonymous": 404,
    "respondent": 404,
    "staff": 200,
    "other_staff": 404,
    "coordinator": 200,  # a member of the Province of Silesia too
    "other_coordinator": 404,
    "consortium_coordinator": 404,
    "admin_user": 404,
}
SUBMITTED_ACCESS = {**DRAFT_ACCESS, "consortium_coordinator": 200}


@pytest.mark.parametrize(("role", "expected"), DRAFT_ACCESS.items())
def test_a_draft_attachment_is_for_the_partners_members(client_as, attached, role, expected):
    practice, item = attached

    response = download(client_as, role, practice, item)

    if expected == 200:
        assert_served(response)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("role", "expected"), SUBMITTED_ACCESS.items())
def test_a_submitted_attachment_is_for_members_and_reviewers(
    client_as, attached, staff, role, expected
):
    practice, item = attached
    practice.submit(by=staff)

    response = download(client_as, role, practice, item)

    if expected == 200:
        assert_served(response)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", DRAFT_ACCESS)
def test_a_published_attachment_is_for_everyone(client_as, attached, role):
    practice, item = attached
    type(practice).objects.filter(pk=practice.pk).update(
        status=Status.PUBLISHED, submitted_at=timezone.now(), published_at=timezone.now()
    )

    assert_served(download(client_as, role, practice, item))


def test_an_attachment_is_found_only_under_its_own_practice(client_as, attached, staff):
    practice, item = attached
    other = PracticeFactory(created_by=staff, status=Status.PUBLISHED)

    response = client_as("staff").get(f"/practices/{other.pk}/files/{item.pk}/")

    assert response.status_code == 404


def test_an_attachment_whose_file_is_gone_is_404(client_as, attached):
    practice, item = attached
    Path(item.file.path).unlink()

    assert download(client_as, "staff", practice, item).status_code == 404


# Who may delete -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("other_staff", 404),
        ("other_coordinator", 404),
        ("respondent", 404),
        ("consortium_coordinator", 404),
    ],
)
def test_outsiders_cannot_delete_an_attachment(client_as, attached, role, expected):
    practice, item = attached

    response = client_as(role).post(f"/practices/{practice.pk}/files/{item.pk}/delete/")

    assert response.status_code == expected
    assert Path(item.file.path).exists()
    assert practice.attachments.filter(pk=item.pk).exists()


def test_nobody_deletes_an_attachment_while_the_practice_is_under_review(
    client_as, attached, staff
):
    practice, item = attached
    practice.submit(by=staff)

    for role in ("staff", "coordinator", "consortium_coordinator"):
        response = client_as(role).post(f"/practices/{practice.pk}/files/{item.pk}/delete/")
        assert response.status_code == 403

    assert Path(item.file.path).exists()
    assert practice.attachments.filter(pk=item.pk).exists()


def test_anonymous_cannot_delete_an_attachment(client, attached):
    practice, item = attached

    response = client.post(f"/practices/{practice.pk}/files/{item.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert practice.attachments.filter(pk=item.pk).exists()


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_an_editor_deletes_an_attachment_and_its_file(client_as, attached, role):
    practice, item = attached
    path = Path(item.file.path)

    response = client_as(role).post(f"/practices/{practice.pk}/files/{item.pk}/delete/")

    assert response.status_code == 302
    assert not practice.attachments.exists()
    assert not path.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("other_staff", 404), ("respondent", 404), ("consortium_coordinator", 404)],
)
def test_only_editors_upload(client_as, media, draft, role, expected):
    response = post_files(client_as(role), draft, upload("intruder.pdf", PDF))

    assert response.status_code == expected
    assert not draft.attachments.exists()


def test_nobody_uploads_while_the_practice_is_under_review(client_as, media, staff):
    practice = PracticeFactory(created_by=staff, status=Status.SUBMITTED)

    response = post_files(client_as("staff"), practice, upload("late.pdf", PDF))

    assert response.status_code == 403
    assert not practice.attachments.exists()
