"""The production image, read as Docker would build and run it, and the production processes
run as an unprivileged user on a fresh DATA_DIR: what an operator's `docker compose up` needs,
proven without a Docker engine."""

import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import polib
import pytest
import yaml
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import resolve

from practices.models import Attachment
from surveys.models import ReportRequest
from tests.factories.accounts import PASSWORD
from tests.factories.practices import PracticeFactory
from tests.factories.reports import build_world, pdf_text
from tests.socore.test_processes import stop, wait_for
from tests.surveys.reports.test_worker import database_url, pool_process, worker_command

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ("web", "worker", "beat")

# What WeasyPrint opens at run time (weasyprint/text/ffi.py: gobject, pango, harfbuzz,
# harfbuzz-subset, fontconfig, pangoft2), as Debian 12 packages them. GLib, HarfBuzz and
# fontconfig's library come with Pango; the subsetter is asked for by name.
WEASYPRINT_PACKAGES = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"}
FONT_PACKAGE, FONT_FAMILY = "fonts-dejavu-core", "DejaVu Sans"
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BUILD_TOOLS = re.compile(r"^(gcc|g\+\+|make|build-essential|.*-dev)$")


def run_lines() -> list[str]:
    """The Dockerfile's RUN instructions, each joined into one line."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [line.strip()[4:] for line in joined.splitlines() if line.strip().startswith("RUN ")]


def apt_packages() -> set[str]:
    packages = set()
    for line in run_lines():
        for command in line.split("&&"):
            words = shlex.split(command)
            if words[:2] == ["apt-get", "install"]:
                packages |= {word for word in words[2:] if not word.startswith("-")}
    return packages


def image_environment() -> dict[str, str]:
    """The environment a container of web, worker or beat starts with: the image's ENV and
    the compose file's block, with placeholder secrets."""
    environment = {}
    for block in re.findall(r"^ENV ((?:.*\\\n)*.*)$", DOCKERFILE, re.MULTILINE):
        for pair in shlex.split(block.replace("\\\n", " ")):
            name, value = pair.split("=", 1)
            environment[name] = value
    placeholders = {
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "portal.example.org",
        "POSTGRES_PASSWORD": "pw",
    }
    for name, value in COMPOSE["services"]["web"]["environment"].items():
        value = re.sub(
            r"\$\{(\w+)(?::?[-?]([^}]*))?\}",
            lambda match: placeholders.get(match.group(1), match.group(2) or ""),
            str(value),
        )
        environment[name] = value
    return environment


def test_the_image_installs_what_weasyprint_loads_a_font_and_no_build_tools():
    packages = apt_packages()
    assert packages >= WEASYPRINT_PACKAGES
    assert FONT_PACKAGE in packages
    assert not {package for package in packages if BUILD_TOOLS.match(package)}
    install = next(line for line in run_lines() if "apt-get install" in line)
    assert "--no-install-recommends" in install
    assert "rm -rf /var/lib/apt/lists/*" in install
    # The PDFs ask for the font the image installs, first.
    print_css = (ROOT / "static" / "css" / "print.css").read_text()
    assert re.search(rf'font-family: "{FONT_FAMILY}"', print_css)


def test_the_font_has_every_letter_of_every_shipped_language():
    """Every character of every translation (ł ż, ė ų, ș ț, ã, ĳ …) is in DejaVu Sans, so no
    PDF shows a missing-glyph box in any language."""
    if not FONT_FILE.exists():
        pytest.fail(f"{FONT_FILE} is missing: apt install {FONT_PACKAGE}")
    from fontTools.ttLib import TTFont

    covered = set(TTFont(FONT_FILE).getBestCmap())
    for code, _name in settings.LANGUAGES:
        if code == "en":
            continue
        catalogue = polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))
        text = "".join(entry.msgstr + "".join(entry.msgstr_plural.values()) for entry in catalogue)
        missing = {char for char in text if char.isprintable() and ord(char) not in covered}
        assert not missing, f"{code}: {sorted(missing)} not in {FONT_FAMILY}"


def test_every_folder_the_portal_writes_to_is_made_and_owned_by_the_runtime_user():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps(["
        "str(s.DATA_DIR), str(s.MEDIA_ROOT), s.STORAGES['private']['OPTIONS']['location'],"
        "str(__import__('pathlib').Path(s.CELERY_BEAT_SCHEDULE_FILENAME).parent)]))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        **image_environment(),
        "DJANGO_SETTINGS_MODULE": "socore.settings",
    }
    written = json.loads(
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert written[0] == "/data"

    made, owned = set(), set()
    for line in run_lines():
        for command in line.split("&&"):
            words = shlex.split(command)
            if words[:2] == ["mkdir", "-p"]:
                made |= set(words[2:])
            if words[:3] == ["chown", "-R", "socore:socore"]:
                owned |= set(words[3:])
    for folder in written:
        assert any(folder == path or folder.startswith(path + "/") for path in made | {"/data"})
        assert any(folder == path or folder.startswith(path + "/") for path in owned), folder
    assert "/data" in made or any(path.startswith("/data/") for path in made)
    # The chown comes before the image switches to its user, and the user is the last word.
    assert DOCKERFILE.index("chown -R socore:socore") < DOCKERFILE.index("USER socore")
    assert re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)[-1] == "socore"

    # Each volume mounts on a folder the image made (Docker would create a missing one for
    # root); media and private, the folders that must outlive a container, have one.
    targets = {
        mount.split(":")[1] for mount in COMPOSE["services"]["web"]["volumes"] if ":" in mount
    }
    assert targets >= {written[1], written[2]}
    assert targets <= made


def test_web_worker_and_beat_are_one_image_with_one_environment():
    services = COMPOSE["services"]
    first = services[APP_SERVICES[0]]
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == "." and service["image"] == first["image"]
        assert service["environment"] == first["environment"]
        assert service["volumes"] == first["volumes"]
    assert first["environment"]["DEBUG"] == "false"
    commands = {
        name: " ".join(command) if isinstance(command, list) else " ".join(command.split())
        for name in APP_SERVICES
        for command in [services[name]["command"]]
    }
    assert "gunicorn socore.wsgi" in commands["web"]
    assert commands["worker"].startswith("celery -A socore worker")
    assert commands["beat"].startswith("celery -A socore beat")
    assert "--schedule" not in commands["beat"]  # CELERY_BEAT_SCHEDULE_FILENAME, in DATA_DIR


def test_the_health_checks_call_what_exists():
    services = COMPOSE["services"]
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    path = re.search(r"http://127\.0\.0\.1:8000(/[^'\"]*)", web_check).group(1)
    assert resolve(path).url_name == "health"
    # gunicorn.conf.py binds the port the check calls.
    assert ":8000" in (ROOT / "gunicorn.conf.py").read_text()

    worker_check = services["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    words = shlex.split(worker_check[1].replace("$$", "$"))
    assert words[:5] == ["celery", "-A", "socore", "inspect", "ping"]
    from socore.celery import app

    assert app.main == "socore"
    # The destination is the default node name of the container's worker: celery@<hostname>.
    assert words[words.index("--destination") + 1] == "celery@$HOSTNAME"
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"]


# The processes, as an unprivileged user ---------------------------------------------------


class Visitor:
    """A client of the portal behind its TLS proxy: cookies kept by hand (they are Secure),
    forms sent with their CSRF token, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.host = base.split("//", 1)[1]
        self.cookies: dict[str, str] = {}

    def open(self, method: str, path: str, body: bytes | None = None, content_type: str = ""):
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.host}{path}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for name, value in headers.items():
            request.add_header(name, value)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                status, reply, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, reply, content = error.code, error.headers, error.read()
        for cookie in reply.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip().strip('"')
        if status in (301, 302, 303) and reply["Location"]:
            location = reply["Location"].replace(f"https://{self.host}", "")
            return self.open("GET", location)
        return status, path, reply, content

    def get(self, path: str):
        return self.open("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]], files=(), form_on: str = ""):
        """Send the form of the page `form_on` (by default `path` itself) to `path`."""
        _status, _path, _reply, page = self.get(form_on or path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        fields = [("csrfmiddlewaretoken", token.group(1).decode()), *fields]
        if not files:
            return self.open(
                "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
            )
        boundary = uuid.uuid4().hex
        parts = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
            for name, value in fields
        ]
        for name, filename, content_type, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.open("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def sign_in(self, user, *, totp: bool = False):
        status, path, _reply, _page = self.post(
            "/accounts/login/", [("login", user.email), ("password", PASSWORD)]
        )
        if totp:
            from tests.browser.conftest import totp_code

            assert path == "/accounts/2fa/authenticate/", (status, path)
            status, path, _reply, _page = self.post(path, [("code", totp_code())])
        assert status == 200 and not path.startswith("/accounts/"), (status, path)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def unprivileged() -> list[str]:
    """The command prefix that runs a process as `nobody` when the suite runs as root (as in
    CI and in the image's build); as the invoking user otherwise, who is unprivileged."""
    if os.geteuid() != 0:
        return []
    nobody = pwd.getpwnam("nobody")
    return [
        "setpriv",
        f"--reuid={nobody.pw_uid}",
        f"--regid={nobody.pw_gid}",
        "--clear-groups",
        "--",
    ]


@pytest.fixture
def fresh_data_dir():
    """An empty DATA_DIR that only the runtime user may write to, as the image's /data."""
    folder = Path(tempfile.mkdtemp(prefix="socore-data-"))
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    folder.chmod(0o700)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reports_pdfs_attachments_and_beat_work_as_an_unprivileged_user_on_a_fresh_data_dir(
    fresh_data_dir, coordinator, staff, tmp_path
):
    from socore.celery import app as celery_app

    # The processes verify passwords with the production hasher, not the suite's fast one.
    for user in (coordinator, staff):
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
        user.save(update_fields=["password"])
    world = build_world()
    practice = PracticeFactory(status="published", title="Mentoring for lab managers")
    draft = PracticeFactory(title="Draft with an agenda")
    draft.editors.add(staff)

    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATA_DIR": str(fresh_data_dir),
        "DATABASE_URL": database_url(),
        # Collected when the image is built, read-only for the runtime user (/app/staticfiles).
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        # As in the image, home is the code's folder, which the runtime user cannot write to.
        "HOME": str(ROOT),
    }
    for name in ("MEDIA_ROOT", "PRIVATE_ROOT", "BROKER_DIR"):
        environment.pop(name, None)
    if not settings.REDIS_URL:
        environment["BROKER_DIR"] = str(fresh_data_dir / "celery")
    celery_app.control.purge()
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "worker", "beat")}
    handles = {name: open(path, "w") for name, path in logs.items()}  # noqa: SIM115
    worker_name = f"deploy-{os.getpid()}-{time.monotonic_ns()}@%h"

    def start(name: str, command: list[str]) -> subprocess.Popen:
        return subprocess.Popen(
            [*unprivileged(), sys.executable, "-m", *command],
            cwd=ROOT,
            env=environment,
            stdout=handles[name],
            stderr=subprocess.STDOUT,
        )

    processes = {
        "worker": start("worker", worker_command(worker_name)[2:]),
        "beat": start("beat", ["celery", "-A", "socore", "beat"]),
        "web": start(
            "web",
            ["gunicorn", "socore.wsgi", "--bind=127.0.0.1:0", "--workers=1", "--threads=2"],
        ),
    }

    def log(name: str) -> str:
        return logs[name].read_text()

    def listening_at() -> str | None:
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log("web"))
        return found and found.group(1)

    try:
        base = wait_for(
            lambda: processes["web"].poll() is not None or listening_at(), 60, "gunicorn"
        )
        assert processes["web"].poll() is None, log("web")
        wait_for(
            lambda: processes["worker"].poll() is not None or pool_process(processes["worker"]),
            60,
            "the worker's pool",
        )
        assert processes["worker"].poll() is None, log("worker")

        # Beat keeps its schedule in DATA_DIR.
        wait_for(
            lambda: (
                processes["beat"].poll() is not None
                or any(fresh_data_dir.glob("celerybeat-schedule*"))
            ),
            60,
            "beat's schedule file",
        )
        assert processes["beat"].poll() is None, log("beat")

        # A coordinator asks for the region's report in Polish and downloads it.
        coordinating = Visitor(base)
        coordinating.sign_in(coordinator, totp=True)
        status, path, _reply, _page = coordinating.post(
            "/reports/requests/new/",
            [
                ("region", "slaskie"),
                ("campaigns", str(world.self_campaign.pk)),
                ("campaigns", str(world.demand_campaign.pk)),
                ("language", "pl"),
                ("kind", ReportRequest.Kind.REPORT_PDF),
            ],
        )
        report = ReportRequest.objects.get()
        assert status == 200 and path == f"/reports/requests/{report.pk}/"
        wait_for(
            lambda: (
                ReportRequest.objects.get(pk=report.pk).status
                in (ReportRequest.Status.DONE, ReportRequest.Status.FAILED)
            ),
            120,
            "the report",
        )
        report.refresh_from_db()
        assert report.status == ReportRequest.Status.DONE, (report.error, log("worker"))
        status, _path, reply, content = coordinating.get(f"/reports/requests/{report.pk}/download/")
        assert status == 200 and content.startswith(b"%PDF-")
        text = " ".join(pdf_text(content, tmp_path).split())
        assert "Śląskie" in text and "Spis treści" in text

        # A visitor downloads a good practice's PDF, rendered by the web process.
        status, _path, reply, content = Visitor(base).get(f"/practices/{practice.pk}/pdf/")
        assert status == 200 and reply["Content-Type"] == "application/pdf"
        assert "Mentoring for lab managers" in pdf_text(content, tmp_path)

        # Partner staff attach a file to a draft and read it back.
        editing = Visitor(base)
        editing.sign_in(staff)
        agenda = content
        status, path, _reply, _page = editing.post(
            f"/practices/{draft.pk}/files/",
            [],
            files=[("files", "agenda.pdf", "application/pdf", agenda)],
            form_on=f"/practices/{draft.pk}/edit/",
        )
        assert (status, path) == (200, f"/practices/{draft.pk}/edit/")
        attachment = Attachment.objects.get(practice=draft)
        status, _path, _reply, content = editing.get(
            f"/practices/{draft.pk}/files/{attachment.pk}/"
        )
        assert status == 200 and content == agenda
    finally:
        for process in processes.values():
            stop(process)
        for handle in handles.values():
            handle.close()

    # What was written went to the fresh DATA_DIR, as the runtime user.
    written = [path for path in fresh_data_dir.rglob("*") if path.is_file()]
    assert {path.suffix for path in written} >= {".pdf"}
    assert any(path.name.startswith("celerybeat-schedule") for path in written)
    assert any("private" in path.parts for path in written)
    assert any("media" in path.parts for path in written)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody").pw_uid
        assert {path.stat().st_uid for path in written} == {nobody}
    for name in logs:
        assert "Permission denied" not in log(name) and "PermissionError" not in log(name)
